
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
            cand show 'Show one experience in detail'
            cand list 'List experiences, newest first'
            cand artifact 'List an experience''s artifacts, or print one (N counts from 0)'
            cand acquire 'Get an experience compressed for a context window'
            cand outcome 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
            cand vote 'Vote on an experience: the same vote again withdraws it, the other one changes it'
            cand experience 'Publish a draft or archive an experience'
            cand export 'Write everything in the store as JSON Lines (to FILE, or stdout)'
            cand import 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
            cand agents 'List the agents of this store'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;publish'= {
            cand -f 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin'
            cand --file 'JSON file in the API''s request shape: one object, an array, or JSON Lines; - for stdin'
            cand --goal 'What the experience is about (10-2000 characters)'
            cand --domain 'domain'
            cand --context 'Setup, environment, constraints'
            cand --solution 'What ultimately worked'
            cand --tag 'A tag (repeatable)'
            cand --tool 'A tool or technology used (repeatable)'
            cand --dead-end '"WHAT :: WHY" of something that did not work (repeatable)'
            cand --breakthrough '"INSIGHT :: DETAIL" of something that worked (repeatable)'
            cand --gotcha '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)'
            cand --outcome 'outcome'
            cand --visibility 'visibility'
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
            cand --limit 'limit'
            cand --offset 'offset'
            cand --tag 'Only experiences with this tag (repeatable: all must match)'
            cand --domain 'domain'
            cand --status 'status'
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
            cand --mode 'mode'
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
        &'plurum;agents'= {
            cand --db 'The store file [default: plurum.db in the user''s data directory]'
            cand --agent 'Act as this agent (created on first use) [default: local]'
            cand --model-dir 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)'
            cand --json 'Print exactly one JSON document on stdout, shaped as the REST API''s response'
            cand --offline 'Never use the network to fetch a model'
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand show 'Show one experience in detail'
            cand list 'List experiences, newest first'
            cand artifact 'List an experience''s artifacts, or print one (N counts from 0)'
            cand acquire 'Get an experience compressed for a context window'
            cand outcome 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
            cand vote 'Vote on an experience: the same vote again withdraws it, the other one changes it'
            cand experience 'Publish a draft or archive an experience'
            cand export 'Write everything in the store as JSON Lines (to FILE, or stdout)'
            cand import 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
            cand agents 'List the agents of this store'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'plurum;help;publish'= {
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
        &'plurum;help;agents'= {
        }
        &'plurum;help;completions'= {
        }
        &'plurum;help;help'= {
        }
    ]
    $completions[$command]
}
