//! Near-duplicates: every way in reports a likely duplicate (and none for a hard negative),
//! `--if-duplicate skip` stores nothing, the labelled pairs meet the precision and recall
//! aimed at, and `merge` moves every report and vote exactly, keeps every lesson, redirects
//! feedback, survives kill -9, and travels through export, import, push and pull.

use std::path::Path;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::common::{
    self, Backend, Env, Mcp, Server, both_backends, call, examples_store, model_dir, register,
};

both_backends!(a_server_finds_merges_and_redirects_only_for_the_owner_of_both);

/// The labelled pairs of `tests/fixtures/duplicates/`: (id, label, existing file, new).
fn pairs() -> Vec<(String, String, String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/duplicates");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let stem = Path::new(v["existing"].as_str().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.push((
                v["id"].as_str().unwrap().to_string(),
                v["label"].as_str().unwrap().to_string(),
                stem,
                v["new"].clone(),
            ));
        }
    }
    out
}

fn pair(id: &str) -> Value {
    pairs().into_iter().find(|p| p.0 == id).unwrap().3
}

/// The SQLite example ("database is locked") and its two labelled neighbours: the same
/// lesson in other words, and SQLite with Python about another problem.
const EXAMPLE: &str = "08-sqlite-database-is-locked";

/// The SQLite example itself, as its file holds it.
fn example_document() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/experiences/{EXAMPLE}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn id_of(ids: &[(String, String)], stem: &str) -> String {
    ids.iter().find(|(s, _)| s == stem).unwrap().1.clone()
}

