//! `plurum serve` searched over HTTP at 100,000 experiences: the Postgres store against the
//! SQLite store, the same data behind two release servers, in one run. Run with
//! `scripts/bench.sh serve` (it builds the release binary, the 100,000-experience SQLite
//! store of the search bench if missing, and starts the test Postgres).
//!
//! The Postgres database is filled from the SQLite store row for row through the storage
//! boundary (experiences with their stored vectors, the agents they belong to), so both
//! servers hold the same experiences and vectors. Reported: median and 90th-percentile
//! latency of one search at a time (the two servers asked in turn, so drift hits both
//! alike), throughput with four clients at once, the Postgres/SQLite ratio of each, and how
//! many of the ten results the two agree on (both keyword arms rank by BM25, but their
//! tokenizers and stemmers differ: FTS5's Porter, Postgres' Snowball).

mod common;

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use common::{Server, key, median, serve};
use plurum::store::Store;
use serde_json::{Value, json};

const N: usize = 100_000;
const ROUNDS: usize = 3;
const CLIENTS: usize = 4;
const THROUGHPUT_SECONDS: u64 = 10;

fn p90(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() * 9 / 10]
}

/// The search bench's query shapes, varied.
fn queries() -> Vec<String> {
    let tasks = [
        "deploy", "debug", "speed up", "migrate", "secure", "test", "monitor",
    ];
    let things = [
        "a FastAPI service",
        "a Postgres replica",
        "a Kubernetes job",
        "a React build",
        "a Kafka consumer",
        "a Rust CLI",
    ];
    let whys = [
        "it runs out of memory",
        "the build is slow",
        "requests time out",
        "the tests are flaky",
        "it fails only in CI",
    ];
    let mut out = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        for (j, th) in things.iter().enumerate() {
            out.push(format!(
                "how to {t} {th} when {}",
                whys[(i + j) % whys.len()]
            ));
        }
    }
    out.truncate(40);
    out
}

/// Copies the SQLite bench store into `url` once (a marker in its settings says it is done).
fn fill_postgres(sqlite: &Path, url: &str) {
    let source = Store::open(sqlite).expect("open the SQLite bench store");
    let target = Store::open_postgres(url).expect("open the Postgres bench database");
    if target.meta("bench_rows").unwrap().as_deref() == Some(&N.to_string()) {
        return;
    }
    eprintln!("copying {N} experiences with their vectors into Postgres (once)…");
    let t = Instant::now();
    let agents = source.read(|tx| tx.agents()).unwrap();
    let (model, dim) = source
        .read(|tx| Ok((tx.meta("embedding_model")?, tx.meta("embedding_dim")?)))
        .unwrap();
    target
        .write(|tx| {
            for a in &agents {
                tx.insert_agent(a)?;
            }
            if let (Some(m), Some(d)) = (&model, &dim) {
                tx.set_meta("embedding_model", m)?;
                tx.set_meta("embedding_dim", d)?;
            }
            Ok(())
        })
        .unwrap();
    let mut batch = Vec::new();
    let flush = |batch: &mut Vec<(plurum::model::experience::Experience, Vec<f32>)>| {
        target
            .write(|tx| {
                for (e, v) in batch.iter_mut() {
                    if tx.experience_by_id(&e.id)?.is_none() {
                        tx.insert_experience(e, &[], Some(v))?;
                    }
                }
                Ok(())
            })
            .unwrap();
        batch.clear();
    };
    let all = source
        .read(|tx| {
            let mut out = Vec::new();
            tx.each_experience(&mut |e| {
                out.push(e);
                Ok(())
            })?;
            let mut with_vectors = Vec::with_capacity(out.len());
            for e in out {
                let v = tx
                    .experience_vector(e.seq)?
                    .expect("every bench experience has a vector");
                with_vectors.push((e, v));
            }
            Ok(with_vectors)
        })
        .unwrap();
    for item in all {
        batch.push(item);
        if batch.len() == 5_000 {
            flush(&mut batch);
        }
    }
    flush(&mut batch);
    target
        .write(|tx| tx.set_meta("bench_rows", &N.to_string()))
        .unwrap();
    eprintln!("copied in {:.0} s", t.elapsed().as_secs_f64());
}

