//! Sessions, their entries and contributions, the inbox and the pulse.

use super::*;

pub fn session(s: &Session) -> Value {
    to_value(s)
}

/// `{session, matching_experiences, active_sessions}` (reference §3.3 open).
pub fn session_opened(o: &Opened) -> Value {
    /// A matching experience: the detail projection plus the search scores.
    #[derive(Serialize)]
    struct Matching<'a> {
        #[serde(flatten)]
        detail: ExperienceDetail<'a>,
        #[serde(flatten)]
        scores: HitScores,
    }
    #[derive(Serialize)]
    struct SimilarSession<'a> {
        id: &'a str,
        short_id: &'a str,
        agent_id: &'a str,
        topic: &'a str,
        domain: Option<&'a str>,
        tools_used: &'a [String],
        similarity: f64,
        started_at: &'a str,
    }
    #[derive(Serialize)]
    struct OpenedDocument<'a> {
        session: &'a Session,
        matching_experiences: Vec<Matching<'a>>,
        active_sessions: Vec<SimilarSession<'a>>,
    }
    to_value(&OpenedDocument {
        session: &o.session,
        matching_experiences: o
            .matching_experiences
            .iter()
            .map(|h| Matching {
                detail: ExperienceDetail::of(
                    &h.experience,
                    ArtifactsView::Metadata(&h.experience.artifacts),
                ),
                scores: HitScores::of(h, o.semantic, false),
            })
            .collect(),
        active_sessions: o
            .active_sessions
            .iter()
            .map(|(s, similarity)| SimilarSession {
                id: &s.id,
                short_id: &s.short_id,
                agent_id: &s.agent_id,
                topic: &s.topic,
                domain: s.domain.as_deref(),
                tools_used: &s.tools_used,
                similarity: *similarity,
                started_at: &s.started_at,
            })
            .collect(),
    })
}

/// `{session, experience_draft?}` (reference §3.3 close); the experience is absent when the
/// session had no entries.
pub fn session_closed(c: &Closed) -> Value {
    /// The assembled experience's document, with its likely duplicates as a publish lists
    /// them.
    #[derive(Serialize)]
    struct Draft<'a> {
        #[serde(flatten)]
        detail: ExperienceDetail<'a>,
        possible_duplicates: &'a [DuplicateHit],
    }
    #[derive(Serialize)]
    struct ClosedDocument<'a> {
        session: &'a Session,
        #[serde(skip_serializing_if = "Option::is_none")]
        experience_draft: Option<Draft<'a>>,
    }
    to_value(&ClosedDocument {
        session: &c.session,
        experience_draft: c.experience.as_ref().map(|e| Draft {
            detail: ExperienceDetail::of(e, ArtifactsView::Metadata(&e.artifacts)),
            possible_duplicates: &c.possible_duplicates,
        }),
    })
}

/// A session with its entry count and entries (entries only for the owner).
pub fn session_detail(s: &Session, entries: &[Entry], count: i64) -> Value {
    #[derive(Serialize)]
    struct SessionDetail<'a> {
        #[serde(flatten)]
        session: &'a Session,
        entry_count: i64,
        entries: &'a [Entry],
    }
    to_value(&SessionDetail {
        session: s,
        entry_count: count,
        entries,
    })
}

/// `{total, items}`: a session's contributions.
pub fn contributions(items: &[Contribution]) -> Value {
    #[derive(Serialize)]
    struct Contributions<'a> {
        total: usize,
        items: &'a [Contribution],
    }
    to_value(&Contributions {
        total: items.len(),
        items,
    })
}

/// `{has_activity, events, unread_count}`, events newest first.
pub fn inbox(i: &Inbox) -> Value {
    #[derive(Serialize)]
    struct InboxDocument<'a> {
        has_activity: bool,
        events: &'a [InboxEvent],
        unread_count: i64,
    }
    to_value(&InboxDocument {
        has_activity: !i.events.is_empty(),
        events: &i.events,
        unread_count: i.unread_count,
    })
}

/// `{marked_read}`: how many inbox events a `read` marked.
pub fn marked_read(count: usize) -> Value {
    #[derive(Serialize)]
    struct MarkedRead {
        marked_read: usize,
    }
    to_value(&MarkedRead { marked_read: count })
}

/// The pulse (seed 004's status shape): the agents, who is active, the public sessions.
pub fn pulse(p: &Pulse) -> Value {
    #[derive(Serialize)]
    struct PulseSession<'a> {
        id: &'a str,
        short_id: &'a str,
        agent_id: &'a str,
        topic: &'a str,
        domain: Option<&'a str>,
        tools_used: &'a [String],
        status: SessionStatus,
        outcome: Option<Outcome>,
        started_at: &'a str,
        closed_at: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct ActiveAgentDocument<'a> {
        id: &'a str,
        username: &'a str,
        last_active_at: &'a str,
    }
    #[derive(Serialize)]
    struct PulseDocument<'a> {
        total_agents: i64,
        connected_agents: usize,
        agent_ids: Vec<&'a str>,
        active_agents: Vec<ActiveAgentDocument<'a>>,
        active_sessions: usize,
        sessions: Vec<PulseSession<'a>>,
    }
    pub(super) fn agent(a: &ActiveAgent) -> ActiveAgentDocument<'_> {
        ActiveAgentDocument {
            id: &a.id,
            username: &a.username,
            last_active_at: &a.last_active_at,
        }
    }
    to_value(&PulseDocument {
        total_agents: p.total_agents,
        connected_agents: p.active_agents.len(),
        agent_ids: p.active_agents.iter().map(|a| a.id.as_str()).collect(),
        active_agents: p.active_agents.iter().map(agent).collect(),
        active_sessions: p.open_sessions(),
        sessions: p
            .sessions
            .iter()
            .map(|s| PulseSession {
                id: &s.id,
                short_id: &s.short_id,
                agent_id: &s.agent_id,
                topic: &s.topic,
                domain: s.domain.as_deref(),
                tools_used: &s.tools_used,
                status: s.status,
                outcome: s.outcome,
                started_at: &s.started_at,
                closed_at: s.closed_at.as_deref(),
            })
            .collect(),
    })
}

/// Any serialisable record (entry, contribution, report) as it is.
pub fn record<T: Serialize>(r: &T) -> Value {
    to_value(r)
}
