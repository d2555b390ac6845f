//! The JSON document of every operation, shaped as the hosted REST API's response for the
//! same operation. The CLI's `--json`, `plurum serve` and the MCP tools all answer with these,
//! so the three front doors cannot drift apart.
//!
//! Each document is a struct that borrows from what the operation returned: its fields, in
//! their order, are the document's keys (serde_json keeps struct order, and the crate turns on
//! `preserve_order` so a `Value` keeps it too). Renaming a field here renames a key of the
//! contract, which `schemas/` and `tests/suite/contract.rs` pin; the CLI's text output reads
//! the operations' typed values, never these documents.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::agent::{Agent, AgentProfile, key_prefix};
use crate::model::experience::views::{AcquireContent, Checklist, Decision};
use crate::model::experience::{
    Acquired, Artifact, ArtifactMeta, Attempt, Breakthrough, ContextStructured, DeadEnd,
    Experience, Gotcha, Metrics, Outcome, Page, Status, Visibility,
};
use crate::model::feedback::{Feedback, OutcomeReport, VoteAction, VoteResult};
use crate::model::search::ArmScore;
use crate::model::search::{Hit, SearchResults, Timings};
use crate::model::session::{
    ActiveAgent, Closed, Contribution, Entry, Inbox, InboxEvent, Opened, Pulse, Session,
    SessionStatus,
};
use crate::ops::remote_account::RemoteSettings;
use crate::ops::remote_account::{RemoteRegistration, RotatedKey};
use crate::ops::sync::{PullReport, PushReport};
use crate::ops::transfer::Counts;

/// The version of the JSON contract; bumped on any breaking change of a shape.
pub const SCHEMA_VERSION: u32 = 1;

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("plain data serialises")
}

// ---- Experiences -------------------------------------------------------------------------

/// The fields every projection of an experience starts with (reference §2.6), in the API's
/// order: ids, what it is about, its status, the counters, when, tags and confidence.
#[derive(Serialize)]
struct ExperienceHead<'a> {
    id: &'a str,
    short_id: &'a str,
    session_id: Option<&'a str>,
    agent_id: &'a str,
    goal: &'a str,
    domain: Option<&'a str>,
    tools_used: &'a [String],
    status: Status,
    visibility: Visibility,
    outcome: Option<Outcome>,
    /// `success_count` … `quality_score`, in `Metrics`' field order.
    #[serde(flatten)]
    metrics: &'a Metrics,
    created_at: &'a str,
    updated_at: &'a str,
    tags: &'a [String],
    confidence: Option<f64>,
}

impl<'a> ExperienceHead<'a> {
    fn of(e: &'a Experience) -> Self {
        let c = &e.content;
        ExperienceHead {
            id: &e.id,
            short_id: &e.short_id,
            session_id: e.session_id.as_deref(),
            agent_id: &e.agent_id,
            goal: &c.goal,
            domain: c.domain.as_deref(),
            tools_used: &c.tools_used,
            status: e.status,
            visibility: c.visibility,
            outcome: c.outcome,
            metrics: &e.metrics,
            created_at: &e.created_at,
            updated_at: &e.updated_at,
            tags: &c.tags,
            confidence: c.confidence,
        }
    }
}

/// The list projection: the head, the artifacts' metadata, and where a pulled experience
/// came from (only when it came from somewhere).
#[derive(Serialize)]
struct ExperienceListItem<'a> {
    #[serde(flatten)]
    head: ExperienceHead<'a>,
    artifacts: &'a [ArtifactMeta],
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
}

impl<'a> ExperienceListItem<'a> {
    fn of(e: &'a Experience) -> Self {
        ExperienceListItem {
            head: ExperienceHead::of(e),
            artifacts: &e.artifacts,
            origin: e.origin.as_deref(),
        }
    }
}

