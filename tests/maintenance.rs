//! `plurum doctor` finds damage and `--fix` repairs it; `plurum backup` makes a consistent
//! copy while other processes keep writing. Real binary, real store files, real model.

mod common;

use std::process::Stdio;

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
    assert_eq!(healthy["store_schema_version"], 1);
    assert_eq!(keyword_hits(&env, "zanzibar"), 1);

    // Damage the indexes behind plurum's back: drop one experience's keyword row and vector,
    // and leave an orphan keyword row and an orphan vector.
    {
        let store = plurum::store::Store::open(&env.db()).unwrap();
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
    assert_eq!(sick["integrity"][0], "ok");

    let fixed = env.json_with_model(&["doctor", "--fix"]);
    assert_eq!(fixed["healthy"], true, "{fixed}");
    assert!(!fixed["fixed"].as_array().unwrap().is_empty());
    let i = &fixed["indexes"];
    assert_eq!(
        (i["keyword_rows"].as_i64(), i["vectors"].as_i64()),
        (Some(7), Some(7))
    );
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

#[test]
fn backup_is_consistent_while_other_processes_write() {
    let env = Env::new();
    publish_n(&env, "Seed", 20);
    // Three writers publish batches of 25 while backups are taken.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let items: Vec<Value> = (0..25)
                .map(|i| sample(&format!("Writer {w} batch experience {i} on backups")))
                .collect();
            let file = env.path(&format!("writer{w}.json"));
            std::fs::write(&file, serde_json::to_string(&items).unwrap()).unwrap();
            env.cmd()
                .env("PLURUM_MODEL_DIR", common::model_dir())
                .args(["--json", "publish", "--file", file.to_str().unwrap()])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut counts = Vec::new();
    for b in 0..4 {
        let copy = env.path(&format!("backup{b}.db"));
        let done = env.json_with_model(&["backup", copy.to_str().unwrap()]);
        assert!(done["bytes"].as_u64().unwrap() > 0);
        // The copy is a store of its own: healthy, every experience indexed exactly once.
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
        assert_eq!(d["indexes"]["keyword_rows"].as_i64(), Some(n));
        assert!(
            !std::path::Path::new(&format!("{}-wal", copy.display())).exists(),
            "a backup is one self-contained file"
        );
        counts.push(n);
    }
    for mut w in writers {
        assert!(w.wait().unwrap().success());
    }
    // Each backup holds whole batches only (a bulk publish of 25 is one transaction).
    for n in &counts {
        assert_eq!((n - 20) % 25, 0, "a backup caught half a batch: {counts:?}");
    }
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert_eq!(env.json(&["list"])["total"], 95);
}
