//! `plurum mcp` through a real MCP client (rmcp's) over stdio, against the real binary, store
//! and model: the tools are listed with schemas and exact annotations, the agent loop works,
//! every tool answers with the document the matching CLI command prints with `--json`, the
//! optional arguments and `--agent` do what they say, and a malformed call is a tool error
//! after which the server keeps serving.

use crate::common;

use std::process::Stdio;

use common::{Env, model_dir, sample};
use rmcp::RoleClient;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

async fn connect(env: &Env) -> RunningService<RoleClient, ()> {
    connect_with(env, &[]).await
}

/// `plurum [ARGS] mcp`, e.g. `--agent NAME`.
async fn connect_with(env: &Env, args: &[&str]) -> RunningService<RoleClient, ()> {
    let mut cmd = env.cmd();
    cmd.env("PLURUM_MODEL_DIR", model_dir())
        .args(args)
        .arg("mcp");
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

    // Eleven tools, each with an input schema and a description (annotations: below).
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
        (quality - plurum::model::quality::quality_score(1, 1, 0, 0)).abs() < 1e-12,
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

/// The annotations each tool declares, exactly as the server sends them.
fn expected_annotations(tool: &str) -> Value {
    let read = json!({"readOnlyHint": true, "idempotentHint": true, "openWorldHint": false});
    let write = |idempotent: bool, destructive: bool| {
        json!({
            "readOnlyHint": false,
            "destructiveHint": destructive,
            "idempotentHint": idempotent,
            "openWorldHint": false,
        })
    };
    match tool {
        "plurum_search" | "plurum_get_experience" | "plurum_get_artifact" | "plurum_acquire" => {
            read
        }
        // A second report from the same agent replaces the first: the same call twice leaves
        // the same state.
        "plurum_report_outcome" => write(true, false),
        // Archiving hides the experience from search and lists; archiving again changes nothing.
        "plurum_archive" => write(true, true),
        // The same vote again withdraws it; every other call adds something new.
        "plurum_publish"
        | "plurum_vote"
        | "plurum_session_open"
        | "plurum_session_log"
        | "plurum_session_close" => write(false, false),
        other => panic!("no expected annotations for {other}"),
    }
}

/// Where two documents differ, outside the paths `ignore` lists (JSON pointers; `*` matches
/// any key or index). Every ignored path must occur, so the list cannot go stale.
fn differences(mcp: &Value, cli: &Value, ignore: &[&str]) -> Vec<String> {
    fn matches(path: &[String], pattern: &str) -> bool {
        let parts: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
        parts.len() == path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k)
    }
    fn walk(
        a: &Value,
        b: &Value,
        path: &mut Vec<String>,
        ignore: &[&str],
        seen: &mut Vec<bool>,
        out: &mut Vec<String>,
    ) {
        let mut ignored = false;
        for (i, pattern) in ignore.iter().enumerate() {
            if matches(path, pattern) {
                seen[i] = true;
                ignored = true;
            }
        }
        if ignored {
            return;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                    path.push(k.clone());
                    match (x.get(k), y.get(k)) {
                        (Some(va), Some(vb)) => walk(va, vb, path, ignore, seen, out),
                        (Some(_), None) => out.push(format!("/{}: only from MCP", path.join("/"))),
                        _ => out.push(format!("/{}: only from the CLI", path.join("/"))),
                    }
                    path.pop();
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                    path.push(i.to_string());
                    walk(va, vb, path, ignore, seen, out);
                    path.pop();
                }
            }
            _ if a == b => {}
            _ => out.push(format!("/{}: MCP {a} but CLI {b}", path.join("/"))),
        }
    }
    let mut out = Vec::new();
    let mut seen = vec![false; ignore.len()];
    walk(mcp, cli, &mut Vec::new(), ignore, &mut seen, &mut out);
    for (pattern, seen) in ignore.iter().zip(seen) {
        if !seen {
            out.push(format!(
                "{pattern}: listed as differing, but in neither document"
            ));
        }
    }
    out
}

fn assert_same(tool: &str, mcp: &Value, cli: &Value, ignore: &[&str]) {
    let diff = differences(mcp, cli, ignore);
    assert!(
        diff.is_empty(),
        "{tool} and the CLI disagree:\n  {}\nMCP: {mcp:#}\nCLI: {cli:#}",
        diff.join("\n  ")
    );
}

