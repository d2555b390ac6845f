//! Working sessions through the real binary, with several agents on one store: the whole
//! loop, the assembler field by field, contributions and the inbox, and every refusal.

use crate::common;

use common::{Env, model_dir};
use serde_json::{Value, json};

fn as_agent(env: &Env, agent: &str, args: &[&str]) -> Value {
    env.json_with_model(&[&["--agent", agent], args].concat())
}

fn err_as(env: &Env, agent: &str, args: &[&str], code: i32) -> Value {
    env.json_err(&[&["--agent", agent], args].concat(), code)
}

#[test]
fn the_whole_loop_search_open_log_close_find_report() {
    let env = Env::new();
    // Nothing known yet.
    let before = as_agent(
        &env,
        "alice",
        &[
            "search",
            "postgres streaming replication for high availability",
        ],
    );
    assert_eq!(before["total_found"], 0);

    // Open: the id alone on stdout for scripts.
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args([
            "--agent",
            "alice",
            "session",
            "open",
            "Set up PostgreSQL streaming replication",
            "--domain",
            "databases",
            "--tool",
            "postgresql",
            "--tool",
            "docker",
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["session open"]);
    let sid = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(uuid_like(&sid), "{sid}");

    // Every entry type, from flags and from --content.
    let log = |args: &[&str]| as_agent(&env, "alice", &[&["session", "log", &sid], args].concat());
    assert_eq!(
        log(&["update", "--text", "Two VMs, PostgreSQL 16"])["ordinal"],
        1
    );
    assert_eq!(
        log(&[
            "dead_end",
            "--what",
            "synchronous_commit=on",
            "--why",
            "writes got 3x slower"
        ])["ordinal"],
        2
    );
    log(&[
        "breakthrough",
        "--insight",
        "Use replication slots",
        "--detail",
        "WAL is kept until the replica has it",
        "--importance",
        "high",
    ]);
    log(&[
        "gotcha",
        "--warning",
        "Slots pin WAL on the primary",
        "--context",
        "a dead replica fills the disk",
    ]);
    let code = env.path("slot.sql");
    std::fs::write(
        &code,
        "SELECT pg_create_physical_replication_slot('replica_1');\n",
    )
    .unwrap();
    log(&[
        "artifact",
        "--language",
        "sql",
        "--code-file",
        code.to_str().unwrap(),
        "--description",
        "Create the slot",
    ]);
    let note = log(&[
        "note",
        "--content",
        r#"{"text": "Verified failover with pg_promote()"}"#,
    ]);
    assert_eq!(note["ordinal"], 6);
    assert_eq!(note["entry_type"], "note");

    let shown = as_agent(&env, "alice", &["session", "show", &sid]);
    assert_eq!(shown["entry_count"], 6);
    assert_eq!(shown["entries"].as_array().unwrap().len(), 6);
    // Another agent sees the public session but not its entries.
    let other = as_agent(&env, "bob", &["session", "show", &sid]);
    assert_eq!(other["entry_count"], 6);
    assert_eq!(other["entries"], json!([]));

    // Close: the assembled experience, field by field (reference §4.8).
    let closed = as_agent(
        &env,
        "alice",
        &["session", "close", &sid, "--outcome", "success"],
    );
    assert_eq!(closed["session"]["status"], "closed");
    assert_eq!(closed["session"]["outcome"], "success");
    assert!(closed["session"]["closed_at"].is_string());
    let e = &closed["experience_draft"];
    assert_eq!(e["status"], "published");
    assert_eq!(e["session_id"], sid.as_str());
    assert_eq!(e["goal"], "Set up PostgreSQL streaming replication");
    assert_eq!(e["domain"], "databases");
    assert_eq!(e["tools_used"], json!(["postgresql", "docker"]));
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["visibility"], "public");
    assert_eq!(
        e["dead_ends"],
        json!([{"what": "synchronous_commit=on", "why": "writes got 3x slower"}])
    );
    assert_eq!(
        e["breakthroughs"],
        json!([{"insight": "Use replication slots", "detail": "WAL is kept until the replica has it", "importance": "high"}])
    );
    assert_eq!(
        e["gotchas"],
        json!([{"warning": "Slots pin WAL on the primary", "context": "a dead replica fills the disk"}])
    );
    assert_eq!(
        e["attempts_json"],
        json!([
            {"action": "synchronous_commit=on", "outcome": "writes got 3x slower", "dead_end": true, "insight": "writes got 3x slower"},
            {"action": "Use replication slots", "outcome": "WAL is kept until the replica has it", "dead_end": false, "insight": "WAL is kept until the replica has it"},
        ])
    );
    assert_eq!(
        e["context"],
        "Two VMs, PostgreSQL 16\n\nVerified failover with pg_promote()"
    );
    assert_eq!(e["artifacts"][0]["language"], "sql");
    assert_eq!(e["artifacts"][0]["description"], "Create the slot");
    assert_eq!(e["solution"], Value::Null);
    assert_eq!(e["tags"], json!([]));
    let eid = e["short_id"].as_str().unwrap().to_string();
    let art = as_agent(&env, "bob", &["artifact", &eid, "0"]);
    assert_eq!(
        art["artifact"]["code"],
        "SELECT pg_create_physical_replication_slot('replica_1');\n"
    );

    // Found by another agent's search, who reports an outcome: quality moves.
    let found = as_agent(
        &env,
        "bob",
        &[
            "search",
            "postgres streaming replication for high availability",
        ],
    );
    assert_eq!(found["results"][0]["short_id"], eid.as_str());
    assert_eq!(found["results"][0]["quality_score"], 0.0);
    let report = as_agent(&env, "bob", &["outcome", &eid, "--success"]);
    assert!((report["experience"]["quality_score"].as_f64().unwrap() - 0.144580).abs() < 1e-6);
    let again = as_agent(
        &env,
        "carol",
        &[
            "search",
            "postgres streaming replication for high availability",
            "--explain",
        ],
    );
    assert_eq!(again["results"][0]["short_id"], eid.as_str());
    assert!(
        again["results"][0]["explain"]["quality_factor"]
            .as_f64()
            .unwrap()
            > 1.0
    );
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

fn open(env: &Env, agent: &str, topic: &str, extra: &[&str]) -> String {
    let v = as_agent(env, agent, &[&["session", "open", topic], extra].concat());
    v["session"]["id"].as_str().unwrap().to_string()
}

#[test]
fn private_sessions_yield_drafts_and_empty_sessions_yield_nothing() {
    let env = Env::new();
    let sid = open(
        &env,
        "alice",
        "Tune JVM garbage collection for a latency-sensitive API",
        &["--private"],
    );
    as_agent(
        &env,
        "alice",
        &[
            "session",
            "log",
            &sid,
            "breakthrough",
            "--insight",
            "ZGC keeps pauses under 1 ms",
        ],
    );
    let closed = as_agent(
        &env,
        "alice",
        &["session", "close", &sid, "--outcome", "partial"],
    );
    assert_eq!(closed["experience_draft"]["status"], "draft");
    assert_eq!(closed["experience_draft"]["visibility"], "private");
    assert_eq!(closed["experience_draft"]["outcome"], "partial");
    // Nobody else sees the session at all.
    err_as(&env, "bob", &["session", "show", &sid], 3);

    let empty = open(&env, "alice", "Something I ended up not doing", &[]);
    let closed = as_agent(&env, "alice", &["session", "close", &empty]);
    assert!(closed.get("experience_draft").is_none());
    assert_eq!(closed["session"]["status"], "closed");
    assert_eq!(closed["session"]["outcome"], Value::Null);
    let text = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--agent", "alice", "session", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("closed"));
    let list = as_agent(&env, "alice", &["session", "list", "--status", "closed"]);
    assert_eq!(list["total"], 2);
}

#[test]
fn every_refusal_is_clear_and_changes_nothing() {
    let env = Env::new();
    let sid = open(
        &env,
        "alice",
        "Migrate a monolith's cron jobs to Kubernetes CronJobs",
        &[],
    );

    // Others may not touch it.
    for args in [
        vec!["session", "log", &sid, "note", "--text", "mine now"],
        vec!["session", "close", &sid],
        vec!["session", "abandon", &sid],
        vec!["session", "update", &sid, "--topic", "Hijacked topic here"],
        vec!["session", "contributions", &sid],
    ] {
        let err = err_as(&env, "bob", &args, 5);
        assert!(err["detail"].as_str().unwrap().contains("own"), "{err}");
    }
    // Bad entries: named field, nothing written.
    assert_eq!(
        err_as(
            &env,
            "alice",
            &["session", "log", &sid, "dead_end", "--why", "no what"],
            4
        )["details"]["field"],
        "content.what"
    );
    assert_eq!(
        err_as(
            &env,
            "alice",
            &[
                "session",
                "log",
                &sid,
                "breakthrough",
                "--insight",
                "x",
                "--importance",
                "urgent"
            ],
            4
        )["details"]["field"],
        "content.importance"
    );
    assert_eq!(
        err_as(
            &env,
            "alice",
            &["session", "log", &sid, "artifact", "--language", "sh"],
            4
        )["details"]["field"],
        "content.code"
    );
    assert_eq!(
        err_as(
            &env,
            "alice",
            &[
                "session",
                "log",
                &sid,
                "note",
                "--content",
                r#"{"text": "x", "mood": "happy"}"#
            ],
            4
        )["details"]["field"],
        "content.mood"
    );
    err_as(
        &env,
        "alice",
        &["session", "log", &sid, "epiphany", "--text", "x"],
        2,
    );
    // A secret is refused when logged, by path, never echoed.
    let key = "AKIA2JFKE83NVL4QZP7W";
    let err = err_as(
        &env,
        "alice",
        &[
            "session",
            "log",
            &sid,
            "artifact",
            "--language",
            "sh",
            "--code",
            &format!("export AWS_ACCESS_KEY_ID={key}"),
        ],
        4,
    );
    assert_eq!(err["details"]["field"], "content.code");
    assert!(!err.to_string().contains(key));
    assert_eq!(
        as_agent(&env, "alice", &["session", "show", &sid])["entry_count"],
        0
    );

    // Contributions: not to your own, fine from others.
    let err = err_as(
        &env,
        "alice",
        &[
            "session",
            "contribute",
            &sid,
            "--type",
            "suggestion",
            "--text",
            "note to self",
        ],
        4,
    );
    assert!(err["detail"].as_str().unwrap().contains("your own session"));
    as_agent(
        &env,
        "bob",
        &[
            "session",
            "contribute",
            &sid,
            "--type",
            "warning",
            "--text",
            "CronJobs run in UTC",
        ],
    );

    // Closing twice, abandoning a closed one, logging to or contributing to a closed one.
    as_agent(
        &env,
        "alice",
        &["session", "log", &sid, "note", "--text", "done"],
    );
    as_agent(&env, "alice", &["session", "close", &sid]);
    err_as(&env, "alice", &["session", "close", &sid], 6);
    err_as(&env, "alice", &["session", "abandon", &sid], 6);
    err_as(
        &env,
        "alice",
        &["session", "log", &sid, "note", "--text", "late"],
        6,
    );
    err_as(
        &env,
        "alice",
        &["session", "update", &sid, "--domain", "k8s"],
        6,
    );
    err_as(
        &env,
        "bob",
        &[
            "session",
            "contribute",
            &sid,
            "--type",
            "suggestion",
            "--text",
            "too late",
        ],
        6,
    );
    let abandoned = open(&env, "alice", "A session to abandon right away", &[]);
    assert_eq!(
        as_agent(&env, "alice", &["session", "abandon", &abandoned])["status"],
        "abandoned"
    );
    err_as(&env, "alice", &["session", "abandon", &abandoned], 6);
    err_as(&env, "alice", &["session", "close", &abandoned], 6);
    assert_eq!(
        as_agent(&env, "alice", &["session", "show", &sid])["entry_count"],
        1
    );

    // Bad session input.
    assert_eq!(
        err_as(&env, "alice", &["session", "open", "tiny"], 4)["details"]["field"],
        "topic"
    );
    err_as(&env, "alice", &["session", "show", "00000000"], 3);
    let out = env
        .cmd()
        .args(["session", "log", "note", "--text", "x"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no session and no PLURUM_SESSION"
    );
}

#[test]
fn inbox_hears_of_contributions_similar_sessions_and_their_experiences() {
    let env = Env::new();
    let alice_sid = open(
        &env,
        "alice",
        "Speed up Docker image builds in GitHub Actions CI",
        &["--domain", "ci"],
    );
    // Bob opens a similar session: Alice hears of it, Bob sees Alice's as active.
    let bob = as_agent(
        &env,
        "bob",
        &[
            "session",
            "open",
            "Make Docker builds faster on GitHub Actions",
            "--domain",
            "ci",
        ],
    );
    let bob_sid = bob["session"]["id"].as_str().unwrap().to_string();
    assert_eq!(bob["active_sessions"][0]["id"], alice_sid.as_str());
    assert!(bob["active_sessions"][0]["similarity"].as_f64().unwrap() >= 0.6);
    // An unrelated session notifies nobody.
    open(&env, "carol", "Write a haiku generator in Haskell", &[]);

    let inbox = as_agent(&env, "alice", &["inbox"]);
    assert_eq!(inbox["has_activity"], true);
    let opened: Vec<&Value> = inbox["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "session_opened")
        .collect();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["event_data"]["session_id"], bob_sid.as_str());

    // Bob contributes to Alice's session.
    let c = as_agent(
        &env,
        "bob",
        &[
            "session",
            "contribute",
            &alice_sid,
            "--type",
            "suggestion",
            "--text",
            "Use the gha cache backend of buildx",
        ],
    );
    assert_eq!(c["contribution_type"], "suggestion");
    let contributions = as_agent(&env, "alice", &["session", "contributions", &alice_sid]);
    assert_eq!(
        contributions["items"][0]["content"]["text"],
        "Use the gha cache backend of buildx"
    );

    // Bob closes with an experience: Alice hears of it with its ids.
    as_agent(
        &env,
        "bob",
        &[
            "session",
            "log",
            &bob_sid,
            "breakthrough",
            "--insight",
            "cache-from type=gha",
            "--detail",
            "layers come back from the Actions cache",
        ],
    );
    let closed = as_agent(
        &env,
        "bob",
        &["session", "close", &bob_sid, "--outcome", "success"],
    );
    let inbox = as_agent(&env, "alice", &["inbox", "--unread"]);
    let types: Vec<&str> = inbox["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"contribution_received")
            && types.contains(&"session_closed")
            && types.contains(&"session_opened"),
        "{types:?}"
    );
    assert_eq!(inbox["unread_count"], 3);
    let closed_event = inbox["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "session_closed")
        .unwrap();
    assert_eq!(
        closed_event["event_data"]["experience_id"],
        closed["experience_draft"]["id"]
    );
    assert_eq!(
        closed_event["event_data"]["experience_short_id"],
        closed["experience_draft"]["short_id"]
    );
    assert_eq!(closed_event["event_data"]["outcome"], "success");

    // Mark one read, then all; Carol's inbox is untouched and empty.
    let first = inbox["events"][0]["id"].as_str().unwrap();
    assert_eq!(
        as_agent(&env, "alice", &["inbox", "read", first])["marked_read"],
        1
    );
    assert_eq!(as_agent(&env, "alice", &["inbox"])["unread_count"], 2);
    assert_eq!(
        as_agent(&env, "bob", &["inbox", "read", first])["marked_read"],
        0,
        "not bob's event"
    );
    assert_eq!(
        as_agent(&env, "alice", &["inbox", "read", "--all"])["marked_read"],
        2
    );
    assert_eq!(
        as_agent(&env, "alice", &["inbox", "--unread"])["events"],
        json!([])
    );
    assert_eq!(as_agent(&env, "carol", &["inbox"])["has_activity"], false);
    err_as(&env, "alice", &["inbox", "read", "not-an-id"], 4);

    // Pulse: the public sessions and the active agents.
    let pulse = as_agent(&env, "alice", &["pulse"]);
    assert_eq!(pulse["total_agents"], 3);
    assert_eq!(pulse["active_sessions"], 2, "alice's and carol's are open");
    assert_eq!(pulse["sessions"].as_array().unwrap().len(), 3);
    assert!(pulse["connected_agents"].as_i64().unwrap() >= 2);
}

#[test]
fn update_changes_an_open_session() {
    let env = Env::new();
    let sid = open(&env, "alice", "Set up a reverse proxy", &[]);
    let s = as_agent(
        &env,
        "alice",
        &[
            "session",
            "update",
            &sid,
            "--topic",
            "Set up Caddy as a reverse proxy with automatic TLS",
            "--domain",
            "networking",
            "--tool",
            "caddy",
            "--visibility",
            "private",
        ],
    );
    assert_eq!(
        s["topic"],
        "Set up Caddy as a reverse proxy with automatic TLS"
    );
    assert_eq!(s["domain"], "networking");
    assert_eq!(s["tools_used"], json!(["caddy"]));
    assert_eq!(s["visibility"], "private");
    err_as(&env, "bob", &["session", "show", &sid], 3);
}

#[test]
fn concurrent_logging_assigns_unique_ordinals() {
    let env = Env::new();
    let sid = open(&env, "alice", "Log from many processes at once", &[]);
    let failures: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (env, sid) = (&env, &sid);
                scope.spawn(move || {
                    (0..5)
                        .filter(|j| {
                            let out = env
                                .cmd()
                                .env("PLURUM_SESSION", sid)
                                .args([
                                    "--agent",
                                    "alice",
                                    "session",
                                    "log",
                                    "note",
                                    "--text",
                                    &format!("process {i} note {j}"),
                                ])
                                .output()
                                .unwrap();
                            !out.status.success()
                        })
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(failures, 0);
    let shown = as_agent(&env, "alice", &["session", "show", &sid]);
    let ordinals: Vec<i64> = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ordinal"].as_i64().unwrap())
        .collect();
    assert_eq!(ordinals, (1..=40).collect::<Vec<i64>>());
}

#[test]
fn sessions_travel_in_export_and_import() {
    let a = Env::new();
    let sid = open(
        &a,
        "alice",
        "Configure log rotation for a chatty service",
        &[],
    );
    as_agent(
        &a,
        "alice",
        &[
            "session",
            "log",
            &sid,
            "gotcha",
            "--warning",
            "copytruncate loses lines",
        ],
    );
    as_agent(
        &a,
        "bob",
        &[
            "session",
            "contribute",
            &sid,
            "--type",
            "reference",
            "--text",
            "see logrotate(8)",
        ],
    );
    as_agent(
        &a,
        "alice",
        &["session", "close", &sid, "--outcome", "success"],
    );
    let file = a.path("x.jsonl");
    a.json(&["export", file.to_str().unwrap()]);

    let b = Env::new();
    let summary = b.json(&["import", file.to_str().unwrap()]);
    assert_eq!(summary["added"]["sessions"], 1);
    assert_eq!(summary["added"]["session_entries"], 1);
    assert_eq!(summary["added"]["session_contributions"], 1);
    assert_eq!(summary["added"]["inbox_events"], 1);
    let again = b.json(&["import", file.to_str().unwrap()]);
    assert_eq!(again["added"]["sessions"], 0);
    let shown = as_agent(&b, "alice", &["session", "show", &sid]);
    assert_eq!(
        shown["entries"][0]["content"]["warning"],
        "copytruncate loses lines"
    );
    assert_eq!(shown["status"], "closed");
    let back = b.path("back.jsonl");
    b.json(&["export", back.to_str().unwrap()]);
    let strip = |p: &std::path::Path| -> Vec<String> {
        let mut lines: Vec<String> = std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("\"type\":\"header\""))
            .map(str::to_string)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(strip(&file), strip(&back));
}
