//! Test harness: a scratch store in a temp dir and the real `plurum` binary.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("plurum.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The folder `PLURUM_HOME` points at: the config file and default store live here.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The folder `HOME` points at, so nothing under the developer's home is read.
    pub fn user_home(&self) -> PathBuf {
        self.dir.path().join("user-home")
    }

    /// Gives `cmd` this env's variables: its store, its `PLURUM_HOME` and `HOME`, offline,
    /// an empty Hugging Face cache, and the model when the test run provides one. For
    /// commands that run `plurum` through another program (`setpriv`, `script`, a shell);
    /// start them from [`clean_command`].
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env("PLURUM_DB", self.db())
            .env("PLURUM_HOME", self.home())
            .env("HOME", self.user_home())
            .env("PLURUM_OFFLINE", "1")
            .env("HF_HOME", self.dir.path().join("hf"));
        if let Some(dir) = run_model_dir() {
            cmd.env("PLURUM_MODEL_DIR", dir);
        }
        cmd
    }

    /// A `plurum` command against this env's store, isolated from the user's environment
    /// and config: nothing but PATH comes from the test process (see [`clean_command`]).
    /// The embedding model comes from PLURUM_MODEL_DIR when the test run provides one.
    pub fn cmd(&self) -> Command {
        let mut cmd = clean_command(BIN);
        self.apply(&mut cmd).stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run plurum")
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn plurum");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().expect("wait plurum")
    }

    /// Runs with --json, asserts success, returns the parsed document.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert_ok(&out, args);
        parse(&out.stdout)
    }

    /// Runs with --json, asserts the given exit code, returns the parsed error envelope.
    pub fn json_err(&self, args: &[&str], code: i32) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.starts_with('{'))
            .unwrap_or_else(|| panic!("no JSON error on stderr: {stderr}"));
        serde_json::from_str(line).expect("error envelope is JSON")
    }

    /// Publishes one experience from JSON and returns the detail document.
    pub fn publish(&self, experience: &Value) -> Value {
        let file = self.path(&format!("in-{}.json", rand_suffix()));
        std::fs::write(&file, experience.to_string()).unwrap();
        self.json(&["publish", "--file", file.to_str().unwrap()])
    }
}

/// The `plurum` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_plurum");

/// A command for `program` that inherits nothing from the test process's environment but
/// PATH (and LLVM_PROFILE_FILE, which only says where coverage goes): a developer's
/// `PLURUM_*`, `HF_*`, `*_PROXY`, `HOME` or `XDG_*` cannot change what a test sees.
pub fn clean_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear();
    for keep in ["PATH", "LLVM_PROFILE_FILE"] {
        if let Some(value) = std::env::var_os(keep) {
            cmd.env(keep, value);
        }
    }
    cmd
}

/// A `plurum` command with a clean environment (see [`clean_command`]) and a `HOME` and
/// `PLURUM_HOME` that do not exist, for commands that need no store (`completions`, `skill`).
pub fn plurum() -> Command {
    let nowhere = std::env::temp_dir().join("plurum-test-home-that-does-not-exist");
    let mut cmd = clean_command(BIN);
    cmd.env("HOME", &nowhere)
        .env("PLURUM_HOME", &nowhere)
        .env("PLURUM_OFFLINE", "1")
        .stdin(Stdio::null());
    cmd
}

