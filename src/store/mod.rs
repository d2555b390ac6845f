//! The storage boundary: everything the operations may ask of a store, and nothing about
//! how a store keeps it. The operations reach persistence only through [`Store`] and the
//! [`Tx`] it lends them; validation, quality, assembly, the secret scan and ranking live
//! above this line, written once. [`sqlite`] is the implementation (one file per store; the
//! CLI's, and `plurum serve`'s by default); all SQL in plurum lives under it.
//!
//! atuin's server is the model: its `Database` trait is what the server sees, and the SQLite
//! and Postgres crates implement it. [`postgres`] is the second implementation, for
//! `plurum serve --database postgres://…` (several servers on one database).

pub mod postgres;
mod records;
mod sql;
pub mod sqlite;
mod tx;

use std::path::Path;

use crate::error::{Error, Result};

pub use records::{
    Eligibility, FeedbackCounts, FileFacts, IndexCounts, KeywordPlan, KeywordQuery, KeywordStats,
    LatestFeedback, ListFilter, SyncRow, VectorMethod,
};
pub use sqlite::SCHEMA_VERSION;
pub use tx::{
    AgentTx, ExperienceTx, FeedbackTx, InboxTx, MaintenanceTx, SearchTx, SessionTx, SyncTx, Tx,
    VectorTx,
};

/// What [`Tx::walk_vectors`] calls with each piece of the stored vectors: the piece's rows
/// (`dim` floats each), and (row in the piece, seq) of the wanted ones.
pub type VectorVisitor<'a> = dyn FnMut(&[f32], &[(usize, i64)]) + 'a;

/// What [`Tx::walk_vector_codes`] calls with each block of stored codes: the block's codes
/// (by slot), and (slot, seq) of the wanted ones.
pub type CodeVisitor<'a> = dyn FnMut(&[u8], &[(usize, i64)]) + 'a;

/// The most vectors one call of [`Tx::walk_vectors`]' visitor receives.
pub const SCAN_PIECE: usize = sqlite::sqlite_vec::SCAN_PIECE;

/// Where a long upgrade of a store (a migration that rewrites an index) reports how far it
/// is: (what it does, done, total). The CLI draws a bar on a terminal; `plurum serve` logs.
#[derive(Clone)]
pub struct UpgradeProgress(pub std::sync::Arc<UpgradeReport>);

/// Called with (what is being done, done, total).
pub type UpgradeReport = dyn Fn(&str, u64, u64) + Send + Sync;

impl UpgradeProgress {
    /// Reports nothing.
    pub fn silent() -> UpgradeProgress {
        UpgradeProgress(std::sync::Arc::new(|_, _, _| {}))
    }
    /// Logs (for `plurum serve`): each tenth of the work, and its end.
    pub fn logged() -> UpgradeProgress {
        let last = std::sync::Mutex::new((String::new(), u64::MAX));
        UpgradeProgress(std::sync::Arc::new(move |what, done, total| {
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
            if last.0 != what || last.1 != tenth {
                *last = (what.to_string(), tenth);
                tracing::info!("{what}: {done} of {total} experiences");
            }
        }))
    }
    pub fn report(&self, what: &str, done: u64, total: u64) {
        (self.0)(what, done, total)
    }
}

impl std::fmt::Debug for UpgradeProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpgradeProgress")
    }
}

/// A store's backend: transactions and whole-store maintenance.
///
/// Transactions are lent to a closure rather than returned so that a backend decides how
/// they begin and end (SQLite: `BEGIN IMMEDIATE` for writes, and commit only when the
/// closure succeeds). Object-safe, so the front doors can choose a backend at run time;
/// [`Store`] wraps it with generic, typed helpers.
pub trait Database: Send + Sync {
    /// Runs `f` in a read transaction: one consistent snapshot.
    fn read_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()>;
    /// Runs `f` in one write transaction: all of it is written, or none.
    fn write_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()>;
    /// Where the store is, for messages (a file path, a database URL without password).
    fn location(&self) -> String;
    /// True when this process cannot write the store: reads work, writes are refused.
    fn read_only(&self) -> bool;
    /// Gives free space back to the file system.
    fn vacuum(&self) -> Result<()>;
    /// A consistent copy of the whole store at `dest`, written atomically.
    fn backup(&self, dest: &Path) -> Result<()>;
    /// True when a process that searches more than once does better with its own copy of
    /// the vectors in memory (SQLite: a scan of memory beats a walk through the file's
    /// pages); false when the database ranks them itself (Postgres, shared by servers).
    fn worth_caching_vectors(&self) -> bool;
    /// The rate-limit windows this store keeps for `plurum serve`, shared by every server on
    /// it (Postgres); `None` when each server counts in its own memory (SQLite).
    fn rate_windows(&self) -> Option<&dyn RateWindows>;
}

