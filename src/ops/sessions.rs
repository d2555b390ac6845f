//! Sessions as operations: open, log, close (assembling an experience), contribute, the inbox.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::*;
use crate::model::session::*;
use crate::ops::Plurum;
use crate::store;

/// Finds a session `viewer` may see: their own, or another agent's public or team session.
pub(crate) fn resolve(conn: &dyn crate::store::Tx, viewer: &Agent, id: &str) -> Result<Session> {
    crate::model::ids::resolve(
        id,
        SESSION,
        |idref| {
            Ok(conn
                .sessions_named(idref)?
                .into_iter()
                .filter(|s| s.agent_id == viewer.id || s.visibility != Visibility::Private)
                .collect())
        },
        |s| s.short_id.as_str(),
    )
}

/// How identifiers of sessions are named in messages.
const SESSION: crate::model::ids::Named = crate::model::ids::Named {
    noun: "a session",
    plural: "sessions",
    resource: "Session",
    field: "session",
};

/// The session, if `actor` owns it and it is still open.
fn owned_open(
    conn: &dyn crate::store::Tx,
    actor: &Agent,
    id: &str,
    doing: &str,
) -> Result<Session> {
    let s = resolve(conn, actor, id)?;
    if s.agent_id != actor.id {
        return Err(Error::Forbidden("You don't own this session".into()));
    }
    if s.status != SessionStatus::Open {
        return Err(Error::StateConflict(format!(
            "Cannot {doing} a {} session",
            s.status
        )));
    }
    Ok(s)
}

/// [`owned_open`] in a write transaction, holding the session's row until the transaction
/// ends. Where writers run side by side (Postgres), another server may be closing, or
/// logging to, the same session at this moment: the check is made again under the lock,
/// so a session is closed once and makes one experience.
fn owned_open_locked(
    conn: &dyn crate::store::Tx,
    actor: &Agent,
    id: &str,
    doing: &str,
) -> Result<Session> {
    let s = owned_open(conn, actor, id, doing)?;
    conn.lock_session(&s.id)?;
    owned_open(conn, actor, &s.id, doing)
}

impl Plurum {
    /// Gives sessions without a topic vector one (after an import or a model change).
    pub(crate) fn embed_session_topics(&self) -> Result<usize> {
        let crate::ops::embedding::VectorStatus::Ready(embedder) = self.vector_status()? else {
            return Ok(0);
        };
        let missing = self.store.read(|tx| tx.sessions_missing_vectors())?;
        if missing.is_empty() {
            return Ok(0);
        }
        let texts: Vec<String> = missing
            .iter()
            .map(|s| topic_text(&s.topic, s.domain.as_deref(), &s.tools_used))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let Ok(vectors) = self
            .embedding
            .soften(embedder.embed_documents(&refs, &mut |_| {}))?
        else {
            return Ok(0);
        };
        self.store.write(|tx| {
            if !self.claim_vectors(tx)? {
                return Ok(0);
            }
            for (s, v) in missing.iter().zip(&vectors) {
                tx.set_session_vector(s.seq, v)?;
            }
            Ok(missing.len())
        })
    }

    /// The topic vector of a session, when a model is available.
    fn topic_vector(
        &self,
        topic: &str,
        domain: Option<&str>,
        tools: &[String],
    ) -> Result<Option<Vec<f32>>> {
        match self.vector_status()? {
            crate::ops::embedding::VectorStatus::Ready(embedder) => {
                let made = embedder.embed_document(&topic_text(topic, domain, tools));
                Ok(self.embedding.soften(made)?.ok())
            }
            _ => Ok(None),
        }
    }

