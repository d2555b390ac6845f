//! `plurum doctor` finds damage and `--fix` repairs it; `plurum backup` makes a consistent
//! copy while other processes keep writing. Real binary, real store files, real model.

use crate::common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Env, sample};
use serde_json::Value;

fn publish_n(env: &Env, prefix: &str, n: usize) {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            sample(&format!(
                "{prefix} experience number {i} about caching builds"
            ))
        })
        .collect();
    let file = env.path(&format!("{prefix}.json"));
    std::fs::write(&file, serde_json::to_string(&items).unwrap()).unwrap();
    env.json_with_model(&["publish", "--file", file.to_str().unwrap()]);
}

fn keyword_hits(env: &Env, query: &str) -> usize {
    env.json_with_model(&["search", "--mode", "keyword", query])["results"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn doctor_finds_damaged_indexes_and_fix_repairs_them() {
    let env = Env::new();
    publish_n(&env, "Doctor", 6);
    publish_n(&env, "Zanzibar", 1);
    let healthy = env.json_with_model(&["doctor"]);
    assert_eq!(healthy["healthy"], true, "{healthy}");
    assert_eq!(healthy["indexes"]["experiences"], 7);
    assert_eq!(
        healthy["store_schema_version"],
        plurum::store::SCHEMA_VERSION
    );
    assert_eq!(healthy["indexes"]["stale_vector_codes"], 0);
    assert_eq!(keyword_hits(&env, "zanzibar"), 1);

    // Damage the indexes behind plurum's back: drop one experience's keyword row and vector,
    // and leave an orphan keyword row and an orphan vector.
    {
        let store = plurum::store::sqlite::SqliteStore::open(&env.db()).unwrap();
        store
            .write(|tx| {
                let seq: i64 = tx.query_row(
                    "SELECT seq FROM experiences WHERE goal LIKE 'Zanzibar%'",
                    [],
                    |r| r.get(0),
                )?;
                tx.execute("DELETE FROM experience_fts WHERE rowid = ?1", [seq])?;
                tx.execute("DELETE FROM experience_vectors WHERE rowid = ?1", [seq])?;
                tx.execute(
                    "INSERT INTO experience_fts (rowid, goal) VALUES (424242, 'ghost')",
                    [],
                )?;
                let blob: Vec<u8> = std::iter::repeat_n(0.05f32.to_le_bytes(), 384)
                    .flatten()
                    .collect();
                tx.execute(
                    "INSERT INTO experience_vectors (rowid, embedding) VALUES (434343, ?1)",
                    [blob],
                )?;
                Ok(())
            })
            .unwrap();
    }
    assert_eq!(keyword_hits(&env, "zanzibar"), 0, "the damage took");

    let sick = env.json_with_model(&["doctor"]);
    assert_eq!(sick["healthy"], false, "{sick}");
    let i = &sick["indexes"];
    assert_eq!(
        (
            i["missing_keyword_rows"].as_i64(),
            i["orphan_keyword_rows"].as_i64(),
            i["missing_vectors"].as_i64(),
            i["orphan_vectors"].as_i64()
        ),
        (Some(1), Some(1), Some(1), Some(1)),
        "{sick}"
    );
    // The deleted vector left its code behind; the orphan vector came without one. Both
    // writes went around plurum, so its kept count of vectors missed them too (one less,
    // one more: the count still agrees) while the experiences' count is kept by triggers.
    assert_eq!(i["stale_vector_codes"], 2, "{sick}");
    assert_eq!(i["stale_counts"], 0, "{sick}");
    assert_eq!(sick["integrity"][0], "ok");

    let fixed = env.json_with_model(&["doctor", "--fix"]);
    assert_eq!(fixed["healthy"], true, "{fixed}");
    assert!(!fixed["fixed"].as_array().unwrap().is_empty());
    let i = &fixed["indexes"];
    assert_eq!(
        (i["keyword_rows"].as_i64(), i["vectors"].as_i64()),
        (Some(7), Some(7))
    );
    assert_eq!(i["stale_vector_codes"], 0, "{fixed}");
    assert_eq!(i["stale_counts"], 0, "{fixed}");
    assert_eq!(keyword_hits(&env, "zanzibar"), 1, "the keyword row is back");
    let semantic = env.json_with_model(&["search", "--mode", "vector", "Zanzibar caching builds"]);
    assert!(
        semantic["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["goal"].as_str().unwrap().starts_with("Zanzibar")),
        "the vector is back: {semantic}"
    );
}

/// The vector arm's results as (id, vector score), best first.
fn vector_results(env: &Env, args: &[&str]) -> Vec<(String, f64)> {
    let mut full = vec!["search", "--mode", "vector", "--limit", "20"];
    full.extend_from_slice(args);
    env.json_with_model(&full)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["similarity"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// Every vector's quantised code lost (as a bug or a torn copy might leave them) and a kept
/// count off: the default search loses what `--exact` finds, `doctor` counts every code
/// and the count as stale, and `--fix` rebuilds them from the rows, after which the two
/// searches agree again.
#[test]
fn stale_vector_codes_are_found_by_doctor_and_rebuilt_by_fix() {
    let env = Env::new();
    publish_n(&env, "Codes", 12);
    let query = "Codes experience number 7 about caching builds";
    let exact = vector_results(&env, &["--exact", query]);
    assert_eq!(exact.len(), 12);
    assert_eq!(vector_results(&env, &[query]), exact);
    {
        let store = plurum::store::sqlite::SqliteStore::open(&env.db()).unwrap();
        store
            .write(|tx| {
                tx.execute("DELETE FROM experience_vector_codes", [])?;
                // And a kept count that no longer matches the rows.
                tx.execute(
                    "UPDATE store_counts SET n = n + 3 WHERE name = 'experiences'",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
    }
    assert!(vector_results(&env, &[query]).is_empty(), "the damage took");
    assert_eq!(vector_results(&env, &["--exact", query]), exact);
    let sick = env.json_with_model(&["doctor"]);
    assert_eq!(sick["healthy"], false, "{sick}");
    assert_eq!(sick["indexes"]["stale_vector_codes"], 12, "{sick}");
    assert_eq!(sick["indexes"]["stale_counts"], 1, "{sick}");
    let problems = sick["problems"].to_string();
    assert!(problems.contains("quantised vector codes"), "{sick}");
    assert!(problems.contains("kept counts"), "{sick}");
    let fixed = env.json_with_model(&["doctor", "--fix"]);
    assert_eq!(fixed["healthy"], true, "{fixed}");
    assert_eq!(fixed["indexes"]["stale_vector_codes"], 0, "{fixed}");
    assert_eq!(fixed["indexes"]["stale_counts"], 0, "{fixed}");
    assert_eq!(vector_results(&env, &[query]), exact);
}

/// Kept document frequencies gone wrong (one term's count off, another's row lost): the
/// default keyword ranking would drift from `--exact`'s, so `doctor` counts both terms as
/// stale and `--fix` recounts them from the keyword index, after which the two agree.
#[test]
fn stale_keyword_terms_are_found_by_doctor_and_recounted_by_fix() {
    let env = Env::new();
    publish_n(&env, "Terms", 12);
    let query = [
        "--mode",
        "keyword",
        "Terms experience number 7 about caching builds",
    ];
    let exact =
        env.json_with_model(&[&["search", "--exact"][..], &query].concat())["results"].clone();
    assert_eq!(exact.as_array().unwrap().len(), 10);
    {
        let store = plurum::store::sqlite::SqliteStore::open(&env.db()).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE keyword_terms SET docs = docs + 5 WHERE term = 'cach'",
                    [],
                )?;
                tx.execute("DELETE FROM keyword_terms WHERE term = 'build'", [])?;
                Ok(())
            })
            .unwrap();
    }
    let sick = env.json_with_model(&["doctor"]);
    assert_eq!(sick["healthy"], false, "{sick}");
    assert_eq!(sick["indexes"]["stale_keyword_terms"], 2, "{sick}");
    assert!(
        sick["problems"].to_string().contains("document frequency"),
        "{sick}"
    );
    let fixed = env.json_with_model(&["doctor", "--fix"]);
    assert_eq!(fixed["healthy"], true, "{fixed}");
    assert_eq!(fixed["indexes"]["stale_keyword_terms"], 0, "{fixed}");
    let now = env.json_with_model(&[&["search"][..], &query].concat())["results"].clone();
    assert_eq!(now, exact);
}

/// A store written before the quantised codes existed (schema version 1: no code table, no
/// kept term frequencies) is migrated when it is next opened: the codes are derived from
/// its vectors and the frequencies from its keyword index, with no model and no
/// re-embedding, and every search answers as before.
#[test]
fn a_store_from_before_the_codes_is_migrated_and_keeps_every_result() {
    let env = Env::new();
    publish_n(&env, "Migrated", 10);
    let queries = ["caching builds", "Migrated experience number 3"];
    let before: Vec<Value> = queries
        .iter()
        .map(|q| env.json_with_model(&["search", "--limit", "20", q])["results"].clone())
        .collect();
    // Back to schema version 1, as the plurum before it wrote it: vec0's default chunks of
    // 1,024 vectors, and neither codes nor kept counts.
    {
        let store = plurum::store::sqlite::SqliteStore::open(&env.db()).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "CREATE TABLE v1_vectors AS SELECT rowid AS seq, embedding FROM experience_vectors;
                     DROP TABLE experience_vectors;
                     CREATE VIRTUAL TABLE experience_vectors USING vec0 (embedding float[384]);
                     INSERT INTO experience_vectors (rowid, embedding)
                         SELECT seq, embedding FROM v1_vectors;
                     DROP TABLE v1_vectors;
                     DROP TABLE experience_vector_codes;
                     DROP TRIGGER experiences_counted_in;
                     DROP TRIGGER experiences_counted_out;
                     DROP TABLE store_counts;
                     DROP TABLE keyword_terms;
                     DROP TABLE experience_fts_terms;
                     DROP TABLE experience_lesson_vectors;
                     ALTER TABLE experiences DROP COLUMN merged_into;
                     PRAGMA user_version = 1;",
                )?;
                Ok(())
            })
            .unwrap();
    }
    // Opened without a model: the migration needs none.
    let listed = common::parse(
        &env.cmd_without_model()
            .args(["--json", "list", "--limit", "50"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(listed["total"], 10, "{listed}");
    let doctor = env.json_with_model(&["doctor"]);
    assert_eq!(doctor["healthy"], true, "{doctor}");
    assert_eq!(
        doctor["store_schema_version"],
        plurum::store::SCHEMA_VERSION
    );
    assert_eq!(doctor["indexes"]["stale_vector_codes"], 0);
    assert_eq!(doctor["indexes"]["stale_keyword_terms"], 0);
    assert_eq!(doctor["indexes"]["stale_counts"], 0);
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        let vec0: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'experience_vectors'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(vec0.contains("chunk_size = 16"), "{vec0}");
    }
    for (q, was) in queries.iter().zip(&before) {
        let now = env.json_with_model(&["search", "--limit", "20", q])["results"].clone();
        assert_eq!(&now, was, "{q}");
    }
}

/// Counters a writer thread keeps: writes it started, and writes acknowledged (the command
/// exited 0, so its transaction is committed).
#[derive(Default)]
struct Progress {
    started: AtomicUsize,
    acked: AtomicUsize,
}

/// What one backup holds for a note writer: its notes in order, as `session log` wrote them.
fn notes_in(copy: &std::path::Path, session: &str) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare("SELECT content FROM session_entries WHERE session_id = ?1 ORDER BY ordinal")
        .unwrap();
    stmt.query_map([session], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|c| {
            let c: Value = serde_json::from_str(&c.unwrap()).unwrap();
            c["text"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Backups taken while three processes keep writing (two log notes to their sessions one
/// transaction at a time, one publishes batches of five experiences): each backup is a
/// healthy, self-contained store that `plurum` opens, and a consistent snapshot: every
/// writer's notes a gap-free prefix, whole batches only, everything acknowledged before the
/// backup began and nothing not yet started when it ended. The test goes on until three
/// backups overlapped writes (writes were acknowledged while the backup ran), and fails if
/// that does not happen within a generous deadline.
#[test]
fn backup_is_consistent_while_other_processes_write() {
    const SEED: i64 = 20;
    const BATCH: usize = 5;
    const OVERLAPS: usize = 3;
    let env = Env::new();
    publish_n(&env, "Seed", SEED as usize);
    let sessions: Vec<String> = (0..2)
        .map(|w| {
            env.json(&[
                "session",
                "open",
                &format!("Writer {w} logs notes during backups"),
            ])["session"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let notes: Vec<Progress> = (0..2).map(|_| Progress::default()).collect();
    let batches = Progress::default();
    let stop = AtomicBool::new(false);
    let failures = std::sync::Mutex::new(Vec::new());

    let (overlapped, taken) = std::thread::scope(|scope| {
        for (w, sid) in sessions.iter().enumerate() {
            let (env, progress, stop, failures) = (&env, &notes[w], &stop, &failures);
            scope.spawn(move || {
                let mut k = 0;
                while !stop.load(Ordering::SeqCst) {
                    progress.started.fetch_add(1, Ordering::SeqCst);
                    let out = env.run(&[
                        "session",
                        "log",
                        sid,
                        "note",
                        "--text",
                        &format!("note {k}"),
                    ]);
                    if !out.status.success() {
                        failures
                            .lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&out.stderr).into_owned());
                        return;
                    }
                    progress.acked.fetch_add(1, Ordering::SeqCst);
                    k += 1;
                }
            });
        }
        {
            let (env, progress, stop, failures) = (&env, &batches, &stop, &failures);
            scope.spawn(move || {
                let mut b = 0;
                while !stop.load(Ordering::SeqCst) {
                    let items: Vec<Value> = (0..BATCH)
                        .map(|i| sample(&format!("Writer batch {b} experience {i} on backups")))
                        .collect();
                    let file = env.path(&format!("batch{b}.json"));
                    std::fs::write(&file, serde_json::to_string(&items).unwrap()).unwrap();
                    progress.started.fetch_add(1, Ordering::SeqCst);
                    let out = env
                        .cmd()
                        .env("PLURUM_MODEL_DIR", common::model_dir())
                        .args(["--json", "publish", "--file", file.to_str().unwrap()])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures
                            .lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&out.stderr).into_owned());
                        return;
                    }
                    progress.acked.fetch_add(1, Ordering::SeqCst);
                    b += 1;
                }
            });
        }

        let snapshot = |p: &Progress| {
            (
                p.acked.load(Ordering::SeqCst),
                p.started.load(Ordering::SeqCst),
            )
        };
        let deadline = Instant::now() + Duration::from_secs(300);
        let (mut overlapped, mut taken) = (0, 0);
        while overlapped < OVERLAPS {
            assert!(
                Instant::now() < deadline,
                "only {overlapped} of {taken} backups overlapped a write in 300 s"
            );
            assert!(
                failures.lock().unwrap().is_empty(),
                "a writer failed: {:?}",
                failures.lock().unwrap()
            );
            let before: Vec<(usize, usize)> =
                notes.iter().chain([&batches]).map(snapshot).collect();
            let copy = env.path(&format!("backup{taken}.db"));
            let done = env.json(&["backup", copy.to_str().unwrap()]);
            let after: Vec<(usize, usize)> = notes.iter().chain([&batches]).map(snapshot).collect();
            assert!(done["bytes"].as_u64().unwrap() > 0);
            let b = taken;
            taken += 1;

            // The copy is a store of its own: plurum opens it, healthy, every experience
            // indexed exactly once, one self-contained file.
            let out = env
                .cmd()
                .env("PLURUM_MODEL_DIR", common::model_dir())
                .env("PLURUM_DB", &copy)
                .args(["--json", "doctor"])
                .output()
                .unwrap();
            common::assert_ok(&out, &["doctor (backup)"]);
            let d = common::parse(&out.stdout);
            assert_eq!(d["healthy"], true, "backup {b}: {d}");
            let n = d["indexes"]["experiences"].as_i64().unwrap();
            assert_eq!(
                d["indexes"]["keyword_rows"].as_i64(),
                Some(n),
                "backup {b}: {d}"
            );
            assert_eq!(d["indexes"]["vectors"].as_i64(), Some(n), "backup {b}: {d}");
            assert!(
                !std::path::Path::new(&format!("{}-wal", copy.display())).exists(),
                "a backup is one self-contained file"
            );

            // A consistent snapshot taken between `before` and `after`.
            let held_batches = (n - SEED) as usize / BATCH;
            assert_eq!(
                (n - SEED) as usize % BATCH,
                0,
                "backup {b} caught half a batch: {n}"
            );
            let mut held = Vec::new();
            for (w, sid) in sessions.iter().enumerate() {
                let got = notes_in(&copy, sid);
                let prefix: Vec<String> = (0..got.len()).map(|k| format!("note {k}")).collect();
                assert_eq!(
                    got, prefix,
                    "backup {b}: writer {w}'s notes are not a prefix"
                );
                held.push(got.len());
            }
            held.push(held_batches);
            for (i, (held, (acked_before, _), (_, started_after))) in held
                .iter()
                .zip(&before)
                .zip(&after)
                .map(|((h, b), a)| (h, b, a))
                .enumerate()
            {
                assert!(
                    acked_before <= held && held <= started_after,
                    "backup {b}, writer {i}: holds {held} writes; {acked_before} were acknowledged \
                     before it began, {started_after} started before it ended"
                );
            }
            let acked = |v: &[(usize, usize)]| v.iter().map(|(a, _)| a).sum::<usize>();
            if acked(&after) > acked(&before) {
                overlapped += 1;
            }
        }
        stop.store(true, Ordering::SeqCst);
        (overlapped, taken)
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "a writer failed: {failures:?}");

    // Everything acknowledged is in the live store.
    let total = env.json(&["list", "--limit", "1"])["total"]
        .as_i64()
        .unwrap();
    assert_eq!(
        total,
        SEED + (BATCH * batches.acked.load(Ordering::SeqCst)) as i64
    );
    for (w, sid) in sessions.iter().enumerate() {
        let s = env.json(&["session", "show", sid]);
        assert_eq!(
            s["entry_count"].as_u64(),
            Some(notes[w].acked.load(Ordering::SeqCst) as u64),
            "{s}"
        );
    }
    eprintln!("{overlapped} of {taken} backups overlapped writes");
}
