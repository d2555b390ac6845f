//! An OpenAI-compatible embedding endpoint (README, "Other embedding models"), against a
//! real HTTP server of the test's own that answers `POST /v1/embeddings` (a feature-hashed
//! bag of words: real vectors whose nearness follows shared words) and can be told to
//! stall, answer 429, send the wrong JSON, change its dimension, or be gone. The real
//! `plurum` binary publishes, searches and reindexes through it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{
    Backend, ClosedPort, Env, PgDatabase, Server, assert_ok, both_backends, call,
    create_and_publish, parse, register, sample,
};
use crate::fake_http::{Action, FakeHttp};

const KEY: &str = "sk-test-do-not-print-4f9a1c";
const MODEL: &str = "hash-embed";

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// Vectors of this many dimensions.
    Answer(usize),
    /// Holds the request for 120 s before closing it (the hang a timeout guards against).
    Stall,
    /// 429 with `Retry-After: 0` this many times, then vectors of this dimension.
    TooMany(usize, usize),
    /// Always 503.
    Unavailable,
    /// 200 with JSON that is not an embeddings list.
    WrongJson,
}

struct Endpoint {
    http: FakeHttp,
    mode: Arc<Mutex<Mode>>,
    /// Every Authorization header received.
    auth: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    fn start(mode: Mode) -> Endpoint {
        let mode = Arc::new(Mutex::new(mode));
        let auth = Arc::new(Mutex::new(Vec::new()));
        let (m, a) = (mode.clone(), auth.clone());
        let http = FakeHttp::start(None, move |req| {
            if let Some(h) = req.header("authorization") {
                a.lock().unwrap().push(h.to_string());
            }
            if req.path() != "/v1/embeddings" || req.method != "POST" {
                return Action::Status(404, None);
            }
            let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let mut mode = m.lock().unwrap();
            let dim = match *mode {
                Mode::Answer(dim) => dim,
                Mode::Stall => {
                    return Action::Custom(Box::new(|_| {
                        std::thread::sleep(Duration::from_secs(120))
                    }));
                }
                Mode::TooMany(0, dim) => dim,
                Mode::TooMany(left, dim) => {
                    *mode = Mode::TooMany(left - 1, dim);
                    return Action::Status(429, Some(0));
                }
                Mode::Unavailable => return Action::Status(503, None),
                Mode::WrongJson => return answer(json!({"object": "list", "data": "nope"})),
            };
            let texts: Vec<String> = body["input"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|t| t.as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            let data: Vec<Value> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| json!({"object": "embedding", "index": i, "embedding": hashed(t, dim)}))
                .collect();
            answer(json!({"object": "list", "model": body["model"], "data": data}))
        });
        Endpoint { http, mode, auth }
    }

    fn url(&self) -> String {
        format!("{}/v1", self.http.url)
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn requests(&self) -> usize {
        self.http.seen_for("POST", "/v1/embeddings").len()
    }
}

fn answer(body: Value) -> Action {
    let text = body.to_string();
    Action::Custom(Box::new(move |stream| {
        use std::io::Write;
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        );
    }))
}

/// A bag of words hashed into `dim` buckets (FNV-1a): texts sharing words are near.
fn hashed(text: &str, dim: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; dim];
    for word in text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
    {
        let h = word.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        });
        v[(h % dim as u64) as usize] += 1.0;
    }
    v[0] += 0.01; // never all zeros
    v
}

/// Runs plurum with the endpoint's variables; returns (exit code, stdout, stderr), and
/// checks the key is in neither stream.
fn run(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = env.cmd();
    cmd.env_remove("PLURUM_MODEL_DIR");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().expect("run plurum");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        !stdout.contains(KEY) && !stderr.contains(KEY),
        "{args:?} printed the API key\nstdout: {stdout}\nstderr: {stderr}"
    );
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn json(env: &Env, vars: &[(&str, &str)], args: &[&str]) -> Value {
    let args = [&["--json"], args].concat();
    let (code, stdout, stderr) = run(env, vars, &args);
    assert_eq!(code, 0, "{args:?}\nstdout: {stdout}\nstderr: {stderr}");
    parse(stdout.as_bytes())
}

fn publish(env: &Env, vars: &[(&str, &str)], goal: &str) -> Value {
    let file = env.path(&format!("{}.json", goal.len()));
    std::fs::write(&file, sample(goal).to_string()).unwrap();
    json(env, vars, &["publish", "--file", file.to_str().unwrap()])
}

const GOALS: [&str; 3] = [
    "Stop the Docker build cache from being invalidated on every commit",
    "Make pytest fixtures async with pytest-asyncio auto mode",
    "Rotate Postgres credentials without restarting the connection pool",
];

