//! The secret scan through the CLI: the formats added to it refuse a new experience, generic
//! shapes (`Authorization: Bearer …`) never do, and a record stored before a format was
//! added still moves (`import`, `copy`), named on stderr, while one holding a format the scan
//! always refused is still refused.

use crate::common;

use common::{Env, sample};
use serde_json::{Value, json};

/// Filler for fake keys, made at run time so the repository holds no literal key.
fn filler(n: usize, seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWZabcdefghijkmnopqrstuvwz0123456789";
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

/// A GitHub fine-grained token's shape: a format the scan added, refused anew.
fn fine_grained_token() -> String {
    format!(
        "{}{}_{}",
        ["github", "_pat_"].concat(),
        filler(22, 1),
        filler(59, 2)
    )
}

/// A GitHub classic token's shape: one of the six formats the scan always refused.
fn classic_token() -> String {
    format!("{}{}", ["gh", "p_"].concat(), filler(36, 3))
}

fn publish_file(env: &Env, e: &Value) -> std::process::Output {
    let file = env.path("experience.json");
    std::fs::write(&file, e.to_string()).unwrap();
    env.run(&["publish", "--file", file.to_str().unwrap()])
}

fn total(env: &Env) -> u64 {
    env.json(&["list"])["total"].as_u64().unwrap()
}

#[test]
fn publishing_a_fine_grained_github_token_is_refused_naming_the_field() {
    let env = Env::new();
    let token = fine_grained_token();
    let mut e = sample("Clone a private repository in CI with a token");
    e["artifacts"] = json!([{"language": "sh", "code": format!("export GH_TOKEN={token}\ngh repo clone acme/app")}]);
    let out = publish_file(&env, &e);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("artifacts[0].code"), "{stderr}");
    assert!(!stderr.contains(&token), "the secret was echoed: {stderr}");

    let file = env.path("experience.json");
    let err = env.json_err(&["publish", "--file", file.to_str().unwrap()], 4);
    assert_eq!(err["details"]["field"], "artifacts[0].code", "{err}");
    assert_eq!(total(&env), 0);
}

#[test]
fn a_bearer_header_is_published_it_is_no_reason_to_refuse() {
    let env = Env::new();
    let mut e = sample("Call the internal API with a bearer header from curl");
    e["artifacts"] = json!([{"language": "sh", "code": "curl -H 'Authorization: Bearer abc.def' https://api.internal/v1/items"}]);
    e["gotchas"] = json!(["password=hunter2 in the compose file is the local default"]);
    let out = publish_file(&env, &e);
    common::assert_ok(&out, &["publish"]);
    assert_eq!(total(&env), 1);
}

/// An export of one experience from a fresh store, its dead end's `why` replaced by `why`:
/// (the export's text, the experience line's number).
fn export_with(why: &str) -> (String, usize) {
    let a = Env::new();
    a.publish(&sample("Move an older experience between stores"));
    let file = a.path("export.jsonl");
    a.json(&["export", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines
        .iter()
        .position(|l| l.contains("\"type\":\"experience\""))
        .unwrap();
    assert!(lines[n].contains("Too many interruptions"));
    lines[n] = lines[n].replace("Too many interruptions", why);
    (lines.join("\n") + "\n", n + 1)
}

#[test]
fn an_import_carries_a_new_format_stored_before_and_refuses_an_original_one() {
    let token = fine_grained_token();
    let (export, line) = export_with(&format!("the token {token} expired"));
    let b = Env::new();
    let file = b.path("older.jsonl");
    std::fs::write(&file, &export).unwrap();
    let out = b.run(&["--json", "import", file.to_str().unwrap()]);
    common::assert_ok(&out, &["import"]);
    let summary = common::parse(&out.stdout);
    assert_eq!(summary["added"]["experiences"], 1, "{summary}");
    let warnings = summary["warnings"].as_array().expect("warnings").clone();
    assert_eq!(warnings.len(), 1, "{summary}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.starts_with(&format!("line {line} (experience "))
            && warning.contains("github fine-grained token"),
        "{warning}"
    );
    assert!(!out.stdout.is_empty() && !summary.to_string().contains(&token));

    // The carried record moves on (copy), named again; nothing new is published with it.
    let c = b.path("copy.db");
    let copied = b.json(&["copy", "--to", c.to_str().unwrap()]);
    assert_eq!(copied["added"]["experiences"], 1, "{copied}");
    assert!(
        copied["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("github fine-grained token")),
        "{copied}"
    );

    // One of the six formats the scan always refused is still refused, by line and field.
    let (export, line) = export_with(&format!("the token {} expired", classic_token()));
    let d = Env::new();
    std::fs::write(&file, &export).unwrap();
    let err = d.json_err(&["import", file.to_str().unwrap()], 4);
    assert_eq!(
        err["details"]["field"],
        format!("line {line}.dead_ends[0].why"),
        "{err}"
    );
    assert_eq!(d.json(&["agents"])["total"], 0, "nothing written");
}

/// Needs the CLI to print `ImportSummary::warnings` on stderr (`note_replaced`'s neighbour
/// in src/doors/cli/commands.rs).
#[test]
fn an_import_names_a_carried_record_on_stderr() {
    let (export, line) = export_with(&format!("the token {} expired", fine_grained_token()));
    let b = Env::new();
    let file = b.path("older.jsonl");
    std::fs::write(&file, &export).unwrap();
    for json_mode in [false, true] {
        let mut args = vec!["import", file.to_str().unwrap()];
        if json_mode {
            args.insert(0, "--json");
        }
        let out = b.run(&args);
        common::assert_ok(&out, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.lines().any(
                |l| l.starts_with(&format!("warning: line {line} (experience "))
                    && l.contains(
                        "carried although it holds what looks like a github fine-grained token"
                    )
            ),
            "{stderr}"
        );
    }
}
