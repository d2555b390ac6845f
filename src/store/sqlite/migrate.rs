//! Schema creation and forward migrations, driven by `PRAGMA user_version`.
//!
//! A new store gets `schema.sql` (the one schema) in one transaction. A store from an older
//! plurum is upgraded step by step through `MIGRATIONS`; a store from a newer plurum is
//! refused untouched.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};
use crate::model::experience::views::{fts_document, fts_document_changed};
use crate::store::UpgradeProgress;

/// The schema every store is brought to.
pub const SCHEMA_VERSION: i64 = 5;

/// Identifies a plurum store among SQLite files ("PLRM").
const APPLICATION_ID: i64 = 0x504C_524D;

const SCHEMA: &str = include_str!("../../../schema.sql");

/// `MIGRATIONS[i]` takes a store from version `i + 1` to `i + 2`, inside the migration's
/// one transaction.
type Step = fn(&Connection, &UpgradeProgress) -> Result<()>;
const MIGRATIONS: &[Step] = &[
    |conn, _| search_at_scale(conn),
    |conn, _| keyword_frequencies(conn),
    |conn, _| merges(conn),
    cjk_keywords,
];

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

/// 4 → 5, for keyword search in Chinese, Japanese and Korean ([`crate::model::keyword_tokens`]):
/// the experiences whose text holds those scripts (or full-width forms) are indexed again,
/// without re-embedding; every other row's tokens are what they were. One pass reads the
/// raw text (a million rows in seconds); only rows with text beyond ASCII are parsed, and
/// only those whose tokens change are rewritten.
fn cjk_keywords(conn: &Connection, progress: &UpgradeProgress) -> Result<()> {
    use rusqlite::types::ValueRef;
    const SCAN: &str = "reading the text for the new keyword tokens";
    const INDEX: &str = "indexing Chinese, Japanese and Korean text again";
    let total: i64 = conn.query_row("SELECT count(*) FROM experiences", [], |r| r.get(0))?;
    let total = total as u64;
    let mut candidates = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT seq, goal, tags, domain, solution, context, dead_ends, breakthroughs, gotchas
             FROM experiences ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut seen = 0u64;
        while let Some(row) = rows.next()? {
            seen += 1;
            // An escaped character (`\u…`) in a JSON column counts as beyond ASCII.
            let beyond_ascii = (1..9).any(|i| {
                matches!(row.get_ref(i), Ok(ValueRef::Text(t))
                    if !t.is_ascii() || t.windows(2).any(|w| w == b"\\u"))
            });
            if beyond_ascii {
                candidates.push(row.get::<_, i64>(0)?);
            }
            if seen.is_multiple_of(10_000) {
                progress.report(SCAN, seen, total);
            }
        }
    }
    progress.report(SCAN, total, total);
    let mut changed = 0u64;
    for (done, &seq) in candidates.iter().enumerate() {
        if done.is_multiple_of(1_000) {
            progress.report(INDEX, done as u64, candidates.len() as u64);
        }
        let Some(e) = super::experiences::by_seq(conn, seq)? else {
            continue;
        };
        if fts_document_changed(&e.content) {
            conn.prepare_cached("DELETE FROM experience_fts WHERE rowid = ?1")?
                .execute([seq])?;
            super::experiences::index_keywords_only(conn, seq, &fts_document(&e.content))?;
            changed += 1;
        }
    }
    if changed > 0 {
        progress.report(INDEX, candidates.len() as u64, candidates.len() as u64);
        super::keyword_terms::refill(conn)?;
    }
    Ok(())
}

/// Refuses, without writing anything, a file that is not a plurum store or is too new.
pub fn check_compatible(conn: &Connection, path: &Path) -> Result<()> {
    let version = user_version(conn)?;
    refuse_foreign_or_newer(conn, path, version)
}

pub fn migrate(conn: &Connection, path: &Path, progress: &UpgradeProgress) -> Result<()> {
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
            step(&tx, progress)?;
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
