//! Rate-limit windows in the database (migrations/postgres/0002), shared by every server on
//! it: one statement counts a request atomically (the row's lock orders concurrent ones),
//! so N servers together admit exactly the budget per window, never N times it.

use std::time::Duration;

use super::PgStore;
use crate::error::Result;
use crate::store::RateWindows;

impl RateWindows for PgStore {
    fn count(&self, key: &str, limit: u32, period: Duration) -> Result<(bool, u64)> {
        count(&mut *self.conn()?, key, limit, period)
    }
}

fn count(c: &mut postgres::Client, key: &str, limit: u32, period: Duration) -> Result<(bool, u64)> {
    let limit = i32::try_from(limit).unwrap_or(i32::MAX - 1);
    let seconds = period.as_secs_f64();
    let row = c.query_one(
        "INSERT INTO plurum_rate_windows AS w (key, started_at, count)
         VALUES ($1, clock_timestamp(), 1)
         ON CONFLICT (key) DO UPDATE SET
            started_at = CASE WHEN w.started_at <= clock_timestamp() - make_interval(secs => $2)
                              THEN clock_timestamp() ELSE w.started_at END,
            count = CASE WHEN w.started_at <= clock_timestamp() - make_interval(secs => $2)
                         THEN 1 ELSE least(w.count + 1, $3 + 1) END
         RETURNING count,
            extract(epoch FROM started_at + make_interval(secs => $2) - clock_timestamp())::float8",
        &[&key, &seconds, &limit],
    )?;
    let (n, wait): (i32, f64) = (row.get(0), row.get(1));
    if fastrand_sweep() {
        c.execute(
            "DELETE FROM plurum_rate_windows WHERE started_at < clock_timestamp() - interval '2 days'",
            &[],
        )?;
    }
    Ok((n <= limit, wait.max(0.0).ceil() as u64))
}

/// About one request in a thousand sweeps windows long over (bounds the table).
fn fastrand_sweep() -> bool {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed) % 1000 == 999
}