/// One search; its wall time in ms and the ids of its results.
fn search(server: &Server, key: &str, query: &str) -> (f64, Vec<String>) {
    let t = Instant::now();
    let reply: Value = ureq::post(&format!("{}/api/v1/experiences/search", server.url))
        .set("Authorization", &format!("Bearer {key}"))
        .send_json(json!({"query": query, "limit": 10}))
        .expect("search")
        .into_json()
        .unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let ids = reply["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    (ms, ids)
}

/// Searches per second with `CLIENTS` clients asking at once for `THROUGHPUT_SECONDS`.
fn throughput(server: &Server, key: &str, qs: &[String]) -> f64 {
    let stop = Instant::now() + Duration::from_secs(THROUGHPUT_SECONDS);
    let done: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|c| {
                s.spawn(move || {
                    let mut n = 0;
                    while Instant::now() < stop {
                        search(server, key, &qs[(c + n * CLIENTS) % qs.len()]);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    done as f64 / THROUGHPUT_SECONDS as f64
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target/release/plurum");
    assert!(
        binary.exists(),
        "build the release binary first (scripts/bench.sh does)"
    );
    let dir = std::env::var_os("PLURUM_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or(root.join("target/bench-stores"));
    let sqlite = dir.join(format!("bench-{N}.db"));
    assert!(
        dir.join(format!("bench-{N}.done")).exists(),
        "the {N}-experience store is missing: `PLURUM_BENCH_SIZES={N} cargo bench --bench search` builds it (scripts/bench.sh serve does)"
    );
    let url = std::env::var("PLURUM_BENCH_PG")
        .expect("PLURUM_BENCH_PG: the URL of an empty (or earlier bench) Postgres database");
    fill_postgres(&sqlite, &url);

    let sqlite_server = serve(&binary, &["--db", sqlite.to_str().unwrap()]);
    let pg_server = serve(&binary, &["--database", &url]);
    // As autovacuum would in time: the visibility map (index-only scans) and the planner's
    // statistics brought up to date after the bulk load or a migration, so they cannot
    // start in the middle of the measurement.
    postgres::Client::connect(&url, postgres::NoTls)
        .and_then(|mut c| c.batch_execute("VACUUM ANALYZE"))
        .expect("VACUUM ANALYZE the bench database");
    let servers = [("sqlite", &sqlite_server), ("postgres", &pg_server)];
    let keys: Vec<String> = servers
        .iter()
        .map(|(_, s)| key(s, &format!("bench-{}", std::process::id())))
        .collect();
    let qs = queries();
    // Warm both: the first searches pay for the vector cache and the database's buffers.
    for (i, (_, s)) in servers.iter().enumerate() {
        for q in qs.iter().take(5) {
            search(s, &keys[i], q);
        }
    }

    let mut latencies = [Vec::new(), Vec::new()];
    let mut agree = Vec::new();
    for _ in 0..ROUNDS {
        for q in &qs {
            let (a_ms, a) = search(&sqlite_server, &keys[0], q);
            let (b_ms, b) = search(&pg_server, &keys[1], q);
            latencies[0].push(a_ms);
            latencies[1].push(b_ms);
            agree.push(a.iter().filter(|id| b.contains(id)).count() as f64);
        }
    }
    let rates: Vec<f64> = servers
        .iter()
        .enumerate()
        .map(|(i, (_, s))| throughput(s, &keys[i], &qs))
        .collect();

    println!(
        "plurum serve, POST /experiences/search (limit 10, hybrid) over {N} experiences, {} searches each:",
        ROUNDS * qs.len()
    );
    for (i, (name, _)) in servers.iter().enumerate() {
        println!(
            "  {name:<8}  median {:6.1} ms   p90 {:6.1} ms   {:6.1} searches/s with {CLIENTS} clients",
            median(latencies[i].clone()),
            p90(latencies[i].clone()),
            rates[i]
        );
    }
    println!(
        "  postgres/sqlite: median latency {:.2}x, p90 {:.2}x, throughput {:.2}x",
        median(latencies[1].clone()) / median(latencies[0].clone()),
        p90(latencies[1].clone()) / p90(latencies[0].clone()),
        rates[1] / rates[0]
    );
    println!("  results in common: {:.1} of 10 (median)", median(agree));
}
