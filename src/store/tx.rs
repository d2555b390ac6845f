//! What the operations may do inside one transaction of a store, one trait per concept.
//!
//! Each backend implements each trait in the file of the same concept (`sqlite/agents.rs`,
//! `postgres/agents.rs`, …), so a concept's SQL for one database sits in one place. [`Tx`]
//! is all of them together: what a transaction lent by [`super::Database`] is.
//!
//! `seq` is a store's own dense number for an experience (or session), used by search to
//! name rows cheaply; ids are the public UUIDs.

use std::collections::{HashMap, HashSet};

use super::{
    CodeVisitor, Eligibility, FeedbackCounts, FileFacts, IndexCounts, KeywordPlan, KeywordQuery,
    KeywordStats, LatestFeedback, ListFilter, SyncRow, VectorMethod, VectorVisitor,
};
use crate::error::Result;
use crate::model::agent::{Agent, AgentStats};
use crate::model::experience::types::{Artifact, Experience, Metrics, Status, VoteType};
use crate::model::feedback::{OutcomeReport, Vote};
use crate::model::ids::IdRef;
use crate::model::session::{Contribution, Entry, InboxEvent, Session, SessionStatus};

/// `Tx`, and its implementation for every type that implements all of `$concept`: the list
/// of concepts, written once.
macro_rules! all_concepts {
    ($($concept:ident),+) => {
        /// Everything a transaction of a store can do: every concept's trait.
        pub trait Tx: $($concept +)+ {}

        impl<T: $($concept +)+ ?Sized> Tx for T {}
    };
}

all_concepts!(
    AgentTx,
    ExperienceTx,
    FeedbackTx,
    SessionTx,
    InboxTx,
    SearchTx,
    VectorTx,
    SyncTx,
    MaintenanceTx
);

/// Agents: accounts, keys, activity. Each backend implements it in its `agents.rs`.
pub trait AgentTx {
    fn agent_by_username(&self, username: &str) -> Result<Option<Agent>>;
    fn agent_by_id(&self, id: &str) -> Result<Option<Agent>>;
    fn agent_by_key_hash(&self, hash: &str) -> Result<Option<Agent>>;
    /// Inserts an agent unless one with the same id or username exists; true when inserted.
    fn insert_agent(&self, a: &Agent) -> Result<bool>;
    fn agents(&self) -> Result<Vec<Agent>>;
    fn touch_agent(&self, id: &str, at: &str) -> Result<()>;
    fn set_agent_inbox_checked(&self, id: &str, at: &str) -> Result<()>;
    fn set_agent_key(&self, id: &str, hash: &str, prefix: &str, at: &str) -> Result<()>;
    /// Which of these usernames are taken (one query).
    fn usernames_taken(&self, usernames: &[String]) -> Result<Vec<String>>;
    /// How much an agent has contributed (public profile).
    fn agent_stats(&self, id: &str) -> Result<AgentStats>;
    /// Agents active since `since` (pulse).
    fn agents_active_since(&self, since: &str) -> Result<Vec<(String, String, String)>>;
    fn agent_count(&self) -> Result<i64>;
}