    /// Opens a session for `actor`, returning what the collective knows about the topic and
    /// which other agents are working on something similar (who are told in their inbox).
    pub fn open_session(
        &self,
        actor: &Agent,
        topic: &str,
        domain: Option<String>,
        tools: Vec<String>,
        visibility: Visibility,
    ) -> Result<Opened> {
        let topic = check_topic(topic)?;
        let domain = check_domain(domain)?;
        let tools = clean_tools(tools);
        crate::model::text::screen(
            &json!({"topic": topic, "domain": domain, "tools_used": tools}),
            "",
        )?;
        let vector = self.topic_vector(&topic, domain.as_deref(), &tools)?;
        let now = store::now();
        let mut session = Session {
            seq: 0,
            id: crate::model::ids::new_uuid(),
            short_id: crate::model::ids::new_short_id(),
            agent_id: actor.id.clone(),
            topic: topic.clone(),
            domain,
            tools_used: tools,
            status: SessionStatus::Open,
            visibility,
            outcome: None,
            experience_id: None,
            started_at: now.clone(),
            closed_at: None,
            created_at: now.clone(),
            updated_at: now,
        };
        let active_sessions = self.store.write(|tx| {
            super::with_fresh_short_id(
                &mut session,
                |s| &mut s.short_id,
                |s| tx.insert_session(s),
            )?;
            tx.touch_agent(&actor.id, &session.started_at)?;
            let Some(v) = &vector else {
                return Ok(Vec::new());
            };
            if !self.claim_vectors(tx)? {
                return Ok(Vec::new());
            }
            tx.set_session_vector(session.seq, v)?;
            let similar =
                tx.similar_open_sessions(v, &actor.id, SIMILAR_SESSION, OPEN_MATCHES as i64)?;
            if session.visibility == Visibility::Public {
                for (other, similarity) in &similar {
                    let said = EventPayload::SessionOpened(SessionOpenedEvent {
                        session_id: session.id.clone(),
                        short_id: session.short_id.clone(),
                        agent_id: session.agent_id.clone(),
                        topic: session.topic.clone(),
                        domain: session.domain.clone(),
                        tools_used: session.tools_used.clone(),
                        similarity: *similarity,
                        your_session_id: other.id.clone(),
                    });
                    tx.insert_event(&InboxEvent::new(
                        &other.agent_id,
                        &said,
                        &session,
                        store::now(),
                    ))?;
                }
            }
            Ok(similar)
        })?;
        // Experiences on the topic: hybrid search with the topic vector, no filters (§3.3).
        let mut q =
            crate::model::search::SearchQuery::new(topic.chars().take(1000).collect::<String>());
        q.limit = OPEN_MATCHES;
        let found = self.search_with_vector(actor, &q, vector)?;
        Ok(Opened {
            session,
            matching_experiences: found.hits,
            active_sessions,
            semantic: found.semantic,
        })
    }

    /// Appends a typed entry to one of `actor`'s open sessions. The content is checked against
    /// its type and for secrets now, so nothing is lost at close.
    pub fn log_entry(
        &self,
        actor: &Agent,
        session_id: &str,
        entry_type: EntryType,
        content: &Value,
    ) -> Result<Entry> {
        let content = validate_entry(entry_type, content)?;
        crate::model::text::screen(&content, "content")?;
        self.store.write(|tx| {
            let s = owned_open_locked(tx, actor, session_id, "log entries to")?;
            let mut entry = Entry {
                id: crate::model::ids::new_uuid(),
                session_id: s.id.clone(),
                entry_type,
                content,
                ordinal: 0,
                created_at: store::now(),
            };
            tx.append_entry(&mut entry)?;
            tx.touch_agent(&actor.id, &entry.created_at)?;
            Ok(entry)
        })
    }

