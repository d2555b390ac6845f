//! A small HTTP/1.1 server in a thread, for tests that must see or shape what goes over the
//! wire between the real `plurum` binary and a remote: how many attempts a request took, an
//! answer held back until the test has seen something, a 503, a connection closed before or
//! in the middle of an answer. Each request is handed to the test's policy, which says what
//! to do with it; the default is to forward it to a real upstream (a `plurum serve`) and
//! relay its answer. Every answer closes its connection, so a client never reuses one and
//! every attempt it makes is a connection and a request here.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path with its query (`/api/v1/experiences?limit=100&offset=0`).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When its last byte arrived.
    pub at: Instant,
}

impl Request {
    /// The path without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as bytes, with `Connection: close` instead of any Connection header.
    fn to_upstream_bytes(&self) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        for (k, v) in &self.headers {
            if !k.eq_ignore_ascii_case("connection") {
                out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
            }
        }
        out.extend_from_slice(b"Connection: close\r\n\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

/// What to do with a request.
pub enum Action {
    /// Forward it to the upstream and relay the whole answer.
    Forward,
    /// Answer with this status, a JSON error body and, if given, `Retry-After: N`.
    Status(u16, Option<u64>),
    /// Read the request, then close the connection without a byte of answer.
    Close,
    /// Forward it (the upstream does the work), then relay only the status line and part of
    /// the headers, and close: an answer dropped before its headers ended.
    CutInHeaders,
    /// Forward it, then relay the headers and half the body, and close: an answer dropped in
    /// the middle of its body (the `Content-Length` promises more than comes).
    CutInBody,
    /// The test writes the answer itself (the stream is closed afterwards).
    Custom(Box<dyn FnOnce(&mut TcpStream) + Send>),
}

impl Action {
    fn name(&self) -> String {
        match self {
            Action::Forward => "forward".into(),
            Action::Status(s, _) => format!("status {s}"),
            Action::Close => "close".into(),
            Action::CutInHeaders => "cut in headers".into(),
            Action::CutInBody => "cut in body".into(),
            Action::Custom(_) => "custom".into(),
        }
    }
}

/// A request the server saw, and what it did with it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub method: String,
    pub target: String,
    pub action: String,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

type Policy = dyn Fn(&Request) -> Action + Send + Sync;

pub struct FakeHttp {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeHttp {
    /// A server on a free loopback port that hands each request to `policy`; `upstream`
    /// (`http://127.0.0.1:PORT`) is where [`Action::Forward`] and the cuts send it.
    pub fn start(
        upstream: Option<&str>,
        policy: impl Fn(&Request) -> Action + Send + Sync + 'static,
    ) -> FakeHttp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let upstream = upstream.map(|u| {
            u.trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string()
        });
        let policy: Arc<Policy> = Arc::new(policy);
        let thread = {
            let (seen, connections, stop) = (seen.clone(), connections.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (seen, policy, upstream) = (seen.clone(), policy.clone(), upstream.clone());
                    std::thread::spawn(move || serve(stream, &*policy, upstream.as_deref(), &seen));
                }
            })
        };
        FakeHttp {
            url: format!("http://127.0.0.1:{port}"),
            port,
            seen,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    /// Every request seen so far, in order of arrival.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests seen for a method and path (query left out).
    pub fn seen_for(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == method && s.path() == path)
            .collect()
    }

    /// TCP connections accepted so far, with or without a request on them.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FakeHttp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request; `None` when the connection ends first (a bare connect, as a probe).
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    assert!(
        !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding")),
        "a chunked request body: not handled by this test server"
    );
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Request {
        method,
        target,
        headers,
        body,
        at: Instant::now(),
    })
}

/// The upstream's whole answer to `request` (it closes the connection after it).
fn forward(upstream: Option<&str>, request: &Request) -> Vec<u8> {
    let upstream = upstream.expect("an action that forwards needs an upstream");
    let mut conn = TcpStream::connect(upstream).expect("connect to the upstream");
    // A guard against a hang, not a time anything is expected to take.
    conn.set_read_timeout(Some(Duration::from_secs(300)))
        .unwrap();
    conn.write_all(&request.to_upstream_bytes()).unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer)
        .expect("read the upstream's answer");
    answer
}

fn serve(mut stream: TcpStream, policy: &Policy, upstream: Option<&str>, seen: &Mutex<Vec<Seen>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(300)))
        .unwrap();
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let action = policy(&request);
    seen.lock().unwrap().push(Seen {
        at: request.at,
        method: request.method.clone(),
        target: request.target.clone(),
        action: action.name(),
    });
    match action {
        Action::Forward => {
            let answer = forward(upstream, &request);
            let _ = stream.write_all(&answer);
        }
        Action::Status(status, retry_after) => {
            let body = format!(
                r#"{{"detail":"the test server answers {status}","error":"the test server answers {status}"}}"#
            );
            let mut head = format!(
                "HTTP/1.1 {status} Test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(secs) = retry_after {
                head.push_str(&format!("Retry-After: {secs}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Action::Close => {}
        Action::CutInHeaders => {
            let answer = forward(upstream, &request);
            let head_end = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("an answer with headers");
            // The status line and half of what follows it, up to the blank line.
            let status_end = answer.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
            let cut = status_end + (head_end - status_end) / 2;
            let _ = stream.write_all(&answer[..cut]);
        }
        Action::CutInBody => {
            let answer = forward(upstream, &request);
            let body_start = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("an answer with headers")
                + 4;
            let body_len = answer.len() - body_start;
            assert!(body_len >= 2, "an answer with a body to cut");
            let _ = stream.write_all(&answer[..body_start + body_len / 2]);
        }
        Action::Custom(write) => write(&mut stream),
    }
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

/// A gate a policy can hold a request at until the test has seen what it waits for (a
/// progress bar drawn mid-way, say). Opened once, it stays open.
#[derive(Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, std::sync::Condvar)>);

impl Gate {
    pub fn new() -> Gate {
        Gate::default()
    }

    pub fn open(&self) {
        let (open, changed) = &*self.0;
        *open.lock().unwrap() = true;
        changed.notify_all();
    }

    /// Waits until the gate is open. After ten minutes it lets the request through anyway:
    /// a guard against a hung test, not a time anything is expected to take (the test fails
    /// on its own deadline long before).
    pub fn wait(&self) {
        let (open, changed) = &*self.0;
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut is_open = open.lock().unwrap();
        while !*is_open {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            is_open = changed.wait_timeout(is_open, left).unwrap().0;
        }
    }
}
