//! `plurum serve`'s rate limits as a team gets them: the hosted budgets with no flag at all
//! (README: search 30/minute, creates 60/hour, feedback 120/hour per experience; a 429
//! carries `Retry-After`), and `--rate-limit` given more than once.

use crate::common;

use std::time::{Duration, Instant};

use common::{Reply, Server, assert_limited, call, register, sample};
use serde_json::json;

/// Spends a per-minute budget of `n` with `ask` (a fresh agent key each try, so a fresh
/// budget): the first `n` answers are `ok`, the next one is the hosted 429. Windows are
/// fixed and start at the first counted request; if the `n + 1` requests did not all fit in
/// one minute (a machine loaded beyond reason), the window may have restarted in between,
/// so the try proves nothing and another is made.
fn spend_a_minute_budget(
    server: &Server,
    name: &str,
    n: u32,
    ok: u16,
    ask: &dyn Fn(&str, u32) -> Reply,
) {
    for attempt in 0..3 {
        let key = register(server, &format!("{name}-{attempt}"));
        let started = Instant::now();
        for i in 0..n {
            let r = ask(&key, i);
            assert_eq!(r.status, ok, "{name}: request {} of {n}: {}", i + 1, r.body);
        }
        let over = ask(&key, n);
        if started.elapsed() >= Duration::from_secs(58) {
            continue;
        }
        assert_limited(&over, n, "minute", 60);
        return;
    }
    panic!("{name}: {} requests never fitted in a minute", n + 1);
}

fn search(server: &Server, key: &str, i: u32) -> Reply {
    call(
        server,
        "POST",
        "/experiences/search",
        Some(key),
        Some(&json!({"query": format!("docker image size, question {i}")})),
    )
}

/// With no flag, a server keeps the hosted budgets: the 30th search of an agent in a minute
/// is answered and the 31st gets 429 with `Retry-After` (at most a minute); the 60th create
/// of an hour is made and the 61st refused (and not stored); the 120th vote on one
/// experience counts and the 121st gets 429, while a vote on another experience still counts.
#[test]
fn the_default_budgets_refuse_the_next_request_with_429_and_retry_after() {
    let server = Server::start_with(&[]);

    // Search: 30 per minute.
    spend_a_minute_budget(&server, "searcher", 30, 200, &|key, i| {
        search(&server, key, i)
    });

    // Creates: 60 per hour.
    let author = register(&server, "author");
    let mut ids = Vec::new();
    for i in 0..60 {
        let r = call(
            &server,
            "POST",
            "/experiences",
            Some(&author),
            Some(&sample(&format!(
                "Rate limited create number {i} of a busy agent"
            ))),
        );
        assert_eq!(r.status, 201, "create {}: {}", i + 1, r.body);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    let over = call(
        &server,
        "POST",
        "/experiences",
        Some(&author),
        Some(&sample("One create too many within the hour")),
    );
    assert_limited(&over, 60, "hour", 3600);
    let drafts = call(
        &server,
        "GET",
        "/experiences?status=draft&limit=100",
        Some(&author),
        None,
    );
    assert_eq!(drafts.status, 200, "{}", drafts.body);
    let goals: Vec<&str> = drafts.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["goal"].as_str().unwrap())
        .collect();
    assert_eq!(goals.len(), 60, "{goals:?}");
    assert!(!goals.contains(&"One create too many within the hour"));

    // Feedback: 120 per hour per experience. Publishing is another path (its own budget).
    for id in &ids[..2] {
        let r = call(
            &server,
            "POST",
            &format!("/experiences/{id}/publish"),
            Some(&author),
            Some(&json!({})),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let voter = register(&server, "voter");
    let vote = |id: &str| {
        call(
            &server,
            "POST",
            &format!("/experiences/{id}/vote"),
            Some(&voter),
            Some(&json!({"vote_type": "up"})),
        )
    };
    for i in 0..120 {
        let r = vote(&ids[0]);
        assert_eq!(r.status, 200, "vote {}: {}", i + 1, r.body);
    }
    assert_limited(&vote(&ids[0]), 120, "hour", 3600);
    // 120 votes toggle it on and off: the refused 121st did not count.
    let first = call(
        &server,
        "GET",
        &format!("/experiences/{}", ids[0]),
        None,
        None,
    );
    assert_eq!(first.body["upvotes"], 0, "{}", first.body);
    let other = vote(&ids[1]);
    assert_eq!(
        other.status, 200,
        "another experience has its own budget: {}",
        other.body
    );
    assert_eq!(other.body["action"], "created", "{}", other.body);
}

/// `--rate-limit` is repeatable: two buckets given both take effect (search 2 a minute and
/// check-username 3 a minute), and the same bucket given twice takes the last value given.
#[test]
fn rate_limit_given_twice_sets_both_buckets_and_the_last_value_wins() {
    let server = Server::start_with(&[
        "--rate-limit",
        "search=2/minute",
        "--rate-limit",
        "check_username=3/minute",
    ]);
    spend_a_minute_budget(&server, "two-buckets-search", 2, 200, &|key, i| {
        search(&server, key, i)
    });
    spend_a_minute_budget(&server, "two-buckets-check", 3, 200, &|key, i| {
        call(
            &server,
            "GET",
            &format!("/agents/check-username?username=candidate-{i}"),
            Some(key),
            None,
        )
    });
    // Another bucket keeps the hosted default (reads, 120 a minute).
    let r = call(&server, "GET", "/experiences", None, None);
    assert_eq!(r.status, 200, "{}", r.body);

    // The same bucket twice: the later value, whichever is larger.
    for (first, last) in [(2u32, 4u32), (4, 2)] {
        let server = Server::start_with(&[
            "--rate-limit",
            &format!("search={first}/minute"),
            "--rate-limit",
            &format!("search={last}/minute"),
        ]);
        spend_a_minute_budget(
            &server,
            &format!("twice-{first}-{last}"),
            last,
            200,
            &|key, i| search(&server, key, i),
        );
    }
}
