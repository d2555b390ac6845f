//! SQL for keeping a store healthy: integrity, index consistency, rebuilds, backups.

use std::path::Path;

use crate::store::{FileFacts, IndexCounts};
use rusqlite::Connection;

use crate::atomic_file::{AtomicFile, Readers};
use crate::error::{Error, Result};
use crate::store::{MaintenanceTx, VectorTx};

pub fn vacuum(conn: &Connection) -> Result<()> {
    // VACUUM first copies the whole store into a temporary database, which this
    // connection's `temp_store = MEMORY` (meant for small sorts) would put in memory: a
    // 5.3 GB peak for a 4.9 GB store of a million experiences. On disk it takes space, not
    // memory.
    conn.execute_batch("PRAGMA temp_store = FILE")?;
    let vacuumed = conn.execute_batch("VACUUM");
    conn.execute_batch("PRAGMA temp_store = MEMORY")?;
    Ok(vacuumed?)
}

/// A consistent copy of the store at `dest`, taken with SQLite's online backup API in one
/// step (one read snapshot), so other processes keep writing meanwhile. Written beside the
/// destination and renamed into place, so a failed backup never leaves half a file.
pub fn backup(conn: &Connection, dest: &Path) -> Result<()> {
    let cannot_write =
        |e: std::io::Error| Error::other(format!("cannot write {}: {e}", dest.display()));
    let file = AtomicFile::create(dest, Readers::Default).map_err(cannot_write)?;
    {
        let mut out = Connection::open(file.temp_path())?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        backup.step(-1)?;
        drop(backup);
        // A self-contained file: no WAL beside it.
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        let check: String = out.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::other(format!(
                "the backup failed its check: {check}"
            )));
        }
    }
    file.commit().map_err(cannot_write)?;
    Ok(())
}

impl MaintenanceTx for Connection {
    fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn index_counts(&self) -> Result<IndexCounts> {
        let n = |sql: &str| -> Result<i64> { Ok(self.query_row(sql, [], |r| r.get(0))?) };
        Ok(IndexCounts {
            experiences: n("SELECT count(*) FROM experiences")?,
            keyword_rows: n("SELECT count(*) FROM experience_fts")?,
            orphan_keyword_rows: n(
                "SELECT count(*) FROM experience_fts WHERE rowid NOT IN (SELECT seq FROM experiences)",
            )?,
            missing_keyword_rows: n(
                "SELECT count(*) FROM experiences WHERE seq NOT IN (SELECT rowid FROM experience_fts)",
            )?,
            vectors: super::vectors::count(self)?,
            orphan_vectors: n(&format!(
                "SELECT count(*) FROM {} WHERE rowid NOT IN (SELECT seq FROM experiences)",
                super::sqlite_vec::ROWIDS
            ))?,
            missing_vectors: self.count_missing_vectors()?,
            stale_counts: super::vectors::stale_counts(self)?,
            stale_keyword_terms: super::keyword_terms::stale_count(self)?,
            stale_vector_codes: super::vector_codes::stale_count(
                self,
                super::sqlite_vec::table_dim(self)?,
            )?,
            keyword_documents_pending: 0,
        })
    }
    fn file_facts(&self) -> Result<FileFacts> {
        let n = |sql: &str| -> Result<i64> { Ok(self.query_row(sql, [], |r| r.get(0))?) };
        Ok(FileFacts {
            page_size: n("PRAGMA page_size")?,
            pages: n("PRAGMA page_count")?,
            free_pages: n("PRAGMA freelist_count")?,
        })
    }
    fn rebuild_keywords(&self) -> Result<usize> {
        // FTS5's own command: drops every segment at once, where a DELETE of each row of a
        // contentless-delete table writes a tombstone for it.
        self.execute(
            "INSERT INTO experience_fts (experience_fts) VALUES ('delete-all')",
            [],
        )?;
        let mut stmt = self.prepare("SELECT seq FROM experiences ORDER BY seq")?;
        let seqs: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for &seq in &seqs {
            if let Some(e) = super::experiences::by_seq(self, seq)? {
                let doc = crate::model::experience::views::fts_document(&e.content);
                super::experiences::index_keywords_only(self, seq, &doc)?;
            }
        }
        super::keyword_terms::refill(self)?;
        Ok(seqs.len())
    }
    fn rebuild_vectors(&self, dim: usize) -> Result<usize> {
        let kept = super::sqlite_vec::rebuild_table(self, dim)?;
        super::vector_codes::rebuild(self, dim)?;
        super::vectors::recount(self)?;
        super::vectors::bump_version(self)?;
        self.execute(
            "DELETE FROM session_vectors WHERE session_seq NOT IN (SELECT seq FROM sessions)",
            [],
        )?;
        Ok(kept)
    }
    fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }
    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO store_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}