/// PLURUM_MODEL_DIR as the test run sets it (empty counts as unset).
fn run_model_dir() -> Option<std::ffi::OsString> {
    std::env::var_os("PLURUM_MODEL_DIR").filter(|d| !d.is_empty())
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

pub fn assert_ok(out: &Output, what: &[&str]) {
    assert!(
        out.status.success(),
        "{what:?} failed with {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// A realistic experience in the API's request shape.
pub fn sample(goal: &str) -> Value {
    serde_json::json!({
        "goal": goal,
        "domain": "deployment",
        "tools_used": ["docker", "aws-cli"],
        "context": "Python 3.11, FastAPI 0.110, ECS Fargate in eu-west-1",
        "dead_ends": [{"what": "Tried Fargate Spot", "why": "Too many interruptions"}],
        "breakthroughs": [{"insight": "Multi-stage builds cut the image by 80%", "detail": "Build wheels in a builder stage", "importance": "high"}],
        "gotchas": ["Health check path must match the container port", {"warning": "ALB idle timeout is 60 s", "context": "long polling"}],
        "artifacts": [{"language": "dockerfile", "code": "FROM python:3.11-slim AS build\nRUN pip wheel -w /w .\n", "description": "Multi-stage Dockerfile"}],
        "solution": "Multi-stage image on Fargate on-demand behind an ALB",
        "tags": ["aws", "docker", "fastapi"],
        "confidence": 0.8,
        "outcome": "success"
    })
}

pub fn sha256_file(path: &Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).unwrap();
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// The embedding model directory the test run provides (scripts/test.sh sets it from
/// scripts/fetch-model.sh). Tests that need the real model fail loudly without it.
pub fn model_dir() -> PathBuf {
    match run_model_dir() {
        Some(d) => PathBuf::from(d),
        None => panic!(
            "PLURUM_MODEL_DIR is not set: run the tests with scripts/test.sh (it runs scripts/fetch-model.sh)"
        ),
    }
}

impl Env {
    /// A command that cannot find any model: no directory, empty HF cache, offline.
    pub fn cmd_without_model(&self) -> Command {
        let mut cmd = self.cmd();
        cmd.env_remove("PLURUM_MODEL_DIR");
        cmd
    }

    /// Like `json`, with the real model guaranteed.
    pub fn json_with_model(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .env("PLURUM_MODEL_DIR", model_dir())
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        assert_ok(&out, args);
        parse(&out.stdout)
    }
}

/// Which store a `plurum serve` under test keeps: its SQLite file, or a Postgres database
/// (`--database`, a fresh one per server from [`PgDatabase::create`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named test (a `fn(Backend)`) against both stores of `plurum serve`, as
/// `NAME::sqlite` and `NAME::postgres`: every assertion holds for a server on SQLite and on
/// Postgres.
macro_rules! both_backends {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {$(
        $(#[$attr])*
        mod $name {
            use crate::common::Backend;
            #[test]
            fn sqlite() {
                super::$name(Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name(Backend::Postgres)
            }
        }
    )*};
}
pub(crate) use both_backends;

/// The Postgres server the test run provides (scripts/test.sh starts one with
/// scripts/postgres.sh and exports its URL). Tests that need it fail loudly without it.
pub fn test_pg_url() -> String {
    match std::env::var("PLURUM_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => url,
        None => panic!(
            "PLURUM_TEST_PG is not set: run the tests with scripts/test.sh (it starts Postgres with scripts/postgres.sh)"
        ),
    }
}

/// The second Postgres server of the test run: pgvector 0.6.2, which has no iterative index
/// scans, so plurum ranks vectors exactly there (scripts/test.sh starts it too).
pub fn test_pg_exact_url() -> String {
    match std::env::var("PLURUM_TEST_PG_EXACT")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => url,
        None => panic!(
            "PLURUM_TEST_PG_EXACT is not set: run the tests with scripts/test.sh (it starts Postgres with pgvector 0.6.2 too)"
        ),
    }
}

/// A fresh database on the test run's Postgres server, with the `vector` extension,
/// dropped (connections and all) when this is dropped.
pub struct PgDatabase {
    pub url: String,
    pub name: String,
    admin: String,
}

impl PgDatabase {
    /// The same database for a server to use, left in place when that one is dropped (the
    /// caller's drops it).
    pub fn borrowed(&self) -> std::sync::Arc<PgDatabase> {
        std::sync::Arc::new(PgDatabase {
            url: self.url.clone(),
            name: self.name.clone(),
            admin: String::new(),
        })
    }

    pub fn create() -> PgDatabase {
        PgDatabase::create_on(test_pg_url())
    }

    /// A fresh database on the server of `admin` (a URL of its admin database).
    pub fn create_on(admin: String) -> PgDatabase {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "plurum_t_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test Postgres at {admin}: {e}"));
        // Concurrent CREATE DATABASEs may collide on the template; try a few times.
        let mut tries = 0;
        while let Err(e) = client.batch_execute(&format!("CREATE DATABASE {name}")) {
            tries += 1;
            assert!(tries < 10, "CREATE DATABASE {name}: {e}");
            std::thread::sleep(Duration::from_millis(200));
        }
        let base = &admin[..admin.rfind('/').expect("a URL with a database")];
        let url = format!("{base}/{name}");
        postgres::Client::connect(&url, postgres::NoTls)
            .unwrap()
            .batch_execute("CREATE EXTENSION IF NOT EXISTS vector")
            .unwrap();
        PgDatabase { url, name, admin }
    }

    /// A client on the server's admin database (to create, drop, or shut out this one).
    pub fn admin_client(&self) -> postgres::Client {
        let admin = if self.admin.is_empty() {
            test_pg_url() // a borrowed handle: on the test run's server
        } else {
            self.admin.clone()
        };
        postgres::Client::connect(&admin, postgres::NoTls).unwrap()
    }

    /// A client on this database.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if self.admin.is_empty() {
            return; // a borrowed handle (Server::launch_on): its owner drops the database
        }
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A Postgres server of one test's own (a cluster under .cache/postgres, on a free port),
/// for a test that stops and starts it; the shared one of `PLURUM_TEST_PG` must stay up for
/// the other tests. Started and stopped with scripts/postgres.sh; stopped and deleted when
/// dropped.
pub struct PrivatePostgres {
    pub url: String,
    data: PathBuf,
}

impl PrivatePostgres {
    pub fn start() -> PrivatePostgres {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = root.join(format!(
            ".cache/postgres/test-cluster-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let mut pg = PrivatePostgres {
            url: String::new(),
            data,
        };
        // The script picks a port no one listens on and keeps it for start_again.
        pg.url = pg.script("start");
        pg
    }

    /// A fast shutdown, as `pg_ctl restart` begins: sessions are cut, the server is gone.
    pub fn stop(&self) {
        self.script("stop");
    }

    /// Started again, on the same port and data.
    pub fn start_again(&self) {
        assert_eq!(self.script("start"), self.url);
    }

    /// The server's processes: the postmaster (from postmaster.pid) and its children.
    fn processes(&self) -> Vec<u32> {
        let Some(postmaster) = std::fs::read_to_string(self.data.join("postmaster.pid"))
            .ok()
            .and_then(|f| f.lines().next()?.trim().parse::<u32>().ok())
        else {
            return Vec::new();
        };
        let mut pids = vec![postmaster];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(postmaster) {
                pids.push(pid);
            }
        }
        pids
    }

    /// Stops every process of the server (SIGSTOP), postmaster first: connections are still
    /// accepted by the kernel, and nothing answers, as with a wedged or paused server.
    pub fn freeze(&self) {
        for pid in self.processes() {
            send_signal(pid, libc::SIGSTOP);
        }
    }

    /// Lets a frozen server go on.
    pub fn thaw(&self) {
        for pid in self.processes() {
            send_signal(pid, libc::SIGCONT);
        }
    }

    fn script(&self, what: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(root.join("scripts/postgres.sh"))
            .arg(what)
            .env("PLURUM_PG_DATA", &self.data)
            .env_remove("PLURUM_PG_PORT")
            .output()
            .expect("run scripts/postgres.sh");
        assert!(
            out.status.success(),
            "scripts/postgres.sh {what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        // A test that failed while the server was frozen: thawed, or it could not stop.
        for pid in self.processes() {
            // SAFETY: kill(2); a process that is gone only makes it fail.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGCONT);
            }
        }
        if self.data.exists() {
            let _ = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/postgres.sh"))
                .arg("stop")
                .env("PLURUM_PG_DATA", &self.data)
                .output();
            let _ = std::fs::remove_dir_all(&self.data);
        }
    }
}

/// A running `plurum serve`, killed when dropped. Its stderr (the start-up line and one line
/// per request) goes to `log`.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub env: Env,
    pub port: u16,
    /// Extra `plurum serve` arguments (rate-limit settings).
    pub args: Vec<String>,
    /// The Postgres database it serves (`--database`), shared with other servers started
    /// with [`Server::start_sharing`]; `None` for the SQLite store.
    pub database: Option<std::sync::Arc<PgDatabase>>,
    pub log: PathBuf,
}

/// A port nothing listens on, for the duration of the returned guard: a socket bound to it
/// but never listening, so connections to it are refused and no other test can take it.
/// (A port found free and released again may be taken by another test meanwhile.)
pub struct ClosedPort {
    fd: i32,
    pub port: u16,
}

impl ClosedPort {
    pub fn new() -> ClosedPort {
        // SAFETY: plain socket calls on a socket of our own, checked.
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
            addr.sin_port = 0;
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            let rc = libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len);
            assert_eq!(rc, 0, "bind: {}", std::io::Error::last_os_error());
            let mut bound: libc::sockaddr_in = std::mem::zeroed();
            let mut bound_len = len;
            let rc = libc::getsockname(
                fd,
                &mut bound as *mut _ as *mut libc::sockaddr,
                &mut bound_len,
            );
            assert_eq!(rc, 0, "getsockname: {}", std::io::Error::last_os_error());
            ClosedPort {
                fd,
                port: u16::from_be(bound.sin_port),
            }
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for ClosedPort {
    fn drop(&mut self) {
        // SAFETY: our own descriptor, closed once.
        unsafe {
            libc::close(self.fd);
        }
    }
}

/// The variable that makes `plurum` stop itself (SIGSTOP) at a named point, for tests that
/// must land a signal there (src/test_pause.rs): `NAME` or `NAME#N` for the Nth time.
pub const PAUSE_AT: &str = plurum::test_pause::VAR;

/// The state letter of process `pid` in /proc (`T`: stopped).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

/// Waits until `child` has stopped itself at its pause point; fails if it ends first. No
/// deadline short of ten minutes: on a busy machine reaching the point may take long, and
/// the point, not the time, is what the test needs. (By /proc alone, so a shared `&Child`
/// will do.)
pub fn wait_paused(child: &Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        match process_state(child.id()) {
            Some('T') => return,
            None | Some('Z') | Some('X') => panic!("{what}: ended before its pause point"),
            _ => {}
        }
        assert!(
            Instant::now() < deadline,
            "{what}: did not reach its pause point in 600 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Sends `signal` (libc::SIGINT, …) to process `pid`.
pub fn send_signal(pid: u32, signal: i32) {
    // SAFETY: kill(2) on a child of ours.
    let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(
        rc,
        0,
        "kill({pid}, {signal}): {}",
        std::io::Error::last_os_error()
    );
}

/// Gives the process `cmd` starts the default action for SIGINT, whatever this test process
/// inherited: a shell ignores SIGINT in what it runs in the background (`nohup`, `&`, some
/// CI runners), and that disposition passes down to every child, so a Ctrl-C test would
/// see its SIGINT ignored and the command run to the end.
pub fn default_sigint(cmd: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: signal(2) is async-signal-safe, as pre_exec requires.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        })
    }
}

/// Lets a paused process go on; a signal sent while it was stopped acts now.
pub fn resume(pid: u32) {
    send_signal(pid, libc::SIGCONT);
}

/// Waits for `child` to end, for at most ten minutes.
pub fn wait_exit(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: still running after 600 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

impl Server {
    /// A server without rate limits (tests send far more than the hosted budgets).
    pub fn start() -> Server {
        Server::start_with(&["--no-rate-limits"])
    }

    pub fn start_with(args: &[&str]) -> Server {
        Server::start_on_with(Backend::Sqlite, args)
    }

    /// A server without rate limits on `backend`.
    pub fn start_on(backend: Backend) -> Server {
        Server::start_on_with(backend, &["--no-rate-limits"])
    }

    pub fn start_on_with(backend: Backend, args: &[&str]) -> Server {
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(std::sync::Arc::new(PgDatabase::create())),
        };
        Server::launch(database, args)
    }

    /// A second server (its own process, port and home) on the same Postgres database.
    pub fn start_sharing(other: &Server, args: &[&str]) -> Server {
        let database = other.database.clone();
        assert!(database.is_some(), "only a Postgres store can be shared");
        Server::launch(database, args)
    }

    /// A server without rate limits on this database (which the caller keeps).
    pub fn launch_on(database: &PgDatabase) -> Server {
        Server::launch_on_url(&database.url, &database.name)
    }

    /// A server without rate limits on the database at `url` (which the caller keeps).
    pub fn launch_on_url(url: &str, name: &str) -> Server {
        Server::launch(
            Some(std::sync::Arc::new(PgDatabase {
                url: url.to_string(),
                name: name.to_string(),
                admin: String::new(),
            })),
            &["--no-rate-limits"],
        )
    }

    fn launch(database: Option<std::sync::Arc<PgDatabase>>, args: &[&str]) -> Server {
        Server::launch_with(database, args, &[])
    }

    /// A server without rate limits on `backend` that stops itself at a pause point
    /// (see [`PAUSE_AT`]); a restart runs without it.
    pub fn start_paused_at(backend: Backend, point: &str) -> Server {
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(std::sync::Arc::new(PgDatabase::create())),
        };
        Server::launch_with(database, &["--no-rate-limits"], &[(PAUSE_AT, point)])
    }

    /// Starts `plurum serve` on a port the server picks itself (`--addr 127.0.0.1:0`, read
    /// back from its start-up line), so no other test can take it first.
    fn launch_with(
        database: Option<std::sync::Arc<PgDatabase>>,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Server {
        let mut s = Server::spawn(database, args, envs);
        s.wait_started();
        s
    }

    /// Starts `plurum serve` without waiting for it (it may stop itself at a pause point
    /// during start-up); [`Server::wait_started`] waits.
    pub fn spawn(
        database: Option<std::sync::Arc<PgDatabase>>,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Server {
        let env = Env::new();
        let log = env.path("serve.log");
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let child = spawn_server(&env, 0, &args, database.as_deref(), &log, envs);
        Server {
            child,
            url: String::new(),
            env,
            port: 0,
            args,
            database,
            log,
        }
    }

    /// Waits until a spawned server listens and answers.
    pub fn wait_started(&mut self) {
        self.port = self.wait_for_port();
        self.url = format!("http://127.0.0.1:{}", self.port);
        self.wait_ready();
    }

    /// The port from the start-up line (`plurum serve: http://127.0.0.1:PORT/api/v1 …`).
    fn wait_for_port(&mut self) -> u16 {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            if let Some(rest) = log.split("plurum serve: http://127.0.0.1:").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                return digits.parse().unwrap();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("plurum serve exited early ({status}):\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "plurum serve printed no address within 300 s:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The same server again (same store, port and arguments), after a kill if it runs.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = spawn_server(
            &self.env,
            self.port,
            &self.args,
            self.database.as_deref(),
            &self.log,
            &[],
        );
        self.wait_ready();
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits until `/health` answers. Long: on a busy machine a start (loading the model)
    /// may take a while; a server that exits fails at once.
    pub fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(300);
        while Instant::now() < deadline {
            if ureq::get(&format!("{}/health", self.url))
                .timeout(Duration::from_secs(30))
                .call()
                .is_ok()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "plurum serve exited early ({status}):\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("plurum serve did not answer /health within 300 s");
    }

    /// Each request the server answered, from its log: (start, end) in seconds of the day,
    /// method, path and status. The end is the log line's time, the start that minus the
    /// latency it logs, so two servers' (one machine's clock) can be compared.
    pub fn requests(&self) -> Vec<Request> {
        parse_requests(&std::fs::read_to_string(&self.log).unwrap_or_default())
    }

    pub fn get(&self, path: &str) -> Value {
        ureq::get(&format!("{}/api/v1{path}", self.url))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }

    /// Every experience the server has, by paging its list.
    pub fn all_experiences(&self) -> Vec<Value> {
        let mut out = Vec::new();
        loop {
            let page = self.get(&format!("/experiences?limit=100&offset={}", out.len()));
            let items = page["items"].as_array().unwrap().clone();
            let more = page["has_more"].as_bool().unwrap();
            out.extend(items);
            if !more {
                return out;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_server(
    env: &Env,
    port: u16,
    args: &[String],
    database: Option<&PgDatabase>,
    log: &Path,
    envs: &[(&str, &str)],
) -> Child {
    let mut cmd = env.cmd();
    if let Some(db) = database {
        cmd.env("PLURUM_DATABASE_URL", &db.url);
    }
    // Appended to: a restart's lines follow the first run's.
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    cmd.env("PLURUM_MODEL_DIR", model_dir())
        .envs(envs.iter().copied())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start plurum serve")
}

/// One answered request in a server's log.
#[derive(Debug, Clone)]
pub struct Request {
    pub start: f64,
    pub end: f64,
    pub method: String,
    pub uri: String,
    pub status: u16,
}

/// The answered requests in a `plurum serve` log (tower-http's "finished processing
/// request" lines, `latency=N μs`).
pub fn parse_requests(log: &str) -> Vec<Request> {
    let field = |line: &str, name: &str| -> Option<String> {
        let start = line.find(&format!("{name}="))? + name.len() + 1;
        let rest = &line[start..];
        let end = rest.find([' ', '}']).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    };
    let mut out = Vec::new();
    for line in log
        .lines()
        .filter(|l| l.contains("finished processing request"))
    {
        // 2026-01-31T17:57:15.123456Z  INFO request{method=POST uri=/api/v1/...}: ...
        let stamp = line.split_whitespace().next().unwrap();
        let clock = stamp
            .split_once('T')
            .unwrap_or_else(|| panic!("no timestamp in {line:?}"))
            .1
            .trim_end_matches('Z');
        let parts: Vec<f64> = clock.split(':').map(|p| p.parse().unwrap()).collect();
        let end = parts[0] * 3600.0 + parts[1] * 60.0 + parts[2];
        let latency: f64 = field(line, "latency")
            .unwrap_or_else(|| panic!("no latency in {line:?}"))
            .parse()
            .unwrap();
        let unit = line[line.find("latency=").unwrap()..]
            .split_whitespace()
            .nth(1)
            .unwrap_or("ms");
        let seconds = match unit {
            "μs" | "us" => latency / 1e6,
            "ns" => latency / 1e9,
            "s" => latency,
            _ => latency / 1e3,
        };
        out.push(Request {
            start: end - seconds,
            end,
            method: field(line, "method").unwrap(),
            uri: field(line, "uri").unwrap(),
            status: field(line, "status")
                .unwrap_or_else(|| panic!("no status in {line:?}"))
                .parse()
                .unwrap(),
        });
    }
    out
}

/// Asserts the hosted 429 for a budget of `n` per `period`, with a `Retry-After` within it.
pub fn assert_limited(r: &Reply, n: u32, period: &str, seconds: u64) {
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(
        r.body,
        serde_json::json!({"error": format!("Rate limit exceeded: {n} per 1 {period}")})
    );
    let wait: u64 = r
        .retry_after
        .as_deref()
        .expect("a 429 carries Retry-After")
        .parse()
        .unwrap();
    assert!((1..=seconds).contains(&wait), "Retry-After: {wait}");
}

/// One HTTP call: the status, the JSON body (null when there is none) and a header.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<String>,
}

/// Paths under `/api/v1` may be given without it (`/experiences`); `/`, `/health` and
/// `/api/…` are taken as they are.
pub fn call(
    server: &Server,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let url = if path.starts_with('/')
        && !path.starts_with("/api/")
        && path != "/"
        && path != "/health"
    {
        format!("{}/api/v1{path}", server.url)
    } else {
        format!("{}{path}", server.url)
    };
    // A deadline, so a server that never answers fails the test instead of hanging it.
    let mut req = ureq::request(method, &url).timeout(Duration::from_secs(120));
    if let Some(k) = key {
        req = req.set("Authorization", &format!("Bearer {k}"));
    }
    let result = match body {
        Some(b) => req.send_json(b.clone()),
        None => req.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let status = response.status();
    let retry_after = response.header("Retry-After").map(str::to_string);
    let text = response.into_string().unwrap();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        retry_after,
    }
}

/// Registers an agent on `server` and returns its API key.
/// Creates an experience over HTTP and publishes it (asserting 201, then 200): the
/// create's answer.
pub fn create_and_publish(server: &Server, key: &str, body: &Value) -> Value {
    let created = call(server, "POST", "/experiences", Some(key), Some(body));
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap();
    let published = call(
        server,
        "POST",
        &format!("/experiences/{id}/publish"),
        Some(key),
        None,
    );
    assert_eq!(published.status, 200, "{}", published.body);
    created.body
}

pub fn register(server: &Server, username: &str) -> String {
    let r = call(
        server,
        "POST",
        "/agents/register",
        None,
        Some(&serde_json::json!({"name": format!("Agent {username}"), "username": username})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["api_key"].as_str().unwrap().to_string()
}

/// The 50 examples of `examples/experiences` (sorted by file name), published with the real
/// model by the default agent into a store made once per test process; each call copies it
/// to `env`'s store (embedding them takes seconds each time). Returns each file's stem and
/// the id its experience got.
pub fn examples_store(env: &Env) -> Vec<(String, String)> {
    use std::sync::OnceLock;
    static TEMPLATE: OnceLock<(Env, Vec<(String, String)>)> = OnceLock::new();
    let (template, ids) = TEMPLATE.get_or_init(|| {
        let template = Env::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/experiences");
        let mut files: Vec<PathBuf> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let all: String = files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap() + "\n")
            .collect();
        let out = template.run_stdin(&["--json", "publish", "--file", "-"], &all);
        assert_ok(&out, &["publish the examples"]);
        let created = parse(&out.stdout)["created"].clone();
        let ids = files
            .iter()
            .zip(created.as_array().unwrap())
            .map(|(p, e)| {
                (
                    p.file_stem().unwrap().to_string_lossy().to_string(),
                    e["id"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (template, ids)
    });
    // The publishing process has ended, so the store is one file (its WAL checkpointed).
    std::fs::create_dir_all(env.db().parent().unwrap()).unwrap();
    std::fs::copy(template.db(), env.db()).unwrap();
    ids.clone()
}

/// `plurum mcp` over a store, driven by rmcp's client on a runtime of its own: for a test
/// that asks one process many questions (the model loaded once). Ends with it.
pub struct Mcp {
    runtime: tokio::runtime::Runtime,
    client: Option<rmcp::service::RunningService<rmcp::RoleClient, ()>>,
}

impl Mcp {
    pub fn start(env: &Env) -> Mcp {
        use rmcp::ServiceExt;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut cmd = env.cmd();
        cmd.env("PLURUM_MODEL_DIR", model_dir()).arg("mcp");
        let client = runtime.block_on(async {
            let transport =
                rmcp::transport::TokioChildProcess::builder(tokio::process::Command::from(cmd))
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn plurum mcp")
                    .0;
            ().serve(transport).await.expect("MCP handshake")
        });
        Mcp {
            runtime,
            client: Some(client),
        }
    }

    /// A tool's answer (the matching CLI command's `--json` document); fails on a tool error.
    pub fn call(&self, tool: &str, args: Value) -> Value {
        let Value::Object(map) = args else {
            panic!("arguments must be an object")
        };
        let client = self.client.as_ref().unwrap();
        let result = self
            .runtime
            .block_on(client.call_tool(
                rmcp::model::CallToolRequestParams::new(tool.to_string()).with_arguments(map),
            ))
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert_ne!(result.is_error, Some(true), "{tool} failed: {result:?}");
        result.structured_content.expect("structured content")
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.cancel());
        }
    }
}
