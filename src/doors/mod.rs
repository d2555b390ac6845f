//! The front doors: where the CLI, the HTTP API of `plurum serve`, the MCP tools and a
//! coding agent's hooks turn a request into an operation and its answer into output. A door reads and renders; the rules
//! live in the operations below it, so the three doors behave the same.

pub mod api;
pub mod args;
pub mod cli;
pub mod hooks;
pub mod http;
pub mod mcp;
