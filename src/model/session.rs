//! Working sessions: a journal of typed entries that assembles into an experience when the
//! session closes (reference §4.8), contributions from other agents, and the per-agent inbox.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::model::experience::Importance;
use crate::model::experience::input::{DOMAIN_MAX_CHARS, LANGUAGE_CHARS};
use crate::model::experience::types::string_enum;
use crate::model::experience::{
    Artifact, Attempt, Breakthrough, DeadEnd, Experience, ExperienceContent, Gotcha, NewExperience,
    Outcome, Visibility,
};
use crate::model::fields::{Fields, check_chars};

string_enum!(SessionStatus { Open = "open", Closed = "closed", Abandoned = "abandoned" });
string_enum!(EntryType {
    Update = "update", DeadEnd = "dead_end", Breakthrough = "breakthrough", Gotcha = "gotcha",
    Artifact = "artifact", Note = "note"
});
string_enum!(ContributionType { Suggestion = "suggestion", Warning = "warning", Reference = "reference" });

/// How close (cosine) another agent's open session must be to count as "on a similar topic".
pub const SIMILAR_SESSION: f64 = 0.6;
/// How many matching experiences and active sessions `open` returns.
pub const OPEN_MATCHES: usize = 5;

/// A session row, shaped as the API's raw session row (without the topic embedding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(skip)]
    pub seq: i64,
    pub id: String,
    pub short_id: String,
    pub agent_id: String,
    pub topic: String,
    pub domain: Option<String>,
    pub tools_used: Vec<String>,
    pub status: SessionStatus,
    pub visibility: Visibility,
    pub outcome: Option<Outcome>,
    /// The experience assembled when it closed, if any (an addition to the API's row).
    pub experience_id: Option<String>,
    pub started_at: String,
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub session_id: String,
    pub entry_type: EntryType,
    pub content: Value,
    pub ordinal: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: String,
    pub session_id: String,
    pub contributor_agent_id: String,
    pub content: Value,
    pub contribution_type: ContributionType,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxEvent {
    pub id: String,
    pub target_agent_id: String,
    pub event_type: String,
    pub event_data: Value,
    pub source_session_id: Option<String>,
    pub source_agent_id: Option<String>,
    pub is_read: bool,
    pub created_at: String,
}

/// What an inbox event says. Stored and served as the API does, `event_type` plus the
/// `event_data` object; written and read only through these types, so the session code
/// that writes an event and the CLI that shows it agree on its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    /// A public session similar to one of yours was opened.
    SessionOpened(SessionOpenedEvent),
    /// A session you contributed to, or were told about, closed.
    SessionClosed(SessionClosedEvent),
    /// Another agent contributed to your session.
    ContributionReceived(Contribution),
    /// A type this plurum does not know (from a newer store), kept as it came.
    Other(Value),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionOpenedEvent {
    pub session_id: String,
    pub short_id: String,
    pub agent_id: String,
    pub topic: String,
    pub domain: Option<String>,
    pub tools_used: Vec<String>,
    /// Cosine similarity of the two sessions' topics.
    pub similarity: f64,
    pub your_session_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionClosedEvent {
    pub session_id: String,
    pub short_id: String,
    pub agent_id: String,
    pub topic: String,
    pub outcome: Option<Outcome>,
    pub experience_id: Option<String>,
    pub experience_short_id: Option<String>,
}

impl EventPayload {
    /// The `event_type` it is stored and served under.
    pub fn event_type(&self) -> Option<&'static str> {
        match self {
            EventPayload::SessionOpened(_) => Some("session_opened"),
            EventPayload::SessionClosed(_) => Some("session_closed"),
            EventPayload::ContributionReceived(_) => Some("contribution_received"),
            EventPayload::Other(_) => None,
        }
    }

    fn to_value(&self) -> Value {
        let value = match self {
            EventPayload::SessionOpened(e) => serde_json::to_value(e),
            EventPayload::SessionClosed(e) => serde_json::to_value(e),
            EventPayload::ContributionReceived(c) => serde_json::to_value(c),
            EventPayload::Other(v) => return v.clone(),
        };
        value.expect("an event's fields are plain JSON")
    }
}

