//! What a search is asked and what it answers: the query, the hits with each arm's view of
//! them, and the rules that order hits and call one confident. The machinery that finds them
//! (query parsing, the two arms, fusion) is `crate::search`.

use crate::error::{Error, Result};
use crate::model::experience::Experience;

/// Candidates each arm contributes, as a multiple of the limit.
pub const CANDIDATES_PER_LIMIT: usize = 3;
/// A hit is `confident` (close enough to act on) when its meaning is this close to the
/// query (cosine) on its own...
pub const CONFIDENT_SIMILARITY: f64 = 0.55;
/// ...or at least this close, with the keyword arm agreeing...
pub const CONFIDENT_SIMILARITY_WITH_WORDS: f64 = 0.40;
/// ...by placing the hit this many standard deviations above its average candidate.
pub const CONFIDENT_KEYWORD_Z: f64 = 3.0;
// Calibrated on tests/fixtures/agent-questions.json (README, "Search quality"). A cosine
// threshold alone cannot tell a paraphrase from a different problem of the same tool with
// all-MiniLM-L6-v2: "Spark executor OutOfMemoryError in a shuffle join" scores 0.53 against
// an experience about tiny Parquet files in Spark, while right answers start near 0.31. The
// keyword arm's agreement separates them: right answers stand out there, same-domain
// strangers share a word or two with many experiences.

/// Which arms a search uses. Hybrid is the product; the others exist to measure it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMode {
    #[default]
    Hybrid,
    Keyword,
    Vector,
}

#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub query: String,
    pub tags: Vec<String>,
    pub domain: Option<String>,
    pub tools: Vec<String>,
    pub min_quality: f64,
    pub limit: usize,
    pub include_quarantined: bool,
    pub mode: SearchMode,
    /// Rank by the exact scan of every float32 vector and FTS5's bm25 over every keyword
    /// match, instead of the fast paths (sign-bit codes first, `crate::search::vector_scan`;
    /// rarest terms first, `crate::search::keyword`): slower, for checking them.
    pub exact: bool,
}

/// How long a query may be, in characters (one Han, Kana or Hangul character is enough).
pub const QUERY_CHARS: (usize, usize) = (2, 1000);
/// True for a query of one Han, Kana or Hangul character: a word (锁, lock), where one Latin
/// letter is not; searched although shorter than [`QUERY_CHARS`] allows.
pub fn is_one_word(query: &str) -> bool {
    let mut chars = query.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::model::keyword_tokens::is_cjk(c))
}

/// Whether `query` (trimmed) is long enough to search.
pub fn long_enough(query: &str) -> bool {
    query.chars().count() >= QUERY_CHARS.0 || is_one_word(query)
}

/// How many results a search returns when the request does not say.
pub const DEFAULT_RESULTS: usize = 10;

impl SearchQuery {
    pub fn new(query: impl Into<String>) -> SearchQuery {
        SearchQuery {
            query: query.into(),
            tags: Vec::new(),
            domain: None,
            tools: Vec::new(),
            min_quality: 0.0,
            limit: DEFAULT_RESULTS,
            include_quarantined: false,
            mode: SearchMode::Hybrid,
            exact: false,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let query = self.query.trim();
        if !is_one_word(query) {
            crate::model::fields::check_chars(query, QUERY_CHARS, "query")?;
        }
        crate::model::limits::SEARCH_RESULTS.check("limit", self.limit)?;
        crate::model::text::check(
            &serde_json::json!({
                "query": self.query, "tags": self.tags, "domain": self.domain, "tools": self.tools,
            }),
            "",
        )?;
        if !(0.0..=1.0).contains(&self.min_quality) {
            return Err(Error::invalid(
                "min_quality",
                format!("must be between 0 and 1, got {}", self.min_quality),
            ));
        }
        Ok(())
    }
}

/// One result with how each arm saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub experience: Experience,
    /// Rank, cosine similarity and its z-score among the vector arm's candidates.
    pub vector: Option<ArmScore>,
    /// Rank, bm25 score and its z-score among the keyword arm's candidates.
    pub keyword: Option<ArmScore>,
    /// The fused relevance, in [0, 1] (`fusion::combined`).
    pub combined_score: f64,
    /// The quality factor relevance is multiplied by (1.0 = unrated).
    pub quality_factor: f64,
    /// What results are ordered by: combined_score × quality_factor.
    pub rerank_score: f64,
}

