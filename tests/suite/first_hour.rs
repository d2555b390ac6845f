//! The first hour at the terminal: progress on long work, usage errors under --json, broken
//! pipes, empty variables, a mistyped --db, the interactive publish, and text that fits the
//! terminal. Terminal behaviour runs the real binary under a pseudo-terminal (`script` from
//! util-linux).

use crate::common;
use crate::fake_http::{Action, FakeHttp, Gate};

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Env, Server, model_dir, parse, sample};
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
    // The summary, and the count of likely duplicates (the items differ by a number only).
    let published = format!("Published {N} experiences.");
    assert_eq!(stderr.lines().last(), Some(published.as_str()), "{stderr}");
    assert!(
        stderr
            .lines()
            .all(|l| l == published || l.starts_with("note: ") && l.contains("likely duplicates")),
        "{stderr}"
    );
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

/// Waits until the terminal output (ANSI codes stripped) satisfies `seen`; fails after a
/// long guard, showing the output.
fn wait_for(pty: &Pty, what: &str, seen: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let text = pty.text();
        if seen(&text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "never saw {what}; output so far:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The spinner frames drawn before `message` (the template is `{spinner} {msg} ({elapsed})`).
fn spinner_frames(text: &str, message: &str) -> std::collections::BTreeSet<char> {
    let needle = format!(" {message} (");
    text.match_indices(&needle)
        .filter_map(|(at, _)| text[..at].chars().next_back())
        .collect()
}

/// Whether the bar of `stage` was drawn at `done/total`: `   pulling [===>     ] 1/3 (`.
fn bar_shows(text: &str, stage: &str, done: usize, total: usize) -> bool {
    let count = format!("] {done}/{total} (");
    text.match_indices(&format!("{stage} [")).any(|(at, _)| {
        text[at..]
            .chars()
            .take(60)
            .collect::<String>()
            .contains(&count)
    })
}

/// Asserts the bar's count, rate and time left were drawn.
fn assert_rate_and_eta(output: &str, what: &str) {
    let text = console::strip_ansi_codes(output);
    assert!(
        text.contains("/s, ") && text.contains(" left)"),
        "{what}: no rate or time left drawn:\n{text}"
    );
}

/// A BEIR collection (see src/ops/eval.rs) of `docs` abstracts on ten topics and six judged
/// queries, in `dir`: queries.jsonl and qrels/test.tsv written, the corpus returned.
fn beir_collection(dir: &std::path::Path, docs: usize) -> String {
    const TOPICS: [&str; 10] = [
        "protein folding in yeast cells",
        "vitamin D and bone density in older women",
        "sleep deprivation and working memory",
        "antibiotic resistance in hospital wards",
        "air pollution and asthma in children",
        "gut bacteria and obesity",
        "aerobic exercise and blood pressure",
        "coffee consumption and heart rhythm",
        "screen time and adolescent anxiety",
        "malaria vaccine trials in infants",
    ];
    std::fs::create_dir_all(dir.join("qrels")).unwrap();
    let mut corpus = String::new();
    for i in 0..docs {
        let topic = TOPICS[i % TOPICS.len()];
        let text: String = (0..5)
            .map(|k| {
                format!(
                    "In arm {k} of trial {i}, {} participants were followed for {} weeks and \
                     outcomes related to {topic} were measured at every visit. ",
                    40 + 7 * k + i,
                    3 + (k * i) % 11
                )
            })
            .collect();
        corpus.push_str(
            &json!({"_id": format!("d{i}"), "title": format!("Study {i} of {topic}"), "text": text})
                .to_string(),
        );
        corpus.push('\n');
    }
    let mut queries = String::new();
    let mut qrels = String::from("query-id\tcorpus-id\tscore\n");
    for (q, topic) in TOPICS.iter().take(6).enumerate() {
        queries.push_str(
            &json!({"_id": format!("q{q}"), "text": format!("What is known about {topic}?")})
                .to_string(),
        );
        queries.push('\n');
        for i in (q..docs).step_by(TOPICS.len()) {
            qrels.push_str(&format!("q{q}\td{i}\t1\n"));
        }
    }
    std::fs::write(dir.join("queries.jsonl"), queries).unwrap();
    std::fs::write(dir.join("qrels/test.tsv"), qrels).unwrap();
    corpus
}

/// README: `eval` shows a spinner while the amount is unknown and a bar that moves per item
/// on a terminal, and nothing with stderr not a terminal. The corpus is a FIFO the test
/// fills only once the spinner has turned (two frames drawn): until then eval waits for its
/// collection and the amount is unknown. The bar is redrawn by a ticker every 120 ms, not
/// on each item, so the count between 0 and 48 it must show needs the loading to outlast a
/// few ticks: 48 abstracts of about 120 tokens take several batches and about a second here.
#[test]
fn eval_shows_a_spinner_then_a_moving_bar_on_a_terminal_and_nothing_otherwise() {
    const DOCS: usize = 48;
    let model = model_dir();
    let model = model.to_str().unwrap();
    let env = Env::new();
    let dir = env.path("beir");
    let corpus = beir_collection(&dir, DOCS);
    let fifo = dir.join("corpus.jsonl");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path of our own.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);

    let pty = Pty::spawn(
        &env,
        100,
        &["eval", dir.to_str().unwrap(), "--max-queries", "2"],
        &[("PLURUM_MODEL_DIR", model)],
    );
    wait_for(&pty, "the eval spinner turning", |t| {
        spinner_frames(t, "eval").len() >= 2
    });
    {
        // Blocks until eval opens the FIFO (it is waiting to), so on a thread of its own.
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, corpus));
    }
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");
    assert_intermediate(&output, DOCS, "eval (loading)");
    assert_rate_and_eta(&output, "eval");
    assert!(
        console::strip_ansi_codes(&output).contains("nDCG@10"),
        "{output}"
    );

    // Not a terminal: nothing on stderr (a small collection will do).
    let small = env.path("beir-small");
    let corpus = beir_collection(&small, 12);
    std::fs::write(small.join("corpus.jsonl"), corpus).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model)
        .args(["eval", small.to_str().unwrap(), "--max-queries", "2"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["eval"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

const CREATE: (&str, &str) = ("POST", "/api/v1/experiences");
const LIST: (&str, &str) = ("GET", "/api/v1/experiences");
/// `GET /api/v1/experiences/{id}`: the path starts so.
const FETCH: (&str, &str) = ("GET", "/api/v1/experiences/");

/// A fake front (tests/suite/fake_http.rs) for `server` that holds the `n`th (from 0)
/// request of each kind at its gate; FETCH matches by prefix, the others exactly.
fn gated_front(server: &Server, gates: &[((&'static str, &'static str), usize, Gate)]) -> FakeHttp {
    let gates: Vec<_> = gates
        .iter()
        .map(|(kind, n, gate)| {
            (
                *kind,
                *n,
                gate.clone(),
                std::sync::atomic::AtomicUsize::new(0),
            )
        })
        .collect();
    FakeHttp::start(Some(&server.url), move |r| {
        for ((method, path), n, gate, count) in &gates {
            let matches = r.method == *method
                && if *path == FETCH.1 {
                    r.path().starts_with(path)
                } else {
                    r.path() == *path
                };
            if matches && count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == *n {
                gate.wait();
            }
        }
        Action::Forward
    })
}

fn register_on(server: &Server, env: &Env, username: &str) {
    let out = env
        .cmd()
        .env("PLURUM_API_URL", &server.url)
        .args(["--json", "agent", "register", username, username])
        .output()
        .unwrap();
    common::assert_ok(&out, &["agent register"]);
}

fn publish_quietly(env: &Env, goals: &[String]) {
    let items: Vec<Value> = goals.iter().map(|g| sample(g)).collect();
    let file = env.path("goals.json");
    std::fs::write(&file, Value::Array(items).to_string()).unwrap();
    let out = env
        .cmd_without_model()
        .args(["publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
}

/// README: `push`, `pull` and `sync` show a spinner while the amount is unknown and then a
/// bar that moves per item, with count, rate and time left; with stderr not a terminal they
/// draw nothing. A fake front before a real server holds chosen requests until the terminal
/// shows what the test waits for: the list until the spinner has turned (two frames), the
/// second fetch of a pull until its bar stands at 1 of 3, the second create of a push until
/// its bar stands at 1 of 3 — so each sight is an event, not a lucky redraw.
#[test]
fn push_pull_and_sync_show_a_spinner_then_a_bar_moving_per_item() {
    let server = Server::start();
    let a = Env::new();
    let b = Env::new();
    register_on(&server, &a, "bar-pusher");
    register_on(&server, &b, "bar-puller");
    let goals = |what: &str, n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("{what} experience {i} about deploying services"))
            .collect()
    };
    publish_quietly(&a, &goals("First pushed", 3));

    // push: a bar per experience.
    let create = Gate::new();
    let front = gated_front(&server, &[(CREATE, 1, create.clone())]);
    let pty = Pty::spawn(&a, 100, &["push"], &[("PLURUM_API_URL", &front.url)]);
    wait_for(&pty, "push's bar at 1/3", |t| bar_shows(t, "pushing", 1, 3));
    create.open();
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");
    assert_rate_and_eta(&output, "push");
    assert!(
        console::strip_ansi_codes(&output).contains("3 created"),
        "{output}"
    );

    // pull: a spinner while the remote is asked, then a bar per experience.
    let (list, fetch) = (Gate::new(), Gate::new());
    let front = gated_front(
        &server,
        &[(LIST, 0, list.clone()), (FETCH, 1, fetch.clone())],
    );
    let pty = Pty::spawn(&b, 100, &["pull"], &[("PLURUM_API_URL", &front.url)]);
    wait_for(&pty, "pull's spinner turning", |t| {
        spinner_frames(t, "contacting the remote").len() >= 2
    });
    list.open();
    wait_for(&pty, "pull's bar at 1/3", |t| bar_shows(t, "pulling", 1, 3));
    fetch.open();
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");
    assert_rate_and_eta(&output, "pull");
    assert!(
        console::strip_ansi_codes(&output).contains("3 new"),
        "{output}"
    );

    // sync: the spinner, then the pull's bar, then the push's, on one line.
    publish_quietly(&a, &goals("Second pushed", 2));
    common::assert_ok(
        &a.cmd()
            .env("PLURUM_API_URL", &front.url)
            .args(["push"])
            .output()
            .unwrap(),
        &["push"],
    );
    publish_quietly(&b, &goals("Synced", 2));
    let (list, fetch, create) = (Gate::new(), Gate::new(), Gate::new());
    let front = gated_front(
        &server,
        &[
            (LIST, 0, list.clone()),
            (FETCH, 1, fetch.clone()),
            (CREATE, 1, create.clone()),
        ],
    );
    let pty = Pty::spawn(&b, 100, &["sync"], &[("PLURUM_API_URL", &front.url)]);
    wait_for(&pty, "sync's spinner turning", |t| {
        spinner_frames(t, "contacting the remote").len() >= 2
    });
    list.open();
    wait_for(&pty, "sync's pull bar at 1/2", |t| {
        bar_shows(t, "pulling", 1, 2)
    });
    fetch.open();
    wait_for(&pty, "sync's push bar at 1/2", |t| {
        bar_shows(t, "pushing", 1, 2)
    });
    create.open();
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");
    assert_rate_and_eta(&output, "sync");

    // Not a terminal: not a byte on stderr, with work to do.
    publish_quietly(&a, &goals("Quietly pushed", 2));
    let c = Env::new();
    for (env, args) in [
        (&a, &["--json", "push"][..]),
        (&c, &["--json", "pull"]),
        (&b, &["--json", "sync"]),
    ] {
        let out = env
            .cmd()
            .env("PLURUM_API_URL", &server.url)
            .args(args)
            .output()
            .unwrap();
        common::assert_ok(&out, args);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
    assert_eq!(c.json(&["list"])["total"], 9);
}

/// What the fake hub serves: each file's bytes and its sha256 (the ETag hf-hub files blobs by).
struct HubFile {
    bytes: Vec<u8>,
    sha256: String,
}

const HUB_COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// The answer to one hf-hub request, `GET /{repo}/resolve/main/{file}` with a `Range`
/// (`bytes=0-0` for the metadata, `bytes=START-` for the download): 206 with the range, the
/// ETag and `X-Repo-Commit` hf-hub needs. The first full download of the weights is sent in
/// two halves, the second only once `gate` opens.
fn hub_answer(
    r: &crate::fake_http::Request,
    files: &std::sync::Arc<std::collections::HashMap<&'static str, HubFile>>,
    gate: &Gate,
    gated: &std::sync::atomic::AtomicBool,
) -> Action {
    let prefix = "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/";
    let Some(name) = r.path().strip_prefix(prefix) else {
        return Action::Status(404, None);
    };
    let Some(file) = files.get(name) else {
        return Action::Status(404, None);
    };
    let size = file.bytes.len();
    let (start, end) = r
        .header("Range")
        .and_then(|v| v.strip_prefix("bytes="))
        .and_then(|v| v.split_once('-'))
        .map(|(s, e)| {
            (
                s.parse::<usize>().unwrap(),
                e.parse::<usize>().map_or(size - 1, |e| e.min(size - 1)),
            )
        })
        .unwrap_or((0, size - 1));
    let head = format!(
        "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {start}-{end}/{size}\r\n\
         ETag: \"{}\"\r\nX-Repo-Commit: {HUB_COMMIT}\r\nConnection: close\r\n\r\n",
        end + 1 - start,
        file.sha256
    );
    let split = name == "model.safetensors"
        && end + 1 - start == size
        && !gated.swap(true, std::sync::atomic::Ordering::SeqCst);
    let (files, name, gate) = (files.clone(), name.to_string(), gate.clone());
    Action::Custom(Box::new(move |stream| {
        let body = &files[name.as_str()].bytes[start..=end];
        let _ = stream.write_all(head.as_bytes());
        if split {
            let half = body.len() / 2;
            let _ = stream.write_all(&body[..half]);
            let _ = stream.flush();
            gate.wait();
            let _ = stream.write_all(&body[half..]);
        } else {
            let _ = stream.write_all(body);
        }
    }))
}

/// Every `BYTES/total` count hf-hub's bar drew (`[{bar}] 8.00 KiB/86.66 MiB`).
fn drawn_byte_counts(text: &str, total: &str) -> Vec<String> {
    text.match_indices(&format!("/{total}"))
        .filter_map(|(at, _)| {
            let before = &text[..at];
            Some(before[before.rfind("] ")? + 2..].to_string())
        })
        .collect()
}

/// README: `plurum model fetch` downloads the model with hf-hub, with a progress bar on a
/// terminal. `HF_ENDPOINT` points at a fake hub serving the model's three files as the
/// Hugging Face hub does; the weights come in two halves, the second only once the terminal
/// shows the bar at a byte count between nothing and all. The three files land in the
/// Hugging Face cache, byte for byte, and `model status` finds the model there. With stderr
/// not a terminal, the download draws nothing (stderr holds only the line saying where the
/// model went).
#[test]
fn model_fetch_downloads_from_hf_endpoint_with_a_bar_on_a_terminal_and_nothing_otherwise() {
    use sha2::Digest;
    let model = model_dir();
    let mut files = std::collections::HashMap::new();
    // The three files a model needs, and the sentence-transformers files that say how to
    // run it (config_sentence_transformers.json is left out: the hub answers 404, which a
    // model without prompts would give).
    for name in [
        "config.json",
        "tokenizer.json",
        "model.safetensors",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
    ] {
        let bytes = std::fs::read(model.join(name)).unwrap();
        let sha256 = format!("{:x}", sha2::Sha256::digest(&bytes));
        files.insert(name, HubFile { bytes, sha256 });
    }
    let files = Arc::new(files);
    let weights_size = files["model.safetensors"].bytes.len() as u64;
    let weights_sha = files["model.safetensors"].sha256.clone();
    let gate = Gate::new();
    let hub = {
        let (files, gate) = (files.clone(), gate.clone());
        let gated = std::sync::atomic::AtomicBool::new(false);
        FakeHttp::start(None, move |r| hub_answer(r, &files, &gate, &gated))
    };
    let online = [
        ("HF_ENDPOINT", hub.url.as_str()),
        ("PLURUM_OFFLINE", ""),
        ("PLURUM_MODEL_DIR", ""),
    ];

    let env = Env::new();
    let total = indicatif::HumanBytes(weights_size).to_string();
    let pty = Pty::spawn(&env, 120, &["model", "fetch"], &online);
    wait_for(&pty, "the download's bar part-way", |t| {
        t.contains("model.safetensors")
            && drawn_byte_counts(t, &total)
                .iter()
                .any(|n| n != "0 B" && *n != total)
    });
    gate.open();
    let (status, output) = pty.wait();
    assert!(status.success(), "{output}");
    let text = console::strip_ansi_codes(&output).into_owned();
    assert!(
        text.contains("Downloaded sentence-transformers/all-MiniLM-L6-v2 into"),
        "{text}"
    );
    let mut fetched: Vec<String> = hub
        .seen()
        .iter()
        .map(|s| {
            s.path()
                .trim_start_matches("/sentence-transformers/all-MiniLM-L6-v2/resolve/main/")
                .to_string()
        })
        .collect();
    fetched.sort();
    fetched.dedup();
    assert_eq!(
        fetched,
        [
            "1_Pooling/config.json",
            "config.json",
            "config_sentence_transformers.json",
            "model.safetensors",
            "modules.json",
            "sentence_bert_config.json",
            "tokenizer.json"
        ]
    );

    // In the Hugging Face cache, byte for byte, and found there.
    let snapshot = env
        .path("hf/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots")
        .join(HUB_COMMIT);
    for (name, file) in files.iter() {
        assert_eq!(
            common::sha256_file(&snapshot.join(name)),
            file.sha256,
            "{name} in the cache"
        );
    }
    let status = common::parse(
        &env.cmd()
            .env_remove("PLURUM_MODEL_DIR")
            .args(["--json", "model", "status"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        (&status["source"], &status["available"], &status["sha256"]),
        (
            &json!("Hugging Face cache"),
            &json!(true),
            &json!(weights_sha)
        ),
        "{status}"
    );
    assert_eq!(
        (&status["recipe"]["pooling"], &status["recipe"]["origin"]),
        (&json!("mean"), &json!("model")),
        "its sentence-transformers files came along: {status}"
    );

    // Not a terminal: one line on stderr, no bar.
    let env = Env::new();
    let mut cmd = env.cmd();
    for (k, v) in online {
        cmd.env(k, v);
    }
    let out = cmd.args(["model", "fetch"]).output().unwrap();
    common::assert_ok(&out, &["model fetch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("Downloaded "), "{stderr}");
}
