//! Hybrid search: a vector arm (sqlite-vec, exact) and a keyword arm (FTS5 bm25), each taking
//! CANDIDATES_PER_LIMIT × limit candidates among the eligible experiences, fused by their
//! standardised scores (`fusion`), then ranked by relevance × a quality factor in which unrated
//! experiences are neutral (the docs' promise; `quality::rank_factor`).
//!
//! The parts, each pure or reaching the store only through `crate::store`: [`query`] turns
//! what was typed into the keyword arm's FTS5 query, [`keyword`] and [`vector_scan`] are the
//! two arms, and [`fusion`] merges them.

mod eligible;
pub mod fusion;
pub mod keyword;
pub mod query;
pub mod vector_scan;

use std::time::Instant;

use crate::agent::Agent;
use crate::app::Plurum;
use crate::error::{Error, Result};
use crate::experience::Experience;
use crate::index::VectorStatus;
use crate::store::Eligibility;
use fusion::{ArmScore, Fused};
use query::fts_query;
use vector_scan::similarity_from_l2;

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
}

impl SearchQuery {
    pub fn new(query: impl Into<String>) -> SearchQuery {
        SearchQuery {
            query: query.into(),
            tags: Vec::new(),
            domain: None,
            tools: Vec::new(),
            min_quality: 0.0,
            limit: 10,
            include_quarantined: false,
            mode: SearchMode::Hybrid,
        }
    }

