//! Pause points for tests that interrupt a process, and for nothing else.
//!
//! A test that sends SIGINT, SIGTERM or SIGKILL "once a batch is committed" or "while a
//! create is in flight" cannot rely on timing: on a busy machine the process may finish
//! before the signal arrives, or not have started. With `PLURUM_TEST_PAUSE_AT=NAME` (or
//! `NAME#N`, the Nth time; several separated by commas) the process stops itself with
//! SIGSTOP when it reaches that point, after one line on stderr. The test waits for the stop
//! (the process's state in `/proc`), sends its signal, and resumes it with SIGCONT when the
//! signal should act. A process not started with the variable never pauses; the names are
//! listed where they are reached (`grep -rn test_pause::reached src`).

use std::sync::Mutex;
use std::sync::OnceLock;

/// The variable the points read. Named for what it is: tests only.
pub const VAR: &str = "PLURUM_TEST_PAUSE_AT";

/// Each point named by the variable: (name, the occurrence that pauses, occurrences so far).
fn points() -> &'static Mutex<Vec<(String, u64, u64)>> {
    static POINTS: OnceLock<Mutex<Vec<(String, u64, u64)>>> = OnceLock::new();
    POINTS.get_or_init(|| {
        let spec = std::env::var(VAR).unwrap_or_default();
        Mutex::new(
            spec.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| match s.split_once('#') {
                    Some((name, n)) => (name.to_string(), n.parse().unwrap_or(1).max(1), 0),
                    None => (s.to_string(), 1, 0),
                })
                .collect(),
        )
    })
}

/// Marks that the process has reached the point `name`; stops it there if a test asked to.
pub fn reached(name: &str) {
    let pause = {
        let mut points = points().lock().unwrap_or_else(|e| e.into_inner());
        let mut pause = None;
        for (point, at, seen) in points.iter_mut() {
            if point == name {
                *seen += 1;
                if *seen == *at {
                    pause = Some(*at);
                }
            }
        }
        pause
    };
    if let Some(n) = pause {
        eprintln!("plurum: {VAR}: stopped at {name}#{n}; SIGCONT resumes");
        stop();
    }
}

#[cfg(unix)]
fn stop() {
    // SAFETY: raising a signal in our own process; SIGSTOP cannot be caught, so no handler
    // of ours runs.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

#[cfg(not(unix))]
fn stop() {}
