#!/usr/bin/env bash
# Portcullis against a direct connection and against nginx, haproxy and caddy as plain reverse
# proxies, all in front of the same upstream (nginx answering a small body). `hyper-floor`
# (bench/floor.rs) is a bare proxy on Portcullis's own stack: what the gateway's work costs is
# the distance to it.
#
# Needs (Debian): apt-get install wrk nginx-light haproxy caddy oathtool curl python3
# Run from the repository root:   bench/run.sh            (ROUNDS=3 DURATION=10 CONNS=50 by default)
# INSTRUCTIONS=1 adds user-space instructions per request, counted by callgrind (apt-get install valgrind).
#
# Every server — the upstream and each proxy — is pinned to CPU 0 with one worker/thread;
# wrk is pinned to CPU 1. Targets are measured in interleaved rounds and the median is kept:
# absolute numbers drift on shared machines, the ratios are what to quote.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-50}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
BIN=${PORTCULLIS_BIN:-target/release/portcullis}
FLOOR=${FLOOR_BIN:-target/release/examples/bench-floor}

for tool in wrk nginx haproxy caddy oathtool curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install wrk nginx-light haproxy caddy oathtool curl)" >&2; exit 2; }
done
if [ -z "${PORTCULLIS_BIN:-}" ]; then cargo build --release --locked --bin portcullis --example bench-floor; fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP=$(port); NGX=$(port); HAP=$(port); CAD=$(port); PCB=$(port); FLR=$(port)
# Servers are started with `taskset` directly (it execs), so $! is the server's own pid.
SRV=(taskset -c "$SERVER_CPU")
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }

# --- upstream: nginx returning a small body -------------------------------------------------
mkdir -p "$work/up" "$work/ngx"
cat > "$work/up/nginx.conf" <<CONF
worker_processes 1; pid $work/up/pid; error_log $work/up/error.log; user root;
events { worker_connections 8192; }
http { access_log off; client_body_temp_path $work/up; proxy_temp_path $work/up;
  server { listen 127.0.0.1:$UP; keepalive_requests 1000000; location / { return 200 "hello from upstream\n"; } } }
CONF
"${SRV[@]}" nginx -e "$work/up/error.log" -p "$work/up" -c "$work/up/nginx.conf" -g 'daemon off; master_process off;' & pids+=($!)