#[test]
fn an_endpoint_embeds_publish_search_and_reindex_and_its_key_is_never_shown() {
    let endpoint = Endpoint::start(Mode::Answer(48));
    let env = Env::new();
    // The config file's keys select the endpoint (the environment's are tested below).
    std::fs::create_dir_all(env.home()).unwrap();
    std::fs::write(
        env.home().join("config.toml"),
        format!(
            "embedding_url = \"{}\"\nembedding_model = \"{MODEL}\"\nembedding_api_key = \"{KEY}\"\n",
            endpoint.url()
        ),
    )
    .unwrap();
    let ids: Vec<String> = GOALS
        .iter()
        .map(|g| publish(&env, &[], g)["id"].as_str().unwrap().to_string())
        .collect();

    let status = json(&env, &[], &["model", "status"]);
    assert_eq!(status["available"], true, "{status}");
    assert_eq!(status["source"], "endpoint");
    assert_eq!(status["model_id"], MODEL);
    assert_eq!(status["dimension"], 48);
    assert_eq!(status["endpoint"]["url"], endpoint.url());
    assert_eq!(status["endpoint"]["api_key_set"], true);
    assert_eq!(status["endpoint"]["timeout_seconds"], 2.0);
    // The id recorded for the vectors is the model's name, not the URL.
    assert_eq!(status["store"]["model"], MODEL);
    assert_eq!(status["store"]["dimension"], 48);
    assert_eq!(
        (
            status["store"]["vectors"].as_i64(),
            status["store"]["missing"].as_i64()
        ),
        (Some(3), Some(0))
    );
    let (_, text, _) = run(&env, &[], &["model", "status"]);
    assert!(
        text.contains(&format!("{}/embeddings", endpoint.url())) && text.contains("API key set"),
        "{text}"
    );

    let found = json(
        &env,
        &[],
        &["search", "--mode", "vector", "async fixtures for pytest"],
    );
    assert_eq!(found["semantic"], true, "{found}");
    assert_eq!(found["results"][0]["id"], ids[1].as_str(), "{found}");

    let reindexed = json(&env, &[], &["reindex", "--force"]);
    assert_eq!(
        (reindexed["model"].as_str(), reindexed["embedded"].as_i64()),
        (Some(MODEL), Some(3))
    );

    let embedded = json(&env, &[], &["model", "embed", "--query", "docker cache"]);
    assert_eq!(
        (
            embedded["model_id"].as_str(),
            embedded["dimension"].as_i64()
        ),
        (Some(MODEL), Some(48))
    );
    let v: Vec<f32> = serde_json::from_value(embedded["vectors"][0].clone()).unwrap();
    let expected = hashed("docker cache", 48);
    let norm = expected.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!(
        v.iter()
            .zip(&expected)
            .all(|(a, b)| (a - b / norm).abs() < 1e-5),
        "unit vector of the endpoint's answer"
    );

    let auth = endpoint.auth.lock().unwrap().clone();
    assert!(
        !auth.is_empty() && auth.iter().all(|h| h == &format!("Bearer {KEY}")),
        "{auth:?}"
    );
}

