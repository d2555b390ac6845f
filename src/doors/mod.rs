//! The front doors: where the CLI, the HTTP API of `plurum serve` and the MCP tools turn a
//! request into an operation and its answer into output. A door reads and renders; the rules
//! live in the operations below it, so the three doors behave the same.

pub mod api;
pub mod args;
pub mod cli;
pub mod http;
pub mod mcp;
