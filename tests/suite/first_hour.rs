//! The first hour at the terminal: progress on long work, usage errors under --json, broken
//! pipes, empty variables, a mistyped --db, the interactive publish, and text that fits the
//! terminal. Terminal behaviour runs the real binary under a pseudo-terminal (`script` from
//! util-linux).

use crate::common;

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Env, model_dir, parse, sample};
use serde_json::{Value, json};

/// Single-quotes a word for sh.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A `plurum` run inside a pseudo-terminal of `cols` columns, fed keystrokes on demand.
struct Pty {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Copies the output into `output` until `script` exits.
    reader: std::thread::JoinHandle<()>,
    /// How much of the (ANSI-stripped) output `expect` has consumed.
    seen: usize,
}

impl Pty {
    fn spawn(env: &Env, cols: u16, args: &[&str], vars: &[(&str, &str)]) -> Pty {
        let mut line = format!(
            "stty cols {cols} rows 50; exec {}",
            quote(env!("CARGO_BIN_EXE_plurum"))
        );
        for a in args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        let mut cmd = common::clean_command("script");
        env.apply(&mut cmd)
            .args(["-qfec", &line, "/dev/null"])
            .env("TERM", "xterm-256color")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("run `script` (util-linux)");
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = child.stdout.take().unwrap();
        let sink = output.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            stdin: child.stdin.take(),
            child,
            output,
            reader,
            seen: 0,
        }
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    fn text(&self) -> String {
        console::strip_ansi_codes(&self.raw()).into_owned()
    }

