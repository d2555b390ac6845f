//! `plurum skill` must tell the truth: every command line in it runs as written against a
//! real store (exit 0), and every `--flag` its prose names exists on the command it is about.

use crate::common;

use clap::CommandFactory;
use common::{Env, model_dir};
use serde_json::Value;

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
    assert!(!quoted, "unbalanced quotes in {line:?}");
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn skill() -> String {
    let out = common::plurum().arg("skill").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// What the skill's text holds, in reading order.
#[derive(Debug)]
enum Piece {
    /// A command line: an inline `plurum …` span or a line of a ```sh block.
    Command(String),
    /// An inline span that is not a command (may name flags, e.g. `--tag T`), or the
    /// `--flags` plain prose names outside any span.
    Prose(String),
}

/// The `--flag` words of plain prose (`--` then a letter).
fn flags_in_prose(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| {
            w.strip_prefix("--")
                .is_some_and(|f| f.starts_with(|c: char| c.is_ascii_alphabetic()))
        })
        .map(str::to_string)
        .collect()
}

/// The skill's command lines and inline spans in order, and its ```json example.
fn pieces(text: &str) -> (Vec<Piece>, String) {
    let mut out = Vec::new();
    let mut json = String::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        if let Some(lang) = line.trim().strip_prefix("```") {
            fence = match fence {
                None => Some(lang.to_string()),
                Some(_) => None,
            };
            continue;
        }
        match fence.as_deref() {
            Some("sh") => {
                let line = line.trim();
                if !line.is_empty() {
                    out.push(Piece::Command(line.to_string()));
                }
            }
            Some("json") => {
                json.push_str(line);
                json.push('\n');
            }
            Some(other) => panic!("a ```{other} block the test does not know how to check"),
            None => {
                assert_eq!(
                    line.matches('`').count() % 2,
                    0,
                    "an inline span crosses a line: {line:?}"
                );
                for (i, part) in line.split('`').enumerate() {
                    if i % 2 == 0 {
                        let flags = flags_in_prose(part);
                        if !flags.is_empty() {
                            out.push(Piece::Prose(flags.join(" ")));
                        }
                    } else if part.starts_with("plurum ") {
                        out.push(Piece::Command(part.to_string()));
                    } else {
                        out.push(Piece::Prose(part.to_string()));
                    }
                }
            }
        }
    }
    (out, json)
}

/// The subcommand path a command line's words name (`["session", "log"]`), after `plurum`
/// and global options, and the clap command it leads to.
fn command_path(words: &[String]) -> Vec<String> {
    let mut cmd = plurum::doors::cli::Cli::command();
    cmd.build();
    let mut path = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if let Some(flag) = w.strip_prefix("--") {
            let takes_value = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(flag))
                .is_some_and(|a| a.get_action().takes_values());
            i += if takes_value && !flag.contains('=') {
                2
            } else {
                1
            };
            continue;
        }
        match cmd.find_subcommand(w) {
            Some(sub) => {
                path.push(w.clone());
                cmd = sub.clone();
            }
            None => break,
        }
        i += 1;
    }
    path
}

/// The long flags a command takes (its own and the global ones).
fn flags_of(path: &[String]) -> Vec<String> {
    let mut cmd = plurum::doors::cli::Cli::command();
    cmd.build();
    let mut flags: Vec<String> = cmd
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect();
    for name in path {
        cmd = cmd.find_subcommand(name).unwrap().clone();
        flags.extend(
            cmd.get_arguments()
                .filter_map(|a| a.get_long().map(str::to_string)),
        );
    }
    flags.push("help".into());
    flags
}

/// Every `--flag` the prose names exists on the command it is about: the command the span
/// itself names (`session open --private`), else the command line just before it in the
/// text (`--tag T` after the search example), else a global option (`--json`).
#[test]
fn every_flag_the_skill_names_exists_on_its_command() {
    let checked = check_flags(&skill()).unwrap_or_else(|e| panic!("{e}"));
    assert!(checked >= 20, "only {checked} flags found");
}

