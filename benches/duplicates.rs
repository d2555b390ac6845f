//! Near-duplicate detection: how well the rule tells one lesson written twice from two
//! lessons about the same tools, and what the check adds to a publish.
//!
//! Calibration: the labelled pairs in `tests/fixtures/duplicates/*.jsonl` (each an example
//! of `examples/experiences/` and a new experience: the same lesson in other words, or a
//! hard negative: same domain and tools, another problem). Each pair's measures and score
//! are computed with the real model; precision and recall are reported at the thresholds
//! in `model::duplicates`, with vectors and by words only, and over a sweep of thresholds.
//! The per-pair figures go to `target/duplicates-pairs.csv`.
//!
//! Cost: on a copy of the SciFact-derived 100,000-experience store
//! (`target/bench-stores/scale-100000.db`, built by `scripts/bench.sh scale`), the example
//! experiences are published one at a time, in process with the model loaded, with the
//! check and without it, alternately; the medians and their difference are reported.
//!
//! Run with `scripts/bench.sh duplicates`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::median;
use plurum::model::duplicates::{self, IfDuplicate};
use plurum::model::experience::NewExperience;
use plurum::model::experience::input::parse_experience;
use plurum::model::experience::views::embedding_text;
use plurum::ops::embedding::VectorStatus;
use plurum::{OpenOptions, Plurum};
use serde_json::Value;

struct Pair {
    id: String,
    duplicate: bool,
    existing: NewExperience,
    new: NewExperience,
}

fn parse(v: &Value) -> NewExperience {
    parse_experience(v, "")
        .expect("a valid experience")
        .experience
}

fn pairs(root: &Path) -> Vec<Pair> {
    let mut out = Vec::new();
    let dir = root.join("tests/fixtures/duplicates");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line).unwrap();
            let existing: Value = serde_json::from_str(
                &std::fs::read_to_string(root.join(v["existing"].as_str().unwrap())).unwrap(),
            )
            .unwrap();
            out.push(Pair {
                id: v["id"].as_str().unwrap().to_string(),
                duplicate: v["label"] == "duplicate",
                existing: parse(&existing),
                new: parse(&v["new"]),
            });
        }
    }
    out
}

fn open(db: &Path) -> Plurum {
    let mut options = OpenOptions::from_env().expect("options");
    options.db = db.to_path_buf();
    Plurum::open(options).expect("open store")
}

