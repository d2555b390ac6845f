//! `plurum mcp`: the Model Context Protocol front door (stdio). STUB: being implemented.

use crate::agent::Agent;
use crate::app::Plurum;
use crate::error::{Error, Result};

/// Serves MCP on stdin/stdout until the client disconnects, acting as `agent`.
pub fn serve_stdio(_plurum: Plurum, _agent: Agent) -> Result<()> {
    Err(Error::other("plurum mcp is not implemented yet"))
}