impl InboxEvent {
    /// A new unread event for `target` about `session`.
    pub fn new(target: &str, payload: &EventPayload, session: &Session, at: String) -> InboxEvent {
        InboxEvent {
            id: crate::model::ids::new_uuid(),
            target_agent_id: target.to_string(),
            event_type: payload.event_type().unwrap_or("other").to_string(),
            event_data: payload.to_value(),
            source_session_id: Some(session.id.clone()),
            source_agent_id: Some(session.agent_id.clone()),
            is_read: false,
            created_at: at,
        }
    }

    /// What the event says, by its type; `Other` for a type or shape this plurum does not know.
    pub fn payload(&self) -> EventPayload {
        let data = self.event_data.clone();
        let typed = match self.event_type.as_str() {
            "session_opened" => serde_json::from_value(data).map(EventPayload::SessionOpened),
            "session_closed" => serde_json::from_value(data).map(EventPayload::SessionClosed),
            "contribution_received" => {
                serde_json::from_value(data).map(EventPayload::ContributionReceived)
            }
            _ => return EventPayload::Other(self.event_data.clone()),
        };
        typed.unwrap_or_else(|_| EventPayload::Other(self.event_data.clone()))
    }
}

/// An agent's inbox: the events asked for, newest first, and how many are unread in all.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub events: Vec<InboxEvent>,
    pub unread_count: i64,
}

/// Who is around and what they work on (`Plurum::pulse`).
#[derive(Debug, Clone)]
pub struct Pulse {
    pub total_agents: i64,
    /// Agents active in the last 15 minutes, most recent first.
    pub active_agents: Vec<ActiveAgent>,
    /// The most recent public sessions, open or not.
    pub sessions: Vec<Session>,
}

impl Pulse {
    /// How many of `sessions` are still open.
    pub fn open_sessions(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Open)
            .count()
    }
}

#[derive(Debug, Clone)]
pub struct ActiveAgent {
    pub id: String,
    pub username: String,
    pub last_active_at: String,
}

/// What `open` returns: the session, what the collective already knows, who else is at it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub session: Session,
    pub matching_experiences: Vec<crate::model::search::Hit>,
    pub active_sessions: Vec<(Session, f64)>,
    pub semantic: bool,
}

#[derive(Debug, Clone)]
pub struct Closed {
    pub session: Session,
    pub experience: Option<Experience>,
    /// Likely duplicates of the experience among what its author can see.
    pub possible_duplicates: Vec<crate::model::duplicates::DuplicateHit>,
}

/// Changes to an open session.
#[derive(Debug, Clone, Default)]
pub struct SessionUpdate {
    pub topic: Option<String>,
    pub domain: Option<String>,
    pub tools_used: Option<Vec<String>>,
    pub visibility: Option<Visibility>,
}

/// The text a topic is embedded from, as the hosted service builds it (reference §4.1).
pub fn topic_text(topic: &str, domain: Option<&str>, tools: &[String]) -> String {
    let mut lines = vec![format!("Topic: {topic}")];
    if let Some(d) = domain.filter(|d| !d.is_empty()) {
        lines.push(format!("Domain: {d}"));
    }
    if !tools.is_empty() {
        lines.push(format!("Tools: {}", tools.join(", ")));
    }
    lines.join("\n")
}

/// How long a session's topic may be, in characters.
pub const TOPIC_CHARS: (usize, usize) = (5, 1000);

pub fn check_topic(topic: &str) -> Result<String> {
    let topic = topic.trim().to_string();
    check_chars(&topic, TOPIC_CHARS, "topic")?;
    Ok(topic)
}

pub fn check_domain(domain: Option<String>) -> Result<Option<String>> {
    let domain = domain
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    if let Some(d) = &domain {
        check_chars(d, (1, DOMAIN_MAX_CHARS), "domain")?;
    }
    Ok(domain)
}

