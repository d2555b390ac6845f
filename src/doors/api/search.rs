//! Search results, with each hit's scores and, for `--explain`, each arm's view.

use super::*;

/// The scores a search adds to an experience (reference §2.6), and with `--explain` how each
/// arm saw it.
#[derive(Serialize)]
pub(super) struct HitScores {
    pub(super) trust_score: f64,
    pub(super) similarity: f64,
    pub(super) keyword_rank: f64,
    pub(super) combined_score: f64,
    pub(super) rerank_score: f64,
    pub(super) confident: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) explain: Option<HitExplain>,
}

impl HitScores {
    pub(super) fn of(hit: &Hit, semantic: bool, explain: bool) -> Self {
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
pub(super) struct HitExplain {
    pub(super) vector: Option<VectorArm>,
    pub(super) keyword: Option<KeywordArm>,
    pub(super) quality_factor: f64,
}

#[derive(Serialize)]
pub(super) struct VectorArm {
    pub(super) rank: usize,
    pub(super) similarity: f64,
    pub(super) z: f64,
}

impl VectorArm {
    pub(super) fn of(a: ArmScore) -> Self {
        VectorArm {
            rank: a.rank,
            similarity: a.score,
            z: a.standardised,
        }
    }
}

#[derive(Serialize)]
pub(super) struct KeywordArm {
    pub(super) rank: usize,
    bm25: f64,
    pub(super) z: f64,
}

impl KeywordArm {
    pub(super) fn of(a: ArmScore) -> Self {
        KeywordArm {
            rank: a.rank,
            bm25: a.score,
            z: a.standardised,
        }
    }
}

/// The search projection of one hit: the list fields plus the scores.
#[derive(Serialize)]
pub(super) struct SearchHit<'a> {
    #[serde(flatten)]
    pub(super) item: ExperienceListItem<'a>,
    #[serde(flatten)]
    pub(super) scores: HitScores,
}

#[derive(Serialize)]
pub(super) struct TimingsMs {
    pub(super) embed: f64,
    pub(super) vector: f64,
    pub(super) keyword: f64,
    pub(super) fuse: f64,
}

impl TimingsMs {
    pub(super) fn of(t: &Timings) -> Self {
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
