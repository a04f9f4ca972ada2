//! A throwaway PostgreSQL cluster for the tests of the shared store: `initdb` in a temporary
//! directory and `pg_ctl` on a free port, as a user other than root (PostgreSQL refuses to run
//! as root). Debian's `postgresql` package provides the programs; `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::free_port;

/// A running cluster; stopped (immediately) when dropped.
pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    /// The user the server runs as, when the tests run as root.
    run_as: Option<&'static str>,
    _dir: tempfile::TempDir,
}

/// The directory of `initdb` and `pg_ctl`: on PATH, else Debian's versioned directory.
fn bin_dir() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|d| d.join("initdb").is_file());
    let debian = || {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|d| d.join("initdb").is_file())
            .collect();
        dirs.sort_by_key(|d| {
            d.parent()
                .and_then(|v| v.file_name())
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u32>().ok())
        });
        dirs.pop()
    };
    on_path.or_else(debian).expect(
        "PostgreSQL's initdb must be installed (Debian package postgresql; .ci/run installs it)",
    )
}

impl Postgres {
    pub fn start() -> Postgres {
        let bin = bin_dir();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        // SAFETY: geteuid has no preconditions and cannot fail.
        let run_as = (unsafe { libc::geteuid() } == 0).then_some("nobody");
        if run_as.is_some() {
            // The server's user must own its directories; nobody is uid/gid 65534 on Debian.
            for d in [dir.path(), data.as_path()] {
                std::os::unix::fs::chown(d, Some(65534), Some(65534)).unwrap();
            }
        }
        let mut pg = Postgres {
            port: free_port(),
            bin,
            data,
            run_as,
            _dir: dir,
        };
        let init = pg.run(
            "initdb",
            &[
                "-D",
                pg.data_str(),
                "-U",
                "portcullis",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        assert!(init.status.success(), "initdb failed: {}", text(&init));
        // The port was free when chosen; another process may have taken it since: choose again.
        for _ in 0..4 {
            match pg.try_start() {
                Ok(()) => return pg,
                Err(log) if log.contains("could not bind") || log.contains("in use") => {
                    pg.port = free_port();
                }
                Err(log) => {
                    pg.run_as = None; // nothing to stop
                    panic!("PostgreSQL did not start: {log}");
                }
            }
        }
        pg.start_again();
        pg
    }

    /// Starts the (stopped) cluster again on the same port and data.
    pub fn start_again(&mut self) {
        if let Err(log) = self.try_start() {
            self.run_as = None; // nothing to stop
            panic!("PostgreSQL did not start: {log}");
        }
    }

    /// Starts the cluster on `self.port`; the output and server log when it did not start.
    fn try_start(&self) -> Result<(), String> {
        let log = self.data.join("server.log");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data_str()
        );
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                self.data_str(),
                "-l",
                &log.display().to_string(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        if started.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        Err(format!("{}\n{log}", text(&started)))
    }

    /// Stops the cluster at once (connections are cut, as in a crash or a failover); its data
    /// stays for [`Postgres::start_again`].
    pub fn stop(&self) {
        let out = self.run(
            "pg_ctl",
            &["-D", self.data_str(), "-m", "immediate", "-w", "stop"],
        );
        assert!(out.status.success(), "pg_ctl stop: {}", text(&out));
    }

    /// Restarts the cluster the way an operator's `systemctl restart` does (fast shutdown).
    pub fn restart(&self) {
        let log = self.data.join("server.log");
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                self.data_str(),
                "-l",
                &log.display().to_string(),
                "-m",
                "fast",
                "-w",
                "restart",
            ],
        );
        assert!(out.status.success(), "pg_ctl restart: {}", text(&out));
    }

    /// `postgres://portcullis@127.0.0.1:PORT/postgres`
    pub fn url(&self) -> String {
        format!("postgres://portcullis@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs `sql` with psql over TCP; its output, unaligned and without headers.
    pub fn psql(&self, sql: &str) -> String {
        // Debian keeps psql beside initdb; other installs have it on PATH only.
        let psql = Some(self.bin.join("psql"))
            .filter(|p| p.is_file())
            .unwrap_or_else(|| PathBuf::from("psql"));
        let out = Command::new(psql)
            .args(["-d", &self.url(), "-X", "-A", "-t", "-c", sql])
            .output()
            .unwrap();
        assert!(out.status.success(), "psql failed: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn data_str(&self) -> &str {
        self.data.to_str().unwrap()
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let path = self.bin.join(program);
        let mut cmd = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        // The server's user may not be able to enter the tests' working directory.
        cmd.current_dir(Path::new("/")).args(args).output().unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data_str().to_owned();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_throwaway_cluster_starts_answers_sql_and_stops() {
    let pg = Postgres::start();
    assert_eq!(pg.psql("select 1 + 1"), "2");
    assert_eq!(pg.psql("show listen_addresses"), "127.0.0.1");
    let port = pg.port;
    drop(pg);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the cluster stopped with its Postgres"
    );
}