/// An experience's artifacts: metadata, or the code inline as the hosted `GET` returns it.
#[derive(Serialize)]
#[serde(untagged)]
enum ArtifactsView<'a> {
    Metadata(&'a [ArtifactMeta]),
    Inline(&'a [Artifact]),
}

/// The detail projection: the list fields, then the lessons, with `artifacts` moved to sit
/// between `context` and `attempts_json` as the API has it.
#[derive(Serialize)]
struct ExperienceDetail<'a> {
    #[serde(flatten)]
    head: ExperienceHead<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
    dead_ends: &'a [DeadEnd],
    breakthroughs: &'a [Breakthrough],
    gotchas: &'a [Gotcha],
    context: Option<&'a str>,
    artifacts: ArtifactsView<'a>,
    attempts_json: &'a [Attempt],
    solution: Option<&'a str>,
    context_structured: Option<&'a ContextStructured>,
}

impl<'a> ExperienceDetail<'a> {
    fn of(e: &'a Experience, artifacts: ArtifactsView<'a>) -> Self {
        let c = &e.content;
        ExperienceDetail {
            head: ExperienceHead::of(e),
            origin: e.origin.as_deref(),
            dead_ends: &c.dead_ends,
            breakthroughs: &c.breakthroughs,
            gotchas: &c.gotchas,
            context: c.context.as_deref(),
            artifacts,
            attempts_json: &c.attempts,
            solution: c.solution.as_deref(),
            context_structured: c.context_structured.as_ref(),
        }
    }
}

/// The detail projection (artifacts as metadata).
pub fn experience(e: &Experience) -> Value {
    to_value(&ExperienceDetail::of(
        e,
        ArtifactsView::Metadata(&e.artifacts),
    ))
}

/// The detail projection with each artifact's code inline, as the hosted `GET` returns it.
pub fn experience_with_code(e: &Experience, artifacts: &[Artifact]) -> Value {
    to_value(&ExperienceDetail::of(e, ArtifactsView::Inline(artifacts)))
}

/// The list envelope `{items, total, limit, offset, has_more}` (reference §1.4).
#[derive(Serialize)]
struct PageDocument<I> {
    items: Vec<I>,
    total: i64,
    limit: i64,
    offset: i64,
    has_more: bool,
}

/// A page, each item shown by `item`.
pub fn page<'p, T, I: Serialize>(page: &'p Page<T>, item: impl Fn(&'p T) -> I) -> Value {
    to_value(&PageDocument {
        items: page.items.iter().map(item).collect(),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
        has_more: page.has_more(),
    })
}

pub fn experience_page(p: &Page<Experience>) -> Value {
    page(p, ExperienceListItem::of)
}

#[derive(Serialize)]
struct Ids<'a> {
    id: &'a str,
    short_id: &'a str,
}

/// What a bulk publish prints: each created experience's ids, in input order.
pub fn created(items: &[Experience]) -> Value {
    #[derive(Serialize)]
    struct Created<'a> {
        created: Vec<Ids<'a>>,
    }
    to_value(&Created {
        created: items
            .iter()
            .map(|e| Ids {
                id: &e.id,
                short_id: &e.short_id,
            })
            .collect(),
    })
}

/// `similar`: the source's ids and its neighbours, each a list item with its similarity.
pub fn similar(source: &Experience, near: &[(Experience, f64)]) -> Value {
    #[derive(Serialize)]
    struct Neighbour<'a> {
        #[serde(flatten)]
        item: ExperienceListItem<'a>,
        similarity: f64,
    }
    #[derive(Serialize)]
    struct Similar<'a> {
        experience_id: &'a str,
        short_id: &'a str,
        items: Vec<Neighbour<'a>>,
    }
    to_value(&Similar {
        experience_id: &source.id,
        short_id: &source.short_id,
        items: near
            .iter()
            .map(|(e, similarity)| Neighbour {
                item: ExperienceListItem::of(e),
                similarity: *similarity,
            })
            .collect(),
    })
}

/// One artifact with its code.
pub fn artifact(e: &Experience, index: usize, a: &Artifact) -> Value {
    #[derive(Serialize)]
    struct ArtifactDocument<'a> {
        experience_id: &'a str,
        short_id: &'a str,
        artifact_index: usize,
        artifact: &'a Artifact,
    }
    to_value(&ArtifactDocument {
        experience_id: &e.id,
        short_id: &e.short_id,
        artifact_index: index,
        artifact: a,
    })
}

