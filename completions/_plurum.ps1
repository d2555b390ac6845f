
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
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one experience in detail')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiences, newest first')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'List an experience''s artifacts, or print one (N counts from 0)')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Get an experience compressed for a context window')
            [CompletionResult]::new('outcome', 'outcome', [CompletionResultType]::ParameterValue, 'Report whether an experience worked for you (one report per agent; a new one replaces it)')
            [CompletionResult]::new('vote', 'vote', [CompletionResultType]::ParameterValue, 'Vote on an experience: the same vote again withdraws it, the other one changes it')
            [CompletionResult]::new('experience', 'experience', [CompletionResultType]::ParameterValue, 'Publish a draft or archive an experience')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write everything in the store as JSON Lines (to FILE, or stdout)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'List the agents of this store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;publish' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'What the experience is about (10-2000 characters)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'domain')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Setup, environment, constraints')
            [CompletionResult]::new('--solution', '--solution', [CompletionResultType]::ParameterName, 'What ultimately worked')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'A tag (repeatable)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'A tool or technology used (repeatable)')
            [CompletionResult]::new('--dead-end', '--dead-end', [CompletionResultType]::ParameterName, '"WHAT :: WHY" of something that did not work (repeatable)')
            [CompletionResult]::new('--breakthrough', '--breakthrough', [CompletionResultType]::ParameterName, '"INSIGHT :: DETAIL" of something that worked (repeatable)')
            [CompletionResult]::new('--gotcha', '--gotcha', [CompletionResultType]::ParameterName, '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'outcome')
            [CompletionResult]::new('--visibility', '--visibility', [CompletionResultType]::ParameterName, 'visibility')
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
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'limit')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'offset')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only experiences with this tag (repeatable: all must match)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'domain')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'status')
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
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'mode')
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
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one experience in detail')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List experiences, newest first')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'List an experience''s artifacts, or print one (N counts from 0)')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Get an experience compressed for a context window')
            [CompletionResult]::new('outcome', 'outcome', [CompletionResultType]::ParameterValue, 'Report whether an experience worked for you (one report per agent; a new one replaces it)')
            [CompletionResult]::new('vote', 'vote', [CompletionResultType]::ParameterValue, 'Vote on an experience: the same vote again withdraws it, the other one changes it')
            [CompletionResult]::new('experience', 'experience', [CompletionResultType]::ParameterValue, 'Publish a draft or archive an experience')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write everything in the store as JSON Lines (to FILE, or stdout)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'List the agents of this store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'plurum;help;publish' {
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
        'plurum;help;agents' {
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
