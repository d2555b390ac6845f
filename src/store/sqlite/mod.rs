//! The SQLite store: one file holding everything, the first implementation of the storage
//! boundary ([`crate::store::Tx`]). All of plurum's SQLite SQL lives under this module.
//!
//! Many processes share one file (agents shell out in parallel), so: WAL, a long busy
//! timeout, and every write in one `BEGIN IMMEDIATE` transaction, which takes the write lock
//! up front and so never fails half-way with "database is locked".
//!
//! A store this process cannot write (a backup copy with mode 444, in a folder it cannot
//! write either, owned by another user) is opened read-only: SQLite's `mode=ro`, plus
//! `immutable=1` when the folder is read-only and no `-shm` file is there (WAL readers need
//! one). Reads work; every write is refused with exit 5 before anything is touched.

mod agents;
mod columns;
mod experiences;
mod feedback;
mod maintenance;
mod migrate;
mod search;
mod sessions;
pub(crate) mod sqlite_vec;
mod sync;
mod vectors;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result, StoreFailure};
use crate::model::agent::{Agent, AgentStats};
use crate::model::experience::types::{Artifact, Experience, Metrics, Status, VoteType};
use crate::model::feedback::{OutcomeReport, Vote};
use crate::model::ids::IdRef;
use crate::model::session::{Contribution, Entry, InboxEvent, Session, SessionStatus};
use crate::store::{
    Database, Eligibility, FileFacts, IndexCounts, KeywordQuery, LatestFeedback, ListFilter,
    SyncRow, Tx,
};
use std::collections::{HashMap, HashSet};

pub use migrate::SCHEMA_VERSION;

/// The end of a query (`WHERE …`) finding the rows an identifier may name in a table with
/// `id` and `short_id` columns, and its one argument (`?1`): one row for a UUID or a short
/// id, up to 50 for a prefix. Short ids are lower-case hex, so every id with prefix p sorts
/// in [p, p || 'g').
fn where_id(id: &crate::model::ids::IdRef) -> (&'static str, &str) {
    use crate::model::ids::IdRef;
    match id {
        IdRef::Uuid(u) => ("WHERE id = ?1", u),
        IdRef::Short(s) => ("WHERE short_id = ?1", s),
        IdRef::Prefix(p) => ("WHERE short_id >= ?1 AND short_id < ?1 || 'g' LIMIT 50", p),
    }
}

/// How long a writer waits for another process's write transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The store file, with a small pool of connections so one `SqliteStore` can serve many threads.
pub struct SqliteStore {
    path: PathBuf,
    /// How connections open the file; `ReadOnly` when this process cannot write it.
    access: Access,
    pool: Mutex<Vec<Connection>>,
}

/// How the store file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    /// `immutable`: no locks and no `-shm`, for a read-only file in a read-only folder.
    ReadOnly {
        immutable: bool,
    },
}

/// Whether this process may write `path` (by its effective ids, as the kernel will judge).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: a valid NUL-terminated path; faccessat only reads it.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).map_or(true, |m| !m.permissions().readonly())
}

/// True when `path` starts as every SQLite database does (its 16-byte header), so it may
/// be a store; false for anything else (an export, say).
pub fn is_store_file(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    let n = file.read(&mut header)?;
    Ok(n == 16 && &header == b"SQLite format 3\0")
}

/// Read-only when the file exists and this process cannot write it, or cannot write the
/// folder the WAL's `-wal` and `-shm` files live in (and they are not there to be used).
fn access_for(path: &Path) -> Access {
    if !path.is_file() {
        return Access::ReadWrite;
    }
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    let sidecar = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let dir_writable = writable(&dir);
    let shm = sidecar("-shm");
    let sidecars_usable = dir_writable || (writable(&shm) && writable(&sidecar("-wal")));
    if writable(path) && sidecars_usable {
        return Access::ReadWrite;
    }
    Access::ReadOnly {
        immutable: !dir_writable && !shm.exists(),
    }
}

/// The `file:` URI that opens `path` read-only (SQLite's URI syntax escapes `%`, `?`, `#`).
fn read_only_uri(path: &Path, immutable: bool) -> String {
    let mut escaped = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '?' => escaped.push_str("%3f"),
            '#' => escaped.push_str("%23"),
            c => escaped.push(c),
        }
    }
    let immutable = if immutable { "&immutable=1" } else { "" };
    format!("file:{escaped}?mode=ro{immutable}")
}