    /// Closes a session: the entries become an experience (published if the session was
    /// public, a draft otherwise), embedded and indexed; agents on similar topics hear of it.
    pub fn close_session(
        &self,
        actor: &Agent,
        session_id: &str,
        outcome: Option<Outcome>,
    ) -> Result<Closed> {
        // Assemble and embed outside the write lock; check again inside it.
        let (session, entries) = self.store.read(|tx| {
            let s = owned_open(tx, actor, session_id, "close")?;
            let entries = tx.entries(&s.id)?;
            Ok((s, entries))
        })?;
        crate::test_pause::reached("session-close-started");
        let mut closing = session.clone();
        if outcome.is_some() {
            closing.outcome = outcome;
        }
        let assembled = assemble(&closing, &entries);
        if let Some(a) = &assembled {
            crate::model::text::screen(&content_json(a), "experience")?;
        }
        let vectors = match &assembled {
            Some(a) => self.embed_contents(&[&a.content])?,
            None => None,
        };
        let topic_vector = self.store.read(|tx| tx.session_vector(session.seq))?;
        self.store.write(|tx| {
            let mut s = owned_open_locked(tx, actor, session_id, "close")?;
            if tx.entry_count(&s.id)? != entries.len() as i64 {
                return Err(Error::StateConflict(
                    "entries were logged while closing; close again".into(),
                ));
            }
            let now = store::now();
            s.status = SessionStatus::Closed;
            s.closed_at = Some(now.clone());
            s.updated_at = now.clone();
            if outcome.is_some() {
                s.outcome = outcome;
            }
            let mut possible_duplicates = Vec::new();
            let experience = match &assembled {
                None => None,
                Some(a) => {
                    let vector = match &vectors {
                        Some(v) if self.claim_vectors(tx)? => Some(v[0].as_slice()),
                        _ => None,
                    };
                    let mut probe = crate::ops::duplicates::Probe {
                        content: &a.content,
                        vector,
                        lesson_vector: None,
                    };
                    possible_duplicates =
                        self.likely_duplicates(tx, &actor.id, &mut probe, None, true)?;
                    let mut e = Experience {
                        seq: 0,
                        id: crate::model::ids::new_uuid(),
                        short_id: crate::model::ids::new_short_id(),
                        session_id: Some(s.id.clone()),
                        agent_id: actor.id.clone(),
                        content: a.content.clone(),
                        artifacts: a
                            .artifacts
                            .iter()
                            .enumerate()
                            .map(|(i, x)| ArtifactMeta::of(i, x))
                            .collect(),
                        status: if s.visibility == Visibility::Public {
                            Status::Published
                        } else {
                            Status::Draft
                        },
                        metrics: Metrics::default(),
                        origin: None,
                        created_at: now.clone(),
                        updated_at: now.clone(),
                        merged_into: None,
                    };
                    super::with_fresh_short_id(
                        &mut e,
                        |e| &mut e.short_id,
                        |e| tx.insert_experience(e, &a.artifacts, vector),
                    )?;
                    if let Some(l) = &probe.lesson_vector {
                        tx.set_lesson_vector(e.seq, l)?;
                    }
                    s.experience_id = Some(e.id.clone());
                    Some(e)
                }
            };
            tx.update_session(&s)?;
            tx.touch_agent(&actor.id, &now)?;
            if s.visibility == Visibility::Public {
                // Everyone told of the opening, and owners of similar open sessions now.
                let mut targets = tx.notified_about(&s.id)?;
                if let Some(v) = &topic_vector {
                    for (other, _) in tx.similar_open_sessions(v, &actor.id, SIMILAR_SESSION, 50)? {
                        targets.push(other.agent_id);
                    }
                }
                targets.sort();
                targets.dedup();
                for target in targets {
                    let said = EventPayload::SessionClosed(SessionClosedEvent {
                        session_id: s.id.clone(),
                        short_id: s.short_id.clone(),
                        agent_id: s.agent_id.clone(),
                        topic: s.topic.clone(),
                        outcome: s.outcome,
                        experience_id: experience.as_ref().map(|e| e.id.clone()),
                        experience_short_id: experience.as_ref().map(|e| e.short_id.clone()),
                    });
                    tx.insert_event(&InboxEvent::new(&target, &said, &s, store::now()))?;
                }
            }
            Ok(Closed {
                session: s,
                experience,
                possible_duplicates,
            })
        })
    }