    /// Waits until `needle` appears in the output after what was already matched.
    fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.text();
            if let Some(at) = text.get(self.seen..).and_then(|rest| rest.find(needle)) {
                self.seen += at + needle.len();
                return;
            }
            if Instant::now() > deadline {
                panic!("never saw {needle:?}; output so far:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal `script` made, as its child (the shell that becomes plurum) reads it.
    fn tty(&self) -> Option<std::path::PathBuf> {
        let script = self.child.id().to_string();
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // "pid (comm) state ppid ...": the parent is the second field after the comm.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1));
            if ppid == Some(script.as_str()) {
                let tty = std::fs::read_link(entry.path().join("fd/0")).ok()?;
                return tty.starts_with("/dev/pts").then_some(tty);
            }
        }
        None
    }

    /// Waits until the program reads keys: a prompt reads each key with the terminal in raw
    /// mode, so keys sent then are read as keys, not edited and echoed as a line.
    fn wait_for_raw_mode(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(tty) = self.tty() {
                let out = common::clean_command("stty")
                    .arg("-F")
                    .arg(&tty)
                    .arg("-a")
                    .output()
                    .expect("run stty");
                let settings = String::from_utf8_lossy(&out.stdout);
                if settings.split_whitespace().any(|w| w == "-icanon") {
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "the program never waited for a key; output so far:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn send(&mut self, keys: &str) {
        self.wait_for_raw_mode();
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Answers a prompt: waits for it, types the answer and Enter.
    fn answer(&mut self, prompt: &str, answer: &str) {
        self.expect(prompt);
        self.send(&format!("{answer}\r"));
    }

    fn wait(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + Duration::from_secs(600);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("plurum did not end; output:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        drop(self.stdin.take());
        // Everything `script` wrote, up to the end of its output.
        self.reader.join().unwrap();
        let raw = String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned();
        (status, raw)
    }
}

/// Runs a command in a pty to the end; its exit status and raw output.
fn in_pty(env: &Env, cols: u16, args: &[&str], vars: &[(&str, &str)]) -> (ExitStatus, String) {
    Pty::spawn(env, cols, args, vars).wait()
}

/// Every `N/total` count a progress bar drew.
fn drawn_counts(output: &str, total: usize) -> Vec<usize> {
    let suffix = format!("/{total}");
    let text = console::strip_ansi_codes(output);
    let mut counts = Vec::new();
    for (at, _) in text.match_indices(&suffix) {
        let digits: String = text[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if let Ok(n) = digits.parse() {
            counts.push(n);
        }
    }
    counts
}

fn experiences(n: usize) -> String {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let mut e = sample(&format!(
                "Progress item {i}: deploy service number {i} to a container platform"
            ));
            e["context"] = json!(format!("Run {i}: {}", "detail ".repeat(20 + i % 7)));
            e
        })
        .collect();
    serde_json::to_string(&items).unwrap()
}

fn assert_intermediate(output: &str, total: usize, what: &str) {
    let counts = drawn_counts(output, total);
    let between: std::collections::BTreeSet<usize> = counts
        .iter()
        .copied()
        .filter(|&n| n > 0 && n < total)
        .collect();
    assert!(
        !between.is_empty(),
        "{what}: the bar never showed a count between 0 and {total}: {counts:?}\n{output}"
    );
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "{what}: the bar went backwards: {counts:?}"
    );
}

#[test]
fn long_commands_show_a_moving_bar_on_a_terminal_and_nothing_otherwise() {
    const N: usize = 60;
    let model = model_dir();
    let model = model.to_str().unwrap();
    let env = Env::new();
    let file = env.path("many.json");
    std::fs::write(&file, experiences(N)).unwrap();
    let file = file.to_str().unwrap();

    // Bulk publish (one batch of the store's 256): the bar moves per item as they embed.
    let (status, output) = in_pty(
        &env,
        100,
        &["publish", "--file", file],
        &[("PLURUM_MODEL_DIR", model)],
    );
    assert!(status.success(), "{output}");
    assert_intermediate(&output, N, "publish --file");
    assert!(
        output.contains("items/s") || output.contains("/s"),
        "{output}"
    );

    // Reindex.
    let (status, output) = in_pty(
        &env,
        100,
        &["reindex", "--force"],
        &[("PLURUM_MODEL_DIR", model)],
    );
    assert!(status.success(), "{output}");
    assert_intermediate(&output, N, "reindex");

    // Import into another store.
    let export = env.path("all.jsonl");
    common::assert_ok(&env.run(&["export", export.to_str().unwrap()]), &["export"]);
    let other = env.path("other.db");
    let (status, output) = in_pty(
        &env,
        100,
        &["import", export.to_str().unwrap()],
        &[
            ("PLURUM_MODEL_DIR", model),
            ("PLURUM_DB", other.to_str().unwrap()),
        ],
    );
    assert!(status.success(), "{output}");
    assert_intermediate(&output, N, "import");

    // Not a terminal: not a single byte of progress on stderr.
    let env = Env::new();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model)
        .args(["publish", "--file", file])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim(), format!("Published {N} experiences."));
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model)
        .args(["--json", "reindex", "--force"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["reindex"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn usage_errors_under_json_carry_the_whole_message_and_the_field() {
    let env = Env::new();
    let err = env.json_err(&["search"], 2);
    let detail = err["detail"].as_str().unwrap();
    assert!(
        detail.contains("required arguments were not provided") && detail.contains("<QUERY>"),
        "{err}"
    );
    assert_eq!(err["details"]["field"], "query", "{err}");
    assert_eq!(err["error"], err["detail"]);

    let err = env.json_err(&["list", "--limit", "many"], 2);
    assert!(err["detail"].as_str().unwrap().contains("'many'"), "{err}");
    assert_eq!(err["details"]["field"], "limit", "{err}");

    let err = env.json_err(&["vote", "abcd1234", "sideways"], 2);
    let detail = err["detail"].as_str().unwrap();
    assert!(
        detail.contains("sideways") && detail.contains("up, down"),
        "{err}"
    );
    assert_eq!(err["details"]["field"], "direction", "{err}");

    let err = env.json_err(&["outcome", "abcd1234"], 2);
    let detail = err["detail"].as_str().unwrap();
    assert!(
        detail.contains("--success") && detail.contains("--failure"),
        "{err}"
    );
    // No usage text or help hint in the one-line envelope.
    assert!(
        !detail.contains("Usage:") && !detail.contains("--help"),
        "{err}"
    );
}

#[test]
fn outcome_without_a_result_names_both_flags() {
    let env = Env::new();
    let out = env.run(&["outcome", "abcd1234"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--success") && stderr.contains("--failure"),
        "{stderr}"
    );
    let out = env.run(&["outcome", "abcd1234", "--success", "--failure"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Runs with stdout a pipe whose reader is already gone.
fn run_closed_stdout(env: &Env, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = env
        .cmd()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn commands_end_quietly_when_their_reader_goes_away() {
    let env = Env::new();
    let e = env.publish(&sample("Broken pipe checks need an experience to print"));
    let id = e["short_id"].as_str().unwrap();
    for args in [
        vec!["completions", "bash"],
        vec!["completions", "zsh"],
        vec!["export"],
        vec!["list"],
        vec!["--json", "list"],
        vec!["show", id],
        vec!["--json", "show", id],
        vec!["artifact", id, "0"],
        vec!["acquire", id, "--mode", "checklist"],
        vec!["skill"],
        vec!["--help"],
        vec!["agents"],
    ] {
        let out = run_closed_stdout(&env, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?} said something");
    }
}

#[test]
fn empty_variables_count_as_unset() {
    let env = Env::new();
    env.publish(&sample("Empty environment variables count as unset"));
    for (var, args) in [
        ("PLURUM_JSON", vec!["list"]),
        ("PLURUM_OFFLINE", vec!["search", "environment"]),
        ("PLURUM_AGENT", vec!["list", "--mine"]),
        ("PLURUM_MODEL_DIR", vec!["list"]),
    ] {
        let out = env
            .cmd()
            .env(var, "")
            .env("HF_HUB_OFFLINE", "1")
            .args(&args)
            .output()
            .unwrap();
        common::assert_ok(&out, &args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("Empty environment variables"),
            "{var}: {stdout}"
        );
        // Text, not JSON: PLURUM_JSON= is not --json.
        assert!(!stdout.trim_start().starts_with('{'), "{var}: {stdout}");
    }
    // PLURUM_DB= is the default store (in PLURUM_HOME here).
    let out = env
        .cmd()
        .env("PLURUM_DB", "")
        .args(["list"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["list"]);
    assert!(env.path("home").join("plurum.db").exists());
    // PLURUM_SESSION= is no session at all: a usage error, not "session '' not found".
    let out = env
        .cmd()
        .env("PLURUM_SESSION", "")
        .args(["--json", "session", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = parse(out.stderr.trim_ascii());
    assert_eq!(err["details"]["field"], "session", "{err}");
}

#[test]
fn a_db_in_a_missing_folder_is_a_usage_error() {
    let env = Env::new();
    let missing = env.path("nope").join("dir");
    let db = missing.join("x.db");
    let out = env.run(&["--db", db.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
    assert!(!env.path("nope").exists(), "the folders were created");

    // The same from PLURUM_DB, under --json.
    let out = env
        .cmd()
        .env("PLURUM_DB", &db)
        .args(["--json", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = parse(out.stderr.trim_ascii());
    assert!(
        err["detail"]
            .as_str()
            .unwrap()
            .contains(missing.to_str().unwrap()),
        "{err}"
    );
    assert!(!env.path("nope").exists());

    // The default location is still created.
    let home = env.path("fresh").join("home");
    let out = env
        .cmd()
        .env_remove("PLURUM_DB")
        .env("PLURUM_HOME", &home)
        .args(["--json", "list"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["list"]);
    assert!(home.join("plurum.db").exists());
}

#[test]
fn interactive_publish_asks_for_every_field_and_shows_a_preview() {
    let env = Env::new();
    let script = env.path("deploy.sh");
    std::fs::write(&script, "#!/bin/sh\nset -eu\nfly deploy --remote-only\n").unwrap();
    let mut pty = Pty::spawn(&env, 100, &["publish"], &[]);
    pty.answer("Goal", "Make the interactive publish ask for every field");
    pty.answer("Domain", "cli");
    pty.answer("Context", "a pseudo-terminal");
    pty.answer("Tools used", "tmux, script");
    pty.answer("Dead end", "Piped stdin :: no terminal to prompt on");
    pty.answer("Dead end", "");
    pty.answer("Breakthrough", "");
    pty.answer("Gotcha", "");
    pty.answer("Solution", "Drive it through script(1)");
    pty.answer("Artifact", script.to_str().unwrap());
    pty.answer("Language", ""); // the default, guessed from .sh
    pty.answer("Description", "the deploy script");
    pty.answer("Artifact", "");
    pty.answer("Tags", "tty, test");
    pty.expect("Outcome");
    pty.send("\r");
    pty.expect("Visibility");
    pty.send("jj\r"); // private
    pty.expect("draft");
    pty.send("y");
    pty.expect("Preview");
    pty.expect("tools       tmux, script");
    pty.expect("artifact    bash (3 lines): the deploy script");
    pty.expect("visibility  private");
    pty.expect("status      draft");
    pty.expect("Save it as a draft?");
    pty.send("y");
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");

    let page = env.json(&["list", "--status", "draft"]);
    assert_eq!(page["total"], 1, "{page}");
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    let e = env.json(&["show", &id]);
    assert_eq!(
        e["goal"],
        "Make the interactive publish ask for every field"
    );
    assert_eq!(e["domain"], "cli");
    assert_eq!(e["context"], "a pseudo-terminal");
    assert_eq!(e["tools_used"], json!(["tmux", "script"]));
    assert_eq!(e["tags"], json!(["tty", "test"]));
    assert_eq!(
        e["dead_ends"][0],
        json!({"what": "Piped stdin", "why": "no terminal to prompt on"})
    );
    assert_eq!(e["solution"], "Drive it through script(1)");
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["visibility"], "private");
    assert_eq!(e["status"], "draft");
    let artifact = env.json(&["artifact", &id, "0"])["artifact"].clone();
    assert_eq!(artifact["language"], "bash", "{artifact}");
    assert_eq!(artifact["description"], "the deploy script");
    assert!(artifact["code"].as_str().unwrap().contains("fly deploy"));
}

#[test]
fn ctrl_c_at_the_prompts_restores_the_cursor_and_writes_nothing() {
    let env = Env::new();
    let mut pty = Pty::spawn(&env, 100, &["publish"], &[]);
    pty.answer("Goal", "Ctrl-C at a menu must not leave the cursor hidden");
    for prompt in [
        "Domain",
        "Context",
        "Tools used",
        "Dead end",
        "Breakthrough",
        "Gotcha",
        "Solution",
        "Artifact",
        "Tags",
    ] {
        pty.answer(prompt, "");
    }
    pty.expect("Outcome"); // a menu: the cursor is hidden while it shows
    pty.send("\x03");
    let (status, output) = pty.wait();
    assert_eq!(status.code(), Some(130), "{output}");
    assert!(output.contains("\x1b[?25l"), "the menu hid the cursor");
    assert!(
        output.trim_end_matches(['\r', '\n']).ends_with("\x1b[?25h"),
        "the cursor is left hidden: {output:?}"
    );
    assert!(console::strip_ansi_codes(&output).contains("cancelled; nothing was written"));
    assert_eq!(env.json(&["list", "--include-archived"])["total"], 0);

    // Ctrl-C at a text prompt too.
    let mut pty = Pty::spawn(&env, 100, &["publish"], &[]);
    pty.expect("Goal");
    pty.send("half a goal\x03");
    let (status, output) = pty.wait();
    assert_eq!(status.code(), Some(130), "{output}");
    assert!(output.trim_end_matches(['\r', '\n']).ends_with("\x1b[?25h"));
    assert_eq!(env.json(&["list"])["total"], 0);
}

#[test]
fn tables_fit_the_terminal() {
    let env = Env::new();
    let goal = "Keep a long goal on one line of the table, cut to the width the terminal has left \
                after the other columns, instead of wrapping it over five lines";
    let e = env.publish(&sample(goal));
    let id = e["short_id"].as_str().unwrap().to_string();

    for cols in [70usize, 160] {
        let (status, output) = in_pty(&env, cols as u16, &["list"], &[]);
        assert!(status.success(), "{output}");
        let text = console::strip_ansi_codes(&output).into_owned();
        for line in text.lines() {
            let width = console::measure_text_width(line.trim_end_matches('\r'));
            assert!(width <= cols, "{width} > {cols}: {line:?}\n{text}");
        }
        // The experience is one row, the goal cut with an ellipsis.
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("│")).collect();
        let with_id: Vec<&&str> = rows.iter().filter(|l| l.contains(&id)).collect();
        assert_eq!(with_id.len(), 1, "{text}");
        assert!(with_id[0].contains('…'), "{text}");
        assert_eq!(
            rows.len(),
            2,
            "header and one row, each on one line:\n{text}"
        );
        if cols == 70 {
            // The columns that matter least make room for the goal.
            assert!(text.contains(&goal[..23]), "{text}");
        }
        if cols == 160 {
            // A wide terminal shows more of the goal than the old fixed 60 characters.
            assert!(text.contains(&goal[..75]), "{text}");
        }
    }

    // Piped: no width to fit, the goal is cut at a fixed length.
    let out = env.run(&["list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&goal[..40]) && !text.contains(&goal[..70]),
        "{text}"
    );
}

#[test]
fn every_argument_has_help() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() && sub.get_long_about().is_none() {
                missing.push(format!("{path} {} (the command)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut cmd = plurum::doors::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, "plurum", &mut missing);
    assert!(missing.is_empty(), "without help text: {missing:#?}");
}
