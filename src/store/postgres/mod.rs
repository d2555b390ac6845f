//! The Postgres store (with pgvector): the second implementation of the storage boundary
//! ([`crate::store::Tx`]), for `plurum serve --database postgres://…`, where several server
//! processes share one database. All of plurum's Postgres SQL lives under this module, one
//! file per concept as under `sqlite/`, each with the same semantics as its SQLite twin.
//!
//! Why it is as it is:
//! - Synchronous (`postgres` + an r2d2 pool), like rusqlite: the boundary is synchronous and
//!   `plurum serve` already runs every store call on tokio's blocking pool.
//! - Writes run in one READ COMMITTED transaction; what must not interleave across servers
//!   is serialised by row locks (a recount locks its experience, an entry its session), and
//!   inserts that may race are idempotent (`ON CONFLICT`). Reads run in one REPEATABLE READ,
//!   READ ONLY transaction: one consistent snapshot, as SQLite's read transaction gives.
//! - A database that cannot be reached is [`Error::Unavailable`] (HTTP 503), after at most
//!   [`CONNECT_TIMEOUT`], never a hang: also one that takes connections and never answers
//!   (a paused or wedged server), which a socket-level connect timeout alone would wait on
//!   forever. Each pooled connection is checked with a bounded round trip before use.

mod agents;
mod columns;
mod experiences;
mod feedback;
mod maintenance;
mod migrate;
mod rate_limits;
mod retokenise;
mod search;
mod sessions;
mod sync;
mod vectors;

use std::cell::RefCell;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use postgres::{IsolationLevel, NoTls, Transaction};
use r2d2_postgres::PostgresConnectionManager;

use crate::error::{Error, Result, StoreFailure};
use crate::store::{Database, Tx};

pub use migrate::SCHEMA_VERSION;

/// How long opening a connection (or waiting for a pooled one) may take before the request
/// is answered 503.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a request waits for a connection in the [`CONNECT_TIMEOUT`] after a wait for one
/// failed: enough for a database that is back to connect, short enough that an outage does
/// not hold every request.
const RECONNECT_WAIT: Duration = Duration::from_millis(500);

/// Connections per server process: the blocking pool runs store calls in parallel, and a
/// search runs its two arms at once.
const POOL_SIZE: u32 = 16;

/// How many times a write transaction runs before a serialization failure or deadlock is
/// reported (as 503: try again).
const WRITE_ATTEMPTS: usize = 4;

type Pool = r2d2::Pool<Manager>;

/// A pooled connection, and whether it must not go back into the pool.
pub(crate) struct Conn {
    /// Always `Some` until dropped.
    client: Option<postgres::Client>,
    discard: bool,
}

impl Conn {
    fn client(&mut self) -> &mut postgres::Client {
        self.client.as_mut().expect("a live connection")
    }
}

impl std::ops::Deref for Conn {
    type Target = postgres::Client;
    fn deref(&self) -> &postgres::Client {
        self.client.as_ref().expect("a live connection")
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        self.client()
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Closing a connection waits for the answers the server still owes it: one thrown
        // away because the server stopped answering would hold this thread (a request's)
        // until the server is back, so it is closed on a thread of its own.
        if let (true, Some(client)) = (self.discard, self.client.take()) {
            std::thread::spawn(move || drop(client));
        }
    }
}

/// r2d2_postgres's manager, with connections that can be thrown away after a failed check
/// (r2d2's own check on check-out has no time limit, and tries every idle connection in turn).
struct Manager(PostgresConnectionManager<NoTls>);

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<Conn, postgres::Error> {
        Ok(Conn {
            client: Some(self.0.connect()?),
            discard: false,
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> std::result::Result<(), postgres::Error> {
        conn.client().is_valid(CONNECT_TIMEOUT)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.discard || conn.client().is_closed()
    }
}

/// A database URL (or key=value connection string) with its password replaced by `***`,
/// for messages.
pub fn redact(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                return format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &rest[at..]
                );
            }
        }
        return url.to_string();
    }
    url.split_whitespace()
        .map(|kv| {
            if kv.starts_with("password=") {
                "password=***".to_string()
            } else {
                kv.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Postgres error as a message: the server's own message and SQLSTATE for a database error
/// (the client's Display says only "db error"), else the error and its causes.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// True for a serialization failure or a deadlock: the transaction was rolled back and may
/// simply be run again.
pub fn is_conflict(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
            || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
    })
}

/// A Postgres error as the crate's: the database not there is [`Error::Unavailable`], a
/// serialization failure or deadlock a transient failure (run it again), a broken
/// constraint a constraint failure.
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        if is_unavailable(&e) {
            return Error::Unavailable(format!("the database is unavailable: {}", describe(&e)));
        }
        let failure = if is_conflict(&e) {
            StoreFailure::Transient
        } else if e.code().is_some_and(|c| c.code().starts_with("23")) {
            StoreFailure::Constraint
        } else if e.code() == Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION) {
            StoreFailure::ReadOnly
        } else if e.code().is_some_and(|c| c.code().starts_with("53")) {
            StoreFailure::Full
        } else {
            StoreFailure::Other
        };
        Error::Store {
            failure,
            message: describe(&e),
        }
    }
}