/// Experiences and their artifacts. Each backend implements it in its `experiences.rs`.
pub trait ExperienceTx {
    /// Inserts an experience with its artifacts, tag and tool rows, keyword index row and
    /// (when given) vector, all on the caller's transaction. Returns the new `seq`.
    /// If the short id is taken, a fresh one is drawn (`e.short_id` is updated).
    fn insert_experience(
        &self,
        e: &mut Experience,
        artifacts: &[Artifact],
        vector: Option<&[f32]>,
    ) -> Result<i64>;
    /// Stores (or replaces) the vector of an experience.
    fn set_experience_vector(&self, seq: i64, vector: &[f32]) -> Result<()>;
    /// The experience with this seq.
    fn experience_by_seq(&self, seq: i64) -> Result<Option<Experience>>;
    fn experience_by_id(&self, id: &str) -> Result<Option<Experience>>;
    /// Experiences an identifier may name: one for a UUID or short id, any number for a prefix.
    fn experiences_named(&self, id: &IdRef) -> Result<Vec<Experience>>;
    /// One page of experiences, newest first, and the exact number matching.
    fn list_experiences(&self, f: &ListFilter) -> Result<(Vec<Experience>, i64)>;
    /// Every experience, oldest first (export).
    fn each_experience(&self, each: &mut dyn FnMut(Experience) -> Result<()>) -> Result<()>;
    fn set_experience_status(&self, id: &str, status: Status) -> Result<()>;
    /// Stores an experience's counters and quality score (`ops::feedback::recount`).
    fn set_experience_metrics(&self, id: &str, metrics: &Metrics) -> Result<()>;
    /// The artifacts of an experience, code included, in order.
    fn artifacts(&self, experience_id: &str) -> Result<Vec<Artifact>>;
    fn artifact(&self, experience_id: &str, index: usize) -> Result<Option<Artifact>>;
    fn experience_count(&self) -> Result<i64>;
    /// Writes an experience's lessons (dead ends, breakthroughs, gotchas) and artifact list
    /// as `e` now holds them, appends the code of `added` artifacts after its own, and
    /// re-indexes its keywords (`before` is the content it was indexed with): a merge.
    fn rewrite_lessons(
        &self,
        e: &Experience,
        before: &crate::model::experience::ExperienceContent,
        added: &[Artifact],
    ) -> Result<()>;
    /// Archives an experience as merged into `into`.
    fn mark_merged(&self, id: &str, into: &str, at: &str) -> Result<()>;
    /// Holds the experience's row until the transaction ends, so that writers reading its
    /// feedback to decide what to write take turns (Postgres; SQLite's write transactions
    /// run one at a time already).
    fn lock_experience(&self, id: &str) -> Result<()>;
}

/// Outcome reports and votes. Each backend implements it in its `feedback.rs`.
pub trait FeedbackTx {
    /// Inserts a report, or overwrites the agent's earlier one: `success` always, the optional
    /// fields only when given this time; `created_at` keeps the first report's time (§3.2).
    fn upsert_report(&self, r: &OutcomeReport) -> Result<OutcomeReport>;
    /// Inserts a report exactly as given unless its id or (experience, agent) exists (import).
    fn insert_report_if_new(&self, r: &OutcomeReport) -> Result<bool>;
    fn vote_of(&self, experience_id: &str, agent_id: &str) -> Result<Option<Vote>>;
    fn insert_vote(&self, v: &Vote) -> Result<bool>;
    fn change_vote(&self, id: &str, vote_type: VoteType, at: &str) -> Result<()>;
    fn delete_vote(&self, id: &str) -> Result<()>;
    /// This store's own outcome reports and votes on an experience, counted.
    fn feedback_counts(&self, experience_id: &str) -> Result<FeedbackCounts>;
    /// Every outcome report and vote on one experience.
    fn feedback_on(&self, experience_id: &str) -> Result<(Vec<OutcomeReport>, Vec<Vote>)>;
    /// Moves a report to another experience (a merge; the agent has none there).
    fn move_report(&self, id: &str, experience_id: &str) -> Result<()>;
    fn delete_report(&self, id: &str) -> Result<()>;
    /// Moves a vote to another experience (a merge; the agent has none there).
    fn move_vote(&self, id: &str, experience_id: &str) -> Result<()>;
    fn each_report(&self, each: &mut dyn FnMut(OutcomeReport) -> Result<()>) -> Result<()>;
    fn each_vote(&self, each: &mut dyn FnMut(Vote) -> Result<()>) -> Result<()>;
}

