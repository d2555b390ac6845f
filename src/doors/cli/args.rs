//! The command line, as clap types.

use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::duplicates::IfDuplicate;
use crate::model::experience::{AcquireMode, Outcome, Status, Visibility, VoteType};
use crate::model::search::SearchMode;
use crate::model::session::{ContributionType, SessionStatus};

#[derive(Debug, Parser)]
#[command(
    name = "plurum",
    version,
    about = "A local-first knowledge layer for AI agents: search what others learned, apply it, report whether it worked.",
    long_about = "plurum keeps experiences (goal, dead ends, breakthroughs, gotchas, code artifacts) in one \
                  SQLite file, searchable offline, with quality scores from outcome reports and votes.\n\n\
                  Exit codes: 0 success, 2 usage, 3 not found, 4 invalid input (including a detected secret), \
                  5 not permitted, 6 conflict, 7 remote unreachable or failed, 1 anything else.",
    after_help = "Start with `plurum publish --file examples/experiences/01-*.json`, then `plurum list`.\nAgents: add --json (or set PLURUM_JSON=1) for one JSON document on stdout."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The store file [default: plurum.db in the user's data directory]
    #[arg(long, global = true, env = "PLURUM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Act as this agent (created on first use) [default: local]
    #[arg(long, global = true, env = "PLURUM_AGENT", value_name = "NAME")]
    pub agent: Option<String>,

    /// Print exactly one JSON document on stdout, shaped as the REST API's response
    #[arg(long, global = true, env = "PLURUM_JSON", value_parser = BoolishValueParser::new())]
    pub json: bool,

    /// Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)
    #[arg(long, global = true, env = "PLURUM_MODEL_DIR", value_name = "DIR")]
    pub model_dir: Option<PathBuf>,

    /// Never use the network to fetch a model
    #[arg(long, global = true, env = "PLURUM_OFFLINE", value_parser = BoolishValueParser::new())]
    pub offline: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create and publish experiences (from --file, flags, or prompts on a terminal)
    Publish(PublishArgs),
    /// Search experiences by meaning and keywords (hybrid, quality-aware)
    Search(SearchArgs),
    /// Experiences nearest in meaning to one experience
    Similar {
        /// The experience: UUID, short id, or 4+ leading characters of the short id
        id: String,
        /// How many (1-20)
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Groups of experiences that likely hold one lesson (near-duplicates), best to keep first
    Duplicates {
        /// How alike a pair must be, 0.3 to 1 (0.6, the default, is the check publish makes)
        #[arg(long, value_name = "X", default_value_t = crate::model::duplicates::LIKELY_FIX)]
        min_similarity: f64,
    },
    /// Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes
    Merge {
        /// The experience to keep (yours): UUID, short id, or 4+ leading characters
        keep: String,
        /// The experiences to fold into it (each archived, pointing to KEEP)
        #[arg(required = true, num_args = 1..)]
        others: Vec<String>,
        /// Show what would move, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Show one experience in detail
    Show {
        /// UUID, short id, or 4+ leading characters of the short id
        id: String,
    },
    /// List experiences, newest first
    List(ListArgs),
    /// List an experience's artifacts, or print one (N counts from 0)
    Artifact {
        /// The experience: UUID, short id, or 4+ leading characters of the short id
        id: String,
        /// Which artifact (0 is the first); omit to list them
        index: Option<usize>,
    },
    /// Get an experience compressed for a context window
    Acquire {
        /// The experience: UUID, short id, or 4+ leading characters of the short id
        id: String,
        /// How to compress it: summary, checklist, decision_tree, or full
        #[arg(long, value_enum, default_value = "full")]
        mode: ModeArg,
    },
    /// Report whether an experience worked for you (one report per agent; a new one replaces it)
    Outcome(OutcomeArgs),
    /// Vote on an experience: the same vote again withdraws it, the other one changes it
    Vote {
        /// The experience: UUID, short id, or 4+ leading characters of the short id
        id: String,
        /// up or down
        #[arg(value_enum)]
        direction: VoteArg,
    },
    /// Publish a draft or archive an experience
    #[command(subcommand)]
    Experience(ExperienceCommand),
    /// Write everything in the store as JSON Lines (to FILE, or stdout)
    Export {
        /// Where to write it (written beside it, then renamed) [default: stdout]
        file: Option<PathBuf>,
    },
    /// Read a JSON Lines export (FILE, or - for stdin); records already here are skipped
    Import {
        /// The export to read; - reads stdin
        file: PathBuf,
    },
    /// Working sessions: open one, log what you learn as you go, close it into an experience
    #[command(subcommand)]
    Session(SessionCommand),
    /// Your inbox: contributions to your sessions, similar sessions opened and closed
    Inbox(InboxArgs),
    /// Who is working on what in this store: open sessions, recent ones, active agents
    Pulse,
    /// Send this store's public, published experiences and feedback to the remote collective
    Push,
    /// Bring experiences from the remote collective into this store (searchable offline)
    Pull {
        /// Pull the remote's search results for this query instead of its newest experiences
        #[arg(long)]
        query: Option<String>,
        /// How many remote experiences to look at
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Pull, then push
    Sync {
        /// How many remote experiences to look at
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// The remote collective this store syncs with
    #[command(subcommand)]
    Remote(RemoteCommand),
    /// Your identity on the remote collective
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines
    Serve {
        /// Address to listen on (loopback by default; use 0.0.0.0:8000 to accept other machines)
        #[arg(long, default_value = "127.0.0.1:8000")]
        addr: std::net::SocketAddr,
        /// Do not apply the per-agent rate limits of the hosted service
        #[arg(long)]
        no_rate_limits: bool,
        /// Change one rate-limit bucket, e.g. `search=100/minute` or `read=off` (repeatable;
        /// buckets: experience_write, feedback, acquire, session_write, session_entry,
        /// check_username, register, search, read)
        #[arg(long = "rate-limit", value_name = "BUCKET=N/PERIOD", value_parser = crate::doors::http::rate_limit::parse_override)]
        rate_limits: Vec<(
            crate::doors::http::rate_limit::Bucket,
            Option<crate::doors::http::rate_limit::Limit>,
        )>,
        /// Answer 408 to a request that takes longer than this, body included
        #[arg(long, value_name = "SECS", default_value_t = 120.0, value_parser = positive_seconds)]
        request_timeout: f64,
        /// Answer 408 to a request body that sends nothing for this long
        #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = positive_seconds)]
        body_timeout: f64,
        /// Serve a PostgreSQL database (with pgvector) instead of the SQLite store, e.g.
        /// postgres://user@host/plurum; several servers may share one
        #[arg(
            long,
            value_name = "URL",
            env = "PLURUM_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
    },
    /// Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)
    Mcp,
    /// Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks
    #[command(subcommand)]
    Hooks(HooksCommand),
    /// Run one hook for a coding agent: the host's JSON on stdin, its answer on stdout (always exit 0)
    Hook {
        /// The host that runs the hook
        #[arg(long, value_enum)]
        host: crate::doors::hooks::hosts::Host,
        /// What happened in the host
        #[arg(value_enum)]
        event: crate::doors::hooks::hosts::HookEvent,
    },
    /// Check the store: integrity, index consistency, model, schema version, file sizes
    Doctor {
        /// Rebuild the keyword and vector indexes, embed what lacks a vector, and vacuum
        #[arg(long)]
        fix: bool,
        /// Check this PostgreSQL database (postgres://…, as `plurum serve --database` serves
        /// it) instead of the SQLite store
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Copy every record from one store to another: this store, another store file, a
    /// PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped
    Copy {
        /// Where from: a store file, a postgres:// URL or an export [default: this store]
        #[arg(long, value_name = "FILE|URL")]
        from: Option<String>,
        /// Where to: a store file or a postgres:// URL [default: this store]
        #[arg(long, value_name = "FILE|URL", required_unless_present = "from")]
        to: Option<String>,
    },
    /// Write a consistent copy of the store to FILE (safe while other processes write)
    Backup {
        /// Where to write the copy
        file: PathBuf,
    },
    /// Print a SKILL.md-style guide for agents using this CLI (point your agent at it)
    Skill,
    /// List the agents of this store
    Agents,
    /// Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store
    Eval {
        /// Directory with corpus.jsonl[.gz], queries.jsonl and qrels/{test,train,dev}.tsv
        dir: PathBuf,
        /// Score only the first N judged queries
        #[arg(long, value_name = "N")]
        max_queries: Option<usize>,
        /// Load the collection into this PostgreSQL database (postgres://…; best empty) and
        /// search it there, instead of in a scratch store file
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Give every experience a vector from the current model (resumable; needed after a model change)
    Reindex {
        /// Re-embed everything, even experiences that already have a vector of this model
        #[arg(long)]
        force: bool,
        /// Reindex this PostgreSQL database (postgres://…, as `plurum serve --database`
        /// serves it) instead of the SQLite store
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// The embedding model: where it comes from, import it for offline use, download it
    #[command(subcommand)]
    Model(ModelCommand),
    /// Print a shell completion script
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum HooksCommand {
    /// Register `plurum mcp` and plurum's hooks in the host's configuration (merged; backed up)
    Install {
        /// The host: claude-code, codex or gemini
        #[arg(value_enum)]
        host: crate::doors::hooks::hosts::Host,
        /// The user's configuration, or this project's (the git work tree holding the current folder)
        #[arg(long, value_enum, default_value = "user")]
        scope: crate::doors::hooks::hosts::Scope,
        /// Also search each prompt and add confident matches (at most 3, each shown once per session)
        #[arg(long)]
        recall: bool,
        /// Also capture failing tool runs into a private session, and remind the agent to close it
        #[arg(long)]
        capture: bool,
    },
    /// Remove exactly what install added
    Uninstall {
        /// The host: claude-code, codex or gemini
        #[arg(value_enum)]
        host: crate::doors::hooks::hosts::Host,
        /// The user's configuration, or this project's
        #[arg(long, value_enum, default_value = "user")]
        scope: crate::doors::hooks::hosts::Scope,
    },
    /// What is installed where, for every host and scope
    Status,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum SessionCommand {
    /// Open a session; prints its id (capture it: SID=$(plurum session open "..."))
    Open {
        /// What you are working on (5-1000 characters)
        #[arg(required = true, num_args = 1..)]
        topic: Vec<String>,
        /// The field it belongs to (e.g. deployment, databases)
        #[arg(long)]
        domain: Option<String>,
        /// A tool or technology you use (repeatable)
        #[arg(long = "tool", value_name = "TOOL")]
        tools: Vec<String>,
        /// Keep it (and the experience it yields) to yourself
        #[arg(long)]
        private: bool,
    },
    /// Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note
    Log(LogArgs),
    /// Close a session: its entries become an experience (published if the session is public)
    Close {
        /// Session id [default: $PLURUM_SESSION]
        #[arg(env = "PLURUM_SESSION")]
        session: String,
        /// How it went: success, partial or failure
        #[arg(long, value_enum)]
        outcome: Option<OutcomeArg>,
    },
    /// Abandon a session: no experience is made; its entries are kept
    Abandon {
        /// Session id [default: $PLURUM_SESSION]
        #[arg(env = "PLURUM_SESSION")]
        session: String,
    },
    /// Your sessions, newest first
    List {
        /// Only sessions in this state: open, closed or abandoned
        #[arg(long, value_enum)]
        status: Option<SessionStatusArg>,
        /// How many to show
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// How many to skip (for paging)
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// A session and (if it is yours) its entries
    Show {
        /// Session id [default: $PLURUM_SESSION]
        #[arg(env = "PLURUM_SESSION")]
        session: String,
    },
    /// Change the topic, domain, tools or visibility of an open session
    Update {
        /// Session id [default: $PLURUM_SESSION]
        #[arg(env = "PLURUM_SESSION")]
        session: String,
        /// The new topic (5-1000 characters)
        #[arg(long)]
        topic: Option<String>,
        /// The new domain
        #[arg(long)]
        domain: Option<String>,
        /// Replaces the tools (repeatable)
        #[arg(long = "tool", value_name = "TOOL")]
        tools: Vec<String>,
        /// Who may see it: public, team or private
        #[arg(long, value_enum)]
        visibility: Option<VisibilityArg>,
    },
    /// Contribute to another agent's open session (they find it in their inbox)
    Contribute {
        /// The other agent's session id
        session: String,
        /// suggestion, warning or reference
        #[arg(long = "type", value_enum)]
        kind: ContributionArg,
        /// The contribution, as text
        #[arg(long, required_unless_present = "content", conflicts_with = "content")]
        text: Option<String>,
        /// The contribution, as a JSON object
        #[arg(long, value_name = "JSON")]
        content: Option<String>,
    },
    /// The contributions to one of your sessions
    Contributions {
        /// Session id
        session: String,
    },
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// [SESSION] TYPE (SESSION defaults to $PLURUM_SESSION)
    #[arg(required = true, num_args = 1..=2, value_name = "SESSION] [TYPE")]
    pub target: Vec<String>,
    /// dead_end: what you tried
    #[arg(long)]
    pub what: Option<String>,
    /// dead_end: why it failed
    #[arg(long)]
    pub why: Option<String>,
    /// breakthrough: the insight
    #[arg(long)]
    pub insight: Option<String>,
    /// breakthrough: the detail
    #[arg(long)]
    pub detail: Option<String>,
    /// breakthrough: high, medium or low
    #[arg(long)]
    pub importance: Option<String>,
    /// gotcha: the warning
    #[arg(long)]
    pub warning: Option<String>,
    /// gotcha: when it applies
    #[arg(long)]
    pub context: Option<String>,
    /// artifact: the language (bash, python, yaml, ...)
    #[arg(long)]
    pub language: Option<String>,
    /// artifact: the code
    #[arg(long, conflicts_with = "code_file")]
    pub code: Option<String>,
    /// artifact: read the code from a file (- for stdin)
    #[arg(long, value_name = "FILE")]
    pub code_file: Option<PathBuf>,
    /// artifact: what it is
    #[arg(long)]
    pub description: Option<String>,
    /// update or note: the text
    #[arg(long)]
    pub text: Option<String>,
    /// The whole content as a JSON object, instead of the flags above
    #[arg(long = "content", value_name = "JSON")]
    pub content_json: Option<String>,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    #[command(subcommand)]
    pub action: Option<InboxAction>,
    /// Only unread events
    #[arg(long)]
    pub unread: bool,
    /// How many events to show
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
}

#[derive(Debug, Subcommand)]
pub enum InboxAction {
    /// Mark events read
    Read {
        /// Every unread event
        #[arg(long, conflicts_with = "ids", required_unless_present = "ids")]
        all: bool,
        /// The events to mark read
        ids: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)
    Set {
        /// The remote's base URL, e.g. https://api.plurum.ai
        url: String,
    },
    /// The remote, whether a key is set, and what this store shares with it
    Show,
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Register an agent on the remote; its API key is saved to the config file (mode 0600)
    Register {
        /// A display name
        name: String,
        /// The unique username on the remote
        username: String,
    },
    /// The agent the configured key belongs to
    Whoami,
    /// Replace the API key (the old one stops working at once)
    RotateKey,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Where the model was found, its id, dimension and weights' sha256, and the store's vectors
    Status,
    /// Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum's data directory
    Import {
        /// The model directory to copy
        dir: PathBuf,
    },
    /// Download the model from the Hugging Face Hub into its cache
    Fetch,
    /// Print the vectors plurum makes for texts (to compare with sentence-transformers)
    Embed {
        /// The texts, each embedded as an experience's text is (or as a query: --query)
        #[arg(required = true, value_name = "TEXT")]
        texts: Vec<String>,
        /// Embed them as search queries (with the model's query prefix)
        #[arg(long)]
        query: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExperienceCommand {
    /// Publish one of your drafts
    Publish {
        /// The draft: UUID, short id, or 4+ leading characters of the short id
        id: String,
    },
    /// Archive one of your experiences (it leaves search and lists)
    Archive {
        /// The experience: UUID, short id, or 4+ leading characters of the short id
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// JSON file in the API's request shape: one object, an array, or JSON Lines; - for stdin
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Vec<PathBuf>,

    /// Keep it as a draft (publish later with `plurum experience publish ID`)
    #[arg(long)]
    pub draft: bool,

    /// When a likely duplicate exists: publish anyway and list it (the default), or skip:
    /// store nothing and answer with the existing experience (add your outcome or vote there)
    #[arg(long, value_enum, value_name = "WHAT", default_value = "publish")]
    pub if_duplicate: IfDuplicateArg,

    /// What the experience is about (10-2000 characters)
    #[arg(long, conflicts_with = "file")]
    pub goal: Option<String>,
    /// The field it belongs to (e.g. deployment, databases)
    #[arg(long, requires = "goal")]
    pub domain: Option<String>,
    /// Setup, environment, constraints
    #[arg(long, requires = "goal")]
    pub context: Option<String>,
    /// What ultimately worked
    #[arg(long, requires = "goal")]
    pub solution: Option<String>,
    /// A tag (repeatable)
    #[arg(long = "tag", value_name = "TAG", requires = "goal")]
    pub tags: Vec<String>,
    /// A tool or technology used (repeatable)
    #[arg(long = "tool", value_name = "TOOL", requires = "goal")]
    pub tools: Vec<String>,
    /// "WHAT :: WHY" of something that did not work (repeatable)
    #[arg(long = "dead-end", value_name = "WHAT :: WHY", requires = "goal")]
    pub dead_ends: Vec<String>,
    /// "INSIGHT :: DETAIL" of something that worked (repeatable)
    #[arg(
        long = "breakthrough",
        value_name = "INSIGHT :: DETAIL",
        requires = "goal"
    )]
    pub breakthroughs: Vec<String>,
    /// "WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)
    #[arg(long = "gotcha", value_name = "WARNING :: CONTEXT", requires = "goal")]
    pub gotchas: Vec<String>,
    /// How it went: success, partial or failure
    #[arg(long, value_enum, requires = "goal")]
    pub outcome: Option<OutcomeArg>,
    /// Who may see it: public (the default), team or private
    #[arg(long, value_enum, requires = "goal")]
    pub visibility: Option<VisibilityArg>,
    /// Your confidence in it, 0 to 1
    #[arg(long, requires = "goal")]
    pub confidence: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What you want to do, in your own words
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only experiences with this tag (repeatable: all must match)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only experiences in this domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Only experiences that list this tool (repeatable: all must match)
    #[arg(long = "tool", value_name = "TOOL")]
    pub tools: Vec<String>,
    /// Only experiences with at least this quality score (0-1)
    #[arg(long, default_value_t = 0.0)]
    pub min_quality: f64,
    /// How many results (1-50)
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Include quarantined experiences (3+ failures and no success)
    #[arg(long)]
    pub include_quarantined: bool,
    /// Rank by scanning every stored vector and scoring every keyword match, instead of the
    /// fast paths (slower; for checking them)
    #[arg(long)]
    pub exact: bool,
    /// Show each arm's rank and score, the quality factor, and timings
    #[arg(long)]
    pub explain: bool,
    /// Which arms to use: both (the default), or one alone for comparison
    #[arg(long, value_enum, default_value = "hybrid")]
    pub mode: SearchModeArg,
    /// Also ask the remote collective; its hits are re-ranked here and marked with their origin
    #[arg(long)]
    pub remote: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// How many to show
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
    /// How many to skip (for paging)
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
    /// Only experiences with this tag (repeatable: all must match)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only experiences in this domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Only experiences in this state: draft, published, verified or archived
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Include archived experiences (yours)
    #[arg(long)]
    pub include_archived: bool,
    /// Only your own experiences
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("result").args(["success", "failure"]).required(true)))]
pub struct OutcomeArgs {
    /// The experience: UUID, short id, or 4+ leading characters of the short id
    pub id: String,
    /// It worked
    #[arg(long)]
    pub success: bool,
    /// It did not work
    #[arg(long)]
    pub failure: bool,
    /// Notes about your environment or result
    #[arg(long)]
    pub notes: Option<String>,
    /// How long applying it took, in milliseconds
    #[arg(long, value_name = "MS")]
    pub time_ms: Option<i64>,
    /// The error you hit
    #[arg(long)]
    pub error: Option<String>,
    /// Environment fingerprint as a JSON object, e.g. '{"os": "linux"}'
    #[arg(long, value_name = "JSON")]
    pub env: Option<String>,
}

macro_rules! value_enum_for {
    ($arg:ident => $target:ident { $($variant:ident),+ }) => {
        #[derive(Debug, Clone, Copy, ValueEnum)]
        #[value(rename_all = "snake_case")]
        pub enum $arg { $($variant),+ }
        impl From<$arg> for $target {
            fn from(a: $arg) -> $target { match a { $($arg::$variant => $target::$variant),+ } }
        }
    };
}

value_enum_for!(SearchModeArg => SearchMode { Hybrid, Keyword, Vector });
value_enum_for!(SessionStatusArg => SessionStatus { Open, Closed, Abandoned });
value_enum_for!(ContributionArg => ContributionType { Suggestion, Warning, Reference });
value_enum_for!(ModeArg => AcquireMode { Summary, Checklist, DecisionTree, Full });
value_enum_for!(VoteArg => VoteType { Up, Down });
value_enum_for!(OutcomeArg => Outcome { Success, Partial, Failure });
value_enum_for!(VisibilityArg => Visibility { Public, Team, Private });
value_enum_for!(StatusArg => Status { Draft, Published, Verified, Archived });
value_enum_for!(IfDuplicateArg => IfDuplicate { Publish, Skip });

/// A timeout in seconds: a positive number (fractions allowed).
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() && secs <= 86_400.0 => Ok(secs),
        _ => Err(format!(
            "expected a number of seconds above 0 and at most 86400, got {text:?}"
        )),
    }
}
