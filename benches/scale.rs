//! Search at 100,000 and 1,000,000 experiences: the default (fast) paths against `--exact`
//! in the same run. Run with `scripts/bench.sh scale` (release build, real model).
//!
//! The stores are SciFact-derived: the 5,183 abstracts (real text, so the keyword index is
//! real) copied until there are `n`, each copy with its abstract's real embedding plus a
//! little noise (cosine about 0.95 to the original), so every neighbourhood is crowded the
//! way a large collective's is. The SciFact claims are the queries. Built once under
//! target/bench-stores (`scale-<n>.db`) and reused. SciFact is for evaluation only: the
//! bench reads it from `PLURUM_BENCH_SCIFACT` (default `../shared/datasets/scifact-train`).
//!
//! Per size: whole-process `plurum --json search` (wall median, peak RSS from
//! `/usr/bin/time`, the arms' timings from `--explain`), `plurum serve` warm over HTTP
//! (median), and recall@10 of the default path against `--exact` over the claims (mean and
//! worst query), each beside the exact path's own figures.
//!
//! With `PLURUM_BENCH_PG` (a Postgres server's URL; `scripts/bench.sh scale` starts the
//! test server, pgvector 0.8.5), the same store is copied into database `scale_<n>` there
//! by `plurum copy --to` (once; its time and peak RSS are reported) and searched through
//! `plurum serve --database`: warm median against SQLite's in the same run, recall@10
//! against `--exact`, and the arms' times. `PLURUM_BENCH_PG_SIZES` picks the sizes that get
//! it (default: every size).

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Server, median, serve};
use plurum::model::experience::{ExperienceContent, NewExperience, Status};
use plurum::model::search::{SearchMode, SearchQuery};
use plurum::{OpenOptions, Plurum};
use serde_json::{Value, json};

const PROCESS_RUNS: usize = 21;
const RECALL_QUERIES: usize = 100;
/// Per-component noise added to each copy's vector (uniform in ±NOISE/2).
const NOISE: f32 = 0.06;

