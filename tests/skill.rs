//! `plurum skill` must tell the truth: every command it shows parses, and its session
//! example runs as written against a real store.

mod common;

use clap::Parser;
use common::{Env, model_dir};

/// Splits a shell line into words, honouring double quotes (enough for the skill's examples).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn skill() -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plurum"))
        .arg("skill")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_in_the_skill_parses() {
    let text = skill();
    let mut n = 0;
    for span in text
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("plurum "))
    {
        let args = words(
            &span
                .replace("SHORT_ID", "abcd1234")
                .replace("SID", "abcd1234")
                .replace("$abcd1234", "abcd1234"),
        );
        plurum::cli::Cli::try_parse_from(&args)
            .unwrap_or_else(|e| panic!("`{span}` does not parse: {e}"));
        n += 1;
    }
    assert!(n >= 8, "only {n} inline commands found");
}

#[test]
fn the_session_example_runs_as_written() {
    let env = Env::new();
    std::fs::write(
        env.path("slot.sql"),
        "SELECT pg_create_physical_replication_slot('r1');\n",
    )
    .unwrap();
    let text = skill();
    let block = text
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let mut sid = String::new();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (capture, command) = match line.strip_prefix("SID=$(") {
            Some(rest) => (true, rest.trim_end_matches(')').to_string()),
            None => (false, line.replace("$SID", &sid)),
        };
        let args = words(&command);
        assert_eq!(args[0], "plurum");
        let out = env
            .cmd()
            .current_dir(env.dir.path())
            .env("PLURUM_MODEL_DIR", model_dir())
            .args(&args[1..])
            .output()
            .unwrap();
        common::assert_ok(&out, &[line]);
        if capture {
            sid = String::from_utf8(out.stdout).unwrap().trim().to_string();
        }
    }
    let shown = env.json(&["session", "show", &sid]);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["entry_count"], 5);
    assert_eq!(env.json(&["list"])["total"], 1);
}