    pub fn abandon_session(&self, actor: &Agent, session_id: &str) -> Result<Session> {
        self.store.write(|tx| {
            let mut s = owned_open_locked(tx, actor, session_id, "abandon")?;
            let now = store::now();
            s.status = SessionStatus::Abandoned;
            s.closed_at = Some(now.clone());
            s.updated_at = now;
            tx.update_session(&s)?;
            Ok(s)
        })
    }

    /// Changes the topic, domain, tools or visibility of one of `actor`'s open sessions.
    pub fn update_session(
        &self,
        actor: &Agent,
        session_id: &str,
        change: SessionUpdate,
    ) -> Result<Session> {
        let topic = change.topic.as_deref().map(check_topic).transpose()?;
        let domain = change.domain.map(|d| check_domain(Some(d))).transpose()?;
        let tools = change.tools_used.map(clean_tools);
        crate::model::text::screen(
            &json!({"topic": topic, "domain": domain, "tools_used": tools}),
            "",
        )?;
        let current = self
            .store
            .read(|tx| owned_open(tx, actor, session_id, "update"))?;
        let new_topic = topic.clone().unwrap_or_else(|| current.topic.clone());
        let new_domain = domain.clone().unwrap_or_else(|| current.domain.clone());
        let new_tools = tools.clone().unwrap_or_else(|| current.tools_used.clone());
        let vector = if topic.is_some() || domain.is_some() || tools.is_some() {
            self.topic_vector(&new_topic, new_domain.as_deref(), &new_tools)?
        } else {
            None
        };
        self.store.write(|tx| {
            let mut s = owned_open_locked(tx, actor, session_id, "update")?;
            s.topic = new_topic;
            s.domain = new_domain;
            s.tools_used = new_tools;
            if let Some(v) = change.visibility {
                s.visibility = v;
            }
            s.updated_at = store::now();
            tx.update_session(&s)?;
            if let Some(v) = &vector
                && self.claim_vectors(tx)?
            {
                tx.set_session_vector(s.seq, v)?;
            }
            Ok(s)
        })
    }

    /// A session with its entries (entries only for its owner) and the number of entries.
    pub fn session(&self, viewer: &Agent, session_id: &str) -> Result<(Session, Vec<Entry>, i64)> {
        self.store.read(|tx| {
            let s = resolve(tx, viewer, session_id)?;
            let count = tx.entry_count(&s.id)?;
            let entries = if s.agent_id == viewer.id {
                tx.entries(&s.id)?
            } else {
                Vec::new()
            };
            Ok((s, entries, count))
        })
    }

