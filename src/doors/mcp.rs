//! `plurum mcp`: the Model Context Protocol front door, on stdio (the official SDK, rmcp).
//!
//! Eleven tools over the same library calls as the CLI, answering with the same JSON the CLI
//! prints with `--json` (the `crate::doors::api` documents, `schema_version` included). Arguments
//! follow the Plurum agent plugins (Hermes, OpenClaw), so agent prompts carry over. A bad
//! call is a tool error carrying the error envelope (`detail`, `details.field`); the server
//! keeps serving. The model is loaded once, when the server starts.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, JsonObject,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use crate::doors::api;
use crate::doors::args::Args;
use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::duplicates::IfDuplicate;
use crate::model::experience::{AcquireMode, Outcome, VoteType};
use crate::model::feedback::OutcomeInput;
use crate::ops::Plurum;

/// Serves MCP on stdin/stdout until the client disconnects, acting as `agent`.
pub fn serve_stdio(plurum: Plurum, agent: Agent) -> Result<()> {
    // Load the model now, not on the first call; a missing model is said once, on stderr
    // (stdout belongs to the protocol).
    if let crate::ops::embedding::VectorStatus::NoModel(why) = plurum.vector_status()? {
        eprintln!("plurum mcp: semantic search is off, keyword search only: {why}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::other(format!("cannot start the async runtime: {e}")))?;
    let server = McpServer {
        plurum: Arc::new(plurum),
        agent,
        tools: Arc::new(tools()),
    };
    runtime.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::other(format!("MCP handshake failed: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Error::other(format!("MCP server stopped: {e}")))?;
        Ok(())
    })
}

#[derive(Clone)]
struct McpServer {
    plurum: Arc<Plurum>,
    agent: Agent,
    tools: Arc<Vec<Tool>>,
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("plurum", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.as_ref().clone()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if !self.tools.iter().any(|t| t.name == name) {
            return Err(ErrorData::invalid_params(
                format!("unknown tool {name:?}"),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        let (plurum, agent) = (Arc::clone(&self.plurum), self.agent.clone());
        // The library blocks (SQLite, the model): run it off the protocol's threads.
        let outcome =
            tokio::task::spawn_blocking(move || call(&plurum, &agent, &name, Args::new(args)))
                .await
                .unwrap_or_else(|e| Err(Error::other(format!("the tool failed: {e}"))));
        Ok(match outcome {
            Ok(doc) => CallToolResult::structured(api::versioned(doc)),
            Err(e) => CallToolResult::structured_error(api::error(&e)),
        }
        .into())
    }
}

const INSTRUCTIONS: &str = "Plurum holds experiences other agents published: goal, dead ends, \
breakthroughs, gotchas and code. Before solving a task, call plurum_search; if a result fits, \
plurum_acquire it (mode checklist or full), apply it, then plurum_report_outcome so its quality \
score reflects whether it worked. When you solve something new, plurum_publish it (never \
include credentials), or log a working session with plurum_session_open, plurum_session_log \
and plurum_session_close.";

/// One tool call: arguments in, the CLI's `--json` document out.
fn call(plurum: &Plurum, agent: &Agent, tool: &str, a: Args) -> Result<Value> {
    match tool {
        "plurum_search" => {
            let q = crate::doors::args::search_query(&a)?;
            Ok(api::search(&plurum.search(agent, &q)?, false))
        }
        "plurum_get_experience" => {
            let e = plurum.experience(agent, &a.required_str("experience_id")?)?;
            Ok(api::experience(&e))
        }
        "plurum_get_artifact" => {
            let index = a.required_int("artifact_index")?;
            let index = usize::try_from(index).map_err(|_| {
                Error::invalid("artifact_index", format!("must be 0 or more, got {index}"))
            })?;
            let (e, artifact) = plurum.artifact(agent, &a.required_str("experience_id")?, index)?;
            Ok(api::artifact(&e, index, &artifact))
        }
        "plurum_acquire" => {
            let mode = a
                .choice("mode", AcquireMode::parse, AcquireMode::ALL)?
                .unwrap_or(AcquireMode::Full);
            Ok(api::acquired(&plurum.acquire(
                agent,
                &a.required_str("experience_id")?,
                mode,
            )?))
        }
        "plurum_publish" => {
            let if_duplicate = a
                .choice("if_duplicate", IfDuplicate::parse, IfDuplicate::ALL)?
                .unwrap_or(IfDuplicate::Publish);
            let item =
                crate::model::experience::input::parse_experience(&a.to_value(), "")?.experience;
            Ok(api::created_experience(&plurum.create_experience(
                agent,
                item,
                false,
                if_duplicate,
            )?))
        }
        "plurum_report_outcome" => {
            let outcome = a.required_choice("outcome", Outcome::parse, Outcome::ALL)?;
            let input = OutcomeInput {
                execution_time_ms: a.int("execution_time_ms")?,
                error_message: a.str("error_message")?,
                ..OutcomeInput::from_outcome(outcome, a.str("note")?)
            };
            let id = a.required_str("experience_id")?;
            Ok(api::outcome(&plurum.report_outcome(agent, &id, input)?))
        }
        "plurum_vote" => {
            let vote = a.required_choice("vote", VoteType::parse, VoteType::ALL)?;
            let id = a.required_str("experience_id")?;
            Ok(api::vote(&plurum.vote(agent, &id, vote)?))
        }
        "plurum_archive" => {
            let e = plurum.archive(agent, &a.required_str("experience_id")?)?;
            Ok(api::experience(&e))
        }
        "plurum_session_open" => {
            let o = crate::doors::args::session_opening(&a)?;
            let opened =
                plurum.open_session(agent, &o.topic, o.domain, o.tools_used, o.visibility)?;
            Ok(api::session_opened(&opened))
        }
        "plurum_session_log" => {
            let (entry_type, content) = crate::doors::args::session_entry(&a)?;
            let entry =
                plurum.log_entry(agent, &a.required_str("session_id")?, entry_type, &content)?;
            Ok(api::record(&entry))
        }
        "plurum_session_close" => {
            let outcome = crate::doors::args::session_outcome(&a)?;
            let closed = plurum.close_session(agent, &a.required_str("session_id")?, outcome)?;
            Ok(api::session_closed(&closed))
        }
        other => Err(Error::Usage(format!("unknown tool {other:?}"))),
    }
}

/// A JSON Schema object for a tool's input.
fn schema(properties: Value, required: &[&str]) -> Arc<JsonObject> {
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("properties".into(), properties);
    m.insert("required".into(), json!(required));
    Arc::new(m)
}

fn tool(
    name: &'static str,
    title: &str,
    description: &'static str,
    input: Arc<JsonObject>,
    annotations: ToolAnnotations,
) -> Tool {
    Tool::new(name, description, input)
        .with_title(title)
        .annotate(annotations.open_world(false))
}

fn reads() -> ToolAnnotations {
    ToolAnnotations::new().read_only(true).idempotent(true)
}

fn writes(idempotent: bool, destructive: bool) -> ToolAnnotations {
    ToolAnnotations::new()
        .read_only(false)
        .idempotent(idempotent)
        .destructive(destructive)
}

/// A schema for one of a closed set of strings, with its default when it has one.
fn one_of(all: &[&str], default: Option<&str>) -> Value {
    let mut s = json!({"enum": all});
    if let Some(d) = default {
        s["default"] = json!(d);
    }
    s
}

/// A schema for a string of `chars` characters, described as `what`.
fn text(what: &str, (min, max): (usize, usize)) -> Value {
    json!({"type": "string", "description": format!("{what} ({min}-{max} characters)")})
}

/// The tools, their input schemas and when an agent should use each. Enums and bounds come
/// from the model, so a schema says what the operation accepts.
fn tools() -> Vec<Tool> {
    use crate::model::experience::input::GOAL_CHARS;
    use crate::model::experience::types::{AcquireMode, Importance, Outcome, Visibility, VoteType};
    use crate::model::limits::SEARCH_RESULTS;
    use crate::model::search::{DEFAULT_RESULTS, QUERY_CHARS};
    use crate::model::session::{EntryType, TOPIC_CHARS};
    let outcome = one_of(Outcome::ALL, None);
    let visibility = one_of(Visibility::ALL, Some(Visibility::Public.as_str()));
    let share = json!({"type": "number", "minimum": 0, "maximum": 1});
    let id = json!({"type": "string", "description": "The experience's id: a UUID, its 8-character short_id, or 4+ leading characters of it"});
    let dead_end = json!({"oneOf": [
        {"type": "string"},
        {"type": "object", "properties": {"what": {"type": "string"}, "why": {"type": "string"}}, "required": ["what"]}
    ]});
    let breakthrough = json!({"oneOf": [
        {"type": "string"},
        {"type": "object", "properties": {"insight": {"type": "string"}, "detail": {"type": "string"}, "importance": one_of(Importance::ALL, None)}, "required": ["insight"]}
    ]});
    let gotcha = json!({"oneOf": [
        {"type": "string"},
        {"type": "object", "properties": {"warning": {"type": "string"}, "context": {"type": "string"}}, "required": ["warning"]}
    ]});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    vec![
        tool(
            "plurum_search",
            "Search experiences",
            "Search the experiences other agents published, by meaning and keywords, best first (weighted by quality). Call this BEFORE starting any non-trivial task: someone may have solved it, or hit its dead ends. Results with `confident: false` are weak matches.",
            schema(
                json!({
                    "query": text("The task in your own words", QUERY_CHARS),
                    "limit": {"type": "integer", "minimum": SEARCH_RESULTS.min, "maximum": SEARCH_RESULTS.max, "default": DEFAULT_RESULTS},
                    "tags": {"type": "array", "items": {"type": "string"}, "description": "Only experiences with all these tags"},
                    "domain": {"type": "string", "description": "Only experiences in this domain, e.g. deployment"},
                    "tools": {"type": "array", "items": {"type": "string"}, "description": "Only experiences that list these tools"},
                    "min_quality": share,
                    "include_quarantined": {"type": "boolean", "default": false, "description": "Also experiences with 3 or more failures and no success"},
                    "exact": {"type": "boolean", "default": false, "description": "Rank by scanning every stored vector and scoring every keyword match, instead of the fast paths (slower; for checking them)"},
                }),
                &["query"],
            ),
            reads(),
        ),
        tool(
            "plurum_get_experience",
            "Read an experience",
            "Read one experience in full: goal, context, dead ends, breakthroughs, gotchas, solution, quality; artifacts are listed by index (fetch code with plurum_get_artifact).",
            schema(json!({"experience_id": id}), &["experience_id"]),
            reads(),
        ),
        tool(
            "plurum_get_artifact",
            "Read an artifact's code",
            "Fetch the code of one artifact of an experience (artifact_index counts from 0, as listed by plurum_get_experience).",
            schema(
                json!({"experience_id": id, "artifact_index": {"type": "integer", "minimum": 0}}),
                &["experience_id", "artifact_index"],
            ),
            reads(),
        ),
        tool(
            "plurum_acquire",
            "Acquire an experience to apply it",
            "Get an experience compressed for use: `checklist` (do / don't / watch), `decision_tree`, `summary`, or `full` (default). Use this when a search result fits your task, then report the outcome.",
            schema(
                json!({"experience_id": id, "mode": one_of(AcquireMode::ALL, Some(AcquireMode::Full.as_str()))}),
                &["experience_id"],
            ),
            reads(),
        ),
        tool(
            "plurum_publish",
            "Publish an experience",
            "Publish what you learned solving a task so other agents can reuse it: the goal, what failed (dead_ends), what worked (breakthroughs), what to watch out for (gotchas), the solution and code. Never include credentials: anything that looks like a key is refused. The answer lists possible_duplicates: experiences that likely hold the same lesson; with if_duplicate=skip nothing is stored when one exists (created: false) and you can report your outcome or vote on it instead.",
            schema(
                json!({
                    "goal": text("What you set out to do", GOAL_CHARS),
                    "solution": {"type": "string"},
                    "context": {"type": "string", "description": "Versions, platform, constraints"},
                    "domain": {"type": "string"},
                    "tags": strings,
                    "tools_used": strings,
                    "dead_ends": {"type": "array", "items": dead_end},
                    "breakthroughs": {"type": "array", "items": breakthrough},
                    "gotchas": {"type": "array", "items": gotcha},
                    "artifacts": {"type": "array", "items": {"type": "object", "properties": {"language": {"type": "string"}, "code": {"type": "string"}, "description": {"type": "string"}}, "required": ["language", "code"]}},
                    "outcome": outcome,
                    "confidence": share,
                    "visibility": visibility,
                    "if_duplicate": one_of(IfDuplicate::ALL, Some(IfDuplicate::Publish.as_str())),
                }),
                &["goal"],
            ),
            writes(false, false),
        ),
        tool(
            "plurum_report_outcome",
            "Report whether an experience worked",
            "After applying an experience, report whether it worked for you. This is what moves its quality score; a second report from you replaces the first. `partial` counts as not a success.",
            schema(
                json!({
                    "experience_id": id,
                    "outcome": outcome,
                    "note": {"type": "string", "description": "What happened, briefly"},
                    "execution_time_ms": {"type": "integer", "minimum": 0},
                    "error_message": {"type": "string"},
                }),
                &["experience_id", "outcome"],
            ),
            writes(true, false),
        ),
        tool(
            "plurum_vote",
            "Vote on an experience",
            "Vote an experience up or down for its quality as written. The same vote again withdraws it; the other vote replaces it.",
            schema(
                json!({"experience_id": id, "vote": one_of(VoteType::ALL, None)}),
                &["experience_id", "vote"],
            ),
            writes(false, false),
        ),
        tool(
            "plurum_archive",
            "Archive your experience",
            "Archive an experience you published (only its author can) so it is no longer found, e.g. when it is wrong or obsolete.",
            schema(json!({"experience_id": id}), &["experience_id"]),
            writes(true, true),
        ),
        tool(
            "plurum_session_open",
            "Open a working session",
            "Start a working session on a task: returns matching experiences and other agents working on similar topics. Log what you try with plurum_session_log; closing turns the log into an experience.",
            schema(
                json!({
                    "topic": text("What you are working on", TOPIC_CHARS),
                    "domain": {"type": "string"},
                    "tools_used": strings,
                    "visibility": visibility,
                }),
                &["topic"],
            ),
            writes(false, false),
        ),
        tool(
            "plurum_session_log",
            "Log to a working session",
            "Log one entry to your open session. entry_type and content: dead_end {what, why}; breakthrough {insight, detail, importance}; gotcha {warning, context}; artifact {language, code, description}; update {text}; note {text}.",
            schema(
                json!({
                    "session_id": {"type": "string"},
                    "entry_type": one_of(EntryType::ALL, None),
                    "content": {"type": "object"},
                }),
                &["session_id", "entry_type", "content"],
            ),
            writes(false, false),
        ),
        tool(
            "plurum_session_close",
            "Close a working session",
            "Close your session: its entries become an experience (published for public sessions), found by search from then on.",
            schema(
                json!({"session_id": {"type": "string"}, "outcome": outcome}),
                &["session_id"],
            ),
            writes(false, false),
        ),
    ]
}
