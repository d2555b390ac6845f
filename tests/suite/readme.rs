//! The README's examples, as the program prints and answers them today: the agent loop's
//! search table (first rows, the short id aside, which is new in every store) and the curl
//! check of a team's two servers on one PostgreSQL database, run as written.

use std::process::Command;

use crate::common;

use common::{Env, PgDatabase, Server};
use serde_json::Value;

fn readme() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap()
}

/// The lines of the first fenced block (```sh) after `heading`.
fn block_after(text: &str, heading: &str) -> Vec<String> {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the README"));
    let rest = &text[start..];
    let open = rest.find("```sh\n").expect("a ```sh block") + "```sh\n".len();
    let close = rest[open..].find("```").expect("the block's end") + open;
    rest[open..close].lines().map(str::to_string).collect()
}

/// Joins the block's shell lines continued with `\`, and drops comment lines.
fn commands(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
        } else {
            current.push_str(line);
            out.push(std::mem::take(&mut current));
        }
    }
    out
}

/// The README's agent loop: `plurum search "…"` over the 50 examples prints the table the
/// README shows, row for row (the README shows the header and the first result; the short
/// id, new in every store, aside).
#[test]
fn the_readme_search_example_is_what_plurum_prints() {
    let block = block_after(&readme(), "## The agent loop");
    let command = block
        .iter()
        .find(|l| l.starts_with("$ plurum search "))
        .expect("the search example");
    let query = command
        .trim_start_matches("$ plurum search ")
        .trim()
        .trim_matches('"')
        .to_string();
    let shown: Vec<&String> = block
        .iter()
        .skip_while(|l| *l != command)
        .skip(1)
        .take_while(|l| !l.starts_with('…') && !l.starts_with('$'))
        .collect();
    assert!(
        shown.len() >= 4,
        "the README shows the table's head and a row: {shown:?}"
    );

    let env = Env::new();
    common::examples_store(&env);
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", common::model_dir())
        .args(["search", &query])
        .output()
        .unwrap();
    common::assert_ok(&out, &["search", &query]);
    let printed = String::from_utf8(out.stdout).unwrap();
    let printed: Vec<&str> = printed.lines().collect();
    // The short id is the second cell of a result row.
    let without_id = |line: &str| -> String {
        let cells: Vec<&str> = line.split('┆').collect();
        if cells.len() > 2 && cells[1].trim().len() == 8 {
            let mut cells = cells;
            cells[1] = " ID ";
            cells.join("┆")
        } else {
            line.to_string()
        }
    };
    for (i, line) in shown.iter().enumerate() {
        assert_eq!(
            without_id(printed.get(i).copied().unwrap_or("")),
            without_id(line),
            "line {} of the README's search example; plurum printed:\n{}",
            i + 1,
            printed.join("\n")
        );
    }
}

/// The README's curl check of two servers on one database, run as written (localhost:8001
/// and :8002 are the two servers here, `SHORT` the short id the create answered), on the
/// database the section builds (the 50 examples copied in): each answer is what its comment
/// says, the new experience first among them all.
#[test]
fn the_readme_curl_check_works_against_two_servers_on_one_database() {
    let lines = block_after(&readme(), "Check it with curl");
    let database = PgDatabase::create();
    let examples = Env::new();
    common::examples_store(&examples);
    let out = examples
        .cmd()
        .args(["copy", "--to", &database.url])
        .output()
        .unwrap();
    common::assert_ok(&out, &["copy", "--to", "DATABASE"]);
    let a = Server::launch_on(&database);
    let b = Server::launch_on(&database);
    let mut short = String::new();
    let mut key = String::new();
    let mut answers: Vec<Value> = Vec::new();
    for command in commands(&lines) {
        let command = command
            .replace("localhost:8001", a.url.trim_start_matches("http://"))
            .replace("localhost:8002", b.url.trim_start_matches("http://"))
            .replace("SHORT", &short);
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("{command}\necho \"KEY=$KEY\""))
            .env("KEY", &key)
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let (body, rest) = stdout.rsplit_once("KEY=").unwrap();
        key = rest.trim().to_string();
        if body.trim().is_empty() {
            continue;
        }
        let answer: Value = serde_json::from_str(body.trim())
            .unwrap_or_else(|e| panic!("{command}: not JSON ({e}): {body}"));
        if answer.get("status") == Some(&Value::from("draft")) {
            short = answer["short_id"].as_str().unwrap().to_string();
        }
        answers.push(answer);
    }
    assert!(
        key.starts_with("plrm_live_"),
        "the register line sets KEY: {key:?}"
    );
    let [created, published, found, voted] = answers.as_slice() else {
        panic!("four answers expected: {answers:#?}");
    };
    assert_eq!(created["status"], "draft", "{created}");
    assert_eq!(published["status"], "published", "{published}");
    assert_eq!(found["semantic"], true, "{found}");
    assert_eq!(found["results"][0]["short_id"], short.as_str(), "{found:#}");
    assert_eq!(voted["action"], "created", "{voted}");
}
