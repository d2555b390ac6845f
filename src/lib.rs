//! plurum: the local-first, single-file edition of the Plurum knowledge layer for AI agents.
//!
//! The crate is layered, and every arrow points down:
//!
//! - [`doors`]: the front doors (the CLI, the HTTP API of `plurum serve`, the MCP tools, and
//!   a coding agent's hooks). They read requests and render answers; the rules are below
//!   them.
//! - [`ops`]: the operations, as methods of [`Plurum`]: publish, search, report, sessions,
//!   sync, import and export, maintenance.
//! - [`store`] (persistence, behind the [`store::Tx`] boundary), [`search`] (query parsing,
//!   the vector scan, fusion), [`embed`] (the embedding model), [`remote`] (the client of a
//!   remote collective).
//! - [`model`]: plain types and pure rules (experiences, sessions, feedback, agents, ids,
//!   quality, the secret scan, limits), which depend on nothing of ours.
//!
//! Beside them, used by any layer: [`error`], [`config`], [`atomic_file`], `simd`, [`top_k`], [`vector_code`], [`bm25`] and
//! [`test_pause`] (pause points that only tests turn on).

pub mod atomic_file;
pub mod bm25;
pub mod config;
pub mod doors;
pub mod embed;
pub mod error;
pub mod model;
pub mod ops;
pub mod remote;
pub mod search;
pub(crate) mod simd;
pub mod store;
pub mod test_pause;
pub mod top_k;
pub mod vector_code;

pub use error::{Error, Result};
pub use ops::{OpenOptions, Plurum};
