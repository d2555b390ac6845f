//! The operations: everything plurum does, as methods of [`Plurum`] (an open store plus
//! settings and the embedding model). The three front doors call these and only these, so
//! a rule written here holds for the CLI, `plurum serve` and `plurum mcp` alike. Each file
//! adds the `impl Plurum` block of one concept.

pub mod agents;
pub mod doctor;
pub mod embedding;
pub mod eval;
pub mod experiences;
pub mod feedback;
mod plurum;
pub mod remote_account;
pub mod search;
pub mod sessions;
pub mod sync;
pub mod transfer;

pub use plurum::{Location, OpenOptions, Plurum};
