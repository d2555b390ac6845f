//! Search speed at 1k, 10k and 100k experiences. Run with `scripts/bench.sh` (release build,
//! real model). Reports medians, and every figure that has a baseline as a ratio against a
//! baseline measured in the same run:
//!
//! * the vector arm against a plain float32 matrix-vector product over the same vectors
//!   (the memory-bandwidth floor), for a process's first search (read through SQLite) and
//!   for its later ones (vectors kept in memory),
//! * whole-process `plurum search` wall time, with its in-process parts; with
//!   `PLURUM_BENCH_BASELINE=/path/to/another/plurum` (an older build, say) the same searches
//!   are run by both binaries, interleaved, and the ratio printed (`PLURUM_BENCH_SIZES=100000`
//!   runs one store size only),
//! * ingest throughput (experiences per second, embedding included) at 1k.
//!
//! The 1k store is embedded for real. The 10k and 100k stores reuse real embeddings of 2,000
//! varied texts, each synthetic experience getting a normalised blend of two of them plus
//! noise, so the vector distribution looks like real text without hours of embedding.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Rng, median};
use plurum::model::experience::{ExperienceContent, NewExperience, Status, Visibility};
use plurum::model::search::SearchQuery;
use plurum::search::vector_scan::VectorCache;
use plurum::{OpenOptions, Plurum};

const SIZES: &[usize] = &[1_000, 10_000, 100_000];
const QUERIES: usize = 40;
const PROCESS_RUNS: usize = 15;

const TASKS: &[&str] = &[
    "deploy",
    "migrate",
    "debug",
    "speed up",
    "secure",
    "monitor",
    "upgrade",
    "containerise",
    "cache",
    "load test",
    "back up",
    "restore",
    "shard",
    "index",
    "profile",
    "package",
    "cross-compile",
    "roll back",
    "autoscale",
    "rate limit",
    "authenticate",
    "paginate",
];
const THINGS: &[&str] = &[
    "a FastAPI service",
    "a PostgreSQL database",
    "a Redis cluster",
    "a Rust CLI",
    "a React app",
    "a Kafka consumer",
    "a Django monolith",
    "nginx",
    "a gRPC API",
    "a Next.js site",
    "an Elasticsearch index",
    "a Kubernetes deployment",
    "a Terraform module",
    "a Go microservice",
    "a Python wheel",
    "GitHub Actions workflows",
    "a SQLite-backed app",
    "an S3 bucket",
    "a Celery worker pool",
    "a WebSocket gateway",
    "MySQL replication",
    "a Spark job",
];
const PLACES: &[&str] = &[
    "on AWS ECS Fargate",
    "on bare metal",
    "in Docker Compose",
    "on GKE",
    "on a Raspberry Pi",
    "behind Cloudflare",
    "on Azure",
    "on Fly.io",
    "in an air-gapped network",
    "on arm64",
    "with Nix",
    "on Heroku",
    "on a single VPS",
    "in CI",
    "on Windows runners",
];
const WHYS: &[&str] = &[
    "the health check timed out",
    "memory grew without bound",
    "the TLS handshake failed",
    "connections were exhausted",
    "the build cache was never hit",
    "DNS resolution was slow",
    "the lock file drifted",
    "timezones were mixed up",
    "the disk filled with logs",
    "a migration locked the table",
    "retries amplified the outage",
    "the image was 2 GB",
];
const FIXES: &[&str] = &[
    "pin the base image digest",
    "add a connection pooler",
    "set explicit resource limits",
    "split the migration into batches",
    "cache dependencies keyed by the lock file",
    "use exponential backoff with jitter",
    "terminate TLS at the load balancer",
    "move secrets to the platform's secret store",
    "add a readiness probe",
    "enable WAL mode",
    "precompute the index offline",
    "stream the response in chunks",
];

