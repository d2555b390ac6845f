//! Near-duplicates as operations: the check every way in runs before it writes a new
//! experience, the clusters `plurum duplicates` lists, and the count an import reports.
//! The rule itself (what makes two experiences one lesson) is `model::duplicates`.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::duplicates::{self, DuplicateHit, Fingerprint};
use crate::model::experience::views::lesson_text;
use crate::model::experience::{Experience, ExperienceContent};
use crate::ops::Plurum;
use crate::ops::embedding::VectorStatus;
use crate::search::keyword;
use crate::search::query::keyword_query;
use crate::search::vector_scan::{self, similarity_from_l2};
use crate::store::{Eligibility, Tx};

/// How many nearest experiences the check compares with the new one: a duplicate is among
/// the nearest few in meaning (or, without vectors, in words).
pub const CANDIDATES: usize = 10;
/// At most this many likely duplicates are listed in an answer.
pub const LISTED: usize = 5;

/// What the check compares with: what the publisher can see (public experiences, and their
/// own of any visibility, drafts included), quarantined ones too (a failing copy is still a
/// copy).
fn visible_to(viewer: &str, exclude_seq: Option<i64>) -> Eligibility {
    Eligibility {
        viewer: viewer.to_string(),
        include_quarantined: true,
        own_drafts: true,
        exclude_seq,
        ..Eligibility::default()
    }
}

/// A new experience as the check sees it: its content and, when the store's model made
/// them, the vectors of its whole text and of its fix.
pub struct Probe<'a> {
    pub content: &'a ExperienceContent,
    pub vector: Option<&'a [f32]>,
    /// The fix's vector, when known. The check makes it when a neighbour is close enough
    /// for the fixes to matter (most publishes have none, and skip the model), and leaves
    /// it here for the caller to keep.
    pub lesson_vector: Option<Vec<f32>>,
}

impl Plurum {
    /// Likely duplicates of `probe` among the experiences `viewer` can see, most similar
    /// first, at most [`LISTED`]. Runs on the caller's transaction, so that a check made
    /// inside a write sees what the write sees. Without vectors (or in a store without
    /// them) the check finds its candidates by keywords and compares words only.
    ///
    /// A close candidate stored before fix vectors existed gets one now, from the model at
    /// hand; with `fill` (a write transaction) it is kept, so each is embedded once.
    pub fn likely_duplicates(
        &self,
        tx: &dyn Tx,
        viewer: &str,
        probe: &mut Probe,
        exclude_seq: Option<i64>,
        fill: bool,
    ) -> Result<Vec<DuplicateHit>> {
        self.duplicates_above(tx, viewer, probe, exclude_seq, fill, duplicates::LIKELY_FIX)
    }

    /// [`Plurum::likely_duplicates`] with another threshold on the normalised score
    /// (`plurum duplicates --min-similarity`).
    fn duplicates_above(
        &self,
        tx: &dyn Tx,
        viewer: &str,
        probe: &mut Probe,
        exclude_seq: Option<i64>,
        fill: bool,
        min_similarity: f64,
    ) -> Result<Vec<DuplicateHit>> {
        let elig = visible_to(viewer, exclude_seq);
        let mut near: Vec<(i64, Option<f64>)> = Vec::new();
        if let Some(v) = probe.vector {
            near = vector_scan::nearest_with(
                tx,
                self.vector_cache.as_ref(),
                v,
                CANDIDATES,
                &elig,
                false,
                vector_scan::Effort::Close,
            )?
            .into_iter()
            .map(|(seq, d)| (seq, Some(similarity_from_l2(d))))
            .collect();
        }
        if near.is_empty()
            && let Some(q) = keyword_query(&probe.content.goal)
        {
            near = keyword::keyword(tx, &q, CANDIDATES, &elig, false)?
                .into_iter()
                .map(|(seq, _)| (seq, None))
                .collect();
        }
        if near.is_empty() {
            return Ok(Vec::new());
        }
        let seqs: Vec<i64> = near.iter().map(|(s, _)| *s).collect();
        let mut rows = tx.experiences_by_seq(&seqs)?;
        let close = near
            .iter()
            .any(|(_, c)| c.is_some_and(|c| c >= duplicates::WHOLE_GATE));
        if close
            && probe.lesson_vector.is_none()
            && probe.vector.is_some()
            && let Some(text) = lesson_text(probe.content)
            && let VectorStatus::Ready(embedder) = self.vector_status()?
        {
            probe.lesson_vector = self.embedding.soften(embedder.embed_document(&text))?.ok();
        }
        let lessons = match probe.lesson_vector {
            Some(_) => self.lesson_vectors_of(tx, &near, &rows, fill)?,
            None => HashMap::new(),
        };
        let new = duplicates::fingerprint(probe.content);
        let mut hits: Vec<DuplicateHit> = near
            .into_iter()
            .filter_map(|(seq, cosine)| {
                let e = rows.remove(&seq)?;
                let fix_cosine = probe
                    .lesson_vector
                    .as_deref()
                    .zip(lessons.get(&seq))
                    .map(|(a, b)| duplicates::cosine(a, b));
                judge(&new, &e, cosine, fix_cosine, min_similarity)
            })
            .collect();
        sort_hits(&mut hits);
        hits.truncate(LISTED);
        Ok(hits)
    }

