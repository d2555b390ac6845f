//! Quality: the stored `quality_score` (exactly the hosted formula, reference §4.5) and the
//! ranking factor search multiplies relevance by (the docs' promise: unrated is neutral).

const Z: f64 = 1.96;

/// Lower bound of the Wilson score interval for `positive` successes out of `total` (z = 1.96).
/// Zero observations give 0, as on the hosted service.
pub fn wilson(positive: i64, total: i64) -> f64 {
    if total <= 0 {
        return 0.0;
    }
    let n = total as f64;
    let p = positive as f64 / n;
    let z2 = Z * Z;
    (p + z2 / (2.0 * n) - Z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
}

/// The stored quality score: 0.7 · Wilson(successes, reports) + 0.3 · Wilson(up, votes).
pub fn quality_score(success_count: i64, total_reports: i64, upvotes: i64, downvotes: i64) -> f64 {
    0.7 * wilson(success_count, total_reports) + 0.3 * wilson(upvotes, upvotes + downvotes)
}

/// Success rate as the hosted service stores it: successes / reports, 0 with no reports.
pub fn success_rate(success_count: i64, total_reports: i64) -> f64 {
    if total_reports > 0 {
        success_count as f64 / total_reports as f64
    } else {
        0.0
    }
}

/// Failures (with no success) that put an experience in quarantine.
pub const QUARANTINE_FAILURES: i64 = 3;

/// Quarantined experiences (≥ 3 failures and no success) are left out of search (§4.3);
/// `store::sql::eligible` is this rule in SQL.
pub fn is_quarantined(success_count: i64, failure_count: i64) -> bool {
    failure_count >= QUARANTINE_FAILURES && success_count == 0
}

/// The factor search multiplies relevance by. An experience nobody has rated yet is neutral
/// (exactly 1.0); successes and up-votes raise it, failures and down-votes lower it.
///
/// Each signal is a Laplace-smoothed ratio (one imaginary success and one imaginary failure),
/// so it starts at ½; the two are blended 70/30 as the quality score is, and the blend is
/// scaled so ½ maps to 1. The factor therefore lies in (0, 2): a perfect record with many
/// reports approaches 2, a record of pure failures approaches 0.
pub fn rank_factor(success_count: i64, failure_count: i64, upvotes: i64, downvotes: i64) -> f64 {
    let outcomes = (success_count as f64 + 1.0) / ((success_count + failure_count) as f64 + 2.0);
    let votes = (upvotes as f64 + 1.0) / ((upvotes + downvotes) as f64 + 2.0);
    2.0 * (0.7 * outcomes + 0.3 * votes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-7
    }

    #[test]
    fn wilson_reference_values() {
        assert!(close(wilson(1, 1), 0.206543));
        assert!(close(wilson(5, 5), 0.565509));
        assert!(close(wilson(8, 10), 0.490157));
        assert!(close(wilson(3, 4), 0.300636));
        assert_eq!(wilson(0, 0), 0.0);
    }

    #[test]
    fn quality_reference_values() {
        // (success, reports, up, down) -> score, from reference §4.5.
        let cases = [
            (0, 0, 0, 0, 0.0),
            (1, 1, 0, 0, 0.144580),
            (0, 0, 1, 0, 0.061963),
            (1, 1, 1, 0, 0.206543),
            (5, 5, 0, 0, 0.395856),
            (10, 10, 5, 0, 0.675374),
            (8, 10, 3, 1, 0.433301),
            (0, 3, 0, 0, 0.0),
            (50, 50, 20, 0, 0.901716),
        ];
        for (s, n, u, d, want) in cases {
            let got = quality_score(s, n, u, d);
            assert!(close(got, want), "({s}/{n}, {u}/{d}): {got} != {want}");
        }
    }

    #[test]
    fn quarantine_rule() {
        assert!(is_quarantined(0, 3));
        assert!(!is_quarantined(1, 5));
        assert!(!is_quarantined(0, 2));
    }

    #[test]
    fn rank_factor_is_neutral_then_moves_with_evidence() {
        assert_eq!(rank_factor(0, 0, 0, 0), 1.0);
        assert!(rank_factor(1, 0, 0, 0) > 1.0);
        assert!(rank_factor(0, 1, 0, 0) < 1.0);
        assert!(rank_factor(0, 0, 1, 0) > 1.0);
        assert!(rank_factor(0, 0, 0, 1) < 1.0);
        assert!(rank_factor(10, 0, 5, 0) > rank_factor(1, 0, 0, 0));
        assert!(rank_factor(100, 0, 100, 0) < 2.0);
        assert!(rank_factor(0, 100, 0, 100) > 0.0);
    }
}
