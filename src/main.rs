//! The `portcullis` command line (DESIGN §2). Thin: every command calls into the library.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Parser, Subcommand};

use portcullis::auth::{password, users};
use portcullis::config::{self, Config, ProcessEnv};
use portcullis::server::{self, admin, Server};
use portcullis::store::Store;

/// Proxying allocates and frees many small buffers per request; mimalloc does that in a
/// fraction of glibc malloc's time (see docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "portcullis",
    version,
    about = "A reverse-proxy gateway that admits only users with a password and a second factor"
)]
struct Cli {
    /// Log format: plain or json.
    #[arg(
        long,
        global = true,
        env = "PORTCULLIS_LOG_FORMAT",
        default_value = "plain"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Plain,
    Json,
}

#[derive(clap::Args, Clone)]
struct ConfigArg {
    /// Configuration file [default: ./config.toml, or $PORTCULLIS_CONFIG]
    #[arg(long, short, env = "PORTCULLIS_CONFIG", default_value = "config.toml")]
    config: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gateway.
    Serve(ConfigArg),
    /// Run a self-contained demo: temp data dir, a built-in whoami upstream and a demo user.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Validate the configuration and users file; print a summary.
    Check(ConfigArg),
    /// Show which location a URL matches and what the gateway would decide.
    Explain {
        #[command(flatten)]
        config: ConfigArg,
        /// URL or path, e.g. https://app.example.com/admin?x=1 or /admin
        url: String,
        #[arg(long)]
        user: Option<String>,
        #[arg(long, default_value = "GET")]
        method: String,
    },
    /// Print an argon2id hash of a password (for the users file).
    HashPassword {
        #[arg(long)]
        password_stdin: bool,
    },
    /// Manage the users file.
    #[command(subcommand)]
    User(UserCommand),
    /// Second-factor enrolment of a user (works whether or not the server runs).
    #[command(subcommand)]
    Mfa(MfaCommand),
    /// Trusted devices (works whether or not the server runs).
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Account lockouts (works whether or not the server runs).
    #[command(subcommand)]
    Lockouts(LockoutsCommand),
    /// Copy every record of the (stopped) gateway's redb store into PostgreSQL.
    Migrate {
        /// The PostgreSQL URL, e.g. postgres://portcullis@db/portcullis?sslmode=verify-full
        /// (password from [storage] password_file, password or PORTCULLIS_DATABASE_PASSWORD).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Re-read config.toml and the TLS pair in the running gateway (the same as SIGHUP).
    Reload(ConfigArg),
    /// Exit 0 when the gateway answers P/readyz with 200, 1 otherwise (for images without curl).
    Health {
        /// The gateway's base URL [default: from the config's first listen address]
        #[arg(long)]
        url: Option<String>,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// The security overview: sign-in steps by factor and result, lockouts, codes sent, the
    /// share of users enrolled.
    Stats {
        /// A duration back from now ("24h", "7d") or an RFC 3339 time.
        #[arg(long, default_value = "7d")]
        since: String,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Security events.
    Audit {
        /// Only events of this user.
        #[arg(long)]
        user: Option<String>,
        /// A duration back from now ("1h", "7d") or an RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
        /// One JSON array instead of text lines.
        #[arg(long)]
        json: bool,
        /// At most this many events (the most recent).
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. Without --password-stdin a random password is generated and printed once.
    Add {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Display name.
        #[arg(long = "name")]
        display_name: Option<String>,
        #[arg(long, value_delimiter = ',')]
        groups: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Set a user's password (ends their sessions).
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// List users.
    List(ConfigArg),
    /// Remove a user.
    Remove {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Disable a user (ends their sessions).
    Disable {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Enable a disabled user again.
    Enable {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(Subcommand)]
enum MfaCommand {
    /// Show whether NAME has an authenticator and how many backup codes are left.
    Status {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Forget NAME's second factors and end their sessions; they enrol again at next sign-in.
    Reset {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(Subcommand)]
enum DevicesCommand {
    /// List trusted devices, of NAME or of everyone.
    List {
        name: Option<String>,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Revoke a trusted device: its next sign-in asks for the second factor again.
    Revoke {
        /// As `devices list` prints it. Ids are base64url, so one may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        id: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

#[derive(Subcommand)]
enum LockoutsCommand {
    /// List locked accounts.
    List(ConfigArg),
    /// End NAME's lockout now and reset their failure count.
    Clear {
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
}

/// A failure with its exit code: 1 runtime, 2 bad usage or invalid config.
struct Failure(u8, anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(1, e.into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, e)) => {
            eprintln!("{e:#}");
            ExitCode::from(code)
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only for a person at a terminal, not in a file or a log collector.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Plain => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn load_config(path: &Path) -> Result<Config, Failure> {
    let config = config::load(path, &ProcessEnv).map_err(|e| Failure(2, anyhow!("{e}")))?;
    for w in &config.warnings {
        tracing::warn!("{w}");
    }
    Ok(config)
}

/// The async runtime. `PORTCULLIS_THREADS` (or tokio's `TOKIO_WORKER_THREADS`) sets the number
/// of threads serving requests; 1 uses a single-threaded scheduler, which is cheaper per request.
/// Password hashing always runs on separate blocking threads.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    let threads = ["PORTCULLIS_THREADS", "TOKIO_WORKER_THREADS"]
        .iter()
        .find_map(|v| std::env::var(v).ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    let mut builder = match threads {
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
        None => tokio::runtime::Builder::new_multi_thread(),
    };
    Ok(builder.enable_all().build()?)
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve(c) => {
            let config = load_config(&c.config)?;
            runtime()?.block_on(serve(config, None))
        }
        Command::Demo { listen } => runtime()?.block_on(demo(listen)),
        Command::Check(c) => check(&c.config),
        Command::Health { url, config } => runtime()?.block_on(health(url, &config.config)),
        Command::Reload(config) => runtime()?.block_on(reload(&config.config)),
        Command::Explain {
            config,
            url,
            user,
            method,
        } => {
            let config = load_config(&config.config)?;
            let text = portcullis::cli::explain(&config, &url, user.as_deref(), &method)
                .map_err(|e| Failure(2, anyhow!("{e}")))?;
            print!("{text}");
            Ok(())
        }
        Command::HashPassword { password_stdin } => {
            let pw = read_password(password_stdin)?;
            println!("{}", password::hash(&pw)?);
            Ok(())
        }
        Command::User(u) => user(u),
        Command::Mfa(cmd) => runtime()?.block_on(mfa(cmd)),
        Command::Devices(cmd) => {
            let (config, req) = match cmd {
                DevicesCommand::List { name, config } => {
                    (config, admin::Request::DevicesList { user: name })
                }
                DevicesCommand::Revoke { id, config } => {
                    (config, admin::Request::DevicesRevoke { id })
                }
            };
            runtime()?.block_on(admin_command(&config, req))
        }
        Command::Migrate { to, config } => migrate(&config, &to),
        Command::Stats {
            since,
            json,
            config,
        } => {
            let now = portcullis::app::now();
            let since = portcullis::audit::parse_since(&since, now)
                .map_err(|e| Failure(2, anyhow!("--since: {e}")))?;
            runtime()?.block_on(async {
                let config = load_config(&config.config)?;
                let req = admin::Request::Stats { since };
                let stats = match admin::call(&config.server.admin_socket, &req).await? {
                    Some(admin::Response::Stats(s)) => *s,
                    Some(admin::Response::Error { message }) => {
                        return Err(Failure(1, anyhow!(message)))
                    }
                    Some(_) => {
                        return Err(Failure(1, anyhow!("unexpected answer from the gateway")))
                    }
                    // No gateway running: the store and the users file directly.
                    None => {
                        let store = Store::from_config(&config.storage)?;
                        let users = users::UserDb::load(&config.users.file)?;
                        portcullis::stats::overview(&store, &users, &config.mfa, since, now)?
                    }
                };
                if json {
                    println!("{}", serde_json::to_string_pretty(&stats)?);
                } else {
                    print!("{}", stats.to_text(rfc3339));
                }
                Ok(())
            })
        }
        Command::Lockouts(cmd) => {
            let (config, req) = match cmd {
                LockoutsCommand::List(config) => (config, admin::Request::LockoutsList),
                LockoutsCommand::Clear { name, config } => {
                    (config, admin::Request::LockoutsClear { user: name })
                }
            };
            runtime()?.block_on(admin_command(&config, req))
        }
        Command::Audit {
            user,
            since,
            json,
            limit,
            config,
        } => {
            let since = match since {
                Some(s) => portcullis::audit::parse_since(&s, portcullis::app::now())
                    .map_err(|e| Failure(2, anyhow!("--since: {e}")))?,
                None => 0,
            };
            let req = admin::Request::Audit { user, since, limit };
            runtime()?.block_on(async {
                let config = load_config(&config.config)?;
                match admin_request(&config, req).await? {
                    admin::Response::Audit(events) if json => {
                        println!("{}", serde_json::to_string_pretty(&events)?);
                        Ok(())
                    }
                    admin::Response::Audit(events) => {
                        for e in &events {
                            println!("{}", portcullis::audit::format_text(e));
                        }
                        Ok(())
                    }
                    admin::Response::Error { message } => Err(Failure(1, anyhow!(message))),
                    _ => Err(Failure(1, anyhow!("unexpected answer from the gateway"))),
                }
            })
        }
    }
}

async fn serve(config: Config, banner: Option<String>) -> Result<(), Failure> {
    let server = Server::start(config).await.map_err(|e| match e {
        // A certificate or key that does not load is the operator's to fix, like a bad config.
        e @ server::StartError::Tls(_) => Failure(2, e.into()),
        e => Failure(1, e.into()),
    })?;
    let scheme = if server.app().config.server.tls_cert.is_some() {
        "https (h2, http/1.1)"
    } else {
        "http/1.1"
    };
    for addr in &server.addrs {
        tracing::info!(%addr, scheme, "listening");
    }
    if let Some(addr) = server.metrics_addr {
        tracing::info!(%addr, "metrics at http://{addr}/metrics");
    }
    {
        // Who may open the admin page: `[admin] groups` defaults to "admins", which may be a
        // group of the users file that meant something else before.
        let app = server.app();
        let users = app.users();
        let admins = users
            .iter()
            .filter(|u| !u.disabled && portcullis::web::admin::is_admin(&app, u))
            .count();
        let groups = app.config.admin.groups.join(", ");
        tracing::info!(admins, groups = %groups, "admin page at {}/admin for {admins} users in [admin] groups", app.prefix());
    }
    if let Some(b) = banner {
        // Not println!: a server must not stop because whoever read its stdout went away.
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "{b}");
    }
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut shutdown = std::pin::pin!(server::shutdown_signal());
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = hangup.recv() => {
                tracing::info!("SIGHUP received");
                // Refused or not, the outcome is logged; the running configuration keeps serving.
                let _ = server.reload().await;
            }
        }
    }
    tracing::info!("signal received");
    server.stop();
    server.wait().await;
    Ok(())
}

/// `portcullis reload`: asks the running gateway, through its admin socket, to re-read its files.
/// A file that does not validate is reported here (exit 2) and the gateway is not asked.
async fn reload(path: &Path) -> Result<(), Failure> {
    let config = config::load(path, &ProcessEnv).map_err(|e| {
        Failure(
            2,
            anyhow!("{e}\nnot reloaded: the running gateway keeps its configuration"),
        )
    })?;
    let socket = &config.server.admin_socket;
    match admin::call(socket, &admin::Request::Reload).await? {
        None => Err(Failure(
            1,
            anyhow!(
                "no gateway is running (nothing answers on {})",
                socket.display()
            ),
        )),
        Some(admin::Response::Done { message }) => {
            println!("{message}");
            Ok(())
        }
        Some(admin::Response::Error { message }) => Err(Failure(1, anyhow!(message))),
        Some(_) => Err(Failure(1, anyhow!("unexpected answer from the gateway"))),
    }
}

async fn demo(listen: SocketAddr) -> Result<(), Failure> {
    let dir = tempfile::Builder::new()
        .prefix("portcullis-demo-")
        .tempdir()?;
    let upstream = server::demo::start_whoami().await?;
    let (path, password) = server::demo::write_files(dir.path(), listen, upstream)?;
    let config = load_config(&path)?;
    let site = config
        .server
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let banner = format!(
        "\n  Portcullis demo\n  open      {site}/\n  user      demo\n  password  {password}\n  admin     {site}/.portcullis/admin (after signing in)\n  mail      {} (e-mailed codes arrive here as .eml files)\n  data      {} (removed on exit)\n",
        dir.path().join("mail").display(),
        dir.path().display()
    );
    serve(config, Some(banner)).await
}

/// `migrate --to URL`: the redb file of `[storage] path` into PostgreSQL, once.
fn migrate(config: &ConfigArg, to: &str) -> Result<(), Failure> {
    let config = load_config(&config.config)?;
    let path = &config.storage.path;
    if !path.is_file() {
        return Err(Failure(
            1,
            anyhow!("no redb store at {} ([storage] path)", path.display()),
        ));
    }
    if let Err(why) = portcullis::store::postgres::check_url(to) {
        return Err(Failure(2, anyhow!("--to: {why}")));
    }
    let from = Store::open(path).map_err(|e| {
        Failure(
            1,
            anyhow!("{e} (stop the gateway that uses it before migrating)"),
        )
    })?;
    let shown = portcullis::store::postgres::redacted(to);
    let password = config.storage.password.as_ref().map(|p| p.expose());
    let into = Store::connect(to, password).map_err(|e| {
        let hint = if e.to_string().contains("password missing") {
            " (give it with [storage] password_file or PORTCULLIS_DATABASE_PASSWORD)"
        } else {
            ""
        };
        Failure(1, anyhow!("{e}{hint}"))
    })?;
    let source = std::fs::canonicalize(path)?.display().to_string();
    let copied = from
        .copy_into(&into)
        .map_err(|e| Failure(1, anyhow!("nothing was copied: {e}")))?;
    if copied.first_time {
        println!("copied {source} into {shown}:\n{copied}");
        println!("next: give every replica this gateway's storage key and session secret (storage.key and session.key in {}, unless they were given in the config), set [storage] url = \"{shown}\", then start them", config.storage.data_dir().display());
    } else {
        println!("{source} was copied into {shown} before: nothing copied this time");
    }
    Ok(())
}

/// Through the admin socket when the server runs, else on the database directly.
async fn admin_request(config: &Config, req: admin::Request) -> Result<admin::Response, Failure> {
    if let Some(r) = admin::call(&config.server.admin_socket, &req).await? {
        return Ok(r);
    }
    let store = Store::from_config(&config.storage).map_err(|e| {
        Failure(
            1,
            anyhow!(
                "{e} (is a gateway running without its admin socket {}?)",
                config.server.admin_socket.display()
            ),
        )
    })?;
    Ok(admin::execute(&store, &req, |_, _| {})?)
}

async fn mfa(cmd: MfaCommand) -> Result<(), Failure> {
    let (config, req) = match cmd {
        MfaCommand::Status { name, config } => (config, admin::Request::MfaStatus { user: name }),
        MfaCommand::Reset { name, config } => (config, admin::Request::MfaReset { user: name }),
    };
    admin_command(&config, req).await
}

fn rfc3339(t: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
        .to_string()
}

/// Runs an admin request and prints its answer.
async fn admin_command(config: &ConfigArg, req: admin::Request) -> Result<(), Failure> {
    let config = load_config(&config.config)?;
    match admin_request(&config, req).await? {
        admin::Response::Lockouts(list) => {
            if list.is_empty() {
                println!("no account is locked");
            }
            for (user, until) in list {
                println!("{user}\tlocked until {}", rfc3339(until));
            }
            Ok(())
        }
        admin::Response::Devices(list) => {
            if list.is_empty() {
                println!("no trusted devices");
            }
            for d in list {
                println!(
                    "{}\t{}\tlast used {}\tfrom {}\t{}",
                    d.id,
                    d.user,
                    rfc3339(d.last_used),
                    d.ip,
                    d.user_agent
                );
            }
            Ok(())
        }
        admin::Response::MfaStatus(s) => {
            let since = s
                .enrolled_at
                .map(|t| {
                    format!(
                        " since {}",
                        humantime::format_rfc3339_seconds(
                            std::time::UNIX_EPOCH + std::time::Duration::from_secs(t)
                        )
                    )
                })
                .unwrap_or_default();
            let passkeys = match (s.passkeys, s.passkeys_blocked) {
                (0, 0) => String::new(),
                (n, 0) => format!("; {n} passkey(s)"),
                (n, b) => format!("; {n} passkey(s), {b} blocked (signature counter went back)"),
            };
            println!(
                "{}: authenticator {}{since}; {} backup codes left{passkeys}",
                s.user, s.totp, s.backup_codes_left
            );
            Ok(())
        }
        admin::Response::Done { message } => {
            println!("{message}");
            Ok(())
        }
        admin::Response::Audit(events) => {
            for e in &events {
                println!("{}", portcullis::audit::format_text(e));
            }
            Ok(())
        }
        admin::Response::Stats(s) => {
            print!("{}", s.to_text(rfc3339));
            Ok(())
        }
        admin::Response::Error { message } => Err(Failure(1, anyhow!(message))),
    }
}

fn check(path: &Path) -> Result<(), Failure> {
    let config = load_config(path)?;
    let summary = portcullis::cli::check(&config).map_err(|e| Failure(2, anyhow!("{e}")))?;
    print!("{summary}");
    Ok(())
}

fn read_password(from_stdin: bool) -> Result<String, Failure> {
    if !from_stdin && std::io::stdin().is_terminal() {
        eprint!("Password (input is shown): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if pw.is_empty() {
        return Err(Failure(2, anyhow!("empty password")));
    }
    Ok(pw)
}

fn users_file(config: &ConfigArg) -> Result<PathBuf, Failure> {
    Ok(load_config(&config.config)?.users.file)
}

fn user(cmd: UserCommand) -> Result<(), Failure> {
    match cmd {
        UserCommand::Add {
            name,
            email,
            display_name,
            groups,
            password_stdin,
            config,
        } => {
            let file = users_file(&config)?;
            let (pw, generated) = if password_stdin {
                (read_password(true)?, false)
            } else {
                (portcullis::cli::random_password(), true)
            };
            let new = users::NewUser {
                name: name.clone(),
                password_hash: password::hash(&pw)?,
                email,
                display_name,
                groups: groups.into_iter().filter(|g| !g.is_empty()).collect(),
            };
            users::add_user(&file, new).map_err(|e| Failure(2, anyhow!("{e}")))?;
            if generated {
                println!("added {name}; password: {pw}");
            } else {
                println!("added {name}");
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
            config,
        } => {
            let file = users_file(&config)?;
            let pw = read_password(password_stdin)?;
            users::set_password(&file, &name, &password::hash(&pw)?)
                .map_err(|e| Failure(2, anyhow!("{e}")))?;
            println!("password of {name} changed; their sessions end within 2 s");
        }
        UserCommand::List(config) => {
            let file = users_file(&config)?;
            let db = users::UserDb::load(&file).map_err(|e| Failure(2, anyhow!("{e}")))?;
            print!("{}", portcullis::cli::list_users(&db));
        }
        UserCommand::Remove { name, config } => {
            let loaded = load_config(&config.config)?;
            users::remove_user(&loaded.users.file, &name)
                .map_err(|e| Failure(2, anyhow!("{e}")))?;
            // Their factors, devices and sessions go too: a later user of the same name must not
            // inherit a passkey (which signs in alone with `passwordless`) or an authenticator.
            let reset = admin::Request::MfaReset { user: name.clone() };
            if let Err(Failure(code, e)) = runtime()?.block_on(admin_request(&loaded, reset)) {
                return Err(Failure(
                    code,
                    anyhow!("removed {name} from the users file, but their factors could not be forgotten: {e}; run `portcullis mfa reset {name}` before the name is used again"),
                ));
            }
            println!("removed {name}, with their factors, trusted devices and sessions");
        }
        UserCommand::Disable { name, config } => {
            let file = users_file(&config)?;
            users::set_disabled(&file, &name, true).map_err(|e| Failure(2, anyhow!("{e}")))?;
            println!("disabled {name}; their sessions end within 2 s");
        }
        UserCommand::Enable { name, config } => {
            let file = users_file(&config)?;
            users::set_disabled(&file, &name, false).map_err(|e| Failure(2, anyhow!("{e}")))?;
            println!("enabled {name}; they may sign in again within 2 s");
        }
    }
    Ok(())
}

/// `portcullis health`: GET `{base}{prefix}/readyz` within 5 s.
async fn health(url: Option<String>, config: &Path) -> Result<(), Failure> {
    let loaded = config::load(config, &ProcessEnv);
    let prefix = loaded
        .as_ref()
        .map_or("/.portcullis".to_owned(), |c| c.server.prefix.clone());
    let explicit = url.is_some();
    let base = match (url, &loaded) {
        (Some(u), _) => u.trim_end_matches('/').to_owned(),
        (None, Ok(c)) => portcullis::cli::local_base_url(c),
        (None, Err(e)) => {
            return Err(Failure(
                2,
                anyhow!("{e}\n(health finds the gateway's address in the config; or give --url)"),
            ))
        }
    };
    let target = format!("{base}{prefix}/readyz");
    // The gateway's own listener, found from its config, is asked over loopback with whatever
    // certificate it serves (its name is public_url's, not 127.0.0.1): like kubelet's HTTPS
    // probes, the question carries no credential and its answer opens nothing. A --url is
    // verified as usual. Never through HTTP(S)_PROXY: the answer must be the gateway's own.
    let own_listener = !explicit && base.starts_with("https://");
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(own_listener)
        .no_proxy()
        .build()
        .map_err(|e| Failure(1, anyhow!("{e}")))?;
    match client.get(&target).send().await {
        Ok(r) if r.status() == reqwest::StatusCode::OK => {
            println!("ready: {target}");
            Ok(())
        }
        Ok(r) => Err(Failure(
            1,
            anyhow!("not ready: {target} answered {}", r.status()),
        )),
        Err(e) => {
            // The whole chain: "error sending request" alone hides a refused certificate.
            let e = e.without_url();
            let mut why = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                why.push_str(&format!(": {s}"));
                source = s.source();
            }
            Err(Failure(1, anyhow!("not ready: {target}: {why}")))
        }
    }
}
