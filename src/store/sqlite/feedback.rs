//! SQL for outcome reports and votes, and the counters they drive.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::experience::types::{Metrics, VoteType};
use crate::model::feedback::{OutcomeReport, Vote};

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

/// Inserts a report, or overwrites the agent's earlier one: `success` always, the optional
/// fields only when given this time; `created_at` keeps the first report's time (§3.2).
pub fn upsert_report(conn: &Connection, r: &OutcomeReport) -> Result<OutcomeReport> {
    Ok(conn
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

/// Inserts a report exactly as given unless its id or (experience, agent) exists (import).
pub fn insert_report_if_new(conn: &Connection, r: &OutcomeReport) -> Result<bool> {
    let n = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO outcome_reports ({REPORT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(params![
        r.id, r.experience_id, r.agent_id, r.success, r.execution_time_ms, r.error_message,
        r.context_notes, r.env_fingerprint.as_ref().map(|v| v.to_string()), r.created_at,
        r.updated_at
    ])?;
    Ok(n == 1)
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

pub fn vote_of(conn: &Connection, experience_id: &str, agent_id: &str) -> Result<Option<Vote>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, experience_id, agent_id, vote_type, created_at, updated_at
             FROM votes WHERE experience_id = ?1 AND agent_id = ?2",
        )?
        .query_row(params![experience_id, agent_id], vote_from_row)
        .optional()?)
}

pub fn insert_vote(conn: &Connection, v: &Vote) -> Result<bool> {
    let n = conn
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

pub fn change_vote(conn: &Connection, id: &str, vote_type: VoteType, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE votes SET vote_type = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, vote_type.as_str(), at],
    )?;
    Ok(())
}

pub fn delete_vote(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM votes WHERE id = ?1", [id])?;
    Ok(())
}

/// Recounts an experience's reports and votes from scratch (this store's, plus the rest of
/// any collective it is shared with) and stores the counters and the quality score derived
/// from them (reference §4.5-4.7).
pub fn recount(conn: &Connection, experience_id: &str) -> Result<Metrics> {
    let (success, failure): (i64, i64) = conn
        .prepare_cached(
            "SELECT coalesce(sum(success), 0), coalesce(sum(1 - success), 0)
             FROM outcome_reports WHERE experience_id = ?1",
        )?
        .query_row([experience_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (up, down): (i64, i64) = conn
        .prepare_cached(
            "SELECT coalesce(sum(vote_type = 'up'), 0), coalesce(sum(vote_type = 'down'), 0)
             FROM votes WHERE experience_id = ?1",
        )?
        .query_row([experience_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // Feedback from the rest of a collective: a remote's counters minus what came from here.
    let (mut success, mut failure, mut up, mut down) = (success, failure, up, down);
    for link in super::sync::of_experience(conn, experience_id)? {
        let (s, f, u, d) = link.others_feedback();
        (success, failure, up, down) = (success + s, failure + f, up + u, down + d);
    }
    let metrics = Metrics::from_counts(success, failure, up, down);
    super::experiences::set_metrics(conn, experience_id, &metrics)?;
    Ok(metrics)
}

pub fn all_reports(
    conn: &Connection,
    mut each: impl FnMut(OutcomeReport) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {REPORT_COLUMNS} FROM outcome_reports ORDER BY created_at, id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(report_from_row(row)?)?;
    }
    Ok(())
}

pub fn all_votes(conn: &Connection, mut each: impl FnMut(Vote) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, experience_id, agent_id, vote_type, created_at, updated_at FROM votes ORDER BY created_at, id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(vote_from_row(row)?)?;
    }
    Ok(())
}