/// A connection checked out of the pool; returned when dropped.
struct Conn<'a> {
    store: &'a SqliteStore,
    conn: Option<Connection>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut pool)) = (self.conn.take(), self.store.pool.lock()) {
            pool.push(conn);
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        sqlite_vec::register();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::other(format!("cannot create directory {}: {e}", parent.display()))
            })?;
        }
        if path.is_dir() {
            return Err(Error::Usage(format!(
                "{} is a directory; --db takes a file path",
                path.display()
            )));
        }
        let store = SqliteStore {
            path: path.to_path_buf(),
            access: access_for(path),
            pool: Mutex::new(Vec::new()),
        };
        let conn = store.connect()?;
        // Refuse foreign and newer files before anything (even the WAL switch) touches them.
        migrate::check_compatible(&conn, path)?;
        if store.read_only() {
            // Nothing may be written: no WAL switch, no migration. A store that needs one
            // cannot be read as it is.
            if migrate::needs_migration(&conn)? {
                return Err(Error::Forbidden(format!(
                    "the store {} is read-only and is not an up-to-date plurum store (empty, or from an older plurum); nothing was changed",
                    path.display()
                )));
            }
        } else {
            enable_wal(&conn, path)?;
            migrate::migrate(&conn, path)?;
        }
        store.pool.lock().expect("pool lock").push(conn);
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when this process cannot write the store: reads work, writes are refused.
    pub fn read_only(&self) -> bool {
        self.access != Access::ReadWrite
    }

    fn refuse_write(&self) -> Error {
        Error::Forbidden(format!(
            "the store {} is read-only (this user cannot write the file or its folder): nothing was written",
            self.path.display()
        ))
    }

    fn connect(&self) -> Result<Connection> {
        let conn = match self.access {
            Access::ReadWrite => Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            ),
            Access::ReadOnly { immutable } => Connection::open_with_flags(
                read_only_uri(&self.path, immutable),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            ),
        }
        .map_err(|e| open_error(&self.path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;
             PRAGMA mmap_size = 1073741824;",
        )
        .map_err(|e| open_error(&self.path, e))?;
        // `rarray(?)`: binds a list of ids as one parameter (search's eligibility check).
        rusqlite::vtab::array::load_module(&conn)?;
        Ok(conn)
    }

    /// A pooled connection.
    fn conn(&self) -> Result<Conn<'_>> {
        let pooled = self.pool.lock().expect("pool lock").pop();
        let conn = match pooled {
            Some(c) => c,
            None => self.connect()?,
        };
        Ok(Conn {
            store: self,
            conn: Some(conn),
        })
    }

    /// Runs `f` in a read transaction: a consistent snapshot, never blocking writers.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn()?;
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.read_only() {
            return Err(self.refuse_write());
        }
        let conn = self.conn()?;
        let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)
            .map_err(|e| write_error(&self.path, e.into()))?;
        // A statement may be the first to find the file read-only or the disk full.
        let out = f(&tx).map_err(|e| write_error(&self.path, e))?;
        tx.commit().map_err(|e| write_error(&self.path, e.into()))?;
        Ok(out)
    }
}

impl Database for SqliteStore {
    fn read_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()> {
        self.read(|conn| f(conn))
    }

    fn write_dyn(&self, f: &mut dyn FnMut(&dyn Tx) -> Result<()>) -> Result<()> {
        self.write(|conn| f(conn))
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn read_only(&self) -> bool {
        SqliteStore::read_only(self)
    }

    fn vacuum(&self) -> Result<()> {
        if self.read_only() {
            return Err(self.refuse_write());
        }
        // VACUUM cannot run inside a transaction.
        maintenance::vacuum(&*self.conn()?)
    }

    fn backup(&self, dest: &Path) -> Result<()> {
        self.read(|conn| maintenance::backup(conn, dest))
    }
}

pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO store_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// WAL lets readers and one writer work at once; the setting is stored in the file.
fn enable_wal(conn: &Connection, path: &Path) -> Result<()> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| open_error(path, e))?;
    if mode != "wal" {
        return Err(Error::other(format!(
            "{}: cannot switch the store to WAL mode (got {mode}); is it on a read-only or network filesystem?",
            path.display()
        )));
    }
    Ok(())
}

/// Turns SQLite's terse open failures into messages that say what is wrong with the file.
fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::Invalid {
            message: format!(
                "{} is not a plurum store (not an SQLite database)",
                path.display()
            ),
            field: Some("db".into()),
        },
        Some(ErrorCode::CannotOpen) => {
            Error::other(format!("cannot open the store {}: {e}", path.display()))
        }
        Some(ErrorCode::ReadOnly) => Error::Forbidden(format!(
            "the store {} is read-only: check the file's permissions",
            path.display()
        )),
        _ => e.into(),
    }
}

