#!/usr/bin/env bash
# Portcullis against a direct connection and against nginx, haproxy and caddy as plain reverse
# proxies, all in front of the same upstream (nginx answering a small body). `hyper-floor`
# (bench/floor.rs) is a bare proxy on Portcullis's own stack: what the gateway's work costs is
# the distance to it.
#
# Needs (Debian): apt-get install wrk nginx-light haproxy caddy oathtool curl python3
# Run from the repository root:   bench/run.sh            (ROUNDS=3 DURATION=10 CONNS=50 by default)
# INSTRUCTIONS=1 adds user-space instructions per request, counted by callgrind (apt-get install valgrind).
# With PostgreSQL installed (apt-get install postgresql; PG=0 skips it), a throwaway cluster is
# started too: signed-in requests on a replica backed by it are measured beside the redb gateway
# (`portcullis-pg-signed-in`), and returning-browser sign-ins/s (password + trusted device: argon2
# and the store) on the redb gateway and on three PostgreSQL replicas at once.
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

# --- PostgreSQL and three replicas on it (optional) --------------------------------------------
pg_bin=""
if [ "${PG:-1}" = 1 ]; then
  if command -v initdb >/dev/null; then pg_bin=$(dirname "$(command -v initdb)")
  else pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); fi
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || pg_bin=""
fi
REPLICAS=()
if [ -n "$pg_bin" ]; then
  PGP=$(port)
  mkdir -p "$work/pg/data"
  as_pg=(); if [ "$(id -u)" = 0 ]; then chown -R 65534:65534 "$work/pg"; chmod 755 "$work"; as_pg=(runuser -u nobody --); fi
  (cd / && "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U portcullis -A trust --no-sync -E UTF8 >/dev/null)
  (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w start \
    -o "-p $PGP -k $work/pg/data -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null)
  pg_stop() { (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1) || true; }
  trap 'pg_stop; cleanup' EXIT
  for i in 1 2 3; do
    R=$(port); REPLICAS+=("$R"); mkdir -p "$work/r$i"
    # The same users file, session secret and storage key on every replica.
    sed -e "s/127.0.0.1:$PCB/127.0.0.1:$R/g" \
        -e "s#^path = \"data/portcullis.redb\"#path = \"data/portcullis.redb\"\nurl = \"postgres://portcullis@127.0.0.1:$PGP/postgres\"\nencryption_key_file = \"$work/pc/data/storage.key\"\n[session]\nsecret_file = \"$work/pc/data/session.key\"#" \
        -e "s#^file = \"users.toml\"#file = \"$work/pc/users.toml\"#" \
        "$work/pc/config.toml" > "$work/r$i/config.toml"
  done
fi

for p in $UP $NGX $HAP $CAD $PCB $FLR; do wait_port "$p"; done
# The redb gateway has generated the keys the replicas share: start them now.
REPLICA_PIDS=()
for i in "${!REPLICAS[@]}"; do
  RUST_LOG=warn TOKIO_WORKER_THREADS=1 "${SRV[@]}" "$BIN" serve --config "$work/r$((i + 1))/config.toml" 2>"$work/r$((i + 1))/log" & pids+=($!); REPLICA_PIDS+=($!)
done
for p in "${REPLICAS[@]}"; do wait_port "$p"; done

# Sign in with two factors: password, TOTP enrolment (oathtool computes the code), then once
# more with a backup code to get a trusted-device cookie. With it, `fresh_session` signs in with
# the password alone and gets a full session, as a returning browser does.
api_port=$PCB; jar="$work/pc/jar"
api() { curl -sf -b "$jar" -c "$jar" -H 'content-type: application/json' "http://127.0.0.1:$api_port/.portcullis/api/$1" -d "$2"; }
trust_device() { # enrol bench on the gateway at $api_port, then trust this jar's device
  api login '{"username":"bench","password":"bench password"}' >/dev/null
  secret=$(api enroll/totp '{}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["secret"])')
  backup=$(api enroll/totp/confirm "{\"code\":\"$(oathtool --totp -b "$secret")\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["backup_codes"][0])')
  rm -f "$jar"
  api login '{"username":"bench","password":"bench password"}' >/dev/null
  api mfa "{\"method\":\"backup_code\",\"code\":\"$backup\",\"remember_device\":true}" >/dev/null
}
trust_device
# A session re-issued on a request (sliding expiry, at most once a minute) is what a browser
# would send next; wrk cannot keep cookies, so each signed-in run starts with a fresh session.
declare -A URL HDR
fresh_session() { # [target] [port] [jar]
  local target=${1:-portcullis-signed-in}
  api_port=${2:-$PCB}; jar=${3:-$work/pc/jar}
  api login '{"username":"bench","password":"bench password"}' | grep -q '"authenticated"' \
    || { echo "the trusted device did not give a full session" >&2; exit 1; }
  cookie="portcullis_session=$(awk '$6=="portcullis_session"{v=$7} END{print v}' "$jar")"
  HDR[$target]="Cookie: $cookie"
  api_port=$PCB; jar="$work/pc/jar"
}
if [ ${#REPLICAS[@]} -gt 0 ]; then
  api_port=${REPLICAS[0]}; jar="$work/r1/jar"; trust_device; api_port=$PCB; jar="$work/pc/jar"
  fresh_session portcullis-pg-signed-in "${REPLICAS[1]}" "$work/r1/jar"
  pg_cookie=$cookie
fi
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
if [ ${#REPLICAS[@]} -gt 0 ]; then
  # A session made on replica 1 (its device) and used on replica 2: no store round trip.
  URL[portcullis-pg-signed-in]="http://127.0.0.1:${REPLICAS[1]}/x"
  targets+=(portcullis-pg-signed-in)
fi

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

for t in "${!URL[@]}"; do taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d2s -H "${HDR[$t]:-X-Bench: 1}" "${URL[$t]}" >/dev/null; done  # warm-up
for round in $(seq "$ROUNDS"); do
  for t in "${targets[@]}"; do
    [ "$t" = portcullis-signed-in ] && fresh_session
    [ "$t" = portcullis-pg-signed-in ] && fresh_session portcullis-pg-signed-in "${REPLICAS[1]}" "$work/r1/jar"
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

# Returning-browser sign-ins/s (password + trusted-device cookie → full session: argon2, then
# the device, lockout and first-sign-in records and the audit trail in the store): the redb
# gateway alone, then the three PostgreSQL replicas at once (one wrk each). Each run uses one
# account, so each replica checks one password at a time (its per-account attempt gate).
signins="$work/signins.tsv"; : > "$signins"
signin_rps() { # port jar seconds -> sign-ins/s (every answer must be "authenticated")
  local device; device=$(awk '$6=="portcullis_device"{v=$7} END{print v}' "$2")
  cat > "$work/signin.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"bench","password":"bench password"}'
LUA
  taskset -c "$CLIENT_CPU" wrk -t1 -c2 -d"$3s" -s "$work/signin.lua" -H "Cookie: portcullis_device=$device" \
    "http://127.0.0.1:$1/.portcullis/api/login" | python3 -c '
import re, sys
t = sys.stdin.read()
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if errors: sys.exit(f"{errors.group(1)} refused sign-ins")
print(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))'
}
echo "redb-1 $(signin_rps "$PCB" "$work/pc/jar" "$DURATION")" >> "$signins"
if [ ${#REPLICAS[@]} -gt 0 ]; then
  parts=()
  for i in 0 1 2; do signin_rps "${REPLICAS[$i]}" "$work/r1/jar" "$DURATION" > "$work/signin.$i" & parts+=($!); done
  for p in "${parts[@]}"; do wait "$p"; done
  echo "postgres-3 $(cat "$work"/signin.[012] | awk '{s+=$1} END{print s}')" >> "$signins"
fi

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
  if [ ${#REPLICAS[@]} -gt 0 ]; then
    # Replica 2 under callgrind (its follower pings PostgreSQL meanwhile, as in production).
    kill "${REPLICA_PIDS[1]}"; wait "${REPLICA_PIDS[1]}" 2>/dev/null || true
    RUST_LOG=warn TOKIO_WORKER_THREADS=1 "${SRV[@]}" "${cg[@]}" "$BIN" serve --config "$work/r2/config.toml" 2>/dev/null & vr=$!; pids+=($vr)
    for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:${REPLICAS[1]}/.portcullis/healthz" && break; sleep 0.1; done
    fresh_session portcullis-pg-signed-in "${REPLICAS[1]}" "$work/r1/jar"
    counted portcullis-pg-signed-in "$vr" "${URL[portcullis-pg-signed-in]}" "${HDR[portcullis-pg-signed-in]}"
    kill "$vr"
  fi
fi

python3 - "$results" "$rss_kb" "$storm_rps" "$ROUNDS" "$DURATION" "$CONNS" "$instructions" "$signins" <<'PY'
import statistics, sys, platform, os
path, rss_kb, storm_rps, rounds, duration, conns, instructions, signins = sys.argv[1:9]
rows = {}
for line in open(path):
    name, rps, p50, p99 = line.split()
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99)))
med = {n: tuple(statistics.median(v[i] for v in vals) for i in range(3)) for n, vals in rows.items()}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"\n{cpu}; {os.cpu_count()} CPUs; servers on one CPU, wrk on another; {rounds} rounds x {duration}s, {conns} connections, medians")
print(f"\n| target | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")
for n in ["direct", "nginx", "haproxy", "caddy", "hyper-floor", "portcullis-bypass", "portcullis-signed-in", "portcullis-pg-signed-in"]:
    if n not in med:
        continue
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
if "portcullis-pg-signed-in" in med:
    print(f"\n| store | value |\n|---|---:|\n| signed-in on PostgreSQL / on redb (requests/s) | {med['portcullis-pg-signed-in'][0] / si[0]:.2f} |")
rates = dict(line.split() for line in open(signins))
print("\n| returning-browser sign-ins (password + trusted device) | sign-ins/s |\n|---|---:|")
for n, label in [("redb-1", "redb, one gateway"), ("postgres-3", "PostgreSQL, three replicas at once")]:
    if n in rates:
        print(f"| {label} | {float(rates[n]):,.1f} |")
counts = dict(line.split() for line in open(instructions))
if counts:
    print("\n| user-space instructions per request (callgrind) | count |\n|---|---:|")
    for n in ["hyper-floor", "portcullis-bypass", "portcullis-signed-in", "portcullis-pg-signed-in"]:
        if n in counts:
            print(f"| {n} | {int(counts[n]):,} |")
PY