/// (title, text) of every abstract, and the claims.
fn scifact(dir: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let gz = std::fs::File::open(dir.join("corpus.jsonl.gz"))
        .unwrap_or_else(|e| panic!("{}: {e} (set PLURUM_BENCH_SCIFACT)", dir.display()));
    let docs = std::io::BufReader::new(flate2::read::GzDecoder::new(gz))
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(&l.unwrap()).unwrap();
            (
                v["title"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let claims = std::fs::read_to_string(dir.join("queries.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    (docs, claims)
}

/// The abstracts' embeddings, computed once and kept beside the stores.
fn corpus_vectors(dir: &Path, docs: &[(String, String)]) -> Vec<Vec<f32>> {
    let path = dir.join("scifact-corpus.f32");
    let options = OpenOptions::from_env().unwrap();
    let model = plurum::embed::resolve(&options.model).expect("set PLURUM_MODEL_DIR");
    let dim = 384;
    if let Ok(bytes) = std::fs::read(&path) {
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if floats.len() == docs.len() * dim {
            return floats.chunks_exact(dim).map(<[f32]>::to_vec).collect();
        }
    }
    eprintln!("embedding the {} abstracts once…", docs.len());
    let embedder = plurum::embed::Embedder::load(&model).unwrap();
    let texts: Vec<String> = docs
        .iter()
        .map(|d| plurum::model::experience::views::embedding_text(&content(d)))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = embedder.embed_documents(&refs, &mut |_| {}).unwrap();
    let bytes: Vec<u8> = vectors
        .iter()
        .flatten()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    std::fs::write(&path, bytes).unwrap();
    vectors
}

fn content((title, text): &(String, String)) -> ExperienceContent {
    let goal = if title.is_empty() {
        text.chars().take(200).collect()
    } else {
        title.clone()
    };
    ExperienceContent {
        domain: Some("science".into()),
        context: Some(text.clone()),
        ..ExperienceContent::with_goal(goal)
    }
}

/// Builds (or reuses) the store of `n` copies.
fn build_store(dir: &Path, n: usize, docs: &[(String, String)], vectors: &[Vec<f32>]) -> PathBuf {
    let db = dir.join(format!("scale-{n}.db"));
    let done = dir.join(format!("scale-{n}.done"));
    if done.exists() {
        return db;
    }
    let _ = std::fs::remove_file(&db);
    let mut options = OpenOptions::from_env().unwrap();
    options.db = db.clone();
    let plurum = Plurum::open(options).unwrap();
    let agent = plurum.agent("bench").unwrap();
    let dim = vectors[0].len();
    plurum
        .store()
        .write(|tx| {
            tx.set_meta(
                plurum::ops::embedding::META_MODEL,
                plurum::config::DEFAULT_MODEL_ID,
            )?;
            tx.set_meta(plurum::ops::embedding::META_DIM, &dim.to_string())
        })
        .unwrap();
    let mut rng = common::Rng(n as u64);
    let t = Instant::now();
    for start in (0..n).step_by(10_000) {
        plurum
            .store()
            .write(|tx| {
                for i in start..(start + 10_000).min(n) {
                    let d = i % docs.len();
                    let mut v: Vec<f32> =
                        vectors[d].iter().map(|x| x + NOISE * rng.unit()).collect();
                    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                    v.iter_mut().for_each(|x| *x /= norm);
                    let mut e = plurum::ops::experiences::new_record(
                        &agent,
                        &NewExperience {
                            content: content(&docs[d]),
                            artifacts: Vec::new(),
                        },
                        Status::Published,
                    );
                    plurum::ops::with_fresh_short_id(
                        &mut e,
                        |e| &mut e.short_id,
                        |e| tx.insert_experience(e, &[], Some(&v)),
                    )?;
                }
                Ok(())
            })
            .unwrap();
        if (start / 10_000) % 10 == 9 {
            eprintln!(
                "  {} of {n} in {:.0} s",
                start + 10_000,
                t.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "built {} in {:.0} s",
        db.display(),
        t.elapsed().as_secs_f64()
    );
    std::fs::write(&done, "").unwrap();
    db
}

/// One whole `plurum --json search --explain` process: wall ms, peak RSS (MB), the arms'
/// timings and the result ids.
fn cli_search(
    binary: &Path,
    db: &Path,
    query: &str,
    exact: bool,
) -> (f64, f64, Value, Vec<String>) {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%M"])
        .arg(binary)
        .args(["--json", "--db"])
        .arg(db)
        .args(["search", "--explain", query]);
    if exact {
        cmd.arg("--exact");
    }
    let t = Instant::now();
    let out = cmd.output().expect("run plurum");
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss_kb: f64 = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(f64::NAN);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (ms, rss_kb / 1024.0, v["timings_ms"].clone(), ids(&v))
}

fn ids(reply: &Value) -> Vec<String> {
    reply["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn serve_search(server: &Server, key: &str, query: &str, exact: bool) -> (f64, Vec<String>) {
    let t = Instant::now();
    let reply: Value = ureq::post(&format!("{}/api/v1/experiences/search", server.url))
        .set("Authorization", &format!("Bearer {key}"))
        .send_json(json!({"query": query, "limit": 10, "exact": exact}))
        .expect("search")
        .into_json()
        .unwrap();
    (t.elapsed().as_secs_f64() * 1000.0, ids(&reply))
}

/// Share of `exact`'s results that `fast` also returned.
fn recall(fast: &[String], exact: &[String]) -> f64 {
    if exact.is_empty() {
        return 1.0;
    }
    exact.iter().filter(|id| fast.contains(id)).count() as f64 / exact.len() as f64
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-stores");
    std::fs::create_dir_all(&dir).unwrap();
    let binary = root.join("target/release/plurum");
    assert!(
        binary.exists(),
        "build the release binary first (scripts/bench.sh does)"
    );
    let scifact_dir = std::env::var_os("PLURUM_BENCH_SCIFACT")
        .map(PathBuf::from)
        .unwrap_or(root.join("../shared/datasets/scifact-train"));
    let (docs, claims) = scifact(&scifact_dir);
    let vectors = corpus_vectors(&dir, &docs);
    let sizes: Vec<usize> = std::env::var("PLURUM_BENCH_SIZES")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.split(',')
                .map(|n| n.trim().parse().expect("PLURUM_BENCH_SIZES"))
                .collect()
        })
        .unwrap_or(vec![100_000, 1_000_000]);

    let pg_admin = std::env::var("PLURUM_BENCH_PG")
        .ok()
        .filter(|v| !v.is_empty());
    let pg_sizes: Vec<usize> = std::env::var("PLURUM_BENCH_PG_SIZES")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.split(',')
                .map(|n| n.trim().parse().expect("PLURUM_BENCH_PG_SIZES"))
                .collect()
        })
        .unwrap_or(sizes.clone());

    for n in sizes {
        let db = build_store(&dir, n, &docs, &vectors);
        println!("\n## {n} experiences ({})", db.display());
        // The agent the CLI acts as is created by its first search.
        cli_search(&binary, &db, &claims[0], false);

        let (mut wall, mut rss, mut arms) = ([vec![], vec![]], [vec![], vec![]], [vec![], vec![]]);
        for claim in claims.iter().take(PROCESS_RUNS) {
            for (i, exact) in [false, true].into_iter().enumerate() {
                let (ms, mb, timings, _) = cli_search(&binary, &db, claim, exact);
                wall[i].push(ms);
                rss[i].push(mb);
                arms[i].push(timings);
            }
        }
        let arm = |i: usize, name: &str| {
            median(
                arms[i]
                    .iter()
                    .map(|t| t[name].as_f64().unwrap_or(0.0))
                    .collect(),
            )
        };
        println!("whole-process `plurum --json search` (median of {PROCESS_RUNS} claims):");
        println!(
            "| path | wall ms | peak RSS MB (max) | embed ms | vector arm ms | keyword arm ms | fuse ms |"
        );
        println!("|---|---|---|---|---|---|---|");
        for (i, name) in ["default", "--exact"].iter().enumerate() {
            println!(
                "| {name} | {:.1} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
                median(wall[i].clone()),
                rss[i].iter().cloned().fold(0.0, f64::max),
                arm(i, "embed"),
                arm(i, "vector"),
                arm(i, "keyword"),
                arm(i, "fuse"),
            );
        }
        println!(
            "ratio default / exact, wall: {:.2}",
            median(wall[0].clone()) / median(wall[1].clone())
        );

        let server = serve(&binary, &["--db", db.to_str().unwrap()]);
        let key = common::key(&server, &format!("bench-{}", std::process::id()));
        // Warm: the model is loaded and the codes are in memory after two searches.
        for claim in claims.iter().take(3) {
            serve_search(&server, &key, claim, false);
        }
        let (mut fast_ms, mut exact_ms) = (vec![], vec![]);
        for claim in claims.iter().skip(PROCESS_RUNS).take(RECALL_QUERIES) {
            fast_ms.push(serve_search(&server, &key, claim, false).0);
            exact_ms.push(serve_search(&server, &key, claim, true).0);
        }
        drop(server);
        println!("`plurum serve`, warm, HTTP search (median of {RECALL_QUERIES} claims):");
        let sqlite_serve = median(fast_ms.clone());
        println!(
            "| default {:.1} ms | --exact {:.1} ms | ratio {:.3} |",
            sqlite_serve,
            median(exact_ms.clone()),
            median(fast_ms) / median(exact_ms)
        );
        in_process_recall(&claims, &db, None);

        let Some(pg) = pg_admin.as_deref().filter(|_| pg_sizes.contains(&n)) else {
            continue;
        };
        let url = postgres_copy(&binary, &db, pg, n);
        println!("\n### {n} experiences on Postgres ({})", redact(&url));
        let server = serve(&binary, &["--database", &url]);
        let key = common::key(&server, &format!("bench-pg-{}", std::process::id()));
        for claim in claims.iter().take(3) {
            serve_search(&server, &key, claim, false);
        }
        let (mut fast_ms, mut exact_ms) = (vec![], vec![]);
        for claim in claims.iter().skip(PROCESS_RUNS).take(RECALL_QUERIES) {
            fast_ms.push(serve_search(&server, &key, claim, false).0);
            exact_ms.push(serve_search(&server, &key, claim, true).0);
        }
        drop(server);
        println!(
            "`plurum serve --database`, warm, HTTP search (median of {RECALL_QUERIES} claims):"
        );
        println!(
            "| default {:.1} ms | --exact {:.1} ms | ratio {:.3} | Postgres / SQLite (default) {:.2} |",
            median(fast_ms.clone()),
            median(exact_ms.clone()),
            median(fast_ms.clone()) / median(exact_ms),
            median(fast_ms) / sqlite_serve
        );
        in_process_recall(&claims, &db, Some(&url));
    }
}

/// Hides a URL's password.
fn redact(url: &str) -> String {
    plurum::store::postgres::redact(url)
}

/// The database `scale_<n>` on the server of `admin`, filled from the SQLite store `db` by
/// `plurum copy --to` unless an earlier run did (it records `bench_rows` in the store's
/// settings when it ends). Prints the copy's time and peak RSS.
fn postgres_copy(binary: &Path, db: &Path, admin: &str, n: usize) -> String {
    let name = format!("scale_{n}");
    let url = format!(
        "{}/{name}",
        &admin[..admin.rfind('/').expect("a URL with a database")]
    );
    let mut client = postgres::Client::connect(admin, postgres::NoTls).expect("reach Postgres");
    if client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_none()
    {
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
    }
    let mut target = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    target
        .batch_execute("CREATE EXTENSION IF NOT EXISTS vector")
        .unwrap();
    let done = target
        .query_opt("SELECT value FROM store_meta WHERE key = 'bench_rows'", &[])
        .ok()
        .flatten()
        .map(|r| r.get::<_, String>(0));
    if done.as_deref() == Some(&n.to_string()) {
        return url;
    }
    if n == 1_000_000 {
        drop(target);
        return postgres_tenfold(&mut client, admin, &name, &url);
    }
    eprintln!(
        "copying {n} experiences into {} with `plurum copy --to` (once)…",
        redact(&url)
    );
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(binary)
        .arg("--db")
        .arg(db)
        .args(["--json", "copy", "--to", &url])
        .output()
        .expect("run plurum copy");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss_mb = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN)
        / 1024.0;
    println!(
        "`plurum copy --to` {n} experiences into Postgres: {:.0} s, peak RSS {rss_mb:.0} MB",
        t.elapsed().as_secs_f64()
    );
    target
        .execute(
            "INSERT INTO store_meta (key, value) VALUES ('bench_rows', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&n.to_string()],
        )
        .unwrap();
    url
}

/// The database `name` made from `scale_100000` (which an earlier size of the run filled) by
/// benches/postgres-tenfold.sql: nine noisy copies of each experience.
fn postgres_tenfold(client: &mut postgres::Client, admin: &str, name: &str, url: &str) -> String {
    let base = &admin[..admin.rfind('/').unwrap()];
    let source = format!("{base}/scale_100000");
    let rows = postgres::Client::connect(&source, postgres::NoTls)
        .ok()
        .and_then(|mut c| {
            c.query_opt("SELECT value FROM store_meta WHERE key = 'bench_rows'", &[])
                .ok()
                .flatten()
        })
        .map(|r| r.get::<_, String>(0));
    assert_eq!(
        rows.as_deref(),
        Some("100000"),
        "the Postgres store of 1,000,000 is made from the one of 100,000: run with PLURUM_BENCH_SIZES=100000,1000000"
    );
    eprintln!("making {name} from scale_100000 (nine noisy copies of each experience, once)…");
    let t = Instant::now();
    // Two statements: several in one batch run as one transaction, which DROP DATABASE refuses.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE scale_100000"))
        .unwrap();
    let mut target = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let script = include_str!("postgres-tenfold.sql");
    for statement in script.split(";\n") {
        let code: String = statement
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        if !code.trim().is_empty() {
            target.batch_execute(&code).unwrap();
        }
    }
    target
        .execute(
            "UPDATE store_meta SET value = '1000000' WHERE key = 'bench_rows'",
            &[],
        )
        .unwrap();
    println!(
        "Postgres store of 1,000,000 made from the one of 100,000 in SQL (benches/postgres-tenfold.sql): {:.0} s",
        t.elapsed().as_secs_f64()
    );
    url.to_string()
}

/// Recall@10 of the default path against `--exact`, in process, for each arm alone and
/// both, and the arms' warm times (as in `plurum serve`): on the SQLite store `db`, or on
/// the Postgres database `url`.
fn in_process_recall(claims: &[String], db: &Path, url: Option<&str>) {
    {
        let mut options = OpenOptions::from_env().unwrap();
        options.db = db.to_path_buf();
        options.database_url = url.map(str::to_string);
        let plurum = Plurum::open(options).unwrap();
        let viewer = plurum.agent("bench").unwrap();
        println!("recall@10 of the default path against --exact ({RECALL_QUERIES} claims):");
        println!("| search | mean | worst query |");
        println!("|---|---|---|");
        // The arms' times in this long-lived process (as in `plurum serve`), per path.
        let mut warm: [Vec<plurum::model::search::Timings>; 2] = [vec![], vec![]];
        for mode in [SearchMode::Vector, SearchMode::Keyword, SearchMode::Hybrid] {
            let mut recalls = Vec::new();
            for claim in claims.iter().skip(PROCESS_RUNS).take(RECALL_QUERIES) {
                let mut run = |exact: bool| -> Vec<String> {
                    let mut q = SearchQuery::new(claim.clone());
                    q.mode = mode;
                    q.exact = exact;
                    let r = plurum.search(&viewer, &q).unwrap();
                    if mode == SearchMode::Hybrid {
                        warm[usize::from(exact)].push(r.timings.clone());
                    }
                    r.hits.iter().map(|h| h.experience.id.clone()).collect()
                };
                let fast = run(false);
                recalls.push(recall(&fast, &run(true)));
            }
            println!(
                "| {mode:?} | {:.4} | {:.1} |",
                recalls.iter().sum::<f64>() / recalls.len() as f64,
                recalls.iter().cloned().fold(1.0, f64::min)
            );
        }
        println!("the arms in process, warm (hybrid, median of {RECALL_QUERIES} claims):");
        println!("| path | embed ms | vector arm ms | keyword arm ms | fuse ms |");
        println!("|---|---|---|---|---|");
        for (i, name) in ["default", "--exact"].iter().enumerate() {
            let m = |f: fn(&plurum::model::search::Timings) -> f64| {
                median(warm[i].iter().map(f).collect())
            };
            println!(
                "| {name} | {:.1} | {:.1} | {:.1} | {:.1} |",
                m(|t| t.embed_ms),
                m(|t| t.vector_ms),
                m(|t| t.keyword_ms),
                m(|t| t.fuse_ms)
            );
        }
    }
}
