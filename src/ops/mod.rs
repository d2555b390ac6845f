//! The operations: everything plurum does, as methods of [`Plurum`] (an open store plus
//! settings and the embedding model). The three front doors call these and only these, so
//! a rule written here holds for the CLI, `plurum serve` and `plurum mcp` alike. Each file
//! adds the `impl Plurum` block of one concept.

pub mod agents;
pub mod doctor;
pub mod duplicates;
pub mod embedding;
pub mod eval;
pub mod experiences;
pub mod feedback;
pub mod hooks;
pub mod merge;
mod plurum;
pub mod remote_account;
pub mod search;
pub mod sessions;
pub mod sync;
pub mod transfer;

pub use plurum::{Location, OpenOptions, Plurum, shell_word};

use crate::error::{Error, Result, StoreFailure};

/// How many short ids a new record may draw before its insert gives up: eight hex digits
/// make a collision rare, and each draw is independent of the last.
const SHORT_ID_DRAWS: usize = 6;

/// Runs `insert` of a new `record`, drawing it a new short id (`short_id` finds it in the
/// record) each time the store answers that the one it carries is taken. The one place this
/// rule lives: both stores report a taken short id the same way
/// ([`StoreFailure::ShortIdTaken`]), with nothing written.
pub fn with_fresh_short_id<X, R>(
    record: &mut X,
    short_id: impl Fn(&mut X) -> &mut String,
    mut insert: impl FnMut(&mut X) -> Result<R>,
) -> Result<R> {
    for _ in 0..SHORT_ID_DRAWS {
        match insert(record) {
            Err(Error::Store {
                failure: StoreFailure::ShortIdTaken,
                ..
            }) => *short_id(record) = crate::model::ids::new_short_id(),
            other => return other,
        }
    }
    Err(Error::other(format!(
        "no free short id in {SHORT_ID_DRAWS} draws"
    )))
}
