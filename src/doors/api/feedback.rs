//! Outcome reports and votes, with the experience's counters after them.

use super::*;

/// The counters an agent sees change after feedback (an extra key on the API's row).
#[derive(Serialize)]
pub(super) struct MetricsDocument<'a> {
    pub(super) id: &'a str,
    pub(super) short_id: &'a str,
    #[serde(flatten)]
    pub(super) metrics: &'a Metrics,
}

impl<'a> MetricsDocument<'a> {
    pub(super) fn of(e: &'a Experience) -> Self {
        MetricsDocument {
            id: &e.id,
            short_id: &e.short_id,
            metrics: &e.metrics,
        }
    }
}

/// The report row, plus the experience's counters after it (an addition to the API's row).
pub fn outcome(f: &Feedback<OutcomeReport>) -> Value {
    #[derive(Serialize)]
    struct OutcomeDocument<'a> {
        #[serde(flatten)]
        report: &'a OutcomeReport,
        experience: MetricsDocument<'a>,
    }
    to_value(&OutcomeDocument {
        report: &f.record,
        experience: MetricsDocument::of(&f.experience),
    })
}

/// The vote row, plus what the vote did and the counters after it.
pub fn vote(r: &VoteResult) -> Value {
    #[derive(Serialize)]
    struct VoteDocument<'a> {
        #[serde(flatten)]
        vote: &'a crate::model::feedback::Vote,
        action: VoteAction,
        experience: MetricsDocument<'a>,
    }
    to_value(&VoteDocument {
        vote: &r.vote,
        action: r.action,
        experience: MetricsDocument::of(&r.experience),
    })
}
