//! Talking to a remote collective: the hosted Plurum API or another machine's `plurum serve`.
//!
//! A small blocking client (ureq, already in the build for model downloads) with short
//! connect timeouts, retries with exponential backoff on 429, 5xx, timeouts and connections
//! dropped mid-answer (honouring `Retry-After`), and errors that say which remote failed and
//! how. A refused connection or an unknown host is not retried: nothing is listening there,
//! and waiting will not change that, so the command fails at once.

use std::time::Duration;

use serde_json::Value;

use crate::config::Config;
use crate::error::{Error, Result};

/// The hosted collective.
pub const DEFAULT_REMOTE: &str = "https://api.plurum.ai";

/// Where the remote is and how to sign in, from the environment (which wins, as in the
/// Plurum plugins) or the config file.
#[derive(Debug, Clone)]
pub struct RemoteSettings {
    pub url: String,
    pub api_key: Option<String>,
    /// Where the key came from, for `plurum remote show`.
    pub key_source: Option<&'static str>,
}

impl RemoteSettings {
    pub fn resolve(config: &Config) -> RemoteSettings {
        let env = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let from_config = config.remote.clone().unwrap_or_default();
        let url = env("PLURUM_API_URL")
            .or(from_config.url)
            .unwrap_or_else(|| DEFAULT_REMOTE.to_string());
        let (api_key, key_source) = match env("PLURUM_API_KEY") {
            Some(k) => (Some(k), Some("PLURUM_API_KEY")),
            None => match from_config.api_key {
                Some(k) => (Some(k), Some("config file")),
                None => (None, None),
            },
        };
        RemoteSettings {
            url: url.trim_end_matches('/').to_string(),
            api_key,
            key_source,
        }
    }
}

/// A failed call: the HTTP status when the remote answered, and its message.
#[derive(Debug, Clone)]
pub struct RemoteError {
    pub status: Option<u16>,
    pub detail: String,
    pub body: Value,
}

pub struct Remote {
    pub url: String,
    key: Option<String>,
    http: ureq::Agent,
    retries: u32,
    /// Longest `Retry-After` worth waiting for; beyond it the call fails (run again later).
    max_wait: Duration,
}