fn synthetic(rng: &mut Rng, i: usize) -> ExperienceContent {
    let goal = format!(
        "{} {} {} (case {i})",
        rng.pick(TASKS),
        rng.pick(THINGS),
        rng.pick(PLACES)
    );
    let goal = goal[..1].to_uppercase() + &goal[1..];
    ExperienceContent {
        goal,
        domain: Some(
            rng.pick(&[
                "deployment",
                "databases",
                "ci",
                "networking",
                "frontend",
                "rust",
            ])
            .to_string(),
        ),
        tools_used: vec![
            rng.pick(&["docker", "kubectl", "terraform", "cargo", "npm", "psql"])
                .to_string(),
        ],
        dead_ends: vec![plurum::model::experience::DeadEnd {
            what: format!("Tried to {}", rng.pick(FIXES)),
            why: rng.pick(WHYS).to_string(),
        }],
        breakthroughs: vec![plurum::model::experience::Breakthrough {
            insight: rng.pick(FIXES).to_string(),
            detail: format!("because {}", rng.pick(WHYS)),
            importance: "high".into(),
        }],
        gotchas: vec![plurum::model::experience::Gotcha {
            warning: format!("Watch out: {}", rng.pick(WHYS)),
            context: None,
        }],
        context: Some(format!(
            "We had to {} {} and {}.",
            rng.pick(TASKS),
            rng.pick(THINGS),
            rng.pick(WHYS)
        )),
        attempts: Vec::new(),
        solution: Some(format!("In the end we chose to {}.", rng.pick(FIXES))),
        tags: vec![
            rng.pick(&["aws", "postgres", "rust", "python", "react", "k8s", "ci"])
                .to_string(),
        ],
        confidence: Some(0.8),
        context_structured: None,
        outcome: Some(plurum::model::experience::Outcome::Success),
        visibility: Visibility::Public,
    }
}

fn open(db: &Path) -> Plurum {
    let mut options = OpenOptions::from_env().expect("options");
    options.db = db.to_path_buf();
    Plurum::open(options).expect("open store")
}

/// Builds (or reuses) a store of `n` experiences; returns its path and, for the 1k store,
/// the measured ingest rate.
fn build_store(dir: &Path, n: usize, pool: &[Vec<f32>]) -> (PathBuf, Option<f64>) {
    let db = dir.join(format!("bench-{n}.db"));
    let done = dir.join(format!("bench-{n}.done"));
    if done.exists() {
        return (db, None);
    }
    let _ = std::fs::remove_file(&db);
    let plurum = open(&db);
    let agent = plurum.agent("bench").unwrap();
    let mut rng = Rng(n as u64);
    let mut ingest = None;
    if n <= 1_000 {
        // Real ingest: validation, secret scan, embedding, FTS and vectors, as `publish` does.
        let items: Vec<NewExperience> = (0..n)
            .map(|i| NewExperience {
                content: synthetic(&mut rng, i),
                artifacts: Vec::new(),
            })
            .collect();
        let t = Instant::now();
        plurum
            .create_experiences(&agent, items, false, None, &mut |_| {})
            .unwrap();
        ingest = Some(n as f64 / t.elapsed().as_secs_f64());
    } else {
        let dim = pool[0].len();
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
        for start in (0..n).step_by(5_000) {
            plurum
                .store()
                .write(|tx| {
                    for i in start..(start + 5_000).min(n) {
                        let content = synthetic(&mut rng, i);
                        let (a, b) = (
                            rng.next() as usize % pool.len(),
                            rng.next() as usize % pool.len(),
                        );
                        let w = 0.5 + (rng.next() % 1000) as f32 / 2000.0;
                        let mut v: Vec<f32> = (0..dim)
                            .map(|d| w * pool[a][d] + (1.0 - w) * pool[b][d] + 0.02 * rng.unit())
                            .collect();
                        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                        v.iter_mut().for_each(|x| *x /= norm);
                        let mut e = plurum::ops::experiences::new_record(
                            &agent,
                            &NewExperience {
                                content,
                                artifacts: Vec::new(),
                            },
                            Status::Published,
                        );
                        // A taken short id is answered, not retried, by the store (at
                        // 100,000 a collision is likely): draw another as plurum does.
                        plurum::ops::with_fresh_short_id(
                            &mut e,
                            |e| &mut e.short_id,
                            |e| tx.insert_experience(e, &[], Some(&v)),
                        )?;
                    }
                    Ok(())
                })
                .unwrap();
        }
    }
    std::fs::write(&done, "").unwrap();
    (db, ingest)
}

