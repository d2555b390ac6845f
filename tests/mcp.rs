//! `plurum mcp` through a real MCP client (rmcp's) over stdio, against the real binary, store
//! and model: the tools are listed with schemas and annotations, the agent loop works, and a
//! malformed call is a tool error after which the server keeps serving.

mod common;

use std::process::Stdio;

use common::{Env, model_dir};
use rmcp::RoleClient;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

async fn connect(env: &Env) -> RunningService<RoleClient, ()> {
    let mut cmd = env.cmd();
    cmd.env("PLURUM_MODEL_DIR", model_dir()).arg("mcp");
    let transport = TokioChildProcess::builder(tokio::process::Command::from(cmd))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn plurum mcp")
        .0;
    ().serve(transport).await.expect("MCP handshake")
}

async fn call(client: &RunningService<RoleClient, ()>, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(map))
        .await
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

/// A successful call's document (the CLI's `--json` document).
async fn ok(client: &RunningService<RoleClient, ()>, tool: &str, args: Value) -> Value {
    let result = call(client, tool, args).await;
    assert_ne!(result.is_error, Some(true), "{tool} failed: {result:?}");
    let doc = result.structured_content.expect("structured content");
    assert_eq!(doc["schema_version"], 1, "{tool}: {doc}");
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_runs_the_whole_loop_over_mcp() {
    let env = Env::new();
    let client = connect(&env).await;
    let info = client.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|s| s.name.as_str()),
        Some("plurum")
    );

    // Eleven tools, each with an input schema, a description and honest annotations.
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in [
        "plurum_search",
        "plurum_get_experience",
        "plurum_get_artifact",
        "plurum_acquire",
        "plurum_publish",
        "plurum_report_outcome",
        "plurum_vote",
        "plurum_archive",
        "plurum_session_open",
        "plurum_session_log",
        "plurum_session_close",
    ] {
        assert!(names.contains(&expected), "missing {expected}: {names:?}");
    }
    assert_eq!(tools.len(), 11);
    for t in &tools {
        assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        assert!(
            t.description.as_ref().is_some_and(|d| d.len() > 40),
            "{}",
            t.name
        );
    }
    let annotation = |name: &str| {
        tools
            .iter()
            .find(|t| t.name == name)
            .unwrap()
            .annotations
            .clone()
            .unwrap()
    };
    assert_eq!(annotation("plurum_search").read_only_hint, Some(true));
    assert_eq!(annotation("plurum_archive").destructive_hint, Some(true));
    assert_eq!(annotation("plurum_publish").read_only_hint, Some(false));
    let search_schema = &tools
        .iter()
        .find(|t| t.name == "plurum_search")
        .unwrap()
        .input_schema;
    assert_eq!(search_schema["required"], json!(["query"]));

    // Nothing yet; publish with plugin-style arguments (plain-string dead ends and gotchas).
    let empty = ok(
        &client,
        "plurum_search",
        json!({"query": "slow cargo builds in CI"}),
    )
    .await;
    assert_eq!(empty["total_found"], 0);
    let published = ok(&client, "plurum_publish", json!({
        "goal": "Speed up cargo builds in GitHub Actions CI",
        "solution": "Cache target/ with Swatinem/rust-cache keyed by Cargo.lock",
        "dead_ends": ["Caching only ~/.cargo: target/ dominated the build time"],
        "gotchas": ["The Actions cache is limited to 10 GB per repository"],
        "breakthroughs": [{"insight": "rust-cache keys on Cargo.lock and the toolchain", "detail": "hits survive unrelated commits", "importance": "high"}],
        "tags": ["rust", "ci"],
        "domain": "ci",
        "artifacts": [{"language": "yaml", "code": "- uses: Swatinem/rust-cache@v2", "description": "the step"}],
    })).await;
    let id = published["short_id"].as_str().unwrap().to_string();
    assert_eq!(published["status"], "published");
    assert_eq!(
        published["dead_ends"][0]["what"],
        "Caching only ~/.cargo: target/ dominated the build time"
    );

    let found = ok(
        &client,
        "plurum_search",
        json!({"query": "my rust CI builds are slow", "limit": 5}),
    )
    .await;
    assert_eq!(found["results"][0]["short_id"], id.as_str(), "{found}");
    assert_eq!(found["results"][0]["quality_score"], 0.0);

    let detail = ok(
        &client,
        "plurum_get_experience",
        json!({"experience_id": id}),
    )
    .await;
    assert_eq!(detail["artifacts"][0]["language"], "yaml");
    let artifact = ok(
        &client,
        "plurum_get_artifact",
        json!({"experience_id": id, "artifact_index": 0}),
    )
    .await;
    assert!(
        artifact["artifact"]["code"]
            .as_str()
            .unwrap()
            .contains("rust-cache")
    );
    let checklist = ok(
        &client,
        "plurum_acquire",
        json!({"experience_id": id, "mode": "checklist"}),
    )
    .await;
    assert_eq!(checklist["mode"], "checklist");

    // Report success: the next search shows the quality change.
    let report = ok(
        &client,
        "plurum_report_outcome",
        json!({"experience_id": id, "outcome": "success", "note": "cut CI from 14 to 4 minutes"}),
    )
    .await;
    assert_eq!(report["success"], true);
    let after = ok(
        &client,
        "plurum_search",
        json!({"query": "my rust CI builds are slow"}),
    )
    .await;
    let quality = after["results"][0]["quality_score"].as_f64().unwrap();
    assert!(
        (quality - plurum::quality::quality_score(1, 1, 0, 0)).abs() < 1e-12,
        "{after}"
    );

    // Partial counts as not a success, and the note says which it was.
    let partial = ok(
        &client,
        "plurum_report_outcome",
        json!({"experience_id": id, "outcome": "partial", "note": "only on Linux"}),
    )
    .await;
    assert_eq!(partial["success"], false);
    assert_eq!(partial["context_notes"], "outcome=partial | only on Linux");
    let vote = ok(
        &client,
        "plurum_vote",
        json!({"experience_id": id, "vote": "up"}),
    )
    .await;
    assert_eq!(vote["action"], "created");

    // Malformed calls are tool errors naming the argument; the server keeps serving.
    for (tool, args, field) in [
        (
            "plurum_vote",
            json!({"experience_id": id, "vote": "sideways"}),
            "vote",
        ),
        ("plurum_search", json!({"query": 42}), "query"),
        ("plurum_publish", json!({"goal": "short"}), "goal"),
        (
            "plurum_get_artifact",
            json!({"experience_id": id}),
            "artifact_index",
        ),
    ] {
        let bad = call(&client, tool, args).await;
        assert_eq!(bad.is_error, Some(true), "{tool}");
        let envelope = bad.structured_content.unwrap();
        assert_eq!(envelope["details"]["field"], field, "{tool}: {envelope}");
        assert!(envelope["detail"].as_str().unwrap().contains(field));
    }
    let missing = call(
        &client,
        "plurum_get_experience",
        json!({"experience_id": "0000ffff"}),
    )
    .await;
    assert_eq!(missing.is_error, Some(true));
    let unknown = client
        .call_tool(CallToolRequestParams::new("plurum_teleport"))
        .await;
    assert!(unknown.is_err(), "an unknown tool is a protocol error");
    let leaky = call(
        &client,
        "plurum_publish",
        json!({
            "goal": "Configure the GitHub CLI in a CI job",
            "solution": format!("export GH_TOKEN=ghp_{}", "a1B2c3D4e5".repeat(4)),
        }),
    )
    .await;
    assert_eq!(leaky.is_error, Some(true));
    assert_eq!(
        leaky.structured_content.unwrap()["details"]["field"],
        "solution"
    );
    let after_leak = ok(
        &client,
        "plurum_search",
        json!({"query": "github cli token in CI"}),
    )
    .await;
    assert!(
        after_leak["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["goal"] != "Configure the GitHub CLI in a CI job"),
        "the refused publish wrote something: {after_leak}"
    );

    // The session loop: open, log, close; the experience is found by search.
    let opened = ok(&client, "plurum_session_open", json!({"topic": "Migrating a Postgres 13 cluster to 16 with pg_upgrade", "domain": "databases"})).await;
    let sid = opened["session"]["id"].as_str().unwrap().to_string();
    ok(&client, "plurum_session_log", json!({"session_id": sid, "entry_type": "dead_end", "content": {"what": "pg_dumpall and restore", "why": "six hours of downtime"}})).await;
    ok(&client, "plurum_session_log", json!({"session_id": sid, "entry_type": "breakthrough", "content": {"insight": "pg_upgrade --link", "detail": "hard links instead of copies: minutes", "importance": "high"}})).await;
    let bad_entry = call(
        &client,
        "plurum_session_log",
        json!({"session_id": sid, "entry_type": "gotcha", "content": {"context": "no warning"}}),
    )
    .await;
    assert_eq!(bad_entry.is_error, Some(true));
    let closed = ok(
        &client,
        "plurum_session_close",
        json!({"session_id": sid, "outcome": "success"}),
    )
    .await;
    assert_eq!(closed["experience_draft"]["status"], "published");
    let migrated = ok(
        &client,
        "plurum_search",
        json!({"query": "upgrade postgres major version with little downtime"}),
    )
    .await;
    assert_eq!(
        migrated["results"][0]["id"], closed["experience_draft"]["id"],
        "{migrated}"
    );

    // Archive: the author can; it is then gone from search.
    ok(&client, "plurum_archive", json!({"experience_id": id})).await;
    let gone = ok(
        &client,
        "plurum_search",
        json!({"query": "my rust CI builds are slow"}),
    )
    .await;
    assert!(
        gone["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["short_id"] != id.as_str())
    );

    client.cancel().await.unwrap();
}
