//! Hand-written bad input and hostile environments, through the real binary: huge
//! artifacts, deeply nested JSON, unknown fields, empty strings, a read-only store and a
//! full disk. (Invalid UTF-8, files that are not plurum stores and stores from a newer
//! plurum are in tests/suite/experiences.rs and tests/suite/store.rs; generated input in tests/suite/fuzz.rs.)

use crate::common;

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

/// Runs `plurum` as the unprivileged user `nobody` (uid and gid 65534, no groups), with
/// the binary at `bin` and the store at `db`, in a clean environment with no model or config.
#[cfg(target_os = "linux")]
fn as_nobody(
    bin: &std::path::Path,
    db: &std::path::Path,
    home: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    common::clean_command("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(bin)
        .args(args)
        .env("PLURUM_DB", db)
        .env("PLURUM_HOME", home)
        .env("HOME", home)
        .env("HF_HOME", home.join("hf"))
        .env("PLURUM_OFFLINE", "1")
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run setpriv (util-linux)")
}

/// A read-only store, read by another (unprivileged) user: reads work, writes exit 5 with
/// "read-only" and change nothing. Two files, each with mode 444, first in a folder the
/// reader cannot write, then in one it can: a `plurum backup` copy (a self-contained file)
/// and the store itself in WAL mode, checkpointed, its `-wal` and `-shm` gone. Root ignores
/// permission bits, so the reader runs as `nobody`; the test fails, never skips, if that
/// cannot be set up.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_store_read_by_another_user_reads_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let id = env.publish(&sample("Read-only stores still answer searches"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Everything nobody needs lives under a folder nobody can reach and read.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let shared = env.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let copy = shared.join("copy.db");
    env.json(&["backup", copy.to_str().unwrap()]);
    // The store itself: a clean, checkpointed file in WAL mode, as a read-only store would be.
    env.json(&["doctor", "--fix"]);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db().display()));
    }
    let store = shared.join("store.db");
    std::fs::rename(env.db(), &store).unwrap();
    let journal = |db: &std::path::Path| -> String {
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(journal(&copy), "delete", "a backup is self-contained");
    assert_eq!(journal(&store), "wal", "the store itself is in WAL mode");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
    }
    let bin = env.path("plurum-bin");
    std::fs::copy(common::BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = shared.join("home-that-does-not-exist");

    for (db, file) in [(&copy, "backup copy"), (&store, "store in WAL mode")] {
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o444)).unwrap();
        let before = sha256_file(db);
        for (dir_mode, folder) in [(0o555, "read-only folder"), (0o777, "writable folder")] {
            let what = format!("{file} in a {folder}");
            std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(dir_mode)).unwrap();
            // The setup must hold: nobody can read the file and cannot write it.
            let probe = common::clean_command("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .args([
                    "sh",
                    "-c",
                    "test -r \"$1\" && test -x \"$2\" && ! test -w \"$1\"",
                    "sh",
                ])
                .arg(db)
                .arg(&bin)
                .status()
                .expect("setpriv (util-linux) is needed to run the reader as another user");
            assert!(
                probe.success(),
                "{what}: cannot set up an unprivileged reader of a read-only store"
            );

            let run = |args: &[&str]| as_nobody(&bin, db, &home, args);
            let ok = |args: &[&str]| {
                let out = run(args);
                common::assert_ok(&out, &[&[what.as_str()], args].concat());
                common::parse(&out.stdout)
            };
            let listed = ok(&["--json", "list"]);
            assert_eq!(listed["total"], 1, "{what}: {listed}");
            let found = ok(&["--json", "search", "read-only stores answer searches"]);
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
                    "{what}: {err}"
                );
            }
            assert_eq!(sha256_file(db), before, "{what}: the file changed");
        }
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// A store with one experience, checkpointed (no WAL beside it); the experience's id.
fn one_experience_store(env: &Env) -> String {
    let id = env.json(&[
        "publish",
        "--goal",
        "An experience written before the disk filled up",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.json(&["doctor", "--fix"]);
    id
}

/// `n` experiences of a few KiB each, as JSON Lines.
fn padded_items(env: &Env, name: &str, n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let mut v = sample(&format!(
                "Experience {i} of a bulk publish that cannot fit on the disk"
            ));
            v["context"] = json!("padding ".repeat(500));
            serde_json::to_string(&v).unwrap()
        })
        .collect();
    write(env, name, &items.join("\n"))
}