# --- nginx as a plain reverse proxy --------------------------------------------------------
cat > "$work/ngx/nginx.conf" <<CONF
worker_processes 1; pid $work/ngx/pid; error_log $work/ngx/error.log; user root;
events { worker_connections 8192; }
http { access_log off; client_body_temp_path $work/ngx; proxy_temp_path $work/ngx;
  upstream up { server 127.0.0.1:$UP; keepalive 128; }
  server { listen 127.0.0.1:$NGX; keepalive_requests 1000000;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
"${SRV[@]}" nginx -e "$work/ngx/error.log" -p "$work/ngx" -c "$work/ngx/nginx.conf" -g 'daemon off; master_process off;' & pids+=($!)

# --- haproxy --------------------------------------------------------------------------------
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 8192
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
frontend f
  bind 127.0.0.1:$HAP
  default_backend b
backend b
  http-reuse always
  server s1 127.0.0.1:$UP
CONF
"${SRV[@]}" haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!)

# --- caddy ----------------------------------------------------------------------------------
mkdir -p "$work/caddy"
printf '{\n\tadmin off\n\tauto_https off\n}\nhttp://127.0.0.1:%s {\n\treverse_proxy 127.0.0.1:%s\n}\n' "$CAD" "$UP" > "$work/caddy/Caddyfile"
HOME="$work/caddy" XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" GOMAXPROCS=1 \
  "${SRV[@]}" caddy run --adapter caddyfile --config "$work/caddy/Caddyfile" >/dev/null 2>&1 & pids+=($!)

# --- the floor: a bare proxy on hyper + tokio (one thread), no checks ----------------------
"${SRV[@]}" "$FLOOR" "127.0.0.1:$FLR" "127.0.0.1:$UP" & pids+=($!)

# --- portcullis -----------------------------------------------------------------------------
mkdir -p "$work/pc"
cat > "$work/pc/config.toml" <<CONF
[server]
listen = "127.0.0.1:$PCB"
public_url = "http://127.0.0.1:$PCB"
[upstream]
url = "http://127.0.0.1:$UP"
[users]
file = "users.toml"
[storage]
path = "data/portcullis.redb"
[limits]
per_ip = "1000000/s"       # the storm below must reach argon2, not the per-IP limit
max_failures = 1000            # the maximum: keeps the storm below from locking its user
[[location]]
path = "/bypass"
policy = "bypass"
CONF
echo -n "bench password" | "$BIN" user add bench --password-stdin --config "$work/pc/config.toml" >/dev/null
# One worker thread, like the others; access lines off in every server (RUST_LOG=warn here).
RUST_LOG=warn TOKIO_WORKER_THREADS=1 "${SRV[@]}" "$BIN" serve --config "$work/pc/config.toml" 2>"$work/pc/log" & PC=$!; pids+=($PC)

for p in $UP $NGX $HAP $CAD $PCB $FLR; do wait_port "$p"; done

# Sign in with two factors: password, TOTP enrolment (oathtool computes the code), then once
# more with a backup code to get a trusted-device cookie. With it, `fresh_session` signs in with
# the password alone and gets a full session, as a returning browser does.
jar="$work/pc/jar"
api() { curl -sf -b "$jar" -c "$jar" -H 'content-type: application/json' "http://127.0.0.1:$PCB/.portcullis/api/$1" -d "$2"; }
api login '{"username":"bench","password":"bench password"}' >/dev/null
secret=$(api enroll/totp '{}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["secret"])')
backup=$(api enroll/totp/confirm "{\"code\":\"$(oathtool --totp -b "$secret")\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["backup_codes"][0])')
rm -f "$jar"
api login '{"username":"bench","password":"bench password"}' >/dev/null
api mfa "{\"method\":\"backup_code\",\"code\":\"$backup\",\"remember_device\":true}" >/dev/null
# A session re-issued on a request (sliding expiry, at most once a minute) is what a browser
# would send next; wrk cannot keep cookies, so each signed-in run starts with a fresh session.
fresh_session() {
  api login '{"username":"bench","password":"bench password"}' | grep -q '"authenticated"' \
    || { echo "the trusted device did not give a full session" >&2; exit 1; }
  cookie="portcullis_session=$(awk '$6=="portcullis_session"{v=$7} END{print v}' "$jar")"
  HDR[portcullis-signed-in]="Cookie: $cookie"
}
declare -A URL HDR
fresh_session
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$PCB/signed-in")
[ "$status" = 200 ] || { echo "signed-in request answered $status" >&2; exit 1; }

# --- measurement ----------------------------------------------------------------------------
URL[direct]="http://127.0.0.1:$UP/x";           HDR[direct]=""
URL[nginx]="http://127.0.0.1:$NGX/x";           HDR[nginx]=""
URL[haproxy]="http://127.0.0.1:$HAP/x";         HDR[haproxy]=""
URL[caddy]="http://127.0.0.1:$CAD/x";           HDR[caddy]=""
URL[hyper-floor]="http://127.0.0.1:$FLR/x";     HDR[hyper-floor]=""
URL[portcullis-bypass]="http://127.0.0.1:$PCB/bypass/x"; HDR[portcullis-bypass]=""
URL[portcullis-signed-in]="http://127.0.0.1:$PCB/x"
targets=(direct nginx haproxy caddy hyper-floor portcullis-bypass portcullis-signed-in)

results="$work/results.tsv"; : > "$results"
run_wrk() { # name url header duration -> "rps p50_ms p99_ms"
  local args=(-t1 -c"$CONNS" -d"$4s" --latency)
  [ -n "$3" ] && args+=(-H "$3")
  taskset -c "$CLIENT_CPU" wrk "${args[@]}" "$2" | python3 -c '
import re, sys
t = sys.stdin.read()
def ms(v, u): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)", t, re.M)}
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if errors: sys.exit(f"{errors.group(1)} error responses")
print("%.0f %.3f %.3f" % (rps, lat["50"], lat["99"]))'
}

for url in "${URL[@]}"; do taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d2s -H "Cookie: $cookie" "$url" >/dev/null; done  # warm-up
for round in $(seq "$ROUNDS"); do
  for t in "${targets[@]}"; do
    [ "$t" = portcullis-signed-in ] && fresh_session
    echo "$t $(run_wrk "$t" "${URL[$t]}" "${HDR[$t]}" "$DURATION")" >> "$results"
    echo "round $round: $(tail -n1 "$results")" >&2
  done
done
rss_kb=$(ps -o rss= -p "$PC" | tr -d ' ')

# Signed-in p99 while 8 clients hammer the login API with wrong passwords (argon2 each time).
cat > "$work/storm.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"storm","password":"wrong password"}'
LUA
fresh_session  # before the storm: sign-ins wait behind it
taskset -c "$CLIENT_CPU" wrk -t1 -c8 -d"$((DURATION + 4))s" -s "$work/storm.lua" "http://127.0.0.1:$PCB/.portcullis/api/login" > "$work/storm.txt" &
storm=$!
sleep 2
echo "storm $(run_wrk storm "${URL[portcullis-signed-in]}" "${HDR[portcullis-signed-in]}" "$DURATION")" >> "$results"
wait "$storm"
storm_rps=$(awk '/Requests\/sec/{print $2}' "$work/storm.txt")

# --- user-space instructions per request (INSTRUCTIONS=1; needs valgrind) ----------------------
# callgrind counts instructions, not seconds: the same binary and requests give the same count
# whatever else the machine is doing, so small changes show here when requests/s is all noise.
instructions="$work/instructions.tsv"; : > "$instructions"
if [ "${INSTRUCTIONS:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "missing: valgrind (apt-get install valgrind)" >&2; exit 2; }
  # counted NAME PID URL HEADER: warm up, then count while wrk runs.
  counted() {
    for _ in $(seq 300); do curl -s -o /dev/null "$3" && break; sleep 0.1; done
    taskset -c "$CLIENT_CPU" wrk -t1 -c10 -d2s -H "$4" "$3" >/dev/null
    callgrind_control -i on "$2" >/dev/null 2>&1
    local n; n=$(taskset -c "$CLIENT_CPU" wrk -t1 -c10 -d5s -H "$4" "$3" | awk '/requests in/{print $1}')
    callgrind_control -i off "$2" >/dev/null 2>&1
    callgrind_control -d "$2" >/dev/null 2>&1
    # Each dump of a process is a new file (cg.PID.1, cg.PID.2…): read this count's, the latest.
    local dump; dump=$(ls -v "$work/cg.$2".* | tail -n 1)
    local total; total=$(awk '/^totals:/{print $2}' "$dump")
    echo "$1 $((total / n))" >> "$instructions"
  }
  cg=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.%p")
  FLR2=$(port)
  "${SRV[@]}" "${cg[@]}" "$FLOOR" "127.0.0.1:$FLR2" "127.0.0.1:$UP" 2>/dev/null & vf=$!; pids+=($vf)
  counted hyper-floor "$vf" "http://127.0.0.1:$FLR2/x" "X-Bench: 1"
  kill "$vf"
  # The same gateway, data and session key, under callgrind (the store admits one process).
  fresh_session
  kill "$PC"; wait "$PC" 2>/dev/null || true
  RUST_LOG=warn TOKIO_WORKER_THREADS=1 "${SRV[@]}" "${cg[@]}" "$BIN" serve --config "$work/pc/config.toml" 2>/dev/null & vp=$!; pids+=($vp)
  counted portcullis-signed-in "$vp" "${URL[portcullis-signed-in]}" "${HDR[portcullis-signed-in]}"
  counted portcullis-bypass "$vp" "${URL[portcullis-bypass]}" "X-Bench: 1"
  kill "$vp"
fi

python3 - "$results" "$rss_kb" "$storm_rps" "$ROUNDS" "$DURATION" "$CONNS" "$instructions" <<'PY'
import statistics, sys, platform, os
path, rss_kb, storm_rps, rounds, duration, conns, instructions = sys.argv[1:8]
rows = {}
for line in open(path):
    name, rps, p50, p99 = line.split()
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99)))
med = {n: tuple(statistics.median(v[i] for v in vals) for i in range(3)) for n, vals in rows.items()}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"\n{cpu}; {os.cpu_count()} CPUs; servers on one CPU, wrk on another; {rounds} rounds x {duration}s, {conns} connections, medians")
print(f"\n| target | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")
for n in ["direct", "nginx", "haproxy", "caddy", "hyper-floor", "portcullis-bypass", "portcullis-signed-in"]:
    r, a, b = med[n]
    print(f"| {n} | {r:,.0f} | {a:.3f} | {b:.3f} |")