/// What a write creates afresh: a new id and its timestamps (the stores are otherwise equal).
const NEW_RECORD: &[&str] = &["/id", "/created_at", "/updated_at"];

/// Every tool against the CLI command it mirrors, on the same store: reads on the store itself,
/// writes on a copy taken just before (`plurum backup`), so both start from the same state and
/// differ only in what they create afresh (ids, timestamps: listed per call).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tool_answers_as_the_cli_does_and_declares_exact_annotations() {
    let env = Env::new();
    const AGENT: &str = "mcp-bot";
    let cli_on = |db: Option<&std::path::Path>, args: &[&str]| -> Value {
        let mut cmd = env.cmd();
        cmd.env("PLURUM_MODEL_DIR", model_dir())
            .args(["--agent", AGENT, "--json"]);
        if let Some(db) = db {
            cmd.arg("--db").arg(db);
        }
        let out = cmd.args(args).output().unwrap();
        common::assert_ok(&out, args);
        common::parse(&out.stdout)
    };
    let cli = |args: &[&str]| cli_on(None, args);
    let copies = std::cell::Cell::new(0);
    let snapshot = || {
        copies.set(copies.get() + 1);
        let path = env.path(&format!("copy{}.db", copies.get()));
        cli(&["backup", path.to_str().unwrap()]);
        path
    };

    let mut pinned = sample("Pin Docker base images by digest in CI");
    pinned["tags"] = json!(["docker", "ci"]);
    pinned["domain"] = json!("ci");
    let seeds = json!([
        sample("Deploy FastAPI to ECS Fargate behind an ALB"),
        pinned,
        sample("Run a Django app on AWS App Runner from a Docker image"),
    ]);
    let file = env.path("seeds.json");
    std::fs::write(&file, seeds.to_string()).unwrap();
    let created = cli(&["publish", "--file", file.to_str().unwrap()]);
    let id = created["created"][0]["short_id"]
        .as_str()
        .unwrap()
        .to_string();

    let client = connect_with(&env, &["--agent", AGENT]).await;

    // Annotations, exactly, for every tool the server lists.
    let tools = client.list_all_tools().await.unwrap();
    assert_eq!(tools.len(), 11);
    for t in &tools {
        let declared = serde_json::to_value(t.annotations.as_ref()).unwrap();
        assert_eq!(
            declared,
            expected_annotations(&t.name),
            "{}: annotations",
            t.name
        );
    }

    // Reads: the same store, the same document.
    let query = "deploy a python api on aws containers";
    let mcp = ok(&client, "plurum_search", json!({"query": query})).await;
    assert!(mcp["results"].as_array().unwrap().len() >= 3, "{mcp}");
    assert_same("plurum_search", &mcp, &cli(&["search", query]), &[]);
    let mcp = ok(
        &client,
        "plurum_search",
        json!({"query": query, "limit": 2, "tags": ["docker"], "tools": ["aws-cli"], "domain": "deployment", "min_quality": 0.0}),
    )
    .await;
    assert_eq!(mcp["results"].as_array().unwrap().len(), 2, "{mcp}");
    let filtered = cli(&[
        "search",
        query,
        "--limit",
        "2",
        "--tag",
        "docker",
        "--tool",
        "aws-cli",
        "--domain",
        "deployment",
        "--min-quality",
        "0",
    ]);
    assert_same("plurum_search (filters)", &mcp, &filtered, &[]);
    let mcp = ok(
        &client,
        "plurum_get_experience",
        json!({"experience_id": id}),
    )
    .await;
    assert_same("plurum_get_experience", &mcp, &cli(&["show", &id]), &[]);
    let mcp = ok(
        &client,
        "plurum_get_artifact",
        json!({"experience_id": id, "artifact_index": 0}),
    )
    .await;
    assert_same(
        "plurum_get_artifact",
        &mcp,
        &cli(&["artifact", &id, "0"]),
        &[],
    );
    let mcp = ok(&client, "plurum_acquire", json!({"experience_id": id})).await;
    assert_eq!(mcp["mode"], "full");
    assert_same("plurum_acquire", &mcp, &cli(&["acquire", &id]), &[]);
    for mode in ["summary", "checklist", "decision_tree", "full"] {
        let mcp = ok(
            &client,
            "plurum_acquire",
            json!({"experience_id": id, "mode": mode}),
        )
        .await;
        let by_cli = cli(&["acquire", &id, "--mode", mode]);
        assert_same(&format!("plurum_acquire {mode}"), &mcp, &by_cli, &[]);
    }

    // Writes: the tool on the store, the command on a copy of it taken just before.
    let mut input = sample("Cache cargo registries in GitHub Actions");
    input["visibility"] = json!("team");
    let copy = snapshot();
    let mcp = ok(&client, "plurum_publish", input.clone()).await;
    let file = env.path("input.json");
    std::fs::write(&file, input.to_string()).unwrap();
    let by_cli = cli_on(Some(&copy), &["publish", "--file", file.to_str().unwrap()]);
    assert_same(
        "plurum_publish",
        &mcp,
        &by_cli,
        &["/id", "/short_id", "/created_at", "/updated_at"],
    );

    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_report_outcome",
        json!({"experience_id": id, "outcome": "success", "note": "worked on 3.12", "execution_time_ms": 1200, "error_message": "a warning"}),
    )
    .await;
    let by_cli = cli_on(
        Some(&copy),
        &[
            "outcome",
            &id,
            "--success",
            "--notes",
            "worked on 3.12",
            "--time-ms",
            "1200",
            "--error",
            "a warning",
        ],
    );
    assert_same("plurum_report_outcome", &mcp, &by_cli, NEW_RECORD);
    // A failure: the tool's note says which outcome it was (the plugins' convention), the
    // command's notes are the text alone.
    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_report_outcome",
        json!({"experience_id": id, "outcome": "failure", "note": "OOM on arm64"}),
    )
    .await;
    assert_eq!(mcp["context_notes"], "outcome=failure | OOM on arm64");
    let by_cli = cli_on(
        Some(&copy),
        &["outcome", &id, "--failure", "--notes", "OOM on arm64"],
    );
    assert_same(
        "plurum_report_outcome (failure)",
        &mcp,
        &by_cli,
        &[NEW_RECORD, &["/context_notes"]].concat(),
    );

    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_vote",
        json!({"experience_id": id, "vote": "up"}),
    )
    .await;
    let by_cli = cli_on(Some(&copy), &["vote", &id, "up"]);
    assert_same("plurum_vote", &mcp, &by_cli, NEW_RECORD);

    let topic = "Set up PostgreSQL streaming replication";
    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_session_open",
        json!({"topic": topic, "domain": "databases", "tools_used": ["postgresql", "repmgr"], "visibility": "private"}),
    )
    .await;
    let by_cli = cli_on(
        Some(&copy),
        &[
            "session",
            "open",
            topic,
            "--domain",
            "databases",
            "--tool",
            "postgresql",
            "--tool",
            "repmgr",
            "--private",
        ],
    );
    let new_session = [
        "/session/id",
        "/session/short_id",
        "/session/started_at",
        "/session/created_at",
        "/session/updated_at",
    ];
    assert_same("plurum_session_open", &mcp, &by_cli, &new_session);

    let sid = mcp["session"]["id"].as_str().unwrap().to_string();
    let content = json!({"insight": "Use a replication slot", "detail": "WAL is kept until the replica has it", "importance": "high"});
    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_session_log",
        json!({"session_id": sid, "entry_type": "breakthrough", "content": content}),
    )
    .await;
    let by_cli = cli_on(
        Some(&copy),
        &[
            "session",
            "log",
            &sid,
            "breakthrough",
            "--content",
            &content.to_string(),
        ],
    );
    assert_same("plurum_session_log", &mcp, &by_cli, &["/id", "/created_at"]);

    let copy = snapshot();
    let mcp = ok(
        &client,
        "plurum_session_close",
        json!({"session_id": sid, "outcome": "success"}),
    )
    .await;
    let by_cli = cli_on(
        Some(&copy),
        &["session", "close", &sid, "--outcome", "success"],
    );
    assert_same(
        "plurum_session_close",
        &mcp,
        &by_cli,
        &[
            "/session/experience_id",
            "/session/closed_at",
            "/session/updated_at",
            "/experience_draft/id",
            "/experience_draft/short_id",
            "/experience_draft/created_at",
            "/experience_draft/updated_at",
        ],
    );

    let copy = snapshot();
    let mcp = ok(&client, "plurum_archive", json!({"experience_id": id})).await;
    let by_cli = cli_on(Some(&copy), &["experience", "archive", &id]);
    assert_same("plurum_archive", &mcp, &by_cli, &["/updated_at"]);

    client.cancel().await.unwrap();
}