/// Runs `plurum --json ARGS` (without the model) on a disk that is "full" past `limit_kib`:
/// `ulimit -f` makes any write beyond the limit fail with EFBIG (SIGXFSZ ignored), as a full
/// disk fails a write. Asserts a clean failure and returns its error envelope.
#[cfg(target_os = "linux")]
fn fails_on_a_full_disk(env: &Env, limit_kib: u64, args: &[&str]) -> Value {
    let script = format!("trap '' XFSZ; ulimit -f {limit_kib}; exec \"$@\"");
    let mut bash = common::clean_command("bash");
    env.apply(&mut bash);
    let out = bash
        .args(["-c", &script, "bash", common::BIN, "--json"])
        .args(args)
        .env_remove("PLURUM_MODEL_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} fitted after all");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The error envelope is the last line (a notice about the model may come first).
    let last = stderr.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|_| panic!("{stderr}"))
}

/// A bulk publish is one transaction: on a full disk it fails with "nothing was written",
/// and nothing of it was, while what was there before stays whole and writes work again.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_the_write_cleanly_and_loses_nothing() {
    // How much the store grows for one batch (256, the size the model embeds at once).
    let scratch = Env::new();
    one_experience_store(&scratch);
    let empty = std::fs::metadata(scratch.db()).unwrap().len();
    let batch = padded_items(&scratch, "batch.jsonl", 256);
    let out = scratch
        .cmd_without_model()
        .args(["--json", "publish", "--file", &batch])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish 256"]);
    let batch_bytes = std::fs::metadata(scratch.db()).unwrap().len() - empty;

    let env = Env::new();
    let before = one_experience_store(&env);
    let size = std::fs::metadata(env.db()).unwrap().len();
    // Three batches, on a disk that is "full" one and a half batches past the store's size:
    // the first batch would fit, the whole publish cannot. `ulimit -f` makes any write
    // beyond the limit fail with EFBIG (SIGXFSZ ignored), as a full disk fails a write.
    let file = padded_items(&env, "many.jsonl", 3 * 256);
    let limit_kib = (size + batch_bytes * 3 / 2) / 1024;
    let err = fails_on_a_full_disk(&env, limit_kib, &["publish", "--file", &file]);
    let detail = err["detail"].as_str().unwrap();
    assert!(
        detail.contains("nothing was written") && detail.contains("file size limit"),
        "{err}"
    );

    // Space again: the store is whole and holds exactly what it held before, as the message
    // says, and takes writes.
    let doctor = env.json(&["doctor"]);
    assert_eq!(doctor["integrity"][0], "ok", "{doctor}");
    assert_eq!(doctor["indexes"]["experiences"], 1, "{doctor}");
    let listed = env.json(&["list"]);
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["items"][0]["id"], before.as_str(), "{listed}");
    env.json(&[
        "publish",
        "--goal",
        "An experience written after space came back",
    ]);
    assert_eq!(total(&env), 2);
}

/// An import commits batch by batch (so a second run resumes it): on a full disk its error
/// says how many experiences were imported and stay, and exactly those are in the store.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_during_an_import_says_what_stays() {
    let source = Env::new();
    let items = padded_items(&source, "many.jsonl", 3 * 256);
    let out = source
        .cmd_without_model()
        .args(["--json", "publish", "--file", &items])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish 768"]);
    let export = source.path("all.jsonl");
    let out = source
        .cmd_without_model()
        .args(["export", export.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["export"]);
    let import = ["import", export.to_str().unwrap()];

    // How much a whole import grows a store; the "disk" below fits about half of it.
    let scratch = Env::new();
    one_experience_store(&scratch);
    let empty = std::fs::metadata(scratch.db()).unwrap().len();
    let out = scratch.cmd_without_model().args(import).output().unwrap();
    common::assert_ok(&out, &["import"]);
    let growth = std::fs::metadata(scratch.db()).unwrap().len() - empty;

    let env = Env::new();
    one_experience_store(&env);
    let size = std::fs::metadata(env.db()).unwrap().len();
    let err = fails_on_a_full_disk(&env, (size + growth / 2) / 1024, &import);
    let detail = err["detail"].as_str().unwrap();
    let stayed = total(&env) - 1;
    assert!(
        stayed > 0 && stayed < 768 && stayed % 256 == 0,
        "whole batches stay: {stayed}"
    );
    assert!(
        detail.contains(&format!("{stayed} of 768 experiences")) && detail.contains("again"),
        "the message says what stays: {detail}"
    );

    // And, as it says, the same import again adds the rest.
    let out = env.cmd_without_model().args(import).output().unwrap();
    common::assert_ok(&out, &["import again"]);
    assert_eq!(total(&env), 769);
}
