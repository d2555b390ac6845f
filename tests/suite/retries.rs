//! `push`, `pull` and `sync` against a remote that fails (README, `sync`): a 5xx and a
//! connection dropped mid-answer are retried `PLURUM_SYNC_RETRIES` times (5 by default) with
//! backoff; the first failure is final with `PLURUM_SYNC_RETRIES=0`; an unknown host fails
//! at once. The remote is a real `plurum serve` behind a fake front (tests/suite/fake_http.rs)
//! that fails the first answers as each test says, forwards the rest, and counts every
//! attempt: each answer closes its connection, so each attempt is one request there.
//!
//! A retried timeout is not tested here: the client waits 30 s for an answer, so one such
//! test would take a minute. src/remote.rs's unit test `a_read_timeout_is_retried` checks
//! that a read timeout is classed as retryable.

use crate::common;
use crate::fake_http::{Action, FakeHttp};

use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Env, Server, sample};
use serde_json::Value;

const CREATE: (&str, &str) = ("POST", "/api/v1/experiences");
const LIST: (&str, &str) = ("GET", "/api/v1/experiences");

/// A fake in front of `server` that answers the first `n` requests for `method path` with
/// `fail(i)` (i counting from 0) and forwards everything else.
fn failing_first(
    server: &Server,
    (method, path): (&'static str, &'static str),
    n: usize,
    fail: impl Fn(usize) -> Action + Send + Sync + 'static,
) -> FakeHttp {
    let count = AtomicUsize::new(0);
    FakeHttp::start(Some(&server.url), move |r| {
        if r.method == method && r.path() == path {
            let i = count.fetch_add(1, Ordering::SeqCst);
            if i < n {
                return fail(i);
            }
        }
        Action::Forward
    })
}

/// A client store with an agent registered on `server` (its key in the config file).
fn registered_client(server: &Server, username: &str) -> Env {
    let env = Env::new();
    let out = env
        .cmd()
        .env("PLURUM_API_URL", &server.url)
        .args(["--json", "agent", "register", username, username])
        .output()
        .unwrap();
    common::assert_ok(&out, &["agent register", username]);
    env
}