/// The check above fails when a flag is renamed or made up: in a prose span, in a command
/// line, in a ```sh block, in plain prose outside any span, and for a global option.
#[test]
fn the_flag_check_catches_a_flag_that_does_not_exist() {
    let text = skill();
    for (from, to) in [
        ("`--min-quality 0.3`", "`--minimum-quality 0.3`"),
        (
            "outcome SHORT_ID --success --notes",
            "outcome SHORT_ID --success --note",
        ),
        ("--code-file slot.sql", "--code-path slot.sql"),
        ("`session open --private`", "`session open --secret`"),
        ("`--agent NAME`", "`--as NAME`"),
        (
            "`--draft` keeps it unpublished.",
            "`--draft` keeps it unpublished; --verbose says more.",
        ),
        // A flag of another command is not a flag of this one.
        ("`--domain D`", "`--outcome D`"),
    ] {
        assert!(text.contains(from), "the skill no longer has {from:?}");
        let changed = text.replacen(from, to, 1);
        assert!(
            check_flags(&changed).is_err(),
            "the check accepted {to:?} in place of {from:?}"
        );
    }
}

/// Checks every `--flag` of `text` (see above); returns how many it checked.
fn check_flags(text: &str) -> Result<usize, String> {
    let (pieces, _) = pieces(text);
    let mut context: Vec<String> = Vec::new();
    let mut checked = 0;
    for piece in &pieces {
        let (text, is_command) = match piece {
            Piece::Command(c) => (c.trim_start_matches("SID=$(").trim_end_matches(')'), true),
            Piece::Prose(p) => (p.as_str(), false),
        };
        let mut w = words(text);
        if w.first().map(String::as_str) == Some("plurum") {
            w.remove(0);
        }
        let named = command_path(&w);
        if !named.is_empty() || is_command {
            context = named.clone();
        }
        let flags = flags_of(&context);
        for flag in w.iter().filter_map(|w| w.strip_prefix("--")) {
            let flag = flag.split('=').next().unwrap();
            if !flags.iter().any(|f| f == flag) {
                return Err(format!(
                    "`--{flag}` (in `{text}`) is not an option of `plurum {}`",
                    context.join(" ")
                ));
            }
            checked += 1;
        }
    }
    Ok(checked)
}

/// Every command line of the skill, inline or in a block, runs as written against a prepared
/// store and exits 0. Placeholders are filled in: SHORT_ID with a published experience, SID
/// (inline) with another agent's open session, $SID with the session the block opened.
#[test]
fn every_command_in_the_skill_runs_as_written() {
    let env = Env::new();
    let (pieces, json) = pieces(&skill());
    let commands: Vec<&String> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Command(c) => Some(c),
            Piece::Prose(_) => None,
        })
        .collect();
    assert!(
        commands.len() >= 15,
        "only {} command lines",
        commands.len()
    );

    // The files the examples name, in the directory they run in.
    let example: Value = serde_json::from_str(&json).expect("the skill's JSON example parses");
    std::fs::write(env.path("exp.json"), example.to_string()).unwrap();
    std::fs::write(
        env.path("slot.sql"),
        "SELECT pg_create_physical_replication_slot('r1');\n",
    )
    .unwrap();
    let run = |args: &[String]| {
        env.cmd()
            .current_dir(env.dir.path())
            .env("PLURUM_MODEL_DIR", model_dir())
            .args(args)
            .output()
            .unwrap()
    };
    // An experience another agent published (with an artifact), and another agent's session.
    let seeded = run(&words("--json --agent seed-author publish --file exp.json"));
    common::assert_ok(&seeded, &["seed publish"]);
    let short_id = common::parse(&seeded.stdout)["short_id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = run(&words(
        "--agent another-agent session open \"Migrate a PostgreSQL replica to new hardware\"",
    ));
    common::assert_ok(&other, &["another agent's session"]);
    let other_sid = String::from_utf8(other.stdout).unwrap().trim().to_string();

    let mut sid = String::new();
    for line in commands {
        let (capture, command) = match line.strip_prefix("SID=$(") {
            Some(rest) => (true, rest.trim_end_matches(')').to_string()),
            None => (false, line.clone()),
        };
        let filled = command
            .replace("$SID", &sid)
            .replace("SHORT_ID", &short_id)
            .replace("SID", &other_sid);
        let args = words(&filled);
        assert_eq!(args[0], "plurum", "{line}");
        let out = run(&args[1..]);
        common::assert_ok(&out, &[line]);
        if capture {
            sid = String::from_utf8(out.stdout).unwrap().trim().to_string();
            assert!(!sid.is_empty(), "{line} printed no id");
        }
    }
    // The session block did what it says: five entries, closed, one experience assembled.
    let shown = env.json(&["session", "show", &sid]);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["entry_count"], 5);
}
