//! SQL for what this store shares with remote collectives (`sync_map`), Postgres. Same
//! semantics as sqlite/sync.rs.

use std::collections::HashMap;

use postgres::{Row, Transaction};

use super::{PgTx, visit};
use crate::error::Result;
use crate::store::SyncTx;
use crate::store::{LatestFeedback, SyncRow};

const COLUMNS: &str = "remote, experience_id, remote_id, remote_short_id, state, \
    remote_success_count, remote_failure_count, remote_upvotes, remote_downvotes, sent_success, \
    sent_vote, updated_at";

fn from_row(r: &Row) -> SyncRow {
    SyncRow {
        remote: r.get(0),
        experience_id: r.get(1),
        remote_id: r.get(2),
        remote_short_id: r.get(3),
        state: r.get(4),
        remote_success_count: r.get(5),
        remote_failure_count: r.get(6),
        remote_upvotes: r.get(7),
        remote_downvotes: r.get(8),
        sent_success: r.get(9),
        sent_vote: r.get(10),
        updated_at: r.get(11),
    }
}

pub fn get(c: &mut Transaction, remote: &str, experience_id: &str) -> Result<Option<SyncRow>> {
    Ok(c.query_opt(
        &format!("SELECT {COLUMNS} FROM sync_map WHERE remote = $1 AND experience_id = $2"),
        &[&remote, &experience_id],
    )?
    .map(|r| from_row(&r)))
}

fn write(c: &mut Transaction, row: &SyncRow, on_conflict: &str) -> Result<u64> {
    Ok(c.execute(
        &format!(
            "INSERT INTO sync_map ({COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) {on_conflict}"
        ),
        &[
            &row.remote,
            &row.experience_id,
            &row.remote_id,
            &row.remote_short_id,
            &row.state,
            &row.remote_success_count,
            &row.remote_failure_count,
            &row.remote_upvotes,
            &row.remote_downvotes,
            &row.sent_success,
            &row.sent_vote,
            &row.updated_at,
        ],
    )?)
}

impl SyncTx for PgTx<'_> {
    fn sync_rows_of(&self, experience_id: &str) -> Result<Vec<SyncRow>> {
        let c = &mut self.tx();
        Ok(c.query(
            &format!("SELECT {COLUMNS} FROM sync_map WHERE experience_id = $1"),
            &[&experience_id],
        )?
        .iter()
        .map(from_row)
        .collect())
    }
    fn sync_row_by_remote_id(&self, remote: &str, remote_id: &str) -> Result<Option<SyncRow>> {
        let c = &mut self.tx();
        Ok(c.query_opt(
            &format!("SELECT {COLUMNS} FROM sync_map WHERE remote = $1 AND remote_id = $2"),
            &[&remote, &remote_id],
        )?
        .map(|r| from_row(&r)))
    }
    fn put_sync_row(&self, row: &SyncRow) -> Result<()> {
        let c = &mut self.tx();
        write(
            c,
            row,
            "ON CONFLICT (remote, experience_id) DO UPDATE SET remote_id = excluded.remote_id,
                remote_short_id = excluded.remote_short_id, state = excluded.state,
                remote_success_count = excluded.remote_success_count,
                remote_failure_count = excluded.remote_failure_count,
                remote_upvotes = excluded.remote_upvotes, remote_downvotes = excluded.remote_downvotes,
                sent_success = excluded.sent_success, sent_vote = excluded.sent_vote,
                updated_at = excluded.updated_at",
        )?;
        Ok(())
    }
    fn insert_sync_row_if_new(&self, row: &SyncRow) -> Result<bool> {
        self.with(|c| Ok(write(c, row, "ON CONFLICT DO NOTHING")? == 1))
    }
    fn to_push(&self, remote: &str) -> Result<Vec<(String, Option<SyncRow>)>> {
        let c = &mut self.tx();
        let ids: Vec<String> = c
            .query(
                &format!("SELECT e.id FROM experiences e
                 WHERE e.origin IS NULL AND e.visibility = 'public'
                   AND e.status IN {searchable}
                   AND NOT EXISTS (SELECT 1 FROM sync_map m WHERE m.remote = $1
                                   AND m.experience_id = e.id AND m.state IN ('published', 'pulled'))
                 ORDER BY e.seq", searchable = crate::store::sql::searchable_statuses()),
                &[&remote],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = get(c, remote, &id)?;
            out.push((id, row));
        }
        Ok(out)
    }
    fn linked_sync_rows(&self, remote: &str) -> Result<Vec<SyncRow>> {
        let c = &mut self.tx();
        Ok(c.query(
            &format!(
                "SELECT {COLUMNS} FROM sync_map WHERE remote = $1 AND state IN ('published', 'pulled')
                 AND remote_id IS NOT NULL ORDER BY updated_at"
            ),
            &[&remote],
        )?
        .iter()
        .map(from_row)
        .collect())
    }
    fn each_sync_row(&self, each: &mut dyn FnMut(SyncRow) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                Ok(c.query(
                    &format!("SELECT {COLUMNS} FROM sync_map ORDER BY remote, experience_id"),
                    &[],
                )?
                .iter()
                .map(from_row)
                .collect())
            })?,
            each,
        )
    }
    fn latest_feedback(&self, experience_id: &str) -> Result<LatestFeedback> {
        let c = &mut self.tx();
        let report = c
            .query_opt(
                "SELECT success, execution_time_ms, error_message, context_notes, env_fingerprint
                 FROM outcome_reports WHERE experience_id = $1 ORDER BY updated_at DESC, id LIMIT 1",
                &[&experience_id],
            )?
            .map(|r| {
                let env: Option<String> = r.get(4);
                let success: bool = r.get(0);
                (
                    success,
                    serde_json::json!({
                        "success": success,
                        "execution_time_ms": r.get::<_, Option<i64>>(1),
                        "error_message": r.get::<_, Option<String>>(2),
                        "context_notes": r.get::<_, Option<String>>(3),
                        "env_fingerprint": env.and_then(|e| serde_json::from_str::<serde_json::Value>(&e).ok()),
                    }),
                )
            });
        let vote: Option<String> = c
            .query_opt(
                "SELECT vote_type FROM votes WHERE experience_id = $1 ORDER BY updated_at DESC, id LIMIT 1",
                &[&experience_id],
            )?
            .map(|r| r.get(0));
        Ok((report, vote))
    }
    fn sync_state_counts(&self, remote: &str) -> Result<HashMap<String, i64>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT state, count(*) FROM sync_map WHERE remote = $1 GROUP BY state",
            &[&remote],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    }
}