/// True when a Postgres error means the database is not there (refused, dropped, shutting
/// down, starting up) rather than that a statement was wrong.
pub fn is_unavailable(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        let c = code.code();
        return c.starts_with("08") || c == "57P01" || c == "57P02" || c == "57P03";
    }
    // No SQLSTATE: an I/O error talking to the server, or a timeout connecting.
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    e.to_string().contains("timed out") || e.to_string().contains("connection")
}

/// A plurum store in a Postgres database.
pub struct PgStore {
    pool: Pool,
    location: String,
    /// When the last wait for a connection ended in failure: for [`CONNECT_TIMEOUT`] after
    /// it, a request waits only [`RECONNECT_WAIT`] (during an outage every request would
    /// otherwise hold a thread for the whole wait).
    unreachable_since: std::sync::Mutex<Option<std::time::Instant>>,
}

impl PgStore {
    /// Connects to `url`, brings the schema up to date, and keeps a pool of connections.
    /// An unreachable database is a clear error naming the URL (without its password).
    pub fn open(url: &str, progress: &crate::store::UpgradeProgress) -> Result<PgStore> {
        let location = redact(url);
        let mut config = postgres::Config::from_str(url).map_err(|e| {
            Error::Usage(format!("{location} is not a Postgres connection URL: {e}"))
        })?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("plurum");
        }
        let mut first = connect_bounded(&config).map_err(|why| {
            Error::Unavailable(format!("cannot connect to the database {location}: {why}"))
        })?;
        migrate::migrate(&mut first, &location)?;
        if retokenise::pending(&mut first)? {
            retokenise::spawn(first, location.clone(), progress.clone());
        } else {
            drop(first);
        }
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(CONNECT_TIMEOUT)
            // Checked in `conn` instead, with a time limit.
            .test_on_check_out(false)
            .build_unchecked(Manager(PostgresConnectionManager::new(config, NoTls)));
        Ok(PgStore {
            pool,
            location,
            unreachable_since: std::sync::Mutex::new(None),
        })
    }

    /// A checked connection from the pool. A connection the server dropped (a restart, a
    /// failover) is thrown away and the next one tried, so the first request after an outage
    /// does not fail; one that does not answer within [`CONNECT_TIMEOUT`] means the server is
    /// there but not answering, and the request is answered 503 at once rather than after
    /// trying every pooled connection in turn.
    fn conn(&self) -> Result<r2d2::PooledConnection<Manager>> {
        let unreachable = |why: String| {
            Error::Unavailable(format!(
                "the database {} is unreachable: {why}",
                self.location
            ))
        };
        for _ in 0..=POOL_SIZE {
            let recently_failed = self
                .unreachable_since
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_some_and(|t| t.elapsed() < CONNECT_TIMEOUT);
            let got = if recently_failed {
                // A short wait: long enough for a database that is back to connect.
                self.pool.get_timeout(RECONNECT_WAIT).map_err(|e| {
                    unreachable(format!(
                        "no connection could be made in the last {} s: {}",
                        CONNECT_TIMEOUT.as_secs(),
                        e.to_string().trim_end_matches(": db error")
                    ))
                })
            } else {
                // r2d2 names the last connection error by its Display alone ("db error").
                self.pool.get().map_err(|e| {
                    *self
                        .unreachable_since
                        .lock()
                        .unwrap_or_else(|e| e.into_inner()) = Some(std::time::Instant::now());
                    unreachable(e.to_string().trim_end_matches(": db error").to_string())
                })
            };
            let mut conn = got?;
            match conn.client().is_valid(CONNECT_TIMEOUT) {
                Ok(()) => {
                    *self
                        .unreachable_since
                        .lock()
                        .unwrap_or_else(|e| e.into_inner()) = None;
                    return Ok(conn);
                }
                Err(e) => {
                    conn.discard = true;
                    if !conn.client().is_closed() {
                        return Err(Error::Unavailable(format!(
                            "the database {} does not answer: {}",
                            self.location,
                            describe(&e)
                        )));
                    }
                }
            }
        }
        Err(Error::Unavailable(format!(
            "the database {} is unreachable: every connection was closed",
            self.location
        )))
    }
}

