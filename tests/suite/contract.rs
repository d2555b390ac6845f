//! The JSON contract: the real `--json` output of every command, validated against the
//! schemas in `schemas/`. A field removed, renamed or retyped fails here, so a breaking
//! change cannot slip in. Every command clap knows (walked from `Cli::command()`) must have
//! had its output checked against a schema, or be in `NO_SCHEMA` with its reason, so a new
//! command without a schema fails; so does a schema no command was checked against. The exit
//! code table of the README is checked row by row.

use crate::common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use common::{Env, Server, model_dir, parse, sample};
use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

const BASE: &str = "https://plurum.ai/schemas/cli/v1/";

/// Every schema file, compiled once, which of them the test has used, and which commands
/// (`session log`) had a successful output checked.
struct Contract {
    validators: Vec<(String, Validator)>,
    used: RefCell<BTreeSet<String>>,
    commands: RefCell<BTreeSet<String>>,
}

/// Commands whose `--json` output is not one JSON document, or that this test cannot run,
/// each with the reason. The README's JSON contract section names each of them.
const NO_SCHEMA: &[(&str, &str)] = &[
    (
        "serve",
        "a long-running HTTP server: nothing on stdout, its answers are the REST API's (tests/suite/serve.rs)",
    ),
    (
        "mcp",
        "stdout carries the MCP protocol; each tool answers with the document of the matching command (tests/suite/mcp.rs)",
    ),
    (
        "hook",
        "run by a coding agent's host: it answers in the host's documented format, not plurum's (tests/suite/hooks.rs)",
    ),
    (
        "model fetch",
        "downloads from the Hugging Face Hub (no network in tests); it prints the same document as `model status` and `model import`, checked here",
    ),
];

/// The commands a user can run, as `plurum` spells them (`session log`, `inbox`): every
/// leaf of clap's tree, and every command whose subcommand is optional.
fn runnable_commands() -> Vec<String> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<String>) {
        let subs: Vec<&clap::Command> = cmd
            .get_subcommands()
            .filter(|s| s.get_name() != "help")
            .collect();
        if !prefix.is_empty() && (subs.is_empty() || !cmd.is_subcommand_required_set()) {
            out.push(prefix.join(" "));
        }
        for sub in subs {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            walk(sub, &path, out);
        }
    }
    let mut cmd = plurum::doors::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &[], &mut out);
    out
}

/// The command `plurum ARGS` runs (`["--agent", "bob", "session", "log", ...]` -> `session
/// log`): the subcommand names after `plurum`, global options and their values skipped.
fn command_of(args: &[&str]) -> String {
    let mut cmd = plurum::doors::cli::Cli::command();
    cmd.build();
    let mut path = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if let Some(flag) = args[i].strip_prefix("--") {
            let takes_value = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(flag))
                .is_some_and(|a| a.get_action().takes_values());
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        match cmd.find_subcommand(args[i]) {
            Some(sub) => {
                path.push(args[i]);
                cmd = sub.clone();
                i += 1;
            }
            None => break,
        }
    }
    path.join(" ")
}

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

