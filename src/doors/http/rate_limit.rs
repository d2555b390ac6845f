//! Per-caller rate limits with the hosted service's buckets and defaults (reference §5.3):
//! counted per agent (or client address when anonymous) and per concrete request path, in
//! fixed windows, in memory. Unlike the hosted 429 ours carries `Retry-After`. A server on a
//! store that keeps windows (Postgres) counts there instead, so that the servers sharing it
//! share the budgets (`Caller::limit`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use super::plumbing::ApiError;

/// The buckets of reference §5.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    ExperienceWrite,
    Feedback,
    Acquire,
    SessionWrite,
    SessionEntry,
    CheckUsername,
    Register,
    Search,
    Read,
}

impl Bucket {
    pub const ALL: [Bucket; 9] = [
        Bucket::ExperienceWrite,
        Bucket::Feedback,
        Bucket::Acquire,
        Bucket::SessionWrite,
        Bucket::SessionEntry,
        Bucket::CheckUsername,
        Bucket::Register,
        Bucket::Search,
        Bucket::Read,
    ];

    /// The name used by `--rate-limit NAME=N/PERIOD` (the hosted env var without its prefix).
    pub fn name(self) -> &'static str {
        match self {
            Bucket::ExperienceWrite => "experience_write",
            Bucket::Feedback => "feedback",
            Bucket::Acquire => "acquire",
            Bucket::SessionWrite => "session_write",
            Bucket::SessionEntry => "session_entry",
            Bucket::CheckUsername => "check_username",
            Bucket::Register => "register",
            Bucket::Search => "search",
            Bucket::Read => "read",
        }
    }

    /// The hosted service's default.
    pub fn default_limit(self) -> Limit {
        let (count, period) = match self {
            Bucket::ExperienceWrite => (60, Period::Hour),
            Bucket::Feedback => (120, Period::Hour),
            Bucket::Acquire => (60, Period::Minute),
            Bucket::SessionWrite => (30, Period::Hour),
            Bucket::SessionEntry => (300, Period::Hour),
            Bucket::CheckUsername => (30, Period::Minute),
            Bucket::Register => (60, Period::Hour),
            Bucket::Search => (30, Period::Minute),
            Bucket::Read => (120, Period::Minute),
        };
        Limit { count, period }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Second,
    Minute,
    Hour,
    Day,
}

