//! SQL for sessions, their entries and topic vectors, contributions and inbox events
//! (Postgres). Same semantics as sqlite/sessions.rs. SQLite's writers are serialised by the
//! file's write lock; here an entry's ordinal is drawn under a lock on its session's row, so
//! two servers appending to one session cannot draw the same ordinal.

use postgres::{Row, Transaction};
use serde_json::Value;

use super::columns::{Args, json, parsed, to_json};
use super::{PgTx, visit};
use crate::error::{Error, Result};
use crate::model::experience::{Outcome, Visibility};
use crate::model::ids::IdRef;
use crate::model::session::{
    Contribution, ContributionType, Entry, EntryType, InboxEvent, Session, SessionStatus,
};
use crate::store::{InboxTx, SessionTx};

const SESSION_COLUMNS: &str = "seq, id, short_id, agent_id, topic, domain, tools_used, status, \
    visibility, outcome, experience_id, started_at, closed_at, created_at, updated_at";

fn s_columns() -> String {
    SESSION_COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn session_from_row(r: &Row) -> Result<Session> {
    let outcome: Option<String> = r.get(9);
    Ok(Session {
        seq: r.get(0),
        id: r.get(1),
        short_id: r.get(2),
        agent_id: r.get(3),
        topic: r.get(4),
        domain: r.get(5),
        tools_used: json(r.get::<_, &str>(6), "tools_used")?,
        status: parsed(r.get::<_, &str>(7), "status", SessionStatus::parse)?,
        visibility: parsed(r.get::<_, &str>(8), "visibility", Visibility::parse)?,
        outcome: outcome.as_deref().and_then(Outcome::parse),
        experience_id: r.get(10),
        started_at: r.get(11),
        closed_at: r.get(12),
        created_at: r.get(13),
        updated_at: r.get(14),
    })
}

fn sessions(rows: &[Row]) -> Result<Vec<Session>> {
    rows.iter().map(session_from_row).collect()
}

fn page(
    c: &mut Transaction,
    mut args: Args,
    filter: &str,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64)> {
    let total: i64 = c
        .query_one(
            &format!("SELECT count(*) FROM sessions WHERE {filter}"),
            &args.refs(),
        )?
        .get(0);
    let l = args.push(limit);
    let o = args.push(offset);
    let rows = c.query(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE {filter}
             ORDER BY {order} DESC, seq DESC LIMIT {l} OFFSET {o}"
        ),
        &args.refs(),
    )?;
    Ok((sessions(&rows)?, total))
}

// --- entries -------------------------------------------------------------------------------

const ENTRY_COLUMNS: &str = "id, session_id, entry_type, content, ordinal, created_at";

fn entry_from_row(r: &Row) -> Result<Entry> {
    Ok(Entry {
        id: r.get(0),
        session_id: r.get(1),
        entry_type: parsed(r.get::<_, &str>(2), "entry_type", EntryType::parse)?,
        content: json(r.get::<_, &str>(3), "content")?,
        ordinal: r.get(4),
        created_at: r.get(5),
    })
}

/// The session's row lock. `FOR NO KEY UPDATE`, the lock its UPDATE takes anyway: it
/// serialises the writers of one session without waiting for the `KEY SHARE` locks that
/// inserting a contribution or an entry (foreign keys) take on it.
pub fn lock(c: &mut Transaction, id: &str) -> Result<()> {
    c.execute(
        "SELECT 1 FROM sessions WHERE id = $1 FOR NO KEY UPDATE",
        &[&id],
    )?;
    Ok(())
}

// --- contributions -------------------------------------------------------------------------

const CONTRIBUTION_COLUMNS: &str =
    "id, session_id, contributor_agent_id, content, contribution_type, created_at";

fn contribution_from_row(r: &Row) -> Result<Contribution> {
    Ok(Contribution {
        id: r.get(0),
        session_id: r.get(1),
        contributor_agent_id: r.get(2),
        content: json(r.get::<_, &str>(3), "content")?,
        contribution_type: parsed(
            r.get::<_, &str>(4),
            "contribution_type",
            ContributionType::parse,
        )?,
        created_at: r.get(5),
    })
}

