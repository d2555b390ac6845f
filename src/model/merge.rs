//! Merging near-duplicates: what of one experience another lacks, and which of two pieces
//! of one agent's feedback survives. Pure rules; `ops::merge` applies them in one
//! transaction.

use serde::Serialize;

use super::experience::{Artifact, ArtifactMeta, Experience, ExperienceContent, VoteType};

/// How many lessons and artifacts a merge adds to the kept experience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Added {
    pub dead_ends: usize,
    pub breakthroughs: usize,
    pub gotchas: usize,
    pub artifacts: usize,
}

impl Added {
    pub fn any(&self) -> bool {
        self.dead_ends + self.breakthroughs + self.gotchas + self.artifacts > 0
    }
}

impl std::ops::AddAssign for Added {
    fn add_assign(&mut self, o: Added) {
        self.dead_ends += o.dead_ends;
        self.breakthroughs += o.breakthroughs;
        self.gotchas += o.gotchas;
        self.artifacts += o.artifacts;
    }
}

/// Text compared for sameness: case, spacing and trailing punctuation do not count.
fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '!', ';', ','])
        .to_lowercase()
}

/// Adds to `keep` (its content, artifact list and the code of its artifacts) what `other`
/// has and it lacks: dead ends by what was tried, breakthroughs by their insight, gotchas by
/// their warning, artifacts by their code. Nothing of `keep` is changed or reordered; what
/// is added follows, in `other`'s order. Returns what was added, and the added artifacts'
/// code (to store after `keep`'s own).
pub fn fold_lessons(
    keep: &mut Experience,
    keep_code: &[Artifact],
    other: &ExperienceContent,
    other_code: &[Artifact],
) -> (Added, Vec<Artifact>) {
    let mut added = Added::default();
    let k = &mut keep.content;
    for d in &other.dead_ends {
        if !k.dead_ends.iter().any(|x| key(&x.what) == key(&d.what)) {
            k.dead_ends.push(d.clone());
            added.dead_ends += 1;
        }
    }
    for b in &other.breakthroughs {
        if !k
            .breakthroughs
            .iter()
            .any(|x| key(&x.insight) == key(&b.insight))
        {
            k.breakthroughs.push(b.clone());
            added.breakthroughs += 1;
        }
    }
    for g in &other.gotchas {
        if !k.gotchas.iter().any(|x| key(&x.warning) == key(&g.warning)) {
            k.gotchas.push(g.clone());
            added.gotchas += 1;
        }
    }
    let mut new_code = Vec::new();
    for a in other_code {
        let same = |x: &Artifact| x.code.trim() == a.code.trim();
        if !keep_code.iter().any(same) && !new_code.iter().any(same) {
            keep.artifacts
                .push(ArtifactMeta::of(keep.artifacts.len(), a));
            new_code.push(a.clone());
            added.artifacts += 1;
        }
    }
    (added, new_code)
}

/// Of two reports (or votes) by one agent, the one that stands after a merge: the later
/// one (by when it was last changed; on a tie, the kept experience's).
pub fn later_wins(kept_updated_at: &str, other_updated_at: &str) -> Winner {
    if other_updated_at > kept_updated_at {
        Winner::Other
    } else {
        Winner::Kept
    }
}

/// Which of an agent's two votes stands after a merge: the same direction is one vote (the
/// kept one: a merge never withdraws a vote); opposite directions, the later one.
pub fn vote_wins(kept: (VoteType, &str), other: (VoteType, &str)) -> Winner {
    if kept.0 == other.0 {
        Winner::Kept
    } else {
        later_wins(kept.1, other.1)
    }
}

/// Which of two pieces of one agent's feedback survives a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Winner {
    Kept,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::experience::{DeadEnd, Gotcha, Metrics, Status};

    fn record(content: ExperienceContent) -> Experience {
        Experience {
            seq: 1,
            id: "k".into(),
            short_id: "kkkkkkkk".into(),
            session_id: None,
            agent_id: "a".into(),
            content,
            artifacts: Vec::new(),
            status: Status::Published,
            metrics: Metrics::default(),
            origin: None,
            created_at: String::new(),
            updated_at: String::new(),
            merged_into: None,
        }
    }

    #[test]
    fn folds_only_what_the_kept_one_lacks() {
        let mut keep = record(ExperienceContent {
            dead_ends: vec![DeadEnd {
                what: "Raised the timeout".into(),
                why: "still failed".into(),
            }],
            ..ExperienceContent::with_goal("g")
        });
        let other = ExperienceContent {
            dead_ends: vec![
                DeadEnd {
                    what: "raised the  timeout.".into(),
                    why: "other words".into(),
                },
                DeadEnd {
                    what: "Retried in a loop".into(),
                    why: "hid the error".into(),
                },
            ],
            gotchas: vec![Gotcha {
                warning: "WAL needs a local disk".into(),
                context: None,
            }],
            ..ExperienceContent::with_goal("g2")
        };
        let code = Artifact {
            language: "sql".into(),
            code: "PRAGMA journal_mode=WAL;".into(),
            description: None,
        };
        let (added, new_code) = fold_lessons(&mut keep, &[], &other, &[code.clone(), code]);
        assert_eq!(
            added,
            Added {
                dead_ends: 1,
                breakthroughs: 0,
                gotchas: 1,
                artifacts: 1
            }
        );
        assert_eq!(keep.content.dead_ends.len(), 2);
        assert_eq!(keep.content.dead_ends[0].why, "still failed");
        assert_eq!(new_code.len(), 1);
        assert_eq!(keep.artifacts[0].index, 0);
    }

    #[test]
    fn the_same_vote_stays_one_and_opposite_votes_go_by_time() {
        let (up, down) = (VoteType::Up, VoteType::Down);
        assert_eq!(vote_wins((up, "2"), (up, "9")), Winner::Kept);
        assert_eq!(vote_wins((up, "2"), (down, "9")), Winner::Other);
        assert_eq!(vote_wins((up, "9"), (down, "2")), Winner::Kept);
        assert_eq!(later_wins("5", "5"), Winner::Kept);
    }
}
