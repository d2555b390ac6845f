//! The numeric bounds of requests, each written once so the CLI, `plurum serve` and the MCP
//! tools refuse the same values with the same message.
//!
//! A pure rule with no dependency on the rest of plurum beyond its error type: the doors
//! check a number they read before converting it (a negative `limit` must say the bound, not
//! "cannot convert"), and the operations check it again for callers that skip the doors.

use std::fmt::Display;

use crate::error::{Error, Result};

/// An inclusive range of accepted values, and the message for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: i64,
    pub max: i64,
}

/// How many results one search returns (reference §3.2 search).
pub const SEARCH_RESULTS: Bounds = Bounds::new(1, 50);
/// How many neighbours `similar` returns (reference §4.4).
pub const SIMILAR_RESULTS: Bounds = Bounds::new(1, 20);
/// How many items one page of a list holds: experiences, sessions, inbox events.
pub const PAGE_SIZE: Bounds = Bounds::new(1, 100);

impl Bounds {
    pub const fn new(min: i64, max: i64) -> Bounds {
        Bounds { min, max }
    }

    /// `value` if it is within the bounds, else an error naming `field` and the bounds.
    pub fn check<T>(&self, field: &str, value: T) -> Result<T>
    where
        T: Copy + Display + TryInto<i64>,
    {
        match value.try_into() {
            Ok(v) if (self.min..=self.max).contains(&v) => Ok(value),
            _ => Err(Error::invalid(
                field,
                format!("must be between {} and {}, got {value}", self.min, self.max),
            )),
        }
    }

    /// A count read by a door (a JSON integer or a query parameter) as the `usize` the
    /// operations take, refused with the bounds when it is out of them (negative included).
    pub fn count(&self, field: &str, value: i64) -> Result<usize> {
        let value = self.check(field, value)?;
        // In bounds, and the bounds are positive: the conversion cannot fail.
        Ok(usize::try_from(value).unwrap_or(usize::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_bounds_passes_and_the_rest_names_the_bounds() {
        assert_eq!(SEARCH_RESULTS.check("limit", 50usize).unwrap(), 50);
        assert_eq!(SEARCH_RESULTS.count("limit", 1).unwrap(), 1);
        for bad in [0, -1, 51, i64::MIN] {
            let e = SEARCH_RESULTS.count("limit", bad).unwrap_err();
            assert!(
                e.to_string()
                    .contains(&format!("must be between 1 and 50, got {bad}")),
                "{e}"
            );
        }
        // A usize too large for i64 is refused with its own value.
        let huge = SEARCH_RESULTS.check("limit", usize::MAX).unwrap_err();
        assert!(huge.to_string().contains(&usize::MAX.to_string()), "{huge}");
    }
}