// --- inbox ---------------------------------------------------------------------------------

const EVENT_COLUMNS: &str = "id, target_agent_id, event_type, event_data, source_session_id, \
    source_agent_id, is_read, created_at";

fn event_from_row(r: &Row) -> Result<InboxEvent> {
    Ok(InboxEvent {
        id: r.get(0),
        target_agent_id: r.get(1),
        event_type: r.get(2),
        event_data: json::<Value>(r.get::<_, &str>(3), "event_data")?,
        source_session_id: r.get(4),
        source_agent_id: r.get(5),
        is_read: r.get(6),
        created_at: r.get(7),
    })
}

pub(super) fn insert_entry(c: &mut Transaction, e: &Entry) -> Result<bool> {
    let n = c.execute(
        &format!(
            "INSERT INTO session_entries ({ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING"
        ),
        &[
            &e.id,
            &e.session_id,
            &e.entry_type.as_str(),
            &e.content.to_string(),
            &e.ordinal,
            &e.created_at,
        ],
    )?;
    Ok(n == 1)
}

impl SessionTx for PgTx<'_> {
    fn insert_session(&self, s: &mut Session) -> Result<i64> {
        let c = &mut self.tx();
        let seq: i64 = {
            let row = c.query_opt(
                "INSERT INTO sessions (id, short_id, agent_id, topic, domain, tools_used, status,
                    visibility, outcome, experience_id, started_at, closed_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT DO NOTHING RETURNING seq",
                &[
                    &s.id,
                    &s.short_id,
                    &s.agent_id,
                    &s.topic,
                    &s.domain,
                    &to_json(&s.tools_used),
                    &s.status.as_str(),
                    &s.visibility.as_str(),
                    &s.outcome.map(|o| o.as_str()),
                    &s.experience_id,
                    &s.started_at,
                    &s.closed_at,
                    &s.created_at,
                    &s.updated_at,
                ],
            )?;
            match row {
                Some(row) => row.get(0),
                None => {
                    let id_taken = c
                        .query_opt("SELECT 1 FROM sessions WHERE id = $1", &[&s.id])?
                        .is_some();
                    return Err(if id_taken {
                        Error::Conflict(format!("session {} already exists", s.id))
                    } else {
                        Error::short_id_taken(&s.short_id)
                    });
                }
            }
        };
        s.seq = seq;
        Ok(seq)
    }
    fn session_by_id(&self, id: &str) -> Result<Option<Session>> {
        let c = &mut self.tx();
        c.query_opt(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"),
            &[&id],
        )?
        .map(|r| session_from_row(&r))
        .transpose()
    }
    fn sessions_named(&self, id: &IdRef) -> Result<Vec<Session>> {
        let c = &mut self.tx();
        let mut args = super::columns::Args::default();
        let clause = crate::store::sql::named(&mut args, id);
        sessions(&c.query(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions {clause}"),
            &args.refs(),
        )?)
    }
    fn update_session(&self, s: &Session) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE sessions SET topic = $2, domain = $3, tools_used = $4, status = $5,
                visibility = $6, outcome = $7, experience_id = $8, closed_at = $9, updated_at = $10
             WHERE id = $1",
            &[
                &s.id,
                &s.topic,
                &s.domain,
                &to_json(&s.tools_used),
                &s.status.as_str(),
                &s.visibility.as_str(),
                &s.outcome.map(|o| o.as_str()),
                &s.experience_id,
                &s.closed_at,
                &s.updated_at,
            ],
        )?;
        Ok(())
    }
    fn list_own_sessions(
        &self,
        agent_id: &str,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let filter = crate::store::sql::own_sessions(&mut args, agent_id, status);
        page(c, args, &filter, "started_at", limit, offset)
    }
    fn list_public_sessions(
        &self,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let filter = crate::store::sql::public_sessions(&mut args, status);
        page(c, args, &filter, "created_at", limit, offset)
    }
    fn recent_public_sessions(&self, limit: i64) -> Result<Vec<Session>> {
        let c = &mut self.tx();
        sessions(&c.query(
            &format!(
                "SELECT {SESSION_COLUMNS} FROM sessions
                 WHERE visibility = 'public' AND status IN ('open', 'closed')
                 ORDER BY started_at DESC, seq DESC LIMIT $1"
            ),
            &[&limit],
        )?)
    }
    fn each_session(&self, each: &mut dyn FnMut(Session) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                sessions(&c.query(
                    &format!("SELECT {SESSION_COLUMNS} FROM sessions ORDER BY seq"),
                    &[],
                )?)
            })?,
            each,
        )
    }
    fn session_vector(&self, session_seq: i64) -> Result<Option<Vec<f32>>> {
        let c = &mut self.tx();
        Ok(c.query_opt(
            "SELECT embedding FROM session_vectors WHERE session_seq = $1",
            &[&session_seq],
        )?
        .map(|r| r.get::<_, pgvector::Vector>(0).to_vec()))
    }
    fn set_session_vector(&self, session_seq: i64, v: &[f32]) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "INSERT INTO session_vectors (session_seq, embedding) VALUES ($1, $2)
             ON CONFLICT (session_seq) DO UPDATE SET embedding = excluded.embedding",
            &[&session_seq, &pgvector::Vector::from(v.to_vec())],
        )?;
        Ok(())
    }
    fn similar_open_sessions(
        &self,
        v: &[f32],
        exclude_agent: &str,
        min_similarity: f64,
        limit: i64,
    ) -> Result<Vec<(Session, f64)>> {
        let c = &mut self.tx();
        let rows = c.query(
            &format!(
                "SELECT {}, 1.0 - (v.embedding <=> $1) AS similarity
                 FROM sessions s JOIN session_vectors v ON v.session_seq = s.seq
                 WHERE s.status = 'open' AND s.visibility = 'public' AND s.agent_id <> $2
                   AND vector_dims(v.embedding) = vector_dims($1)
                   AND 1.0 - (v.embedding <=> $1) >= $3
                 ORDER BY similarity DESC, s.seq LIMIT $4",
                s_columns()
            ),
            &[
                &pgvector::Vector::from(v.to_vec()),
                &exclude_agent,
                &min_similarity,
                &limit,
            ],
        )?;
        rows.iter()
            .map(|r| Ok((session_from_row(r)?, r.get::<_, f64>(15))))
            .collect()
    }
    fn sessions_missing_vectors(&self) -> Result<Vec<Session>> {
        let c = &mut self.tx();
        sessions(&c.query(
            &format!(
                "SELECT {} FROM sessions s
                 WHERE NOT EXISTS (SELECT 1 FROM session_vectors v WHERE v.session_seq = s.seq)
                 ORDER BY s.seq",
                s_columns()
            ),
            &[],
        )?)
    }
    fn lock_session(&self, id: &str) -> Result<()> {
        self.with(|c| lock(c, id))
    }
    fn append_entry(&self, e: &mut Entry) -> Result<()> {
        let c = &mut self.tx();
        lock(c, &e.session_id)?;
        e.ordinal = c
            .query_one(
                "SELECT coalesce(max(ordinal), 0) + 1 FROM session_entries WHERE session_id = $1",
                &[&e.session_id],
            )?
            .get(0);
        insert_entry(c, e)?;
        Ok(())
    }
    fn insert_entry(&self, e: &Entry) -> Result<bool> {
        self.with(|c| insert_entry(c, e))
    }
    fn entries(&self, session_id: &str) -> Result<Vec<Entry>> {
        let c = &mut self.tx();
        c.query(
            &format!(
                "SELECT {ENTRY_COLUMNS} FROM session_entries WHERE session_id = $1 ORDER BY ordinal"
            ),
            &[&session_id],
        )?
        .iter()
        .map(entry_from_row)
        .collect()
    }
    fn entry_count(&self, session_id: &str) -> Result<i64> {
        let c = &mut self.tx();
        Ok(c.query_one(
            "SELECT count(*) FROM session_entries WHERE session_id = $1",
            &[&session_id],
        )?
        .get(0))
    }
    fn each_entry(&self, each: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                c.query(
                    &format!(
                        "SELECT {ENTRY_COLUMNS} FROM session_entries ORDER BY session_id, ordinal"
                    ),
                    &[],
                )?
                .iter()
                .map(entry_from_row)
                .collect()
            })?,
            each,
        )
    }
    fn insert_contribution(&self, x: &Contribution) -> Result<bool> {
        let c = &mut self.tx();
        let n = c.execute(
            &format!(
                "INSERT INTO session_contributions ({CONTRIBUTION_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
            ),
            &[
                &x.id,
                &x.session_id,
                &x.contributor_agent_id,
                &x.content.to_string(),
                &x.contribution_type.as_str(),
                &x.created_at,
            ],
        )?;
        Ok(n == 1)
    }
    fn contributions(&self, session_id: &str) -> Result<Vec<Contribution>> {
        let c = &mut self.tx();
        c.query(
            &format!(
                "SELECT {CONTRIBUTION_COLUMNS} FROM session_contributions
                 WHERE session_id = $1 ORDER BY created_at, id"
            ),
            &[&session_id],
        )?
        .iter()
        .map(contribution_from_row)
        .collect()
    }
    fn each_contribution(&self, each: &mut dyn FnMut(Contribution) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                c.query(
                    &format!(
                        "SELECT {CONTRIBUTION_COLUMNS} FROM session_contributions ORDER BY created_at, id"
                    ),
                    &[],
                )?
                .iter()
                .map(contribution_from_row)
                .collect()
            })?,
            each,
        )
    }
}