/// Opens one connection, giving up after twice [`CONNECT_TIMEOUT`] in all: the client's own
/// timeout covers only the socket's connection, not a server that accepts and never answers.
fn connect_bounded(config: &postgres::Config) -> std::result::Result<postgres::Client, String> {
    let (send, receive) = std::sync::mpsc::channel();
    let config = config.clone();
    std::thread::spawn(move || {
        let _ = send.send(config.connect(NoTls).map_err(|e| describe(&e)));
    });
    match receive.recv_timeout(CONNECT_TIMEOUT * 2) {
        Ok(result) => result,
        Err(_) => Err(format!(
            "no answer within {} s",
            (CONNECT_TIMEOUT * 2).as_secs()
        )),
    }
}

impl Database for PgStore {
    fn read_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let tx = PgTx::new(tx);
        f(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// One READ COMMITTED transaction, begun again (up to [`WRITE_ATTEMPTS`] times, after
    /// a short pause) when Postgres rolls it back for a serialization failure or a deadlock
    /// (40001, 40P01). The row locks taken before every recount and ordinal are ordered so
    /// that plurum's own writes should not deadlock; this is the net under that.
    fn write_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()> {
        let mut attempt = 1;
        loop {
            let mut conn = self.conn()?;
            let tx = conn
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()?;
            let tx = PgTx::new(tx);
            let result = f(&tx).and_then(|()| tx.commit());
            match result {
                Err(Error::Store {
                    failure: StoreFailure::Transient,
                    ..
                }) if attempt < WRITE_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(10 * attempt as u64));
                }
                other => return other,
            }
        }
    }

    fn location(&self) -> String {
        self.location.clone()
    }

    fn read_only(&self) -> bool {
        false
    }

    fn vacuum(&self) -> Result<()> {
        // VACUUM cannot run inside a transaction: on a connection of its own.
        self.conn()?.batch_execute("VACUUM (ANALYZE)")?;
        Ok(())
    }

    fn rate_windows(&self) -> Option<&dyn crate::store::RateWindows> {
        Some(self)
    }

    fn worth_caching_vectors(&self) -> bool {
        false
    }

    fn backup(&self, _dest: &Path) -> Result<()> {
        Err(Error::Usage(format!(
            "the store {} is a Postgres database: back it up with pg_dump (e.g. `pg_dump --format=custom --file=plurum.dump '{}'`)",
            self.location, self.location
        )))
    }
}

/// A transaction on a pooled connection, lent to the operations as a [`Tx`]. The RefCell
/// lets the `&self` methods of `Tx` run statements; no method holds it across a call back
/// into the operations (the `each_*` visitors are called after the rows are read).
struct PgTx<'a> {
    tx: RefCell<Transaction<'a>>,
    /// Experiences inserted in this transaction whose keyword postings are not written yet:
    /// they are written together ([`experiences::index_postings`]) before anything reads
    /// the postings and before the commit.
    unindexed: RefCell<Vec<i64>>,
}

impl<'a> PgTx<'a> {
    fn new(tx: Transaction<'a>) -> Self {
        PgTx {
            tx: RefCell::new(tx),
            unindexed: RefCell::new(Vec::new()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Transaction<'a>) -> Result<T>) -> Result<T> {
        f(&mut self.tx.borrow_mut())
    }

    /// The transaction, for one method's statements.
    fn tx(&self) -> std::cell::RefMut<'_, Transaction<'a>> {
        self.tx.borrow_mut()
    }

    /// Writes the postings of the experiences inserted so far: called before a statement
    /// reads the postings or the keyword counts.
    fn index_pending(&self) -> Result<()> {
        let seqs = std::mem::take(&mut *self.unindexed.borrow_mut());
        experiences::index_postings(&mut self.tx(), &seqs)
    }

    fn commit(self) -> Result<()> {
        self.index_pending()?;
        self.tx.into_inner().commit()?;
        Ok(())
    }
}

/// Calls `each` with every item, after the rows were read and the connection released.
fn visit<T>(items: Vec<T>, each: &mut dyn FnMut(T) -> Result<()>) -> Result<()> {
    for item in items {
        each(item)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/plurum"),
            "postgres://u:***@db:5432/plurum"
        );
        assert_eq!(
            redact("postgres://u@127.0.0.1/x"),
            "postgres://u@127.0.0.1/x"
        );
        assert_eq!(
            redact("host=db user=u password=secret"),
            "host=db user=u password=***"
        );
    }
}
