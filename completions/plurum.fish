# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_plurum_global_optspecs
    string join \n db= agent= json model-dir= offline h/help V/version
end

function __fish_plurum_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_plurum_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_plurum_using_subcommand
    set -l cmd (__fish_plurum_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c plurum -n "__fish_plurum_needs_command" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_needs_command" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_needs_command" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_needs_command" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_needs_command" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c plurum -n "__fish_plurum_needs_command" -s V -l version -d 'Print version'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "publish" -d 'Create and publish experiences (from --file, flags, or prompts on a terminal)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "search" -d 'Search experiences by meaning and keywords (hybrid, quality-aware)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "similar" -d 'Experiences nearest in meaning to one experience'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "duplicates" -d 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "merge" -d 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "show" -d 'Show one experience in detail'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "list" -d 'List experiences, newest first'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "artifact" -d 'List an experience\'s artifacts, or print one (N counts from 0)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "acquire" -d 'Get an experience compressed for a context window'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "outcome" -d 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "vote" -d 'Vote on an experience: the same vote again withdraws it, the other one changes it'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "experience" -d 'Publish a draft or archive an experience'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "export" -d 'Write everything in the store as JSON Lines (to FILE, or stdout)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "import" -d 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "session" -d 'Working sessions: open one, log what you learn as you go, close it into an experience'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "inbox" -d 'Your inbox: contributions to your sessions, similar sessions opened and closed'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "pulse" -d 'Who is working on what in this store: open sessions, recent ones, active agents'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "push" -d 'Send this store\'s public, published experiences and feedback to the remote collective'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "pull" -d 'Bring experiences from the remote collective into this store (searchable offline)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "sync" -d 'Pull, then push'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "remote" -d 'The remote collective this store syncs with'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "agent" -d 'Your identity on the remote collective'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "serve" -d 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "mcp" -d 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "hooks" -d 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "hook" -d 'Run one hook for a coding agent: the host\'s JSON on stdin, its answer on stdout (always exit 0)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "doctor" -d 'Check the store: integrity, index consistency, model, schema version, file sizes'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "copy" -d 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "backup" -d 'Write a consistent copy of the store to FILE (safe while other processes write)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "skill" -d 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "agents" -d 'List the agents of this store'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "eval" -d 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "reindex" -d 'Give every experience a vector from the current model (resumable; needed after a model change)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "model" -d 'The embedding model: where it comes from, import it for offline use, download it'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand publish" -s f -l file -d 'JSON file in the API\'s request shape: one object, an array, or JSON Lines; - for stdin' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l if-duplicate -d 'When a likely duplicate exists: publish anyway and list it (the default), or skip: store nothing and answer with the existing experience (add your outcome or vote there)' -r -f -a "publish\t''
skip\t''"
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l goal -d 'What the experience is about (10-2000 characters)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l domain -d 'The field it belongs to (e.g. deployment, databases)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l context -d 'Setup, environment, constraints' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l solution -d 'What ultimately worked' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l tag -d 'A tag (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l tool -d 'A tool or technology used (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l dead-end -d '"WHAT :: WHY" of something that did not work (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l breakthrough -d '"INSIGHT :: DETAIL" of something that worked (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l gotcha -d '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l outcome -d 'How it went: success, partial or failure' -r -f -a "success\t''
partial\t''
failure\t''"
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l visibility -d 'Who may see it: public (the default), team or private' -r -f -a "public\t''
team\t''
private\t''"
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l confidence -d 'Your confidence in it, 0 to 1' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l draft -d 'Keep it as a draft (publish later with `plurum experience publish ID`)'
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand publish" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l tag -d 'Only experiences with this tag (repeatable: all must match)' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l domain -d 'Only experiences in this domain' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l tool -d 'Only experiences that list this tool (repeatable: all must match)' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l min-quality -d 'Only experiences with at least this quality score (0-1)' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l limit -d 'How many results (1-50)' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l mode -d 'Which arms to use: both (the default), or one alone for comparison' -r -f -a "hybrid\t''
keyword\t''
vector\t''"
complete -c plurum -n "__fish_plurum_using_subcommand search" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand search" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand search" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand search" -l include-quarantined -d 'Include quarantined experiences (3+ failures and no success)'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l exact -d 'Rank by scanning every stored vector and scoring every keyword match, instead of the fast paths (slower; for checking them)'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l explain -d 'Show each arm\'s rank and score, the quality factor, and timings'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l remote -d 'Also ask the remote collective; its hits are re-ranked here and marked with their origin'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand search" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand search" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l limit -d 'How many (1-20)' -r
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand similar" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand similar" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l min-similarity -d 'How alike a pair must be, 0.3 to 1 (0.6, the default, is the check publish makes)' -r
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand duplicates" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l dry-run -d 'Show what would move, and change nothing'
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand merge" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand merge" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand show" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand show" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand show" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand show" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand show" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand show" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand list" -l limit -d 'How many to show' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l offset -d 'How many to skip (for paging)' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l tag -d 'Only experiences with this tag (repeatable: all must match)' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l domain -d 'Only experiences in this domain' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l status -d 'Only experiences in this state: draft, published, verified or archived' -r -f -a "draft\t''
published\t''
verified\t''
archived\t''"
complete -c plurum -n "__fish_plurum_using_subcommand list" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand list" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand list" -l include-archived -d 'Include archived experiences (yours)'
complete -c plurum -n "__fish_plurum_using_subcommand list" -l mine -d 'Only your own experiences'
complete -c plurum -n "__fish_plurum_using_subcommand list" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand list" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand list" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand artifact" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l mode -d 'How to compress it: summary, checklist, decision_tree, or full' -r -f -a "summary\t''
checklist\t''
decision_tree\t''
full\t''"
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l notes -d 'Notes about your environment or result' -r
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l time-ms -d 'How long applying it took, in milliseconds' -r
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l error -d 'The error you hit' -r
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l env -d 'Environment fingerprint as a JSON object, e.g. \'{"os": "linux"}\'' -r
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l success -d 'It worked'
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l failure -d 'It did not work'
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand outcome" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand vote" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand vote" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand vote" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand vote" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand vote" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand vote" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -f -a "publish" -d 'Publish one of your drafts'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -f -a "archive" -d 'Archive one of your experiences (it leaves search and lists)'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and not __fish_seen_subcommand_from publish archive help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from publish" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from archive" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from help" -f -a "publish" -d 'Publish one of your drafts'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from help" -f -a "archive" -d 'Archive one of your experiences (it leaves search and lists)'
complete -c plurum -n "__fish_plurum_using_subcommand experience; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand export" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand export" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand export" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand export" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand export" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand export" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand import" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand import" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand import" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand import" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand import" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand import" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "open" -d 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "log" -d 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "close" -d 'Close a session: its entries become an experience (published if the session is public)'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "abandon" -d 'Abandon a session: no experience is made; its entries are kept'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "list" -d 'Your sessions, newest first'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "show" -d 'A session and (if it is yours) its entries'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "update" -d 'Change the topic, domain, tools or visibility of an open session'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "contribute" -d 'Contribute to another agent\'s open session (they find it in their inbox)'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "contributions" -d 'The contributions to one of your sessions'
complete -c plurum -n "__fish_plurum_using_subcommand session; and not __fish_seen_subcommand_from open log close abandon list show update contribute contributions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l domain -d 'The field it belongs to (e.g. deployment, databases)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l tool -d 'A tool or technology you use (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l private -d 'Keep it (and the experience it yields) to yourself'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l what -d 'dead_end: what you tried' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l why -d 'dead_end: why it failed' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l insight -d 'breakthrough: the insight' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l detail -d 'breakthrough: the detail' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l importance -d 'breakthrough: high, medium or low' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l warning -d 'gotcha: the warning' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l context -d 'gotcha: when it applies' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l language -d 'artifact: the language (bash, python, yaml, ...)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l code -d 'artifact: the code' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l code-file -d 'artifact: read the code from a file (- for stdin)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l description -d 'artifact: what it is' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l text -d 'update or note: the text' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l content -d 'The whole content as a JSON object, instead of the flags above' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l outcome -d 'How it went: success, partial or failure' -r -f -a "success\t''
partial\t''
failure\t''"
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from abandon" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l status -d 'Only sessions in this state: open, closed or abandoned' -r -f -a "open\t''
closed\t''
abandoned\t''"
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l limit -d 'How many to show' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l offset -d 'How many to skip (for paging)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l topic -d 'The new topic (5-1000 characters)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l domain -d 'The new domain' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l tool -d 'Replaces the tools (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l visibility -d 'Who may see it: public, team or private' -r -f -a "public\t''
team\t''
private\t''"
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l type -d 'suggestion, warning or reference' -r -f -a "suggestion\t''
warning\t''
reference\t''"
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l text -d 'The contribution, as text' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l content -d 'The contribution, as a JSON object' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contribute" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from contributions" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "open" -d 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "log" -d 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close a session: its entries become an experience (published if the session is public)'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "abandon" -d 'Abandon a session: no experience is made; its entries are kept'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'Your sessions, newest first'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "show" -d 'A session and (if it is yours) its entries'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change the topic, domain, tools or visibility of an open session'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "contribute" -d 'Contribute to another agent\'s open session (they find it in their inbox)'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "contributions" -d 'The contributions to one of your sessions'
complete -c plurum -n "__fish_plurum_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l limit -d 'How many events to show' -r
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l unread -d 'Only unread events'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -f -a "read" -d 'Mark events read'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and not __fish_seen_subcommand_from read help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l all -d 'Every unread event'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from read" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from help" -f -a "read" -d 'Mark events read'
complete -c plurum -n "__fish_plurum_using_subcommand inbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand pulse" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand push" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand push" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand push" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand push" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand push" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand push" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l query -d 'Pull the remote\'s search results for this query instead of its newest experiences' -r
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l limit -d 'How many remote experiences to look at' -r
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand pull" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand pull" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l limit -d 'How many remote experiences to look at' -r
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand sync" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand sync" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -f -a "set" -d 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -f -a "show" -d 'The remote, whether a key is set, and what this store shares with it'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and not __fish_seen_subcommand_from set show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "set" -d 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "show" -d 'The remote, whether a key is set, and what this store shares with it'
complete -c plurum -n "__fish_plurum_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -f -a "register" -d 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -f -a "whoami" -d 'The agent the configured key belongs to'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -f -a "rotate-key" -d 'Replace the API key (the old one stops working at once)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and not __fish_seen_subcommand_from register whoami rotate-key help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from register" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from whoami" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from rotate-key" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "register" -d 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "whoami" -d 'The agent the configured key belongs to'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "rotate-key" -d 'Replace the API key (the old one stops working at once)'
complete -c plurum -n "__fish_plurum_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l addr -d 'Address to listen on (loopback by default; use 0.0.0.0:8000 to accept other machines)' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l rate-limit -d 'Change one rate-limit bucket, e.g. `search=100/minute` or `read=off` (repeatable; buckets: experience_write, feedback, acquire, session_write, session_entry, check_username, register, search, read)' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l request-timeout -d 'Answer 408 to a request that takes longer than this, body included' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l body-timeout -d 'Answer 408 to a request body that sends nothing for this long' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l database -d 'Serve a PostgreSQL database (with pgvector) instead of the SQLite store, e.g. postgres://user@host/plurum; several servers may share one' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l no-rate-limits -d 'Do not apply the per-agent rate limits of the hosted service'
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand serve" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand serve" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand mcp" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -f -a "install" -d 'Register `plurum mcp` and plurum\'s hooks in the host\'s configuration (merged; backed up)'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -f -a "uninstall" -d 'Remove exactly what install added'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -f -a "status" -d 'What is installed where, for every host and scope'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l scope -d 'The user\'s configuration, or this project\'s (the git work tree holding the current folder)' -r -f -a "user\t''
project\t''"
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l recall -d 'Also search each prompt and add confident matches (at most 3, each shown once per session)'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l capture -d 'Also capture failing tool runs into a private session, and remind the agent to close it'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l scope -d 'The user\'s configuration, or this project\'s' -r -f -a "user\t''
project\t''"
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "install" -d 'Register `plurum mcp` and plurum\'s hooks in the host\'s configuration (merged; backed up)'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove exactly what install added'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "status" -d 'What is installed where, for every host and scope'
complete -c plurum -n "__fish_plurum_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l host -d 'The host that runs the hook' -r -f -a "claude-code\t'Claude Code'
codex\t'OpenAI Codex CLI'
gemini\t'Gemini CLI'"
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand hook" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand hook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l database -d 'Check this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store' -r
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l fix -d 'Rebuild the keyword and vector indexes, embed what lacks a vector, and vacuum'
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l from -d 'Where from: a store file, a postgres:// URL or an export [default: this store]' -r
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l to -d 'Where to: a store file or a postgres:// URL [default: this store]' -r
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand copy" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand copy" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand backup" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand backup" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand backup" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand backup" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand backup" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand backup" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand skill" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand skill" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand skill" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand skill" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand skill" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand skill" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agents" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l max-queries -d 'Score only the first N judged queries' -r
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l database -d 'Load the collection into this PostgreSQL database (postgres://…; best empty) and search it there, instead of in a scratch store file' -r
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand eval" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand eval" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l database -d 'Reindex this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store' -r
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l force -d 'Re-embed everything, even experiences that already have a vector of this model'
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand reindex" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -f -a "status" -d 'Where the model was found, its id, dimension and weights\' sha256, and the store\'s vectors'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -f -a "import" -d 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum\'s data directory'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -f -a "fetch" -d 'Download the model from the Hugging Face Hub into its cache'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -f -a "embed" -d 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
complete -c plurum -n "__fish_plurum_using_subcommand model; and not __fish_seen_subcommand_from status import fetch embed help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l query -d 'Embed them as search queries (with the model\'s query prefix)'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from embed" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "status" -d 'Where the model was found, its id, dimension and weights\' sha256, and the store\'s vectors'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "import" -d 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum\'s data directory'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Download the model from the Hugging Face Hub into its cache'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "embed" -d 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
complete -c plurum -n "__fish_plurum_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "publish" -d 'Create and publish experiences (from --file, flags, or prompts on a terminal)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "search" -d 'Search experiences by meaning and keywords (hybrid, quality-aware)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "similar" -d 'Experiences nearest in meaning to one experience'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "duplicates" -d 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "merge" -d 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "show" -d 'Show one experience in detail'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "list" -d 'List experiences, newest first'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "artifact" -d 'List an experience\'s artifacts, or print one (N counts from 0)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "acquire" -d 'Get an experience compressed for a context window'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "outcome" -d 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "vote" -d 'Vote on an experience: the same vote again withdraws it, the other one changes it'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "experience" -d 'Publish a draft or archive an experience'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "export" -d 'Write everything in the store as JSON Lines (to FILE, or stdout)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "import" -d 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "session" -d 'Working sessions: open one, log what you learn as you go, close it into an experience'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "inbox" -d 'Your inbox: contributions to your sessions, similar sessions opened and closed'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "pulse" -d 'Who is working on what in this store: open sessions, recent ones, active agents'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "push" -d 'Send this store\'s public, published experiences and feedback to the remote collective'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "pull" -d 'Bring experiences from the remote collective into this store (searchable offline)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "sync" -d 'Pull, then push'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "remote" -d 'The remote collective this store syncs with'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "agent" -d 'Your identity on the remote collective'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "serve" -d 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "mcp" -d 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "hooks" -d 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "hook" -d 'Run one hook for a coding agent: the host\'s JSON on stdin, its answer on stdout (always exit 0)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "doctor" -d 'Check the store: integrity, index consistency, model, schema version, file sizes'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "copy" -d 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "backup" -d 'Write a consistent copy of the store to FILE (safe while other processes write)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "skill" -d 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "agents" -d 'List the agents of this store'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "eval" -d 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "reindex" -d 'Give every experience a vector from the current model (resumable; needed after a model change)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "model" -d 'The embedding model: where it comes from, import it for offline use, download it'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish search similar duplicates merge show list artifact acquire outcome vote experience export import session inbox pulse push pull sync remote agent serve mcp hooks hook doctor copy backup skill agents eval reindex model completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from experience" -f -a "publish" -d 'Publish one of your drafts'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from experience" -f -a "archive" -d 'Archive one of your experiences (it leaves search and lists)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "open" -d 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "log" -d 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "close" -d 'Close a session: its entries become an experience (published if the session is public)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "abandon" -d 'Abandon a session: no experience is made; its entries are kept'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'Your sessions, newest first'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "show" -d 'A session and (if it is yours) its entries'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "update" -d 'Change the topic, domain, tools or visibility of an open session'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "contribute" -d 'Contribute to another agent\'s open session (they find it in their inbox)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "contributions" -d 'The contributions to one of your sessions'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from inbox" -f -a "read" -d 'Mark events read'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "set" -d 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "show" -d 'The remote, whether a key is set, and what this store shares with it'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "register" -d 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "whoami" -d 'The agent the configured key belongs to'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "rotate-key" -d 'Replace the API key (the old one stops working at once)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "install" -d 'Register `plurum mcp` and plurum\'s hooks in the host\'s configuration (merged; backed up)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "uninstall" -d 'Remove exactly what install added'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "status" -d 'What is installed where, for every host and scope'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "status" -d 'Where the model was found, its id, dimension and weights\' sha256, and the store\'s vectors'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "import" -d 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum\'s data directory'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "fetch" -d 'Download the model from the Hugging Face Hub into its cache'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "embed" -d 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