/// The goals of a search's results, in order.
fn goals(doc: &Value) -> Vec<String> {
    doc["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {doc}"))
        .iter()
        .map(|r| r["goal"].as_str().unwrap().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The optional arguments do what they say (each filter narrows a search that finds more
/// without it; `visibility` and `tools_used` are stored), and `plurum mcp --agent NAME` acts
/// as that agent: what it writes is theirs, what they may not do it may not either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_arguments_and_the_agent_flag_are_honoured() {
    let env = Env::new();
    let cargo_ci = "Cache cargo builds in GitHub Actions CI pipelines";
    let npm_ci = "Cache npm installs in GitHub Actions CI pipelines";
    let docker_ci = "Cache Docker layers in GitLab CI pipelines";
    let cargo_local = "Cache cargo builds on a laptop with sccache";
    let seed = |goal: &str, tags: &[&str], tools: &[&str], domain: &str| {
        json!({"goal": goal, "tags": tags, "tools_used": tools, "domain": domain,
               "solution": "Cache the build outputs between runs"})
    };
    let seeds = json!([
        seed(
            cargo_ci,
            &["rust", "ci"],
            &["cargo", "github-actions"],
            "ci"
        ),
        seed(npm_ci, &["node", "ci"], &["npm", "github-actions"], "ci"),
        seed(docker_ci, &["docker", "ci"], &["docker", "gitlab"], "ci"),
        seed(cargo_local, &["rust"], &["cargo", "sccache"], "development"),
    ]);
    let file = env.path("seeds.json");
    std::fs::write(&file, seeds.to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--agent", "seeder", "--json", "publish", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    common::assert_ok(&out, &["seed"]);
    let seeded = common::parse(&out.stdout);
    let seeder_item = seeded["created"][0]["short_id"]
        .as_str()
        .unwrap()
        .to_string();

    let client = connect_with(&env, &["--agent", "mcp-bot"]).await;
    let search = |args: Value| {
        let client = &client;
        async move { ok(client, "plurum_search", args).await }
    };
    let query = "cache builds between runs";
    let all = goals(&search(json!({"query": query})).await);
    assert_eq!(
        sorted(all.clone()),
        sorted(vec![
            cargo_ci.into(),
            npm_ci.into(),
            docker_ci.into(),
            cargo_local.into()
        ]),
        "the unfiltered search must find every seed, or the filters below prove nothing"
    );
    for (filter, expected) in [
        (json!({"tags": ["rust"]}), vec![cargo_ci, cargo_local]),
        (json!({"tags": ["rust", "ci"]}), vec![cargo_ci]),
        (json!({"tools": ["github-actions"]}), vec![cargo_ci, npm_ci]),
        (json!({"tools": ["cargo", "sccache"]}), vec![cargo_local]),
        (json!({"domain": "development"}), vec![cargo_local]),
        (
            json!({"domain": "ci", "tools": ["docker"]}),
            vec![docker_ci],
        ),
    ] {
        let mut args = filter.clone();
        args["query"] = json!(query);
        let found = goals(&search(args).await);
        let expected: Vec<String> = expected.into_iter().map(String::from).collect();
        assert_eq!(sorted(found), sorted(expected), "filter {filter}");
    }
    let two = search(json!({"query": query, "limit": 2})).await;
    assert_eq!(goals(&two), all[..2].to_vec(), "limit 2 keeps the best two");
    // min_quality: only what has earned it (one success report lifts one seed above 0).
    ok(
        &client,
        "plurum_report_outcome",
        json!({"experience_id": seeder_item, "outcome": "success"}),
    )
    .await;
    let good = goals(&search(json!({"query": query, "min_quality": 0.1})).await);
    assert_eq!(good, vec![cargo_ci.to_string()]);
    // include_quarantined: three failures and no success hide one, unless asked for.
    let docker_item = seeded["created"][2]["short_id"]
        .as_str()
        .unwrap()
        .to_string();
    for agent in ["failer-1", "failer-2", "failer-3"] {
        env.json(&["--agent", agent, "outcome", &docker_item, "--failure"]);
    }
    let hidden = goals(&search(json!({"query": query})).await);
    assert!(!hidden.contains(&docker_ci.to_string()), "{hidden:?}");
    let shown = goals(&search(json!({"query": query, "include_quarantined": true})).await);
    assert!(shown.contains(&docker_ci.to_string()), "{shown:?}");
    // Out of range: the argument is named.
    for (args, field) in [
        (json!({"query": query, "limit": -1}), "limit"),
        (json!({"query": query, "tags": "rust"}), "tags"),
        (json!({"query": query, "domain": 3}), "domain"),
    ] {
        let bad = call(&client, "plurum_search", args).await;
        assert_eq!(bad.is_error, Some(true), "{field}");
        assert_eq!(bad.structured_content.unwrap()["details"]["field"], field);
    }

    // --agent: what the server writes belongs to mcp-bot (created when the server started).
    let agents = env.json(&["agents"]);
    let id_of = |username: &str| {
        agents["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["username"] == username)
            .unwrap_or_else(|| panic!("no agent {username}: {agents}"))["id"]
            .clone()
    };
    let published = ok(
        &client,
        "plurum_publish",
        json!({"goal": "Provision an RDS instance with Terraform modules", "tools_used": ["terraform"], "visibility": "private"}),
    )
    .await;
    let mcp_bot = id_of("mcp-bot");
    assert_eq!(published["agent_id"], mcp_bot);
    assert_ne!(published["agent_id"], id_of("seeder"));
    assert_eq!(published["visibility"], "private");
    assert_eq!(published["tools_used"], json!(["terraform"]));
    let pid = published["short_id"].as_str().unwrap().to_string();
    // Private: its author sees it, anyone else does not.
    assert_eq!(
        env.json(&["--agent", "mcp-bot", "show", &pid])["visibility"],
        "private"
    );
    env.json_err(&["--agent", "seeder", "show", &pid], 3);
    let mine = goals(&search(json!({"query": "terraform rds", "tools": ["terraform"]})).await);
    assert_eq!(
        mine,
        vec!["Provision an RDS instance with Terraform modules".to_string()]
    );
    // mcp-bot may not archive the seeder's experience, but may archive its own.
    let denied = call(
        &client,
        "plurum_archive",
        json!({"experience_id": seeder_item}),
    )
    .await;
    assert_eq!(denied.is_error, Some(true), "{denied:?}");
    ok(&client, "plurum_archive", json!({"experience_id": pid})).await;

    // Sessions: visibility and tools_used are kept; a private session closes into a draft.
    let opened = ok(
        &client,
        "plurum_session_open",
        json!({"topic": "Tune autovacuum on a busy Postgres table", "domain": "databases",
               "tools_used": ["postgresql", "pg_stat_statements"], "visibility": "private"}),
    )
    .await;
    let session = &opened["session"];
    assert_eq!(session["agent_id"], mcp_bot);
    assert_eq!(session["visibility"], "private");
    assert_eq!(
        session["tools_used"],
        json!(["postgresql", "pg_stat_statements"])
    );
    let sid = session["id"].as_str().unwrap().to_string();
    env.json_err(&["--agent", "seeder", "session", "show", &sid], 3);
    ok(&client, "plurum_session_log", json!({"session_id": sid, "entry_type": "breakthrough",
        "content": {"insight": "Lower autovacuum_vacuum_scale_factor per table", "detail": "0.01 on the hot table", "importance": "high"}})).await;
    let closed = ok(
        &client,
        "plurum_session_close",
        json!({"session_id": sid, "outcome": "success"}),
    )
    .await;
    let draft = &closed["experience_draft"];
    assert_eq!(draft["status"], "draft", "{closed}");
    assert_eq!(draft["visibility"], "private");
    assert_eq!(
        draft["tools_used"],
        json!(["postgresql", "pg_stat_statements"])
    );
    assert_eq!(draft["agent_id"], mcp_bot);
    // The default visibility is public; `team` is kept as given.
    for (visibility, expected) in [(None, "public"), (Some("team"), "team")] {
        let mut args = json!({"topic": format!("A session opened as {expected}")});
        if let Some(v) = visibility {
            args["visibility"] = json!(v);
        }
        let opened = ok(&client, "plurum_session_open", args).await;
        assert_eq!(opened["session"]["visibility"], expected);
    }
    let bad = call(
        &client,
        "plurum_session_open",
        json!({"topic": "A session with a bad visibility", "visibility": "secret"}),
    )
    .await;
    assert_eq!(
        bad.structured_content.unwrap()["details"]["field"],
        "visibility"
    );

    client.cancel().await.unwrap();
}
