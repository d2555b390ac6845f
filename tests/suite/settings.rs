//! Settings and the remote account: `--offline` / `PLURUM_OFFLINE`, the config file's keys
//! (`model_id`, `offline`, `agent`), the key `agent register` keeps, and `pull --query`.
//! Whether a download is tried is seen, not guessed: `HF_ENDPOINT` points at a fake hub
//! (tests/suite/fake_http.rs) that counts every connection made to it.

use crate::common;
use crate::fake_http::{Action, FakeHttp};

use std::process::{Command, Output};

use common::{Env, Server, call, model_dir, sample};
use serde_json::{Value, json};

const DEFAULT_MODEL: &str = "sentence-transformers/all-MiniLM-L6-v2";

/// A hub that has nothing (404 to every request) and counts the connections made to it.
fn empty_hub() -> FakeHttp {
    FakeHttp::start(None, |_| Action::Status(404, None))
}

/// A command that has no model anywhere (no directory, nothing imported, an empty Hugging
/// Face cache) and is free to download from `hub`: offline only if the test says so.
fn online(env: &Env, hub: &FakeHttp) -> Command {
    let mut cmd = env.cmd_without_model();
    cmd.env_remove("PLURUM_OFFLINE")
        .env("HF_ENDPOINT", &hub.url);
    cmd
}

fn json_out(out: &Output, what: &str) -> Value {
    common::assert_ok(out, &[what]);
    common::parse(&out.stdout)
}

fn write_config(env: &Env, text: &str) {
    std::fs::create_dir_all(env.home()).unwrap();
    std::fs::write(env.home().join("config.toml"), text).unwrap();
}

/// Asserts a keyword-only search that says offline mode is why.
fn assert_offline_search(out: &Output, what: &str) {
    let r = json_out(out, what);
    assert_eq!(r["semantic"], false, "{what}: {r}");
    let reason = r["semantic_reason"].as_str().unwrap_or_default();
    assert!(reason.contains("offline mode is on"), "{what}: {r}");
    assert_eq!(
        r["results"][0]["goal"], "Offline mode keeps plurum off the network",
        "{what}: keyword search still finds it: {r}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("semantic search is off") && stderr.contains("offline mode is on"),
        "{what}: one line on stderr says why: {stderr}"
    );
}

