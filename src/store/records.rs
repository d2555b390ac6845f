//! Plain records that cross the storage boundary: what an operation asks a store for
//! (filters) and what a store reports that is not a domain type (sync links, index counts).

use serde::{Deserialize, Serialize};

use crate::model::experience::types::Status;

/// Which experiences a search may return (reference §4.3, plus the docs' promises).
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    pub viewer: String,
    pub domain: Option<String>,
    pub tags: Vec<String>,
    pub tools: Vec<String>,
    pub min_quality: f64,
    pub include_quarantined: bool,
    /// Leave this experience out (the source of `similar`).
    pub exclude_seq: Option<i64>,
    /// Only the author's public experiences count (similar, session matching).
    pub public_only: bool,
    /// The viewer's own drafts count too (duplicate detection: a draft is a lesson written).
    pub own_drafts: bool,
}

impl Eligibility {
    /// True when only the always-present conditions apply, so nearly every row qualifies.
    pub fn is_broad(&self) -> bool {
        self.domain.is_none()
            && self.tags.is_empty()
            && self.tools.is_empty()
            && self.min_quality <= 0.0
    }
}

/// Filters of `plurum list` / `GET /experiences` (reference §3.2).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub viewer: String,
    pub status: Option<Status>,
    pub include_archived: bool,
    pub domain: Option<String>,
    pub tags: Vec<String>,
    /// Only this agent's experiences.
    pub author: Option<String>,
    /// Only experiences tagged with, or using, at least one of these (lower-case).
    pub about_any: Vec<String>,
    /// Best quality score first instead of newest first.
    pub by_quality: bool,
    pub limit: i64,
    pub offset: i64,
}

impl ListFilter {
    /// The `ORDER BY` of a listing over `experiences e`.
    pub fn order_by(&self) -> &'static str {
        if self.by_quality {
            "e.quality_score DESC, e.created_at DESC, e.seq DESC"
        } else {
            "e.created_at DESC, e.seq DESC"
        }
    }
}

/// One experience's link to one remote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRow {
    pub remote: String,
    pub experience_id: String,
    pub remote_id: Option<String>,
    pub remote_short_id: Option<String>,
    /// pending (create sent, answer not recorded), created (a remote draft), published,
    /// or pulled (it came from the remote).
    pub state: String,
    pub remote_success_count: i64,
    pub remote_failure_count: i64,
    pub remote_upvotes: i64,
    pub remote_downvotes: i64,
    pub sent_success: Option<bool>,
    pub sent_vote: Option<String>,
    pub updated_at: String,
}

impl SyncRow {
    /// What the rest of the collective said about this experience on this remote: the
    /// remote's counters minus the report and vote this store sent there.
    pub fn others_feedback(&self) -> FeedbackCounts {
        let sent = |yes: bool| i64::from(yes);
        FeedbackCounts {
            success: (self.remote_success_count - sent(self.sent_success == Some(true))).max(0),
            failure: (self.remote_failure_count - sent(self.sent_success == Some(false))).max(0),
            up: (self.remote_upvotes - sent(self.sent_vote.as_deref() == Some("up"))).max(0),
            down: (self.remote_downvotes - sent(self.sent_vote.as_deref() == Some("down"))).max(0),
        }
    }
}

/// Outcome reports (successes, failures) and votes (up, down) on one experience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedbackCounts {
    pub success: i64,
    pub failure: i64,
    pub up: i64,
    pub down: i64,
}

impl std::ops::Add for FeedbackCounts {
    type Output = FeedbackCounts;
    fn add(self, o: FeedbackCounts) -> FeedbackCounts {
        FeedbackCounts {
            success: self.success + o.success,
            failure: self.failure + o.failure,
            up: self.up + o.up,
            down: self.down + o.down,
        }
    }
}

/// This store's latest outcome report (success, body) and vote on an experience.
pub type LatestFeedback = (Option<(bool, serde_json::Value)>, Option<String>);

#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexCounts {
    pub experiences: i64,
    pub keyword_rows: i64,
    /// Keyword rows whose experience is gone.
    pub orphan_keyword_rows: i64,
    /// Experiences missing from the keyword index.
    pub missing_keyword_rows: i64,
    pub vectors: i64,
    /// Vectors whose experience is gone.
    pub orphan_vectors: i64,
    /// Experiences without a vector.
    pub missing_vectors: i64,
    /// Kept counts (of experiences, of vectors) that disagree with the rows they count;
    /// always 0 on a store that keeps none (Postgres).
    pub stale_counts: i64,
    /// Quantised codes that disagree with the vectors (missing, orphaned or out of date);
    /// always 0 on a store that keeps none (Postgres).
    pub stale_vector_codes: i64,
    /// Keyword terms whose kept document frequency disagrees with the index (or that one
    /// of the two lacks), plus one if the kept document count or total length disagrees.
    pub stale_keyword_terms: i64,
    /// Experiences whose keyword document still has an older plurum's tokens: on Postgres
    /// while the batches after migration 7 run (`store/postgres/retokenise.rs`); always 0
    /// on SQLite, whose migration indexes them at opening.
    pub keyword_documents_pending: i64,
}

/// How a store's default vector search runs (`doctor` reports it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VectorMethod {
    /// What the search does, e.g. "HNSW index (pgvector 0.8.5), iterative scans".
    pub method: String,
    /// False when every vector is compared with the query (the results are exact).
    pub approximate: bool,
    /// Why the store cannot do better, if it cannot (an old pgvector, too many dimensions).
    pub reason: Option<String>,
    /// The store supports an index that is not there: `doctor --fix` builds it.
    pub index_missing: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FileFacts {
    pub page_size: i64,
    pub pages: i64,
    /// Pages on the free list: what `VACUUM` would give back.
    pub free_pages: i64,
}

/// A keyword query, parsed (`crate::search::query`): an experience matches when any of its
/// terms does; a term is one word or a phrase of several, each lower-cased and alphanumeric.
/// Each backend writes it in its own query language (an FTS5 query in SQLite).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordQuery {
    pub terms: Vec<Vec<String>>,
}

/// What the keyword arm needs to bound its work ([`crate::bm25`]): how many documents the
/// keyword index holds, and how many of them hold each of the query's terms (in its order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordStats {
    pub rows: i64,
    pub docs: Vec<i64>,
}

/// A bounded keyword ranking: the rows holding any of the `essential` terms (indexes into
/// the query's terms) are ranked by every term's bm25, with the document frequencies in
/// `docs`; a row holding none of them is not looked at.
#[derive(Debug, Clone, Copy)]
pub struct KeywordPlan<'a> {
    pub docs: &'a [i64],
    pub essential: &'a [usize],
}
