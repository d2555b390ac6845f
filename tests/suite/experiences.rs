//! The experience lifecycle through the real binary: publish, read, list, artifacts,
//! acquire, drafts, archive, outcomes, votes, ids, and the refusals.

use crate::common;

use common::{Env, sample};
use serde_json::{Value, json};

const DETAIL_KEYS: &[&str] = &[
    "schema_version",
    "id",
    "short_id",
    "session_id",
    "agent_id",
    "goal",
    "domain",
    "tools_used",
    "status",
    "visibility",
    "outcome",
    "success_count",
    "failure_count",
    "total_reports",
    "success_rate",
    "upvotes",
    "downvotes",
    "quality_score",
    "created_at",
    "updated_at",
    "tags",
    "confidence",
    "dead_ends",
    "breakthroughs",
    "gotchas",
    "context",
    "artifacts",
    "attempts_json",
    "solution",
    "context_structured",
];

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn total(env: &Env) -> i64 {
    env.json(&["list", "--include-archived"])["total"]
        .as_i64()
        .unwrap()
}

#[test]
fn publish_returns_the_detail_projection_and_show_reads_it_back() {
    let env = Env::new();
    let created = env.publish(&sample("Deploy FastAPI to AWS ECS with Docker"));
    // The detail's keys, then what a publish adds at the top level (model::duplicates).
    assert_eq!(
        keys(&created),
        [DETAIL_KEYS, &["created", "possible_duplicates"]].concat()
    );
    assert_eq!(created["created"], true);
    assert_eq!(created["possible_duplicates"], json!([]));
    assert_eq!(created["status"], "published");
    assert_eq!(created["quality_score"], 0.0);
    assert_eq!(
        created["gotchas"][0],
        json!({"warning": "Health check path must match the container port", "context": null})
    );
    assert_eq!(created["breakthroughs"][0]["importance"], "high");
    // Artifacts carry metadata only; the code is fetched on demand.
    assert_eq!(
        created["artifacts"][0],
        json!({"index": 0, "language": "dockerfile", "description": "Multi-stage Dockerfile", "bytes": 53, "lines": 3})
    );
    let short = created["short_id"].as_str().unwrap();
    assert_eq!(short.len(), 8);
    assert!(
        short
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );

    let id = created["id"].as_str().unwrap();
    for handle in [id, short, &short[..4], &id.to_uppercase()] {
        let shown = env.json(&["show", handle]);
        assert_eq!(shown["id"], created["id"], "show {handle}");
    }
    let art = env.json(&["artifact", short, "0"]);
    assert_eq!(
        art["artifact"]["code"],
        "FROM python:3.11-slim AS build\nRUN pip wheel -w /w .\n"
    );
    assert_eq!(art["artifact_index"], 0);
    assert_eq!(
        env.json_err(&["artifact", short, "1"], 3)["details"]["resource"],
        "Artifact"
    );

    // Piped, without --json, `artifact ID N` prints the code alone.
    let raw = env.run(&["artifact", short, "0"]);
    assert_eq!(
        String::from_utf8(raw.stdout).unwrap(),
        "FROM python:3.11-slim AS build\nRUN pip wheel -w /w .\n"
    );
}

#[test]
fn list_is_newest_first_with_the_api_envelope_and_filters() {
    let env = Env::new();
    let mut a = sample("First: deploy a thing to ECS");
    a["tags"] = json!(["aws", "ecs"]);
    let mut b = sample("Second: tune PostgreSQL autovacuum");
    b["domain"] = json!("databases");
    b["tags"] = json!(["postgres"]);
    let mut c = sample("Third: cache Rust builds in CI");
    c["domain"] = json!("ci");
    c["tags"] = json!(["rust", "AWS"]);
    for e in [&a, &b, &c] {
        env.publish(e);
    }
    let page = env.json(&["list", "--limit", "2"]);
    assert_eq!(page["total"], 3);
    assert_eq!(page["has_more"], true);
    assert_eq!(page["limit"], 2);
    let goals: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["goal"].as_str().unwrap())
        .collect();
    assert_eq!(
        goals,
        [
            "Third: cache Rust builds in CI",
            "Second: tune PostgreSQL autovacuum"
        ]
    );
    // List items carry no content.
    assert!(page["items"][0].get("solution").is_none());
    assert!(page["items"][0].get("dead_ends").is_none());
    let rest = env.json(&["list", "--limit", "2", "--offset", "2"]);
    assert_eq!(rest["items"][0]["goal"], "First: deploy a thing to ECS");
    assert_eq!(rest["has_more"], false);

    assert_eq!(env.json(&["list", "--domain", "databases"])["total"], 1);
    assert_eq!(
        env.json(&["list", "--tag", "aws"])["total"],
        2,
        "tags match case-insensitively"
    );
    assert_eq!(
        env.json(&["list", "--tag", "aws", "--tag", "rust"])["total"],
        1,
        "all tags must match"
    );
    assert_eq!(env.json(&["list", "--tag", "nothing"])["total"], 0);
    assert_eq!(
        env.json_err(&["list", "--limit", "0"], 4)["details"]["field"],
        "limit"
    );
}