/// An experience's artifacts, as metadata.
pub fn artifact_list(e: &Experience) -> Value {
    #[derive(Serialize)]
    struct ArtifactList<'a> {
        experience_id: &'a str,
        short_id: &'a str,
        artifacts: &'a [ArtifactMeta],
    }
    to_value(&ArtifactList {
        experience_id: &e.id,
        short_id: &e.short_id,
        artifacts: &e.artifacts,
    })
}

// ---- Acquire -----------------------------------------------------------------------------

/// The `content` of `acquire`, per mode (reference §4.9).
#[derive(Serialize)]
#[serde(untagged)]
enum AcquireContentDocument<'a> {
    Summary {
        summary: &'a str,
    },
    Checklist {
        #[serde(rename = "do")]
        do_: &'a [String],
        dont: &'a [String],
        watch: &'a [String],
    },
    DecisionTree {
        decisions: Vec<DecisionDocument<'a>>,
    },
    Full(FullContent<'a>),
}

#[derive(Serialize)]
struct DecisionDocument<'a> {
    condition: &'a str,
    action: &'a str,
    detail: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The whole experience, code inline; `quality_score` is called `trust_score` here.
#[derive(Serialize)]
struct FullContent<'a> {
    goal: &'a str,
    domain: Option<&'a str>,
    tools_used: &'a [String],
    outcome: Option<Outcome>,
    dead_ends: &'a [DeadEnd],
    breakthroughs: &'a [Breakthrough],
    gotchas: &'a [Gotcha],
    context: Option<&'a str>,
    artifacts: &'a [Artifact],
    success_rate: f64,
    total_reports: i64,
    trust_score: f64,
    attempts: &'a [Attempt],
    solution: Option<&'a str>,
    tags: &'a [String],
    confidence: Option<f64>,
    context_structured: Option<&'a ContextStructured>,
}

/// `{experience_id, short_id, mode, content}` (reference §3.2 acquire).
pub fn acquired(a: &Acquired) -> Value {
    #[derive(Serialize)]
    struct AcquiredDocument<'a> {
        experience_id: &'a str,
        short_id: &'a str,
        mode: crate::model::experience::AcquireMode,
        content: AcquireContentDocument<'a>,
    }
    let e = &a.experience;
    let c = &e.content;
    let content = match &a.content {
        AcquireContent::Summary(summary) => AcquireContentDocument::Summary { summary },
        AcquireContent::Checklist(Checklist { do_, dont, watch }) => {
            AcquireContentDocument::Checklist { do_, dont, watch }
        }
        AcquireContent::DecisionTree(decisions) => AcquireContentDocument::DecisionTree {
            decisions: decisions
                .iter()
                .map(|d: &Decision| DecisionDocument {
                    condition: &d.condition,
                    action: &d.action,
                    detail: &d.detail,
                    kind: d.kind.as_str(),
                })
                .collect(),
        },
        AcquireContent::Full => AcquireContentDocument::Full(FullContent {
            goal: &c.goal,
            domain: c.domain.as_deref(),
            tools_used: &c.tools_used,
            outcome: c.outcome,
            dead_ends: &c.dead_ends,
            breakthroughs: &c.breakthroughs,
            gotchas: &c.gotchas,
            context: c.context.as_deref(),
            artifacts: &a.artifacts,
            success_rate: e.metrics.success_rate,
            total_reports: e.metrics.total_reports,
            trust_score: e.metrics.quality_score,
            attempts: &c.attempts,
            solution: c.solution.as_deref(),
            tags: &c.tags,
            confidence: c.confidence,
            context_structured: c.context_structured.as_ref(),
        }),
    };
    to_value(&AcquiredDocument {
        experience_id: &e.id,
        short_id: &e.short_id,
        mode: a.content.mode(),
        content,
    })
}

// ---- Search ------------------------------------------------------------------------------

