//! Near-duplicates: when two experiences teach one lesson, a pure rule over their vectors
//! and words.
//!
//! Meaning alone is not enough: MiniLM scores two experiences about one tool and different
//! problems nearly as high as two write-ups of one fix (on the 84 labelled pairs, whole-text
//! cosines of duplicates span 0.59–0.89 and of hard negatives 0.40–0.84), and shared words
//! say little (a paraphrase shares few). What tells them apart is the fix: the cosine of
//! the vectors of the fixes alone (breakthroughs and solution,
//! [`crate::model::experience::views::lesson_text`]) is below 0.60 for all but one hard
//! negative and above it for 37 of 42 duplicates. So the rule is, by what both sides have:
//!
//! - both fixes' vectors: the fixes' cosine, provided the whole texts are close at all;
//! - vectors of the whole texts only (one side states no fix): the whole cosine, and only
//!   near-copies pass;
//! - no vectors (a store without a model): the specific words shared (the goal's and the
//!   lessons', less tools, domain and common English), and only near-copies pass.
//!
//! The thresholds are calibrated on the labelled pairs in `tests/fixtures/duplicates/`
//! (`scripts/bench.sh duplicates` reports precision and recall; the suite holds them).
//! Nothing here deletes or merges: the rule only says "likely the same lesson".

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::experience::types::string_enum;
use super::experience::{Experience, ExperienceContent};

string_enum!(
    /// What a publish does when a likely duplicate exists: store the new experience anyway
    /// (listing the duplicates), or store nothing and answer with the existing one.
    IfDuplicate { Publish = "publish", Skip = "skip" }
);

/// What a create answers with: the experience (new, or the existing one a skipped publish
/// points to), whether it was stored now, and its likely duplicates.
#[derive(Debug, Clone)]
pub struct Created {
    pub experience: Experience,
    pub created: bool,
    pub possible_duplicates: Vec<DuplicateHit>,
}

/// A stored experience that is likely a duplicate of another, as answers list it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateHit {
    /// The store's own number for it (not part of any answer).
    #[serde(skip)]
    pub seq: i64,
    pub id: String,
    pub short_id: String,
    pub goal: String,
    /// The rule's score on the scale of [`LIKELY_FIX`] (`Evidence::normalised`): 1 for the
    /// same text, at least [`LIKELY_FIX`] for a likely duplicate.
    pub similarity: f64,
}

/// The words of an experience the rule compares, each set lower-cased, stemmed crudely and
/// free of common English.
#[derive(Debug, Clone, Default)]
pub struct Fingerprint {
    /// The goal's words, less tools and domain.
    pub goal: BTreeSet<String>,
    /// The tools used, normalised ("PostgreSQL" and "postgres" are one tool).
    pub tools: BTreeSet<String>,
    /// Goal, dead ends, breakthroughs, gotchas and solution: the lesson's own words, less
    /// tools and domain.
    pub lesson: BTreeSet<String>,
}

/// What two experiences share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Cosine similarity of the whole texts' vectors, when both have one.
    pub cosine: Option<f64>,
    /// Cosine similarity of the fixes' vectors, when both state a fix and have its vector.
    pub fix_cosine: Option<f64>,
    /// Overlap of the goals' specific words, 0–1.
    pub goal: f64,
    /// Overlap of the lessons' specific words, 0–1.
    pub lesson: f64,
}

/// The fixes' cosine from which two experiences are likely one lesson.
pub const LIKELY_FIX: f64 = 0.60;
/// ...provided their whole texts are at least this close (two fixes alike by chance, in
/// unrelated experiences, are not one lesson).
pub const WHOLE_GATE: f64 = 0.55;
/// The whole texts' cosine from which a pair without both fixes is likely one lesson.
pub const LIKELY_WHOLE: f64 = 0.92;
/// The words' score from which a pair compared by words only is likely one lesson.
pub const LIKELY_WORDS: f64 = 0.6;

/// The lowest score `plurum duplicates --min-similarity` takes.
pub const MIN_SIMILARITY_FLOOR: f64 = 0.3;

/// How the pair was compared, which decides the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Fixes,
    WholeTexts,
    Words,
}

impl Evidence {
    pub fn basis(&self) -> Basis {
        match (self.cosine, self.fix_cosine) {
            (Some(_), Some(_)) => Basis::Fixes,
            (Some(_), None) => Basis::WholeTexts,
            _ => Basis::Words,
        }
    }