pub fn clean_tools(tools: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tools
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Checks an entry's content against its type's schema (reference §2.4) and returns it
/// normalised: known keys only, defaults filled in. Field paths start at `content`.
pub fn validate_entry(entry_type: EntryType, content: &Value) -> Result<Value> {
    let f = Fields::of(content, "content")?;
    let known: &[&str] = match entry_type {
        EntryType::Update | EntryType::Note => &["text"],
        EntryType::DeadEnd => &["what", "why"],
        EntryType::Breakthrough => &["insight", "detail", "importance"],
        EntryType::Gotcha => &["warning", "context"],
        EntryType::Artifact => &["language", "code", "description"],
    };
    if let Some(unknown) = f.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(Error::invalid(
            f.path(unknown),
            format!(
                "is not a field of a {entry_type} entry (expected {})",
                known.join(", ")
            ),
        ));
    }
    Ok(match entry_type {
        EntryType::Update | EntryType::Note => json!({"text": f.required_str("text")?}),
        EntryType::DeadEnd => {
            json!({"what": f.required_str("what")?, "why": f.str_or_empty("why")?})
        }
        EntryType::Breakthrough => {
            let importance = f
                .choice("importance", Importance::parse, Importance::ALL)?
                .unwrap_or(Importance::Medium);
            json!({"insight": f.required_str("insight")?, "detail": f.str_or_empty("detail")?, "importance": importance.as_str()})
        }
        EntryType::Gotcha => json!({
            "warning": f.required_str("warning")?,
            "context": f.str("context")?,
        }),
        EntryType::Artifact => {
            let language = f.required_str("language")?;
            check_chars(&language, LANGUAGE_CHARS, &f.path("language"))?;
            json!({"language": language, "code": f.required_verbatim("code")?, "description": f.str("description")?})
        }
    })
}