/// Publishes experiences with these goals (without the model: nothing here needs vectors).
fn publish_goals(env: &Env, goals: &[&str]) {
    let items: Vec<Value> = goals.iter().map(|g| sample(g)).collect();
    let file = env.path("bulk.json");
    std::fs::write(&file, Value::Array(items).to_string()).unwrap();
    let out = env
        .cmd_without_model()
        .args(["publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
}

/// `plurum --json ARGS` against the remote at `url`; `retries` sets PLURUM_SYNC_RETRIES
/// (`None`: unset, the default).
fn against(env: &Env, url: &str, retries: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = env.cmd_without_model();
    cmd.env("PLURUM_API_URL", url);
    match retries {
        Some(n) => cmd.env("PLURUM_SYNC_RETRIES", n),
        None => cmd.env_remove("PLURUM_SYNC_RETRIES"),
    };
    cmd.arg("--json").args(args).output().unwrap()
}

fn report(out: &Output, what: &str) -> Value {
    common::assert_ok(out, &[what]);
    common::parse(&out.stdout)
}

/// The error envelope on the last line of stderr, after asserting exit 7.
fn remote_failure(out: &Output, what: &str) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{what}: {stderr}");
    serde_json::from_str(stderr.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{what}: no error envelope ({e}): {stderr}"))
}

fn goals_on(server: &Server) -> Vec<String> {
    let mut goals: Vec<String> = server
        .all_experiences()
        .iter()
        .map(|e| e["goal"].as_str().unwrap().to_string())
        .collect();
    goals.sort();
    goals
}

fn local_total(env: &Env) -> i64 {
    env.json(&["list", "--include-archived"])["total"]
        .as_i64()
        .unwrap()
}

/// A 5xx is retried: with `PLURUM_SYNC_RETRIES=2` a push whose first two creates get 503
/// succeeds on the third attempt, waiting at least the backoff (0.5 s, then 1 s) between
/// attempts; a pull whose list gets 503 three times fails with exit 7 after exactly three
/// attempts and stores nothing; with `PLURUM_SYNC_RETRIES=0` a sync's first 503 is final.
#[test]
fn a_5xx_is_retried_as_many_times_as_plurum_sync_retries_says() {
    let server = Server::start();
    let a = registered_client(&server, "retry-pusher");
    let goals = [
        "Pin Docker base images by digest in CI",
        "Rotate PostgreSQL passwords without downtime",
    ];
    publish_goals(&a, &goals);

    let front = failing_first(&server, CREATE, 2, |_| Action::Status(503, None));
    let pushed = report(&against(&a, &front.url, Some("2"), &["push"]), "push");
    assert_eq!(
        (pushed["created"].as_i64(), pushed["published"].as_i64()),
        (Some(2), Some(2)),
        "{pushed}"
    );
    let creates = front.seen_for(CREATE.0, CREATE.1);
    let actions: Vec<&str> = creates.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        actions,
        ["status 503", "status 503", "forward", "forward"],
        "two failed attempts, then each experience once"
    );
    // Exponential backoff: 0.5 s before the first retry, 1 s before the second (at least).
    let gap = |i: usize| creates[i + 1].at.duration_since(creates[i].at);
    assert!(
        gap(0) >= Duration::from_millis(500),
        "{:?}: {creates:?}",
        gap(0)
    );
    assert!(
        gap(1) >= Duration::from_millis(1000),
        "{:?}: {creates:?}",
        gap(1)
    );
    let mut want: Vec<String> = goals.iter().map(|g| g.to_string()).collect();
    want.sort();
    assert_eq!(goals_on(&server), want);

    // Three failures with two retries allowed: exit 7 after exactly three attempts.
    let b = registered_client(&server, "retry-puller");
    let front = failing_first(&server, LIST, usize::MAX, |_| Action::Status(503, None));
    let err = remote_failure(&against(&b, &front.url, Some("2"), &["pull"]), "pull");
    assert!(
        err["detail"].as_str().unwrap().contains("503"),
        "the error says what the remote answered: {err}"
    );
    assert_eq!(
        front.seen_for(LIST.0, LIST.1).len(),
        3,
        "{:?}",
        front.seen()
    );
    assert_eq!(local_total(&b), 0, "a failed pull stored something");

    // PLURUM_SYNC_RETRIES=0: the first failure is final. Sync pulls first, so nothing of
    // b's is pushed either.
    publish_goals(&b, &["Cache cargo registries in GitHub Actions"]);
    let front = failing_first(&server, LIST, usize::MAX, |_| Action::Status(503, None));
    remote_failure(&against(&b, &front.url, Some("0"), &["sync"]), "sync");
    assert_eq!(front.seen().len(), 1, "{:?}", front.seen());
    assert_eq!(goals_on(&server), want);
    assert_eq!(local_total(&b), 1);
}

/// Without `PLURUM_SYNC_RETRIES` a call is retried 5 times: a pull whose list fails five
/// times succeeds at the sixth attempt, and one that fails six times gives up after the
/// sixth with exit 7. (The 503s carry `Retry-After: 0`, which plurum honours, so the test
/// does not sit through 15.5 s of backoff.)
#[test]
fn by_default_a_failing_call_is_retried_five_times() {
    let server = Server::start();
    let a = registered_client(&server, "default-pusher");
    publish_goals(&a, &["Shrink a Docker image with multi-stage builds"]);
    report(&against(&a, &server.url, None, &["push"]), "push");

    let b = Env::new();
    let front = failing_first(&server, LIST, 5, |_| Action::Status(503, Some(0)));
    let pulled = report(&against(&b, &front.url, None, &["pull"]), "pull");
    assert_eq!(pulled["added"], 1, "{pulled}");
    let attempts = front.seen_for(LIST.0, LIST.1);
    assert_eq!(attempts.len(), 6, "{attempts:?}");
    assert_eq!(attempts[5].action, "forward");

    let c = Env::new();
    let front = failing_first(&server, LIST, 6, |_| Action::Status(503, Some(0)));
    remote_failure(&against(&c, &front.url, None, &["pull"]), "pull");
    assert_eq!(
        front.seen_for(LIST.0, LIST.1).len(),
        6,
        "{:?}",
        front.seen()
    );
    assert_eq!(local_total(&c), 0);
}

/// A connection that ends before the answer's headers do is retried: a create whose
/// connection closes without a byte of answer, and one the server carried out but whose
/// answer was cut off in its headers, are sent again, and each experience reaches the
/// server exactly once (the retried create carries the same id); a pull whose list answer
/// never comes is asked again. With `PLURUM_SYNC_RETRIES=0` such a drop is final (exit 7).
#[test]
fn a_connection_dropped_before_the_answer_is_retried() {
    let server = Server::start();
    let a = registered_client(&server, "drop-pusher");
    let goals = [
        "Pin Docker base images by digest in CI",
        "Rotate PostgreSQL passwords without downtime",
    ];
    publish_goals(&a, &goals);

    let front = failing_first(&server, CREATE, 2, |i| {
        if i == 0 {
            Action::Close
        } else {
            Action::CutInHeaders
        }
    });
    let pushed = report(&against(&a, &front.url, Some("2"), &["push"]), "push");
    assert_eq!(
        (pushed["created"].as_i64(), pushed["published"].as_i64()),
        (Some(2), Some(2)),
        "{pushed}"
    );
    let actions: Vec<String> = front
        .seen_for(CREATE.0, CREATE.1)
        .into_iter()
        .map(|s| s.action)
        .collect();
    assert_eq!(
        actions,
        ["close", "cut in headers", "forward", "forward"],
        "the first experience took three attempts"
    );
    let mut want: Vec<String> = goals.iter().map(|g| g.to_string()).collect();
    want.sort();
    assert_eq!(
        goals_on(&server),
        want,
        "each experience once on the server"
    );
    // Drafts included: a create carried out twice would leave a second one.
    let db = rusqlite::Connection::open_with_flags(
        server.env.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let stored: i64 = db
        .query_row("SELECT count(*) FROM experiences", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 2, "an experience was created twice on the server");

    let b = Env::new();
    let front = failing_first(&server, LIST, 1, |_| Action::Close);
    let pulled = report(&against(&b, &front.url, Some("2"), &["pull"]), "pull");
    assert_eq!(pulled["added"], 2, "{pulled}");
    assert_eq!(front.seen_for(LIST.0, LIST.1).len(), 2);

    let c = Env::new();
    let front = failing_first(&server, LIST, 1, |_| Action::Close);
    let err = remote_failure(&against(&c, &front.url, Some("0"), &["sync"]), "sync");
    assert!(
        err["detail"].as_str().unwrap().contains("unreachable"),
        "{err}"
    );
    assert_eq!(front.seen().len(), 1, "{:?}", front.seen());
    assert_eq!(local_total(&c), 0);
}

/// README: connections "dropped mid-answer" are retried. An answer whose headers came whole
/// but whose body stops halfway (the connection closes before `Content-Length` bytes came)
/// is an answer lost like any other: the pull asks again and brings in everything, and a
/// push sends the create again and finishes.
#[test]
fn an_answer_cut_off_in_its_body_is_retried() {
    let server = Server::start();
    let a = registered_client(&server, "cut-pusher");
    let goals = [
        "Pin Docker base images by digest in CI",
        "Rotate PostgreSQL passwords without downtime",
    ];
    publish_goals(&a, &goals);
    report(&against(&a, &server.url, None, &["push"]), "push");

    // The list's answer is cut in its body once.
    let b = Env::new();
    let front = failing_first(&server, LIST, 1, |_| Action::CutInBody);
    let pulled = report(&against(&b, &front.url, Some("2"), &["pull"]), "pull");
    assert_eq!(
        front.seen_for(LIST.0, LIST.1).len(),
        2,
        "the cut-off list was not asked for again; the pull reported {pulled}"
    );
    assert_eq!(pulled["added"], 2, "{pulled}");
    assert_eq!(local_total(&b), 2);

    // A create's answer is cut in its body once (the server did create it).
    let c = registered_client(&server, "cut-pusher-two");
    publish_goals(&c, &["Cache cargo registries in GitHub Actions"]);
    let front = failing_first(&server, CREATE, 1, |_| Action::CutInBody);
    let out = against(&c, &front.url, Some("2"), &["push"]);
    let pushed = report(&out, "push after a create's answer was cut");
    assert_eq!(
        (pushed["created"].as_i64(), pushed["published"].as_i64()),
        (Some(1), Some(1)),
        "{pushed}"
    );
    assert_eq!(front.seen_for(CREATE.0, CREATE.1).len(), 2);
    assert_eq!(goals_on(&server).len(), 3);
}

/// README: "an unknown host fails at once with exit 7". Push, pull and sync against a host
/// that does not resolve give exit 7 with "unreachable" and the host in the error, and are
/// not retried: retrying would sleep at least 0.5 + 1 + 2 + 4 + 8 = 15.5 s (the default 5
/// retries' backoff), so a run shorter than that was not retried.
#[test]
fn an_unknown_host_fails_at_once_with_exit_7() {
    let env = Env::new();
    publish_goals(&env, &["Something to push to a host that does not exist"]);
    let url = "http://no-such-host.invalid";
    for command in [
        &["push"][..],
        &["pull"],
        &["sync"],
        &["pull", "--query", "docker"],
    ] {
        let t = Instant::now();
        let out = env
            .cmd_without_model()
            .env("PLURUM_API_URL", url)
            .env("PLURUM_API_KEY", "plrm_live_not-a-real-key-for-this-test")
            .env_remove("PLURUM_SYNC_RETRIES")
            .arg("--json")
            .args(command)
            .output()
            .unwrap();
        let took = t.elapsed();
        let err = remote_failure(&out, &format!("{command:?}"));
        let detail = err["detail"].as_str().unwrap();
        assert!(
            detail.contains(url) && detail.contains("unreachable"),
            "{command:?}: {err}"
        );
        assert!(
            took < Duration::from_millis(15_500),
            "{command:?} took {took:?}: as long as the retries' backoff"
        );
    }
    assert_eq!(local_total(&env), 1);
}