    /// The rule's score, 0–1: the measure of its basis (zero for fixes alike in texts that
    /// are not close).
    pub fn similarity(&self) -> f64 {
        let score = match (self.cosine, self.fix_cosine) {
            (Some(c), Some(_)) if c < WHOLE_GATE => 0.0,
            (Some(_), Some(f)) => f,
            (Some(c), None) => c,
            _ => 0.6 * self.lesson + 0.4 * self.goal,
        };
        score.clamp(0.0, 1.0)
    }

    /// The threshold that applies to this pair.
    pub fn threshold(&self) -> f64 {
        match self.basis() {
            Basis::Fixes => LIKELY_FIX,
            Basis::WholeTexts => LIKELY_WHOLE,
            Basis::Words => LIKELY_WORDS,
        }
    }

    /// True when the pair is likely one lesson.
    pub fn is_likely(&self) -> bool {
        self.similarity() >= self.threshold()
    }

    /// The score on the scale of the fixes' threshold, so that pairs compared on different
    /// bases sort together and one `--min-similarity` applies to all: 1 stays 1, each
    /// basis's threshold maps to [`LIKELY_FIX`].
    pub fn normalised(&self) -> f64 {
        let (s, t) = (self.similarity(), self.threshold());
        if s >= t {
            LIKELY_FIX + (s - t) / (1.0 - t) * (1.0 - LIKELY_FIX)
        } else {
            s / t * LIKELY_FIX
        }
    }
}

/// What two fingerprints share, with the vectors' cosines when both sides have them.
pub fn evidence(
    a: &Fingerprint,
    b: &Fingerprint,
    cosine: Option<f64>,
    fix_cosine: Option<f64>,
) -> Evidence {
    Evidence {
        cosine,
        fix_cosine,
        goal: overlap(&a.goal, &b.goal),
        lesson: overlap(&a.lesson, &b.lesson),
    }
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

/// Overlap of two word sets: shared words over the smaller set's size, damped for tiny
/// sets (two three-word goals sharing one word are not "a third the same" by chance), so
/// a terse write-up of a lesson matches a rich one without short texts matching anything.
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    let shared = a.intersection(b).count() as f64;
    // Containment in the smaller set, blended with Jaccard so that a large set does not
    // contain every small one.
    let union = (a.len() + b.len()) as f64 - shared;
    let containment = shared / (smaller as f64 + 2.0);
    let jaccard = shared / union;
    0.5 * containment + 0.5 * jaccard
}

/// The words of an experience the rule compares.
pub fn fingerprint(c: &ExperienceContent) -> Fingerprint {
    let mut tools = BTreeSet::new();
    for t in &c.tools_used {
        for w in words(t) {
            tools.insert(w);
        }
    }
    let mut general: BTreeSet<String> = tools.clone();
    if let Some(d) = &c.domain {
        general.extend(words(d));
    }
    let specific = |text: &str, into: &mut BTreeSet<String>| {
        for w in words(text) {
            if !general.contains(&w) {
                into.insert(w);
            }
        }
    };
    let mut goal = BTreeSet::new();
    specific(&c.goal, &mut goal);
    let mut lesson = goal.clone();
    for d in &c.dead_ends {
        specific(&d.what, &mut lesson);
        specific(&d.why, &mut lesson);
    }
    for b in &c.breakthroughs {
        specific(&b.insight, &mut lesson);
        specific(&b.detail, &mut lesson);
    }
    for g in &c.gotchas {
        specific(&g.warning, &mut lesson);
    }
    if let Some(s) = &c.solution {
        specific(s, &mut lesson);
    }
    Fingerprint {
        goal,
        tools,
        lesson,
    }
}

/// A text's comparable words: lower case, split at anything but letters, digits and `_`,
/// common English and one-letter words dropped, plurals and verb endings cut, and a few
/// spellings of one tool folded together.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| fold(stem(&w)))
}

/// Cuts the commonest English endings, so "timeouts", "timed" and "timing" meet "time"
/// roughly: crude, but the same on both sides of a comparison.
fn stem(w: &str) -> &str {
    if !w.is_ascii() || w.len() <= 4 {
        return w;
    }
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stripped) = w.strip_suffix(suffix)
            && stripped.len() >= 4
        {
            return stripped;
        }
    }
    w
}