#[test]
fn a_stalled_down_or_wrong_endpoint_leaves_search_keyword_only_and_publish_without_a_vector() {
    let endpoint = Endpoint::start(Mode::Answer(48));
    let env = Env::new();
    let url = endpoint.url();
    let vars = [
        ("PLURUM_EMBEDDING_URL", url.as_str()),
        ("PLURUM_EMBEDDING_MODEL", MODEL),
        ("PLURUM_EMBEDDING_API_KEY", KEY),
    ];
    publish(&env, &vars, GOALS[0]);
    let keyword_only = |why: &str, vars: &[(&str, &str)]| {
        let started = Instant::now();
        let found = json(&env, vars, &["search", "docker build cache"]);
        // The endpoint holds the request for 120 s; the configured 2 s ends the wait.
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{why}: took {:?}",
            started.elapsed()
        );
        assert_eq!(found["semantic"], false, "{why}: {found}");
        let reason = found["semantic_reason"].as_str().unwrap_or("");
        assert!(
            reason.contains("embedding endpoint") && reason.contains(why),
            "{why}: {reason}"
        );
        assert_eq!(
            found["results"][0]["goal"], GOALS[0],
            "still found by keyword: {found}"
        );
    };

    endpoint.set(Mode::Stall);
    keyword_only("no answer within 2.0 s", &vars);
    let started = Instant::now();
    let stored = publish(&env, &vars, GOALS[1]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(stored["id"].is_string());

    endpoint.set(Mode::WrongJson);
    keyword_only("not an embeddings list", &vars);
    endpoint.set(Mode::Unavailable);
    keyword_only("HTTP 503", &vars);
    let closed = ClosedPort::new();
    let gone = format!("{}/v1", closed.url());
    let down = [
        ("PLURUM_EMBEDDING_URL", gone.as_str()),
        ("PLURUM_EMBEDDING_MODEL", MODEL),
    ];
    keyword_only("cannot reach it", &down);
    let (code, _, stderr) = run(&env, &down, &["search", "docker build cache"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("semantic search is off") || stderr.contains("keyword"),
        "{stderr}"
    );

    let status = json(&env, &vars, &["model", "status"]);
    assert_eq!(status["available"], false);
    assert!(
        status["reason"].as_str().unwrap().contains("HTTP 503"),
        "{status}"
    );
    assert_eq!(
        status["store"]["missing"], 1,
        "the stalled publish stored no vector: {status}"
    );

    // 429 twice, then vectors: reindex waits and retries, and fills the missing one.
    endpoint.set(Mode::TooMany(2, 48));
    let before = endpoint.requests();
    let reindexed = json(&env, &vars, &["reindex"]);
    assert_eq!(reindexed["embedded"], 1, "{reindexed}");
    assert!(endpoint.requests() - before >= 3, "two 429s and the answer");
    assert_eq!(
        json(&env, &vars, &["model", "status"])["store"]["missing"],
        0
    );
    assert_eq!(
        json(&env, &vars, &["search", "docker build cache"])["semantic"],
        true
    );
}

#[test]
fn another_dimension_or_model_is_a_reindex_never_a_mix() {
    let endpoint = Endpoint::start(Mode::Answer(48));
    let env = Env::new();
    let url = endpoint.url();
    let vars = [
        ("PLURUM_EMBEDDING_URL", url.as_str()),
        ("PLURUM_EMBEDDING_MODEL", MODEL),
    ];
    publish(&env, &vars, GOALS[0]);
    publish(&env, &vars, GOALS[1]);

    // The same name now answering 32 dimensions: searched keyword-only, stored without.
    endpoint.set(Mode::Answer(32));
    let found = json(&env, &vars, &["search", "docker build cache"]);
    assert_eq!(found["semantic"], false, "{found}");
    let reason = found["semantic_reason"].as_str().unwrap();
    assert!(
        reason.contains("48") && reason.contains("32") && reason.contains("reindex"),
        "{reason}"
    );
    publish(&env, &vars, GOALS[2]);
    let status = json(&env, &vars, &["model", "status"]);
    assert_eq!(
        (
            status["store"]["dimension"].as_i64(),
            status["store"]["vectors"].as_i64(),
            status["store"]["missing"].as_i64()
        ),
        (Some(48), Some(2), Some(1)),
        "no 32-dimensional vector among the 48: {status}"
    );

    // Another model's name: the store's vectors are not its own.
    let other = [
        ("PLURUM_EMBEDDING_URL", url.as_str()),
        ("PLURUM_EMBEDDING_MODEL", "other-embed"),
    ];
    let found = json(&env, &other, &["search", "docker build cache"]);
    assert!(
        found["semantic_reason"].as_str().unwrap().contains(MODEL),
        "{found}"
    );

    // Configured dimensions are asked for and checked: the server gives 32, not 64.
    let asked = [
        ("PLURUM_EMBEDDING_URL", url.as_str()),
        ("PLURUM_EMBEDDING_MODEL", MODEL),
        ("PLURUM_EMBEDDING_DIMENSIONS", "64"),
    ];
    let status = json(&env, &asked, &["model", "status"]);
    assert!(
        status["reason"]
            .as_str()
            .unwrap()
            .contains("32-dimensional vectors, 64 were expected"),
        "{status}"
    );

    let reindexed = json(&env, &vars, &["reindex"]);
    assert_eq!(
        (
            reindexed["dimension"].as_i64(),
            reindexed["embedded"].as_i64()
        ),
        (Some(32), Some(3)),
        "{reindexed}"
    );
    assert_eq!(
        json(&env, &vars, &["search", "docker build cache"])["semantic"],
        true
    );

    let (code, _, stderr) = run(
        &env,
        &[("PLURUM_EMBEDDING_URL", url.as_str())],
        &["search", "docker"],
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("embedding_model"), "{stderr}");
    assert_ok(&env.run(&["list"]), &["list"]);
}

both_backends!(a_server_sizes_its_vectors_from_the_endpoint_in_use);

/// `plurum serve` with an endpoint of 48 dimensions: the store's vector column is made for
/// them (on Postgres, `vector(48)`), and its search is semantic through the endpoint.
fn a_server_sizes_its_vectors_from_the_endpoint_in_use(backend: Backend) {
    let endpoint = Endpoint::start(Mode::Answer(48));
    let url = endpoint.url();
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(Arc::new(PgDatabase::create())),
    };
    let mut server = Server::spawn(
        database.clone(),
        &["--no-rate-limits"],
        &[
            ("PLURUM_EMBEDDING_URL", url.as_str()),
            ("PLURUM_EMBEDDING_MODEL", MODEL),
        ],
    );
    server.wait_started();
    let key = register(&server, "alice");
    for goal in GOALS {
        create_and_publish(&server, &key, &sample(goal));
    }
    let found = call(
        &server,
        "POST",
        "/experiences/search",
        Some(&key),
        Some(&json!({"query": "rotate postgres credentials"})),
    );
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["semantic"], true, "{}", found.body);
    assert_eq!(found.body["results"][0]["goal"], GOALS[2], "{}", found.body);
    if let Some(db) = database {
        let column: String = db
            .client()
            .query_one(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                 WHERE attrelid = 'experience_vectors'::regclass AND attname = 'embedding'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(column, "vector(48)");
    }
}
