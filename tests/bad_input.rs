//! Hand-written bad input and hostile environments, through the real binary: huge
//! artifacts, deeply nested JSON, unknown fields, empty strings, a read-only store and a
//! full disk. (Invalid UTF-8, files that are not plurum stores and stores from a newer
//! plurum are in tests/experiences.rs and tests/store.rs; generated input in tests/fuzz.rs.)

mod common;

use std::process::Command;

use common::{Env, sample, sha256_file};
use serde_json::{Value, json};

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn total(env: &Env) -> i64 {
    env.json(&["list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap()
}

#[test]
fn a_10_mb_artifact_is_refused_and_a_4_mb_one_round_trips() {
    let env = Env::new();
    let mut huge = sample("An experience carrying a ten megabyte artifact");
    huge["artifacts"][0]["code"] = json!("x".repeat(10 * 1024 * 1024));
    let file = write(&env, "huge.json", &huge.to_string());
    let err = env.json_err(&["publish", "--file", &file], 4);
    assert_eq!(err["details"]["field"], "experience", "{err}");
    assert!(err["detail"].as_str().unwrap().contains("5 MiB"), "{err}");
    assert_eq!(total(&env), 0);

    // Just under the limit: stored, and the code comes back byte for byte.
    let code: String = (0..4 * 1024 * 1024 / 64)
        .map(|i| format!("echo line {i:08} of a large generated script ........\n"))
        .collect();
    let mut big = sample("An experience carrying a four megabyte artifact");
    big["artifacts"][0]["code"] = json!(code);
    let file = write(&env, "big.json", &big.to_string());
    let id = env.json(&["publish", "--file", &file])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = env.run(&["artifact", &id, "0"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        code.trim_end()
    );
    let shown = env.json(&["show", &id]);
    assert_eq!(shown["artifacts"][0]["bytes"], code.len());
    assert!(
        shown.get("code").is_none() && shown["artifacts"][0].get("code").is_none(),
        "detail carries metadata only"
    );
}

#[test]
fn deeply_nested_json_is_a_clean_error_not_a_stack_overflow() {
    let env = Env::new();
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let file = write(&env, "deep.json", &deep);
    let err = env.json_err(&["publish", "--file", &file], 4);
    assert!(
        err["detail"].as_str().unwrap().contains("recursion"),
        "{err}"
    );
    // Nested inside a field that accepts objects.
    let nested = format!(
        r#"{{"goal": "Nested context that goes on and on", "context_structured": {{"environment": {}}}}}"#,
        "{\"a\":".repeat(5_000) + "1" + &"}".repeat(5_000)
    );
    let file = write(&env, "nested.json", &nested);
    let out = env.run(&["--json", "publish", "--file", &file]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Through import and stdin too.
    let out = env.run_stdin(&["--json", "publish", "--file", "-"], &deep);
    assert_eq!(out.status.code(), Some(4));
    let file = write(&env, "deep.jsonl", &deep);
    let out = env.run(&["--json", "import", &file]);
    assert!(matches!(out.status.code(), Some(2 | 4)), "{out:?}");
    assert_eq!(total(&env), 0);
}

#[test]
fn unknown_fields_are_ignored_and_named_empty_strings_are_refused() {
    let env = Env::new();
    let mut v = sample("Unknown fields are accepted and reported");
    v["favourite_colour"] = json!("teal");
    v["dead_ends"][0]["mood"] = json!("grumpy");
    let file = write(&env, "unknown.json", &v.to_string());
    let out = env.run(&["--json", "publish", "--file", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("favourite_colour"),
        "unknown fields are named: {stderr}"
    );
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(stored.get("favourite_colour").is_none());

    for (input, field) in [
        (json!({"goal": ""}), "goal"),
        (json!({"goal": "          "}), "goal"),
        (
            json!({"goal": "A perfectly fine goal", "dead_ends": [{"what": "", "why": "x"}]}),
            "dead_ends[0].what",
        ),
        (
            json!({"goal": "A perfectly fine goal", "gotchas": [""]}),
            "gotchas[0]",
        ),
    ] {
        let file = write(&env, "empty.json", &input.to_string());
        let err = env.json_err(&["publish", "--file", &file], 4);
        assert_eq!(err["details"]["field"], field, "{input}: {err}");
    }
    let err = env.json_err(&["session", "open", ""], 4);
    assert_eq!(err["details"]["field"], "topic");
    let err = env.json_err(&["search", ""], 4);
    assert_eq!(err["details"]["field"], "query");
    assert_eq!(total(&env), 1);
}

/// Makes the store file read-only for everyone, root included (root ignores permission
/// bits, so `chattr +i` where it works). Returns false when it cannot be done here.
fn make_read_only(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new().write(true).open(path).is_err() {
        return true;
    }
    Command::new("chattr")
        .arg("+i")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
        && std::fs::OpenOptions::new().write(true).open(path).is_err()
}

fn undo_read_only(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(path).status();
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
}

#[cfg(unix)]
#[test]
fn a_read_only_store_reads_and_refuses_writes_clearly() {
    let env = Env::new();
    let id = env.publish(&sample("Read-only stores still answer searches"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A clean, checkpointed file, as a read-only copy would be.
    env.json(&["doctor", "--fix"]);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db().display()));
    }
    let db = env.db();
    if !make_read_only(&db) {
        eprintln!("skipped: cannot make a file read-only here");
        return;
    }
    let before = sha256_file(&db);
    let shown = env.run(&["--json", "show", &id]);
    let listed = env.run(&["--json", "list"]);
    let write = env.run(&["--json", "vote", &id, "up"]);
    let after = sha256_file(&db);
    undo_read_only(&db);

    assert!(
        shown.status.success(),
        "reads work: {}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(listed.status.success());
    assert_eq!(
        write.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    let stderr = String::from_utf8_lossy(&write.stderr);
    let err: Value = serde_json::from_str(stderr.lines().last().unwrap_or_default()).unwrap();
    assert!(
        err["detail"].as_str().unwrap().contains("read-only"),
        "{err}"
    );
    assert_eq!(before, after, "the file changed");
}

/// Runs `plurum` as the unprivileged user `nobody` (uid and gid 65534, no groups), with
/// the binary at `bin` and the store at `db`, isolated from any model or config.
#[cfg(target_os = "linux")]
fn as_nobody(
    bin: &std::path::Path,
    db: &std::path::Path,
    home: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin)
        .args(args)
        .env("PLURUM_DB", db)
        .env("PLURUM_HOME", home)
        .env("HF_HOME", home.join("hf"))
        .env("PLURUM_OFFLINE", "1")
        .env_remove("PLURUM_MODEL_DIR")
        .env_remove("PLURUM_AGENT")
        .env_remove("PLURUM_JSON")
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run setpriv (util-linux)")
}

/// A `plurum backup` copy with mode 444, in a folder its reader cannot write, read by another
/// (unprivileged) user: reads work, writes exit 5 and change nothing. Root ignores permission
/// bits, so the reader runs as `nobody`; the test fails, never skips, if that cannot be set up.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_copy_read_by_another_user_reads_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let id = env.publish(&sample("Read-only backup copies still answer searches"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Everything nobody needs lives under a folder nobody can reach and read.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let copy = shared.join("copy.db");
    env.json(&["backup", copy.to_str().unwrap()]);
    let bin = env.path("plurum-bin");
    std::fs::copy(env!("CARGO_BIN_EXE_plurum"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    let home = shared.join("home-that-does-not-exist");
    let before = sha256_file(&copy);

    for (dir_mode, what) in [(0o555, "read-only folder"), (0o777, "writable folder")] {
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(dir_mode)).unwrap();
        // The setup must hold: nobody can read the copy and cannot write it.
        let probe = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .args([
                "sh",
                "-c",
                "test -r \"$1\" && test -x \"$2\" && ! test -w \"$1\"",
                "sh",
            ])
            .arg(&copy)
            .arg(&bin)
            .status()
            .expect("setpriv (util-linux) is needed to run the reader as another user");
        assert!(
            probe.success(),
            "{what}: cannot set up an unprivileged reader of a read-only copy"
        );

        let run = |args: &[&str]| as_nobody(&bin, &copy, &home, args);
        let ok = |args: &[&str]| {
            let out = run(args);
            common::assert_ok(&out, &[&[what], args].concat());
            common::parse(&out.stdout)
        };
        let listed = ok(&["--json", "list"]);
        assert_eq!(listed["total"], 1, "{what}: {listed}");
        let found = ok(&["--json", "search", "read-only backup copies"]);
        assert_eq!(found["results"][0]["id"], id.as_str(), "{what}: {found}");
        assert_eq!(ok(&["--json", "show", &id])["id"], id.as_str());
        ok(&["--json", "--agent", "someone-new", "list"]);
        ok(&["--json", "acquire", &id, "--mode", "checklist"]);

        for write in [
            vec!["--json", "vote", &id, "up"],
            vec!["--json", "outcome", &id, "--success"],
            vec![
                "--json",
                "publish",
                "--goal",
                "A write into a read-only copy of the store",
            ],
        ] {
            let out = run(&write);
            assert_eq!(
                out.status.code(),
                Some(5),
                "{what}: {write:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            let err: Value = serde_json::from_str(stderr.lines().last().unwrap_or_default())
                .unwrap_or_else(|_| panic!("{stderr}"));
            assert!(
                err["detail"].as_str().unwrap().contains("read-only"),
                "{err}"
            );
        }
        assert_eq!(sha256_file(&copy), before, "{what}: the copy changed");
    }
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    let env = Env::new();
    env.json(&[
        "publish",
        "--goal",
        "An experience written before the disk filled up",
    ]);
    env.json(&["doctor", "--fix"]);
    let items: Vec<String> = (0..400)
        .map(|i| {
            let mut v = sample(&format!(
                "Experience {i} of an import that cannot fit on the disk"
            ));
            v["context"] = json!("padding ".repeat(500));
            serde_json::to_string(&v).unwrap()
        })
        .collect();
    let file = write(&env, "many.jsonl", &items.join("\n"));
    let size = std::fs::metadata(env.db()).unwrap().len();
    // The disk is "full" 256 KiB past the store's current size: `ulimit -f` makes any write
    // beyond it fail with EFBIG (SIGXFSZ ignored), as a full disk fails a write.
    let limit_kib = size / 1024 + 256;
    let script =
        format!("trap '' XFSZ; ulimit -f {limit_kib}; exec \"$0\" --json publish --file \"$1\"");
    let out = Command::new("bash")
        .args(["-c", &script, env!("CARGO_BIN_EXE_plurum"), &file])
        .env("PLURUM_DB", env.db())
        .env("PLURUM_HOME", env.path("home"))
        .env("PLURUM_OFFLINE", "1")
        .env("HF_HOME", env.path("hf"))
        .env_remove("PLURUM_MODEL_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the import fitted after all");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The error envelope is the last line (a notice about the model may come first).
    let last = stderr.lines().last().unwrap_or_default();
    let err: Value = serde_json::from_str(last).unwrap_or_else(|_| panic!("{stderr}"));
    assert!(
        err["detail"]
            .as_str()
            .unwrap()
            .contains("nothing was written"),
        "{err}"
    );

    // Space again: the store is whole, holds whole batches only, and takes writes.
    let doctor = env.json(&["doctor"]);
    assert_eq!(doctor["integrity"][0], "ok", "{doctor}");
    let n = total(&env);
    assert_eq!((n - 1) % 256, 0, "a batch was half written: {n}");
    env.json(&[
        "publish",
        "--goal",
        "An experience written after space came back",
    ]);
    assert_eq!(total(&env), n + 1);
}
