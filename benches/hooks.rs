//! What a coding agent's hooks cost its host: whole-process time of `plurum hook` for session
//! start and for a prompt (`--recall`), at 10,000 experiences, model load included, run
//! exactly as the host runs them (the command `plurum hooks install` wrote, through `sh -c`,
//! the host's JSON on stdin). Run with `scripts/bench.sh hooks` (release build, real model).
//!
//! Baselines measured in the same run: a process that does nothing (`plurum --version`, the
//! floor of any hook) and a whole-process `plurum search` of the same prompt.
//!
//! The store is the search bench's 10,000-experience one (target/bench-stores/bench-10000.db,
//! which `scripts/bench.sh hooks` builds first if it is missing); it is copied so the hooks'
//! writes (the agent, nothing else) leave it as it was.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::median;
use serde_json::json;

const RUNS: usize = 41;

const PROMPTS: &[&str] = &[
    "How do I deploy a FastAPI service behind nginx without downtime?",
    "The Kafka consumer keeps rebalancing under load, how do I fix it?",
    "Speed up the Rust CLI build in GitHub Actions",
    "Migrate a PostgreSQL database to a new major version",
    "Our React app bundle is too big, what can we cut?",
    "Rate limit a gRPC API per client",
    "Back up an S3 bucket to another region",
    "Autoscale a Kubernetes deployment on queue length",
];

fn p95(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[((xs.len() as f64) * 0.95).ceil() as usize - 1]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target/release/plurum");
    assert!(
        binary.exists(),
        "build the release binary first (scripts/bench.sh does)"
    );
    let source = root.join("target/bench-stores/bench-10000.db");
    assert!(
        root.join("target/bench-stores/bench-10000.done").exists(),
        "the 10,000-experience store is missing: scripts/bench.sh hooks builds it"
    );
    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("store.db");
    std::fs::copy(&source, &db).unwrap();
    let home = scratch.path().join("home");
    let data = scratch.path().join("data");
    let project = scratch.path().join("web-service");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"web-service\"\n",
    )
    .unwrap();
    std::fs::write(project.join("Dockerfile"), "FROM scratch\n").unwrap();

    let env = |cmd: &mut Command| {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("PLURUM_HOME", &data)
            .current_dir(&project);
    };
    let mut install = Command::new(&binary);
    env(&mut install);
    let model =
        std::env::var("PLURUM_MODEL_DIR").expect("PLURUM_MODEL_DIR (scripts/bench.sh sets it)");
    let out = install
        .args(["--db", db.to_str().unwrap(), "--model-dir", &model])
        .args([
            "hooks",
            "install",
            "claude-code",
            "--scope",
            "project",
            "--recall",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.join(".claude/settings.json")).unwrap())
            .unwrap();
    let command = |event: &str| {
        settings["hooks"][event][0]["hooks"][0]["command"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (start_cmd, prompt_cmd) = (command("SessionStart"), command("UserPromptSubmit"));

    let run = |shell_command: &str, stdin: &str| -> (f64, String) {
        let mut cmd = Command::new("sh");
        env(&mut cmd);
        let t = Instant::now();
        let mut child = cmd
            .arg("-c")
            .arg(shell_command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert!(out.status.success());
        (ms, String::from_utf8_lossy(&out.stdout).to_string())
    };
    let input = |event: &str, session: &str, prompt: Option<&str>| {
        let mut v = json!({
            "session_id": session, "transcript_path": "/tmp/t.jsonl",
            "cwd": project, "hook_event_name": event,
        });
        match prompt {
            Some(p) => v["prompt"] = json!(p),
            None => v["source"] = json!("startup"),
        }
        v.to_string()
    };
    let quoted = |p: &Path| format!("'{}'", p.display());

    // Warm the page cache (model, store) once, as any earlier hook or command would.
    run(&start_cmd, &input("SessionStart", "warm", None));
    let (mut floor, mut start, mut prompt, mut search) = (vec![], vec![], vec![], vec![]);
    let mut answered = 0;
    for i in 0..RUNS {
        let session = format!("bench-{i}");
        floor.push(run(&format!("{} --version", quoted(&binary)), "").0);
        let (ms, out) = run(&start_cmd, &input("SessionStart", &session, None));
        assert!(
            out.contains("additionalContext"),
            "session start said nothing: {out}"
        );
        start.push(ms);
        let text = PROMPTS[i % PROMPTS.len()];
        let (ms, out) = run(
            &prompt_cmd,
            &input("UserPromptSubmit", &session, Some(text)),
        );
        answered += usize::from(!out.is_empty());
        prompt.push(ms);
        let search_cmd = format!(
            "{} --db {} --model-dir '{model}' --json search '{}' > /dev/null",
            quoted(&binary),
            quoted(&db),
            text.replace('\'', "")
        );
        search.push(run(&search_cmd, "").0);
    }
    println!("## hooks at 10,000 experiences (whole process via sh -c, {RUNS} runs each)");
    println!("| what | median ms | p95 ms | median ÷ `plurum search` |");
    println!("|---|---|---|---|");
    let base = median(search.clone());
    for (name, xs) in [
        ("`plurum --version` (the floor)", &floor),
        ("session start hook", &start),
        ("prompt hook (--recall)", &prompt),
        ("`plurum --json search` of the prompt", &search),
    ] {
        println!(
            "| {name} | {:.1} | {:.1} | {:.2} |",
            median(xs.clone()),
            p95(xs.clone()),
            median(xs.clone()) / base
        );
    }
    println!("prompts answered with experiences: {answered} of {RUNS}");
}