/// README: `--offline` (`PLURUM_OFFLINE`, `HF_HUB_OFFLINE`) means no download. With no
/// model anywhere and a hub to download from, a search without it connects to the hub (so
/// the test would see an attempt); with the flag or either variable, search, `model status`
/// and `model fetch` make no connection at all, and each says offline mode is why.
#[test]
fn offline_mode_tries_no_download_and_says_so() {
    let env = Env::new();
    let hub = empty_hub();
    env.publish(&sample("Offline mode keeps plurum off the network"));

    // Online, the search tries the hub (and, finding nothing there, searches by keyword).
    let out = online(&env, &hub)
        .args(["--json", "search", "network offline"])
        .output()
        .unwrap();
    let r = json_out(&out, "search, online");
    assert!(hub.connections() > 0, "no download was tried online");
    assert_eq!(r["semantic"], false, "{r}");
    assert!(
        r["semantic_reason"].as_str().unwrap().contains(&hub.url),
        "the reason names the hub it tried: {r}"
    );

    let before = hub.connections();
    let out = online(&env, &hub)
        .args(["--offline", "--json", "search", "network offline"])
        .output()
        .unwrap();
    assert_offline_search(&out, "--offline search");
    for var in ["PLURUM_OFFLINE", "HF_HUB_OFFLINE"] {
        let out = online(&env, &hub)
            .env(var, "1")
            .args(["--json", "search", "network offline"])
            .output()
            .unwrap();
        assert_offline_search(&out, var);
    }

    let out = online(&env, &hub)
        .args(["--offline", "--json", "model", "status"])
        .output()
        .unwrap();
    let status = json_out(&out, "--offline model status");
    assert_eq!(status["available"], false, "{status}");
    assert!(
        status["reason"]
            .as_str()
            .unwrap()
            .contains("offline mode is on"),
        "{status}"
    );

    for offline in [&["--offline"][..], &[]] {
        let mut cmd = online(&env, &hub);
        if offline.is_empty() {
            cmd.env("PLURUM_OFFLINE", "1");
        }
        let out = cmd
            .args(offline)
            .args(["--json", "model", "fetch"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(7), "model fetch offline: {stderr}");
        assert!(stderr.contains("offline mode is on"), "{stderr}");
    }
    assert_eq!(
        hub.connections(),
        before,
        "offline, something connected to the hub: {:?}",
        hub.seen()
    );
}

/// The config file's `offline = true` is offline mode: a search and `model fetch` with no
/// flag and no variable make no connection to the hub and say offline mode is on;
/// `offline = false` leaves downloads on (the same search connects).
#[test]
fn config_offline_true_turns_downloads_off() {
    let env = Env::new();
    let hub = empty_hub();
    env.publish(&sample("Offline mode keeps plurum off the network"));

    write_config(&env, "offline = true\n");
    let out = online(&env, &hub)
        .args(["--json", "search", "network offline"])
        .output()
        .unwrap();
    assert_offline_search(&out, "offline = true");
    let out = online(&env, &hub)
        .args(["--json", "model", "fetch"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(hub.connections(), 0, "{:?}", hub.seen());

    write_config(&env, "offline = false\n");
    let out = online(&env, &hub)
        .args(["--json", "search", "network offline"])
        .output()
        .unwrap();
    let r = json_out(&out, "offline = false");
    assert!(
        hub.connections() > 0,
        "offline = false tried no download: {r}"
    );
}

/// The config file's `model_id` names the model plurum looks for and records: a model
/// imported under that id is found (`model status`: that id, source imported), and the
/// store's vectors are recorded as that model's. Without the key, the default id is looked
/// for, and the copy under the other id is not taken for it.
#[test]
fn config_model_id_is_the_model_looked_for_and_recorded() {
    let env = Env::new();
    write_config(&env, "model_id = \"acme/minilm-copy\"\n");
    let model = model_dir();
    let out = env
        .cmd_without_model()
        .args(["--json", "model", "import", model.to_str().unwrap()])
        .output()
        .unwrap();
    json_out(&out, "model import");
    let copy = env.home().join("models").join("acme--minilm-copy");
    assert!(
        copy.join("model.safetensors").is_file(),
        "imported under the configured id"
    );

    let status = json_out(
        &env.cmd_without_model()
            .args(["--json", "model", "status"])
            .output()
            .unwrap(),
        "model status",
    );
    assert_eq!(
        (&status["model_id"], &status["source"], &status["available"]),
        (&json!("acme/minilm-copy"), &json!("imported"), &json!(true)),
        "{status}"
    );

    let out = env
        .cmd_without_model()
        .args([
            "--json",
            "publish",
            "--goal",
            "Configured models embed what is published",
        ])
        .output()
        .unwrap();
    json_out(&out, "publish");
    let status = json_out(
        &env.cmd_without_model()
            .args(["--json", "model", "status"])
            .output()
            .unwrap(),
        "model status",
    );
    assert_eq!(status["store"]["model"], "acme/minilm-copy", "{status}");
    assert_eq!(status["store"]["vectors"], 1, "{status}");
    let found = json_out(
        &env.cmd_without_model()
            .args(["--json", "search", "what do configured models embed"])
            .output()
            .unwrap(),
        "search",
    );
    assert_eq!(found["semantic"], true, "{found}");

    // Without the key: the default id, which nothing here provides.
    write_config(&env, "");
    let status = json_out(
        &env.cmd_without_model()
            .args(["--json", "model", "status"])
            .output()
            .unwrap(),
        "model status",
    );
    assert_eq!(status["model_id"], DEFAULT_MODEL, "{status}");
    assert_eq!(status["available"], false, "{status}");
}

/// The usernames of `env`'s agents.
fn agent_names(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = env.json(&["agents"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn publish_goal(cmd: &mut Command, goal: &str) -> Value {
    let out = cmd
        .args(["--json", "publish", "--goal", goal])
        .output()
        .unwrap();
    json_out(&out, "publish")
}

/// The config file's `agent` is the acting agent when none is named: what is published
/// without `--agent` belongs to it (`list --mine` as it shows it, and no `local` agent is
/// made); `--agent` and `PLURUM_AGENT` still win over it.
#[test]
fn config_agent_is_the_acting_agent_unless_one_is_named() {
    let env = Env::new();
    write_config(&env, "agent = \"config-agent\"\n");
    let mine = publish_goal(&mut env.cmd(), "Published by the agent of the config file");
    assert_eq!(agent_names(&env), ["config-agent"]);
    let listed = env.json(&["list", "--mine"]);
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["items"][0]["id"], mine["id"]);

    let flagged = publish_goal(
        env.cmd().args(["--agent", "flag-agent"]),
        "Published by the agent named with --agent",
    );
    let from_env = publish_goal(
        env.cmd().env("PLURUM_AGENT", "env-agent"),
        "Published by the agent named in PLURUM_AGENT",
    );
    assert_eq!(
        agent_names(&env),
        ["config-agent", "env-agent", "flag-agent"]
    );
    for (agent, e) in [
        ("flag-agent", &flagged),
        ("env-agent", &from_env),
        ("config-agent", &mine),
    ] {
        let listed = env.json(&["--agent", agent, "list", "--mine"]);
        assert_eq!(listed["total"], 1, "{agent}: {listed}");
        assert_eq!(listed["items"][0]["id"], e["id"], "{agent}: {listed}");
    }

    // Without the key, the acting agent is `local`.
    write_config(&env, "");
    publish_goal(&mut env.cmd(), "Published by the default local agent");
    assert!(agent_names(&env).contains(&"local".to_string()));
}

/// The `api_key` in the config file's `[remote]` table.
fn saved_key(env: &Env) -> String {
    let text = std::fs::read_to_string(env.home().join("config.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    config["remote"]["api_key"].as_str().unwrap().to_string()
}

/// README: `agent register` keeps the key in the config file (mode 0600) and never prints
/// it in full. Registered in text and in `--json` mode, neither stdout nor stderr holds the
/// key, nor any of it past the 16-character prefix shown; `remote show` does not either;
/// the file is mode 0600; and the saved key works (`agent whoami`, and an HTTP create
/// signed with it belongs to the agent).
#[test]
fn agent_register_keeps_the_key_in_the_config_file_and_never_prints_it() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start();
    for (json, username) in [(false, "text-keeper"), (true, "json-keeper")] {
        let env = Env::new();
        let run = |json: bool, args: &[&str]| {
            let mut cmd = env.cmd();
            cmd.env("PLURUM_API_URL", &server.url);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.args(args).output().unwrap();
            common::assert_ok(&out, args);
            out
        };
        let registered = run(json, &["agent", "register", "Key Keeper", username]);
        let key = saved_key(&env);
        assert!(key.starts_with("plrm_live_") && key.len() > 24, "{key}");
        let config = env.home().join("config.toml");
        let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "config file mode {mode:o}");

        let shown = run(json, &["remote", "show"]);
        for (what, out) in [("agent register", &registered), ("remote show", &shown)] {
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    !text.contains(&key) && !text.contains(&key[16..]),
                    "{what} (json {json}) printed the key on {stream}: {text}"
                );
            }
        }
        let stdout = String::from_utf8_lossy(&registered.stdout);
        assert!(
            stdout.contains(&format!("{}...", &key[..16])),
            "the prefix is shown: {stdout}"
        );
        if json {
            let doc = common::parse(&registered.stdout);
            assert_eq!(doc["api_key_prefix"], format!("{}...", &key[..16]), "{doc}");
            assert!(doc.get("api_key").is_none(), "{doc}");
        }

        // The saved key works.
        let who = run(true, &["agent", "whoami"]);
        let who = common::parse(&who.stdout);
        assert_eq!(who["username"], username, "{who}");
        let created = call(
            &server,
            "POST",
            "/experiences",
            Some(&key),
            Some(&sample(&format!("Created with the key {username} saved"))),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["agent_id"], who["id"], "{}", created.body);
    }
}

/// README: `plurum pull --query TEXT` brings in what the remote's search finds, not the
/// remote's newest experiences. Of four experiences on a server, a query about Kubernetes
/// with `--limit 2` brings in exactly the two about Kubernetes, in full (dead ends and
/// solution included) and marked with their origin; asked again, it adds nothing and
/// refreshes those two; a plain pull then brings in the other two.
#[test]
fn pull_query_brings_in_only_what_the_remotes_search_finds() {
    let server = Server::start();
    let author = call(
        &server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": "Author", "username": "query-author"})),
    );
    assert_eq!(author.status, 201, "{}", author.body);
    let key = author.body["api_key"].as_str().unwrap().to_string();
    let kubernetes = [
        "Stop Kubernetes pods being evicted under node memory pressure",
        "Debug a Kubernetes pod stuck in CrashLoopBackOff after a deploy",
    ];
    let others = [
        "Rotate PostgreSQL passwords without downtime",
        "Center a div horizontally and vertically with CSS grid",
    ];
    for goal in kubernetes.iter().chain(&others) {
        let mut e = sample(goal);
        if goal.contains("Kubernetes") {
            e["tags"] = json!(["kubernetes"]);
            e["tools_used"] = json!(["kubectl"]);
        }
        let created = call(&server, "POST", "/experiences", Some(&key), Some(&e));
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.body["id"].as_str().unwrap();
        let published = call(
            &server,
            "POST",
            &format!("/experiences/{id}/publish"),
            Some(&key),
            Some(&json!({})),
        );
        assert_eq!(published.status, 200, "{}", published.body);
    }

    let b = Env::new();
    let pull = |args: &[&str]| {
        let out = b
            .cmd()
            .env("PLURUM_MODEL_DIR", model_dir())
            .env("PLURUM_API_URL", &server.url)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        json_out(&out, "pull")
    };
    let query = [
        "pull",
        "--query",
        "kubernetes pods keep getting killed",
        "--limit",
        "2",
    ];
    let pulled = pull(&query);
    assert_eq!(
        (pulled["added"].as_i64(), pulled["seen"].as_i64()),
        (Some(2), Some(2)),
        "{pulled}"
    );
    let listed = b.json(&["list"]);
    let mut goals: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["goal"].as_str().unwrap())
        .collect();
    goals.sort();
    let mut want = kubernetes.to_vec();
    want.sort();
    assert_eq!(goals, want, "{listed}");
    for item in listed["items"].as_array().unwrap() {
        let shown = b.json(&["show", item["id"].as_str().unwrap()]);
        assert_eq!(
            shown["dead_ends"][0]["what"], "Tried Fargate Spot",
            "{shown}"
        );
        assert!(shown["solution"].as_str().is_some(), "{shown}");
    }
    let found = b.json(&["search", "kubernetes evicted memory pressure"]);
    assert_eq!(
        found["results"][0]["origin"],
        server.url.as_str(),
        "{found}"
    );

    let again = pull(&query);
    assert_eq!(
        (again["added"].as_i64(), again["updated"].as_i64()),
        (Some(0), Some(2)),
        "{again}"
    );
    let rest = pull(&["pull"]);
    assert_eq!(rest["added"], 2, "{rest}");
    assert_eq!(b.json(&["list"])["total"], 4);
}