#[test]
fn bulk_publish_reads_arrays_json_lines_and_streams_in_input_order() {
    let env = Env::new();
    // More than one embedding batch (BATCH_SIZE, 256), of short items: the order across
    // batches is the point, not the text.
    let items: Vec<Value> = (0..300)
        .map(|i| json!({"goal": format!("Bulk experience number {i:03}"), "domain": "testing"}))
        .collect();
    let array = env.path("bulk.json");
    std::fs::write(&array, Value::Array(items.clone()).to_string()).unwrap();
    let out = env.json(&["publish", "--file", array.to_str().unwrap()]);
    let created = out["created"].as_array().unwrap();
    assert_eq!(created.len(), 300);
    for (i, c) in created.iter().enumerate() {
        let shown = env.json(&["show", c["short_id"].as_str().unwrap()]);
        assert_eq!(shown["goal"], format!("Bulk experience number {i:03}"));
        assert_eq!(shown["id"], c["id"]);
        if i > 3 {
            break;
        }
    }
    assert_eq!(
        env.json(&["show", created[299]["id"].as_str().unwrap()])["goal"],
        "Bulk experience number 299"
    );

    // JSON Lines on stdin.
    let lines: String = (0..3)
        .map(|i| format!("{}\n", sample(&format!("JSON Lines item number {i}"))))
        .collect();
    let out = env.run_stdin(&["--json", "publish", "--file", "-"], &lines);
    common::assert_ok(&out, &["publish --file -"]);
    assert_eq!(
        common::parse(&out.stdout)["created"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(total(&env), 303);

    // A single object gives the detail, not the bulk envelope.
    let one = env.run_stdin(
        &["--json", "publish", "--file", "-"],
        &sample("A single object on stdin").to_string(),
    );
    let one = common::parse(&one.stdout);
    assert!(one["id"].is_string() && one["created"] == true, "{one}");
}

#[test]
fn a_bad_item_in_a_bulk_publish_names_its_path_and_writes_nothing() {
    let env = Env::new();
    let mut items: Vec<Value> = (0..5)
        .map(|i| sample(&format!("Good experience number {i}")))
        .collect();
    items[3]["dead_ends"] = json!([{"why": "missing what"}]);
    let file = env.path("bad.json");
    std::fs::write(&file, Value::Array(items).to_string()).unwrap();
    let err = env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
    assert_eq!(err["details"]["field"], "[3].dead_ends[0].what");
    assert_eq!(total(&env), 0);
}

#[test]
fn invalid_input_is_refused_with_the_field_and_nothing_is_written() {
    let env = Env::new();
    let cases = [
        (json!({"goal": "too short"}), "goal"),
        (json!({"goal": 42}), "goal"),
        (json!({"domain": "no goal at all"}), "goal"),
        (
            json!({"goal": "A fine goal text", "confidence": 1.2}),
            "confidence",
        ),
        (
            json!({"goal": "A fine goal text", "outcome": "great"}),
            "outcome",
        ),
        (
            json!({"goal": "A fine goal text", "visibility": "friends"}),
            "visibility",
        ),
        (
            json!({"goal": "A fine goal text", "breakthroughs": [{"insight": "x", "importance": "urgent"}]}),
            "breakthroughs[0].importance",
        ),
        (
            json!({"goal": "A fine goal text", "artifacts": [{"language": "", "code": "x"}]}),
            "artifacts[0].language",
        ),
        (
            json!({"goal": "A fine goal text", "artifacts": [{"language": "sh", "code": ""}]}),
            "artifacts[0].code",
        ),
        (json!({"goal": "A fine goal text", "tags": [1]}), "tags[0]"),
        (
            json!({"goal": "A fine goal text", "domain": "x".repeat(101)}),
            "domain",
        ),
        (
            json!({"goal": "A fine goal text", "attempts": [{"outcome": "no action"}]}),
            "attempts[0].action",
        ),
        (json!(["not", "experiences"]), "[0]"),
    ];
    for (input, field) in cases {
        let file = env.path("case.json");
        std::fs::write(&file, input.to_string()).unwrap();
        let err = env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
        assert_eq!(err["details"]["field"], field, "{input}");
        assert!(err["detail"].as_str().unwrap().contains(field), "{err}");
    }
    // Broken JSON and invalid UTF-8.
    let file = env.path("broken.json");
    std::fs::write(&file, "{\"goal\": ").unwrap();
    assert_eq!(
        env.json_err(&["publish", "--file", file.to_str().unwrap()], 4)["details"]["field"],
        "file"
    );
    std::fs::write(&file, b"{\"goal\": \"\xff\xfe invalid utf8 here\"}").unwrap();
    let err = env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
    assert!(err["detail"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(total(&env), 0);
}

#[test]
fn secrets_are_refused_by_path_without_echoing_them() {
    let env = Env::new();
    let aws = "AKIA2JFKE83NVL4QZP7W";
    let github = format!("ghp_{}", "a1B2c3D4e5".repeat(4));
    let pem = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAAA".repeat(3)
    );
    let cases = [
        (
            json!({"artifacts": [{"language": "sh", "code": format!("export AWS_ACCESS_KEY_ID={aws}")}]}),
            "artifacts[0].code",
            aws.to_string(),
        ),
        (
            json!({"gotchas": [{"warning": "w", "context": format!("token {github}")}]}),
            "gotchas[0].context",
            github.clone(),
        ),
        (
            json!({"tags": ["ok", github.clone()]}),
            "tags[1]",
            github.clone(),
        ),
        (
            json!({"context_structured": {"environment": format!("DATABASE_URL=postgres://app:Sup3rS3cret@db:5432/app")}}),
            "context_structured.environment",
            "Sup3rS3cret".to_string(),
        ),
        (
            json!({"artifacts": [{"language": "text", "code": pem.clone()}]}),
            "artifacts[0].code",
            "b3BlbnNzaC1rZXktdjEAAAAA".to_string(),
        ),
    ];
    for (extra, field, secret) in cases {
        let mut e = sample("An experience that leaks a credential");
        for (k, v) in extra.as_object().unwrap() {
            e[k] = v.clone();
        }
        let file = env.path("secret.json");
        std::fs::write(&file, e.to_string()).unwrap();
        for json_mode in [true, false] {
            let mut args = vec!["publish", "--file", file.to_str().unwrap()];
            if json_mode {
                args.insert(0, "--json");
            }
            let out = env.run(&args);
            assert_eq!(out.status.code(), Some(4), "{field}");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(all.contains(field), "{all}");
            assert!(!all.contains(&secret), "the secret was echoed: {all}");
        }
    }
    // Placeholders are fine.
    let mut e = sample("Configure the API client with placeholders");
    e["artifacts"] = json!([{"language": "sh", "code": "export OPENAI_API_KEY=YOUR_API_KEY\nexport DATABASE_URL=postgres://app:<password>@db/app\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"}]);
    env.publish(&e);
    assert_eq!(total(&env), 1);
}

#[test]
fn drafts_are_private_until_published_and_only_the_owner_archives() {
    let env = Env::new();
    let file = env.path("draft.json");
    std::fs::write(
        &file,
        sample("A draft about Redis eviction policies").to_string(),
    )
    .unwrap();
    let draft = env.json(&[
        "--agent",
        "alice",
        "publish",
        "--draft",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(draft["status"], "draft");
    let id = draft["short_id"].as_str().unwrap();

    // Another agent cannot see it at all.
    assert_eq!(
        env.json_err(&["--agent", "bob", "show", id], 3)["details"]["resource"],
        "Experience"
    );
    assert_eq!(env.json(&["--agent", "bob", "list"])["total"], 0);
    assert_eq!(env.json(&["--agent", "alice", "list"])["total"], 1);
    env.json_err(&["--agent", "bob", "outcome", id, "--success"], 3);
    env.json_err(&["--agent", "bob", "experience", "publish", id], 3);

    let published = env.json(&["--agent", "alice", "experience", "publish", id]);
    assert_eq!(published["status"], "published");
    assert_eq!(
        env.json(&["--agent", "bob", "show", id])["status"],
        "published"
    );
    let again = env.json_err(&["--agent", "alice", "experience", "publish", id], 6);
    assert!(
        again["detail"]
            .as_str()
            .unwrap()
            .contains("Can only publish draft")
    );

    let denied = env.json_err(&["--agent", "bob", "experience", "archive", id], 5);
    assert_eq!(denied["detail"], "You don't own this experience");
    let archived = env.json(&["--agent", "alice", "experience", "archive", id]);
    assert_eq!(archived["status"], "archived");
    assert_eq!(
        env.json(&["--agent", "alice", "experience", "archive", id])["status"],
        "archived"
    );
    assert_eq!(env.json(&["--agent", "bob", "list"])["total"], 0);
    assert_eq!(env.json(&["--agent", "alice", "list"])["total"], 0);
    assert_eq!(
        env.json(&["--agent", "alice", "list", "--include-archived"])["total"],
        1
    );
}

#[test]
fn outcomes_replace_and_votes_toggle_with_exact_quality_scores() {
    let env = Env::new();
    let id = env.publish(&sample("Rotate TLS certificates without downtime"))["short_id"]
        .as_str()
        .unwrap()
        .to_string();

    let r = env.json(&[
        "--agent",
        "alice",
        "outcome",
        &id,
        "--success",
        "--notes",
        "worked on nginx 1.25",
        "--time-ms",
        "4500",
    ]);
    assert_eq!(r["success"], true);
    assert_eq!(r["execution_time_ms"], 4500);
    assert_eq!(r["experience"]["success_count"], 1);
    assert!((r["experience"]["quality_score"].as_f64().unwrap() - 0.144580).abs() < 1e-6);

    // A second report from the same agent replaces the first; omitted fields keep their values.
    let r2 = env.json(&[
        "--agent",
        "alice",
        "outcome",
        &id,
        "--failure",
        "--error",
        "handshake failed",
    ]);
    assert_eq!(r2["id"], r["id"]);
    assert_eq!(r2["created_at"], r["created_at"]);
    assert_eq!(r2["success"], false);
    assert_eq!(r2["context_notes"], "worked on nginx 1.25");
    assert_eq!(r2["error_message"], "handshake failed");
    assert_eq!(r2["experience"]["total_reports"], 1);
    assert_eq!(r2["experience"]["failure_count"], 1);
    assert_eq!(r2["experience"]["success_count"], 0);

    let v = env.json(&["--agent", "alice", "vote", &id, "up"]);
    assert_eq!(
        (v["action"].as_str(), v["vote_type"].as_str()),
        (Some("created"), Some("up"))
    );
    assert_eq!(v["experience"]["upvotes"], 1);
    let v = env.json(&["--agent", "alice", "vote", &id, "down"]);
    assert_eq!(
        (v["action"].as_str(), v["vote_type"].as_str()),
        (Some("changed"), Some("down"))
    );
    assert_eq!(
        (
            v["experience"]["upvotes"].as_i64(),
            v["experience"]["downvotes"].as_i64()
        ),
        (Some(0), Some(1))
    );
    let v = env.json(&["--agent", "alice", "vote", &id, "down"]);
    assert_eq!(v["action"], "withdrawn");
    assert_eq!(v["vote_type"], Value::Null);
    assert_eq!(v["experience"]["downvotes"], 0);

    // 8/10 successes and 3 up / 1 down: 0.433301 (reference §4.5).
    for i in 0..10 {
        let flag = if i < 8 { "--success" } else { "--failure" };
        env.json(&["--agent", &format!("agent-{i}"), "outcome", &id, flag]);
    }
    for (i, dir) in ["up", "up", "up", "down"].iter().enumerate() {
        env.json(&["--agent", &format!("agent-{i}"), "vote", &id, dir]);
    }
    env.json(&["--agent", "alice", "outcome", &id, "--success"]); // alice: 9/11 now
    env.json(&["--agent", "alice", "outcome", &id, "--failure"]); // back to 8/11
    let shown = env.json(&["show", &id]);
    assert_eq!(shown["total_reports"], 11);
    assert_eq!(shown["success_count"], 8);
    let expected = plurum::model::quality::quality_score(8, 11, 3, 1);
    assert!((shown["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12);
    assert!((shown["success_rate"].as_f64().unwrap() - 8.0 / 11.0).abs() < 1e-12);
}

#[test]
fn acquire_modes_follow_the_reference_shapes() {
    let env = Env::new();
    let id = env.publish(&sample("Deploy FastAPI to AWS ECS with Docker"))["short_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.json(&["--agent", "agent-1", "outcome", &id, "--success"]);
    env.json(&["--agent", "agent-2", "outcome", &id, "--success"]);
    env.json(&["--agent", "agent-3", "outcome", &id, "--failure"]);

    let s = env.json(&["acquire", &id, "--mode", "summary"]);
    assert_eq!(
        keys(&s),
        [
            "schema_version",
            "experience_id",
            "short_id",
            "mode",
            "content"
        ]
    );
    assert_eq!(
        s["content"]["summary"],
        "Goal: Deploy FastAPI to AWS ECS with Docker. Key insight: Multi-stage builds cut the image by 80%. \
         Watch out: Health check path must match the container port. Success rate: 67% (3 reports). Outcome: success."
    );
    let c = env.json(&["acquire", &id, "--mode", "checklist"])["content"].clone();
    assert_eq!(
        c["do"],
        json!(["Multi-stage builds cut the image by 80%: Build wheels in a builder stage"])
    );
    assert_eq!(
        c["dont"],
        json!(["Tried Fargate Spot - Too many interruptions"])
    );
    assert_eq!(
        c["watch"],
        json!([
            "Health check path must match the container port",
            "ALB idle timeout is 60 s"
        ])
    );
    let d = env.json(&["acquire", &id, "--mode", "decision_tree"])["content"]["decisions"].clone();
    assert_eq!(d.as_array().unwrap().len(), 4);
    assert_eq!(
        d[0],
        json!({"condition": "If working on: Deploy FastAPI to AWS ECS with Docker", "action": "Multi-stage builds cut the image by 80%", "detail": "Build wheels in a builder stage", "type": "do"})
    );
    assert_eq!(d[1]["type"], "avoid");
    assert_eq!(
        d[2]["condition"],
        "When: Deploy FastAPI to AWS ECS with Docker"
    );
    assert_eq!(d[3]["condition"], "long polling");
    let f = env.json(&["acquire", &id])["content"].clone();
    assert_eq!(
        f["artifacts"][0]["code"],
        "FROM python:3.11-slim AS build\nRUN pip wheel -w /w .\n"
    );
    assert_eq!(f["trust_score"], env.json(&["show", &id])["quality_score"]);
    assert!(f.get("attempts").is_some());
    // A terminal-free human rendering exists for every mode.
    for mode in ["summary", "checklist", "decision_tree", "full"] {
        let out = env.run(&["acquire", &id, "--mode", mode]);
        common::assert_ok(&out, &["acquire", mode]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("Deploy FastAPI"));
    }
}

#[test]
fn identifiers_not_found_ambiguous_and_malformed() {
    let env = Env::new();
    env.json_err(&["show", "00000000"], 3);
    env.json_err(&["show", "0bd3f8a5-5c0e-4a43-9e29-6cbcdf2e8a3d"], 3);
    assert_eq!(env.json_err(&["show", "no!"], 4)["details"]["field"], "id");
    env.json_err(&["show", "abcd"], 3);

    // Two experiences whose short ids share a prefix (imported with chosen ids).
    let first = env.publish(&sample("Experience whose id starts abcd0001"));
    let export = env.path("x.jsonl");
    env.json(&["export", export.to_str().unwrap()]);
    let text = std::fs::read_to_string(&export).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"type\":\"experience\""))
        .unwrap();
    let mut crafted = String::new();
    for (i, short) in ["abcd0001", "abcd0002"].iter().enumerate() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        v["id"] = json!(format!("0bd3f8a5-5c0e-4a43-9e29-6cbcdf2e8a3{i}"));
        v["short_id"] = json!(short);
        crafted.push_str(&format!("{v}\n"));
    }
    let file = env.path("crafted.jsonl");
    std::fs::write(&file, crafted).unwrap();
    env.json(&["import", file.to_str().unwrap()]);
    let err = env.json_err(&["show", "abcd"], 4);
    assert!(
        err["detail"]
            .as_str()
            .unwrap()
            .contains("matches 2 experiences"),
        "{err}"
    );
    env.json_err(&["show", "abcd000"], 4);
    assert_eq!(env.json(&["show", "abcd0002"])["short_id"], "abcd0002");
    assert_eq!(env.json(&["show", "ABCD0001"])["short_id"], "abcd0001");
    let _ = first;
}

#[test]
fn usage_errors_exit_2_and_never_prompt_without_a_terminal() {
    let env = Env::new();
    let out = env.run(&["publish"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to publish"));
    let err = env.json_err(&["vote", "abcd1234", "sideways"], 2);
    assert!(err["detail"].as_str().unwrap().contains("sideways"));
    env.json_err(&["outcome", "abcd1234"], 2);
    env.json_err(&["no-such-command"], 2);
    // --json from the environment works too.
    let out = env
        .cmd()
        .env("PLURUM_JSON", "1")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(common::parse(&out.stdout)["total"], 0);
}

#[test]
fn publishing_from_flags() {
    let env = Env::new();
    let e = env.json(&[
        "publish",
        "--goal",
        "Speed up cargo builds in GitHub Actions",
        "--domain",
        "ci",
        "--tag",
        "rust",
        "--tag",
        "ci",
        "--tool",
        "cargo",
        "--dead-end",
        "Cached ~/.cargo only :: target/ dominated the build time",
        "--breakthrough",
        "Swatinem/rust-cache :: caches target keyed by Cargo.lock",
        "--gotcha",
        "Cache size limit is 10 GB per repo",
        "--solution",
        "Use Swatinem/rust-cache@v2",
        "--outcome",
        "success",
        "--confidence",
        "0.9",
    ]);
    assert_eq!(
        e["dead_ends"][0],
        json!({"what": "Cached ~/.cargo only", "why": "target/ dominated the build time"})
    );
    assert_eq!(
        e["breakthroughs"][0]["detail"],
        "caches target keyed by Cargo.lock"
    );
    assert_eq!(
        e["gotchas"][0],
        json!({"warning": "Cache size limit is 10 GB per repo", "context": null})
    );
    assert_eq!(e["tags"], json!(["rust", "ci"]));
    assert_eq!(e["confidence"], 0.9);
    assert_eq!(
        env.json_err(&["publish", "--goal", "short"], 4)["details"]["field"],
        "goal"
    );
}

#[test]
fn local_development_defaults_are_not_secrets_but_real_passwords_are() {
    let env = Env::new();
    // The documented defaults of local containers publish.
    let mut e = sample("Run the integration tests against local Postgres and RabbitMQ");
    e["context"] = json!(
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/test\nAMQP_URL=amqp://guest:guest@localhost:5672/"
    );
    e["artifacts"] = json!([{"language": "yaml", "code": "environment:\n  DATABASE_URL: postgres://app:app@db:5432/app\n", "description": "compose"}]);
    let file = env.path("local.json");
    std::fs::write(&file, e.to_string()).unwrap();
    let out = env.run(&["--json", "publish", "--file", file.to_str().unwrap()]);
    common::assert_ok(&out, &["publish local defaults"]);
    assert_eq!(total(&env), 1);

    // A real-looking password to another host is still refused, by path, and not echoed.
    let mut e = sample("Point the service at the shared staging database");
    e["context"] = json!("DATABASE_URL=postgres://app:Xk39vLq8wQ@db.example.com:5432/app");
    std::fs::write(&file, e.to_string()).unwrap();
    let err = env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
    assert_eq!(err["details"]["field"], "context");
    assert!(!err.to_string().contains("Xk39vLq8wQ"));
    // And a default password to a host that is not local.
    e["context"] = json!("DATABASE_URL=postgres://postgres:postgres@db.example.com:5432/app");
    std::fs::write(&file, e.to_string()).unwrap();
    env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
    assert_eq!(total(&env), 1);
}