/// One spelling for the tools written several ways.
fn fold(w: &str) -> String {
    match w {
        "postgresql" | "postgr" | "pg" | "psql" => "postgres",
        "k8" | "k8s" | "kubectl" => "kubernet",
        "golang" => "go",
        "js" | "javascript" => "javascript",
        "ts" | "typescript" => "typescript",
        "gha" => "github",
        "py" | "python3" => "python",
        other => other,
    }
    .to_string()
}

/// Words that say nothing about a lesson.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "during", "each", "every", "few", "for", "from", "get", "gets", "got", "had",
    "has", "have", "having", "he", "her", "here", "how", "if", "in", "into", "is", "it", "its",
    "just", "like", "make", "makes", "made", "many", "may", "more", "most", "much", "must", "my",
    "need", "needs", "no", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
    "our", "out", "over", "own", "same", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "use", "used", "uses", "using", "very", "via", "was", "way", "we",
    "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "without",
    "would", "you", "your", "instead", "still", "even", "both", "within", "per", "two", "new",
    "set", "run", "runs", "work", "works", "worked", "fix", "fixed", "tried", "try", "find",
    "found", "stop", "keep", "let", "lets", "it's", "don", "doesn", "isn", "won",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::experience::{Breakthrough, DeadEnd};

    fn content(goal: &str, tools: &[&str], lesson: &str) -> ExperienceContent {
        ExperienceContent {
            tools_used: tools.iter().map(|t| t.to_string()).collect(),
            dead_ends: vec![DeadEnd {
                what: "raised the timeout".into(),
                why: "errors continued".into(),
            }],
            breakthroughs: vec![Breakthrough {
                insight: lesson.into(),
                detail: String::new(),
                importance: "high".into(),
            }],
            ..ExperienceContent::with_goal(goal)
        }
    }

    #[test]
    fn words_drop_common_english_and_fold_spellings() {
        let w: Vec<String> = words("The PostgreSQL timeouts, and k8s clusters").collect();
        assert_eq!(w, ["postgres", "timeout", "kubernet", "cluster"]);
    }

    #[test]
    fn tools_are_not_counted_as_the_lessons_words() {
        let f = fingerprint(&content(
            "sqlite locks with python",
            &["sqlite", "python"],
            "WAL",
        ));
        assert!(!f.goal.contains("sqlite") && f.goal.contains("lock"));
        assert!(f.tools.contains("sqlite"));
    }

    #[test]
    fn the_same_words_score_higher_than_the_same_tools() {
        let a = fingerprint(&content(
            "database is locked errors with several writers",
            &["sqlite", "python"],
            "WAL and BEGIN IMMEDIATE",
        ));
        let same = fingerprint(&content(
            "several writer processes hit database locked",
            &["sqlite"],
            "BEGIN IMMEDIATE with WAL journal",
        ));
        let other = fingerprint(&content(
            "full text search over notes is slow",
            &["sqlite", "python"],
            "FTS5 with a trigram tokenizer",
        ));
        let close = evidence(&a, &same, None, None).similarity();
        let far = evidence(&a, &other, None, None).similarity();
        assert!(close > far, "{close} vs {far}");
    }

    #[test]
    fn fixes_decide_when_both_have_them_and_the_texts_are_close() {
        let f = Fingerprint::default();
        let alike = evidence(&f, &f, Some(0.7), Some(0.65));
        assert_eq!(alike.basis(), Basis::Fixes);
        assert!(alike.is_likely());
        assert!(!evidence(&f, &f, Some(0.5), Some(0.9)).is_likely());
        assert!(!evidence(&f, &f, Some(0.9), Some(0.45)).is_likely());
        assert!(!evidence(&f, &f, Some(0.9), None).is_likely());
        assert!(evidence(&f, &f, Some(0.95), None).is_likely());
    }

    #[test]
    fn normalised_scores_meet_at_the_threshold() {
        let f = Fingerprint::default();
        let at = |c, x| evidence(&f, &f, Some(c), x).normalised();
        assert!((at(LIKELY_WHOLE, None) - LIKELY_FIX).abs() < 1e-9);
        assert!((at(0.8, Some(LIKELY_FIX)) - LIKELY_FIX).abs() < 1e-9);
        assert!((at(1.0, None) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn overlap_of_nothing_is_zero_and_of_equals_is_high() {
        let a: BTreeSet<String> = ["wal", "immediate", "lock", "writer"]
            .map(String::from)
            .into();
        assert_eq!(overlap(&a, &BTreeSet::new()), 0.0);
        assert!(overlap(&a, &a) > 0.8);
    }
}