/// The scores a search adds to an experience (reference §2.6), and with `--explain` how each
/// arm saw it.
#[derive(Serialize)]
struct HitScores {
    trust_score: f64,
    similarity: f64,
    keyword_rank: f64,
    combined_score: f64,
    rerank_score: f64,
    confident: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<HitExplain>,
}

impl HitScores {
    fn of(hit: &Hit, semantic: bool, explain: bool) -> Self {
        HitScores {
            trust_score: hit.experience.metrics.quality_score,
            similarity: hit.similarity(),
            keyword_rank: hit.keyword.map_or(0.0, |a| a.score),
            combined_score: hit.combined_score,
            rerank_score: hit.rerank_score,
            confident: hit.confident(semantic),
            explain: explain.then(|| HitExplain {
                vector: hit.vector.map(VectorArm::of),
                keyword: hit.keyword.map(KeywordArm::of),
                quality_factor: hit.quality_factor,
            }),
        }
    }
}

#[derive(Serialize)]
struct HitExplain {
    vector: Option<VectorArm>,
    keyword: Option<KeywordArm>,
    quality_factor: f64,
}

#[derive(Serialize)]
struct VectorArm {
    rank: usize,
    similarity: f64,
    z: f64,
}

impl VectorArm {
    fn of(a: ArmScore) -> Self {
        VectorArm {
            rank: a.rank,
            similarity: a.score,
            z: a.standardised,
        }
    }
}

#[derive(Serialize)]
struct KeywordArm {
    rank: usize,
    bm25: f64,
    z: f64,
}

impl KeywordArm {
    fn of(a: ArmScore) -> Self {
        KeywordArm {
            rank: a.rank,
            bm25: a.score,
            z: a.standardised,
        }
    }
}

/// The search projection of one hit: the list fields plus the scores.
#[derive(Serialize)]
struct SearchHit<'a> {
    #[serde(flatten)]
    item: ExperienceListItem<'a>,
    #[serde(flatten)]
    scores: HitScores,
}

#[derive(Serialize)]
struct TimingsMs {
    embed: f64,
    vector: f64,
    keyword: f64,
    fuse: f64,
}

impl TimingsMs {
    fn of(t: &Timings) -> Self {
        TimingsMs {
            embed: t.embed_ms,
            vector: t.vector_ms,
            keyword: t.keyword_ms,
            fuse: t.fuse_ms,
        }
    }
}

/// The search response: `{query, results, total_found, semantic, semantic_reason?, …}`;
/// `--explain` adds each hit's arms and the timings.
pub fn search(r: &SearchResults, explain: bool) -> Value {
    #[derive(Serialize)]
    struct SearchDocument<'a> {
        query: &'a str,
        results: Vec<SearchHit<'a>>,
        total_found: usize,
        semantic: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        semantic_reason: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        vector_coverage: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        remote_error: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        timings_ms: Option<TimingsMs>,
    }
    to_value(&SearchDocument {
        query: &r.query,
        results: r
            .hits
            .iter()
            .map(|h| SearchHit {
                item: ExperienceListItem::of(&h.experience),
                scores: HitScores::of(h, r.semantic, explain),
            })
            .collect(),
        total_found: r.hits.len(),
        semantic: r.semantic,
        semantic_reason: r.semantic_reason.as_deref(),
        vector_coverage: r.vector_coverage,
        remote_error: r.remote_error.as_deref(),
        timings_ms: explain.then(|| TimingsMs::of(&r.timings)),
    })
}

// ---- Feedback ----------------------------------------------------------------------------

/// The counters an agent sees change after feedback (an extra key on the API's row).
#[derive(Serialize)]
struct MetricsDocument<'a> {
    id: &'a str,
    short_id: &'a str,
    #[serde(flatten)]
    metrics: &'a Metrics,
}

impl<'a> MetricsDocument<'a> {
    fn of(e: &'a Experience) -> Self {
        MetricsDocument {
            id: &e.id,
            short_id: &e.short_id,
            metrics: &e.metrics,
        }
    }
}

