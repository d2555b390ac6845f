//! SQL for outcome reports and votes, and their counts (which `ops::feedback::recount`
//! turns into an experience's counters).

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::experience::types::VoteType;
use crate::model::feedback::{OutcomeReport, Vote};
use crate::store::FeedbackCounts;
use crate::store::FeedbackTx;

const REPORT_COLUMNS: &str = "id, experience_id, agent_id, success, execution_time_ms, \
    error_message, context_notes, env_fingerprint, created_at, updated_at";

fn report_from_row(r: &Row) -> rusqlite::Result<OutcomeReport> {
    let env: Option<String> = r.get(7)?;
    Ok(OutcomeReport {
        id: r.get(0)?,
        experience_id: r.get(1)?,
        agent_id: r.get(2)?,
        success: r.get(3)?,
        execution_time_ms: r.get(4)?,
        error_message: r.get(5)?,
        context_notes: r.get(6)?,
        env_fingerprint: env.and_then(|t| serde_json::from_str(&t).ok()),
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn vote_from_row(r: &Row) -> rusqlite::Result<Vote> {
    let vote_type: String = r.get(3)?;
    Ok(Vote {
        id: r.get(0)?,
        experience_id: r.get(1)?,
        agent_id: r.get(2)?,
        vote_type: VoteType::parse(&vote_type),
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

impl FeedbackTx for Connection {
    fn upsert_report(&self, r: &OutcomeReport) -> Result<OutcomeReport> {
        Ok(self
            .prepare_cached(&format!(
                "INSERT INTO outcome_reports ({REPORT_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (experience_id, agent_id) DO UPDATE SET
                    success = excluded.success,
                    execution_time_ms = coalesce(excluded.execution_time_ms, execution_time_ms),
                    error_message = coalesce(excluded.error_message, error_message),
                    context_notes = coalesce(excluded.context_notes, context_notes),
                    env_fingerprint = coalesce(excluded.env_fingerprint, env_fingerprint),
                    updated_at = excluded.updated_at
                 RETURNING {REPORT_COLUMNS}"
            ))?
            .query_row(
                params![
                    r.id,
                    r.experience_id,
                    r.agent_id,
                    r.success,
                    r.execution_time_ms,
                    r.error_message,
                    r.context_notes,
                    r.env_fingerprint.as_ref().map(|v| v.to_string()),
                    r.created_at,
                    r.updated_at
                ],
                report_from_row,
            )?)
    }
    fn insert_report_if_new(&self, r: &OutcomeReport) -> Result<bool> {
        let n = self.prepare_cached(&format!(
            "INSERT OR IGNORE INTO outcome_reports ({REPORT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?
        .execute(params![
            r.id, r.experience_id, r.agent_id, r.success, r.execution_time_ms, r.error_message,
            r.context_notes, r.env_fingerprint.as_ref().map(|v| v.to_string()), r.created_at,
            r.updated_at
        ])?;
        Ok(n == 1)
    }
    fn vote_of(&self, experience_id: &str, agent_id: &str) -> Result<Option<Vote>> {
        Ok(self
            .prepare_cached(
                "SELECT id, experience_id, agent_id, vote_type, created_at, updated_at
                 FROM votes WHERE experience_id = ?1 AND agent_id = ?2",
            )?
            .query_row(params![experience_id, agent_id], vote_from_row)
            .optional()?)
    }
    fn insert_vote(&self, v: &Vote) -> Result<bool> {
        let n = self
            .prepare_cached(
                "INSERT OR IGNORE INTO votes (id, experience_id, agent_id, vote_type, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                v.id, v.experience_id, v.agent_id, v.vote_type.map(|t| t.as_str()), v.created_at,
                v.updated_at
            ])?;
        Ok(n == 1)
    }
    fn change_vote(&self, id: &str, vote_type: VoteType, at: &str) -> Result<()> {
        self.execute(
            "UPDATE votes SET vote_type = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, vote_type.as_str(), at],
        )?;
        Ok(())
    }
    fn delete_vote(&self, id: &str) -> Result<()> {
        self.execute("DELETE FROM votes WHERE id = ?1", [id])?;
        Ok(())
    }
    fn feedback_counts(&self, experience_id: &str) -> Result<FeedbackCounts> {
        Ok(self
            .prepare_cached(
                "SELECT (SELECT coalesce(sum(success), 0) FROM outcome_reports WHERE experience_id = ?1),
                        (SELECT coalesce(sum(1 - success), 0) FROM outcome_reports WHERE experience_id = ?1),
                        (SELECT coalesce(sum(vote_type = 'up'), 0) FROM votes WHERE experience_id = ?1),
                        (SELECT coalesce(sum(vote_type = 'down'), 0) FROM votes WHERE experience_id = ?1)",
            )?
            .query_row([experience_id], |r| {
                Ok(FeedbackCounts {
                    success: r.get(0)?,
                    failure: r.get(1)?,
                    up: r.get(2)?,
                    down: r.get(3)?,
                })
            })?)
    }
    fn feedback_on(&self, experience_id: &str) -> Result<(Vec<OutcomeReport>, Vec<Vote>)> {
        let reports = self
            .prepare_cached(&format!(
                "SELECT {REPORT_COLUMNS} FROM outcome_reports WHERE experience_id = ?1 ORDER BY created_at, id"
            ))?
            .query_map([experience_id], report_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let votes = self
            .prepare_cached(
                "SELECT id, experience_id, agent_id, vote_type, created_at, updated_at FROM votes
                 WHERE experience_id = ?1 ORDER BY created_at, id",
            )?
            .query_map([experience_id], vote_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((reports, votes))
    }
    fn move_report(&self, id: &str, experience_id: &str) -> Result<()> {
        self.execute(
            "UPDATE outcome_reports SET experience_id = ?2 WHERE id = ?1",
            params![id, experience_id],
        )?;
        Ok(())
    }
    fn delete_report(&self, id: &str) -> Result<()> {
        self.execute("DELETE FROM outcome_reports WHERE id = ?1", [id])?;
        Ok(())
    }
    fn move_vote(&self, id: &str, experience_id: &str) -> Result<()> {
        self.execute(
            "UPDATE votes SET experience_id = ?2 WHERE id = ?1",
            params![id, experience_id],
        )?;
        Ok(())
    }
    fn each_report(&self, each: &mut dyn FnMut(OutcomeReport) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM outcome_reports ORDER BY created_at, id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(report_from_row(row)?)?;
        }
        Ok(())
    }
    fn each_vote(&self, each: &mut dyn FnMut(Vote) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(
            "SELECT id, experience_id, agent_id, vote_type, created_at, updated_at FROM votes ORDER BY created_at, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(vote_from_row(row)?)?;
        }
        Ok(())
    }
}
