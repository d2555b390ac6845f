//! Schema creation and forward migrations, driven by `PRAGMA user_version`.
//!
//! A new store gets `schema.sql` (the one schema) in one transaction. A store from an older
//! plurum is upgraded step by step through `MIGRATIONS`; a store from a newer plurum is
//! refused untouched.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The schema every store is brought to.
pub const SCHEMA_VERSION: i64 = 4;

/// Identifies a plurum store among SQLite files ("PLRM").
const APPLICATION_ID: i64 = 0x504C_524D;

const SCHEMA: &str = include_str!("../../../schema.sql");

/// `MIGRATIONS[i]` takes a store from version `i + 1` to `i + 2`, inside the migration's
/// one transaction.
const MIGRATIONS: &[fn(&Connection) -> Result<()>] =
    &[search_at_scale, keyword_frequencies, merges];

/// 1 → 2, for search at a million experiences: the vectors' quantised codes, derived from
/// the stored vectors (no model, no re-embedding); the kept counts; and the vector table
/// rebuilt with small chunks (`sqlite_vec::CHUNK_SIZE`). Memory stays flat: the vectors
/// are streamed, never held.
fn search_at_scale(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE experience_vector_codes (
             block   INTEGER PRIMARY KEY,
             present BLOB NOT NULL,
             codes   BLOB NOT NULL
         );
         CREATE TABLE store_counts (
             name TEXT PRIMARY KEY,
             n    INTEGER NOT NULL
         ) WITHOUT ROWID;
         CREATE TRIGGER experiences_counted_in AFTER INSERT ON experiences BEGIN
             UPDATE store_counts SET n = n + 1 WHERE name = 'experiences';
         END;
         CREATE TRIGGER experiences_counted_out AFTER DELETE ON experiences BEGIN
             UPDATE store_counts SET n = n - 1 WHERE name = 'experiences';
         END;",
    )?;
    let dim = super::sqlite_vec::table_dim(conn)?;
    super::sqlite_vec::rebuild_table(conn, dim)?;
    super::vector_codes::rebuild(conn, dim)?;
    super::vectors::recount(conn)?;
    super::vectors::bump_version(conn)
}

/// 2 → 3, for the bounded keyword arm: each term's document frequency, counted from the
/// keyword index in one pass.
fn keyword_frequencies(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE keyword_terms (
             term TEXT PRIMARY KEY,
             docs INTEGER NOT NULL
         ) WITHOUT ROWID;
         CREATE VIRTUAL TABLE experience_fts_terms USING fts5vocab (experience_fts, row);",
    )?;
    super::keyword_terms::refill(conn)
}

/// 3 → 4, for near-duplicates: which experience an archived one was merged into, and the
/// vectors of the experiences' fixes (filled as the duplicate check meets them).
fn merges(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "ALTER TABLE experiences ADD COLUMN merged_into TEXT;
         CREATE TABLE experience_lesson_vectors (
             seq       INTEGER PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
             embedding BLOB NOT NULL
         );",
    )?;
    Ok(())
}

/// Refuses, without writing anything, a file that is not a plurum store or is too new.
pub fn check_compatible(conn: &Connection, path: &Path) -> Result<()> {
    let version = user_version(conn)?;
    refuse_foreign_or_newer(conn, path, version)
}

pub fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    if user_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }

    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Another process may have done the work while we waited for the lock.
    let version = user_version(&tx)?;
    refuse_foreign_or_newer(&tx, path, version)?;
    if version == 0 {
        tx.execute_batch(SCHEMA)?;
    } else {
        for step in &MIGRATIONS[(version - 1) as usize..] {
            step(&tx)?;
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
    ))?;
    tx.commit()?;
    Ok(())
}

/// True when the store is not at this plurum's schema version (empty, or older).
pub fn needs_migration(conn: &Connection) -> Result<bool> {
    Ok(user_version(conn)? != SCHEMA_VERSION)
}

fn user_version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::Invalid {
                message: "this file is not a plurum store (not an SQLite database)".into(),
                field: Some("db".into()),
            },
            _ => e.into(),
        })
}

fn refuse_foreign_or_newer(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(Error::Invalid {
            message: format!(
                "{} was written by a newer plurum (schema version {version}; this plurum knows {SCHEMA_VERSION}); upgrade plurum to use it. Nothing was changed.",
                path.display()
            ),
            field: Some("db".into()),
        });
    }
    let application_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let ours = application_id == APPLICATION_ID || (application_id == 0 && tables == 0);
    if !ours {
        return Err(Error::Invalid {
            message: format!(
                "{} is an SQLite database but not a plurum store; refusing to touch it",
                path.display()
            ),
            field: Some("db".into()),
        });
    }
    Ok(())
}
