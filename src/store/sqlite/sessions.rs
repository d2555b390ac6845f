//! SQL for sessions, their entries and topic vectors, contributions and inbox events.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::Value;

use super::columns::{json, parsed, to_json, vector_from_blob, vector_to_blob};
use crate::error::Result;
use crate::model::experience::{Outcome, Visibility};
use crate::model::ids::IdRef;
use crate::model::session::{
    Contribution, ContributionType, Entry, EntryType, InboxEvent, Session, SessionStatus,
};
use crate::store::{InboxTx, SessionTx};

const SESSION_COLUMNS: &str = "seq, id, short_id, agent_id, topic, domain, tools_used, status, \
    visibility, outcome, experience_id, started_at, closed_at, created_at, updated_at";

fn session_from_row(r: &Row) -> rusqlite::Result<Session> {
    let outcome: Option<String> = r.get(9)?;
    Ok(Session {
        seq: r.get(0)?,
        id: r.get(1)?,
        short_id: r.get(2)?,
        agent_id: r.get(3)?,
        topic: r.get(4)?,
        domain: r.get(5)?,
        tools_used: json(r, 6)?,
        status: parsed(r, 7, SessionStatus::parse)?,
        visibility: parsed(r, 8, Visibility::parse)?,
        outcome: outcome.as_deref().and_then(Outcome::parse),
        experience_id: r.get(10)?,
        started_at: r.get(11)?,
        closed_at: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

// --- entries -------------------------------------------------------------------------------

fn entry_from_row(r: &Row) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        session_id: r.get(1)?,
        entry_type: parsed(r, 2, EntryType::parse)?,
        content: json(r, 3)?,
        ordinal: r.get(4)?,
        created_at: r.get(5)?,
    })
}

// --- contributions -------------------------------------------------------------------------

fn contribution_from_row(r: &Row) -> rusqlite::Result<Contribution> {
    Ok(Contribution {
        id: r.get(0)?,
        session_id: r.get(1)?,
        contributor_agent_id: r.get(2)?,
        content: json(r, 3)?,
        contribution_type: parsed(r, 4, ContributionType::parse)?,
        created_at: r.get(5)?,
    })
}

// --- inbox ---------------------------------------------------------------------------------

const EVENT_COLUMNS: &str = "id, target_agent_id, event_type, event_data, source_session_id, source_agent_id, is_read, created_at";