/// Write failures that are about the environment, not the data, get a plain explanation.
fn write_error(path: &Path, e: Error) -> Error {
    let Error::Store { failure, message } = e else {
        return e;
    };
    match failure {
        StoreFailure::ReadOnly => Error::Forbidden(format!(
            "the store {} is read-only: nothing was written",
            path.display()
        )),
        StoreFailure::Full => Error::other(format!(
            "could not write the store {} (disk full, file size limit or I/O error: {message}): nothing was written",
            path.display()
        )),
        StoreFailure::Transient => Error::other(format!(
            "the store {} stayed locked by another process for {}s: nothing was written",
            path.display(),
            BUSY_TIMEOUT.as_secs()
        )),
        failure => Error::Store { failure, message },
    }
}

/// An SQLite error as the crate's, sorted by what it means for the caller.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ffi::ErrorCode;
        let failure = match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreFailure::Transient,
            Some(ErrorCode::ConstraintViolation) => StoreFailure::Constraint,
            Some(ErrorCode::ReadOnly) => StoreFailure::ReadOnly,
            Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => StoreFailure::Full,
            _ => StoreFailure::Other,
        };
        Error::Store {
            failure,
            message: e.to_string(),
        }
    }
}

/// The SQLite implementation of the storage boundary: each method is the SQL function of
/// the same concept module above, run on the transaction's connection.
impl Tx for Connection {
    fn agent_by_username(&self, username: &str) -> Result<Option<Agent>> {
        agents::by_username(self, username)
    }
    fn agent_by_id(&self, id: &str) -> Result<Option<Agent>> {
        agents::by_id(self, id)
    }
    fn agent_by_key_hash(&self, hash: &str) -> Result<Option<Agent>> {
        agents::by_key_hash(self, hash)
    }
    fn insert_agent(&self, a: &Agent) -> Result<bool> {
        agents::insert(self, a)
    }
    fn agents(&self) -> Result<Vec<Agent>> {
        agents::all(self)
    }
    fn touch_agent(&self, id: &str, at: &str) -> Result<()> {
        agents::touch_last_active(self, id, at)
    }
    fn set_agent_inbox_checked(&self, id: &str, at: &str) -> Result<()> {
        agents::set_last_inbox_check(self, id, at)
    }
    fn set_agent_key(&self, id: &str, hash: &str, prefix: &str, at: &str) -> Result<()> {
        agents::set_key(self, id, hash, prefix, at)
    }
    fn usernames_taken(&self, usernames: &[String]) -> Result<Vec<String>> {
        agents::taken(self, usernames)
    }
    fn agent_stats(&self, id: &str) -> Result<AgentStats> {
        agents::stats(self, id)
    }
    fn insert_experience(
        &self,
        e: &mut Experience,
        artifacts: &[Artifact],
        vector: Option<&[f32]>,
    ) -> Result<i64> {
        experiences::insert(self, e, artifacts, vector)
    }
    fn set_experience_vector(&self, seq: i64, vector: &[f32]) -> Result<()> {
        experiences::set_vector(self, seq, vector)
    }
    fn experience_by_seq(&self, seq: i64) -> Result<Option<Experience>> {
        experiences::by_seq(self, seq)
    }
    fn experience_by_id(&self, id: &str) -> Result<Option<Experience>> {
        experiences::by_id(self, id)
    }
    fn experiences_named(&self, id: &IdRef) -> Result<Vec<Experience>> {
        experiences::candidates(self, id)
    }
    fn list_experiences(&self, f: &ListFilter) -> Result<(Vec<Experience>, i64)> {
        experiences::list(self, f)
    }
    fn each_experience(&self, each: &mut dyn FnMut(Experience) -> Result<()>) -> Result<()> {
        experiences::all(self, each)
    }
    fn set_experience_status(&self, id: &str, status: Status) -> Result<()> {
        experiences::set_status(self, id, status)
    }
    fn artifacts(&self, experience_id: &str) -> Result<Vec<Artifact>> {
        experiences::artifacts(self, experience_id)
    }
    fn artifact(&self, experience_id: &str, index: usize) -> Result<Option<Artifact>> {
        experiences::artifact(self, experience_id, index)
    }
    fn experience_count(&self) -> Result<i64> {
        experiences::count(self)
    }
    fn upsert_report(&self, r: &OutcomeReport) -> Result<OutcomeReport> {
        feedback::upsert_report(self, r)
    }
    fn insert_report_if_new(&self, r: &OutcomeReport) -> Result<bool> {
        feedback::insert_report_if_new(self, r)
    }
    fn vote_of(&self, experience_id: &str, agent_id: &str) -> Result<Option<Vote>> {
        feedback::vote_of(self, experience_id, agent_id)
    }
    fn insert_vote(&self, v: &Vote) -> Result<bool> {
        feedback::insert_vote(self, v)
    }
    fn change_vote(&self, id: &str, vote_type: VoteType, at: &str) -> Result<()> {
        feedback::change_vote(self, id, vote_type, at)
    }
    fn delete_vote(&self, id: &str) -> Result<()> {
        feedback::delete_vote(self, id)
    }
    fn recount_feedback(&self, experience_id: &str) -> Result<Metrics> {
        feedback::recount(self, experience_id)
    }
    fn each_report(&self, each: &mut dyn FnMut(OutcomeReport) -> Result<()>) -> Result<()> {
        feedback::all_reports(self, each)
    }
    fn each_vote(&self, each: &mut dyn FnMut(Vote) -> Result<()>) -> Result<()> {
        feedback::all_votes(self, each)
    }
    fn integrity_problems(&self) -> Result<Vec<String>> {
        maintenance::integrity(self)
    }
    fn index_counts(&self) -> Result<IndexCounts> {
        maintenance::index_counts(self)
    }
    fn file_facts(&self) -> Result<FileFacts> {
        maintenance::file_facts(self)
    }
    fn rebuild_keywords(&self) -> Result<usize> {
        maintenance::rebuild_keywords(self)
    }
    fn rebuild_vectors(&self, dim: usize) -> Result<usize> {
        maintenance::rebuild_vectors(self, dim)
    }
    fn meta(&self, key: &str) -> Result<Option<String>> {
        self::meta_get(self, key)
    }
    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self::meta_set(self, key, value)
    }
    fn eligible_seqs(&self, elig: &Eligibility) -> Result<HashSet<i64>> {
        search::eligible_seqs(self, elig)
    }
    fn keep_eligible(
        &self,
        candidates: Vec<(i64, f64)>,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        search::keep_eligible(self, candidates, elig)
    }
    fn keyword_ranked(&self, query: &KeywordQuery, depth: usize) -> Result<Vec<(i64, f64)>> {
        search::keyword_ranked(self, query, depth)
    }
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        search::keyword_eligible(self, query, k, elig)
    }
    fn experience_vector(&self, seq: i64) -> Result<Option<Vec<f32>>> {
        search::vector_of(self, seq)
    }
    fn experiences_by_seq(
        &self,
        seqs: &[i64],
    ) -> Result<HashMap<i64, crate::model::experience::Experience>> {
        search::experiences_by_seq(self, seqs)
    }
    fn insert_session(&self, s: &mut Session) -> Result<i64> {
        sessions::insert(self, s)
    }
    fn session_by_id(&self, id: &str) -> Result<Option<Session>> {
        sessions::by_id(self, id)
    }
    fn sessions_named(&self, id: &IdRef) -> Result<Vec<Session>> {
        sessions::candidates(self, id)
    }
    fn update_session(&self, s: &Session) -> Result<()> {
        sessions::update(self, s)
    }
    fn list_own_sessions(
        &self,
        agent_id: &str,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)> {
        sessions::list_own(self, agent_id, status, limit, offset)
    }
    fn list_public_sessions(
        &self,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)> {
        sessions::list_public(self, status, limit, offset)
    }
    fn recent_public_sessions(&self, limit: i64) -> Result<Vec<Session>> {
        sessions::recent_public(self, limit)
    }
    fn each_session(&self, each: &mut dyn FnMut(Session) -> Result<()>) -> Result<()> {
        sessions::all(self, each)
    }
    fn session_vector(&self, session_seq: i64) -> Result<Option<Vec<f32>>> {
        sessions::vector_of(self, session_seq)
    }
    fn set_session_vector(&self, session_seq: i64, v: &[f32]) -> Result<()> {
        sessions::set_vector(self, session_seq, v)
    }
    fn similar_open_sessions(
        &self,
        v: &[f32],
        exclude_agent: &str,
        min_similarity: f64,
        limit: i64,
    ) -> Result<Vec<(Session, f64)>> {
        sessions::similar_open(self, v, exclude_agent, min_similarity, limit)
    }
    fn sessions_missing_vectors(&self) -> Result<Vec<Session>> {
        sessions::missing_vectors(self)
    }
    fn lock_experience(&self, _id: &str) -> Result<()> {
        Ok(()) // write transactions are BEGIN IMMEDIATE: one at a time already
    }
    fn lock_session(&self, _id: &str) -> Result<()> {
        Ok(()) // write transactions are BEGIN IMMEDIATE: one at a time already
    }
    fn append_entry(&self, e: &mut Entry) -> Result<()> {
        sessions::append_entry(self, e)
    }
    fn insert_entry(&self, e: &Entry) -> Result<bool> {
        sessions::insert_entry(self, e)
    }
    fn entries(&self, session_id: &str) -> Result<Vec<Entry>> {
        sessions::entries(self, session_id)
    }
    fn entry_count(&self, session_id: &str) -> Result<i64> {
        sessions::entry_count(self, session_id)
    }
    fn each_entry(&self, each: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
        sessions::all_entries(self, each)
    }
    fn insert_contribution(&self, c: &Contribution) -> Result<bool> {
        sessions::insert_contribution(self, c)
    }
    fn contributions(&self, session_id: &str) -> Result<Vec<Contribution>> {
        sessions::contributions(self, session_id)
    }
    fn each_contribution(&self, each: &mut dyn FnMut(Contribution) -> Result<()>) -> Result<()> {
        sessions::all_contributions(self, each)
    }
    fn insert_event(&self, e: &InboxEvent) -> Result<bool> {
        sessions::insert_event(self, e)
    }
    fn inbox_events(
        &self,
        agent_id: &str,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<InboxEvent>> {
        sessions::events(self, agent_id, unread_only, limit)
    }
    fn unread_count(&self, agent_id: &str) -> Result<i64> {
        sessions::unread_count(self, agent_id)
    }
    fn notified_about(&self, session_id: &str) -> Result<Vec<String>> {
        sessions::notified_about(self, session_id)
    }
    fn mark_read(&self, agent_id: &str, ids: Option<&[String]>) -> Result<usize> {
        sessions::mark_read(self, agent_id, ids)
    }
    fn each_event(&self, each: &mut dyn FnMut(InboxEvent) -> Result<()>) -> Result<()> {
        sessions::all_events(self, each)
    }
    fn agents_active_since(&self, since: &str) -> Result<Vec<(String, String, String)>> {
        sessions::agents_active_since(self, since)
    }
    fn agent_count(&self) -> Result<i64> {
        sessions::agent_count(self)
    }
    fn walk_vectors(
        &self,
        dim: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut crate::store::VectorVisitor,
    ) -> Result<()> {
        sqlite_vec::walk_vectors(self, dim, only, visit)
    }
    fn sync_row_by_remote_id(&self, remote: &str, remote_id: &str) -> Result<Option<SyncRow>> {
        sync::by_remote_id(self, remote, remote_id)
    }
    fn put_sync_row(&self, row: &SyncRow) -> Result<()> {
        sync::put(self, row)
    }
    fn insert_sync_row_if_new(&self, row: &SyncRow) -> Result<bool> {
        sync::insert_if_new(self, row)
    }
    fn to_push(&self, remote: &str) -> Result<Vec<(String, Option<SyncRow>)>> {
        sync::to_push(self, remote)
    }
    fn linked_sync_rows(&self, remote: &str) -> Result<Vec<SyncRow>> {
        sync::linked(self, remote)
    }
    fn each_sync_row(&self, each: &mut dyn FnMut(SyncRow) -> Result<()>) -> Result<()> {
        sync::all(self, each)
    }
    fn latest_feedback(&self, experience_id: &str) -> Result<LatestFeedback> {
        sync::latest_feedback(self, experience_id)
    }
    fn sync_state_counts(&self, remote: &str) -> Result<std::collections::HashMap<String, i64>> {
        sync::state_counts(self, remote)
    }
    fn recreate_vector_table(&self, dim: usize) -> Result<()> {
        vectors::recreate(self, dim)
    }
    fn vector_fingerprint(&self) -> Result<(i64, i64)> {
        vectors::fingerprint(self)
    }
    fn vector_count(&self) -> Result<i64> {
        vectors::count(self)
    }
    fn seqs_missing_vectors(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        vectors::missing(self, after_seq, limit)
    }
    fn count_missing_vectors(&self) -> Result<i64> {
        vectors::count_missing(self)
    }
    fn has_vector(&self, seq: i64) -> Result<bool> {
        vectors::has_vector(self, seq)
    }
    fn vector_coverage(&self) -> Result<Option<f64>> {
        vectors::coverage(self)
    }
    fn seqs_after(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        vectors::seqs_after(self, after_seq, limit)
    }
}