/// Builds the experience a closing session yields, exactly as the hosted assembler does
/// (reference §4.8). `None` when the session has no entries.
pub fn assemble(session: &Session, entries: &[Entry]) -> Option<NewExperience> {
    if entries.is_empty() {
        return None;
    }
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let opt = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mut dead_ends = Vec::new();
    let mut breakthroughs = Vec::new();
    let mut gotchas = Vec::new();
    let mut artifacts = Vec::new();
    let mut attempts = Vec::new();
    let mut paragraphs = Vec::new();
    for e in entries {
        let c = &e.content;
        match e.entry_type {
            EntryType::DeadEnd => {
                dead_ends.push(DeadEnd {
                    what: s(c, "what"),
                    why: s(c, "why"),
                });
                attempts.push(Attempt {
                    action: s(c, "what"),
                    outcome: s(c, "why"),
                    dead_end: true,
                    insight: Some(s(c, "why")),
                });
            }
            EntryType::Breakthrough => {
                let importance = opt(c, "importance").unwrap_or_else(|| "medium".into());
                breakthroughs.push(Breakthrough {
                    insight: s(c, "insight"),
                    detail: s(c, "detail"),
                    importance,
                });
                attempts.push(Attempt {
                    action: s(c, "insight"),
                    outcome: s(c, "detail"),
                    dead_end: false,
                    insight: Some(s(c, "detail")),
                });
            }
            EntryType::Gotcha => gotchas.push(Gotcha {
                warning: s(c, "warning"),
                context: opt(c, "context"),
            }),
            EntryType::Artifact => artifacts.push(Artifact {
                language: s(c, "language"),
                code: s(c, "code"),
                description: opt(c, "description"),
            }),
            EntryType::Update | EntryType::Note => {
                let text = s(c, "text");
                if !text.is_empty() {
                    paragraphs.push(text);
                }
            }
        }
    }
    Some(NewExperience {
        content: ExperienceContent {
            goal: session.topic.clone(),
            domain: session.domain.clone(),
            tools_used: session.tools_used.clone(),
            dead_ends,
            breakthroughs,
            gotchas,
            context: if paragraphs.is_empty() {
                None
            } else {
                Some(paragraphs.join("\n\n"))
            },
            attempts,
            solution: None,
            tags: Vec::new(),
            confidence: None,
            context_structured: None,
            outcome: session.outcome,
            visibility: session.visibility,
        },
        artifacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(t: EntryType, content: Value, ordinal: i64) -> Entry {
        Entry {
            id: format!("e{ordinal}"),
            session_id: "s".into(),
            entry_type: t,
            content,
            ordinal,
            created_at: String::new(),
        }
    }

    #[test]
    fn assembler_maps_every_entry_type() {
        let session = Session {
            seq: 1,
            id: "s".into(),
            short_id: "abcd1234".into(),
            agent_id: "a".into(),
            topic: "Set up PostgreSQL replication".into(),
            domain: Some("infrastructure".into()),
            tools_used: vec!["postgresql".into()],
            status: SessionStatus::Open,
            visibility: Visibility::Public,
            outcome: Some(Outcome::Partial),
            experience_id: None,
            started_at: String::new(),
            closed_at: None,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let entries = vec![
            entry(
                EntryType::Update,
                json!({"text": "Started with two VMs"}),
                1,
            ),
            entry(
                EntryType::DeadEnd,
                json!({"what": "synchronous_commit=on", "why": "3x write latency"}),
                2,
            ),
            entry(
                EntryType::Breakthrough,
                json!({"insight": "replication slots", "detail": "WAL kept until the replica catches up", "importance": "high"}),
                3,
            ),
            entry(
                EntryType::Gotcha,
                json!({"warning": "WAL disk usage", "context": "slots pin WAL"}),
                4,
            ),
            entry(
                EntryType::Artifact,
                json!({"language": "sql", "code": "SELECT * FROM pg_create_physical_replication_slot('r1');", "description": null}),
                5,
            ),
            entry(EntryType::Note, json!({"text": ""}), 6),
            entry(EntryType::Note, json!({"text": "Done on PG 16"}), 7),
        ];
        let a = assemble(&session, &entries).unwrap();
        let c = &a.content;
        assert_eq!(c.goal, "Set up PostgreSQL replication");
        assert_eq!(c.domain.as_deref(), Some("infrastructure"));
        assert_eq!(c.tools_used, vec!["postgresql"]);
        assert_eq!(
            c.dead_ends,
            vec![DeadEnd {
                what: "synchronous_commit=on".into(),
                why: "3x write latency".into()
            }]
        );
        assert_eq!(c.breakthroughs[0].importance, "high");
        assert_eq!(c.attempts.len(), 2);
        assert_eq!(
            c.attempts[0],
            Attempt {
                action: "synchronous_commit=on".into(),
                outcome: "3x write latency".into(),
                dead_end: true,
                insight: Some("3x write latency".into())
            }
        );
        assert_eq!(
            c.attempts[1],
            Attempt {
                action: "replication slots".into(),
                outcome: "WAL kept until the replica catches up".into(),
                dead_end: false,
                insight: Some("WAL kept until the replica catches up".into())
            }
        );
        assert_eq!(
            c.gotchas,
            vec![Gotcha {
                warning: "WAL disk usage".into(),
                context: Some("slots pin WAL".into())
            }]
        );
        assert_eq!(a.artifacts[0].language, "sql");
        assert_eq!(
            c.context.as_deref(),
            Some("Started with two VMs\n\nDone on PG 16")
        );
        assert_eq!(c.outcome, Some(Outcome::Partial));
        assert_eq!(c.solution, None);
        assert!(c.tags.is_empty());
        assert!(assemble(&session, &[]).is_none());
    }

    #[test]
    fn entry_content_is_checked_per_type() {
        assert!(validate_entry(EntryType::DeadEnd, &json!({"what": "x"})).is_ok());
        let field = |t, v| match validate_entry(t, &v).unwrap_err() {
            Error::Invalid { field, .. } => field.unwrap(),
            e => panic!("{e:?}"),
        };
        assert_eq!(
            field(EntryType::DeadEnd, json!({"why": "x"})),
            "content.what"
        );
        assert_eq!(
            field(
                EntryType::Breakthrough,
                json!({"insight": "x", "importance": "urgent"})
            ),
            "content.importance"
        );
        assert_eq!(
            field(EntryType::Artifact, json!({"language": "sh"})),
            "content.code"
        );
        assert_eq!(
            field(EntryType::Update, json!({"text": "x", "extra": 1})),
            "content.extra"
        );
        assert_eq!(field(EntryType::Note, json!("text")), "content");
        assert_eq!(
            validate_entry(EntryType::Gotcha, &json!({"warning": "w"})).unwrap(),
            json!({"warning": "w", "context": null})
        );
    }
}