/// Rate-limit windows kept in the store, so that the servers sharing it share the budgets.
/// The HTTP door owns the policy (buckets, budgets, whose requests count together); the
/// store only counts.
pub trait RateWindows: Send + Sync {
    /// Counts one request against the window `key` (at most `limit` per `period`): whether it
    /// is admitted, and the seconds until the window ends.
    fn count(&self, key: &str, limit: u32, period: std::time::Duration) -> Result<(bool, u64)>;
}

/// An open store: a [`Database`] and typed ways to run transactions on it.
pub struct Store {
    backend: Box<dyn Database>,
}

impl Store {
    /// Opens (creating if needed) the SQLite store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store::from_backend(Box::new(sqlite::SqliteStore::open(
            path,
        )?)))
    }

    /// [`Store::open`], with the wait for another process's lock (the default when `None`)
    /// and where a long upgrade reports its progress.
    pub fn open_reporting(
        path: &Path,
        busy_timeout: Option<std::time::Duration>,
        progress: &UpgradeProgress,
    ) -> Result<Store> {
        Ok(Store::from_backend(Box::new(
            sqlite::SqliteStore::open_reporting(path, busy_timeout, progress)?,
        )))
    }

    /// Connects to the Postgres database at `url` (`plurum serve --database`) and brings
    /// its schema up to date.
    pub fn open_postgres(url: &str) -> Result<Store> {
        Store::open_postgres_reporting(url, &UpgradeProgress::silent())
    }

    /// [`Store::open_postgres`], reporting the progress of a long upgrade.
    pub fn open_postgres_reporting(url: &str, progress: &UpgradeProgress) -> Result<Store> {
        Ok(Store::from_backend(Box::new(postgres::PgStore::open(
            url, progress,
        )?)))
    }

    pub fn from_backend(backend: Box<dyn Database>) -> Store {
        Store { backend }
    }

    pub fn backend(&self) -> &dyn Database {
        self.backend.as_ref()
    }

    pub fn location(&self) -> String {
        self.backend.location()
    }

    pub fn read_only(&self) -> bool {
        self.backend.read_only()
    }

    /// Runs `f` in a read transaction: a consistent snapshot, never blocking writers.
    pub fn read<T>(&self, f: impl FnOnce(&dyn Tx) -> Result<T>) -> Result<T> {
        let (mut f, mut out) = (Some(f), None);
        self.backend.read_dyn(&mut |tx| {
            let f = f.take().expect("a transaction runs its closure once");
            out = Some(f(tx)?);
            Ok(())
        })?;
        Ok(out.expect("the closure ran"))
    }

    /// Runs `f` in one write transaction: all of it is written, or none.
    ///
    /// The closure runs once: where a backend would run it again after a transient conflict
    /// (Postgres: a deadlock or serialization failure, rolled back), the write fails with
    /// [`Error::Unavailable`] (try again) instead. [`Store::write_retrying`] runs it again.
    pub fn write<T>(&self, f: impl FnOnce(&dyn Tx) -> Result<T>) -> Result<T> {
        let (mut f, mut out) = (Some(f), None);
        self.backend.write_dyn(&mut |tx| {
            let Some(f) = f.take() else {
                return Err(Error::Unavailable(
                    "the write conflicted with a concurrent one and was rolled back: nothing was written; try again".into(),
                ));
            };
            out = Some(f(tx)?);
            Ok(())
        })?;
        Ok(out.expect("the closure ran"))
    }

    /// Like [`Store::write`], for a closure that may run more than once: after a transient
    /// conflict (rolled back) the backend runs it again on a fresh transaction.
    pub fn write_retrying<T>(&self, mut f: impl FnMut(&dyn Tx) -> Result<T>) -> Result<T> {
        let mut out = None;
        self.backend.write_dyn(&mut |tx| {
            out = Some(f(tx)?);
            Ok(())
        })?;
        Ok(out.expect("the closure ran"))
    }

    /// A value from the store-wide settings.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.read(|tx| tx.meta(key))
    }
}

/// The current time as a store writes it: RFC 3339 UTC with microseconds, so that text
/// order is time order.
pub fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}
