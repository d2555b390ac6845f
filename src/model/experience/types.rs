//! The experience data model, shaped as the REST API's JSON (reference §2.5).

use serde::{Deserialize, Serialize};

/// Declares a closed set of lower-case string values with parsing and display.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Self::parse(text).ok_or_else(|| format!("must be one of {}", Self::ALL.join(", ")))
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(Status { Draft = "draft", Published = "published", Verified = "verified", Archived = "archived" });

impl Status {
    /// The statuses search finds, and anyone may read when the experience is public.
    pub const SEARCHABLE: [Status; 2] = [Status::Published, Status::Verified];
}
string_enum!(Visibility { Public = "public", Team = "team", Private = "private" });
string_enum!(Outcome { Success = "success", Partial = "partial", Failure = "failure" });
string_enum!(Importance { High = "high", Medium = "medium", Low = "low" });
string_enum!(VoteType { Up = "up", Down = "down" });
string_enum!(
    /// Compression modes of `acquire` (reference §4.9).
    AcquireMode { Summary = "summary", Checklist = "checklist", DecisionTree = "decision_tree", Full = "full" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadEnd {
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakthrough {
    pub insight: String,
    pub detail: String,
    /// Checked on manual create; the session assembler copies it as given (reference §4.8).
    pub importance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gotcha {
    pub warning: String,
    pub context: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    pub language: String,
    pub code: String,
    pub description: Option<String>,
}

/// What detail and list views carry instead of the code: artifacts are fetched on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactMeta {
    pub index: usize,
    pub language: String,
    pub description: Option<String>,
    pub bytes: usize,
    pub lines: usize,
}

impl ArtifactMeta {
    pub fn of(index: usize, artifact: &Artifact) -> ArtifactMeta {
        ArtifactMeta {
            index,
            language: artifact.language.clone(),
            description: artifact.description.clone(),
            bytes: artifact.code.len(),
            lines: if artifact.code.is_empty() {
                0
            } else {
                artifact.code.matches('\n').count() + 1
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub action: String,
    pub outcome: String,
    pub dead_end: bool,
    pub insight: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContextStructured {
    pub tools_used: Vec<String>,
    pub environment: Option<String>,
    pub constraints: Option<String>,
}

/// What an author writes. Immutable once created: only status and metrics change later.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperienceContent {
    pub goal: String,
    pub domain: Option<String>,
    pub tools_used: Vec<String>,
    pub dead_ends: Vec<DeadEnd>,
    pub breakthroughs: Vec<Breakthrough>,
    pub gotchas: Vec<Gotcha>,
    pub context: Option<String>,
    pub attempts: Vec<Attempt>,
    pub solution: Option<String>,
    pub tags: Vec<String>,
    pub confidence: Option<f64>,
    pub context_structured: Option<ContextStructured>,
    pub outcome: Option<Outcome>,
    pub visibility: Visibility,
}

impl ExperienceContent {
    /// Content that says only its goal: every list empty, every option unset, public. What
    /// code that fills in a few fields itself starts from (`..ExperienceContent::with_goal(g)`).
    pub fn with_goal(goal: impl Into<String>) -> ExperienceContent {
        ExperienceContent {
            goal: goal.into(),
            domain: None,
            tools_used: Vec::new(),
            dead_ends: Vec::new(),
            breakthroughs: Vec::new(),
            gotchas: Vec::new(),
            context: None,
            attempts: Vec::new(),
            solution: None,
            tags: Vec::new(),
            confidence: None,
            context_structured: None,
            outcome: None,
            visibility: Visibility::Public,
        }
    }
}

/// A new experience as an author submits it: the content plus its artifacts' code.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExperience {
    pub content: ExperienceContent,
    pub artifacts: Vec<Artifact>,
}

/// Outcome-report and vote counters with the scores derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Metrics {
    pub success_count: i64,
    pub failure_count: i64,
    pub total_reports: i64,
    pub success_rate: f64,
    pub upvotes: i64,
    pub downvotes: i64,
    pub quality_score: f64,
}

impl Metrics {
    /// Derives rate and score from the four counters (reference §4.5-4.7).
    pub fn from_counts(success: i64, failure: i64, up: i64, down: i64) -> Metrics {
        let total = success + failure;
        Metrics {
            success_count: success,
            failure_count: failure,
            total_reports: total,
            success_rate: crate::model::quality::success_rate(success, total),
            upvotes: up,
            downvotes: down,
            quality_score: crate::model::quality::quality_score(success, total, up, down),
        }
    }
}

/// A stored experience. `artifacts` holds metadata; the code is in the artifacts table.
#[derive(Debug, Clone, PartialEq)]
pub struct Experience {
    pub seq: i64,
    pub id: String,
    pub short_id: String,
    pub session_id: Option<String>,
    pub agent_id: String,
    pub content: ExperienceContent,
    pub artifacts: Vec<ArtifactMeta>,
    pub status: Status,
    pub metrics: Metrics,
    pub origin: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Set when `plurum merge` folded this experience into another (it is archived): that
    /// one's id, where its feedback now goes.
    pub merged_into: Option<String>,
}

impl Experience {
    /// Readable by `viewer` (reference §2.8): the author, or anyone when public and published.
    pub fn readable_by(&self, viewer: &str) -> bool {
        self.agent_id == viewer
            || (self.content.visibility == Visibility::Public
                && Status::SEARCHABLE.contains(&self.status))
    }
}