/// The report row, plus the experience's counters after it (an addition to the API's row).
pub fn outcome(f: &Feedback<OutcomeReport>) -> Value {
    #[derive(Serialize)]
    struct OutcomeDocument<'a> {
        #[serde(flatten)]
        report: &'a OutcomeReport,
        experience: MetricsDocument<'a>,
    }
    to_value(&OutcomeDocument {
        report: &f.record,
        experience: MetricsDocument::of(&f.experience),
    })
}

/// The vote row, plus what the vote did and the counters after it.
pub fn vote(r: &VoteResult) -> Value {
    #[derive(Serialize)]
    struct VoteDocument<'a> {
        #[serde(flatten)]
        vote: &'a crate::model::feedback::Vote,
        action: VoteAction,
        experience: MetricsDocument<'a>,
    }
    to_value(&VoteDocument {
        vote: &r.vote,
        action: r.action,
        experience: MetricsDocument::of(&r.experience),
    })
}

// ---- Sessions ----------------------------------------------------------------------------

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
    #[derive(Serialize)]
    struct ClosedDocument<'a> {
        session: &'a Session,
        #[serde(skip_serializing_if = "Option::is_none")]
        experience_draft: Option<ExperienceDetail<'a>>,
    }
    to_value(&ClosedDocument {
        session: &c.session,
        experience_draft: c
            .experience
            .as_ref()
            .map(|e| ExperienceDetail::of(e, ArtifactsView::Metadata(&e.artifacts))),
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
    fn agent(a: &ActiveAgent) -> ActiveAgentDocument<'_> {
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

// ---- Agents ------------------------------------------------------------------------------

/// The caller's own profile (`GET /agents/me`), never the key; the tiers and balance are
/// the hosted service's defaults, which a local store has no use for.
pub fn agent(a: &Agent) -> Value {
    #[derive(Serialize)]
    struct Me<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        api_key_prefix: Option<&'a str>,
        is_active: bool,
        rate_limit_tier: &'static str,
        subscription_tier: &'static str,
        credits_balance: i64,
        publisher_domain: Option<&'static str>,
        created_at: &'a str,
        last_active_at: Option<&'a str>,
    }
    to_value(&Me {
        id: &a.id,
        name: &a.name,
        username: &a.username,
        api_key_prefix: a.api_key_prefix.as_deref(),
        is_active: a.is_active,
        rate_limit_tier: "standard",
        subscription_tier: "free",
        credits_balance: 0,
        publisher_domain: None,
        created_at: &a.created_at,
        last_active_at: a.last_active_at.as_deref(),
    })
}

/// Another agent's public profile (`GET /agents/{id}`) with their contribution stats.
pub fn agent_profile(p: &AgentProfile) -> Value {
    #[derive(Serialize)]
    struct Stats {
        experiences_published: i64,
        outcome_reports: i64,
        votes: i64,
        sessions: i64,
        reports_received: i64,
        successes_received: i64,
    }
    #[derive(Serialize)]
    struct Profile<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        created_at: &'a str,
        last_active_at: Option<&'a str>,
        stats: Stats,
    }
    let a = &p.agent;
    let s = p.stats;
    to_value(&Profile {
        id: &a.id,
        name: &a.name,
        username: &a.username,
        created_at: &a.created_at,
        last_active_at: a.last_active_at.as_deref(),
        stats: Stats {
            experiences_published: s.experiences_published,
            outcome_reports: s.outcome_reports,
            votes: s.votes,
            sessions: s.sessions,
            reports_received: s.reports_received,
            successes_received: s.successes_received,
        },
    })
}

/// This store's agents, `{items, total}`: who they are, never their keys.
pub fn agents(agents: &[Agent]) -> Value {
    #[derive(Serialize)]
    struct Item<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        created_at: &'a str,
    }
    #[derive(Serialize)]
    struct Agents<'a> {
        items: Vec<Item<'a>>,
        total: usize,
    }
    to_value(&Agents {
        items: agents
            .iter()
            .map(|a| Item {
                id: &a.id,
                name: &a.name,
                username: &a.username,
                created_at: &a.created_at,
            })
            .collect(),
        total: agents.len(),
    })
}

