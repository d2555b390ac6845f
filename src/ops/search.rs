//! Search as an operation: embeds the query, runs the two arms side by side (each in a read
//! transaction of its own, so they may see a write that lands between them: a search is
//! not one snapshot), then fuses them and reads the hits' rows in a third (the machinery
//! is in `crate::search`).

use std::time::Instant;

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::Experience;
use crate::model::search::*;
use crate::ops::Plurum;
use crate::ops::embedding::VectorStatus;
use crate::search::query::keyword_query;
use crate::search::vector_scan::similarity_from_l2;
use crate::search::{fusion, keyword, vector_scan};
use crate::store::Eligibility;

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
            own_drafts: false,
        };

        let fts = if q.mode == SearchMode::Vector {
            None
        } else {
            keyword_query(&q.query)
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
                        .read(|tx| keyword::keyword(tx, f, candidates, &elig, q.exact));
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

        let partial = vector_coverage.is_some_and(|c| c > 0.0 && c < 1.0);
        let hits = self.store.read(|tx| {
            let t = Instant::now();
            let fused = fusion::fuse(&vector, &keyword);
            let seqs: Vec<i64> = fused.iter().map(|f| f.key).collect();
            let mut rows = tx.experiences_by_seq(&seqs)?;
            let mut hits: Vec<Hit> = fused
                .into_iter()
                .filter_map(|f| {
                    Some(Hit::new(
                        rows.remove(&f.key)?,
                        f.vector,
                        f.keyword,
                        f.combined,
                    ))
                })
                .collect();
            order_for_coverage(&mut hits, semantic, partial);
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
                // `vector_status` compared the dimension when it was known; an endpoint's is
                // known only once it has answered.
                let dim_checked = embedder.known_dim().is_some();
                let v = match precomputed {
                    Some(v) => v,
                    None => {
                        let made = embedder.embed_query(&query_embedding_text(q));
                        // An endpoint that cannot answer now: keyword-only, with the reason.
                        match self.embedding.soften(made)? {
                            Ok(v) => v,
                            Err(reason) => {
                                side.semantic_reason = Some(reason);
                                return Ok(side);
                            }
                        }
                    }
                };
                side.embed_ms = ms(t);
                if !dim_checked && let VectorStatus::Mismatch(why) = self.vector_status()? {
                    side.semantic_reason =
                        Some(format!("{why}; run `{}`", self.command("reindex")));
                    return Ok(side);
                }
                v
            }
            VectorStatus::NoModel(reason) => {
                side.semantic_reason = Some(reason);
                return Ok(side);
            }
            VectorStatus::Mismatch(why) => {
                side.semantic_reason = Some(format!("{why}; run `{}`", self.command("reindex")));
                return Ok(side);
            }
        };
        let t = Instant::now();
        (side.hits, side.coverage) = self.store.read(|tx| {
            let hits = vector_scan::nearest(
                tx,
                self.vector_cache.as_ref(),
                &query_vector,
                candidates,
                elig,
                q.exact,
            )?
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
            side.semantic_reason = Some(format!(
                "no experience in the store has a vector yet; run `{}`",
                self.command("reindex")
            ));
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
        crate::model::limits::SIMILAR_RESULTS.check("limit", limit)?;
        self.store.read(|tx| {
            let source = crate::ops::experiences::resolve(tx, viewer, id)?;
            let Some(vector) = tx.experience_vector(source.seq)? else {
                return Ok((source, Vec::new()));
            };
            let elig = Eligibility {
                viewer: viewer.id.clone(),
                exclude_seq: Some(source.seq),
                public_only: true,
                ..Eligibility::default()
            };
            let near =
                vector_scan::nearest(tx, self.vector_cache.as_ref(), &vector, limit, &elig, false)?;
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

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
