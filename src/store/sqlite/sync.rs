//! SQL for what this machine shares with remote collectives (`sync_map`).

use crate::store::{LatestFeedback, SyncRow};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::store::SyncTx;

const COLUMNS: &str = "remote, experience_id, remote_id, remote_short_id, state, remote_success_count, \
    remote_failure_count, remote_upvotes, remote_downvotes, sent_success, sent_vote, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<SyncRow> {
    Ok(SyncRow {
        remote: r.get(0)?,
        experience_id: r.get(1)?,
        remote_id: r.get(2)?,
        remote_short_id: r.get(3)?,
        state: r.get(4)?,
        remote_success_count: r.get(5)?,
        remote_failure_count: r.get(6)?,
        remote_upvotes: r.get(7)?,
        remote_downvotes: r.get(8)?,
        sent_success: r.get(9)?,
        sent_vote: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

pub fn get(conn: &Connection, remote: &str, experience_id: &str) -> Result<Option<SyncRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM sync_map WHERE remote = ?1 AND experience_id = ?2"
        ))?
        .query_row(params![remote, experience_id], from_row)
        .optional()?)
}

impl SyncTx for Connection {
    fn sync_rows_of(&self, experience_id: &str) -> Result<Vec<SyncRow>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM sync_map WHERE experience_id = ?1"
        ))?;
        let rows = stmt.query_map([experience_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn sync_row_by_remote_id(&self, remote: &str, remote_id: &str) -> Result<Option<SyncRow>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_map WHERE remote = ?1 AND remote_id = ?2"
            ))?
            .query_row(params![remote, remote_id], from_row)
            .optional()?)
    }
    fn put_sync_row(&self, row: &SyncRow) -> Result<()> {
        self.prepare_cached(&format!(
            "INSERT INTO sync_map ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (remote, experience_id) DO UPDATE SET remote_id = excluded.remote_id,
                remote_short_id = excluded.remote_short_id, state = excluded.state,
                remote_success_count = excluded.remote_success_count,
                remote_failure_count = excluded.remote_failure_count,
                remote_upvotes = excluded.remote_upvotes, remote_downvotes = excluded.remote_downvotes,
                sent_success = excluded.sent_success, sent_vote = excluded.sent_vote,
                updated_at = excluded.updated_at"
        ))?
        .execute(params![
            row.remote,
            row.experience_id,
            row.remote_id,
            row.remote_short_id,
            row.state,
            row.remote_success_count,
            row.remote_failure_count,
            row.remote_upvotes,
            row.remote_downvotes,
            row.sent_success,
            row.sent_vote,
            row.updated_at
        ])?;
        Ok(())
    }
    fn insert_sync_row_if_new(&self, row: &SyncRow) -> Result<bool> {
        let n = self
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO sync_map ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ))?
            .execute(params![
                row.remote, row.experience_id, row.remote_id, row.remote_short_id, row.state,
                row.remote_success_count, row.remote_failure_count, row.remote_upvotes, row.remote_downvotes,
                row.sent_success, row.sent_vote, row.updated_at
            ])?;
        Ok(n == 1)
    }
    fn to_push(&self, remote: &str) -> Result<Vec<(String, Option<SyncRow>)>> {
        let mut stmt = self.prepare(
            &format!("SELECT e.id FROM experiences e
             WHERE e.origin IS NULL AND e.visibility = 'public' AND e.status IN {searchable}
               AND NOT EXISTS (SELECT 1 FROM sync_map m WHERE m.remote = ?1 AND m.experience_id = e.id
                               AND m.state IN ('published', 'pulled'))
             ORDER BY e.seq", searchable = crate::store::sql::searchable_statuses()),
        )?;
        let ids: Vec<String> = stmt
            .query_map([remote], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = get(self, remote, &id)?;
            out.push((id, row));
        }
        Ok(out)
    }
    fn linked_sync_rows(&self, remote: &str) -> Result<Vec<SyncRow>> {
        let mut stmt = self.prepare(&format!(
            "SELECT {COLUMNS} FROM sync_map WHERE remote = ?1 AND state IN ('published', 'pulled') AND remote_id IS NOT NULL ORDER BY updated_at"
        ))?;
        let rows = stmt.query_map([remote], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn each_sync_row(&self, each: &mut dyn FnMut(SyncRow) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(&format!(
            "SELECT {COLUMNS} FROM sync_map ORDER BY remote, experience_id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(from_row(r)?)?;
        }
        Ok(())
    }
    fn latest_feedback(&self, experience_id: &str) -> Result<LatestFeedback> {
        let report = self
            .prepare_cached(
                "SELECT success, execution_time_ms, error_message, context_notes, env_fingerprint
                 FROM outcome_reports WHERE experience_id = ?1 ORDER BY updated_at DESC, id LIMIT 1",
            )?
            .query_row([experience_id], |r| {
                let env: Option<String> = r.get(4)?;
                Ok((
                    r.get::<_, bool>(0)?,
                    serde_json::json!({
                        "success": r.get::<_, bool>(0)?,
                        "execution_time_ms": r.get::<_, Option<i64>>(1)?,
                        "error_message": r.get::<_, Option<String>>(2)?,
                        "context_notes": r.get::<_, Option<String>>(3)?,
                        "env_fingerprint": env.and_then(|e| serde_json::from_str::<serde_json::Value>(&e).ok()),
                    }),
                ))
            })
            .optional()?;
        let vote: Option<String> = self
            .prepare_cached("SELECT vote_type FROM votes WHERE experience_id = ?1 ORDER BY updated_at DESC, id LIMIT 1")?
            .query_row([experience_id], |r| r.get(0))
            .optional()?;
        Ok((report, vote))
    }
    fn sync_state_counts(&self, remote: &str) -> Result<std::collections::HashMap<String, i64>> {
        let mut stmt =
            self.prepare("SELECT state, count(*) FROM sync_map WHERE remote = ?1 GROUP BY state")?;
        let rows = stmt.query_map([remote], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