fn flagged(doc: &Value) -> Vec<String> {
    doc["possible_duplicates"]
        .as_array()
        .unwrap_or_else(|| panic!("no possible_duplicates in {doc}"))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

fn as_agent(env: &Env, agent: &str, args: &[&str]) -> Value {
    env.json_with_model(&[&["--agent", agent], args].concat())
}

fn publish_file(env: &Env, value: &Value, extra: &[&str]) -> (Value, String) {
    let file = env.path(&format!("new-{}.json", fastrand::u32(..)));
    std::fs::write(&file, value.to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(
            [
                &["--json", "publish", "--file", file.to_str().unwrap()],
                extra,
            ]
            .concat(),
        )
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
    (
        common::parse(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_way_in_reports_a_paraphrase_and_not_a_hard_negative() {
    let (same, other) = (pair("a08-dup"), pair("a08-neg"));

    // The CLI: in the JSON, and on stderr.
    let env = Env::new();
    let example = id_of(&examples_store(&env), EXAMPLE);
    let (doc, stderr) = publish_file(&env, &same, &[]);
    assert_eq!(doc["created"], true);
    assert!(uuid::Uuid::parse_str(doc["id"].as_str().unwrap()).is_ok());
    assert_eq!(flagged(&doc), std::slice::from_ref(&example), "{doc}");
    assert!(
        doc["possible_duplicates"][0]["similarity"]
            .as_f64()
            .unwrap()
            >= 0.6
    );
    assert!(stderr.contains("likely duplicates"), "{stderr}");
    let (doc, stderr) = publish_file(&env, &other, &[]);
    assert!(flagged(&doc).is_empty(), "{doc}");
    assert!(!stderr.contains("likely duplicates"), "{stderr}");

    // The MCP tool.
    let env = Env::new();
    let example = id_of(&examples_store(&env), EXAMPLE);
    let mcp = Mcp::start(&env);
    let doc = mcp.call("plurum_publish", same.clone());
    assert_eq!(flagged(&doc), std::slice::from_ref(&example), "{doc}");
    let doc = mcp.call("plurum_publish", other.clone());
    assert!(flagged(&doc).is_empty(), "{doc}");
    drop(mcp);

    // A session closed into an experience.
    let env = Env::new();
    let example = id_of(&examples_store(&env), EXAMPLE);
    for (content, expected) in [(&same, vec![example.clone()]), (&other, vec![])] {
        let sid = as_agent(
            &env,
            "local",
            &["session", "open", content["goal"].as_str().unwrap()],
        )["session"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        for d in content["dead_ends"].as_array().unwrap() {
            let (what, why) = (d["what"].as_str().unwrap(), d["why"].as_str().unwrap());
            as_agent(
                &env,
                "local",
                &[
                    "session", "log", &sid, "dead_end", "--what", what, "--why", why,
                ],
            );
        }
        for b in content["breakthroughs"].as_array().unwrap() {
            let (insight, detail) = (
                b["insight"].as_str().unwrap(),
                b["detail"].as_str().unwrap(),
            );
            as_agent(
                &env,
                "local",
                &[
                    "session",
                    "log",
                    &sid,
                    "breakthrough",
                    "--insight",
                    insight,
                    "--detail",
                    detail,
                ],
            );
        }
        let closed = as_agent(&env, "local", &["session", "close", &sid]);
        assert_eq!(flagged(&closed["experience_draft"]), expected, "{closed}");
    }

    // The HTTP API (a create makes a draft: the author's own drafts count).
    let server = Server::start();
    let key = register(&server, "http-author");
    let stored = example_document();
    let first = call(&server, "POST", "/experiences", Some(&key), Some(&stored));
    assert_eq!(first.status, 201, "{}", first.body);
    assert!(flagged(&first.body).is_empty());
    let dup = call(&server, "POST", "/experiences", Some(&key), Some(&same));
    assert_eq!(dup.status, 201, "{}", dup.body);
    assert_eq!(dup.body["created"], true);
    assert_eq!(flagged(&dup.body), [first.body["id"].as_str().unwrap()]);
    let neg = call(&server, "POST", "/experiences", Some(&key), Some(&other));
    assert!(flagged(&neg.body).is_empty(), "{}", neg.body);
}

fn total(env: &Env) -> i64 {
    env.json(&["list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap()
}

#[test]
fn if_duplicate_skip_stores_nothing_and_answers_with_the_existing_one() {
    let (same, other) = (pair("a08-dup"), pair("a08-neg"));
    let env = Env::new();
    let example = id_of(&examples_store(&env), EXAMPLE);
    let before = total(&env);
    let (doc, stderr) = publish_file(&env, &same, &["--if-duplicate", "skip"]);
    assert_eq!(doc["created"], false);
    assert_eq!(
        doc["id"],
        example.as_str(),
        "the answer is the existing experience"
    );
    assert_eq!(flagged(&doc), std::slice::from_ref(&example));
    assert!(stderr.contains("skipped"), "{stderr}");
    assert_eq!(total(&env), before, "nothing stored");

    // Per item in a bulk publish.
    let bulk = format!("{same}\n{other}\n");
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--json", "publish", "--if-duplicate", "skip", "--file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(bulk.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    common::assert_ok(&out, &["bulk publish"]);
    let created = common::parse(&out.stdout)["created"].clone();
    assert_eq!(created[0]["created"], false);
    assert_eq!(created[0]["id"], example.as_str());
    assert_eq!(created[1]["created"], true);
    assert_eq!(total(&env), before + 1);

    // The HTTP field: 200 rather than 201, the existing document.
    let server = Server::start();
    let key = register(&server, "skipper");
    let first = call(&server, "POST", "/experiences", Some(&key), Some(&same));
    assert_eq!(first.status, 201);
    let mut again = same.clone();
    again["if_duplicate"] = json!("skip");
    let skipped = call(&server, "POST", "/experiences", Some(&key), Some(&again));
    assert_eq!(skipped.status, 200, "{}", skipped.body);
    assert_eq!(skipped.body["created"], false);
    assert_eq!(skipped.body["id"], first.body["id"]);
    again["if_duplicate"] = json!("sometimes");
    let bad = call(&server, "POST", "/experiences", Some(&key), Some(&again));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.to_string().contains("if_duplicate"),
        "{}",
        bad.body
    );

    // The MCP argument.
    let env = Env::new();
    let example = id_of(&examples_store(&env), EXAMPLE);
    let mcp = Mcp::start(&env);
    let mut args = same.clone();
    args["if_duplicate"] = json!("skip");
    let doc = mcp.call("plurum_publish", args);
    assert_eq!(
        (doc["created"].clone(), doc["id"].clone()),
        (json!(false), json!(example))
    );
}

#[test]
fn the_labelled_pairs_meet_the_precision_and_recall_aimed_at() {
    let env = Env::new();
    let ids = examples_store(&env);
    let pairs = pairs();
    assert!(pairs.len() >= 60, "at least 60 labelled pairs");
    let lines: String = pairs.iter().map(|p| format!("{}\n", p.3)).collect();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--json", "publish", "--file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(lines.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    common::assert_ok(&out, &["publish the labelled pairs"]);
    let created = common::parse(&out.stdout)["created"].clone();
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for (i, (id, label, stem, _)) in pairs.iter().enumerate() {
        let example = id_of(&ids, stem);
        let found = flagged(&created[i]).contains(&example);
        match (label.as_str(), found) {
            ("duplicate", true) => tp += 1,
            ("duplicate", false) => fneg += 1,
            (_, true) => {
                fp += 1;
                eprintln!("false alarm: {id}");
            }
            _ => {}
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fneg) as f64;
    eprintln!("labelled pairs: precision {precision:.3}, recall {recall:.3}");
    assert!(
        precision >= 0.95,
        "precision {precision:.3} (true {tp}, false {fp})"
    );
    assert!(
        recall >= 0.8,
        "recall {recall:.3} (true {tp}, missed {fneg})"
    );
}

/// A store with the examples and the paraphrase of the SQLite one, published by the default
/// agent: (env, kept id, other id).
fn with_a_duplicate() -> (Env, String, String) {
    let env = Env::new();
    let keep = id_of(&examples_store(&env), EXAMPLE);
    let (doc, _) = publish_file(&env, &pair("a08-dup"), &[]);
    (env, keep, doc["id"].as_str().unwrap().to_string())
}

fn experience(env: &Env, id: &str) -> Value {
    env.json(&["show", id])
}

/// Every report and vote in the store, from an export: (experience, agent, what).
fn feedback(env: &Env) -> Vec<(String, String, String)> {
    let file = env.path(&format!("export-{}.jsonl", fastrand::u32(..)));
    env.json(&["export", file.to_str().unwrap()]);
    let mut out = Vec::new();
    for line in std::fs::read_to_string(file).unwrap().lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        match r["type"].as_str().unwrap() {
            "outcome_report" => out.push((
                r["experience_id"].as_str().unwrap().to_string(),
                r["agent_id"].as_str().unwrap().to_string(),
                if r["success"] == true {
                    "success"
                } else {
                    "failure"
                }
                .to_string(),
            )),
            "vote" => out.push((
                r["experience_id"].as_str().unwrap().to_string(),
                r["agent_id"].as_str().unwrap().to_string(),
                r["vote_type"].as_str().unwrap().to_string(),
            )),
            _ => {}
        }
    }
    out.sort();
    out
}

fn agent_id(env: &Env, name: &str) -> String {
    env.json(&["agents"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == name)
        .unwrap_or_else(|| panic!("no agent {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn merge_moves_every_report_and_vote_exactly_and_redirects_feedback() {
    let (env, keep, other) = with_a_duplicate();
    let step = |agent: &str, args: &[&str]| {
        as_agent(&env, agent, args);
    };
    step("alice", &["outcome", &other, "--success"]);
    step("alice", &["vote", &other, "up"]);
    step("bob", &["vote", &keep, "up"]);
    step("bob", &["vote", &other, "up"]);
    step("carol", &["vote", &keep, "up"]);
    step("carol", &["vote", &other, "down"]);
    step("dave", &["outcome", &keep, "--failure"]);
    step("dave", &["outcome", &other, "--success"]);
    step("erin", &["outcome", &other, "--failure"]);
    step("erin", &["outcome", &keep, "--success"]);
    let before = feedback(&env);
    let keep_before = experience(&env, &keep);
    let other_before = experience(&env, &other);

    let dry = env.json(&["merge", &keep, &other, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(feedback(&env), before, "a dry run changes nothing");
    assert_eq!(experience(&env, &keep), keep_before);
    assert_eq!(experience(&env, &other), other_before);

    let merged = env.json(&["merge", &keep, &other]);
    assert_eq!(merged["dry_run"], false);
    assert_eq!(merged["merged"][0]["id"], other.as_str());
    for (key, n) in [
        ("outcome_reports", 1),
        ("outcome_reports_superseded", 2),
        ("votes", 1),
        ("votes_superseded", 2),
    ] {
        assert_eq!(merged["moved"][key], n, "{key}: {merged}");
        assert_eq!(dry["moved"][key], n, "dry run {key}: {dry}");
    }
    assert_eq!(merged["added"], dry["added"]);

    // Exactly the feedback the rules say, all on the kept one.
    let [alice, bob, carol, dave, erin] =
        ["alice", "bob", "carol", "dave", "erin"].map(|a| agent_id(&env, a));
    let mut expected: Vec<(String, String, String)> = [
        (&alice, "success"),
        (&alice, "up"),
        (&bob, "up"),
        (&carol, "down"),
        (&dave, "success"),
        (&erin, "success"),
    ]
    .iter()
    .map(|(a, w)| (keep.clone(), a.to_string(), w.to_string()))
    .collect();
    expected.sort();
    assert_eq!(feedback(&env), expected);
    let k = experience(&env, &keep);
    assert_eq!(
        [
            &k["success_count"],
            &k["failure_count"],
            &k["upvotes"],
            &k["downvotes"]
        ],
        [&json!(3), &json!(0), &json!(2), &json!(1)],
        "counters equal a recount: {k}"
    );

    // Every lesson kept: the kept one's, then what the other had and it lacked.
    let whats = |doc: &Value| -> Vec<String> {
        doc["dead_ends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["what"].as_str().unwrap().to_string())
            .collect()
    };
    let kept_lessons = whats(&k);
    assert!(kept_lessons.starts_with(&whats(&keep_before)));
    for w in whats(&other_before) {
        assert!(kept_lessons.contains(&w), "{w} lost");
    }

    // The other is archived and says where it went; feedback sent to it lands there.
    let o = experience(&env, &other);
    assert_eq!(
        (o["status"].clone(), o["merged_into"].clone()),
        (json!("archived"), json!(keep))
    );
    let shown = env.run(&["show", &other]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("merged into"));
    let voted = as_agent(&env, "frank", &["vote", &other, "up"]);
    assert_eq!(voted["experience"]["id"], keep.as_str(), "{voted}");
    assert_eq!(experience(&env, &keep)["upvotes"], 3);
    let reported = as_agent(&env, "frank", &["outcome", &other, "--failure"]);
    assert_eq!(reported["experience"]["id"], keep.as_str(), "{reported}");

    // Merging it again, or into itself, is refused with the reason.
    let again = env.json_err(&["merge", &keep, &other], 6);
    assert!(again.to_string().contains("already merged"), "{again}");
    let itself = env.json_err(&["merge", &keep, &keep], 4);
    assert!(itself.to_string().contains("itself"), "{itself}");

    // The indexes stay true: doctor finds nothing to fix, search finds the kept one only.
    let doctor = env.run(&["doctor"]);
    common::assert_ok(&doctor, &["doctor"]);
    let found = env.json_with_model(&["search", "database is locked Celery Flask", "--limit", "5"]);
    let ids: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&keep.as_str()) && !ids.contains(&other.as_str()),
        "{ids:?}"
    );
}

#[test]
fn a_merge_killed_midway_leaves_all_or_nothing() {
    let (env, keep, other) = with_a_duplicate();
    as_agent(&env, "alice", &["outcome", &other, "--success"]);
    let before = feedback(&env);
    let keep_before = experience(&env, &keep);
    let mut child = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .env(common::PAUSE_AT, "merge-midway")
        .args(["merge", &keep, &other])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::wait_paused(&child, "merge-midway");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(feedback(&env), before);
    assert_eq!(experience(&env, &keep), keep_before);
    let o = experience(&env, &other);
    assert_eq!(o["status"], "published");
    assert!(o.get("merged_into").is_none());
    // And it runs to the end afterwards.
    env.json_with_model(&["merge", &keep, &other]);
    assert_eq!(experience(&env, &other)["merged_into"], keep.as_str());
}

#[test]
fn export_import_push_and_pull_after_a_merge() {
    let (env, keep, other) = with_a_duplicate();
    env.json_with_model(&["merge", &keep, &other]);
    let file = env.path("merged.jsonl");
    env.json(&["export", file.to_str().unwrap()]);
    let copy = Env::new();
    copy.json_with_model(&["import", file.to_str().unwrap()]);
    assert_eq!(experience(&copy, &other)["merged_into"], keep.as_str());
    let voted = as_agent(&copy, "zoe", &["vote", &other, "up"]);
    assert_eq!(voted["experience"]["id"], keep.as_str());

    // Push sends the kept one only; an other pulled back later stays archived under it.
    let server = Server::start();
    let a = Env::new();
    let remote = |env: &Env, args: &[&str]| -> Value {
        let out = env
            .cmd()
            .env("PLURUM_MODEL_DIR", model_dir())
            .env("PLURUM_API_URL", &server.url)
            .env("PLURUM_SYNC_RETRIES", "1")
            .args([&["--json"], args].concat())
            .output()
            .unwrap();
        common::assert_ok(&out, args);
        common::parse(&out.stdout)
    };
    remote(&a, &["agent", "register", "Machine A", "machine-a"]);
    let example = example_document();
    let k = publish_file(&a, &example, &[]).0["id"]
        .as_str()
        .unwrap()
        .to_string();
    let o = publish_file(&a, &pair("a08-dup"), &[]).0["id"]
        .as_str()
        .unwrap()
        .to_string();
    let late = publish_file(&a, &pair("a08-neg"), &[]).0["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The other reached the remote before the merge; the third did not.
    remote(&a, &["experience", "archive", &late]);
    let pushed = remote(&a, &["push"]);
    assert_eq!(pushed["created"], 2, "{pushed}");
    a.json_with_model(&["merge", &k, &o]);
    let again = remote(&a, &["push"]);
    assert_eq!(again["created"], 0, "{again}");
    let pulled = remote(&a, &["pull"]);
    assert_eq!(pulled["added"], 0, "{pulled}");
    let back = experience(&a, &o);
    assert_eq!(
        (back["status"].clone(), back["merged_into"].clone()),
        (json!("archived"), json!(k))
    );
}

/// The HTTP door, on either store: a create lists the likely duplicate, a merge needs the
/// owner of both, and the merged one redirects its feedback.
fn a_server_finds_merges_and_redirects_only_for_the_owner_of_both(backend: Backend) {
    let server = Server::start_on(backend);
    let (alice, bob) = (register(&server, "alice"), register(&server, "bob"));
    let create = |key: &str, body: &Value| -> String {
        common::create_and_publish(&server, key, body)["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let example = example_document();
    let keep = create(&alice, &example);
    let bobs = create(&bob, &pair("a08-dup"));
    let seen = call(
        &server,
        "POST",
        "/experiences",
        Some(&bob),
        Some(&pair("a08-dup")),
    );
    assert_eq!(seen.status, 201, "{}", seen.body);
    let seen = flagged(&seen.body);
    assert!(seen.contains(&keep) && seen.contains(&bobs), "{seen:?}");
    let negative = call(
        &server,
        "POST",
        "/experiences",
        Some(&bob),
        Some(&pair("a08-neg")),
    );
    assert!(flagged(&negative.body).is_empty(), "{}", negative.body);
    let refused = call(
        &server,
        "POST",
        &format!("/experiences/{keep}/merge"),
        Some(&alice),
        Some(&json!({"others": [bobs]})),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    let mine = create(&alice, &pair("a08-dup"));
    let dry = call(
        &server,
        "POST",
        &format!("/experiences/{keep}/merge"),
        Some(&alice),
        Some(&json!({"others": [mine], "dry_run": true})),
    );
    assert_eq!(
        (dry.status, dry.body["dry_run"].clone()),
        (200, json!(true))
    );
    let merged = call(
        &server,
        "POST",
        &format!("/experiences/{keep}/merge"),
        Some(&alice),
        Some(&json!({"others": [mine]})),
    );
    assert_eq!(merged.status, 200, "{}", merged.body);
    assert_eq!(merged.body["keep"]["id"], keep.as_str());
    let shown = call(
        &server,
        "GET",
        &format!("/experiences/{mine}"),
        Some(&bob),
        None,
    );
    assert_eq!(shown.body["merged_into"], keep.as_str(), "{}", shown.body);
    let vote = call(
        &server,
        "POST",
        &format!("/experiences/{mine}/vote"),
        Some(&bob),
        Some(&json!({"vote_type": "up"})),
    );
    assert_eq!(vote.status, 200, "{}", vote.body);
    let k = call(
        &server,
        "GET",
        &format!("/experiences/{keep}"),
        Some(&bob),
        None,
    );
    assert_eq!(k.body["upvotes"], 1, "{}", k.body);
    let merged_lessons = k.body["dead_ends"].as_array().unwrap().len();
    assert!(merged_lessons > example["dead_ends"].as_array().unwrap().len());
    // The kept one is found by its new words (its keywords were re-indexed).
    let found = call(
        &server,
        "POST",
        "/experiences/search",
        Some(&bob),
        Some(&json!({"query": "Celery workers threading.Lock", "limit": 5})),
    );
    let ids: Vec<&str> = found.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&keep.as_str()) && !ids.contains(&mine.as_str()),
        "{ids:?}"
    );
}

#[test]
fn duplicates_lists_groups_and_an_import_counts_its_new_ones() {
    let (env, keep, other) = with_a_duplicate();
    let found = env.json_with_model(&["duplicates"]);
    assert_eq!(found["checked"], 51);
    let clusters = found["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{found}");
    let members: Vec<&str> = clusters[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(members.len(), 2);
    assert!(members.contains(&keep.as_str()) && members.contains(&other.as_str()));
    let bad = env.json_err(&["duplicates", "--min-similarity", "2"], 4);
    assert!(bad.to_string().contains("min_similarity"), "{bad}");

    // An import counts its new experiences' likely duplicates and points to the list.
    let source = Env::new();
    publish_file(&source, &pair("a08-dup"), &[]);
    publish_file(&source, &pair("a08-neg"), &[]);
    let file = source.path("two.jsonl");
    source.json(&["export", file.to_str().unwrap()]);
    let target = Env::new();
    examples_store(&target);
    let out = target
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--json", "import", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["import"]);
    let summary = common::parse(&out.stdout);
    assert_eq!(summary["likely_duplicates"]["likely"], 1, "{summary}");
    assert_eq!(summary["likely_duplicates"]["checked"], 2, "{summary}");
    let hint = summary["likely_duplicates"]["hint"].as_str().unwrap();
    assert!(
        hint.contains(" duplicates`") && hint.contains(" merge "),
        "{hint}"
    );
}