// ---- The remote collective ----------------------------------------------------------------

/// `sync`: what the pull and the push each did.
pub fn synced(pull: &PullReport, push: &PushReport) -> Value {
    #[derive(Serialize)]
    struct Synced<'a> {
        pull: &'a PullReport,
        push: &'a PushReport,
    }
    to_value(&Synced { pull, push })
}

/// `remote set`: the URL as saved.
pub fn remote_set(url: &str) -> Value {
    #[derive(Serialize)]
    struct RemoteSet<'a> {
        url: &'a str,
    }
    to_value(&RemoteSet { url })
}

/// `remote show`: the remote, its key's prefix (never the key) and where the key came from,
/// and how many experiences are linked to it, by state.
pub fn remote_show(s: &RemoteSettings, links: &HashMap<String, i64>) -> Value {
    #[derive(Serialize)]
    struct RemoteShow<'a> {
        url: &'a str,
        api_key: Option<String>,
        api_key_source: Option<&'static str>,
        experiences: &'a HashMap<String, i64>,
    }
    to_value(&RemoteShow {
        url: &s.url,
        api_key: s.api_key.as_deref().map(key_prefix),
        api_key_source: s.key_source,
        experiences: links,
    })
}

/// `agent register`: who the remote registered (its `id` and `name` as it answered), the
/// key's prefix and where the key was saved.
pub fn agent_registered(r: &RemoteRegistration) -> Value {
    #[derive(Serialize)]
    struct Registered<'a> {
        id: &'a Value,
        name: &'a Value,
        username: &'a str,
        api_key_prefix: &'a str,
        saved_to: &'a Path,
    }
    to_value(&Registered {
        id: &r.id,
        name: &r.name,
        username: &r.username,
        api_key_prefix: &r.api_key_prefix,
        saved_to: &r.saved_to,
    })
}

/// `agent rotate-key`: the new key's prefix and where it was saved.
pub fn key_saved(rotated: &RotatedKey) -> Value {
    #[derive(Serialize)]
    struct KeySaved<'a> {
        api_key_prefix: &'a str,
        saved_to: &'a Path,
    }
    to_value(&KeySaved {
        api_key_prefix: &rotated.api_key_prefix,
        saved_to: &rotated.saved_to,
    })
}

// ---- Store files and the CLI's own documents ----------------------------------------------

/// `backup`: where the copy went and its size.
pub fn backup(file: &Path, bytes: u64) -> Value {
    #[derive(Serialize)]
    struct Backup<'a> {
        file: &'a Path,
        bytes: u64,
    }
    to_value(&Backup { file, bytes })
}

/// `export FILE`: where it went and how many records of each kind.
pub fn exported(file: &Path, counts: &Counts) -> Value {
    #[derive(Serialize)]
    struct Exported<'a> {
        file: &'a Path,
        exported: &'a Counts,
    }
    to_value(&Exported {
        file,
        exported: counts,
    })
}

/// `skill`: the agents' guide, as Markdown.
pub fn skill(text: &str) -> Value {
    #[derive(Serialize)]
    struct Skill<'a> {
        format: &'static str,
        text: &'a str,
    }
    to_value(&Skill {
        format: "markdown",
        text,
    })
}

/// `completions`: a shell's completion script.
pub fn completions(shell: &str, script: &str) -> Value {
    #[derive(Serialize)]
    struct Completions<'a> {
        shell: &'a str,
        script: &'a str,
    }
    to_value(&Completions { shell, script })
}

// ---- Envelopes ---------------------------------------------------------------------------

/// The error envelope `{detail, error, details}`.
pub fn error(e: &Error) -> Value {
    e.to_json()
}

/// Puts `schema_version` first in a document (objects only).
pub fn versioned(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            // A document with a field of this name would silently lose it.
            debug_assert!(!map.contains_key("schema_version"), "field name collides");
            let mut out = Map::with_capacity(map.len() + 1);
            out.insert("schema_version".into(), SCHEMA_VERSION.into());
            out.extend(map);
            Value::Object(out)
        }
        other => other,
    }
}