/// Sessions, their entries and the experiences they contributed to. Each backend implements it in its `sessions.rs`.
pub trait SessionTx {
    /// Inserts a session (drawing a new short id if it collides); returns its seq.
    fn insert_session(&self, s: &mut Session) -> Result<i64>;
    fn session_by_id(&self, id: &str) -> Result<Option<Session>>;
    /// Sessions an identifier may name (a prefix may name several).
    fn sessions_named(&self, id: &IdRef) -> Result<Vec<Session>>;
    /// Writes every mutable field of a session back.
    fn update_session(&self, s: &Session) -> Result<()>;
    /// A page of one agent's sessions, newest first, and how many there are.
    fn list_own_sessions(
        &self,
        agent_id: &str,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)>;
    /// Public and team sessions of any status, newest first, and how many there are.
    fn list_public_sessions(
        &self,
        status: Option<SessionStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Session>, i64)>;
    /// Public sessions, open or closed, newest first (pulse).
    fn recent_public_sessions(&self, limit: i64) -> Result<Vec<Session>>;
    fn each_session(&self, each: &mut dyn FnMut(Session) -> Result<()>) -> Result<()>;
    /// The stored topic vector of a session, if it has one.
    fn session_vector(&self, session_seq: i64) -> Result<Option<Vec<f32>>>;
    fn set_session_vector(&self, session_seq: i64, v: &[f32]) -> Result<()>;
    /// Other agents' open public sessions whose topic is at least `min_similarity` (cosine) close
    /// to `v`, closest first.
    fn similar_open_sessions(
        &self,
        v: &[f32],
        exclude_agent: &str,
        min_similarity: f64,
        limit: i64,
    ) -> Result<Vec<(Session, f64)>>;
    /// Sessions without a topic vector (reindex).
    fn sessions_missing_vectors(&self) -> Result<Vec<Session>>;
    /// Holds the session's row until the transaction ends, so that two writers that both
    /// found it open cannot both change it (Postgres, where write transactions run side by
    /// side; SQLite's run one at a time already).
    fn lock_session(&self, id: &str) -> Result<()>;
    /// Appends an entry with the next ordinal. Callers hold the write lock (BEGIN IMMEDIATE), so
    /// reading the maximum and inserting cannot interleave with another writer.
    fn append_entry(&self, e: &mut Entry) -> Result<()>;
    /// Inserts an entry as given, unless its id exists (import); true when inserted.
    fn insert_entry(&self, e: &Entry) -> Result<bool>;
    fn entries(&self, session_id: &str) -> Result<Vec<Entry>>;
    fn entry_count(&self, session_id: &str) -> Result<i64>;
    fn each_entry(&self, each: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()>;
    fn insert_contribution(&self, c: &Contribution) -> Result<bool>;
    fn contributions(&self, session_id: &str) -> Result<Vec<Contribution>>;
    fn each_contribution(&self, each: &mut dyn FnMut(Contribution) -> Result<()>) -> Result<()>;
}

/// Inbox events. Each backend implements it in its `sessions.rs`.
pub trait InboxTx {
    fn insert_event(&self, e: &InboxEvent) -> Result<bool>;
    /// An agent's events, newest first.
    fn inbox_events(
        &self,
        agent_id: &str,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<InboxEvent>>;
    fn unread_count(&self, agent_id: &str) -> Result<i64>;
    /// Agents already told about a session (so its close reaches the same agents).
    fn notified_about(&self, session_id: &str) -> Result<Vec<String>>;
    fn mark_read(&self, agent_id: &str, ids: Option<&[String]>) -> Result<usize>;
    fn each_event(&self, each: &mut dyn FnMut(InboxEvent) -> Result<()>) -> Result<()>;
}

/// The two arms of search: keywords and vectors, each filtered by eligibility. Each backend implements it in its `search.rs`.
pub trait SearchTx {
    /// The eligible experiences' seqs, listed by SQL (for a selective filter, which the vector
    /// scan then applies before computing any distance).
    fn eligible_seqs(&self, elig: &Eligibility) -> Result<HashSet<i64>>;
    /// Keeps the candidates that are eligible, in their order.
    fn keep_eligible(
        &self,
        candidates: Vec<(i64, f64)>,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>>;
    /// The document frequencies a bounded keyword ranking needs, kept by the store (not
    /// counted per query); `None` when this store keeps none, or for a query it cannot bound
    /// (a phrase of several words), which is then ranked in full.
    fn keyword_stats(&self, query: &KeywordQuery) -> Result<Option<KeywordStats>>;
    /// The `depth` best keyword matches of the whole index, as (seq, bm25), best first, with no
    /// eligibility condition: the index alone ranks them (for a broad search, which checks
    /// eligibility of the best few afterwards). bm25 is negated so larger is better. With a
    /// `plan`, only the rows holding its essential terms are ranked; without one, every
    /// match is, by the index's own bm25 (the exact path).
    fn keyword_ranked(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        depth: usize,
    ) -> Result<Vec<(i64, f64)>>;
    /// The `k` best keyword matches among eligible experiences, as (seq, bm25), best first:
    /// every match (or with a `plan`, every row holding an essential term) joined to its
    /// experience and filtered before the ranking is cut.
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>>;
    /// The stored vector of an experience, if it has one.
    fn experience_vector(&self, seq: i64) -> Result<Option<Vec<f32>>>;
    /// Loads experiences by seq, keyed by seq.
    fn experiences_by_seq(
        &self,
        seqs: &[i64],
    ) -> Result<HashMap<i64, crate::model::experience::Experience>>;
    /// The `k` experiences nearest to `query` (a unit vector) among those `elig` admits
    /// (all when `None`), as (seq, L2 distance), nearest first (ties by the smaller seq).
    /// SQLite scans its vector pages, always exactly. Postgres ranks them in the database:
    /// through its vector index where it has one ([`VectorTx::vector_method`]) unless
    /// `exact`, and by scanning every eligible vector otherwise.
    fn nearest(
        &self,
        query: &[f32],
        k: usize,
        elig: Option<&Eligibility>,
        exact: bool,
    ) -> Result<Vec<(i64, f64)>>;
    /// Calls `visit` with each piece of vec0's storage that holds a wanted vector: the piece's
    /// `dim`-float rows (at most [`SCAN_PIECE`] of them), and (row in the piece, rowid) of the
    /// wanted ones (valid slots whose rowid is in `only`, or all valid slots). This is what the
    /// vector scan reads instead of vec0's own `MATCH` (the measured reason is at the scan,
    /// `search::vector_scan::scan_vectors`).
    fn walk_vectors(
        &self,
        dim: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut VectorVisitor,
    ) -> Result<()>;
    /// Whether this store keeps the vectors' quantised codes ([`crate::vector_code`]) for
    /// the vector arm's first pass. SQLite does; Postgres ranks in the database instead.
    fn keeps_vector_codes(&self) -> bool;
    /// Calls `visit` with each block of stored codes that holds a wanted one: the block's
    /// codes (`len` bytes each, by slot) and (slot, seq) of the wanted ones (those with a
    /// code whose seq is in `only`, or all of them).
    fn walk_vector_codes(
        &self,
        len: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut CodeVisitor,
    ) -> Result<()>;
    /// [`SearchTx::walk_vector_codes`] for the codes of seqs above `after` only, reading
    /// only the blocks that may hold them (a copy in memory catching up with appends).
    fn walk_vector_codes_after(
        &self,
        len: usize,
        after: i64,
        visit: &mut CodeVisitor,
    ) -> Result<()>;
    /// The stored vectors of those `seqs` that have one: their seqs, and their rows of `dim`
    /// floats one after another (the exact rescoring of the first pass's candidates).
    fn vectors_of(&self, seqs: &[i64], dim: usize) -> Result<(Vec<i64>, Vec<f32>)>;
}

/// The vector table: what it holds and what it lacks. Each backend implements it in its `vectors.rs`.
pub trait VectorTx {
    /// Drops every vector and recreates the table for `dim`-dimensional vectors.
    fn recreate_vector_table(&self, dim: usize) -> Result<()>;
    /// The stored fix vectors (`model::duplicates`) of those of `seqs` that have one.
    fn lesson_vectors(&self, seqs: &[i64]) -> Result<HashMap<i64, Vec<f32>>>;
    /// Stores (or replaces) an experience's fix vector.
    fn set_lesson_vector(&self, seq: i64, vector: &[f32]) -> Result<()>;
    /// Forgets an experience's fix vector (its fix changed: a merge).
    fn clear_lesson_vector(&self, seq: i64) -> Result<()>;
    /// What identifies the vector table's contents: its version and its highest rowid. The
    /// version moves when a vector is replaced or removed; a vector added above the highest
    /// rowid moves only the rowid, so a copy in memory can catch up by reading the new ones
    /// ([`SearchTx::walk_vector_codes_after`]) instead of all.
    fn vector_fingerprint(&self) -> Result<(i64, i64)>;
    fn vector_count(&self) -> Result<i64>;
    /// Experiences without a vector, after `after_seq`, oldest first: (seq, id).
    fn seqs_missing_vectors(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>>;
    fn count_missing_vectors(&self) -> Result<i64>;
    fn has_vector(&self, seq: i64) -> Result<bool>;
    /// The share of searchable (published or verified) experiences that have a vector, or `None`
    /// when none lacks one. Every search asks, so it is cheap when the store is whole: SQLite
    /// reads its kept counts of experiences and vectors, Postgres counts; the exact count of
    /// the searchable ones that lack a vector runs only when there are fewer vectors than
    /// experiences.
    fn vector_coverage(&self) -> Result<Option<f64>>;
    /// Every experience after `after_seq`, oldest first, with or without a vector (what
    /// `reindex --force` re-embeds in place).
    fn seqs_after(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>>;
    /// How the default vector search runs on this store, and why (what `doctor` reports).
    fn vector_method(&self) -> Result<VectorMethod>;
    /// Builds the vector index where the store supports one and lacks it (a store whose
    /// pgvector was upgraded under it); true when built. Slow on a large store.
    fn build_vector_index(&self) -> Result<bool>;
}

/// Links between this store's experiences and a remote's. Each backend implements it in its `sync.rs`.
pub trait SyncTx {
    fn sync_row_by_remote_id(&self, remote: &str, remote_id: &str) -> Result<Option<SyncRow>>;
    /// Writes a link as given (insert or replace).
    fn put_sync_row(&self, row: &SyncRow) -> Result<()>;
    /// Inserts a link unless one exists (import); true when inserted.
    fn insert_sync_row_if_new(&self, row: &SyncRow) -> Result<bool>;
    /// Experiences made here that are public and published but not yet published on `remote`,
    /// oldest first: (id, current state if a push of it was already under way).
    fn to_push(&self, remote: &str) -> Result<Vec<(String, Option<SyncRow>)>>;
    /// Experiences on `remote` (published there or pulled from there).
    fn linked_sync_rows(&self, remote: &str) -> Result<Vec<SyncRow>>;
    /// The links of one experience (normally none or one).
    fn sync_rows_of(&self, experience_id: &str) -> Result<Vec<SyncRow>>;
    fn each_sync_row(&self, each: &mut dyn FnMut(SyncRow) -> Result<()>) -> Result<()>;
    /// This store's most recent outcome report and vote on an experience (what represents this
    /// machine on a remote, which takes one report and one vote per agent).
    fn latest_feedback(&self, experience_id: &str) -> Result<LatestFeedback>;
    fn sync_state_counts(&self, remote: &str) -> Result<std::collections::HashMap<String, i64>>;
}

/// Health checks, index rebuilds and the store's own settings. Each backend implements it in its `maintenance.rs`.
pub trait MaintenanceTx {
    /// `PRAGMA integrity_check`: `["ok"]` or the problems found.
    fn integrity_problems(&self) -> Result<Vec<String>>;
    fn index_counts(&self) -> Result<IndexCounts>;
    fn file_facts(&self) -> Result<FileFacts>;
    /// Rebuilds the keyword index from the experiences.
    fn rebuild_keywords(&self) -> Result<usize>;
    /// Rebuilds the vector table, keeping each live experience's vector and dropping orphans;
    /// a fresh table is compact where deletions left holes in the old one.
    fn rebuild_vectors(&self, dim: usize) -> Result<usize>;
    fn meta(&self, key: &str) -> Result<Option<String>>;
    fn set_meta(&self, key: &str, value: &str) -> Result<()>;
}
