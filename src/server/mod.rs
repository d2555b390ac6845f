//! `plurum serve`: the Plurum REST API over a store. STUB: being implemented.

use std::net::SocketAddr;

use crate::app::Plurum;
use crate::error::{Error, Result};

/// Settings of `plurum serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (loopback unless told otherwise).
    pub addr: SocketAddr,
    /// Apply the hosted service's per-agent rate limits (reference §5.3).
    pub rate_limits: bool,
}

/// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
pub fn run(_plurum: Plurum, _options: ServeOptions) -> Result<()> {
    Err(Error::other("plurum serve is not implemented yet"))
}
