//! The reliability contract, with real processes on one store file:
//! - sixteen processes for half a minute (searches, publishes, reports, votes, sessions,
//!   an import and a reindex in the middle) lose nothing and never fail with a lock error;
//! - `kill -9` in the middle of import, reindex, session close and pull leaves a store that
//!   opens, passes the integrity check and holds all or none of each transaction, and
//!   running the command again completes it with no duplicates.
//!
//! Lengths: PLURUM_GATE_SECONDS (default 30); each crash loop stops once its minimum of kills
//! landed mid-run, or after PLURUM_CRASH_SECONDS (default 0) if that is longer. The figures
//! go to stderr, uncaptured, so CI logs show them.

use crate::common;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
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

/// A `plurum --json` command on `env`'s store with the real model, as `agent`.
fn plurum(env: &Env, agent: &str) -> Command {
    let mut cmd = env.cmd();
    cmd.env("PLURUM_MODEL_DIR", model_dir())
        .args(["--agent", agent, "--json"]);
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
    /// (experience id, goal) of every publish that answered success.
    published: Vec<(String, String)>,
    /// (session id, experience id assembled at close, topic: the experience's goal)
    sessions: Vec<(String, String, String)>,
}

const QUERIES: [&str; 6] = [
    "deploy a python api on aws containers",
    "docker image too large",
    "postgres replication lag",
    "cache dependencies in ci",
    "sqlite database is locked",
    "rotate database passwords without downtime",
];

