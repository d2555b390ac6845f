//! `plurum hooks install|uninstall|status` and `plurum hook`: real configuration files of the
//! three hosts merged and restored byte for byte, and every documented event of every host
//! (tests/fixtures/hooks, copied from each host's documentation) fed through the command
//! line install wrote, run by a shell as the host runs it.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::{Value, json};

use crate::common::{Env, assert_ok, clean_command, parse};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hooks");

/// A scratch store, a fake home and a project (a git work tree of a Rust crate).
struct Setup {
    env: Env,
    project: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let env = Env::new();
        let project = env.path("web-app");
        std::fs::create_dir_all(project.join(".git")).unwrap();
        std::fs::write(
            project.join(".git/config"),
            "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/web-app.git\n",
        )
        .unwrap();
        std::fs::write(
            project.join("Cargo.toml"),
            "[package]\nname = \"web-app\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(env.user_home()).unwrap();
        Setup { env, project }
    }

    /// `plurum ARGS` run in the project folder.
    fn run(&self, args: &[&str]) -> Output {
        self.env
            .cmd()
            .current_dir(&self.project)
            .args(args)
            .output()
            .unwrap()
    }

    fn home(&self, rel: &str) -> PathBuf {
        self.env.user_home().join(rel)
    }

    /// The hooks file of `host` at `scope`.
    fn hooks_file(&self, host: &str, scope: &str) -> PathBuf {
        match (host, scope) {
            ("claude-code", "user") => self.home(".claude/settings.json"),
            ("claude-code", _) => self.project.join(".claude/settings.json"),
            ("codex", "user") => self.home(".codex/hooks.json"),
            ("codex", _) => self.project.join(".codex/hooks.json"),
            (_, "user") => self.home(".gemini/settings.json"),
            _ => self.project.join(".gemini/settings.json"),
        }
    }

    fn mcp_file(&self, host: &str, scope: &str) -> PathBuf {
        match (host, scope) {
            ("claude-code", "user") => self.home(".claude.json"),
            ("claude-code", _) => self.project.join(".mcp.json"),
            ("codex", "user") => self.home(".codex/config.toml"),
            ("codex", _) => self.project.join(".codex/config.toml"),
            _ => self.hooks_file(host, scope),
        }
    }