impl Period {
    pub(crate) fn duration(self) -> Duration {
        Duration::from_secs(match self {
            Period::Second => 1,
            Period::Minute => 60,
            Period::Hour => 3600,
            Period::Day => 86_400,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Period::Second => "second",
            Period::Minute => "minute",
            Period::Hour => "hour",
            Period::Day => "day",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub period: Period,
}

/// Parses `--rate-limit` values: `search=100/minute`, `feedback=1000/hour`, `read=off`.
pub fn parse_override(text: &str) -> Result<(Bucket, Option<Limit>), String> {
    let names: Vec<&str> = Bucket::ALL.iter().map(|b| b.name()).collect();
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=N/PERIOD (e.g. search=100/minute), got {text:?}"))?;
    let name = name.trim().to_ascii_lowercase().replace('-', "_");
    let bucket = Bucket::ALL
        .into_iter()
        .find(|b| b.name() == name)
        .ok_or_else(|| format!("unknown bucket {name:?}; use one of {}", names.join(", ")))?;
    let value = value.trim().to_ascii_lowercase();
    if value == "off" || value == "none" {
        return Ok((bucket, None));
    }
    let (count, period) = value
        .split_once('/')
        .ok_or_else(|| format!("expected N/PERIOD after '=', got {value:?}"))?;
    let count: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("the count must be a positive whole number, got {count:?}"))?;
    let period = match period.trim().trim_end_matches('s') {
        "second" | "sec" => Period::Second,
        "minute" | "min" => Period::Minute,
        "hour" | "h" => Period::Hour,
        "day" | "d" => Period::Day,
        other => {
            return Err(format!(
                "unknown period {other:?}; use second, minute, hour or day"
            ));
        }
    };
    Ok((bucket, Some(Limit { count, period })))
}

struct Window {
    started: Instant,
    count: u32,
}

/// The counters of one server process.
pub struct Limiter {
    limits: HashMap<Bucket, Limit>,
    windows: Mutex<HashMap<(Bucket, String, String), Window>>,
}

/// Above this many live counters, expired ones are swept (bounds memory under many paths).
const SWEEP_AT: usize = 50_000;

impl Limiter {
    /// Limits off entirely (`--no-rate-limits`).
    pub fn disabled() -> Limiter {
        Limiter {
            limits: HashMap::new(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The hosted defaults with `overrides` applied (`None` switches a bucket off).
    pub fn new(overrides: &[(Bucket, Option<Limit>)]) -> Limiter {
        let mut limits: HashMap<Bucket, Limit> = Bucket::ALL
            .into_iter()
            .map(|b| (b, b.default_limit()))
            .collect();
        for (bucket, limit) in overrides {
            match limit {
                Some(l) => limits.insert(*bucket, *l),
                None => limits.remove(bucket),
            };
        }
        Limiter {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn check(&self, bucket: Bucket, key: &str, path: &str) -> Result<(), ApiError> {
        let Some(limit) = self.limits.get(&bucket).copied() else {
            return Ok(());
        };
        let period = limit.period.duration();
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, w| now.duration_since(w.started) < Duration::from_secs(86_400));
        }
        let window = windows
            .entry((bucket, key.to_string(), path.to_string()))
            .or_insert(Window {
                started: now,
                count: 0,
            });
        if now.duration_since(window.started) >= period {
            window.started = now;
            window.count = 0;
        }
        if window.count >= limit.count {
            let wait = period.saturating_sub(now.duration_since(window.started));
            return Err(refusal(limit, wait.as_secs()));
        }
        window.count += 1;
        Ok(())
    }

    /// The limit of a bucket, `None` when it is off.
    pub(crate) fn limit_of(&self, bucket: Bucket) -> Option<Limit> {
        self.limits.get(&bucket).copied()
    }
}

/// The 429 for a request over `limit`, to be retried after `wait_secs` (at least 1).
pub(crate) fn refusal(limit: Limit, wait_secs: u64) -> ApiError {
    ApiError::Raw {
        status: StatusCode::TOO_MANY_REQUESTS,
        body: crate::doors::api::rate_limited(limit.count, limit.period.name()),
        retry_after: Some(wait_secs.max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_overrides() {
        assert_eq!(
            parse_override("search=100/minute").unwrap(),
            (
                Bucket::Search,
                Some(Limit {
                    count: 100,
                    period: Period::Minute
                })
            )
        );
        assert_eq!(parse_override("read=off").unwrap(), (Bucket::Read, None));
        assert!(
            parse_override("nope=1/minute")
                .unwrap_err()
                .contains("unknown bucket")
        );
        assert!(parse_override("search=0/minute").is_err());
        assert!(parse_override("search=5/fortnight").is_err());
    }

    #[test]
    fn counts_per_key_and_path() {
        let limiter = Limiter::new(&[(
            Bucket::Feedback,
            Some(Limit {
                count: 2,
                period: Period::Hour,
            }),
        )]);
        let a = "agent:a";
        assert!(limiter.check(Bucket::Feedback, a, "/x/1/vote").is_ok());
        assert!(limiter.check(Bucket::Feedback, a, "/x/1/vote").is_ok());
        assert!(limiter.check(Bucket::Feedback, a, "/x/1/vote").is_err());
        // Another experience's path and another agent have their own budgets.
        assert!(limiter.check(Bucket::Feedback, a, "/x/2/vote").is_ok());
        assert!(
            limiter
                .check(Bucket::Feedback, "agent:b", "/x/1/vote")
                .is_ok()
        );
        assert!(
            Limiter::disabled()
                .check(Bucket::Feedback, a, "/x/1/vote")
                .is_ok()
        );
    }
}
