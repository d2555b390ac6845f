//! plurum: the local-first, single-file edition of the Plurum knowledge layer for AI agents.
//!
//! One library core — the store, experiences, quality, search, embeddings, sessions, the
//! secret scan, sync — and three thin front doors over the same calls: the CLI
//! ([`cli`]), the HTTP API of `plurum serve`, and the MCP tools.

pub mod agent;
pub mod api;
pub mod app;
pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod doctor;
pub mod doors;
pub mod embed;
pub mod error;
pub mod eval;
pub mod experience;
pub mod feedback;
pub mod ids;
pub mod index;
pub mod limits;
pub mod mcp;
pub mod quality;
pub mod remote;
pub mod remote_account;
pub mod search;
pub mod secrets;
pub mod server;
pub mod session;
pub(crate) mod simd;
pub mod store;
pub mod sync;
pub mod transfer;

pub use app::{OpenOptions, Plurum};
pub use error::{Error, Result};
