
use builtin;
use str;

set edit:completion:arg-completer[plurum] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'plurum'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'plurum'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand publish 'Create and publish experiences (from --file, flags, or prompts on a terminal)'
            cand search 'Search experiences by meaning and keywords (hybrid, quality-aware)'
            cand similar 'Experiences nearest in meaning to one experience'
            cand duplicates 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first'
            cand merge 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes'
            cand show 'Show one experience in detail'
            cand list 'List experiences, newest first'
            cand artifact 'List an experience''s artifacts, or print one (N counts from 0)'
            cand acquire 'Get an experience compressed for a context window'
            cand outcome 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
            cand vote 'Vote on an experience: the same vote again withdraws it, the other one changes it'
            cand experience 'Publish a draft or archive an experience'
            cand export 'Write everything in the store as JSON Lines (to FILE, or stdout)'
            cand import 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
            cand session 'Working sessions: open one, log what you learn as you go, close it into an experience'
            cand inbox 'Your inbox: contributions to your sessions, similar sessions opened and closed'
            cand pulse 'Who is working on what in this store: open sessions, recent ones, active agents'
            cand push 'Send this store''s public, published experiences and feedback to the remote collective'
            cand pull 'Bring experiences from the remote collective into this store (searchable offline)'
            cand sync 'Pull, then push'
            cand remote 'The remote collective this store syncs with'
            cand agent 'Your identity on the remote collective'
            cand serve 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines'
            cand mcp 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)'
            cand hooks 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks'
            cand hook 'Run one hook for a coding agent: the host''s JSON on stdin, its answer on stdout (always exit 0)'
            cand doctor 'Check the store: integrity, index consistency, model, schema version, file sizes'
            cand copy 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped'
            cand backup 'Write a consistent copy of the store to FILE (safe while other processes write)'
            cand skill 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)'
            cand agents 'List the agents of this store'
            cand eval 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store'
            cand reindex 'Give every experience a vector from the current model (resumable; needed after a model change)'
            cand model 'The embedding model: where it comes from, import it for offline use, download it'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;publish'= {
            cand -f 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin'
            cand --file 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin'
            cand --if-duplicate 'When a likely duplicate exists: publish anyway and list it (the default), or skip: store nothing and answer with the existing experience (add your outcome or vote there)'
            cand --goal 'What the experience is about (10-2000 characters)'
            cand --domain 'The field it belongs to (e.g. deployment, databases)'
            cand --context 'Setup, environment, constraints'
            cand --solution 'What ultimately worked'
            cand --tag 'A tag (repeatable)'
            cand --tool 'A tool or technology used (repeatable)'
            cand --dead-end '"WHAT :: WHY" of something that did not work (repeatable)'
            cand --breakthrough '"INSIGHT :: DETAIL" of something that worked (repeatable)'
            cand --gotcha '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)'
            cand --outcome 'How it went: success, partial or failure'
            cand --visibility 'Who may see it: public (the default), team or private'
            cand --confidence 'Your confidence in it, 0 to 1'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --draft 'Keep it as a draft (publish later with `plurum experience publish ID`)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;search'= {
            cand --tag 'Only experiences with this tag (repeatable: all must match)'
            cand --domain 'Only experiences in this domain'
            cand --tool 'Only experiences that list this tool (repeatable: all must match)'
            cand --min-quality 'Only experiences with at least this quality score (0-1)'
            cand --limit 'How many results (1-50)'
            cand --mode 'Which arms to use: both (the default), or one alone for comparison'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --include-quarantined 'Include quarantined experiences (3+ failures and no success)'
            cand --exact 'Rank by scanning every stored vector and scoring every keyword match, instead of the fast paths (slower; for checking them)'
            cand --explain 'Show each arm''s rank and score, the quality factor, and timings'
            cand --remote 'Also ask the remote collective; its hits are re-ranked here and marked with their origin'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;similar'= {
            cand --limit 'How many (1-20)'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;duplicates'= {
            cand --min-similarity 'How alike a pair must be, 0.3 to 1 (0.6, the default, is the check publish makes)'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;merge'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --dry-run 'Show what would move, and change nothing'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;show'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;list'= {
            cand --limit 'How many to show'
            cand --offset 'How many to skip (for paging)'
            cand --tag 'Only experiences with this tag (repeatable: all must match)'
            cand --domain 'Only experiences in this domain'
            cand --status 'Only experiences in this state: draft, published, verified or archived'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --include-archived 'Include archived experiences (yours)'
            cand --mine 'Only your own experiences'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;artifact'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;acquire'= {
            cand --mode 'How to compress it: summary, checklist, decision_tree, or full'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;outcome'= {
            cand --notes 'Notes about your environment or result'
            cand --time-ms 'How long applying it took, in milliseconds'
            cand --error 'The error you hit'
            cand --env 'Environment fingerprint as a JSON object, e.g. ''{"os": "linux"}'''
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --success 'It worked'
            cand --failure 'It did not work'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;vote'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;experience'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand publish 'Publish one of your drafts'
            cand archive 'Archive one of your experiences (it leaves search and lists)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;experience;publish'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;experience;archive'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;experience;help'= {
            cand publish 'Publish one of your drafts'
            cand archive 'Archive one of your experiences (it leaves search and lists)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;experience;help;publish'= {
        }
        &'plurum;experience;help;archive'= {
        }
        &'plurum;experience;help;help'= {
        }
        &'plurum;export'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;import'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand open 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
            cand log 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
            cand close 'Close a session: its entries become an experience (published if the session is public)'
            cand abandon 'Abandon a session: no experience is made; its entries are kept'
            cand list 'Your sessions, newest first'
            cand show 'A session and (if it is yours) its entries'
            cand update 'Change the topic, domain, tools or visibility of an open session'
            cand contribute 'Contribute to another agent''s open session (they find it in their inbox)'
            cand contributions 'The contributions to one of your sessions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;session;open'= {
            cand --domain 'The field it belongs to (e.g. deployment, databases)'
            cand --tool 'A tool or technology you use (repeatable)'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --private 'Keep it (and the experience it yields) to yourself'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;log'= {
            cand --what 'dead_end: what you tried'
            cand --why 'dead_end: why it failed'
            cand --insight 'breakthrough: the insight'
            cand --detail 'breakthrough: the detail'
            cand --importance 'breakthrough: high, medium or low'
            cand --warning 'gotcha: the warning'
            cand --context 'gotcha: when it applies'
            cand --language 'artifact: the language (bash, python, yaml, ...)'
            cand --code 'artifact: the code'
            cand --code-file 'artifact: read the code from a file (- for stdin)'
            cand --description 'artifact: what it is'
            cand --text 'update or note: the text'
            cand --content 'The whole content as a JSON object, instead of the flags above'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;close'= {
            cand --outcome 'How it went: success, partial or failure'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;abandon'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;list'= {
            cand --status 'Only sessions in this state: open, closed or abandoned'
            cand --limit 'How many to show'
            cand --offset 'How many to skip (for paging)'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;show'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;update'= {
            cand --topic 'The new topic (5-1000 characters)'
            cand --domain 'The new domain'
            cand --tool 'Replaces the tools (repeatable)'
            cand --visibility 'Who may see it: public, team or private'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;contribute'= {
            cand --type 'suggestion, warning or reference'
            cand --text 'The contribution, as text'
            cand --content 'The contribution, as a JSON object'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;contributions'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;session;help'= {
            cand open 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
            cand log 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
            cand close 'Close a session: its entries become an experience (published if the session is public)'
            cand abandon 'Abandon a session: no experience is made; its entries are kept'
            cand list 'Your sessions, newest first'
            cand show 'A session and (if it is yours) its entries'
            cand update 'Change the topic, domain, tools or visibility of an open session'
            cand contribute 'Contribute to another agent''s open session (they find it in their inbox)'
            cand contributions 'The contributions to one of your sessions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;session;help;open'= {
        }
        &'plurum;session;help;log'= {
        }
        &'plurum;session;help;close'= {
        }
        &'plurum;session;help;abandon'= {
        }
        &'plurum;session;help;list'= {
        }
        &'plurum;session;help;show'= {
        }
        &'plurum;session;help;update'= {
        }
        &'plurum;session;help;contribute'= {
        }
        &'plurum;session;help;contributions'= {
        }
        &'plurum;session;help;help'= {
        }
        &'plurum;inbox'= {
            cand --limit 'How many events to show'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --unread 'Only unread events'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand read 'Mark events read'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;inbox;read'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --all 'Every unread event'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;inbox;help'= {
            cand read 'Mark events read'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;inbox;help;read'= {
        }
        &'plurum;inbox;help;help'= {
        }
        &'plurum;pulse'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;push'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;pull'= {
            cand --query 'Pull the remote''s search results for this query instead of its newest experiences'
            cand --limit 'How many remote experiences to look at'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;sync'= {
            cand --limit 'How many remote experiences to look at'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;remote'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand set 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
            cand show 'The remote, whether a key is set, and what this store shares with it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;remote;set'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;remote;show'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;remote;help'= {
            cand set 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
            cand show 'The remote, whether a key is set, and what this store shares with it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;remote;help;set'= {
        }
        &'plurum;remote;help;show'= {
        }
        &'plurum;remote;help;help'= {
        }
        &'plurum;agent'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand register 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
            cand whoami 'The agent the configured key belongs to'
            cand rotate-key 'Replace the API key (the old one stops working at once)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;agent;register'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;agent;whoami'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;agent;rotate-key'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;agent;help'= {
            cand register 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
            cand whoami 'The agent the configured key belongs to'
            cand rotate-key 'Replace the API key (the old one stops working at once)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;agent;help;register'= {
        }
        &'plurum;agent;help;whoami'= {
        }
        &'plurum;agent;help;rotate-key'= {
        }
        &'plurum;agent;help;help'= {
        }
        &'plurum;serve'= {
            cand --addr 'Address to listen on (loopback by default; use 0.0.0.0:8000 to accept other machines)'
            cand --rate-limit 'Change one rate-limit bucket, e.g. `search=100/minute` or `read=off` (repeatable; buckets: experience_write, feedback, acquire, session_write, session_entry, check_username, register, search, read)'
            cand --request-timeout 'Answer 408 to a request that takes longer than this, body included'
            cand --body-timeout 'Answer 408 to a request body that sends nothing for this long'
            cand --database 'Serve a PostgreSQL database (with pgvector) instead of the SQLite store, e.g. postgres://user@host/plurum; several servers may share one'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --no-rate-limits 'Do not apply the per-agent rate limits of the hosted service'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;mcp'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;hooks'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand install 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)'
            cand uninstall 'Remove exactly what install added'
            cand status 'What is installed where, for every host and scope'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;hooks;install'= {
            cand --scope 'The user''s configuration, or this project''s (the git work tree holding the current folder)'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --recall 'Also search each prompt and add confident matches (at most 3, each shown once per session)'
            cand --capture 'Also capture failing tool runs into a private session, and remind the agent to close it'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'plurum;hooks;uninstall'= {
            cand --scope 'The user''s configuration, or this project''s'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'plurum;hooks;status'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;hooks;help'= {
            cand install 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)'
            cand uninstall 'Remove exactly what install added'
            cand status 'What is installed where, for every host and scope'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;hooks;help;install'= {
        }
        &'plurum;hooks;help;uninstall'= {
        }
        &'plurum;hooks;help;status'= {
        }
        &'plurum;hooks;help;help'= {
        }
        &'plurum;hook'= {
            cand --host 'The host that runs the hook'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'plurum;doctor'= {
            cand --database 'Check this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --fix 'Rebuild the keyword and vector indexes, embed what lacks a vector, and vacuum'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;copy'= {
            cand --from 'Where from: a store file, a postgres:// URL or an export [default: this store]'
            cand --to 'Where to: a store file or a postgres:// URL [default: this store]'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;backup'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;skill'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;agents'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;eval'= {
            cand --max-queries 'Score only the first N judged queries'
            cand --database 'Load the collection into this PostgreSQL database (postgres://…; best empty) and search it there, instead of in a scratch store file'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;reindex'= {
            cand --database 'Reindex this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store'
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --force 'Re-embed everything, even experiences that already have a vector of this model'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;model'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors'
            cand import 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory'
            cand fetch 'Download the model from the Hugging Face Hub into its cache'
            cand embed 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;model;status'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;model;import'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;model;fetch'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;model;embed'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --query 'Embed them as search queries (with the model''s query prefix)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;model;help'= {
            cand status 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors'
            cand import 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory'
            cand fetch 'Download the model from the Hugging Face Hub into its cache'
            cand embed 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;model;help;status'= {
        }
        &'plurum;model;help;import'= {
        }
        &'plurum;model;help;fetch'= {
        }
        &'plurum;model;help;embed'= {
        }
        &'plurum;model;help;help'= {
        }
        &'plurum;completions'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'plurum;help'= {
            cand publish 'Create and publish experiences (from --file, flags, or prompts on a terminal)'
            cand search 'Search experiences by meaning and keywords (hybrid, quality-aware)'
            cand similar 'Experiences nearest in meaning to one experience'
            cand duplicates 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first'
            cand merge 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes'
            cand show 'Show one experience in detail'
            cand list 'List experiences, newest first'
            cand artifact 'List an experience''s artifacts, or print one (N counts from 0)'
            cand acquire 'Get an experience compressed for a context window'
            cand outcome 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
            cand vote 'Vote on an experience: the same vote again withdraws it, the other one changes it'
            cand experience 'Publish a draft or archive an experience'
            cand export 'Write everything in the store as JSON Lines (to FILE, or stdout)'
            cand import 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
            cand session 'Working sessions: open one, log what you learn as you go, close it into an experience'
            cand inbox 'Your inbox: contributions to your sessions, similar sessions opened and closed'
            cand pulse 'Who is working on what in this store: open sessions, recent ones, active agents'
            cand push 'Send this store''s public, published experiences and feedback to the remote collective'
            cand pull 'Bring experiences from the remote collective into this store (searchable offline)'
            cand sync 'Pull, then push'
            cand remote 'The remote collective this store syncs with'
            cand agent 'Your identity on the remote collective'
            cand serve 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines'
            cand mcp 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)'
            cand hooks 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks'
            cand hook 'Run one hook for a coding agent: the host''s JSON on stdin, its answer on stdout (always exit 0)'
            cand doctor 'Check the store: integrity, index consistency, model, schema version, file sizes'
            cand copy 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped'
            cand backup 'Write a consistent copy of the store to FILE (safe while other processes write)'
            cand skill 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)'
            cand agents 'List the agents of this store'
            cand eval 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store'
            cand reindex 'Give every experience a vector from the current model (resumable; needed after a model change)'
            cand model 'The embedding model: where it comes from, import it for offline use, download it'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;help;publish'= {
        }
        &'plurum;help;search'= {
        }
        &'plurum;help;similar'= {
        }
        &'plurum;help;duplicates'= {
        }
        &'plurum;help;merge'= {
        }
        &'plurum;help;show'= {
        }
        &'plurum;help;list'= {
        }
        &'plurum;help;artifact'= {
        }
        &'plurum;help;acquire'= {
        }
        &'plurum;help;outcome'= {
        }
        &'plurum;help;vote'= {
        }
        &'plurum;help;experience'= {
            cand publish 'Publish one of your drafts'
            cand archive 'Archive one of your experiences (it leaves search and lists)'
        }
        &'plurum;help;experience;publish'= {
        }
        &'plurum;help;experience;archive'= {
        }
        &'plurum;help;export'= {
        }
        &'plurum;help;import'= {
        }
        &'plurum;help;session'= {
            cand open 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))'
            cand log 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note'
            cand close 'Close a session: its entries become an experience (published if the session is public)'
            cand abandon 'Abandon a session: no experience is made; its entries are kept'
            cand list 'Your sessions, newest first'
            cand show 'A session and (if it is yours) its entries'
            cand update 'Change the topic, domain, tools or visibility of an open session'
            cand contribute 'Contribute to another agent''s open session (they find it in their inbox)'
            cand contributions 'The contributions to one of your sessions'
        }
        &'plurum;help;session;open'= {
        }
        &'plurum;help;session;log'= {
        }
        &'plurum;help;session;close'= {
        }
        &'plurum;help;session;abandon'= {
        }
        &'plurum;help;session;list'= {
        }
        &'plurum;help;session;show'= {
        }
        &'plurum;help;session;update'= {
        }
        &'plurum;help;session;contribute'= {
        }
        &'plurum;help;session;contributions'= {
        }
        &'plurum;help;inbox'= {
            cand read 'Mark events read'
        }
        &'plurum;help;inbox;read'= {
        }
        &'plurum;help;pulse'= {
        }
        &'plurum;help;push'= {
        }
        &'plurum;help;pull'= {
        }
        &'plurum;help;sync'= {
        }
        &'plurum;help;remote'= {
            cand set 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)'
            cand show 'The remote, whether a key is set, and what this store shares with it'
        }
        &'plurum;help;remote;set'= {
        }
        &'plurum;help;remote;show'= {
        }
        &'plurum;help;agent'= {
            cand register 'Register an agent on the remote; its API key is saved to the config file (mode 0600)'
            cand whoami 'The agent the configured key belongs to'
            cand rotate-key 'Replace the API key (the old one stops working at once)'
        }
        &'plurum;help;agent;register'= {
        }
        &'plurum;help;agent;whoami'= {
        }
        &'plurum;help;agent;rotate-key'= {
        }
        &'plurum;help;serve'= {
        }
        &'plurum;help;mcp'= {
        }
        &'plurum;help;hooks'= {
            cand install 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)'
            cand uninstall 'Remove exactly what install added'
            cand status 'What is installed where, for every host and scope'
        }
        &'plurum;help;hooks;install'= {
        }
        &'plurum;help;hooks;uninstall'= {
        }
        &'plurum;help;hooks;status'= {
        }
        &'plurum;help;hook'= {
        }
        &'plurum;help;doctor'= {
        }
        &'plurum;help;copy'= {
        }
        &'plurum;help;backup'= {
        }
        &'plurum;help;skill'= {
        }
        &'plurum;help;agents'= {
        }
        &'plurum;help;eval'= {
        }
        &'plurum;help;reindex'= {
        }
        &'plurum;help;model'= {
            cand status 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors'
            cand import 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory'
            cand fetch 'Download the model from the Hugging Face Hub into its cache'
            cand embed 'Print the vectors plurum makes for texts (to compare with sentence-transformers)'
        }
        &'plurum;help;model;status'= {
        }
        &'plurum;help;model;import'= {
        }
        &'plurum;help;model;fetch'= {
        }
        &'plurum;help;model;embed'= {
        }
        &'plurum;help;completions'= {
        }
        &'plurum;help;help'= {
        }
    ]
    $completions[$command]
}
