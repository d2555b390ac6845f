//! Embedding speed: throughput over a list of texts and the latency of one short query.
//! Driven by scripts/bench-embed.sh, which runs PyTorch sentence-transformers on the same
//! texts in the same run for the baseline.
//!
//!   PLURUM_MODEL_DIR=... cargo bench --bench embed -- --texts texts.jsonl [--vectors out.f32]
//!       [--runs N] [--engine native|candle]
//!
//! texts.jsonl holds one JSON string per line. Prints one JSON object on stdout.

use std::time::Instant;

use plurum::embed::{Embedder, EngineKind, ModelOptions, resolve};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUERIES: [&str; 5] = [
    "deploy fastapi to aws ecs with docker",
    "sqlite database is locked error",
    "how do vaccines trigger immunity",
    "rust borrow checker lifetime error",
    "gene expression in breast cancer",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut texts_file, mut vectors_file, mut runs) = (None, None, 1usize);
    let mut engine = EngineKind::Native;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--texts" => texts_file = args.next(),
            "--vectors" => vectors_file = args.next(),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--engine" => {
                engine = match args.next().as_deref() {
                    Some("candle") => EngineKind::Candle,
                    _ => EngineKind::Native,
                }
            }
            _ => {} // `cargo bench` adds --bench
        }
    }
    let texts: Vec<String> = match &texts_file {
        Some(f) => std::fs::read_to_string(f)
            .expect("read --texts")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("one JSON string per line"))
            .collect(),
        None => (0..200)
            .map(|i| format!("{i} {}", QUERIES[i % QUERIES.len()].repeat(1 + i % 20)))
            .collect(),
    };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();

    let dir = std::env::var_os("PLURUM_MODEL_DIR").expect("set PLURUM_MODEL_DIR");
    let mut opts = ModelOptions::new(std::env::temp_dir().join("plurum-bench-none"));
    opts.model_dir = Some(dir.into());
    opts.offline = true;
    let model = resolve(&opts).expect("model");
    let t = Instant::now();
    let e = Embedder::load_engine(&model, engine).expect("load");
    assert_eq!(e.engine(), Some(engine), "{:?}", e.fallback_reason());
    let load_ms = t.elapsed().as_secs_f64() * 1e3;

    // Warm up (page in the weights, grow the scratch buffers).
    e.embed_documents(&texts[..texts.len().min(32)], &mut |_| {})
        .unwrap();

    let mut best = f64::MAX;
    let mut vectors = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        vectors = e.embed_documents(&texts, &mut |_| {}).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let texts_per_s = texts.len() as f64 / best;

    let mut query_ms = Vec::new();
    for i in 0..100 {
        let t = Instant::now();
        std::hint::black_box(e.embed_query(QUERIES[i % QUERIES.len()]).unwrap());
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    query_ms.sort_by(f64::total_cmp);

    if let Some(f) = vectors_file {
        let bytes: Vec<u8> = vectors
            .iter()
            .flatten()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        std::fs::write(f, bytes).expect("write --vectors");
    }
    println!(
        "{}",
        serde_json::json!({
            "texts": texts.len(),
            "seconds": best,
            "texts_per_s": texts_per_s,
            "query_ms_median": query_ms[query_ms.len() / 2],
            "load_ms": load_ms,
            "threads": std::thread::available_parallelism().map_or(1, |n| n.get()),
            "engine": e.engine(),
        })
    );
}