/// (precision, recall, true positives, false positives, false negatives)
fn score(labelled: &[(bool, f64)], threshold: f64) -> (f64, f64, usize, usize, usize) {
    let tp = labelled
        .iter()
        .filter(|(d, s)| *d && *s >= threshold)
        .count();
    let fp = labelled
        .iter()
        .filter(|(d, s)| !*d && *s >= threshold)
        .count();
    let fneg = labelled
        .iter()
        .filter(|(d, s)| *d && *s < threshold)
        .count();
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    (precision, recall, tp, fp, fneg)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let plurum = open(&scratch.path().join("calibration.db"));
    let VectorStatus::Ready(embedder) = plurum.vector_status().unwrap() else {
        panic!("the bench needs the model: PLURUM_MODEL_DIR (scripts/bench.sh sets it)");
    };
    let pairs = pairs(&root);
    let texts: Vec<String> = pairs
        .iter()
        .flat_map(|p| {
            [
                embedding_text(&p.existing.content),
                embedding_text(&p.new.content),
            ]
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = embedder.embed_documents(&refs, &mut |_| {}).unwrap();
    // The fixes alone, as the check embeds them (`views::lesson_text`).
    let fixes: Vec<String> = pairs
        .iter()
        .flat_map(|p| {
            [&p.existing.content, &p.new.content]
                .map(|c| plurum::model::experience::views::lesson_text(c).unwrap_or_default())
        })
        .collect();
    let fv = embedder
        .embed_documents(
            &fixes.iter().map(String::as_str).collect::<Vec<_>>(),
            &mut |_| {},
        )
        .unwrap();
    let dot = |a: &[f32], b: &[f32]| -> f64 { a.iter().zip(b).map(|(x, y)| (x * y) as f64).sum() };

    let mut csv =
        String::from("id,label,cosine,fix_cosine,goal,lesson,score,words_only,goal_cos\n");
    let mut with_vectors = Vec::new();
    let mut words_only = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let (a, b) = (&vectors[2 * i], &vectors[2 * i + 1]);
        let cosine: f64 = a.iter().zip(b).map(|(x, y)| (x * y) as f64).sum();
        let fa = duplicates::fingerprint(&p.existing.content);
        let fb = duplicates::fingerprint(&p.new.content);
        let fix_cosine = fixes[2 * i]
            .is_empty()
            .then_some(())
            .map_or(Some(dot(&fv[2 * i], &fv[2 * i + 1])), |_| None)
            .filter(|_| !fixes[2 * i + 1].is_empty());
        let ev = duplicates::evidence(&fa, &fb, Some(cosine), fix_cosine);
        let words = duplicates::evidence(&fa, &fb, None, None);
        with_vectors.push((p.duplicate, ev.normalised()));
        words_only.push((p.duplicate, words.normalised()));
        csv.push_str(&format!(
            "{},{},{:.4},{:.4},{:.4},{:.4},{:.4},{:.4}\n",
            p.id,
            if p.duplicate { "duplicate" } else { "distinct" },
            cosine,
            fix_cosine.unwrap_or(f64::NAN),
            ev.goal,
            ev.lesson,
            ev.normalised(),
            words.normalised(),
        ));
    }
    std::fs::write(root.join("target/duplicates-pairs.csv"), csv).unwrap();
    let dups = pairs.iter().filter(|p| p.duplicate).count();
    println!(
        "calibration: {} labelled pairs ({dups} duplicates, {} hard negatives)",
        pairs.len(),
        pairs.len() - dups
    );
    // Every score is on the scale where the threshold is LIKELY_FIX (Evidence::normalised).
    for (name, labelled, threshold) in [
        ("with the model", &with_vectors, duplicates::LIKELY_FIX),
        ("words only    ", &words_only, duplicates::LIKELY_FIX),
    ] {
        let (p, r, tp, fp, fneg) = score(labelled, threshold);
        println!(
            "  {name} at {threshold:.2}: precision {p:.3} recall {r:.3} (true {tp}, false {fp}, missed {fneg})"
        );
    }
    println!("  sweep (with vectors / words only): threshold  precision  recall");
    for t in (30..=80).step_by(5) {
        let t = t as f64 / 100.0;
        let (p, r, ..) = score(&with_vectors, t);
        let (pw, rw, ..) = score(&words_only, t);
        println!("    {t:.2}  {p:.3} {r:.3}   /  {pw:.3} {rw:.3}");
    }
    for (p, (_, s)) in pairs.iter().zip(&with_vectors) {
        let likely = *s >= duplicates::LIKELY_FIX;
        if likely != p.duplicate {
            println!(
                "  wrong: {} ({}) scored {s:.3}",
                p.id,
                if p.duplicate { "missed" } else { "false alarm" }
            );
        }
    }
    std::io::stdout().flush().unwrap();

    if std::env::var_os("PLURUM_BENCH_SKIP_COST").is_some() {
        return;
    }
    cost(&root);
}

fn cost(root: &Path) {
    let source = root.join("target/bench-stores/scale-100000.db");
    if !root.join("target/bench-stores/scale-100000.done").exists() {
        println!(
            "cost: skipped, no 100,000-experience store (scripts/bench.sh scale with PLURUM_BENCH_SIZES=100000 builds it)"
        );
        return;
    }
    // Two copies: publishes without the check go to one, with it to the other (a record
    // published without the check has no fix vector, which the check would then make).
    let scratch = tempfile::tempdir_in(root.join("target")).unwrap();
    let (db, db_plain) = (
        scratch.path().join("store.db"),
        scratch.path().join("plain.db"),
    );
    std::fs::copy(&source, &db).unwrap();
    std::fs::copy(&source, &db_plain).unwrap();
    let plurum = open(&db);
    let plain_store = open(&db_plain);
    let agent = plurum.agent("bench-duplicates").unwrap();
    let plain_agent = plain_store.agent("bench-duplicates").unwrap();
    let mut examples: Vec<NewExperience> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("examples/experiences"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        examples.push(parse(&v));
    }
    // Warm: the model, the store's pages.
    let publish = |item: &NewExperience, check: Option<IfDuplicate>| {
        let (p, a) = match check {
            Some(_) => (&plurum, &agent),
            None => (&plain_store, &plain_agent),
        };
        let t = Instant::now();
        p.create_experiences(a, vec![item.clone()], false, check, &mut |_| {})
            .unwrap();
        t.elapsed().as_secs_f64() * 1000.0
    };
    // Warm the model and the store's pages with texts of another domain (the SciFact
    // claims' own kind), so that the examples below meet the store for the first time.
    let warm = |n: usize| NewExperience {
        content: plurum::model::experience::ExperienceContent::with_goal(format!(
            "Warm-up claim {n}: vitamin D supplementation and bone density in adults"
        )),
        artifacts: Vec::new(),
    };
    for n in 0..3 {
        publish(&warm(n), None);
        publish(&warm(n), Some(IfDuplicate::Publish));
    }
    // Round 0: each example is new to the store (no close neighbour: the usual publish).
    // Rounds 1 and 2: it is there already (the check embeds the fix and compares).
    let mut rounds = Vec::new();
    for round in 0..3 {
        let (mut plain, mut checked) = (Vec::new(), Vec::new());
        for (i, item) in examples.iter().enumerate() {
            // Alternate which goes first, so neither gains from the other's warm caches.
            if (i + round) % 2 == 0 {
                plain.push(publish(item, None));
                checked.push(publish(item, Some(IfDuplicate::Publish)));
            } else {
                checked.push(publish(item, Some(IfDuplicate::Publish)));
                plain.push(publish(item, None));
            }
        }
        rounds.push((plain, checked));
    }
    let n = plurum.store().read(|tx| tx.experience_count()).unwrap();
    let (new_plain, new_checked) = rounds.remove(0);
    let (mut again_plain, mut again_checked) = (Vec::new(), Vec::new());
    for (p, c) in rounds {
        again_plain.extend(p);
        again_checked.extend(c);
    }
    for (what, plain, checked) in [
        ("a new lesson (no close neighbour)", new_plain, new_checked),
        (
            "a lesson already stored (its copies close)",
            again_plain,
            again_checked,
        ),
    ] {
        let count = plain.len();
        let (p, c) = (median(plain), median(checked));
        println!(
            "cost at {n} experiences, publishing {what}: {p:.1} ms without the check, {c:.1} ms with it ({:+.1} ms, {:.2}x; median of {count} publishes each)",
            c - p,
            c / p
        );
    }
}