impl Contract {
    fn load() -> Contract {
        let mut docs = Vec::new();
        for entry in std::fs::read_dir(schema_dir()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                doc["$id"],
                format!("{BASE}{name}.json"),
                "{name}: $id must match the file name"
            );
            docs.push((name, doc));
        }
        let mut registry = Registry::new();
        for (name, doc) in &docs {
            registry = registry
                .add(format!("{BASE}{name}.json"), doc.clone())
                .unwrap();
        }
        let registry = registry.prepare().unwrap();
        let validators = docs
            .iter()
            .filter(|(name, _)| name != "common")
            .map(|(name, doc)| {
                let v = jsonschema::options()
                    .with_registry(&registry)
                    .should_validate_formats(true)
                    .build(doc)
                    .unwrap_or_else(|e| panic!("schema {name} does not compile: {e}"));
                (name.clone(), v)
            })
            .collect();
        Contract {
            validators,
            used: RefCell::new(BTreeSet::new()),
            commands: RefCell::new(BTreeSet::new()),
        }
    }

    /// Asserts that `doc` (the output of `plurum --json ARGS`) satisfies
    /// schemas/`schema`.json, and counts the command as covered (unless it is an error).
    fn check(&self, schema: &str, args: &[&str], doc: &Value) {
        let what = args.join(" ");
        let (_, v) = self
            .validators
            .iter()
            .find(|(n, _)| n == schema)
            .unwrap_or_else(|| panic!("no schema named {schema}"));
        let errors: Vec<String> = v
            .iter_errors(doc)
            .map(|e| format!("  at {}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "`plurum {what}` broke schemas/{schema}.json:\n{}\ndocument: {doc:#}",
            errors.join("\n")
        );
        self.used.borrow_mut().insert(schema.to_string());
        if schema != "error" {
            self.commands.borrow_mut().insert(command_of(args));
        }
    }
}

/// Runs `plurum --json ARGS` in `env` (with the real model), checks its output against
/// `schema`, and returns it.
fn run(c: &Contract, env: &Env, schema: &str, args: &[&str]) -> Value {
    let doc = env.json_with_model(args);
    c.check(schema, args, &doc);
    doc
}

/// Like `run`, for commands that talk to `server`.
fn run_remote(c: &Contract, env: &Env, server: &Server, schema: &str, args: &[&str]) -> Value {
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .env("PLURUM_API_URL", &server.url)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    common::assert_ok(&out, args);
    let doc = parse(&out.stdout);
    c.check(schema, args, &doc);
    doc
}

/// A tiny BEIR-layout collection for `plurum eval`.
fn beir(dir: &Path) {
    std::fs::create_dir_all(dir.join("qrels")).unwrap();
    let docs = [
        (
            "d1",
            "Vaccines",
            "Vaccines train the adaptive immune system to recognise a pathogen.",
        ),
        (
            "d2",
            "Rust",
            "The borrow checker rejects a reference that outlives its owner.",
        ),
        (
            "d3",
            "SQLite",
            "WAL mode lets readers proceed while one writer commits.",
        ),
    ];
    let corpus: Vec<String> = docs
        .iter()
        .map(|(id, t, x)| json!({"_id": id, "title": t, "text": x}).to_string())
        .collect();
    std::fs::write(dir.join("corpus.jsonl"), corpus.join("\n")).unwrap();
    std::fs::write(
        dir.join("queries.jsonl"),
        [
            json!({"_id": "q1", "text": "how do vaccines give immunity"}).to_string(),
            json!({"_id": "q2", "text": "sqlite concurrent readers and a writer"}).to_string(),
        ]
        .join("\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("qrels/test.tsv"),
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n",
    )
    .unwrap();
}

#[test]
fn every_command_matches_its_schema_and_every_schema_is_exercised() {
    let c = Contract::load();
    let env = Env::new();

    // Experiences.
    let e = run(
        &c,
        &env,
        "published",
        &[
            "publish",
            "--file",
            &write(
                &env,
                "one.json",
                &sample("Deploy FastAPI to ECS Fargate behind an ALB"),
            ),
        ],
    );
    let id = e["short_id"].as_str().unwrap().to_string();
    let bulk = json!([
        sample("Pin Docker base images by digest in CI"),
        sample("Cache cargo registries in GitHub Actions")
    ]);
    let created = run(
        &c,
        &env,
        "publish-bulk",
        &["publish", "--file", &write(&env, "bulk.json", &bulk)],
    );
    assert_eq!(created["created"].as_array().unwrap().len(), 2);
    let draft = run(
        &c,
        &env,
        "published",
        &[
            "publish",
            "--draft",
            "--file",
            &write(&env, "draft.json", &sample("A draft to publish later on")),
        ],
    );
    assert_eq!(draft["status"], "draft");
    run(
        &c,
        &env,
        "experience",
        &["experience", "publish", draft["id"].as_str().unwrap()],
    );
    run(&c, &env, "experience", &["show", &id]);
    run(&c, &env, "duplicates", &["duplicates"]);
    let merge = run(
        &c,
        &env,
        "merge",
        &[
            "merge",
            &id,
            draft["short_id"].as_str().unwrap(),
            "--dry-run",
        ],
    );
    assert_eq!(merge["dry_run"], true);
    let page = run(&c, &env, "list", &["list", "--limit", "2"]);
    assert_eq!(
        (page["total"].as_i64(), page["has_more"].as_bool()),
        (Some(4), Some(true))
    );
    run(&c, &env, "artifacts", &["artifact", &id]);
    run(&c, &env, "artifact", &["artifact", &id, "0"]);
    for mode in ["summary", "checklist", "decision_tree", "full"] {
        let a = run(&c, &env, "acquire", &["acquire", &id, "--mode", mode]);
        assert_eq!(a["mode"], mode);
    }
    run(
        &c,
        &env,
        "outcome",
        &[
            "outcome",
            &id,
            "--success",
            "--notes",
            "worked",
            "--time-ms",
            "1200",
        ],
    );
    let v = run(&c, &env, "vote", &["vote", &id, "up"]);
    assert_eq!(v["action"], "created");
    assert_eq!(
        run(&c, &env, "vote", &["vote", &id, "up"])["action"],
        "withdrawn"
    );

    // Search, with and without the model.
    let s = run(
        &c,
        &env,
        "search",
        &["search", "deploy a python api on aws containers"],
    );
    assert_eq!(s["semantic"], true);
    run(
        &c,
        &env,
        "search",
        &["search", "--explain", "docker image digest", "--limit", "3"],
    );
    let out = env
        .cmd_without_model()
        .args(["--json", "search", "docker digest pinning"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["search without a model"]);
    let keyword_only = parse(&out.stdout);
    c.check(
        "search",
        &["search", "docker digest pinning"],
        &keyword_only,
    );
    assert_eq!(keyword_only["semantic"], false);
    // One experience without a vector: search names the coverage (reindex below fills it).
    let out = env
        .cmd_without_model()
        .args([
            "--json",
            "publish",
            "--goal",
            "Published while no embedding model was installed",
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish without a model"]);
    let partial = run(&c, &env, "search", &["search", "embedding model installed"]);
    assert!(
        partial["vector_coverage"].as_f64().unwrap() < 1.0,
        "{partial}"
    );
    // A remote that is down: the local results, and the remote's error.
    let down = common::ClosedPort::new();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .env("PLURUM_API_URL", down.url())
        .args(["--json", "search", "--remote", "docker digest pinning"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["search --remote, remote down"]);
    let remote_down = parse(&out.stdout);
    c.check(
        "search",
        &["search", "--remote", "docker digest pinning"],
        &remote_down,
    );
    assert!(remote_down["remote_error"].is_string(), "{remote_down}");
    run(&c, &env, "similar", &["similar", &id]);
    run(&c, &env, "reindex", &["reindex"]);
    let status = run(&c, &env, "model-status", &["model", "status"]);
    assert_eq!(status["recipe"]["pooling"], "mean", "{status}");
    let embedded = run(
        &c,
        &env,
        "model-embed",
        &[
            "model",
            "embed",
            "--query",
            "docker digest pinning",
            "sqlite locked",
        ],
    );
    assert_eq!(embedded["vectors"].as_array().map(Vec::len), Some(2));
    let imported = run(
        &c,
        &env,
        "model-status",
        &["model", "import", model_dir().to_str().unwrap()],
    );
    assert_eq!(imported["available"], true);
    let out = env
        .cmd_without_model()
        .args(["--json", "model", "status"])
        .output()
        .unwrap();
    c.check("model-status", &["model", "status"], &parse(&out.stdout));

    // Sessions, contributions, inbox, pulse.
    let opened = run(
        &c,
        &env,
        "session-opened",
        &[
            "session",
            "open",
            "Set up PostgreSQL streaming replication",
            "--domain",
            "databases",
        ],
    );
    let sid = opened["session"]["id"].as_str().unwrap().to_string();
    run(
        &c,
        &env,
        "session-entry",
        &[
            "session",
            "log",
            &sid,
            "dead_end",
            "--what",
            "synchronous_commit=on",
            "--why",
            "3x latency",
        ],
    );
    run(
        &c,
        &env,
        "session-entry",
        &[
            "session",
            "log",
            &sid,
            "breakthrough",
            "--insight",
            "Use a replication slot",
            "--detail",
            "WAL is kept until the replica has it",
            "--importance",
            "high",
        ],
    );
    run(
        &c,
        &env,
        "session",
        &["session", "update", &sid, "--tool", "postgresql"],
    );
    run(&c, &env, "session-detail", &["session", "show", &sid]);
    run(&c, &env, "session-list", &["session", "list"]);
    run(
        &c,
        &env,
        "contribution",
        &[
            "--agent",
            "bob",
            "session",
            "contribute",
            &sid,
            "--type",
            "suggestion",
            "--text",
            "Check max_wal_senders",
        ],
    );
    run(
        &c,
        &env,
        "contributions",
        &["session", "contributions", &sid],
    );
    let inbox = run(&c, &env, "inbox", &["inbox"]);
    assert_eq!(inbox["has_activity"], true);
    run(&c, &env, "inbox-read", &["inbox", "read", "--all"]);
    run(&c, &env, "pulse", &["pulse"]);
    let closed = run(
        &c,
        &env,
        "session-closed",
        &["session", "close", &sid, "--outcome", "success"],
    );
    assert_eq!(closed["experience_draft"]["status"], "published");
    let other = run(
        &c,
        &env,
        "session-opened",
        &["session", "open", "A session to give up on"],
    );
    let empty = run(
        &c,
        &env,
        "session-closed",
        &["session", "close", other["session"]["id"].as_str().unwrap()],
    );
    assert!(empty.get("experience_draft").is_none());
    let third = run(
        &c,
        &env,
        "session-opened",
        &["session", "open", "Another session to abandon"],
    );
    run(
        &c,
        &env,
        "session",
        &[
            "session",
            "abandon",
            third["session"]["id"].as_str().unwrap(),
        ],
    );
    run(&c, &env, "experience", &["experience", "archive", &id]);

    // Store maintenance and transfer.
    let dump = env.path("dump.jsonl");
    run(&c, &env, "export", &["export", dump.to_str().unwrap()]);
    let other_store = Env::new();
    run(
        &c,
        &other_store,
        "import",
        &["import", dump.to_str().unwrap()],
    );
    run(
        &c,
        &env,
        "copy",
        &["copy", "--to", env.path("copied.db").to_str().unwrap()],
    );
    run(&c, &env, "agents", &["agents"]);
    // Hosts' configuration under the env's own HOME (user scope: nothing in this checkout).
    let installed = run(
        &c,
        &env,
        "hooks-install",
        &["hooks", "install", "gemini", "--recall", "--capture"],
    );
    assert_eq!(installed["files"][0]["action"], "created");
    let status = run(&c, &env, "hooks-status", &["hooks", "status"]);
    assert_eq!(status["hosts"].as_array().unwrap().len(), 6);
    run(&c, &env, "hooks-install", &["hooks", "uninstall", "gemini"]);
    run(&c, &env, "doctor", &["doctor"]);
    run(&c, &env, "doctor", &["doctor", "--fix"]);
    run(
        &c,
        &env,
        "backup",
        &["backup", env.path("copy.db").to_str().unwrap()],
    );
    let collection = env.path("beir");
    beir(&collection);
    let eval = run(&c, &env, "eval", &["eval", collection.to_str().unwrap()]);
    assert_eq!(
        (eval["documents"].as_i64(), eval["queries"].as_i64()),
        (Some(3), Some(2))
    );

    // The collective, against a real `plurum serve`.
    let server = Server::start();
    run(&c, &env, "remote", &["remote", "set", &server.url]);
    run(&c, &env, "remote-show", &["remote", "show"]);
    run_remote(
        &c,
        &env,
        &server,
        "agent-registered",
        &["agent", "register", "Contract Test", "contract-test"],
    );
    run_remote(&c, &env, &server, "agent-whoami", &["agent", "whoami"]);
    run_remote(&c, &env, &server, "agent-key", &["agent", "rotate-key"]);
    let pushed = run_remote(&c, &env, &server, "push", &["push"]);
    assert!(pushed["published"].as_i64().unwrap() >= 3);
    run_remote(&c, &other_store, &server, "pull", &["pull"]);
    // Sync pushes too, so it needs a key of its own.
    run_remote(
        &c,
        &other_store,
        &server,
        "agent-registered",
        &["agent", "register", "Other Store", "other-store"],
    );
    run_remote(&c, &other_store, &server, "sync", &["sync"]);
    run(&c, &env, "remote-show", &["remote", "show"]);

    // Errors: the envelope on stderr, for a not-found, an invalid input and a conflict.
    for (args, code) in [
        (vec!["show", "0000ffff"], 3),
        (vec!["search", ""], 4),
        (vec!["session", "close", &sid], 6),
    ] {
        let err = env.json_err(&args, code);
        c.check("error", &args, &err);
    }

    // Text for people, wrapped in one document for agents.
    let guide = run(&c, &env, "skill", &["skill"]);
    assert!(
        guide["text"]
            .as_str()
            .unwrap()
            .starts_with("---\nname: plurum"),
        "{guide}"
    );
    for shell in ["bash", "zsh"] {
        let script = run(&c, &env, "completions", &["completions", shell]);
        assert_eq!(script["shell"], shell);
    }

    // Every command was checked against a schema, or is a listed exception.
    let commands = runnable_commands();
    let checked = c.commands.borrow();
    for (name, why) in NO_SCHEMA {
        assert!(
            commands.iter().any(|c| c == name),
            "NO_SCHEMA lists `{name}`, which is not a command (any more)"
        );
        assert!(
            !checked.contains(*name),
            "`{name}` was checked against a schema: take it out of NO_SCHEMA ({why})"
        );
    }
    let missing: Vec<&String> = commands
        .iter()
        .filter(|name| !checked.contains(name.as_str()))
        .filter(|name| !NO_SCHEMA.iter().any(|(n, _)| n == name))
        .collect();
    assert!(
        missing.is_empty(),
        "commands whose --json output no schema checked: {missing:?}\n\
         add a schema in schemas/ and run the command in this test, or, if its output is not \
         one JSON document, list it in NO_SCHEMA with the reason and say so in the README"
    );

    let unused: Vec<String> = c
        .validators
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| !c.used.borrow().contains(n))
        .collect();
    assert!(
        unused.is_empty(),
        "schemas no command was checked against: {unused:?}"
    );
}

fn write(env: &Env, name: &str, doc: &Value) -> String {
    let path = env.path(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_schema_catches_a_breaking_change() {
    // The contract test is only worth something if the schemas reject real breakage.
    let c = Contract::load();
    let env = Env::new();
    let e = env.publish(&sample("Pin Docker base images by digest in CI"));
    let mut renamed = e.clone();
    let goal = renamed.as_object_mut().unwrap().remove("goal").unwrap();
    renamed["title"] = goal;
    let mut retyped = e.clone();
    retyped["quality_score"] = json!("0.0");
    let mut unversioned = e.clone();
    unversioned
        .as_object_mut()
        .unwrap()
        .remove("schema_version");
    let (_, v) = c
        .validators
        .iter()
        .find(|(n, _)| n == "experience")
        .unwrap();
    assert!(v.is_valid(&e));
    for broken in [renamed, retyped, unversioned] {
        assert!(!v.is_valid(&broken), "accepted {broken}");
    }
}

/// The README's section on the JSON contract and exit codes.
fn readme_contract_section() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("## The JSON contract and exit codes")
        .expect("the README has a JSON contract section");
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

#[test]
fn the_readme_names_every_command_without_a_schema() {
    let section = readme_contract_section();
    for (name, why) in NO_SCHEMA {
        assert!(
            section.contains(&format!("`plurum {name}`")),
            "the README's JSON contract section does not name `plurum {name}` as an exception ({why})"
        );
    }
}

/// Runs `cmd` (already holding its arguments, `--json` among them), asserts it exits with
/// `code`, and returns the error envelope of stderr, checked against schemas/error.json.
fn exits_with(c: &Contract, cmd: &mut std::process::Command, args: &[&str], code: i32) -> Value {
    let out = cmd.arg("--json").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: expected exit {code}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("{args:?}: no JSON error on stderr: {stderr}"));
    let err: Value = serde_json::from_str(line).expect("the error envelope is JSON");
    c.check("error", args, &err);
    err
}

/// Every row of the README's exit code table, produced by a real command line; a row without
/// a case here, or a case without a row, fails.
#[test]
fn every_exit_code_in_the_readme_is_produced() {
    let section = readme_contract_section();
    let table: Vec<i32> = section
        .lines()
        .skip_while(|l| !l.starts_with("| exit code |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cell = l.trim_matches('|').split('|').next().unwrap().trim();
            cell.parse()
                .unwrap_or_else(|_| panic!("not an exit code: {l:?}"))
        })
        .collect();
    assert!(table.len() >= 8, "the exit code table: {table:?}");

    let c = Contract::load();
    let env = Env::new();
    let no_model = || env.cmd_without_model();
    let mut tested = BTreeSet::new();

    // 0: success (the document goes to stdout, nothing to stderr's envelope).
    let out = no_model()
        .args([
            "--json",
            "publish",
            "--goal",
            "An experience for the exit code table",
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
    let id = parse(&out.stdout)["short_id"].as_str().unwrap().to_string();
    tested.insert(0);

    // 1: anything else, e.g. reindex with no embedding model to do it with.
    let err = exits_with(&c, &mut no_model(), &["reindex"], 1);
    assert!(
        err["detail"].as_str().unwrap().contains("embedding model"),
        "{err}"
    );
    tested.insert(1);

    // 2: usage.
    let err = exits_with(&c, &mut no_model(), &["search"], 2);
    assert_eq!(err["details"]["field"], "query");
    tested.insert(2);

    // 3: not found.
    let err = exits_with(&c, &mut no_model(), &["show", "0000ffff"], 3);
    assert_eq!(err["details"]["identifier"], "0000ffff");
    tested.insert(3);

    // 4: invalid input, and a detected secret.
    let err = exits_with(&c, &mut no_model(), &["search", ""], 4);
    assert_eq!(err["details"]["field"], "query");
    let secret = format!("export GH_TOKEN=ghp_{}", "a1B2c3D4e5".repeat(4));
    let err = exits_with(
        &c,
        &mut no_model(),
        &[
            "publish",
            "--goal",
            "Configure the GitHub CLI in a CI job",
            "--solution",
            &secret,
        ],
        4,
    );
    assert_eq!(err["details"]["field"], "solution");
    tested.insert(4);

    // 5: not permitted.
    exits_with(
        &c,
        &mut no_model(),
        &["--agent", "bob", "experience", "archive", &id],
        5,
    );
    tested.insert(5);

    // 6: conflict.
    exits_with(&c, &mut no_model(), &["experience", "publish", &id], 6);
    tested.insert(6);

    // 7: the remote is unreachable.
    let down = common::ClosedPort::new();
    exits_with(
        &c,
        no_model().env("PLURUM_API_URL", down.url()),
        &["pull"],
        7,
    );
    tested.insert(7);

    let in_readme: BTreeSet<i32> = table.into_iter().collect();
    assert_eq!(
        in_readme, tested,
        "the README's exit code table and the codes this test produces differ"
    );

    // `plurum --help` and `plurum skill` list the same codes.
    let codes_in = |text: &str| -> BTreeSet<i32> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let help = plurum::doors::cli::Cli::command()
        .get_long_about()
        .expect("plurum has a long about")
        .to_string();
    let help = help
        .split("Exit codes:")
        .nth(1)
        .expect("--help lists the exit codes");
    assert_eq!(codes_in(help), in_readme, "--help: {help}");
    let skill = env.run(&["skill"]);
    let skill = String::from_utf8(skill.stdout).unwrap();
    let skill = skill
        .split("## Exit codes")
        .nth(1)
        .expect("the skill lists the exit codes");
    assert_eq!(codes_in(skill), in_readme, "plurum skill: {skill}");
}
