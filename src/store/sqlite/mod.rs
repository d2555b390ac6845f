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
mod fts5;
mod keyword_terms;
mod maintenance;
mod migrate;
mod search;
mod sessions;
pub(crate) mod sqlite_vec;
mod sync;
mod vector_codes;
mod vectors;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result, StoreFailure};
use crate::store::{Database, Tx};

pub use migrate::SCHEMA_VERSION;
pub use sqlite_vec::scan_vectors;

/// How long a writer waits for another process's write transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The store file, with a small pool of connections so one `SqliteStore` can serve many threads.
pub struct SqliteStore {
    path: PathBuf,
    /// How connections open the file; `ReadOnly` when this process cannot write it.
    access: Access,
    pool: Mutex<Vec<Connection>>,
    /// How long a connection waits for another process's lock ([`BUSY_TIMEOUT`] unless the
    /// opener cannot wait that long, as a host's hook cannot).
    busy_timeout: Duration,
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
        SqliteStore::open_reporting(path, None, &crate::store::UpgradeProgress::silent())
    }

    /// [`SqliteStore::open`], waiting at most `busy_timeout` (the default when `None`) for
    /// another process's lock, and reporting a long migration's progress.
    pub fn open_reporting(
        path: &Path,
        busy_timeout: Option<Duration>,
        progress: &crate::store::UpgradeProgress,
    ) -> Result<SqliteStore> {
        let busy_timeout = busy_timeout.unwrap_or(BUSY_TIMEOUT);
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
            busy_timeout,
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
            migrate::migrate(&conn, path, progress)?;
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
        conn.busy_timeout(self.busy_timeout)?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -8192;
             PRAGMA mmap_size = 0;",
        )
        .map_err(|e| open_error(&self.path, e))?;
        // `rarray(?)`: binds a list of ids as one parameter (search's eligibility check).
        rusqlite::vtab::array::load_module(&conn)?;
        // `plurum_bm25`: the bounded keyword arm's ranking (`fts5.rs`).
        fts5::register(&conn)?;
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

    fn worth_caching_vectors(&self) -> bool {
        true
    }

    fn rate_windows(&self) -> Option<&dyn crate::store::RateWindows> {
        None
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