impl Hit {
    /// A fused candidate as a hit: its relevance × the experience's quality factor.
    pub fn new(
        experience: Experience,
        vector: Option<ArmScore>,
        keyword: Option<ArmScore>,
        combined_score: f64,
    ) -> Hit {
        let quality_factor = experience.metrics.rank_factor();
        Hit {
            experience,
            vector,
            keyword,
            combined_score,
            quality_factor,
            rerank_score: combined_score * quality_factor,
        }
    }

    pub fn similarity(&self) -> f64 {
        self.vector.map_or(0.0, |a| a.score)
    }

    /// Close enough to act on (see `CONFIDENT_SIMILARITY`); in keyword-only mode, any
    /// keyword match.
    pub fn confident(&self, semantic: bool) -> bool {
        if !semantic {
            return self.keyword.is_some();
        }
        let similarity = self.similarity();
        let words_agree = self
            .keyword
            .is_some_and(|k| k.standardised >= CONFIDENT_KEYWORD_Z);
        similarity >= CONFIDENT_SIMILARITY
            || (similarity >= CONFIDENT_SIMILARITY_WITH_WORDS && words_agree)
    }
}

/// The order of every result list, local or merged with a remote's: relevance × quality,
/// then relevance alone, then the older experience (a local one before a remote hit, which
/// has no seq here), then the id, so equal scores always come out the same way.
pub fn order(hits: &mut [Hit]) {
    let seq = |h: &Hit| {
        if h.experience.seq > 0 {
            h.experience.seq
        } else {
            i64::MAX
        }
    };
    hits.sort_by(|a, b| {
        b.rerank_score
            .total_cmp(&a.rerank_score)
            .then(b.combined_score.total_cmp(&a.combined_score))
            .then(seq(a).cmp(&seq(b)))
            .then(a.experience.id.cmp(&b.experience.id))
    });
}

/// [`order`], for a store of which only part has vectors (`partial`): then a `confident` hit
/// ranks above every hit that is not. With few vectors the vector arm has few candidates and
/// its z-scores say little (a lone candidate stands at 0, an average one), so a clear
/// semantic match could rank below weak keyword matches: one at cosine 0.56 came 14th. With
/// every experience embedded the order is [`order`]'s, unchanged.
pub fn order_for_coverage(hits: &mut [Hit], semantic: bool, partial: bool) {
    order(hits);
    if partial && semantic {
        // A stable sort: each group keeps `order`'s order.
        hits.sort_by_key(|h| !h.confident(semantic));
    }
}

/// Time spent in each part of a search, in milliseconds (for `--explain` and benches).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub embed_ms: f64,
    pub vector_ms: f64,
    pub keyword_ms: f64,
    pub fuse_ms: f64,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<Hit>,
    /// Whether the vector arm ran.
    pub semantic: bool,
    /// Why it did not, and how to fix that.
    pub semantic_reason: Option<String>,
    /// The share of the store's searchable experiences that have a vector, when some lack
    /// one (`plurum reindex` fills them in); `None` when all have one or search is keyword-only.
    pub vector_coverage: Option<f64>,
    /// Why `--remote` brought no remote hits (the local results stand).
    pub remote_error: Option<String>,
    pub timings: Timings,
}

/// The text a query is embedded from: the query, plus domain and tools when given, as the
/// hosted service builds its topic embedding (reference §4.1).
pub fn query_embedding_text(q: &SearchQuery) -> String {
    let mut text = q.query.trim().to_string();
    if let Some(d) = &q.domain {
        text.push_str(&format!("\nDomain: {d}"));
    }
    if !q.tools.is_empty() {
        text.push_str(&format!("\nTools: {}", q.tools.join(", ")));
    }
    text
}

/// One arm's view of a fused candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmScore {
    /// 1-based rank within the arm.
    pub rank: usize,
    /// The arm's raw score (cosine similarity, or bm25 with larger better).
    pub score: f64,
    /// The score standardised over the arm's candidates (a z-score).
    pub standardised: f64,
}
