//! SQL for outcome reports and votes, and their counts (Postgres). Same semantics as
//! sqlite/feedback.rs. Several servers may write feedback on one experience at once, so the
//! recount (`ops::feedback::recount`) first locks the experience's row (`lock_experience`):
//! recounts of one experience run one after another, and each counts (a fresh READ
//! COMMITTED snapshot per statement) everything committed before it, so the last one to
//! commit stores the exact counters.

use postgres::Row;
use postgres::types::ToSql;

use super::{PgTx, visit};
use crate::error::Result;
use crate::model::experience::types::VoteType;
use crate::model::feedback::{OutcomeReport, Vote};
use crate::store::FeedbackCounts;
use crate::store::FeedbackTx;

const REPORT_COLUMNS: &str = "id, experience_id, agent_id, success, execution_time_ms, \
    error_message, context_notes, env_fingerprint, created_at, updated_at";

fn report_from_row(r: &Row) -> OutcomeReport {
    let env: Option<String> = r.get(7);
    OutcomeReport {
        id: r.get(0),
        experience_id: r.get(1),
        agent_id: r.get(2),
        success: r.get(3),
        execution_time_ms: r.get(4),
        error_message: r.get(5),
        context_notes: r.get(6),
        env_fingerprint: env.and_then(|t| serde_json::from_str(&t).ok()),
        created_at: r.get(8),
        updated_at: r.get(9),
    }
}

fn vote_from_row(r: &Row) -> Vote {
    let vote_type: String = r.get(3);
    Vote {
        id: r.get(0),
        experience_id: r.get(1),
        agent_id: r.get(2),
        vote_type: VoteType::parse(&vote_type),
        created_at: r.get(4),
        updated_at: r.get(5),
    }
}

const VOTE_COLUMNS: &str = "id, experience_id, agent_id, vote_type, created_at, updated_at";

/// A report's values in `REPORT_COLUMNS` order (`env` is its fingerprint as JSON text).
fn report_values<'a>(
    r: &'a OutcomeReport,
    env: &'a Option<String>,
) -> [&'a (dyn ToSql + Sync); 10] {
    [
        &r.id,
        &r.experience_id,
        &r.agent_id,
        &r.success,
        &r.execution_time_ms,
        &r.error_message,
        &r.context_notes,
        env,
        &r.created_at,
        &r.updated_at,
    ]
}

impl FeedbackTx for PgTx<'_> {
    fn upsert_report(&self, r: &OutcomeReport) -> Result<OutcomeReport> {
        let c = &mut self.tx();
        let env = r.env_fingerprint.as_ref().map(|v| v.to_string());
        let row = c.query_one(
            &format!(
                "INSERT INTO outcome_reports AS o ({REPORT_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (experience_id, agent_id) DO UPDATE SET
                    success = excluded.success,
                    execution_time_ms = coalesce(excluded.execution_time_ms, o.execution_time_ms),
                    error_message = coalesce(excluded.error_message, o.error_message),
                    context_notes = coalesce(excluded.context_notes, o.context_notes),
                    env_fingerprint = coalesce(excluded.env_fingerprint, o.env_fingerprint),
                    updated_at = excluded.updated_at
                 RETURNING {REPORT_COLUMNS}"
            ),
            &report_values(r, &env),
        )?;
        Ok(report_from_row(&row))
    }
    fn insert_report_if_new(&self, r: &OutcomeReport) -> Result<bool> {
        let c = &mut self.tx();
        let env = r.env_fingerprint.as_ref().map(|v| v.to_string());
        let n = c.execute(
            &format!(
                "INSERT INTO outcome_reports ({REPORT_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING"
            ),
            &report_values(r, &env),
        )?;
        Ok(n == 1)
    }
    fn vote_of(&self, experience_id: &str, agent_id: &str) -> Result<Option<Vote>> {
        let c = &mut self.tx();
        Ok(c.query_opt(
            &format!("SELECT {VOTE_COLUMNS} FROM votes WHERE experience_id = $1 AND agent_id = $2"),
            &[&experience_id, &agent_id],
        )?
        .map(|r| vote_from_row(&r)))
    }
    fn insert_vote(&self, v: &Vote) -> Result<bool> {
        let c = &mut self.tx();
        let n = c.execute(
            &format!(
                "INSERT INTO votes ({VOTE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT DO NOTHING"
            ),
            &[
                &v.id,
                &v.experience_id,
                &v.agent_id,
                &v.vote_type.map(|t| t.as_str()),
                &v.created_at,
                &v.updated_at,
            ],
        )?;
        Ok(n == 1)
    }
    fn change_vote(&self, id: &str, vote_type: VoteType, at: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE votes SET vote_type = $2, updated_at = $3 WHERE id = $1",
            &[&id, &vote_type.as_str(), &at],
        )?;
        Ok(())
    }
    fn delete_vote(&self, id: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute("DELETE FROM votes WHERE id = $1", &[&id])?;
        Ok(())
    }
    fn feedback_counts(&self, experience_id: &str) -> Result<FeedbackCounts> {
        let c = &mut self.tx();
        let r = c.query_one(
            "SELECT (SELECT count(*) FROM outcome_reports WHERE experience_id = $1 AND success),
                    (SELECT count(*) FROM outcome_reports WHERE experience_id = $1 AND NOT success),
                    (SELECT count(*) FROM votes WHERE experience_id = $1 AND vote_type = 'up'),
                    (SELECT count(*) FROM votes WHERE experience_id = $1 AND vote_type = 'down')",
            &[&experience_id],
        )?;
        Ok(FeedbackCounts {
            success: r.get(0),
            failure: r.get(1),
            up: r.get(2),
            down: r.get(3),
        })
    }
    fn feedback_on(&self, experience_id: &str) -> Result<(Vec<OutcomeReport>, Vec<Vote>)> {
        let c = &mut self.tx();
        let reports = c
            .query(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM outcome_reports WHERE experience_id = $1
                     ORDER BY created_at, id"
                ),
                &[&experience_id],
            )?
            .iter()
            .map(report_from_row)
            .collect();
        let votes = c
            .query(
                &format!(
                    "SELECT {VOTE_COLUMNS} FROM votes WHERE experience_id = $1 ORDER BY created_at, id"
                ),
                &[&experience_id],
            )?
            .iter()
            .map(vote_from_row)
            .collect();
        Ok((reports, votes))
    }
    fn move_report(&self, id: &str, experience_id: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE outcome_reports SET experience_id = $2 WHERE id = $1",
            &[&id, &experience_id],
        )?;
        Ok(())
    }
    fn delete_report(&self, id: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute("DELETE FROM outcome_reports WHERE id = $1", &[&id])?;
        Ok(())
    }
    fn move_vote(&self, id: &str, experience_id: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE votes SET experience_id = $2 WHERE id = $1",
            &[&id, &experience_id],
        )?;
        Ok(())
    }
    fn each_report(&self, each: &mut dyn FnMut(OutcomeReport) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                Ok(c.query(
                    &format!(
                        "SELECT {REPORT_COLUMNS} FROM outcome_reports ORDER BY created_at, id"
                    ),
                    &[],
                )?
                .iter()
                .map(report_from_row)
                .collect())
            })?,
            each,
        )
    }
    fn each_vote(&self, each: &mut dyn FnMut(Vote) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                Ok(c.query(
                    &format!("SELECT {VOTE_COLUMNS} FROM votes ORDER BY created_at, id"),
                    &[],
                )?
                .iter()
                .map(vote_from_row)
                .collect())
            })?,
            each,
        )
    }
}