    /// The command install wrote for the host's `event`.
    fn command_for(&self, host: &str, scope: &str, event: &str) -> String {
        let doc: Value =
            serde_json::from_slice(&std::fs::read(self.hooks_file(host, scope)).unwrap()).unwrap();
        doc["hooks"][event]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["hooks"].as_array().cloned().unwrap_or_default())
            .filter_map(|h| h["command"].as_str().map(str::to_string))
            .find(|c| c.contains(" hook --host "))
            .unwrap_or_else(|| panic!("no plurum hook for {host} {event}"))
    }

    /// Runs `command` with `sh -c` in the project, as a host does: its environment is the
    /// user's (HOME, PATH), not the test's store variables.
    fn run_hook(&self, command: &str, stdin: &str) -> Output {
        use std::io::Write;
        let mut child = clean_command("sh")
            .arg("-c")
            .arg(command)
            .current_dir(&self.project)
            .env("HOME", self.env.user_home())
            .env("PLURUM_HOME", self.env.home())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// The documented input of `event`, in this project, for host session `session`.
    fn fixture(&self, host: &str, event: &str, session: &str, changes: Value) -> String {
        let text = std::fs::read_to_string(format!("{FIXTURES}/{host}/{event}.json")).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["cwd"] = json!(self.project);
        v["session_id"] = json!(session);
        for (k, val) in changes.as_object().unwrap() {
            v[k] = val.clone();
        }
        v.to_string()
    }

    fn hooks_log(&self) -> String {
        std::fs::read_to_string(self.env.home().join("hooks/hooks.log")).unwrap_or_default()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Files as a user had them before install: other hooks, other servers, other keys, a
/// four-space indentation, TOML comments.
fn seed(s: &Setup, host: &str, scope: &str) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let hooks = s.hooks_file(host, scope);
    let mcp = s.mcp_file(host, scope);
    std::fs::create_dir_all(hooks.parent().unwrap()).unwrap();
    std::fs::create_dir_all(mcp.parent().unwrap()).unwrap();
    let theirs = json!({
        "theme": "dark",
        "hooks": {
            "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
            "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "audit.sh"}]}]
        },
        "mcpServers": {"github": {"command": "gh-mcp", "args": []}},
        "zeta": [1, 2, {"nested": true}]
    });
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(&theirs, &mut ser).unwrap();
    buf.push(b'\n');
    std::fs::write(&hooks, &buf).unwrap();
    if mcp != hooks {
        if host == "codex" {
            std::fs::write(
                &mcp,
                "# my codex settings\nmodel = \"gpt-5-codex\"  # the default\n\n[mcp_servers.github]\ncommand = \"gh-mcp\"\nargs = [\"--verbose\"]\n\n[profiles.fast]\nmodel = \"o4-mini\"\n",
            )
            .unwrap();
        } else {
            std::fs::write(
                &mcp,
                "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"gh-mcp\"\n    }\n  },\n  \"numStartups\": 12\n}\n",
            )
            .unwrap();
        }
    }
    let mut files = vec![(hooks.clone(), Some(buf))];
    if mcp != hooks {
        files.push((mcp.clone(), Some(std::fs::read(&mcp).unwrap())));
    }
    files
}

#[test]
fn install_merges_a_second_install_changes_nothing_and_uninstall_restores_every_byte() {
    for host in ["claude-code", "codex", "gemini"] {
        for scope in ["user", "project"] {
            let s = Setup::new();
            let before = seed(&s, host, scope);
            let out = s.run(&[
                "--json",
                "hooks",
                "install",
                host,
                "--scope",
                scope,
                "--recall",
                "--capture",
            ]);
            assert_ok(&out, &[host, scope]);
            let report = parse(&out.stdout);
            assert_eq!(report["mcp_server"], true, "{host} {scope}: {report}");
            assert_eq!(
                report["hooks"].as_array().unwrap().len(),
                6,
                "{host} {scope}: {report}"
            );

            // Theirs is all still there, in its order, beside ours.
            let hooks: Value =
                serde_json::from_slice(&std::fs::read(s.hooks_file(host, scope)).unwrap()).unwrap();
            let keys: Vec<&String> = hooks.as_object().unwrap().keys().collect();
            assert_eq!(&keys[..2], ["theme", "hooks"], "{host} {scope}");
            assert_eq!(
                hooks["hooks"]["Stop"][0]["hooks"][0]["command"],
                "notify-send done"
            );
            assert_eq!(
                hooks["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
                "audit.sh"
            );
            assert_eq!(hooks["zeta"], json!([1, 2, {"nested": true}]));
            let command = s.command_for(host, scope, "SessionStart");
            assert!(
                Path::new(command.split(' ').next().unwrap()).is_absolute(),
                "plurum is named by its absolute path: {command}"
            );
            let mcp_text = std::fs::read_to_string(s.mcp_file(host, scope)).unwrap();
            if host == "codex" {
                assert!(
                    mcp_text.starts_with(
                        "# my codex settings\nmodel = \"gpt-5-codex\"  # the default\n"
                    ),
                    "{mcp_text}"
                );
                assert!(mcp_text.contains("[mcp_servers.plurum]"), "{mcp_text}");
                assert!(mcp_text.contains("codex_hooks = true"), "{mcp_text}");
                assert!(mcp_text.contains("[profiles.fast]"), "{mcp_text}");
            } else {
                let mcp: Value = serde_json::from_str(&mcp_text).unwrap();
                assert_eq!(mcp["mcpServers"]["github"]["command"], "gh-mcp");
                assert_eq!(
                    mcp["mcpServers"]["plurum"]["args"]
                        .as_array()
                        .unwrap()
                        .last()
                        .unwrap(),
                    "mcp"
                );
            }
            if host == "gemini" {
                let timeout = hooks["hooks"]["SessionStart"][0]["hooks"][0]["timeout"]
                    .as_u64()
                    .unwrap();
                assert_eq!(timeout, 10_000, "Gemini counts milliseconds");
            }

            // A second install changes nothing.
            let installed: Vec<Vec<u8>> = before
                .iter()
                .map(|(p, _)| std::fs::read(p).unwrap())
                .collect();
            assert_ok(
                &s.run(&[
                    "hooks",
                    "install",
                    host,
                    "--scope",
                    scope,
                    "--recall",
                    "--capture",
                ]),
                &[host],
            );
            for ((p, _), bytes) in before.iter().zip(&installed) {
                assert_eq!(
                    &std::fs::read(p).unwrap(),
                    bytes,
                    "{} changed on a second install",
                    p.display()
                );
            }
            let status = parse(&s.run(&["--json", "hooks", "status"]).stdout);
            let mine = status["hosts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["host"] == host && h["scope"] == scope)
                .unwrap()
                .clone();
            assert_eq!(mine["mcp_server"], true);
            assert_eq!(mine["hooks"].as_array().unwrap().len(), 6);

            // Uninstall: every byte as it was.
            assert_ok(
                &s.run(&["hooks", "uninstall", host, "--scope", scope]),
                &[host],
            );
            for (p, bytes) in &before {
                assert_eq!(
                    std::fs::read(p).ok(),
                    *bytes,
                    "{host} {scope}: {} is not as it was",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn files_install_created_are_removed_by_uninstall_and_options_can_be_dropped() {
    for host in ["claude-code", "codex", "gemini"] {
        let s = Setup::new();
        assert_ok(&s.run(&["hooks", "install", host, "--capture"]), &[host]);
        let hooks = s.hooks_file(host, "user");
        let doc: Value = serde_json::from_slice(&std::fs::read(&hooks).unwrap()).unwrap();
        assert_eq!(
            doc["hooks"].as_object().unwrap().len() - usize::from(host == "gemini"),
            5,
            "{doc}"
        );
        // Installing again without --capture keeps only the session-start hook.
        assert_ok(&s.run(&["hooks", "install", host]), &[host]);
        let doc: Value = serde_json::from_slice(&std::fs::read(&hooks).unwrap()).unwrap();
        let events: Vec<&String> = doc["hooks"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "enabled")
            .collect();
        assert_eq!(events, ["SessionStart"], "{host}: {doc}");
        // Installed at both scopes, the host would run each hook twice: install says so.
        let both = s.run(&["--json", "hooks", "install", host, "--scope", "project"]);
        assert_ok(&both, &[host]);
        let notes = parse(&both.stdout)["notes"].to_string();
        assert!(notes.contains("runs both"), "{host}: {notes}");
        let project = ["hooks", "uninstall", host, "--scope", "project"];
        assert_ok(&s.run(&project), &project);
        assert!(!s.hooks_file(host, "project").exists(), "{host}");
        assert_ok(&s.run(&["hooks", "uninstall", host]), &[host]);
        assert!(
            !hooks.exists(),
            "{host}: {} was created by install",
            hooks.display()
        );
        assert!(!s.mcp_file(host, "user").exists(), "{host}");
    }
}

#[test]
fn a_broken_configuration_is_refused_untouched_naming_its_line() {
    let s = Setup::new();
    let settings = s.home(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let broken = "{\n  \"theme\": \"dark\",\n  \"hooks\": {\n}\n,\n";
    std::fs::write(&settings, broken).unwrap();
    let out = s.run(&["hooks", "install", "claude-code"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("settings.json") && err.contains("line 6"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), broken);
    assert!(
        !s.home(".claude.json").exists(),
        "nothing is written when one file is broken"
    );

    let config = s.home(".codex/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "model = \"x\"\n[mcp_servers\n").unwrap();
    let out = s.run(&["hooks", "install", "codex"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    assert!(!s.home(".codex/hooks.json").exists());
}

/// The events of each host, in the order a session meets them, with our name for each.
fn events(host: &str) -> [(&'static str, &'static str); 6] {
    match host {
        "claude-code" => [
            ("SessionStart", "SessionStart"),
            ("UserPromptSubmit", "UserPromptSubmit"),
            ("PostToolUseFailure", "PostToolUseFailure"),
            ("Stop", "Stop"),
            ("PreCompact", "PreCompact"),
            ("SessionEnd", "SessionEnd"),
        ],
        "codex" => [
            ("SessionStart", "SessionStart"),
            ("UserPromptSubmit", "UserPromptSubmit"),
            ("PostToolUse", "PostToolUse"),
            ("Stop", "Stop"),
            ("PreCompact", "PreCompact"),
            ("SessionEnd", "SessionEnd"),
        ],
        _ => [
            ("SessionStart", "SessionStart"),
            ("BeforeAgent", "BeforeAgent"),
            ("AfterTool", "AfterTool"),
            ("AfterAgent", "AfterAgent"),
            ("PreCompress", "PreCompress"),
            ("SessionEnd", "SessionEnd"),
        ],
    }
}

#[test]
fn every_event_of_every_host_through_the_installed_command() {
    for host in ["claude-code", "codex", "gemini"] {
        let s = Setup::new();
        let rust = s.env.publish(&json!({
            "goal": "Cut Rust CI build times with sccache keyed by Cargo.lock",
            "tags": ["rust", "ci"],
            "tools_used": ["cargo", "sccache"],
            "breakthroughs": [{"insight": "Cache target/ with sccache", "detail": "key it by Cargo.lock"}]
        }));
        s.env.publish(&json!({
            "goal": "Deploy a Django app on Heroku with Postgres",
            "tags": ["python", "heroku"],
            "tools_used": ["django"]
        }));
        let rust_short = rust["short_id"].as_str().unwrap().to_string();
        assert_ok(
            &s.run(&[
                "hooks",
                "install",
                host,
                "--scope",
                "project",
                "--recall",
                "--capture",
            ]),
            &[host],
        );
        let [start, prompt, tool, stop, compact, end] = events(host);
        let session = format!("{host}-session-1");

        // Session start, in a subfolder of the project: the directive, and the project's
        // experience (tagged rust, as the project's Cargo.toml says).
        let sub = s.project.join("src/bin");
        std::fs::create_dir_all(&sub).unwrap();
        let out = s.run_hook(
            &s.command_for(host, "project", start.0),
            &s.fixture(host, start.1, &session, json!({"cwd": sub})),
        );
        assert_eq!(out.status.code(), Some(0));
        let answer: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{host}: {e}: {}", stdout(&out)));
        assert_eq!(answer["hookSpecificOutput"]["hookEventName"], start.0);
        let context = answer["hookSpecificOutput"]["additionalContext"]
            .as_str()
            .unwrap();
        assert!(context.contains("plurum_search"), "{context}");
        assert!(
            context.contains(&format!("[{rust_short}] Cut Rust CI build times")),
            "{context}"
        );
        assert!(
            context.contains("— Cache target/ with sccache"),
            "{context}"
        );
        assert!(!context.contains("Django"), "{context}");

        // A prompt: confident matches only, never one already shown in this host session.
        let ask =
            json!({"prompt": "How do I cut Rust CI build times with sccache and Cargo.lock?"});
        let out = s.run_hook(
            &s.command_for(host, "project", prompt.0),
            &s.fixture(host, prompt.1, &session, ask.clone()),
        );
        assert_eq!(
            (out.status.code(), stdout(&out)),
            (Some(0), String::new()),
            "{host}: shown at start"
        );
        let other = format!("{host}-session-2");
        let out = s.run_hook(
            &s.command_for(host, "project", prompt.0),
            &s.fixture(host, prompt.1, &other, ask.clone()),
        );
        let answer: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{host}: {e}: {}", stdout(&out)));
        assert_eq!(answer["hookSpecificOutput"]["hookEventName"], prompt.0);
        assert!(
            answer["hookSpecificOutput"]["additionalContext"]
                .as_str()
                .unwrap()
                .contains(&rust_short)
        );
        let out = s.run_hook(
            &s.command_for(host, "project", prompt.0),
            &s.fixture(host, prompt.1, &other, ask),
        );
        assert_eq!(stdout(&out), "", "{host}: never the same experience twice");
        let unrelated = json!({"prompt": "Write a haiku about autumn leaves"});
        let out = s.run_hook(
            &s.command_for(host, "project", prompt.0),
            &s.fixture(host, prompt.1, &other, unrelated),
        );
        assert_eq!(stdout(&out), "", "{host}: nothing confident, nothing said");

        // A failing tool run is captured into a private session; nothing is printed.
        let out = s.run_hook(
            &s.command_for(host, "project", tool.0),
            &s.fixture(host, tool.1, &session, json!({})),
        );
        assert_eq!(
            (out.status.code(), stdout(&out)),
            (Some(0), String::new()),
            "{host}: {}",
            s.hooks_log()
        );
        let sessions = s.env.json(&["session", "list"]);
        let captured = &sessions["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{sessions}"))[0];
        assert_eq!(captured["visibility"], "private");
        let sid = captured["id"].as_str().unwrap().to_string();
        let shown = s.env.json(&["session", "show", &sid]);
        assert!(shown.to_string().contains("npm test"), "{host}: {shown}");

        // Stop: the reminder once, with the exact command; never while a stop hook is active.
        let active = json!({"stop_hook_active": true});
        let out = s.run_hook(
            &s.command_for(host, "project", stop.0),
            &s.fixture(host, stop.1, &session, active),
        );
        assert_eq!(stdout(&out), "", "{host}");
        let out = s.run_hook(
            &s.command_for(host, "project", compact.0),
            &s.fixture(host, compact.1, &session, json!({})),
        );
        let told: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{host}: {e}: {}", stdout(&out)));
        assert!(told["systemMessage"].as_str().unwrap().contains(&sid));
        let calm = json!({"stop_hook_active": false});
        let out = s.run_hook(
            &s.command_for(host, "project", stop.0),
            &s.fixture(host, stop.1, &session, calm.clone()),
        );
        let held: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{host}: {e}: {}", stdout(&out)));
        let expected = if host == "gemini" { "deny" } else { "block" };
        assert_eq!(held["decision"], expected);
        let reason = held["reason"].as_str().unwrap();
        assert!(reason.contains(&format!("session close {sid}")), "{reason}");
        assert!(reason.contains("plurum_session_close"), "{reason}");
        let out = s.run_hook(
            &s.command_for(host, "project", stop.0),
            &s.fixture(host, stop.1, &session, calm),
        );
        assert_eq!(stdout(&out), "", "{host}: reminded once per host session");

        // Session end: the captured session becomes a private draft.
        let out = s.run_hook(
            &s.command_for(host, "project", end.0),
            &s.fixture(host, end.1, &session, json!({})),
        );
        assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
        let drafts = s.env.json(&["list", "--status", "draft"]);
        let draft = &drafts["items"][0];
        assert!(
            draft["goal"]
                .as_str()
                .unwrap()
                .starts_with("Work in web-app"),
            "{drafts}"
        );
        assert_eq!(draft["visibility"], "private", "{drafts}");
        assert_eq!(s.hooks_log(), "", "{host}: nothing went wrong");
    }
}

#[test]
fn a_hook_fails_open_on_a_missing_store_garbage_and_a_locked_store() {
    let s = Setup::new();
    s.env.publish(&crate::common::sample(
        "Anything at all to make the store exist",
    ));
    assert_ok(
        &s.run(&[
            "hooks",
            "install",
            "claude-code",
            "--scope",
            "project",
            "--capture",
        ]),
        &["install"],
    );
    let start = s.command_for("claude-code", "project", "SessionStart");
    let failure = s.command_for("claude-code", "project", "PostToolUseFailure");

    for garbage in [
        "",
        "not json",
        "[1, 2]",
        "{\"session_id\": 12, \"cwd\": false}",
    ] {
        let out = s.run_hook(&start, garbage);
        assert_eq!(out.status.code(), Some(0), "{garbage}");
        if garbage.starts_with('{') {
            // Fields of the wrong type count as absent: the directive still comes.
            assert!(stdout(&out).contains("additionalContext"), "{garbage}");
        } else {
            assert_eq!(stdout(&out), "", "{garbage}");
        }
    }
    assert_eq!(s.hooks_log().lines().count(), 3, "{}", s.hooks_log());

    // A locked store: a write waits at most a moment, then the hook gives up quietly.
    let conn = rusqlite::Connection::open(s.env.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE agents SET last_active_at = last_active_at;")
        .unwrap();
    let out = s.run_hook(
        &failure,
        &s.fixture("claude-code", "PostToolUseFailure", "locked", json!({})),
    );
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
    assert!(
        s.hooks_log().lines().count() > 3,
        "the lock is logged: {}",
        s.hooks_log()
    );
    conn.execute_batch("ROLLBACK").unwrap();

    // No store at all.
    let missing = start.replace(
        s.env.db().to_str().unwrap(),
        s.env.path("nowhere.db").to_str().unwrap(),
    );
    assert_ne!(missing, start);
    let out = s.run_hook(
        &missing,
        &s.fixture("claude-code", "SessionStart", "x", json!({})),
    );
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
    assert!(
        !s.env.path("nowhere.db").exists(),
        "a hook never creates a store"
    );
    assert!(s.hooks_log().contains("no store at"), "{}", s.hooks_log());

    // A file that is not a store.
    let broken = s.env.path("broken.db");
    let grocery = "this is not a SQLite database, it is a grocery list";
    std::fs::write(&broken, grocery).unwrap();
    let at_broken = start.replace(s.env.db().to_str().unwrap(), broken.to_str().unwrap());
    let out = s.run_hook(
        &at_broken,
        &s.fixture("claude-code", "SessionStart", "y", json!({})),
    );
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), grocery);
}

#[test]
fn captured_output_is_redacted_in_place() {
    let s = Setup::new();
    s.env.publish(&crate::common::sample(
        "Anything at all to make the store exist",
    ));
    assert_ok(
        &s.run(&[
            "hooks",
            "install",
            "codex",
            "--scope",
            "project",
            "--capture",
        ]),
        &["install"],
    );
    let key = format!("sk-proj-{}_{}", "Ab3dE".repeat(8), "x9Y8z".repeat(6));
    let response = format!(
        "Process exited with code 1\nError: 401 Unauthorized for key {key}\ncurl -H 'Authorization: Bearer abc.def.ghi'"
    );
    let input = s.fixture(
        "codex",
        "PostToolUse",
        "secret-session",
        json!({"tool_input": {"command": format!("OPENAI_API_KEY={key} python run.py")}, "tool_response": response}),
    );
    let out = s.run_hook(&s.command_for("codex", "project", "PostToolUse"), &input);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(s.hooks_log(), "");
    let sessions = s.env.json(&["session", "list"]);
    let sid = sessions["items"][0]["id"].as_str().unwrap().to_string();
    let shown = s.env.json(&["session", "show", &sid]).to_string();
    assert!(!shown.contains(&key), "the key is never stored: {shown}");
    assert!(shown.contains("[REDACTED openai key]"), "{shown}");
    assert!(!shown.contains("abc.def.ghi"), "{shown}");
}

/// The reminder's commands, run as written (placeholders filled in), close the captured
/// session into an experience holding the failure and the fix.
#[test]
fn the_reminders_commands_close_the_captured_work_into_an_experience() {
    let s = Setup::new();
    s.env.publish(&crate::common::sample(
        "Anything at all to make the store exist",
    ));
    let install = [
        "hooks",
        "install",
        "claude-code",
        "--scope",
        "project",
        "--capture",
    ];
    assert_ok(&s.run(&install), &install);
    let failure = s.fixture("claude-code", "PostToolUseFailure", "fix-it", json!({}));
    let out = s.run_hook(
        &s.command_for("claude-code", "project", "PostToolUseFailure"),
        &failure,
    );
    assert_eq!(out.status.code(), Some(0));
    let stop = s.fixture(
        "claude-code",
        "Stop",
        "fix-it",
        json!({"stop_hook_active": false}),
    );
    let out = s.run_hook(&s.command_for("claude-code", "project", "Stop"), &stop);
    let held: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reason = held["reason"].as_str().unwrap();
    let commands: Vec<String> = reason
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|c| {
            c.replace("<what worked>", "Install express before running the tests")
                .replace("<how>", "npm install express --save")
        })
        .collect();
    assert_eq!(commands.len(), 2, "{reason}");
    for command in &commands {
        let out = s.run_hook(command, "");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let drafts = s.env.json(&["list", "--status", "draft"]);
    let id = drafts["items"][0]["id"].as_str().unwrap().to_string();
    let experience = s.env.json(&["show", &id]);
    assert_eq!(
        experience["breakthroughs"][0]["insight"],
        "Install express before running the tests"
    );
    assert!(
        experience["dead_ends"][0]["what"]
            .as_str()
            .unwrap()
            .contains("npm test"),
        "{experience}"
    );
    assert!(
        experience["dead_ends"][0]["why"]
            .as_str()
            .unwrap()
            .contains("Cannot find module 'express'")
    );
    // Session end finds it closed already: nothing more happens.
    let end = s.fixture("claude-code", "SessionEnd", "fix-it", json!({}));
    let out = s.run_hook(&s.command_for("claude-code", "project", "SessionEnd"), &end);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
    assert_eq!(s.env.json(&["list", "--status", "draft"])["total"], 1);
    assert_eq!(s.hooks_log(), "");
}
