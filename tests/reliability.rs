//! The reliability contract, with real processes on one store file:
//! - sixteen processes for about a minute (searches, publishes, reports, votes, sessions,
//!   an import and a reindex in the middle) lose nothing and never fail with a lock error;
//! - `kill -9` in the middle of import, reindex, session close and pull leaves a store that
//!   opens, passes the integrity check and holds all or none of each transaction, and
//!   running the command again completes it with no duplicates.
//!
//! Lengths: PLURUM_GATE_SECONDS (default 60) and PLURUM_CRASH_SECONDS (default 20 per
//! command). The figures go to stderr, uncaptured, so CI logs show them.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, Server, assert_ok, model_dir, parse, sample};
use serde_json::{Value, json};

fn seconds(var: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}

/// Writes a line straight to the process's stderr, past the test harness's capture.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A `plurum` command on `db` with the real model, as `agent`.
fn plurum(db: &Path, home: &Path, agent: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plurum"));
    cmd.env("PLURUM_DB", db)
        .env("PLURUM_HOME", home)
        .env("PLURUM_OFFLINE", "1")
        .env("PLURUM_MODEL_DIR", model_dir())
        .env_remove("PLURUM_JSON")
        .env_remove("PLURUM_AGENT")
        .args(["--agent", agent, "--json"])
        .stdin(Stdio::null());
    cmd
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// `plurum doctor`: integrity, and every experience with exactly its keyword row and vector.
fn assert_consistent(env: &Env, what: &str) {
    assert_eq!(integrity(&env.db()), "ok", "{what}");
    let d = env.json(&["doctor"]);
    let i = &d["indexes"];
    for key in [
        "orphan_keyword_rows",
        "missing_keyword_rows",
        "orphan_vectors",
    ] {
        assert_eq!(i[key], 0, "{what}: {key} in {d:#}");
    }
}

struct Op {
    kind: &'static str,
    ok: bool,
    ms: f64,
    error: String,
}

/// What one worker did, as it logged it.
#[derive(Default)]
struct WorkerLog {
    ops: Vec<Op>,
    /// Last outcome this worker reported per experience.
    outcomes: HashMap<String, bool>,
    /// This worker's standing vote per experience (None: withdrawn).
    votes: HashMap<String, Option<&'static str>>,
    published: Vec<String>,
    /// (session id, experience id assembled at close)
    sessions: Vec<(String, String)>,
}

const QUERIES: [&str; 6] = [
    "deploy a python api on aws containers",
    "docker image too large",
    "postgres replication lag",
    "cache dependencies in ci",
    "sqlite database is locked",
    "rotate database passwords without downtime",
];

fn worker(w: usize, db: PathBuf, home: PathBuf, shared: Vec<String>, until: Instant) -> WorkerLog {
    let agent = format!("worker-{w:02}");
    let mut rng = fastrand::Rng::with_seed(w as u64 + 1);
    let mut log = WorkerLog::default();
    let scratch = home.join(format!("{agent}.json"));
    let mut k = 0;
    while Instant::now() < until {
        k += 1;
        let mut run = |kind: &'static str, args: &[&str]| -> Option<Value> {
            let t = Instant::now();
            let out = plurum(&db, &home, &agent).args(args).output().unwrap();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let ok = out.status.success();
            log.ops.push(Op {
                kind,
                ok,
                ms,
                error: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
            ok.then(|| parse(&out.stdout))
        };
        let target = shared[rng.usize(..shared.len())].clone();
        match rng.u32(..100) {
            0..30 => {
                run(
                    "search",
                    &[
                        "search",
                        QUERIES[rng.usize(..QUERIES.len())],
                        "--limit",
                        "5",
                    ],
                );
            }
            30..45 => {
                let goal = format!("Worker {w} experience {k} about deploying services");
                std::fs::write(&scratch, sample(&goal).to_string()).unwrap();
                if let Some(e) = run("publish", &["publish", "--file", scratch.to_str().unwrap()]) {
                    log.published.push(e["id"].as_str().unwrap().to_string());
                }
            }
            45..65 => {
                let success = rng.bool();
                let flag = if success { "--success" } else { "--failure" };
                if run("outcome", &["outcome", &target, flag]).is_some() {
                    log.outcomes.insert(target, success);
                }
            }
            65..85 => {
                let dir = if rng.bool() { "up" } else { "down" };
                if run("vote", &["vote", &target, dir]).is_some() {
                    let standing = log.votes.entry(target).or_insert(None);
                    *standing = if *standing == Some(dir) {
                        None
                    } else {
                        Some(dir)
                    };
                }
            }
            _ => {
                let topic = format!("Worker {w} session {k} on database failover");
                let Some(opened) = run("session-open", &["session", "open", &topic]) else {
                    continue;
                };
                let sid = opened["session"]["id"].as_str().unwrap().to_string();
                run(
                    "session-log",
                    &[
                        "session",
                        "log",
                        &sid,
                        "dead_end",
                        "--what",
                        "manual failover",
                        "--why",
                        "too slow",
                    ],
                );
                run(
                    "session-log",
                    &[
                        "session",
                        "log",
                        &sid,
                        "breakthrough",
                        "--insight",
                        "use patroni",
                        "--detail",
                        "leader election via etcd",
                    ],
                );
                if let Some(closed) = run(
                    "session-close",
                    &["session", "close", &sid, "--outcome", "success"],
                ) {
                    let eid = closed["experience_draft"]["id"]
                        .as_str()
                        .unwrap()
                        .to_string();
                    log.sessions.push((sid, eid));
                }
            }
        }
    }
    log
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn sixteen_processes_for_a_minute_lose_nothing() {
    const WORKERS: usize = 16;
    let duration = seconds("PLURUM_GATE_SECONDS", 60);
    let env = Env::new();
    let home = env.path("home");
    std::fs::create_dir_all(&home).unwrap();

    // Twenty shared experiences everyone reports on and votes for.
    let items: Vec<Value> = (0..20)
        .map(|i| {
            sample(&format!(
                "Shared experience {i:02} on container deployments"
            ))
        })
        .collect();
    let created = env.json_with_model(&[
        "publish",
        "--file",
        &write(&env, "shared.json", &json!(items)),
    ]);
    let shared: Vec<String> = created["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    // An export of thirty other experiences, imported in the middle of the run.
    let donor = Env::new();
    let other: Vec<Value> = (0..30)
        .map(|i| sample(&format!("Imported experience {i:02} about message queues")))
        .collect();
    donor.json_with_model(&[
        "publish",
        "--file",
        &write(&donor, "other.json", &json!(other)),
    ]);
    let dump = env.path("donor.jsonl");
    donor.json(&["export", dump.to_str().unwrap()]);

    let start = Instant::now();
    let until = start + duration;
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (db, home, shared) = (env.db(), home.clone(), shared.clone());
            std::thread::spawn(move || worker(w, db, home, shared, until))
        })
        .collect();
    // The import at a third of the run, a full reindex at half of it.
    let (db, h) = (env.db(), home.clone());
    let maintenance = std::thread::spawn(move || {
        std::thread::sleep(duration / 3);
        let t = Instant::now();
        let import = plurum(&db, &h, "maintainer")
            .args(["import", dump.to_str().unwrap()])
            .output()
            .unwrap();
        let import_ms = t.elapsed().as_secs_f64() * 1000.0;
        std::thread::sleep((duration / 2).saturating_sub(start.elapsed()));
        let t = Instant::now();
        let reindex = plurum(&db, &h, "maintainer")
            .args(["reindex", "--force"])
            .output()
            .unwrap();
        (
            import,
            import_ms,
            reindex,
            t.elapsed().as_secs_f64() * 1000.0,
        )
    });
    let logs: Vec<WorkerLog> = workers.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = start.elapsed().as_secs_f64();
    let (import, import_ms, reindex, reindex_ms) = maintenance.join().unwrap();
    assert_ok(&import, &["import"]);
    assert_ok(&reindex, &["reindex --force"]);
    assert_eq!(parse(&import.stdout)["added"]["experiences"], 30);

    // No process failed, in particular not with a lock error.
    let failed: Vec<&Op> = logs.iter().flat_map(|l| &l.ops).filter(|o| !o.ok).collect();
    assert!(
        failed.is_empty(),
        "{} of {} commands failed; first ({}): {}",
        failed.len(),
        logs.iter().map(|l| l.ops.len()).sum::<usize>(),
        failed[0].kind,
        failed[0].error
    );

    // Every counter equals what the workers logged.
    for id in &shared {
        let e = env.json(&["show", id]);
        let successes = logs
            .iter()
            .filter(|l| l.outcomes.get(id) == Some(&true))
            .count() as i64;
        let reports = logs.iter().filter(|l| l.outcomes.contains_key(id)).count() as i64;
        let vote = |dir| {
            logs.iter()
                .filter(|l| l.votes.get(id) == Some(&Some(dir)))
                .count() as i64
        };
        let (up, down) = (vote("up"), vote("down"));
        assert_eq!(
            (
                e["success_count"].as_i64(),
                e["total_reports"].as_i64(),
                e["upvotes"].as_i64(),
                e["downvotes"].as_i64()
            ),
            (Some(successes), Some(reports), Some(up), Some(down)),
            "{id}"
        );
        let expected = plurum::quality::quality_score(successes, reports, up, down);
        assert!((e["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12);
    }
    let published: usize = logs.iter().map(|l| l.published.len()).sum();
    let sessions: Vec<&(String, String)> = logs.iter().flat_map(|l| &l.sessions).collect();
    let total = env.json(&["list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap() as usize;
    assert_eq!(total, shared.len() + published + sessions.len() + 30);
    for (sid, eid) in &sessions {
        let s = env.json(&["session", "show", sid]);
        assert_eq!(
            (s["status"].as_str(), s["entry_count"].as_i64()),
            (Some("closed"), Some(2))
        );
        assert_eq!(s["experience_id"].as_str(), Some(eid.as_str()));
    }
    // No id or short id twice, and the indexes agree with the rows.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let dups: i64 = conn
        .query_row("SELECT count(*) FROM (SELECT short_id FROM experiences GROUP BY short_id HAVING count(*) > 1)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(dups, 0);
    assert_consistent(&env, "after the gate");
    let d = env.json(&["doctor"]);
    assert_eq!(d["indexes"]["missing_vectors"], 0, "{d:#}");

    // The figures.
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for op in logs.iter().flat_map(|l| &l.ops) {
        by_kind.entry(op.kind).or_default().push(op.ms);
    }
    let all: usize = by_kind.values().map(Vec::len).sum();
    report(&format!(
        "gate: {WORKERS} processes, {elapsed:.0} s, {all} commands ({:.1}/s), 0 failed; import of 30 took {import_ms:.0} ms, reindex --force of {total} took {reindex_ms:.0} ms",
        all as f64 / elapsed
    ));
    for (kind, ms) in &mut by_kind {
        ms.sort_by(f64::total_cmp);
        report(&format!(
            "gate: {kind:<14} n={:<5} p50 {:>6.0} ms  p99 {:>6.0} ms  worst {:>6.0} ms",
            ms.len(),
            percentile(ms, 0.5),
            percentile(ms, 0.99),
            ms.last().unwrap()
        ));
    }
}

fn write(env: &Env, name: &str, doc: &Value) -> String {
    let path = env.path(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs `cmd` and kills it with SIGKILL after a random delay below `max`; returns whether
/// the command finished on its own first.
fn run_and_kill(mut cmd: Command, rng: &mut fastrand::Rng, max: Duration) -> bool {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_millis(rng.u64(..max.as_millis() as u64));
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the command failed on its own: {status}");
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    false
}

/// Kills `args` at random points until it completes or the budget is spent, checking the
/// store after every kill; then runs it to completion. The kill window starts short and
/// grows, so kills land early (before the first commit) as well as late.
fn kill_until_done(
    env: &Env,
    what: &str,
    args: &[&str],
    extra_env: &[(&str, &str)],
    check: &dyn Fn(&Env),
) -> usize {
    let budget = seconds("PLURUM_CRASH_SECONDS", 20);
    let mut rng = fastrand::Rng::with_seed(7);
    let start = Instant::now();
    let mut kills = 0;
    let mut window = Duration::from_millis(200);
    while start.elapsed() < budget {
        let mut cmd = plurum(&env.db(), &env.path("home"), "local");
        cmd.args(args).envs(extra_env.iter().copied());
        if run_and_kill(cmd, &mut rng, window) {
            break;
        }
        kills += 1;
        assert_consistent(env, &format!("{what} after kill {kills}"));
        check(env);
        window = window.mul_f64(1.3).min(Duration::from_secs(5));
    }
    let mut cmd = plurum(&env.db(), &env.path("home"), "local");
    let out = cmd
        .args(args)
        .envs(extra_env.iter().copied())
        .output()
        .unwrap();
    assert_ok(&out, args);
    assert_consistent(env, &format!("{what} completed"));
    kills
}

fn count(env: &Env, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn kill_9_during_import_reindex_and_close_leaves_all_or_nothing() {
    // Import: 200 experiences with artifacts, embedded in batches.
    let donor = Env::new();
    let items: Vec<Value> = (0..200)
        .map(|i| {
            sample(&format!(
                "Crash-test experience {i:03} about load balancers"
            ))
        })
        .collect();
    let out = donor
        .cmd_without_model()
        .args([
            "publish",
            "--file",
            &write(&donor, "items.json", &json!(items)),
        ])
        .output()
        .unwrap();
    assert_ok(&out, &["publish"]);
    let dump = donor.path("dump.jsonl");
    donor.json(&["export", dump.to_str().unwrap()]);

    let env = Env::new();
    let all_or_nothing = |env: &Env| {
        // Every experience arrived whole: its artifacts and its vector came with it.
        let partial = count(
            env,
            "SELECT count(*) FROM experiences e WHERE NOT EXISTS \
             (SELECT 1 FROM artifacts a WHERE a.experience_id = e.id)",
        );
        assert_eq!(partial, 0, "an experience without its artifacts");
        assert_eq!(env.json(&["doctor"])["indexes"]["missing_vectors"], 0);
    };
    let kills = kill_until_done(
        &env,
        "import",
        &["import", dump.to_str().unwrap()],
        &[],
        &all_or_nothing,
    );
    assert_eq!(count(&env, "SELECT count(*) FROM experiences"), 200);
    assert_eq!(
        count(&env, "SELECT count(DISTINCT id) FROM experiences"),
        200
    );
    let again = env.json(&["import", dump.to_str().unwrap()]);
    assert_eq!(again["added"]["experiences"], 0);
    report(&format!(
        "crash: import of 200 killed {kills} times, then completed with 200 experiences, none twice"
    ));

    // Reindex --force (same model) re-embeds batch by batch in place, each old vector kept
    // until its replacement is written: killed midway, every experience still has a vector,
    // and a plain reindex has nothing left to do.
    let vectors = |env: &Env| {
        env.json(&["doctor"])["indexes"]["vectors"]
            .as_i64()
            .unwrap()
    };
    let mut rng = fastrand::Rng::with_seed(11);
    let mut kills = 0;
    let budget = Instant::now() + seconds("PLURUM_CRASH_SECONDS", 20);
    let mut window = Duration::from_millis(300);
    while Instant::now() < budget || kills < 3 {
        let mut cmd = plurum(&env.db(), &env.path("home"), "local");
        cmd.args(["reindex", "--force"]);
        if run_and_kill(cmd, &mut rng, window) {
            window = window.mul_f64(0.7);
            continue;
        }
        kills += 1;
        assert_consistent(&env, "reindex --force after kill");
        let had = vectors(&env);
        assert_eq!(had, 200, "an interrupted reindex --force lost vectors");
        let resumed = env.json_with_model(&["reindex"]);
        assert_eq!(
            resumed["embedded"].as_i64(),
            Some(200 - had),
            "resumed, not restarted"
        );
        assert_eq!(vectors(&env), 200);
        window = window.mul_f64(1.3).min(Duration::from_secs(8));
    }
    report(&format!(
        "crash: reindex --force killed {kills} times; each time every experience kept its vector"
    ));

    // Session close: either closed with its experience, or still open with none.
    let mut closes = 0;
    let mut rng = fastrand::Rng::with_seed(3);
    let budget = Instant::now() + seconds("PLURUM_CRASH_SECONDS", 20);
    while Instant::now() < budget || closes < 3 {
        let sid = env.json(&["session", "open", "A session closed under fire"])["session"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        for i in 0..20 {
            env.json(&[
                "session",
                "log",
                &sid,
                "note",
                "--text",
                &format!("note {i}"),
            ]);
        }
        let mut cmd = plurum(&env.db(), &env.path("home"), "local");
        cmd.args(["session", "close", &sid, "--outcome", "success"]);
        let finished = run_and_kill(cmd, &mut rng, Duration::from_millis(800));
        assert_consistent(&env, "session close after kill");
        let s = env.json(&["session", "show", &sid]);
        let made = count(
            &env,
            &format!("SELECT count(*) FROM experiences WHERE session_id = '{sid}'"),
        );
        match s["status"].as_str().unwrap() {
            "closed" => assert_eq!(made, 1, "closed without its experience"),
            "open" => {
                assert!(!finished);
                assert_eq!(made, 0, "an experience from a session still open");
                env.json(&["session", "close", &sid, "--outcome", "success"]);
                assert_eq!(
                    count(
                        &env,
                        &format!("SELECT count(*) FROM experiences WHERE session_id = '{sid}'")
                    ),
                    1
                );
            }
            other => panic!("status {other}"),
        }
        closes += 1;
    }
    report(&format!(
        "crash: {closes} session closes under kill -9, each closed with exactly one experience or left open with none"
    ));
}

#[test]
fn kill_9_during_pull_resumes_without_duplicates() {
    let server = Server::start();
    let publisher = Env::new();
    let run_remote = |env: &Env, args: &[&str]| {
        let out = env
            .cmd()
            .env("PLURUM_API_URL", &server.url)
            .env("PLURUM_MODEL_DIR", model_dir())
            .args(["--json"])
            .args(args)
            .output()
            .unwrap();
        assert_ok(&out, args);
        parse(&out.stdout)
    };
    run_remote(
        &publisher,
        &["agent", "register", "Crash Publisher", "crash-publisher"],
    );
    let items: Vec<Value> = (0..120)
        .map(|i| sample(&format!("Remote experience {i:03} about observability")))
        .collect();
    let out = publisher
        .cmd_without_model()
        .args([
            "publish",
            "--file",
            &write(&publisher, "items.json", &json!(items)),
        ])
        .output()
        .unwrap();
    assert_ok(&out, &["publish"]);
    run_remote(&publisher, &["push"]);

    let env = Env::new();
    let url = server.url.clone();
    let kills = kill_until_done(
        &env,
        "pull",
        &["pull", "--limit", "200"],
        &[("PLURUM_API_URL", url.as_str())],
        &|env: &Env| {
            // Nothing pulled twice, whatever the kill interrupted.
            let twice = count(
                env,
                "SELECT count(*) FROM (SELECT goal FROM experiences GROUP BY goal HAVING count(*) > 1)",
            );
            assert_eq!(twice, 0);
        },
    );
    assert_eq!(count(&env, "SELECT count(*) FROM experiences"), 120);
    assert_eq!(
        count(&env, "SELECT count(DISTINCT goal) FROM experiences"),
        120
    );
    let again = run_remote(&env, &["pull", "--limit", "200"]);
    assert_eq!(again["added"], 0);
    report(&format!(
        "crash: pull of 120 killed {kills} times, then completed with 120 experiences, none twice"
    ));
}