impl Remote {
    pub fn new(settings: &RemoteSettings) -> Remote {
        let http = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout_read(Duration::from_secs(30))
            .timeout_write(Duration::from_secs(30))
            .user_agent(concat!("plurum/", env!("CARGO_PKG_VERSION")))
            .build();
        let retries = std::env::var("PLURUM_SYNC_RETRIES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5);
        Remote {
            url: settings.url.clone(),
            key: settings.api_key.clone(),
            http,
            retries,
            max_wait: Duration::from_secs(60),
        }
    }

    /// For a question someone is waiting on beside a local answer (`search --remote`): a
    /// 2 s connect timeout, 10 s for the whole call, no retries. The local results never
    /// wait long for a remote that is down or slow.
    pub fn interactive(settings: &RemoteSettings) -> Remote {
        let mut remote = Remote::new(settings);
        remote.http = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(2))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("plurum/", env!("CARGO_PKG_VERSION")))
            .build();
        remote.retries = 0;
        remote
    }

    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// Fails unless a key is configured (every write needs one).
    pub fn require_key(&self) -> Result<()> {
        if self.key.is_none() {
            return Err(Error::Unauthenticated(format!(
                "no API key for {}: run `plurum agent register NAME USERNAME`, or set PLURUM_API_KEY",
                self.url
            )));
        }
        Ok(())
    }

    pub fn get(&self, path: &str) -> std::result::Result<Value, RemoteError> {
        self.call("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> std::result::Result<Value, RemoteError> {
        self.call("POST", path, Some(body))
    }

    /// One API call, retried with exponential backoff on 429, 5xx, timeouts and connections
    /// dropped mid-answer; a refused connection or an unknown host fails at once.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Value, RemoteError> {
        let url = format!("{}/api/v1{path}", self.url);
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(method, &url)
                .set("Accept", "application/json");
            if let Some(key) = &self.key {
                request = request.set("Authorization", &format!("Bearer {key}"));
            }
            let result = match body {
                Some(b) => request.send_json(b),
                None => request.call(),
            };
            let backoff = Duration::from_millis(500 * (1 << attempt.min(6)));
            let (wait, error) = match result {
                // The body read to its end, or the connection dropped mid-answer: retried like
                // any dropped connection (taking the half we got as an empty answer made a
                // pull find nothing and succeed).
                Ok(response) => match response.into_string() {
                    Ok(text) => return Ok(serde_json::from_str(&text).unwrap_or(Value::Null)),
                    Err(e) => (
                        backoff,
                        RemoteError {
                            status: None,
                            detail: format!("the answer was cut off: {e}"),
                            body: Value::Null,
                        },
                    ),
                },
                Err(ureq::Error::Status(status, response)) => {
                    let retry_after = response
                        .header("Retry-After")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = response.into_string().unwrap_or_default();
                    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    let detail = body["detail"]
                        .as_str()
                        .or_else(|| body["error"].as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            if body.is_null() {
                                text.chars().take(200).collect()
                            } else {
                                body["detail"].to_string()
                            }
                        });
                    let error = RemoteError {
                        status: Some(status),
                        detail,
                        body,
                    };
                    if status != 429 && status < 500 {
                        return Err(error);
                    }
                    (retry_after.unwrap_or(backoff), error)
                }
                Err(ureq::Error::Transport(t)) => {
                    let error = RemoteError {
                        status: None,
                        detail: t.to_string(),
                        body: Value::Null,
                    };
                    if !transport_retryable(&t) {
                        return Err(error);
                    }
                    (backoff, error)
                }
            };
            attempt += 1;
            if attempt > self.retries || wait > self.max_wait {
                return Err(error);
            }
            std::thread::sleep(wait);
        }
    }

    /// Turns a failed call into the error users see (exit code 7), naming the remote.
    pub fn fail(&self, what: &str, e: RemoteError) -> Error {
        let why = match e.status {
            Some(429) => format!(
                "rate limited ({}); run it again later, it resumes where it stopped",
                e.detail
            ),
            Some(401) => format!(
                "401 {}: check the API key (`plurum agent whoami`)",
                e.detail
            ),
            Some(status) => format!("{status} {}", e.detail),
            None => format!("unreachable ({})", e.detail),
        };
        Error::Remote(format!("{what} at {}: {why}", self.url))
    }
}

/// Whether a transport failure may go away on its own: a timeout (connecting or waiting for
/// the answer) or a connection dropped after it was made. A refused connection, an unknown
/// host or a bad URL will not, so they are not retried.
fn transport_retryable(t: &ureq::Transport) -> bool {
    use std::error::Error as _;
    let io = t
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    let timed_out = matches!(
        io,
        Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
    ) || t.to_string().contains("timed out");
    match t.kind() {
        // The connection was made and then broke: a read timeout, a reset, an early close.
        ureq::ErrorKind::Io => io != Some(std::io::ErrorKind::ConnectionRefused),
        ureq::ErrorKind::ConnectionFailed => timed_out,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport_error(url: &str) -> ureq::Transport {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(2))
            .build();
        match agent.get(url).call() {
            Err(ureq::Error::Transport(t)) => t,
            other => panic!("expected a transport error from {url}: {other:?}"),
        }
    }

    #[test]
    fn a_refused_connection_is_not_retried() {
        // A port nothing listens on: bind one, then let it go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let refused = transport_error(&format!("http://127.0.0.1:{port}/"));
        assert!(!transport_retryable(&refused), "{refused}");
    }

    #[test]
    fn a_read_timeout_is_retried() {
        // Accepts the connection and never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let agent = ureq::AgentBuilder::new()
            .timeout_read(Duration::from_millis(200))
            .build();
        let t = match agent.get(&url).call() {
            Err(ureq::Error::Transport(t)) => t,
            other => panic!("expected a timeout: {other:?}"),
        };
        drop(listener);
        assert!(transport_retryable(&t), "{t}");
    }
}
