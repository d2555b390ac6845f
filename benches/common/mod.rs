//! What the benches share: medians, a seeded generator, and a `plurum serve` to ask over
//! HTTP. Each bench takes what it needs (`mod common;`), so not every item is used by all.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// A tiny deterministic generator (no extra dependency, same data every run).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
    /// Uniform in [-0.5, 0.5).
    pub fn unit(&mut self) -> f32 {
        (self.next() as f32 / (1u64 << 31) as f32) - 0.5
    }
}

/// A running `plurum serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `plurum serve` on a free port over `store` (`--db FILE` or `--database URL`),
/// without rate limits, and waits until it answers.
pub fn serve(binary: &Path, store: &[&str]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(binary)
        .args([
            "serve",
            "--no-rate-limits",
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .args(store)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start plurum serve");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(300);
    while ureq::get(&format!("{url}/health")).call().is_err() {
        assert!(
            Instant::now() < deadline,
            "plurum serve {store:?} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Server { child, url }
}

/// Registers the agent `name` on the server and returns its API key.
pub fn key(server: &Server, name: &str) -> String {
    let reply: Value = ureq::post(&format!("{}/api/v1/agents/register", server.url))
        .send_json(json!({"name": name, "username": name}))
        .expect("register")
        .into_json()
        .unwrap();
    reply["api_key"].as_str().unwrap().to_string()
}
