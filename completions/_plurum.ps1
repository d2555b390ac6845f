
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'plurum' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'plurum'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'plurum' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Create and publish experiences (from --file, flags, or prompts on a terminal)')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search experiences by meaning and keywords (hybrid, quality-aware)')
            [CompletionResult]::new('similar', 'similar', [CompletionResultType]::ParameterValue, 'Experiences nearest in meaning to one experience')
            [CompletionResult]::new('duplicates', 'duplicates', [CompletionResultType]::ParameterValue, 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one experience in detail')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiences, newest first')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'List an experience''s artifacts, or print one (N counts from 0)')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Get an experience compressed for a context window')
            [CompletionResult]::new('outcome', 'outcome', [CompletionResultType]::ParameterValue, 'Report whether an experience worked for you (one report per agent; a new one replaces it)')
            [CompletionResult]::new('vote', 'vote', [CompletionResultType]::ParameterValue, 'Vote on an experience: the same vote again withdraws it, the other one changes it')
            [CompletionResult]::new('experience', 'experience', [CompletionResultType]::ParameterValue, 'Publish a draft or archive an experience')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write everything in the store as JSON Lines (to FILE, or stdout)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Working sessions: open one, log what you learn as you go, close it into an experience')
            [CompletionResult]::new('inbox', 'inbox', [CompletionResultType]::ParameterValue, 'Your inbox: contributions to your sessions, similar sessions opened and closed')
            [CompletionResult]::new('pulse', 'pulse', [CompletionResultType]::ParameterValue, 'Who is working on what in this store: open sessions, recent ones, active agents')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send this store''s public, published experiences and feedback to the remote collective')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Bring experiences from the remote collective into this store (searchable offline)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Pull, then push')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'The remote collective this store syncs with')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Your identity on the remote collective')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)')
            [CompletionResult]::new('hooks', 'hooks', [CompletionResultType]::ParameterValue, 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Run one hook for a coding agent: the host''s JSON on stdin, its answer on stdout (always exit 0)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store: integrity, index consistency, model, schema version, file sizes')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the store to FILE (safe while other processes write)')
            [CompletionResult]::new('skill', 'skill', [CompletionResultType]::ParameterValue, 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'List the agents of this store')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Give every experience a vector from the current model (resumable; needed after a model change)')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'The embedding model: where it comes from, import it for offline use, download it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;publish' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin')
            [CompletionResult]::new('--if-duplicate', '--if-duplicate', [CompletionResultType]::ParameterName, 'When a likely duplicate exists: publish anyway and list it (the default), or skip: store nothing and answer with the existing experience (add your outcome or vote there)')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'What the experience is about (10-2000 characters)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The field it belongs to (e.g. deployment, databases)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Setup, environment, constraints')
            [CompletionResult]::new('--solution', '--solution', [CompletionResultType]::ParameterName, 'What ultimately worked')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'A tag (repeatable)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'A tool or technology used (repeatable)')
            [CompletionResult]::new('--dead-end', '--dead-end', [CompletionResultType]::ParameterName, '"WHAT :: WHY" of something that did not work (repeatable)')
            [CompletionResult]::new('--breakthrough', '--breakthrough', [CompletionResultType]::ParameterName, '"INSIGHT :: DETAIL" of something that worked (repeatable)')
            [CompletionResult]::new('--gotcha', '--gotcha', [CompletionResultType]::ParameterName, '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'How it went: success, partial or failure')
            [CompletionResult]::new('--visibility', '--visibility', [CompletionResultType]::ParameterName, 'Who may see it: public (the default), team or private')
            [CompletionResult]::new('--confidence', '--confidence', [CompletionResultType]::ParameterName, 'Your confidence in it, 0 to 1')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--draft', '--draft', [CompletionResultType]::ParameterName, 'Keep it as a draft (publish later with `plurum experience publish ID`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;search' {
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only experiences with this tag (repeatable: all must match)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Only experiences in this domain')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Only experiences that list this tool (repeatable: all must match)')
            [CompletionResult]::new('--min-quality', '--min-quality', [CompletionResultType]::ParameterName, 'Only experiences with at least this quality score (0-1)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many results (1-50)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Which arms to use: both (the default), or one alone for comparison')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--include-quarantined', '--include-quarantined', [CompletionResultType]::ParameterName, 'Include quarantined experiences (3+ failures and no success)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, 'Rank by scanning every stored vector and scoring every keyword match, instead of the fast paths (slower; for checking them)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show each arm''s rank and score, the quality factor, and timings')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Also ask the remote collective; its hits are re-ranked here and marked with their origin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;similar' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many (1-20)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;duplicates' {
            [CompletionResult]::new('--min-similarity', '--min-similarity', [CompletionResultType]::ParameterName, 'How alike a pair must be, 0.3 to 1 (0.6, the default, is the check publish makes)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;merge' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would move, and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;list' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many to show')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'How many to skip (for paging)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only experiences with this tag (repeatable: all must match)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Only experiences in this domain')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only experiences in this state: draft, published, verified or archived')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--include-archived', '--include-archived', [CompletionResultType]::ParameterName, 'Include archived experiences (yours)')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only your own experiences')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;artifact' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;acquire' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'How to compress it: summary, checklist, decision_tree, or full')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;outcome' {
            [CompletionResult]::new('--notes', '--notes', [CompletionResultType]::ParameterName, 'Notes about your environment or result')
            [CompletionResult]::new('--time-ms', '--time-ms', [CompletionResultType]::ParameterName, 'How long applying it took, in milliseconds')
            [CompletionResult]::new('--error', '--error', [CompletionResultType]::ParameterName, 'The error you hit')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment fingerprint as a JSON object, e.g. ''{"os": "linux"}''')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--success', '--success', [CompletionResultType]::ParameterName, 'It worked')
            [CompletionResult]::new('--failure', '--failure', [CompletionResultType]::ParameterName, 'It did not work')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;vote' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;experience' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish one of your drafts')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive one of your experiences (it leaves search and lists)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;experience;publish' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;experience;archive' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;experience;help' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish one of your drafts')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive one of your experiences (it leaves search and lists)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;experience;help;publish' {
            break
        }
        'plurum;experience;help;archive' {
            break
        }
        'plurum;experience;help;help' {
            break
        }
        'plurum;export' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a session: its entries become an experience (published if the session is public)')
            [CompletionResult]::new('abandon', 'abandon', [CompletionResultType]::ParameterValue, 'Abandon a session: no experience is made; its entries are kept')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Your sessions, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session and (if it is yours) its entries')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change the topic, domain, tools or visibility of an open session')
            [CompletionResult]::new('contribute', 'contribute', [CompletionResultType]::ParameterValue, 'Contribute to another agent''s open session (they find it in their inbox)')
            [CompletionResult]::new('contributions', 'contributions', [CompletionResultType]::ParameterValue, 'The contributions to one of your sessions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;session;open' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The field it belongs to (e.g. deployment, databases)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'A tool or technology you use (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--private', '--private', [CompletionResultType]::ParameterName, 'Keep it (and the experience it yields) to yourself')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;log' {
            [CompletionResult]::new('--what', '--what', [CompletionResultType]::ParameterName, 'dead_end: what you tried')
            [CompletionResult]::new('--why', '--why', [CompletionResultType]::ParameterName, 'dead_end: why it failed')
            [CompletionResult]::new('--insight', '--insight', [CompletionResultType]::ParameterName, 'breakthrough: the insight')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'breakthrough: the detail')
            [CompletionResult]::new('--importance', '--importance', [CompletionResultType]::ParameterName, 'breakthrough: high, medium or low')
            [CompletionResult]::new('--warning', '--warning', [CompletionResultType]::ParameterName, 'gotcha: the warning')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'gotcha: when it applies')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'artifact: the language (bash, python, yaml, ...)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'artifact: the code')
            [CompletionResult]::new('--code-file', '--code-file', [CompletionResultType]::ParameterName, 'artifact: read the code from a file (- for stdin)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'artifact: what it is')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'update or note: the text')
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The whole content as a JSON object, instead of the flags above')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;close' {
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'How it went: success, partial or failure')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;abandon' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only sessions in this state: open, closed or abandoned')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many to show')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'How many to skip (for paging)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;update' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The new topic (5-1000 characters)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The new domain')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Replaces the tools (repeatable)')
            [CompletionResult]::new('--visibility', '--visibility', [CompletionResultType]::ParameterName, 'Who may see it: public, team or private')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;contribute' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'suggestion, warning or reference')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'The contribution, as text')
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The contribution, as a JSON object')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;contributions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;session;help' {
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a session: its entries become an experience (published if the session is public)')
            [CompletionResult]::new('abandon', 'abandon', [CompletionResultType]::ParameterValue, 'Abandon a session: no experience is made; its entries are kept')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Your sessions, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session and (if it is yours) its entries')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change the topic, domain, tools or visibility of an open session')
            [CompletionResult]::new('contribute', 'contribute', [CompletionResultType]::ParameterValue, 'Contribute to another agent''s open session (they find it in their inbox)')
            [CompletionResult]::new('contributions', 'contributions', [CompletionResultType]::ParameterValue, 'The contributions to one of your sessions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;session;help;open' {
            break
        }
        'plurum;session;help;log' {
            break
        }
        'plurum;session;help;close' {
            break
        }
        'plurum;session;help;abandon' {
            break
        }
        'plurum;session;help;list' {
            break
        }
        'plurum;session;help;show' {
            break
        }
        'plurum;session;help;update' {
            break
        }
        'plurum;session;help;contribute' {
            break
        }
        'plurum;session;help;contributions' {
            break
        }
        'plurum;session;help;help' {
            break
        }
        'plurum;inbox' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many events to show')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--unread', '--unread', [CompletionResultType]::ParameterName, 'Only unread events')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Mark events read')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;inbox;read' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every unread event')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;inbox;help' {
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Mark events read')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;inbox;help;read' {
            break
        }
        'plurum;inbox;help;help' {
            break
        }
        'plurum;pulse' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;push' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;pull' {
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Pull the remote''s search results for this query instead of its newest experiences')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many remote experiences to look at')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;sync' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many remote experiences to look at')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;remote' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The remote, whether a key is set, and what this store shares with it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;remote;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;remote;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;remote;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The remote, whether a key is set, and what this store shares with it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;remote;help;set' {
            break
        }
        'plurum;remote;help;show' {
            break
        }
        'plurum;remote;help;help' {
            break
        }
        'plurum;agent' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register an agent on the remote; its API key is saved to the config file (mode 0600)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'The agent the configured key belongs to')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Replace the API key (the old one stops working at once)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;agent;register' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;agent;whoami' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;agent;rotate-key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;agent;help' {
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register an agent on the remote; its API key is saved to the config file (mode 0600)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'The agent the configured key belongs to')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Replace the API key (the old one stops working at once)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;agent;help;register' {
            break
        }
        'plurum;agent;help;whoami' {
            break
        }
        'plurum;agent;help;rotate-key' {
            break
        }
        'plurum;agent;help;help' {
            break
        }
        'plurum;serve' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on (loopback by default; use 0.0.0.0:8000 to accept other machines)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Change one rate-limit bucket, e.g. `search=100/minute` or `read=off` (repeatable; buckets: experience_write, feedback, acquire, session_write, session_entry, check_username, register, search, read)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Answer 408 to a request that takes longer than this, body included')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Answer 408 to a request body that sends nothing for this long')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Serve a PostgreSQL database (with pgvector) instead of the SQLite store, e.g. postgres://user@host/plurum; several servers may share one')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--no-rate-limits', '--no-rate-limits', [CompletionResultType]::ParameterName, 'Do not apply the per-agent rate limits of the hosted service')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;mcp' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;hooks' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove exactly what install added')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'What is installed where, for every host and scope')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;hooks;install' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'The user''s configuration, or this project''s (the git work tree holding the current folder)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--recall', '--recall', [CompletionResultType]::ParameterName, 'Also search each prompt and add confident matches (at most 3, each shown once per session)')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'Also capture failing tool runs into a private session, and remind the agent to close it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'plurum;hooks;uninstall' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'The user''s configuration, or this project''s')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'plurum;hooks;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;hooks;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove exactly what install added')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'What is installed where, for every host and scope')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;hooks;help;install' {
            break
        }
        'plurum;hooks;help;uninstall' {
            break
        }
        'plurum;hooks;help;status' {
            break
        }
        'plurum;hooks;help;help' {
            break
        }
        'plurum;hook' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host that runs the hook')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'plurum;doctor' {
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Check this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Rebuild the keyword and vector indexes, embed what lacks a vector, and vacuum')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;copy' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where from: a store file, a postgres:// URL or an export [default: this store]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to: a store file or a postgres:// URL [default: this store]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;backup' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;skill' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;agents' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;eval' {
            [CompletionResult]::new('--max-queries', '--max-queries', [CompletionResultType]::ParameterName, 'Score only the first N judged queries')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Load the collection into this PostgreSQL database (postgres://…; best empty) and search it there, instead of in a scratch store file')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;reindex' {
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Reindex this PostgreSQL database (postgres://…, as `plurum serve --database` serves it) instead of the SQLite store')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Re-embed everything, even experiences that already have a vector of this model')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;model' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download the model from the Hugging Face Hub into its cache')
            [CompletionResult]::new('embed', 'embed', [CompletionResultType]::ParameterValue, 'Print the vectors plurum makes for texts (to compare with sentence-transformers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;model;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;model;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;model;fetch' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;model;embed' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Embed them as search queries (with the model''s query prefix)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;model;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download the model from the Hugging Face Hub into its cache')
            [CompletionResult]::new('embed', 'embed', [CompletionResultType]::ParameterValue, 'Print the vectors plurum makes for texts (to compare with sentence-transformers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;model;help;status' {
            break
        }
        'plurum;model;help;import' {
            break
        }
        'plurum;model;help;fetch' {
            break
        }
        'plurum;model;help;embed' {
            break
        }
        'plurum;model;help;help' {
            break
        }
        'plurum;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store file [default: plurum.db in the user''s data directory]')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Act as this agent (created on first use) [default: local]')
            [CompletionResult]::new('--model-dir', '--model-dir', [CompletionResultType]::ParameterName, 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, shaped as the REST API''s response')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never use the network to fetch a model')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'plurum;help' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Create and publish experiences (from --file, flags, or prompts on a terminal)')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search experiences by meaning and keywords (hybrid, quality-aware)')
            [CompletionResult]::new('similar', 'similar', [CompletionResultType]::ParameterValue, 'Experiences nearest in meaning to one experience')
            [CompletionResult]::new('duplicates', 'duplicates', [CompletionResultType]::ParameterValue, 'Groups of experiences that likely hold one lesson (near-duplicates), best to keep first')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Fold near-duplicates into one experience: lessons, artifacts, outcome reports and votes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one experience in detail')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiences, newest first')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'List an experience''s artifacts, or print one (N counts from 0)')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Get an experience compressed for a context window')
            [CompletionResult]::new('outcome', 'outcome', [CompletionResultType]::ParameterValue, 'Report whether an experience worked for you (one report per agent; a new one replaces it)')
            [CompletionResult]::new('vote', 'vote', [CompletionResultType]::ParameterValue, 'Vote on an experience: the same vote again withdraws it, the other one changes it')
            [CompletionResult]::new('experience', 'experience', [CompletionResultType]::ParameterValue, 'Publish a draft or archive an experience')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write everything in the store as JSON Lines (to FILE, or stdout)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Working sessions: open one, log what you learn as you go, close it into an experience')
            [CompletionResult]::new('inbox', 'inbox', [CompletionResultType]::ParameterValue, 'Your inbox: contributions to your sessions, similar sessions opened and closed')
            [CompletionResult]::new('pulse', 'pulse', [CompletionResultType]::ParameterValue, 'Who is working on what in this store: open sessions, recent ones, active agents')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send this store''s public, published experiences and feedback to the remote collective')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Bring experiences from the remote collective into this store (searchable offline)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Pull, then push')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'The remote collective this store syncs with')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Your identity on the remote collective')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve this store over HTTP as the Plurum REST API (/api/v1), for a team or other machines')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the Model Context Protocol on stdin/stdout (for agent hosts such as Claude Desktop)')
            [CompletionResult]::new('hooks', 'hooks', [CompletionResultType]::ParameterValue, 'Wire plurum into a coding agent (Claude Code, Codex, Gemini CLI): its MCP server and hooks')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Run one hook for a coding agent: the host''s JSON on stdin, its answer on stdout (always exit 0)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store: integrity, index consistency, model, schema version, file sizes')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every record from one store to another: this store, another store file, a PostgreSQL database (postgres://…) or, as a source, an export. What is there is skipped')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the store to FILE (safe while other processes write)')
            [CompletionResult]::new('skill', 'skill', [CompletionResultType]::ParameterValue, 'Print a SKILL.md-style guide for agents using this CLI (point your agent at it)')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'List the agents of this store')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Measure search quality (nDCG@10 per mode) on a BEIR-layout collection, in a scratch store')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Give every experience a vector from the current model (resumable; needed after a model change)')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'The embedding model: where it comes from, import it for offline use, download it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;help;publish' {
            break
        }
        'plurum;help;search' {
            break
        }
        'plurum;help;similar' {
            break
        }
        'plurum;help;duplicates' {
            break
        }
        'plurum;help;merge' {
            break
        }
        'plurum;help;show' {
            break
        }
        'plurum;help;list' {
            break
        }
        'plurum;help;artifact' {
            break
        }
        'plurum;help;acquire' {
            break
        }
        'plurum;help;outcome' {
            break
        }
        'plurum;help;vote' {
            break
        }
        'plurum;help;experience' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish one of your drafts')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive one of your experiences (it leaves search and lists)')
            break
        }
        'plurum;help;experience;publish' {
            break
        }
        'plurum;help;experience;archive' {
            break
        }
        'plurum;help;export' {
            break
        }
        'plurum;help;import' {
            break
        }
        'plurum;help;session' {
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'Open a session; prints its id (capture it: SID=$(plurum session open "..."))')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Log an entry: [SESSION] TYPE, with TYPE one of update, dead_end, breakthrough, gotcha, artifact, note')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a session: its entries become an experience (published if the session is public)')
            [CompletionResult]::new('abandon', 'abandon', [CompletionResultType]::ParameterValue, 'Abandon a session: no experience is made; its entries are kept')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Your sessions, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session and (if it is yours) its entries')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change the topic, domain, tools or visibility of an open session')
            [CompletionResult]::new('contribute', 'contribute', [CompletionResultType]::ParameterValue, 'Contribute to another agent''s open session (they find it in their inbox)')
            [CompletionResult]::new('contributions', 'contributions', [CompletionResultType]::ParameterValue, 'The contributions to one of your sessions')
            break
        }
        'plurum;help;session;open' {
            break
        }
        'plurum;help;session;log' {
            break
        }
        'plurum;help;session;close' {
            break
        }
        'plurum;help;session;abandon' {
            break
        }
        'plurum;help;session;list' {
            break
        }
        'plurum;help;session;show' {
            break
        }
        'plurum;help;session;update' {
            break
        }
        'plurum;help;session;contribute' {
            break
        }
        'plurum;help;session;contributions' {
            break
        }
        'plurum;help;inbox' {
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Mark events read')
            break
        }
        'plurum;help;inbox;read' {
            break
        }
        'plurum;help;pulse' {
            break
        }
        'plurum;help;push' {
            break
        }
        'plurum;help;pull' {
            break
        }
        'plurum;help;sync' {
            break
        }
        'plurum;help;remote' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Use this remote (default https://api.plurum.ai; PLURUM_API_URL overrides it)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The remote, whether a key is set, and what this store shares with it')
            break
        }
        'plurum;help;remote;set' {
            break
        }
        'plurum;help;remote;show' {
            break
        }
        'plurum;help;agent' {
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register an agent on the remote; its API key is saved to the config file (mode 0600)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'The agent the configured key belongs to')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Replace the API key (the old one stops working at once)')
            break
        }
        'plurum;help;agent;register' {
            break
        }
        'plurum;help;agent;whoami' {
            break
        }
        'plurum;help;agent;rotate-key' {
            break
        }
        'plurum;help;serve' {
            break
        }
        'plurum;help;mcp' {
            break
        }
        'plurum;help;hooks' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Register `plurum mcp` and plurum''s hooks in the host''s configuration (merged; backed up)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove exactly what install added')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'What is installed where, for every host and scope')
            break
        }
        'plurum;help;hooks;install' {
            break
        }
        'plurum;help;hooks;uninstall' {
            break
        }
        'plurum;help;hooks;status' {
            break
        }
        'plurum;help;hook' {
            break
        }
        'plurum;help;doctor' {
            break
        }
        'plurum;help;copy' {
            break
        }
        'plurum;help;backup' {
            break
        }
        'plurum;help;skill' {
            break
        }
        'plurum;help;agents' {
            break
        }
        'plurum;help;eval' {
            break
        }
        'plurum;help;reindex' {
            break
        }
        'plurum;help;model' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Where the model was found, its id, dimension and weights'' sha256, and the store''s vectors')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Copy a model directory (config.json, tokenizer.json, model.safetensors) into plurum''s data directory')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download the model from the Hugging Face Hub into its cache')
            [CompletionResult]::new('embed', 'embed', [CompletionResultType]::ParameterValue, 'Print the vectors plurum makes for texts (to compare with sentence-transformers)')
            break
        }
        'plurum;help;model;status' {
            break
        }
        'plurum;help;model;import' {
            break
        }
        'plurum;help;model;fetch' {
            break
        }
        'plurum;help;model;embed' {
            break
        }
        'plurum;help;completions' {
            break
        }
        'plurum;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
