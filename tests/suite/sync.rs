//! Joining a collective, with real processes: a `plurum serve` on a free loopback port with
//! its own store, and two client stores that push and pull through it.

use crate::common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Backend, ClosedPort, Env, Server, both_backends, model_dir, sample};

// Each runs against both stores: NAME::sqlite and NAME::postgres.
both_backends!(
    push_pull_and_feedback_travel_between_two_stores,
    an_interrupted_push_resumes_with_every_experience_exactly_once,
    search_remote_merges_the_remotes_hits_reranked_here,
);
use serde_json::{Value, json};

/// A client store pointed at the server.
fn client(server: &Server) -> Env {
    let _ = server;
    Env::new()
}

fn run(env: &Env, server: &Server, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .env("PLURUM_API_URL", &server.url)
        .env("PLURUM_SYNC_RETRIES", "1")
        .args(args)
        .output()
        .unwrap()
}

fn json(env: &Env, server: &Server, args: &[&str]) -> Value {
    let out = run(env, server, &[&["--json"], args].concat());
    common::assert_ok(&out, args);
    common::parse(&out.stdout)
}

fn push_pull_and_feedback_travel_between_two_stores(backend: Backend) {
    let server = Server::start_on(backend);
    let a = client(&server);
    let b = client(&server);
    let who = json(
        &a,
        &server,
        &["agent", "register", "Machine A", "machine-a"],
    );
    assert!(
        who["api_key_prefix"]
            .as_str()
            .unwrap()
            .starts_with("plrm_live_")
    );
    json(
        &b,
        &server,
        &["agent", "register", "Machine B", "machine-b"],
    );
    // The key is in the 0600 config file, never printed in full.
    let config = a.dir.path().join("home/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("plrm_live_"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&config).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(
        json(&a, &server, &["agent", "whoami"])["username"],
        "machine-a"
    );

    // A publishes three public experiences, one private and one draft.
    let mut ids = Vec::new();
    for goal in [
        "Pin Docker base images by digest in CI",
        "Rotate PostgreSQL passwords without downtime",
        "Cache cargo registries in GitHub Actions",
    ] {
        ids.push(a.publish(&sample(goal))["id"].as_str().unwrap().to_string());
    }
    let mut private = sample("A private experience that must stay on machine A");
    private["visibility"] = json!("private");
    a.publish(&private);
    let file = a.path("draft.json");
    std::fs::write(
        &file,
        sample("A draft that must stay on machine A").to_string(),
    )
    .unwrap();
    a.json(&["publish", "--draft", "--file", file.to_str().unwrap()]);

    let pushed = json(&a, &server, &["push"]);
    assert_eq!(
        (pushed["created"].as_i64(), pushed["published"].as_i64()),
        (Some(3), Some(3))
    );
    let on_server = server.all_experiences();
    assert_eq!(on_server.len(), 3);
    assert!(on_server.iter().all(|e| e["status"] == "published"));
    assert!(
        !on_server
            .iter()
            .any(|e| e["goal"].as_str().unwrap().contains("machine A"))
    );
    // Pushing again creates nothing.
    let again = json(&a, &server, &["push"]);
    assert_eq!(
        (again["created"].as_i64(), again["published"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(server.all_experiences().len(), 3);

    // B pulls them in, full content included, and finds them offline.
    let pulled = json(&b, &server, &["pull"]);
    assert_eq!(pulled["added"], 3);
    let again = json(&b, &server, &["pull"]);
    assert_eq!(
        (again["added"].as_i64(), again["updated"].as_i64()),
        (Some(0), Some(3))
    );
    assert_eq!(b.json(&["list"])["total"], 3);
    let found = b.json(&["search", "docker base image digest"]);
    let hit = &found["results"][0];
    assert_eq!(hit["goal"], "Pin Docker base images by digest in CI");
    assert!(
        hit["origin"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1")
    );
    let art = b.json(&["artifact", hit["id"].as_str().unwrap(), "0"]);
    assert!(
        art["artifact"]["code"]
            .as_str()
            .unwrap()
            .contains("FROM python")
    );

    // B reports a success and votes up; its own view counts them once.
    let target = hit["id"].as_str().unwrap().to_string();
    b.json(&["outcome", &target, "--success"]);
    b.json(&["vote", &target, "up"]);
    let sent = json(&b, &server, &["push"]);
    assert_eq!(
        (
            sent["outcome_reports_sent"].as_i64(),
            sent["votes_sent"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let remote_view = server.get(&format!("/experiences/{target}"));
    assert_eq!(
        (
            remote_view["success_count"].as_i64(),
            remote_view["upvotes"].as_i64()
        ),
        (Some(1), Some(1))
    );
    json(&b, &server, &["pull"]);
    let b_view = b.json(&["show", &target]);
    assert_eq!(
        (
            b_view["success_count"].as_i64(),
            b_view["total_reports"].as_i64(),
            b_view["upvotes"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    // Sending again sends nothing new.
    let quiet = json(&b, &server, &["push"]);
    assert_eq!(
        (
            quiet["outcome_reports_sent"].as_i64(),
            quiet["votes_sent"].as_i64()
        ),
        (Some(0), Some(0))
    );

    // A sees B's feedback on its own experience after a pull, on top of its own.
    a.json(&["--agent", "tester", "outcome", &target, "--failure"]);
    json(&a, &server, &["pull"]);
    let a_view = a.json(&["show", &target]);
    assert_eq!(
        (
            a_view["success_count"].as_i64(),
            a_view["failure_count"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(a_view["upvotes"], 1);
    let expected = plurum::model::quality::quality_score(1, 2, 1, 0);
    assert!((a_view["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12);
    // No duplicates anywhere after all that.
    assert_eq!(server.all_experiences().len(), 3);
    // A: its three shared experiences, the private one and the draft, each once.
    let a_list = a.json(&["list", "--limit", "100"]);
    assert_eq!(a_list["total"], 5);
    let mut goals: Vec<&str> = a_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["goal"].as_str().unwrap())
        .collect();
    goals.sort();
    goals.dedup();
    assert_eq!(goals.len(), 5);
    assert_eq!(b.json(&["list"])["total"], 3);

    // `sync` is pull then push.
    let synced = json(&b, &server, &["sync"]);
    assert_eq!(synced["pull"]["added"], 0);
    assert_eq!(synced["push"]["created"], 0);
}

fn an_interrupted_push_resumes_with_every_experience_exactly_once(backend: Backend) {
    use std::os::unix::process::ExitStatusExt;
    let mut server = Server::start_on(backend);
    let a = client(&server);
    json(
        &a,
        &server,
        &["agent", "register", "Bulk pusher", "bulk-pusher"],
    );
    let publish = |items: Vec<Value>| {
        let file = a.path("bulk.json");
        std::fs::write(&file, Value::Array(items).to_string()).unwrap();
        // Published without the model: the push does not need vectors, and it is faster.
        let out = a
            .cmd_without_model()
            .args(["publish", "--file", file.to_str().unwrap()])
            .output()
            .unwrap();
        common::assert_ok(&out, &["bulk publish"]);
    };
    // A push that stops itself at `pause` (a test pause point), so the kill lands there.
    let url = server.url.clone();
    let paused_push = |pause: &str| {
        let push = a
            .cmd()
            .env("PLURUM_API_URL", &url)
            .env_remove("PLURUM_MODEL_DIR")
            .env(common::PAUSE_AT, pause)
            .args(["push"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        common::wait_paused(&push, &format!("push until {pause}"));
        push
    };
    publish(
        (0..60)
            .map(|i| sample(&format!("Bulk experience {i:03} about deploying services")))
            .collect(),
    );

    // The server dies with the push under way, after its 20th experience: the push fails
    // with exit 7 at the next one (a refused connection is not retried, so at once).
    let mut push = paused_push("push-published#20");
    server.kill();
    common::resume(push.id());
    let status = common::wait_exit(&mut push, "push against a dead remote");
    assert_eq!(
        status.code(),
        Some(7),
        "a push against a dead remote fails with exit 7"
    );

    // Restart and push again: the rest goes, nothing twice.
    server.restart();
    assert_eq!(server.all_experiences().len(), 20);
    let done = json(&a, &server, &["push"]);
    assert_eq!(
        (done["created"].as_i64(), done["published"].as_i64()),
        (Some(40), Some(40)),
        "{done}"
    );

    // Now kill -9 the pusher itself in the middle of a second batch, between creating an
    // experience on the server and publishing it there, and run it again.
    publish(
        (0..30)
            .map(|i| sample(&format!("Second batch experience {i:03} on networking")))
            .collect(),
    );
    let mut push = paused_push("push-created#10");
    push.kill().unwrap();
    assert_eq!(push.wait().unwrap().signal(), Some(libc::SIGKILL));
    // 60 + 9 published; the 10th is a draft on the server (public reads do not list it).
    assert_eq!(server.all_experiences().len(), 69);
    let resumed = json(&a, &server, &["push"]);
    assert_eq!(
        (resumed["created"].as_i64(), resumed["published"].as_i64()),
        (Some(20), Some(21)),
        "the cut-off experience is published, not created again: {resumed}"
    );

    let all = server.all_experiences();
    let mut goals: Vec<&str> = all.iter().map(|e| e["goal"].as_str().unwrap()).collect();
    goals.sort();
    let before_dedup = goals.len();
    goals.dedup();
    assert_eq!(
        before_dedup,
        goals.len(),
        "an experience reached the server twice"
    );
    assert_eq!(goals.len(), 90);
    assert!(all.iter().all(|e| e["status"] == "published"));
    // And the client agrees that everything is out.
    let last = json(&a, &server, &["push"]);
    assert_eq!(
        (last["created"].as_i64(), last["published"].as_i64()),
        (Some(0), Some(0))
    );
}

/// A refused connection is not retried (retries are for 429, 5xx and timeouts): push, pull
/// and sync fail with exit 7 at once, long before a retry budget's backoff, and nothing is
/// written.
#[test]
fn a_dead_remote_fails_fast_with_exit_7_and_writes_nothing() {
    let a = Env::new();
    a.publish(&sample("Something to push nowhere at all"));
    let closed = ClosedPort::new();
    let dead = closed.url();
    for command in [
        &["push"][..],
        &["pull"],
        &["sync"],
        &["pull", "--query", "docker"],
    ] {
        let t = Instant::now();
        let out = a
            .cmd()
            .env("PLURUM_API_URL", &dead)
            .env("PLURUM_API_KEY", "plrm_live_not-a-real-key-for-this-test")
            // Eight retries: were a refused connection retried, the backoff alone would
            // take 0.5 + 1 + 2 + 4 + 8 + 16 + 32 + 32 = 95.5 s.
            .env("PLURUM_SYNC_RETRIES", "8")
            .arg("--json")
            .args(command)
            .output()
            .unwrap();
        let took = t.elapsed();
        assert_eq!(
            out.status.code(),
            Some(7),
            "{command:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Failing at once takes milliseconds; retried, it would take over 95 s. The bound
        // sits far from both, so a loaded machine cannot fail it.
        assert!(took < Duration::from_secs(45), "{command:?} took {took:?}");
        let err: Value =
            serde_json::from_str(String::from_utf8_lossy(&out.stderr).lines().last().unwrap())
                .unwrap();
        assert!(
            err["detail"].as_str().unwrap().contains("unreachable"),
            "{err}"
        );
    }
    assert_eq!(a.json(&["list"])["total"], 1);
    // Without a key, push refuses before any network call.
    let out = a
        .cmd()
        .env("PLURUM_API_URL", &dead)
        .args(["push"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("agent register"));
}

/// Local-first: `search --remote` with the remote down answers with the local results at
/// once (exit 0, no retries), says in the JSON and on stderr that the remote failed.
#[test]
fn search_remote_with_a_dead_remote_answers_locally_at_once() {
    let a = Env::new();
    a.publish(&sample("Shrink a Docker image with multi-stage builds"));
    let closed = ClosedPort::new();
    let dead = closed.url();
    for json_mode in [true, false] {
        let mut cmd = a.cmd();
        cmd.env("PLURUM_MODEL_DIR", model_dir())
            .env("PLURUM_API_URL", &dead)
            // Ignored by search --remote, which never retries; were it retried, a refused
            // connection would wait out 95.5 s of backoff (see above).
            .env("PLURUM_SYNC_RETRIES", "8");
        if json_mode {
            cmd.arg("--json");
        }
        let t = Instant::now();
        let out = cmd
            .args(["search", "docker image", "--remote"])
            .output()
            .unwrap();
        let took = t.elapsed();
        common::assert_ok(&out, &["search --remote, remote down"]);
        // Far from the 95.5 s a retried refused connection would take.
        assert!(took < Duration::from_secs(45), "took {took:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(&dead)).collect();
        assert_eq!(
            lines.len(),
            1,
            "one line on stderr about the remote: {stderr}"
        );
        assert!(lines[0].contains("unreachable"), "{stderr}");
        if json_mode {
            let r = common::parse(&out.stdout);
            assert_eq!(
                r["results"][0]["goal"],
                "Shrink a Docker image with multi-stage builds"
            );
            assert!(r["results"][0].get("origin").is_none());
            let error = r["remote_error"].as_str().unwrap();
            assert!(
                error.contains(&dead) && error.contains("unreachable"),
                "{error}"
            );
        } else {
            assert!(String::from_utf8_lossy(&out.stdout).contains("multi-stage"));
        }
    }
}

fn search_remote_merges_the_remotes_hits_reranked_here(backend: Backend) {
    let server = Server::start_on(backend);
    let a = client(&server);
    let b = client(&server);
    json(
        &a,
        &server,
        &["agent", "register", "Machine A", "machine-a"],
    );
    for goal in [
        "Pin Docker base images by digest in CI",
        "Rotate PostgreSQL passwords without downtime",
    ] {
        a.publish(&sample(goal));
    }
    json(&a, &server, &["push"]);
    b.publish(&sample("Shrink Docker images with multi-stage builds"));

    let merged = json(&b, &server, &["search", "--remote", "docker image digest"]);
    let results = merged["results"].as_array().unwrap();
    let remote_hits: Vec<&Value> = results
        .iter()
        .filter(|r| r["origin"].as_str() == Some(server.url.as_str()))
        .collect();
    let local_hits: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("origin").is_none())
        .collect();
    assert_eq!(local_hits.len(), 1, "{merged}");
    assert!(!remote_hits.is_empty(), "{merged}");
    // Re-ranked here: the digest experience is the best match, whichever store it is in.
    assert_eq!(
        results[0]["goal"], "Pin Docker base images by digest in CI",
        "{merged}"
    );
    assert!(results[0]["similarity"].as_f64().unwrap() > 0.4);
    let mut ids: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), results.len(), "a hit appears twice");
    // Nothing was written by looking.
    assert_eq!(b.json(&["list"])["total"], 1);

    // Once pulled, the same experiences are local and appear once each.
    json(&b, &server, &["pull"]);
    let after = json(&b, &server, &["search", "--remote", "docker image digest"]);
    let n = after["results"].as_array().unwrap().len();
    assert_eq!(n, 3, "{after}");

    // With the remote reachable, no remote_error.
    assert!(after.get("remote_error").is_none(), "{after}");
}

/// Every file under `dir`, recursively, read into one buffer.
fn bytes_under(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(bytes_under(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// README: every string is scanned for secrets "again before anything is pushed". Credentials
/// written into a store behind the scan's back (straight into its SQLite file: publish would
/// refuse them) never reach the server; the push reports those experiences as refused, exits
/// 4, and sends the clean one.
#[test]
fn a_credential_that_got_into_the_store_is_never_pushed() {
    let server = Server::start();
    let a = client(&server);
    json(&a, &server, &["agent", "register", "Leaky", "leaky-agent"]);
    let clean = a.publish(&sample("Pin Docker base images by digest in CI"));
    let in_solution = a.publish(&sample("Rotate PostgreSQL passwords without downtime"));
    let in_artifact = a.publish(&sample("Cache cargo registries in GitHub Actions"));
    let openai = format!("sk-{}", "a1B2".repeat(6));
    let github = format!("ghp_{}", "a1B2c3".repeat(6));
    {
        let db = rusqlite::Connection::open(a.db()).unwrap();
        let changed = db
            .execute(
                "UPDATE experiences SET solution = ?1 WHERE id = ?2",
                rusqlite::params![
                    format!("export OPENAI_API_KEY={openai}"),
                    in_solution["id"].as_str().unwrap()
                ],
            )
            .unwrap();
        assert_eq!(changed, 1);
        let changed = db
            .execute(
                "UPDATE artifacts SET code = ?1 WHERE experience_id = ?2 AND idx = 0",
                rusqlite::params![
                    format!("git clone https://{github}@github.com/acme/app"),
                    in_artifact["id"].as_str().unwrap()
                ],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    // The store holds them now: the scan at publish time was bypassed.
    let short = |e: &Value| e["short_id"].as_str().unwrap().to_string();
    assert!(
        a.json(&["show", &short(&in_solution)])["solution"]
            .as_str()
            .unwrap()
            .contains(&openai)
    );

    for attempt in 0..2 {
        let out = run(&a, &server, &["--json", "push"]);
        assert_eq!(
            out.status.code(),
            Some(4),
            "a push that left experiences behind fails with exit 4: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = common::parse(&out.stdout);
        let mut refused: Vec<String> = report["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        refused.sort();
        let mut expected = vec![short(&in_solution), short(&in_artifact)];
        expected.sort();
        assert_eq!(refused, expected, "{report}");
        let sent = if attempt == 0 { 1 } else { 0 };
        assert_eq!(
            (report["created"].as_i64(), report["published"].as_i64()),
            (Some(sent), Some(sent)),
            "{report}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let err: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
        assert_eq!(err["details"]["field"], "experience", "{err}");
        for id in &expected {
            assert!(
                err["detail"].as_str().unwrap().contains(id.as_str()),
                "{err}"
            );
        }
        assert!(
            !stderr.contains(&openai) && !stderr.contains(&github),
            "the secret is echoed: {stderr}"
        );
    }

    // The server has the clean experience only, and neither credential anywhere on disk.
    let on_server = server.all_experiences();
    assert_eq!(on_server.len(), 1, "{on_server:?}");
    assert_eq!(on_server[0]["id"], clean["id"]);
    let db = rusqlite::Connection::open_with_flags(
        server.env.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let stored: i64 = db
        .query_row("SELECT count(*) FROM experiences", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        stored, 1,
        "a refused experience reached the server as a draft"
    );
    drop(db);
    let bytes = bytes_under(server.env.dir.path());
    assert!(contains(&bytes, "Pin Docker base images by digest in CI"));
    assert!(!contains(&bytes, &openai) && !contains(&bytes, &github));
}

/// README: a 429 carries `Retry-After`, "which `plurum push` honours". Against a server that
/// allows two creates a second, a push of six experiences is told to wait, waits at least as
/// long as told before each retry (the server's own log says when each answer went out),
/// and ends with each experience on the server exactly once.
#[test]
fn push_waits_out_retry_after_and_sends_everything_once() {
    let server = Server::start_with(&["--rate-limit", "experience_write=2/second"]);
    let a = Env::new();
    let with_remote = |args: &[&str]| {
        let out = a
            .cmd()
            .env("PLURUM_API_URL", &server.url)
            .env_remove("PLURUM_SYNC_RETRIES")
            .env_remove("PLURUM_MODEL_DIR")
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        common::assert_ok(&out, args);
        common::parse(&out.stdout)
    };
    with_remote(&["agent", "register", "Patient pusher", "patient-pusher"]);
    // Six at a time, pushed, until the budget ran out at least once: on a busy machine two
    // creates may already take a second, so one round may not reach it.
    let mut goals: Vec<String> = Vec::new();
    let limited = |log: &[common::Request]| {
        log.iter()
            .filter(|r| r.method == "POST" && r.uri == "/api/v1/experiences" && r.status == 429)
            .count()
    };
    for round in 0.. {
        assert!(
            round < 10,
            "the budget of 2 a second never ran out in 10 pushes of six"
        );
        let new: Vec<String> = (0..6)
            .map(|i| format!("Patient experience {round}-{i} about rate limited pushes"))
            .collect();
        let file = a.path("six.json");
        let items: Vec<Value> = new.iter().map(|g| sample(g)).collect();
        std::fs::write(&file, Value::Array(items).to_string()).unwrap();
        common::assert_ok(
            &a.cmd_without_model()
                .args(["publish", "--file", file.to_str().unwrap()])
                .output()
                .unwrap(),
            &["publish"],
        );
        goals.extend(new);
        let pushed = with_remote(&["push"]);
        assert_eq!(
            (pushed["created"].as_i64(), pushed["published"].as_i64()),
            (Some(6), Some(6)),
            "{pushed}"
        );
        if limited(&server.requests()) >= 1 {
            break;
        }
    }
    goals.sort();

    let log = server.requests();
    let creates: Vec<&common::Request> = log
        .iter()
        .filter(|r| r.method == "POST" && r.uri == "/api/v1/experiences")
        .collect();
    let limited = limited(&log);
    assert_eq!(
        creates.iter().filter(|r| r.status == 201).count(),
        goals.len(),
        "each experience created once: {creates:?}"
    );
    assert_eq!(
        creates.len(),
        goals.len() + limited,
        "only creates and their retries: {creates:?}"
    );
    // A per-second budget answers Retry-After: 1; the retry comes no sooner.
    for pair in creates.windows(2) {
        if pair[0].status == 429 {
            // From the 429's answer to the retry's arrival. Seconds of the day: a retry
            // past midnight wraps around.
            let gap = (pair[1].start - pair[0].end).rem_euclid(86_400.0);
            assert!(
                gap >= 0.95,
                "retried {gap:.3} s after a 429 that said 1 s: {creates:?}"
            );
        }
    }

    // On the server: the six, published, once each.
    let mut on_server: Vec<String> = Vec::new();
    let page: Value = ureq::get(&format!("{}/api/v1/experiences?limit=100", server.url))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    for e in page["items"].as_array().unwrap() {
        assert_eq!(e["status"], "published");
        on_server.push(e["goal"].as_str().unwrap().to_string());
    }
    on_server.sort();
    assert_eq!(on_server, goals);
    let again = with_remote(&["push"]);
    assert_eq!(
        (again["created"].as_i64(), again["published"].as_i64()),
        (Some(0), Some(0))
    );
}