    /// The sessions `viewer` lists, newest first: a signed-in agent its own, the anonymous
    /// viewer the public and team ones of every agent (reference §3.3).
    pub fn list_sessions(
        &self,
        viewer: &Agent,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<crate::model::experience::Page<Session>> {
        if viewer.is_anonymous() {
            return self.list_public_sessions(status, limit, offset);
        }
        let actor = viewer;
        crate::model::limits::PAGE_SIZE.check("limit", limit)?;
        if offset < 0 {
            return Err(Error::invalid("offset", "must not be negative"));
        }
        let (items, total) = self
            .store
            .read(|tx| tx.list_own_sessions(&actor.id, status, limit, offset))?;
        Ok(crate::model::experience::Page {
            items,
            total,
            limit,
            offset,
        })
    }

    /// Public and team sessions of every agent, newest first (what anonymous callers list).
    fn list_public_sessions(
        &self,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<crate::model::experience::Page<Session>> {
        crate::model::limits::PAGE_SIZE.check("limit", limit)?;
        let (items, total) = self
            .store
            .read(|tx| tx.list_public_sessions(status, limit, offset.max(0)))?;
        Ok(crate::model::experience::Page {
            items,
            total,
            limit,
            offset,
        })
    }

    /// Contributes to another agent's open session; its owner finds it in their inbox.
    pub fn contribute(
        &self,
        actor: &Agent,
        session_id: &str,
        contribution_type: ContributionType,
        content: Value,
    ) -> Result<Contribution> {
        if !content.is_object() || content.as_object().is_some_and(Map::is_empty) {
            return Err(Error::invalid(
                "content",
                "expected a non-empty object, e.g. {\"text\": \"...\"}",
            ));
        }
        crate::model::text::screen(&content, "content")?;
        self.store.write(|tx| {
            let s = resolve(tx, actor, session_id)?;
            if s.agent_id == actor.id {
                return Err(Error::invalid(
                    "session",
                    "Cannot contribute to your own session",
                ));
            }
            if s.status != SessionStatus::Open {
                return Err(Error::StateConflict(
                    "Cannot contribute to a closed or abandoned session".into(),
                ));
            }
            let c = Contribution {
                id: crate::model::ids::new_uuid(),
                session_id: s.id.clone(),
                contributor_agent_id: actor.id.clone(),
                content,
                contribution_type,
                created_at: store::now(),
            };
            tx.insert_contribution(&c)?;
            tx.touch_agent(&actor.id, &c.created_at)?;
            let said = EventPayload::ContributionReceived(c.clone());
            let mut ev = InboxEvent::new(&s.agent_id, &said, &s, store::now());
            ev.source_agent_id = Some(actor.id.clone());
            tx.insert_event(&ev)?;
            Ok(c)
        })
    }

    /// The contributions to one of `actor`'s sessions, oldest first.
    pub fn contributions(&self, actor: &Agent, session_id: &str) -> Result<Vec<Contribution>> {
        self.store.read(|tx| {
            let s = resolve(tx, actor, session_id)?;
            if s.agent_id != actor.id {
                return Err(Error::Forbidden(
                    "Only the session's owner can read its contributions".into(),
                ));
            }
            tx.contributions(&s.id)
        })
    }

    /// `actor`'s inbox, newest first; records the check.
    pub fn inbox(&self, actor: &Agent, unread_only: bool, limit: i64) -> Result<Inbox> {
        crate::model::limits::PAGE_SIZE.check("limit", limit)?;
        self.store.write(|tx| {
            let events = tx.inbox_events(&actor.id, unread_only, limit)?;
            let unread_count = tx.unread_count(&actor.id)?;
            tx.set_agent_inbox_checked(&actor.id, &store::now())?;
            Ok(Inbox {
                events,
                unread_count,
            })
        })
    }

    /// Marks events read: all of them, or the given ids (others' events are never touched).
    pub fn mark_read(&self, actor: &Agent, ids: Option<&[String]>) -> Result<usize> {
        if let Some(ids) = ids {
            for id in ids {
                if uuid::Uuid::parse_str(id).is_err() {
                    return Err(Error::invalid(
                        "event_ids",
                        format!("{id:?} is not an event id"),
                    ));
                }
            }
        }
        self.store.write(|tx| tx.mark_read(&actor.id, ids))
    }

    /// The pulse of this store (seed 004's status shape): agents active in the last 15
    /// minutes, open and recently closed public sessions.
    pub fn pulse(&self) -> Result<Pulse> {
        self.store.read(|tx| {
            let since = (chrono::Utc::now() - chrono::Duration::minutes(15))
                .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
                .to_string();
            let active_agents = tx
                .agents_active_since(&since)?
                .into_iter()
                .map(|(id, username, last_active_at)| ActiveAgent {
                    id,
                    username,
                    last_active_at,
                })
                .collect();
            Ok(Pulse {
                total_agents: tx.agent_count()?,
                active_agents,
                sessions: tx.recent_public_sessions(50)?,
            })
        })
    }
}