fn event_from_row(r: &Row) -> rusqlite::Result<InboxEvent> {
    Ok(InboxEvent {
        id: r.get(0)?,
        target_agent_id: r.get(1)?,
        event_type: r.get(2)?,
        event_data: json::<Value>(r, 3)?,
        source_session_id: r.get(4)?,
        source_agent_id: r.get(5)?,
        is_read: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// One page of the sessions `filter` admits, newest by `order` first, and how many it admits.
fn page(
    conn: &Connection,
    mut args: Vec<SqlValue>,
    filter: &str,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64)> {
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM sessions WHERE {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let n = args.len();
    args.push(SqlValue::Integer(limit));
    args.push(SqlValue::Integer(offset));
    let mut stmt = conn.prepare(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE {filter} ORDER BY {order} DESC, seq DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    ))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), session_from_row)?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

impl SessionTx for Connection {
    fn insert_session(&self, s: &mut Session) -> Result<i64> {
        let result = self.execute(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
            params![
                s.id, s.short_id, s.agent_id, s.topic, s.domain, to_json(&s.tools_used),
                s.status.as_str(), s.visibility.as_str(), s.outcome.map(|o| o.as_str()), s.experience_id,
                s.started_at, s.closed_at, s.created_at, s.updated_at
            ],
        );
        match result {
            Ok(_) => {}
            Err(e) if super::experiences::is_unique_violation(&e, "sessions.short_id") => {
                return Err(crate::error::Error::short_id_taken(&s.short_id));
            }
            Err(e) if super::experiences::is_unique_violation(&e, "sessions.id") => {
                return Err(crate::Error::Conflict(format!(
                    "session {} already exists",
                    s.id
                )));
            }
            Err(e) => return Err(e.into()),
        }
        s.seq = self.last_insert_rowid();
        Ok(s.seq)
    }
    fn session_by_id(&self, id: &str) -> Result<Option<Session>> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"
            ))?
            .query_row([id], session_from_row)
            .optional()?)
    }
    fn sessions_named(&self, id: &IdRef) -> Result<Vec<Session>> {
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let clause = crate::store::sql::named(&mut args, id);
        let mut stmt =
            self.prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions {clause}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn update_session(&self, s: &Session) -> Result<()> {
        self.execute(
            "UPDATE sessions SET topic = ?2, domain = ?3, tools_used = ?4, status = ?5, visibility = ?6,
                outcome = ?7, experience_id = ?8, closed_at = ?9, updated_at = ?10 WHERE id = ?1",
            params![
                s.id, s.topic, s.domain, to_json(&s.tools_used), s.status.as_str(),
                s.visibility.as_str(), s.outcome.map(|o| o.as_str()), s.experience_id, s.closed_at, s.updated_at
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
        let mut args: Vec<SqlValue> = Vec::new();
        let filter = crate::store::sql::own_sessions(&mut args, agent_id, status);
        page(self, args, &filter, "started_at", limit, offset)
    }
    fn list_public_sessions(
        &self,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)> {
        let mut args: Vec<SqlValue> = Vec::new();
        let filter = crate::store::sql::public_sessions(&mut args, status);
        page(self, args, &filter, "created_at", limit, offset)
    }
    fn recent_public_sessions(&self, limit: i64) -> Result<Vec<Session>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE visibility = 'public' AND status IN ('open', 'closed')
             ORDER BY started_at DESC, seq DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn each_session(&self, each: &mut dyn FnMut(Session) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY seq"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(session_from_row(r)?)?;
        }
        Ok(())
    }
    fn session_vector(&self, session_seq: i64) -> Result<Option<Vec<f32>>> {
        let bytes: Option<Vec<u8>> = self
            .query_row(
                "SELECT embedding FROM session_vectors WHERE session_seq = ?1",
                [session_seq],
                |r| r.get(0),
            )
            .optional()?;
        Ok(bytes.as_deref().map(vector_from_blob))
    }
    fn set_session_vector(&self, session_seq: i64, v: &[f32]) -> Result<()> {
        let bytes = vector_to_blob(v);
        self.execute(
            "INSERT INTO session_vectors (session_seq, embedding) VALUES (?1, ?2)
             ON CONFLICT (session_seq) DO UPDATE SET embedding = excluded.embedding",
            params![session_seq, bytes],
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
        let bytes = vector_to_blob(v);
        let cols: Vec<String> = SESSION_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect();
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {}, 1.0 - vec_distance_cosine(v.embedding, ?1) AS similarity
             FROM sessions s JOIN session_vectors v ON v.session_seq = s.seq
             WHERE s.status = 'open' AND s.visibility = 'public' AND s.agent_id <> ?2
               AND 1.0 - vec_distance_cosine(v.embedding, ?1) >= ?3
             ORDER BY similarity DESC, s.seq LIMIT ?4",
            cols.join(", ")
        ))?;
        let rows = stmt.query_map(params![bytes, exclude_agent, min_similarity, limit], |r| {
            Ok((session_from_row(r)?, r.get::<_, f64>(15)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn sessions_missing_vectors(&self) -> Result<Vec<Session>> {
        let cols: Vec<String> = SESSION_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect();
        let mut stmt = self.prepare(&format!(
            "SELECT {} FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM session_vectors v WHERE v.session_seq = s.seq) ORDER BY s.seq",
            cols.join(", ")
        ))?;
        let rows = stmt.query_map([], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn lock_session(&self, _id: &str) -> Result<()> {
        Ok(()) // write transactions are BEGIN IMMEDIATE: one at a time already
    }
    fn append_entry(&self, e: &mut Entry) -> Result<()> {
        e.ordinal = self.query_row(
            "SELECT coalesce(max(ordinal), 0) + 1 FROM session_entries WHERE session_id = ?1",
            [&e.session_id],
            |r| r.get(0),
        )?;
        self.insert_entry(e)?;
        Ok(())
    }
    fn insert_entry(&self, e: &Entry) -> Result<bool> {
        let n = self.execute(
            "INSERT OR IGNORE INTO session_entries (id, session_id, entry_type, content, ordinal, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.id, e.session_id, e.entry_type.as_str(), e.content.to_string(), e.ordinal, e.created_at],
        )?;
        Ok(n == 1)
    }
    fn entries(&self, session_id: &str) -> Result<Vec<Entry>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, session_id, entry_type, content, ordinal, created_at FROM session_entries
             WHERE session_id = ?1 ORDER BY ordinal",
        )?;
        let rows = stmt.query_map([session_id], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn entry_count(&self, session_id: &str) -> Result<i64> {
        Ok(self.query_row(
            "SELECT count(*) FROM session_entries WHERE session_id = ?1",
            [session_id],
            |r| r.get(0),
        )?)
    }
    fn each_entry(&self, each: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(
            "SELECT id, session_id, entry_type, content, ordinal, created_at FROM session_entries ORDER BY session_id, ordinal",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(entry_from_row(r)?)?;
        }
        Ok(())
    }
    fn insert_contribution(&self, c: &Contribution) -> Result<bool> {
        let n = self.execute(
            "INSERT OR IGNORE INTO session_contributions (id, session_id, contributor_agent_id, content, contribution_type, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![c.id, c.session_id, c.contributor_agent_id, c.content.to_string(), c.contribution_type.as_str(), c.created_at],
        )?;
        Ok(n == 1)
    }
    fn contributions(&self, session_id: &str) -> Result<Vec<Contribution>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, session_id, contributor_agent_id, content, contribution_type, created_at
             FROM session_contributions WHERE session_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([session_id], contribution_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn each_contribution(&self, each: &mut dyn FnMut(Contribution) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(
            "SELECT id, session_id, contributor_agent_id, content, contribution_type, created_at FROM session_contributions ORDER BY created_at, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(contribution_from_row(r)?)?;
        }
        Ok(())
    }
}

impl InboxTx for Connection {
    fn insert_event(&self, e: &InboxEvent) -> Result<bool> {
        let n = self.execute(
            &format!("INSERT OR IGNORE INTO inbox_events ({EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
            params![e.id, e.target_agent_id, e.event_type, e.event_data.to_string(), e.source_session_id, e.source_agent_id, e.is_read, e.created_at],
        )?;
        Ok(n == 1)
    }
    fn inbox_events(
        &self,
        agent_id: &str,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<InboxEvent>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM inbox_events WHERE target_agent_id = ?1 AND (?2 = 0 OR is_read = 0)
             ORDER BY created_at DESC, id LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![agent_id, unread_only, limit], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn unread_count(&self, agent_id: &str) -> Result<i64> {
        Ok(self.query_row(
            "SELECT count(*) FROM inbox_events WHERE target_agent_id = ?1 AND is_read = 0",
            [agent_id],
            |r| r.get(0),
        )?)
    }
    fn notified_about(&self, session_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.prepare_cached(
            "SELECT DISTINCT target_agent_id FROM inbox_events WHERE source_session_id = ?1 AND event_type = 'session_opened'",
        )?;
        let rows = stmt.query_map([session_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn mark_read(&self, agent_id: &str, ids: Option<&[String]>) -> Result<usize> {
        Ok(match ids {
            None => self.execute(
                "UPDATE inbox_events SET is_read = 1 WHERE target_agent_id = ?1 AND is_read = 0",
                [agent_id],
            )?,
            Some(ids) => {
                let mut n = 0;
                for id in ids {
                    n += self.execute(
                        "UPDATE inbox_events SET is_read = 1 WHERE target_agent_id = ?1 AND id = ?2 AND is_read = 0",
                        params![agent_id, id],
                    )?;
                }
                n
            }
        })
    }
    fn each_event(&self, each: &mut dyn FnMut(InboxEvent) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM inbox_events ORDER BY created_at, id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(event_from_row(r)?)?;
        }
        Ok(())
    }
}