/// Works until `until`, and after it for as long as `busy`.
fn worker(w: usize, env: &Env, shared: &[String], until: Instant, busy: &AtomicBool) -> WorkerLog {
    let agent = format!("worker-{w:02}");
    let mut rng = fastrand::Rng::with_seed(w as u64 + 1);
    let mut log = WorkerLog::default();
    let scratch = env.path(&format!("{agent}.json"));
    let mut k = 0;
    while Instant::now() < until || busy.load(Ordering::SeqCst) {
        k += 1;
        let mut run = |kind: &'static str, args: &[&str]| -> Option<Value> {
            let t = Instant::now();
            let out = plurum(env, &agent).args(args).output().unwrap();
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
                    log.published
                        .push((e["id"].as_str().unwrap().to_string(), goal));
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
                    log.sessions.push((sid, eid, topic));
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
fn sixteen_processes_for_half_a_minute_lose_nothing() {
    const WORKERS: usize = 16;
    let duration = seconds("PLURUM_GATE_SECONDS", 30);
    let env = Env::new();

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
    // The workers keep going at least until the reindex starts, so the import runs under the
    // full load however long it takes, and the reindex starts under it.
    let busy = AtomicBool::new(true);
    let (logs, elapsed, (import, import_ms, reindex, reindex_ms)) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let (env, shared, busy) = (&env, &shared, &busy);
                scope.spawn(move || worker(w, env, shared, until, busy))
            })
            .collect();
        // The import at a third of the run, a full reindex at half of it.
        let maintenance = scope.spawn(|| {
            // Lets the workers stop if this ends early (a panic).
            struct Done<'a>(&'a AtomicBool);
            impl Drop for Done<'_> {
                fn drop(&mut self) {
                    self.0.store(false, Ordering::SeqCst);
                }
            }
            let _done = Done(&busy);
            std::thread::sleep(duration / 3);
            let import_at = Instant::now();
            let import = plurum(&env, "maintainer")
                .args(["import", dump.to_str().unwrap()])
                .output()
                .unwrap();
            let import_ms = import_at.elapsed().as_secs_f64() * 1000.0;
            std::thread::sleep((duration / 2).saturating_sub(start.elapsed()));
            busy.store(false, Ordering::SeqCst);
            let reindex_at = Instant::now();
            let reindex = plurum(&env, "maintainer")
                .args(["reindex", "--force"])
                .output()
                .unwrap();
            let reindex_ms = reindex_at.elapsed().as_secs_f64() * 1000.0;
            (import, import_ms, reindex, reindex_ms)
        });
        let logs: Vec<WorkerLog> = workers.into_iter().map(|h| h.join().unwrap()).collect();
        let elapsed = start.elapsed().as_secs_f64();
        (logs, elapsed, maintenance.join().unwrap())
    });
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
        let expected = plurum::model::quality::quality_score(successes, reports, up, down);
        assert!((e["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12);
    }
    let published: Vec<&(String, String)> = logs.iter().flat_map(|l| &l.published).collect();
    let sessions: Vec<&(String, String, String)> = logs.iter().flat_map(|l| &l.sessions).collect();
    let total = env.json(&["list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap() as usize;
    assert_eq!(total, shared.len() + published.len() + sessions.len() + 30);
    for (sid, eid, _) in &sessions {
        let s = env.json(&["session", "show", sid]);
        assert_eq!(
            (s["status"].as_str(), s["entry_count"].as_i64()),
            (Some("closed"), Some(2))
        );
        assert_eq!(s["experience_id"].as_str(), Some(eid.as_str()));
    }
    // Exactly the experiences the run made, each once: every acknowledged publish and close
    // is stored under the id it answered with, nothing is stored twice under two ids (every
    // goal here is unique), nothing is lost, nothing else appears.
    let stored = experiences_by_id(&env.db());
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (i, id) in shared.iter().enumerate() {
        expected.insert(
            id.clone(),
            format!("Shared experience {i:02} on container deployments"),
        );
    }
    for (id, goal) in &published {
        expected.insert(id.clone(), goal.clone());
    }
    for (_, eid, topic) in &sessions {
        expected.insert(eid.clone(), topic.clone());
    }
    let imported: BTreeMap<String, String> = experiences_by_id(&donor.db());
    assert_eq!(imported.len(), 30);
    expected.extend(imported);
    assert_eq!(
        expected.len(),
        shared.len() + published.len() + sessions.len() + 30,
        "an id was answered twice"
    );
    assert_experiences(&stored, &expected, true, "after the gate");
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

/// A store's experiences: id -> goal.
fn experiences_by_id(db: &Path) -> BTreeMap<String, String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id, goal FROM experiences").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Fails, naming them, unless `stored` (id -> goal) holds the experiences of `expected`
/// under their ids and nothing else (all of them when `all`), and no goal twice: an
/// experience written twice under two ids, a lost one and a stray one all show here.
fn assert_experiences(
    stored: &BTreeMap<String, String>,
    expected: &BTreeMap<String, String>,
    all: bool,
    what: &str,
) {
    let first = |v: Vec<String>| v.into_iter().take(5).collect::<Vec<_>>().join("; ");
    let missing: Vec<String> = expected
        .iter()
        .filter(|(id, _)| all && !stored.contains_key(*id))
        .map(|(id, goal)| format!("{id} {goal:?}"))
        .collect();
    let wrong: Vec<String> = stored
        .iter()
        .filter(|(id, goal)| expected.get(*id) != Some(*goal))
        .map(|(id, goal)| format!("{id} {goal:?}"))
        .collect();
    let mut goals: BTreeMap<&str, usize> = BTreeMap::new();
    for goal in stored.values() {
        *goals.entry(goal).or_default() += 1;
    }
    let twice: Vec<String> = goals
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(goal, n)| format!("{goal:?} x{n}"))
        .collect();
    assert!(
        missing.is_empty() && wrong.is_empty() && twice.is_empty(),
        "{what}: {} of {} expected experiences missing ({}); {} stored that were not expected \
         or under another goal ({}); {} goals stored more than once ({})",
        missing.len(),
        expected.len(),
        first(missing.clone()),
        wrong.len(),
        first(wrong.clone()),
        twice.len(),
        first(twice.clone()),
    );
}

/// How a run under `kill -9` ended.
#[derive(Debug, PartialEq)]
enum Ended {
    /// The process exited on its own, successfully, before the kill.
    Finished,
    /// The kill ended it: its wait status is SIGKILL, so it was still running.
    Killed,
}

/// Runs `cmd` and sends it SIGKILL after a random delay below `max`, counted from the moment
/// it reached the test pause point `started` (when given: the command has begun its work,
/// so a kill that lands is a kill mid-run, not one during start-up). The wait status says
/// which came first, the kill or the process's own exit (which must be a success).
fn run_and_kill(
    env: &Env,
    mut cmd: Command,
    rng: &mut fastrand::Rng,
    max: Duration,
    started: Option<&str>,
) -> Ended {
    use std::os::unix::process::ExitStatusExt;
    let log = env.path("killed-run.stderr");
    if let Some(point) = started {
        cmd.env(common::PAUSE_AT, point);
    }
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    if let Some(point) = started {
        common::wait_paused(&child, point);
        common::resume(child.id());
    }
    let deadline = Instant::now() + Duration::from_millis(rng.u64(..max.as_millis() as u64));
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL; a process that has exited already keeps its own status.
    let _ = child.kill();
    let status = child.wait().unwrap();
    if status.signal() == Some(9) {
        return Ended::Killed;
    }
    assert!(
        status.success(),
        "the command failed on its own: {status}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    Ended::Finished
}

/// What a crash loop did.
#[derive(Debug, Default)]
struct Kills {
    /// Kills that ended the command while it ran (its wait status is SIGKILL).
    landed: usize,
    /// Of those, the ones after which the store held part of the command's work: some of
    /// its transactions committed, not all of them.
    partial: usize,
    /// Runs that completed before enough kills landed, each followed by a fresh store.
    completed: usize,
}

/// The longest a crash loop keeps trying to land the kills it needs before it fails.
const GIVE_UP: Duration = Duration::from_secs(600);

/// Whether a crash loop has done enough: its minimum of kills, and its minimum time
/// (PLURUM_CRASH_SECONDS, 0 by default).
fn crash_loop_done(start: Instant, enough: bool) -> bool {
    enough && start.elapsed() >= seconds("PLURUM_CRASH_SECONDS", 0)
}

/// Kills `args` at random points, checking the store after every kill, until at least
/// `min_landed` kills ended the command mid-run, `min_partial` of them with part of its work
/// stored (`partial` says). The kill window starts short and grows, so kills land early
/// (before the first commit) as well as late; a run that completes first leaves nothing to
/// interrupt, so the loop starts over on a `fresh` store and kills sooner. With a
/// `partial_point` (a test pause point after a commit that leaves work to do), the first
/// kill lands there for certain, so a slow machine's long first commit cannot starve the
/// partial case. Fails when the kills cannot be landed. Then runs the command to
/// completion; returns the store it completed on.
#[allow(clippy::too_many_arguments)]
fn kill_until_done(
    what: &str,
    fresh: &dyn Fn() -> Env,
    args: &[&str],
    extra_env: &[(&str, &str)],
    check: &dyn Fn(&Env),
    partial: &dyn Fn(&Env) -> bool,
    partial_point: Option<&str>,
    min_landed: usize,
    min_partial: usize,
) -> (Env, Kills) {
    let mut rng = fastrand::Rng::with_seed(7);
    let start = Instant::now();
    let mut env = fresh();
    let mut kills = Kills::default();
    let mut window = Duration::from_millis(200);
    let enough = |k: &Kills| k.landed >= min_landed && k.partial >= min_partial;
    while !crash_loop_done(start, enough(&kills)) {
        assert!(
            start.elapsed() < GIVE_UP,
            "{what}: in {:?} only {kills:?} (needed {min_landed} kills mid-run, {min_partial} \
             of them with part of the work stored)",
            start.elapsed()
        );
        let mut cmd = plurum(&env, "local");
        cmd.args(args).envs(extra_env.iter().copied());
        let ended = match partial_point {
            Some(point) if kills.landed == 0 => {
                let mut child = cmd
                    .env(common::PAUSE_AT, point)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                common::wait_paused(&child, point);
                child.kill().unwrap();
                child.wait().unwrap();
                assert!(
                    partial(&env),
                    "{what}: killed at {point}, yet nothing partial stored"
                );
                Ended::Killed
            }
            _ => run_and_kill(&env, cmd, &mut rng, window, None),
        };
        match ended {
            Ended::Finished if enough(&kills) => break,
            Ended::Finished => {
                kills.completed += 1;
                env = fresh();
                window = window.mul_f64(0.5).max(Duration::from_millis(20));
            }
            Ended::Killed => {
                kills.landed += 1;
                assert_consistent(&env, &format!("{what} after kill {}", kills.landed));
                check(&env);
                if partial(&env) {
                    kills.partial += 1;
                }
                // No fixed cap short of a slow machine's first commit (a loaded 2-core
                // machine took over 5 s to commit a pull's first batch): the window grows
                // until runs complete, then halves, so it settles around a run's length.
                window = window.mul_f64(1.3).min(Duration::from_secs(120));
            }
        }
    }
    let out = plurum(&env, "local")
        .args(args)
        .envs(extra_env.iter().copied())
        .output()
        .unwrap();
    assert_ok(&out, args);
    assert_consistent(&env, &format!("{what} completed"));
    (env, kills)
}

/// The store's count of vector writes (bumped by every vector written).
fn vectors_version(env: &Env) -> i64 {
    count(
        env,
        "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'vectors_version'), 0)",
    )
}

fn count(env: &Env, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// At least this many kills must land mid-run in each crash loop.
const MIN_KILLS: usize = 3;

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
    let exported = experiences_by_id(&donor.db());
    assert_eq!(exported.len(), 200);
    let donor_agent: String = rusqlite::Connection::open(donor.db())
        .unwrap()
        .query_row("SELECT DISTINCT agent_id FROM experiences", [], |r| {
            r.get(0)
        })
        .unwrap();

    let all_or_nothing = |env: &Env| {
        // Only the export's experiences, none twice, each whole: its artifacts and its vector
        // came with it.
        assert_experiences(
            &experiences_by_id(&env.db()),
            &exported,
            false,
            "import after a kill",
        );
        let partial = count(
            env,
            "SELECT count(*) FROM experiences e WHERE NOT EXISTS \
             (SELECT 1 FROM artifacts a WHERE a.experience_id = e.id)",
        );
        assert_eq!(partial, 0, "an experience without its artifacts");
        assert_eq!(env.json(&["doctor"])["indexes"]["missing_vectors"], 0);
    };
    // Part of the import stored: its agent (the first transaction) but not yet every
    // experience (the last ones).
    let midway = |env: &Env| {
        let agent = count(
            env,
            &format!("SELECT count(*) FROM agents WHERE id = '{donor_agent}'"),
        );
        agent == 1 && count(env, "SELECT count(*) FROM experiences") < 200
    };
    let (env, kills) = kill_until_done(
        "import",
        &Env::new,
        &["import", dump.to_str().unwrap()],
        &[],
        &all_or_nothing,
        &midway,
        None,
        MIN_KILLS,
        MIN_KILLS,
    );
    assert_experiences(
        &experiences_by_id(&env.db()),
        &exported,
        true,
        "import completed",
    );
    let again = env.json(&["import", dump.to_str().unwrap()]);
    assert_eq!(again["added"]["experiences"], 0);
    report(&format!(
        "crash: import of 200 killed {} times mid-run ({} with part of it stored, {} runs \
         completed first), then completed with the 200 exported experiences, none twice",
        kills.landed, kills.partial, kills.completed
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
    let start = Instant::now();
    let (mut kills, mut completed, mut before_commit) = (0, 0, 0);
    let mut window = Duration::from_millis(300);
    // A kill counts once it lands after the reindex has begun (its test pause point
    // `reindex-started`: the store open, the model loaded, the work planned) and before it
    // exits; at least one lands before its batch is committed (nothing replaced yet).
    while !crash_loop_done(start, kills >= MIN_KILLS && before_commit >= 1) {
        assert!(
            start.elapsed() < GIVE_UP,
            "reindex --force: only {kills} kills landed mid-run ({before_commit} before the \
             commit) in {:?} ({completed} runs completed first)",
            start.elapsed()
        );
        let version = vectors_version(&env);
        let mut cmd = plurum(&env, "local");
        cmd.args(["reindex", "--force"]);
        if run_and_kill(&env, cmd, &mut rng, window, Some("reindex-started")) == Ended::Finished {
            completed += 1;
            window = window.mul_f64(0.7).max(Duration::from_millis(20));
            continue;
        }
        kills += 1;
        if vectors_version(&env) == version {
            before_commit += 1;
        }
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
        "crash: reindex --force killed {kills} times mid-run ({before_commit} before its commit, \
         {completed} runs completed first); each time every experience kept its vector"
    ));

    // Session close: either closed with its experience, or still open with none. A kill
    // counts once it lands after the close has begun (its test pause point
    // `session-close-started`: the session read, the experience about to be assembled,
    // embedded and committed) and before it exits; at least one lands before the commit.
    let mut rng = fastrand::Rng::with_seed(3);
    let start = Instant::now();
    let (mut closes, mut kills, mut open) = (0, 0, 0);
    let mut window = Duration::from_millis(400);
    while !crash_loop_done(start, kills >= MIN_KILLS && open >= 1) {
        assert!(
            start.elapsed() < GIVE_UP,
            "session close: only {kills} of {closes} closes killed mid-run ({open} before the \
             commit) in {:?}",
            start.elapsed()
        );
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
        let mut cmd = plurum(&env, "local");
        cmd.args(["session", "close", &sid, "--outcome", "success"]);
        let ended = run_and_kill(&env, cmd, &mut rng, window, Some("session-close-started"));
        closes += 1;
        // Closes that complete first shrink the window, kills widen it: it settles around
        // a close's length, so kills land before and after its commit.
        if ended == Ended::Killed {
            kills += 1;
            window = window.mul_f64(1.3).min(Duration::from_secs(8));
        } else {
            window = window.mul_f64(0.6).max(Duration::from_millis(20));
        }
        assert_consistent(&env, "session close after kill");
        let s = env.json(&["session", "show", &sid]);
        let made = count(
            &env,
            &format!("SELECT count(*) FROM experiences WHERE session_id = '{sid}'"),
        );
        match s["status"].as_str().unwrap() {
            "closed" => assert_eq!(made, 1, "closed without its experience"),
            "open" => {
                assert_eq!(ended, Ended::Killed, "the close answered success");
                assert_eq!(made, 0, "an experience from a session still open");
                open += 1;
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
    }
    report(&format!(
        "crash: {closes} session closes, {kills} killed mid-run ({open} of them before the close \
         committed), each closed with exactly one experience or left open with none"
    ));
}

/// Experiences the crash loop's pull brings in.
const PULLED: usize = 70;

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
    // Three of the pull's batches (32): two whole, one part.
    let items: Vec<Value> = (0..PULLED)
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
    // What the server holds, id -> goal: a pulled experience keeps the remote's id.
    let remote: BTreeMap<String, String> = server
        .all_experiences()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_string(),
                e["goal"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(remote.len(), PULLED);

    let url = server.url.clone();
    let (env, kills) = kill_until_done(
        "pull",
        &Env::new,
        &["pull", "--limit", "200"],
        &[("PLURUM_API_URL", url.as_str())],
        &|env: &Env| {
            // Only the remote's experiences, none twice, whatever the kill interrupted.
            assert_experiences(
                &experiences_by_id(&env.db()),
                &remote,
                false,
                "pull after a kill",
            );
        },
        // Some of the pull's batches (32 each) committed, not all.
        &|env: &Env| (1..PULLED as i64).contains(&count(env, "SELECT count(*) FROM experiences")),
        Some("pull-batch-committed#1"),
        MIN_KILLS,
        1,
    );
    assert_experiences(
        &experiences_by_id(&env.db()),
        &remote,
        true,
        "pull completed",
    );
    let again = run_remote(&env, &["pull", "--limit", "200"]);
    assert_eq!(again["added"], 0);
    report(&format!(
        "crash: pull of {PULLED} killed {} times mid-run ({} with some batches stored, {} runs \
         completed first), then completed with the server's {PULLED} experiences, none twice",
        kills.landed, kills.partial, kills.completed
    ));
}