fn queries() -> Vec<String> {
    let mut rng = Rng(7);
    (0..QUERIES)
        .map(|_| {
            format!(
                "how to {} {} when {}",
                rng.pick(TASKS),
                rng.pick(THINGS),
                rng.pick(WHYS)
            )
        })
        .collect()
}

/// The memory-bandwidth floor: one dot product per stored vector, vectorised, best score kept.
fn matvec_ms(vectors: &[f32], dim: usize, q: &[f32]) -> f64 {
    let t = Instant::now();
    let mut best = f32::MIN;
    for row in vectors.chunks_exact(dim) {
        let mut acc = [0f32; 16];
        for (a, b) in row.chunks_exact(16).zip(q.chunks_exact(16)) {
            for i in 0..16 {
                acc[i] += a[i] * b[i];
            }
        }
        best = best.max(acc.iter().sum());
    }
    std::hint::black_box(best);
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("PLURUM_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or(root.join("target/bench-stores"));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = root.join("target/release/plurum");
    assert!(
        binary.exists(),
        "build the release binary first (scripts/bench.sh does)"
    );

    // Model load, in a fresh Plurum each time (what every CLI process pays).
    let options = OpenOptions::from_env().unwrap();
    let model = plurum::embed::resolve(&options.model)
        .expect("the benchmark needs the model: set PLURUM_MODEL_DIR");
    let load_ms = median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                plurum::embed::Embedder::load(&model).unwrap();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );
    let embedder = plurum::embed::Embedder::load(&model).unwrap();

    // Real embeddings of 2,000 varied texts, the pool synthetic vectors are blended from.
    let pool_path = dir.join("pool-2000.f32");
    let dim = embedder.known_dim().expect("a local model");
    let pool: Vec<Vec<f32>> = if pool_path.exists() {
        let bytes = std::fs::read(&pool_path).unwrap();
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        floats.chunks_exact(dim).map(<[f32]>::to_vec).collect()
    } else {
        let mut rng = Rng(99);
        let texts: Vec<String> = (0..2000)
            .map(|i| plurum::model::experience::views::embedding_text(&synthetic(&mut rng, i)))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        eprintln!("embedding the 2,000-text pool once…");
        let pool = embedder.embed_documents(&refs, &mut |_| {}).unwrap();
        let bytes: Vec<u8> = pool
            .iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        std::fs::write(&pool_path, bytes).unwrap();
        pool
    };

    println!("model load (in process): {load_ms:.1} ms median of 5");
    let qs = queries();
    let qvecs: Vec<Vec<f32>> = qs
        .iter()
        .map(|q| embedder.embed_query(&q.clone()).unwrap())
        .collect();
    // PLURUM_BENCH_SIZES=100000 runs one size only (comma-separated).
    let sizes: Vec<usize> = std::env::var("PLURUM_BENCH_SIZES")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.split(',')
                .map(|n| n.trim().parse().expect("PLURUM_BENCH_SIZES: numbers"))
                .collect()
        })
        .unwrap_or_else(|| SIZES.to_vec());
    for n in sizes {
        eprintln!("store of {n}…");
        let (db, ingest) = build_store(&dir, n, &pool);
        // The vector arm alone (the `nearest` a search calls, on query vectors computed
        // beforehand), 30 candidates as for `--limit 10`. First in a process: it walks
        // SQLite's pages, as every `plurum search` does (a fresh store handle per query).
        // Later in one process (plurum serve, plurum mcp): the vectors are in memory.
        let viewer = open(&db).agent("bench").unwrap().id;
        let eligibility = plurum::store::Eligibility {
            viewer,
            ..Default::default()
        };
        let arm = |(store, cache): &(plurum::store::Store, VectorCache), qv: &[f32]| {
            let t = Instant::now();
            let hits = store
                .read(|tx| {
                    plurum::search::vector_scan::nearest(
                        tx,
                        Some(cache),
                        qv,
                        30,
                        &eligibility,
                        false,
                    )
                })
                .unwrap();
            assert_eq!(hits.len(), 30);
            t.elapsed().as_secs_f64() * 1000.0
        };
        let first_vector_ms = median(
            qvecs
                .iter()
                .map(|qv| {
                    arm(
                        &(
                            plurum::store::Store::open(&db).unwrap(),
                            VectorCache::default(),
                        ),
                        qv,
                    )
                })
                .collect(),
        );
        let store = (
            plurum::store::Store::open(&db).unwrap(),
            VectorCache::default(),
        );
        qvecs.iter().take(2).for_each(|qv| {
            arm(&store, qv);
        });
        let warm_vector_ms = median(qvecs.iter().map(|qv| arm(&store, qv)).collect());
        drop(store);

        // Whole searches in one process: the time of each part.
        let plurum = open(&db);
        let agent = plurum.agent("bench").unwrap();
        let mut parts = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // One warm-up pass, then measured passes.
        for pass in 0..2 {
            for q in &qs {
                let r = plurum.search(&agent, &SearchQuery::new(q.clone())).unwrap();
                assert!(r.semantic && !r.hits.is_empty());
                if pass == 1 {
                    parts.0.push(r.timings.embed_ms);
                    parts.1.push(r.timings.vector_ms);
                    parts.2.push(r.timings.keyword_ms);
                    parts.3.push(r.timings.fuse_ms);
                }
            }
        }

        // The same vectors as one matrix in memory, and the floor of scanning them.
        let all: Vec<f32> = plurum
            .store()
            .read(|tx| {
                let mut out = Vec::with_capacity(n * dim);
                tx.walk_vectors(dim, None, &mut |rows, wanted| {
                    for &(row, _) in wanted {
                        out.extend_from_slice(&rows[row * dim..(row + 1) * dim]);
                    }
                })?;
                Ok(out)
            })
            .unwrap();
        let qv = embedder.embed_query(&qs[0]).unwrap();
        let floor = median((0..15).map(|_| matvec_ms(&all, dim, &qv)).collect());

        // Whole process: start, open, load the model, embed, both arms, fuse, print JSON.
        // With a baseline binary, each query is run by both, one after the other, so that
        // the machine's drift affects both alike.
        let baseline = std::env::var_os("PLURUM_BENCH_BASELINE").map(PathBuf::from);
        let mut walls = Vec::new();
        let mut baseline_walls = Vec::new();
        let wall = |bin: &Path, query: &str| {
            let t = Instant::now();
            let out = Command::new(bin)
                .args(["--json", "search", query])
                .env("PLURUM_DB", &db)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            t.elapsed().as_secs_f64() * 1000.0
        };
        let runs = if baseline.is_some() {
            QUERIES
        } else {
            PROCESS_RUNS
        };
        for i in 0..runs + 2 {
            let query = &qs[i % qs.len()];
            let ms = wall(&binary, query);
            let base_ms = baseline.as_deref().map(|b| wall(b, query));
            if i >= 2 {
                walls.push(ms);
                baseline_walls.extend(base_ms);
            }
        }
        println!("\n== {n} experiences ==");
        if let Some(rate) = ingest {
            println!("ingest (embedding included): {rate:.1} experiences/s");
        }
        let whole = median(walls);
        println!("whole-process `plurum search`: {whole:.1} ms median of {runs}");
        if !baseline_walls.is_empty() {
            let base = median(baseline_walls);
            println!(
                "  baseline binary: {base:.1} ms median of the same {runs} queries; this one = {:.3}x",
                whole / base
            );
        }
        println!(
            "in process (whole searches, arms side by side): query embedding {:.1} ms, vector arm {:.2} ms, keyword arm {:.2} ms, fusion {:.2} ms",
            median(parts.0),
            median(parts.1),
            median(parts.2),
            median(parts.3)
        );
        println!(
            "vector arm alone vs f32 matvec floor ({floor:.2} ms): first search of a process (through SQLite) {first_vector_ms:.2} ms = {:.2}x; later searches (in memory) {warm_vector_ms:.2} ms = {:.2}x",
            first_vector_ms / floor,
            warm_vector_ms / floor
        );
    }
}
