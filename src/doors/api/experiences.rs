//! Experiences: their projections (list item, detail, created), pages, similar, artifacts,
//! and what `acquire` returns in each mode.

use super::*;

/// The fields every projection of an experience starts with (reference §2.6), in the API's
/// order: ids, what it is about, its status, the counters, when, tags and confidence.
#[derive(Serialize)]
pub(super) struct ExperienceHead<'a> {
    pub(super) id: &'a str,
    pub(super) short_id: &'a str,
    pub(super) session_id: Option<&'a str>,
    pub(super) agent_id: &'a str,
    pub(super) goal: &'a str,
    pub(super) domain: Option<&'a str>,
    pub(super) tools_used: &'a [String],
    pub(super) status: Status,
    pub(super) visibility: Visibility,
    pub(super) outcome: Option<Outcome>,
    /// `success_count` … `quality_score`, in `Metrics`' field order.
    #[serde(flatten)]
    pub(super) metrics: &'a Metrics,
    pub(super) created_at: &'a str,
    pub(super) updated_at: &'a str,
    pub(super) tags: &'a [String],
    pub(super) confidence: Option<f64>,
}

impl<'a> ExperienceHead<'a> {
    pub(super) fn of(e: &'a Experience) -> Self {
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
pub(super) struct ExperienceListItem<'a> {
    #[serde(flatten)]
    pub(super) head: ExperienceHead<'a>,
    pub(super) artifacts: &'a [ArtifactMeta],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) origin: Option<&'a str>,
}

impl<'a> ExperienceListItem<'a> {
    pub(super) fn of(e: &'a Experience) -> Self {
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
pub(super) enum ArtifactsView<'a> {
    Metadata(&'a [ArtifactMeta]),
    Inline(&'a [Artifact]),
}

/// The detail projection: the list fields, then the lessons, with `artifacts` moved to sit
/// between `context` and `attempts_json` as the API has it.
#[derive(Serialize)]
pub(super) struct ExperienceDetail<'a> {
    #[serde(flatten)]
    pub(super) head: ExperienceHead<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) origin: Option<&'a str>,
    pub(super) dead_ends: &'a [DeadEnd],
    pub(super) breakthroughs: &'a [Breakthrough],
    pub(super) gotchas: &'a [Gotcha],
    pub(super) context: Option<&'a str>,
    pub(super) artifacts: ArtifactsView<'a>,
    pub(super) attempts_json: &'a [Attempt],
    pub(super) solution: Option<&'a str>,
    pub(super) context_structured: Option<&'a ContextStructured>,
    /// Where `plurum merge` folded this experience (only when it did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) merged_into: Option<&'a str>,
}

impl<'a> ExperienceDetail<'a> {
    pub(super) fn of(e: &'a Experience, artifacts: ArtifactsView<'a>) -> Self {
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
            merged_into: e.merged_into.as_deref(),
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
pub(super) struct PageDocument<I> {
    pub(super) items: Vec<I>,
    pub(super) total: i64,
    pub(super) limit: i64,
    pub(super) offset: i64,
    pub(super) has_more: bool,
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
pub(super) struct Ids<'a> {
    pub(super) id: &'a str,
    pub(super) short_id: &'a str,
}

/// What a publish answers with: the experience's document (the new one, or the existing one
/// a skipped publish points to) with two fields more at the top level, so a client of the
/// hosted API still reads `id` where it expects it: whether it was stored now, and its
/// likely duplicates.
pub fn created_experience(c: &Created) -> Value {
    #[derive(Serialize)]
    struct Document<'a> {
        #[serde(flatten)]
        detail: ExperienceDetail<'a>,
        created: bool,
        possible_duplicates: &'a [DuplicateHit],
    }
    let e = &c.experience;
    to_value(&Document {
        detail: ExperienceDetail::of(e, ArtifactsView::Metadata(&e.artifacts)),
        created: c.created,
        possible_duplicates: &c.possible_duplicates,
    })
}

/// What a bulk publish prints: each item's ids in input order, whether it was stored now
/// (false: skipped as a duplicate, the ids are the existing experience's) and its likely
/// duplicates.
pub fn created(items: &[Created]) -> Value {
    #[derive(Serialize)]
    struct Item<'a> {
        #[serde(flatten)]
        ids: Ids<'a>,
        created: bool,
        possible_duplicates: &'a [DuplicateHit],
    }
    #[derive(Serialize)]
    struct Bulk<'a> {
        created: Vec<Item<'a>>,
    }
    to_value(&Bulk {
        created: items
            .iter()
            .map(|c| Item {
                ids: Ids {
                    id: &c.experience.id,
                    short_id: &c.experience.short_id,
                },
                created: c.created,
                possible_duplicates: &c.possible_duplicates,
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

/// The `content` of `acquire`, per mode (reference §4.9).
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum AcquireContentDocument<'a> {
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
pub(super) struct DecisionDocument<'a> {
    pub(super) condition: &'a str,
    pub(super) action: &'a str,
    pub(super) detail: &'a str,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
}

/// The whole experience, code inline; `quality_score` is called `trust_score` here.
#[derive(Serialize)]
pub(super) struct FullContent<'a> {
    pub(super) goal: &'a str,
    pub(super) domain: Option<&'a str>,
    pub(super) tools_used: &'a [String],
    pub(super) outcome: Option<Outcome>,
    pub(super) dead_ends: &'a [DeadEnd],
    pub(super) breakthroughs: &'a [Breakthrough],
    pub(super) gotchas: &'a [Gotcha],
    pub(super) context: Option<&'a str>,
    pub(super) artifacts: &'a [Artifact],
    pub(super) success_rate: f64,
    pub(super) total_reports: i64,
    pub(super) trust_score: f64,
    pub(super) attempts: &'a [Attempt],
    pub(super) solution: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) confidence: Option<f64>,
    pub(super) context_structured: Option<&'a ContextStructured>,
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

/// `plurum duplicates`: the groups of likely duplicates, each member a list item, the one to
/// keep first, with the pairs found (by index into `members`).
pub fn duplicate_clusters(found: &crate::ops::duplicates::Clusters) -> Value {
    #[derive(Serialize)]
    struct Pair {
        a: usize,
        b: usize,
        similarity: f64,
    }
    #[derive(Serialize)]
    struct Cluster<'a> {
        keep: &'a str,
        similarity: f64,
        members: Vec<ExperienceListItem<'a>>,
        pairs: Vec<Pair>,
    }
    #[derive(Serialize)]
    struct Document<'a> {
        clusters: Vec<Cluster<'a>>,
        checked: usize,
        min_similarity: f64,
    }
    to_value(&Document {
        clusters: found
            .clusters
            .iter()
            .map(|c| Cluster {
                keep: &c.members[0].id,
                similarity: c.similarity,
                members: c.members.iter().map(ExperienceListItem::of).collect(),
                pairs: c
                    .pairs
                    .iter()
                    .map(|&(a, b, similarity)| Pair { a, b, similarity })
                    .collect(),
            })
            .collect(),
        checked: found.checked,
        min_similarity: found.min_similarity,
    })
}

/// `plurum merge` / `POST /experiences/{id}/merge`: the kept experience's document as it is
/// now, the merged ones' ids, and what moved.
pub fn merged(m: &crate::ops::merge::Merged) -> Value {
    #[derive(Serialize)]
    struct Document<'a> {
        keep: ExperienceDetail<'a>,
        merged: Vec<Ids<'a>>,
        #[serde(flatten)]
        what: &'a crate::ops::merge::Merged,
    }
    to_value(&Document {
        keep: ExperienceDetail::of(&m.keep, ArtifactsView::Metadata(&m.keep.artifacts)),
        merged: m
            .others
            .iter()
            .map(|e| Ids {
                id: &e.id,
                short_id: &e.short_id,
            })
            .collect(),
        what: m,
    })
}
