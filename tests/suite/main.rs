//! The integration suite: one test binary whose modules are the suite's parts, so the
//! crate (candle, axum, rmcp) is linked once rather than once per file. Each part runs the
//! real `plurum` binary against a real store, the real model and real servers.
//!
//! Run one part with `scripts/test.sh --test suite PART::` (for example
//! `scripts/test.sh --test suite search::`).

mod common;

mod bad_input;
mod completions;
mod contract;
mod duplicates;
mod embed;
mod endpoint;
mod experiences;
mod fake_http;
mod first_hour;
mod fuzz;
mod hooks;
mod languages;
mod layers;
mod maintenance;
mod mcp;
mod postgres;
mod quickstart;
mod rate_limits;
mod readme;
mod reliability;
mod retries;
mod search;
mod secrets;
mod serve;
mod sessions;
mod settings;
mod skill;
mod store;
mod sync;
