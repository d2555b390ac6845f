//! An OpenAI-compatible embedding endpoint (`POST {url}/embeddings`, as OpenAI, Ollama's
//! `/v1`, llama.cpp's server and vLLM answer it), for users who would rather not run the
//! model in process. Chosen by setting `embedding_url`; the local model stays the default.
//!
//! Every failure here is one the caller can carry on from (search goes keyword-only, a
//! publish stores the experience without a vector), so each is an `Error::Remote` with the
//! reason, and none takes longer than the configured timeout for a query. The API key goes
//! in a header and nowhere else: it is scrubbed from every message built here.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::error::{Error, Result};

/// How long a query's embedding may take by default before search goes keyword-only.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Texts per request (OpenAI takes up to 2,048; smaller servers prefer fewer).
const BATCH_TEXTS: usize = 64;

/// How long one request of bulk work (`reindex`) may take: a batch of long texts on a busy
/// server takes more than a query's few seconds.
const BULK_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Attempts per request of bulk work when the server answers 429 or 5xx.
const BULK_ATTEMPTS: u32 = 5;

/// The longest `Retry-After` honoured; a server asking for more is treated as down.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Where the endpoint is and how to call it.
#[derive(Clone, PartialEq, Eq)]
pub struct EndpointOptions {
    /// The API's base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    pub url: String,
    /// The model name sent with each request; also the id recorded for its vectors.
    pub model: String,
    pub api_key: Option<String>,
    /// Asked of the server (OpenAI's `dimensions`) and checked against its answers.
    pub dimensions: Option<usize>,
    /// The longest a query's embedding may take, retries included.
    pub timeout: Duration,
}

impl std::fmt::Debug for EndpointOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointOptions")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "(set)"))
            .field("dimensions", &self.dimensions)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl EndpointOptions {
    /// The URL as shown to users: no credentials in it.
    pub fn display_url(&self) -> String {
        redact_userinfo(&self.url)
    }
}

/// How long to keep at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// A search or a publish: everything, retries included, within the configured timeout.
    Interactive,
    /// `reindex`: longer requests, 429 and 5xx retried with backoff.
    Bulk,
}

pub struct Endpoint {
    options: EndpointOptions,
    /// The dimension of the vectors it gives, once known (configured or seen).
    dim: OnceLock<usize>,
}

impl Endpoint {
    pub fn new(options: EndpointOptions) -> Endpoint {
        let dim = OnceLock::new();
        if let Some(d) = options.dimensions {
            let _ = dim.set(d);
        }
        Endpoint { options, dim }
    }

    pub fn options(&self) -> &EndpointOptions {
        &self.options
    }

    /// The vectors' dimension if already known, without asking the server.
    pub fn known_dim(&self) -> Option<usize> {
        self.dim.get().copied()
    }

    /// The vectors' dimension, asking the server (one short text) if not yet known.
    pub fn dimension(&self) -> Result<usize> {
        if let Some(d) = self.known_dim() {
            return Ok(d);
        }
        let v = self.embed(&["dimension".to_string()], Patience::Interactive)?;
        Ok(v[0].len())
    }