impl InboxTx for PgTx<'_> {
    fn insert_event(&self, e: &InboxEvent) -> Result<bool> {
        let c = &mut self.tx();
        let n = c.execute(
            &format!(
                "INSERT INTO inbox_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT DO NOTHING"
            ),
            &[
                &e.id,
                &e.target_agent_id,
                &e.event_type,
                &e.event_data.to_string(),
                &e.source_session_id,
                &e.source_agent_id,
                &e.is_read,
                &e.created_at,
            ],
        )?;
        Ok(n == 1)
    }
    fn inbox_events(
        &self,
        agent_id: &str,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<InboxEvent>> {
        let c = &mut self.tx();
        c.query(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM inbox_events
                 WHERE target_agent_id = $1 AND (NOT $2 OR NOT is_read)
                 ORDER BY created_at DESC, id LIMIT $3"
            ),
            &[&agent_id, &unread_only, &limit],
        )?
        .iter()
        .map(event_from_row)
        .collect()
    }
    fn unread_count(&self, agent_id: &str) -> Result<i64> {
        let c = &mut self.tx();
        Ok(c.query_one(
            "SELECT count(*) FROM inbox_events WHERE target_agent_id = $1 AND NOT is_read",
            &[&agent_id],
        )?
        .get(0))
    }
    fn notified_about(&self, session_id: &str) -> Result<Vec<String>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT DISTINCT target_agent_id FROM inbox_events
             WHERE source_session_id = $1 AND event_type = 'session_opened'",
            &[&session_id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }
    fn mark_read(&self, agent_id: &str, ids: Option<&[String]>) -> Result<usize> {
        let c = &mut self.tx();
        let n = match ids {
            None => c.execute(
                "UPDATE inbox_events SET is_read = true WHERE target_agent_id = $1 AND NOT is_read",
                &[&agent_id],
            )?,
            Some(ids) => {
                let ids = ids.to_vec();
                c.execute(
                    "UPDATE inbox_events SET is_read = true
                     WHERE target_agent_id = $1 AND id = ANY($2) AND NOT is_read",
                    &[&agent_id, &ids],
                )?
            }
        };
        Ok(n as usize)
    }
    fn each_event(&self, each: &mut dyn FnMut(InboxEvent) -> Result<()>) -> Result<()> {
        visit(
            self.with(|c| {
                c.query(
                    &format!("SELECT {EVENT_COLUMNS} FROM inbox_events ORDER BY created_at, id"),
                    &[],
                )?
                .iter()
                .map(event_from_row)
                .collect()
            })?,
            each,
        )
    }
}