    /// The fix vectors of the candidates close enough for their fix to matter: stored ones,
    /// and for those without, made now from the model at hand (kept when `fill`).
    fn lesson_vectors_of(
        &self,
        tx: &dyn Tx,
        near: &[(i64, Option<f64>)],
        rows: &HashMap<i64, Experience>,
        fill: bool,
    ) -> Result<HashMap<i64, Vec<f32>>> {
        let close: Vec<i64> = near
            .iter()
            .filter(|(_, c)| c.is_some_and(|c| c >= duplicates::WHOLE_GATE))
            .map(|(seq, _)| *seq)
            .collect();
        let mut out = tx.lesson_vectors(&close)?;
        let missing: Vec<(i64, String)> = close
            .iter()
            .filter(|seq| !out.contains_key(seq))
            .filter_map(|seq| Some((*seq, lesson_text(&rows.get(seq)?.content)?)))
            .collect();
        if missing.is_empty() {
            return Ok(out);
        }
        let VectorStatus::Ready(embedder) = self.vector_status()? else {
            return Ok(out);
        };
        let texts: Vec<&str> = missing.iter().map(|(_, t)| t.as_str()).collect();
        let Ok(made) = self
            .embedding
            .soften(embedder.embed_documents(&texts, &mut |_| {}))?
        else {
            return Ok(out);
        };
        for ((seq, _), v) in missing.into_iter().zip(made) {
            if fill {
                tx.set_lesson_vector(seq, &v)?;
            }
            out.insert(seq, v);
        }
        Ok(out)
    }
}

/// `e` as a hit when the rule's (normalised) score for it and `new` reaches `min_similarity`.
fn judge(
    new: &Fingerprint,
    e: &Experience,
    cosine: Option<f64>,
    fix_cosine: Option<f64>,
    min_similarity: f64,
) -> Option<DuplicateHit> {
    let evidence = duplicates::evidence(
        new,
        &duplicates::fingerprint(&e.content),
        cosine,
        fix_cosine,
    );
    (evidence.normalised() >= min_similarity).then(|| DuplicateHit {
        seq: e.seq,
        id: e.id.clone(),
        short_id: e.short_id.clone(),
        goal: e.content.goal.clone(),
        similarity: round3(evidence.normalised()),
    })
}

/// Most similar first; ties by id, so answers are stable.
fn sort_hits(hits: &mut [DuplicateHit]) {
    hits.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.id.cmp(&b.id))
    });
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Groups of experiences that likely hold one lesson (`plurum duplicates`).
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    pub clusters: Vec<Cluster>,
    /// Experiences compared.
    pub checked: usize,
    pub min_similarity: f64,
}

/// Experiences linked by likely-duplicate pairs, the one to keep first.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Best kept first (most evidence: reports and votes, then quality, then the oldest).
    pub members: Vec<Experience>,
    /// The pairs found, as (index in `members`, index, similarity).
    pub pairs: Vec<(usize, usize, f64)>,
    /// The highest similarity of a pair.
    pub similarity: f64,
}