    /// Unit vectors of `texts` (already prefixed), in order.
    pub fn embed(&self, texts: &[String], patience: Patience) -> Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH_TEXTS) {
            out.extend(self.embed_batch(batch, patience)?);
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[String], patience: Patience) -> Result<Vec<Vec<f32>>> {
        let started = Instant::now();
        let url = format!("{}/embeddings", self.options.url.trim_end_matches('/'));
        let mut body = json!({"model": self.options.model, "input": texts});
        if let Some(d) = self.options.dimensions {
            body["dimensions"] = json!(d);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let timeout = match patience {
                Patience::Interactive => self.options.timeout.saturating_sub(started.elapsed()),
                Patience::Bulk => BULK_REQUEST_TIMEOUT.max(self.options.timeout),
            };
            if timeout.is_zero() {
                return Err(self.fail(format!(
                    "no answer within {}",
                    seconds(self.options.timeout)
                )));
            }
            let agent = ureq::AgentBuilder::new().timeout(timeout).build();
            let mut request = agent.post(&url).set("Content-Type", "application/json");
            if let Some(key) = &self.options.api_key {
                request = request.set("Authorization", &format!("Bearer {key}"));
            }
            let retry_after = match request.send_json(&body) {
                Ok(response) => {
                    let answer: Value = response
                        .into_json()
                        .map_err(|e| self.fail(format!("its answer is not JSON: {e}")))?;
                    return self.vectors(answer, texts.len());
                }
                Err(ureq::Error::Status(code, response)) if code == 429 || code >= 500 => {
                    let wait = response
                        .header("Retry-After")
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .map(Duration::from_secs_f64);
                    let why = format!("it answered HTTP {code}");
                    if wait.is_some_and(|w| w > MAX_RETRY_AFTER) {
                        return Err(self.fail(why));
                    }
                    (why, wait)
                }
                Err(ureq::Error::Status(code, response)) => {
                    let text = response.into_string().unwrap_or_default();
                    let text: String = text.chars().take(300).collect();
                    return Err(self.fail(format!("it answered HTTP {code}: {}", text.trim())));
                }
                Err(ureq::Error::Transport(t)) => {
                    let timed_out = t.to_string().contains("timed out")
                        || started.elapsed() + Duration::from_millis(50) >= timeout;
                    return Err(self.fail(if timed_out {
                        format!("no answer within {}", seconds(timeout))
                    } else {
                        format!("cannot reach it: {t}")
                    }));
                }
            };
            let (why, asked) = retry_after;
            let backoff = Duration::from_millis(250 << attempt.min(6));
            let wait = asked.unwrap_or(backoff);
            let give_up = match patience {
                Patience::Interactive => started.elapsed() + wait >= self.options.timeout,
                Patience::Bulk => attempt >= BULK_ATTEMPTS,
            };
            if give_up {
                return Err(self.fail(format!("{why} ({attempt} attempts)")));
            }
            std::thread::sleep(wait);
        }
    }

    /// The vectors in an answer: OpenAI's `{"data": [{"index", "embedding"}]}`, or a bare
    /// `{"embeddings": [[…]]}` (Ollama's own API); each checked and made unit length.
    fn vectors(&self, answer: Value, expected: usize) -> Result<Vec<Vec<f32>>> {
        let wrong = |why: &str| self.fail(format!("its answer is not an embeddings list: {why}"));
        let mut rows: Vec<(usize, &Value)> = match (answer.get("data"), answer.get("embeddings")) {
            (Some(Value::Array(data)), _) => data
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let index = item
                        .get("index")
                        .and_then(Value::as_u64)
                        .map_or(i, |n| n as usize);
                    (index, item.get("embedding").unwrap_or(&Value::Null))
                })
                .collect(),
            (_, Some(Value::Array(list))) => list.iter().enumerate().collect(),
            _ => return Err(wrong("no \"data\" array")),
        };
        if rows.len() != expected {
            return Err(wrong(&format!(
                "{} vectors for {expected} texts",
                rows.len()
            )));
        }
        rows.sort_by_key(|(i, _)| *i);
        let mut out = Vec::with_capacity(rows.len());
        for (_, value) in rows {
            let floats = value
                .as_array()
                .ok_or_else(|| wrong("an \"embedding\" is not a list of numbers"))?
                .iter()
                .map(|x| x.as_f64().map(|x| x as f32))
                .collect::<Option<Vec<f32>>>()
                .ok_or_else(|| wrong("an \"embedding\" holds something other than numbers"))?;
            if floats.is_empty() || floats.iter().any(|x| !x.is_finite()) {
                return Err(wrong("an \"embedding\" is empty or not finite"));
            }
            out.push(unit(floats));
        }
        let dim = out[0].len();
        if out.iter().any(|v| v.len() != dim) {
            return Err(wrong("its vectors differ in length"));
        }
        let expected_dim = *self.dim.get_or_init(|| dim);
        if dim != expected_dim {
            return Err(self.fail(format!(
                "it gave {dim}-dimensional vectors, {expected_dim} were expected{}",
                if self.options.dimensions.is_some() {
                    " (embedding_dimensions)"
                } else {
                    " (its earlier answers)"
                }
            )));
        }
        Ok(out)
    }

    /// An `Error::Remote` naming the endpoint, with the key scrubbed out.
    fn fail(&self, why: String) -> Error {
        let mut message = format!(
            "the embedding endpoint {} ({}): {why}",
            self.options.display_url(),
            self.options.model
        );
        if let Some(key) = self.options.api_key.as_deref().filter(|k| k.len() >= 4) {
            message = message.replace(key, "[key]");
        }
        Error::Remote(message)
    }
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// `scheme://user:pass@host/...` without `user:pass@`.
fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{}", &rest[end..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(dimensions: Option<usize>) -> Endpoint {
        Endpoint::new(EndpointOptions {
            url: "http://user:secret-key@localhost:1/v1".into(),
            model: "m".into(),
            api_key: Some("sk-123456".into()),
            dimensions,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    #[test]
    fn answers_are_read_in_index_order_and_made_unit_length() {
        let e = endpoint(None);
        let answer = json!({"data": [
            {"index": 1, "embedding": [0.0, 2.0]},
            {"index": 0, "embedding": [3.0, 4.0]},
        ]});
        let v = e.vectors(answer, 2).unwrap();
        assert_eq!(v, vec![vec![0.6, 0.8], vec![0.0, 1.0]]);
        assert_eq!(e.known_dim(), Some(2));
        let ollama = json!({"embeddings": [[1.0, 0.0]]});
        assert_eq!(e.vectors(ollama, 1).unwrap(), vec![vec![1.0, 0.0]]);
    }

    #[test]
    fn wrong_answers_are_refused_with_the_reason() {
        let e = endpoint(Some(3));
        for (answer, says) in [
            (json!({"object": "list"}), "no \"data\""),
            (json!({"data": [{"embedding": "x"}]}), "not a list"),
            (
                json!({"data": [{"embedding": [1.0, "a"]}]}),
                "other than numbers",
            ),
            (json!({"data": []}), "0 vectors for 1 texts"),
            (
                json!({"data": [{"embedding": [1.0, 2.0]}]}),
                "2-dimensional",
            ),
        ] {
            let err = e.vectors(answer, 1).unwrap_err().to_string();
            assert!(err.contains(says), "{err}");
            assert!(!err.contains("secret-key"), "{err}");
        }
    }

    #[test]
    fn the_key_and_url_credentials_never_reach_a_message() {
        let e = endpoint(None);
        let err = e.fail("it said sk-123456 was wrong".into()).to_string();
        assert!(
            !err.contains("sk-123456") && !err.contains("secret-key"),
            "{err}"
        );
        assert!(err.contains("http://localhost:1/v1"), "{err}");
        assert!(!format!("{:?}", e.options()).contains("sk-123456"));
    }
}