    fn validate(&self) -> Result<()> {
        let n = self.query.trim().chars().count();
        if !(2..=1000).contains(&n) {
            return Err(Error::invalid(
                "query",
                format!("must be between 2 and 1000 characters, got {n}"),
            ));
        }
        crate::limits::SEARCH_RESULTS.check("limit", self.limit)?;
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
    pub fn new<K>(experience: Experience, fused: Fused<K>) -> Hit {
        let Fused {
            vector,
            keyword,
            combined: combined_score,
            ..
        } = fused;
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

/// What the vector arm found, and how long its parts took.
#[derive(Default)]
struct VectorSide {
    /// (seq, cosine similarity), nearest first.
    hits: Vec<(i64, f64)>,
    /// Why there are no vector hits (no usable model), if so.
    semantic_reason: Option<String>,
    /// The share of searchable experiences with a vector, when some lack one.
    coverage: Option<f64>,
    embed_ms: f64,
    vector_ms: f64,
}

impl Plurum {
    /// Hybrid search as `viewer` (who also sees their own non-public experiences).
    pub fn search(&self, viewer: &Agent, q: &SearchQuery) -> Result<SearchResults> {
        self.search_with_vector(viewer, q, None)
    }

    /// Search with a query vector the caller already computed (a session's topic vector).
    pub(crate) fn search_with_vector(
        &self,
        viewer: &Agent,
        q: &SearchQuery,
        precomputed: Option<Vec<f32>>,
    ) -> Result<SearchResults> {
        q.validate()?;
        let mut timings = Timings::default();
        let candidates = q.limit * CANDIDATES_PER_LIMIT;
        let elig = Eligibility {
            viewer: viewer.id.clone(),
            domain: q.domain.clone(),
            tags: q.tags.clone(),
            tools: q.tools.clone(),
            min_quality: q.min_quality,
            include_quarantined: q.include_quarantined,
            exclude_seq: None,
            public_only: false,
        };

        let fts = if q.mode == SearchMode::Vector {
            None
        } else {
            fts_query(&q.query)
        };
        // The two arms run side by side, each in its own read transaction: the keyword arm
        // on a second thread while this one loads the model (in a fresh process), embeds the
        // query and scans the vectors. They share nothing but the store file.
        let (vector_side, keyword) = std::thread::scope(|scope| {
            let keyword_arm = fts.as_ref().map(|f| {
                scope.spawn(|| {
                    let t = Instant::now();
                    let hits = self
                        .store
                        .read(|tx| keyword::keyword(tx, f, candidates, &elig));
                    (hits, ms(t))
                })
            });
            let vector_side = self.vector_arm(q, precomputed, candidates, &elig);
            let keyword = match keyword_arm {
                Some(handle) => {
                    let (hits, took) = handle.join().expect("the keyword arm does not panic");
                    (hits?, took)
                }
                None => (Vec::new(), 0.0),
            };
            Ok::<_, Error>((vector_side?, keyword))
        })?;
        let VectorSide {
            hits: vector,
            semantic_reason,
            coverage: vector_coverage,
            embed_ms,
            vector_ms,
        } = vector_side;
        let (keyword, keyword_ms) = keyword;
        timings.embed_ms = embed_ms;
        timings.vector_ms = vector_ms;
        timings.keyword_ms = keyword_ms;
        let semantic = semantic_reason.is_none();

        let hits = self.store.read(|tx| {
            let t = Instant::now();
            let fused = fusion::fuse(&vector, &keyword);
            let seqs: Vec<i64> = fused.iter().map(|f| f.key).collect();
            let mut rows = tx.experiences_by_seq(&seqs)?;
            let mut hits: Vec<Hit> = fused
                .into_iter()
                .filter_map(|f| Some(Hit::new(rows.remove(&f.key)?, f)))
                .collect();
            order(&mut hits);
            hits.truncate(q.limit);
            timings.fuse_ms = ms(t);
            Ok(hits)
        })?;
        Ok(SearchResults {
            query: q.query.clone(),
            hits,
            semantic,
            semantic_reason,
            vector_coverage,
            remote_error: None,
            timings,
        })
    }

    /// The vector arm: the model (loaded on first use), the query's vector, and the
    /// `candidates` nearest eligible experiences; or, when there is no usable model, why.
    fn vector_arm(
        &self,
        q: &SearchQuery,
        precomputed: Option<Vec<f32>>,
        candidates: usize,
        elig: &Eligibility,
    ) -> Result<VectorSide> {
        let mut side = VectorSide::default();
        let status = match q.mode {
            SearchMode::Keyword => {
                VectorStatus::NoModel("keyword-only search was asked for".into())
            }
            _ => self.vector_status()?,
        };
        let query_vector = match status {
            VectorStatus::Ready(embedder) => {
                let t = Instant::now();
                let v = match precomputed {
                    Some(v) => v,
                    None => embedder.embed_one(&query_embedding_text(q))?,
                };
                side.embed_ms = ms(t);
                v
            }
            VectorStatus::NoModel(reason) => {
                side.semantic_reason = Some(reason);
                return Ok(side);
            }
            VectorStatus::Mismatch {
                store_model,
                loaded_model,
            } => {
                side.semantic_reason = Some(format!(
                    "the store's vectors come from {store_model} but the model here is {loaded_model}; run `plurum reindex`"
                ));
                return Ok(side);
            }
        };
        let t = Instant::now();
        (side.hits, side.coverage) = self.store.read(|tx| {
            let hits =
                vector_scan::nearest(tx, &self.vector_cache, &query_vector, candidates, elig)?
                    .into_iter()
                    .map(|(seq, d)| (seq, similarity_from_l2(d)))
                    .collect();
            Ok((hits, tx.vector_coverage()?))
        })?;
        side.vector_ms = ms(t);
        if side.coverage == Some(0.0) {
            // No vector at all (an interrupted model change, an import made without a
            // model): this search is keyword-only, whatever the model says.
            side.hits.clear();
            side.semantic_reason =
                Some("no experience in the store has a vector yet; run `plurum reindex`".into());
        }
        Ok(side)
    }

    /// Experiences nearest in meaning to one experience (reference §4.4): public, published,
    /// not quarantined, not itself, cosine ≥ 0.5; uses stored vectors only (no model needed).
    pub fn similar(
        &self,
        viewer: &Agent,
        id: &str,
        limit: usize,
    ) -> Result<(Experience, Vec<(Experience, f64)>)> {
        crate::limits::SIMILAR_RESULTS.check("limit", limit)?;
        self.store.read(|tx| {
            let source = crate::experience::resolve(tx, viewer, id)?;
            let Some(vector) = tx.experience_vector(source.seq)? else {
                return Ok((source, Vec::new()));
            };
            let elig = Eligibility {
                viewer: viewer.id.clone(),
                exclude_seq: Some(source.seq),
                public_only: true,
                ..Eligibility::default()
            };
            let near = vector_scan::nearest(tx, &self.vector_cache, &vector, limit, &elig)?;
            let mut out = Vec::new();
            for (seq, d) in near {
                let sim = similarity_from_l2(d);
                if sim < 0.5 {
                    break;
                }
                if let Some(e) = tx.experience_by_seq(seq)? {
                    out.push((e, sim));
                }
            }
            Ok((source, out))
        })
    }
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

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