/// Experiences checked per transaction by `plurum duplicates`.
const CLUSTER_BATCH: usize = 256;

impl Plurum {
    /// Every group of likely duplicates among the experiences `viewer` can see (public and
    /// published, and their own of any status but archived). Each experience is compared
    /// with its nearest neighbours as a publish compares a new one; fix vectors missing from
    /// older experiences are made on the way (and kept, unless the store is read-only), so a
    /// first run on a large store embeds, and later ones only compare. `progress` gets
    /// (done, total).
    pub fn duplicate_clusters(
        &self,
        viewer: &crate::model::agent::Agent,
        min_similarity: f64,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Clusters> {
        if !(duplicates::MIN_SIMILARITY_FLOOR..=1.0).contains(&min_similarity) {
            return Err(crate::error::Error::invalid(
                "min_similarity",
                format!(
                    "must be between {} and 1, got {min_similarity}",
                    duplicates::MIN_SIMILARITY_FLOOR
                ),
            ));
        }
        let seqs: Vec<i64> = self.store.read(|tx| {
            let mut seqs = Vec::new();
            tx.each_experience(&mut |e| {
                if visible(&e, &viewer.id) {
                    seqs.push(e.seq);
                }
                Ok(())
            })?;
            Ok(seqs)
        })?;
        let fill = !self.store.read_only();
        let mut pairs: Vec<(i64, i64, f64)> = Vec::new();
        let total = seqs.len();
        for (b, batch) in seqs.chunks(CLUSTER_BATCH).enumerate() {
            let viewer_of = |_: &Experience| viewer.id.clone();
            for (seq, hits) in self.check_batch(batch, &viewer_of, fill, min_similarity)? {
                for (other, similarity) in hits {
                    pairs.push((seq.min(other), seq.max(other), similarity));
                }
            }
            progress((b * CLUSTER_BATCH + batch.len()).min(total), total);
        }
        // One pair per two experiences (each was found from both sides, maybe with
        // slightly different scores: the higher stands).
        pairs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
        pairs.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let involved: Vec<i64> = {
            let mut v: Vec<i64> = pairs.iter().flat_map(|p| [p.0, p.1]).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let records = self.store.read(|tx| tx.experiences_by_seq(&involved))?;
        let clusters = group(&pairs, &records);
        Ok(Clusters {
            clusters,
            checked: total,
            min_similarity,
        })
    }

    /// How many of the experiences `seqs` (just imported, copied or pulled) have a likely
    /// duplicate among what their author can see, counted from stored vectors only (no model
    /// runs: an import of a million records must not embed them all again), the first
    /// [`IMPORT_CHECK_CAP`] of them at most. `None` when `seqs` is empty.
    pub fn count_likely_duplicates(&self, seqs: &[i64]) -> Result<Option<DuplicateCount>> {
        if seqs.is_empty() {
            return Ok(None);
        }
        let looked = &seqs[..seqs.len().min(IMPORT_CHECK_CAP)];
        let fill = !self.store.read_only();
        let mut likely = 0;
        for batch in looked.chunks(CLUSTER_BATCH) {
            let author = |e: &Experience| e.agent_id.clone();
            likely += self
                .check_batch(batch, &author, fill, duplicates::LIKELY_FIX)?
                .iter()
                .filter(|(_, hits)| !hits.is_empty())
                .count();
        }
        Ok(Some(DuplicateCount {
            likely,
            checked: looked.len(),
            hint: format!(
                "`{}` lists them and `{}` folds each group into one",
                self.command("duplicates"),
                self.command("merge KEEP OTHER...")
            ),
        }))
    }
}

impl Plurum {
    /// Checks each stored experience of `batch` against what `viewer_of` it can see, as a
    /// publish checks a new one: (seq, [(seq of a likely duplicate, similarity)]). Fix
    /// vectors the checks make (only where a neighbour is close) are kept with `fill`, in
    /// the batch's one write transaction.
    fn check_batch(
        &self,
        batch: &[i64],
        viewer_of: &dyn Fn(&Experience) -> String,
        fill: bool,
        min_similarity: f64,
    ) -> Result<Vec<Checked>> {
        let work = |tx: &dyn Tx| -> Result<Vec<Checked>> {
            let rows = tx.experiences_by_seq(batch)?;
            let lessons = tx.lesson_vectors(batch)?;
            let mut out = Vec::with_capacity(batch.len());
            for seq in batch {
                let Some(e) = rows.get(seq) else { continue };
                let vector = tx.experience_vector(*seq)?;
                let mut probe = Probe {
                    content: &e.content,
                    vector: vector.as_deref(),
                    lesson_vector: lessons.get(seq).cloned(),
                };
                let hits = self.duplicates_above(
                    tx,
                    &viewer_of(e),
                    &mut probe,
                    Some(*seq),
                    fill,
                    min_similarity,
                )?;
                if fill
                    && !lessons.contains_key(seq)
                    && let Some(made) = &probe.lesson_vector
                {
                    tx.set_lesson_vector(*seq, made)?;
                }
                out.push((*seq, hits.iter().map(|h| (h.seq, h.similarity)).collect()));
            }
            Ok(out)
        };
        if fill {
            self.store.write(work)
        } else {
            self.store.read(work)
        }
    }
}

/// An experience checked by [`Plurum::check_batch`]: its seq, and (seq, similarity) of
/// each likely duplicate found.
type Checked = (i64, Vec<(i64, f64)>);

/// The most new experiences an import, copy or pull checks for duplicates.
pub const IMPORT_CHECK_CAP: usize = 2_000;

/// What an import, copy or pull says of its new experiences' likely duplicates.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DuplicateCount {
    /// New experiences with a likely duplicate (each counted once).
    pub likely: usize,
    /// New experiences checked (the first [`IMPORT_CHECK_CAP`] at most).
    pub checked: usize,
    pub hint: String,
}

/// What `plurum duplicates` looks at: what search shows the viewer, and their own drafts.
fn visible(e: &Experience, viewer: &str) -> bool {
    use crate::model::experience::Status;
    match e.status {
        Status::Archived => false,
        Status::Draft => e.agent_id == viewer,
        _ => e.readable_by(viewer),
    }
}

/// Joins pairs into clusters (connected groups), each ordered best-kept first, the clusters
/// by their highest similarity.
fn group(pairs: &[(i64, i64, f64)], records: &HashMap<i64, Experience>) -> Vec<Cluster> {
    let mut parent: HashMap<i64, i64> = HashMap::new();
    fn root(parent: &mut HashMap<i64, i64>, x: i64) -> i64 {
        let p = *parent.entry(x).or_insert(x);
        if p == x {
            return x;
        }
        let r = root(parent, p);
        parent.insert(x, r);
        r
    }
    for (a, b, _) in pairs {
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: HashMap<i64, Vec<i64>> = HashMap::new();
    let keys: Vec<i64> = parent.keys().copied().collect();
    for x in keys {
        let r = root(&mut parent, x);
        groups.entry(r).or_default().push(x);
    }
    let mut clusters: Vec<Cluster> = groups
        .into_values()
        .map(|seqs| {
            let mut members: Vec<Experience> = seqs
                .iter()
                .filter_map(|s| records.get(s).cloned())
                .collect();
            members.sort_by(|a, b| {
                let evidence = |e: &Experience| {
                    e.metrics.total_reports + e.metrics.upvotes + e.metrics.downvotes
                };
                evidence(b)
                    .cmp(&evidence(a))
                    .then(b.metrics.quality_score.total_cmp(&a.metrics.quality_score))
                    .then(a.created_at.cmp(&b.created_at))
                    .then(a.seq.cmp(&b.seq))
            });
            let index = |seq: i64| members.iter().position(|m| m.seq == seq);
            let pairs: Vec<(usize, usize, f64)> = pairs
                .iter()
                .filter_map(|(a, b, s)| Some((index(*a)?, index(*b)?, *s)))
                .collect();
            let similarity = pairs.iter().map(|p| p.2).fold(0.0, f64::max);
            Cluster {
                members,
                pairs,
                similarity,
            }
        })
        .filter(|c| c.members.len() > 1)
        .collect();
    clusters.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.members[0].seq.cmp(&b.members[0].seq))
    });
    clusters
}