si, ng, di, by = med["portcullis-signed-in"], med["nginx"], med["direct"], med["portcullis-bypass"]
fl = med["hyper-floor"]
storm = med["storm"]
print(f"""
| ratio | value |
|---|---:|
| signed-in / nginx (requests/s) | {si[0] / ng[0]:.2f} |
| signed-in / direct (requests/s) | {si[0] / di[0]:.2f} |
| bypass / nginx (requests/s) | {by[0] / ng[0]:.2f} |
| hyper floor / nginx (requests/s) | {fl[0] / ng[0]:.2f} |
| signed-in / hyper floor (requests/s) | {si[0] / fl[0]:.2f} |
| signed-in p99 / nginx p99 | {si[2] / ng[2]:.2f} |
| signed-in p99 during login storm / quiet | {storm[2] / si[2]:.2f} |

Portcullis RSS after the load: {int(rss_kb) / 1024:.1f} MiB.
During the storm: {float(storm_rps):.0f} wrong-password logins/s from 8 clients; signed-in p99 {storm[2]:.3f} ms (quiet {si[2]:.3f} ms).""")
counts = dict(line.split() for line in open(instructions))
if counts:
    print("\n| user-space instructions per request (callgrind) | count |\n|---|---:|")
    for n in ["hyper-floor", "portcullis-bypass", "portcullis-signed-in"]:
        print(f"| {n} | {int(counts[n]):,} |")
PY
