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
complete -c plurum -n "__fish_plurum_needs_command" -f -a "show" -d 'Show one experience in detail'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "list" -d 'List experiences, newest first'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "artifact" -d 'List an experience\'s artifacts, or print one (N counts from 0)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "acquire" -d 'Get an experience compressed for a context window'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "outcome" -d 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "vote" -d 'Vote on an experience: the same vote again withdraws it, the other one changes it'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "experience" -d 'Publish a draft or archive an experience'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "export" -d 'Write everything in the store as JSON Lines (to FILE, or stdout)'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "import" -d 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "agents" -d 'List the agents of this store'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c plurum -n "__fish_plurum_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand publish" -s f -l file -d 'JSON file in the API\'s request shape: one object, an array, or JSON Lines; - for stdin' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l goal -d 'What the experience is about (10-2000 characters)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l domain -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l context -d 'Setup, environment, constraints' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l solution -d 'What ultimately worked' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l tag -d 'A tag (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l tool -d 'A tool or technology used (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l dead-end -d '"WHAT :: WHY" of something that did not work (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l breakthrough -d '"INSIGHT :: DETAIL" of something that worked (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l gotcha -d '"WARNING :: CONTEXT" of a non-obvious pitfall (repeatable)' -r
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l outcome -r -f -a "success\t''
partial\t''
failure\t''"
complete -c plurum -n "__fish_plurum_using_subcommand publish" -l visibility -r -f -a "public\t''
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
complete -c plurum -n "__fish_plurum_using_subcommand show" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand show" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand show" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand show" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand show" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand show" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand list" -l limit -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l offset -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l tag -d 'Only experiences with this tag (repeatable: all must match)' -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l domain -r
complete -c plurum -n "__fish_plurum_using_subcommand list" -l status -r -f -a "draft\t''
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
complete -c plurum -n "__fish_plurum_using_subcommand acquire" -l mode -r -f -a "summary\t''
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
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand agents" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand agents" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l db -d 'The store file [default: plurum.db in the user\'s data directory]' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l agent -d 'Act as this agent (created on first use) [default: local]' -r
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l model-dir -d 'Directory holding the embedding model (config.json, tokenizer.json, model.safetensors)' -r -F
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l json -d 'Print exactly one JSON document on stdout, shaped as the REST API\'s response'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -l offline -d 'Never use the network to fetch a model'
complete -c plurum -n "__fish_plurum_using_subcommand completions" -s h -l help -d 'Print help'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "publish" -d 'Create and publish experiences (from --file, flags, or prompts on a terminal)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "show" -d 'Show one experience in detail'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "list" -d 'List experiences, newest first'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "artifact" -d 'List an experience\'s artifacts, or print one (N counts from 0)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "acquire" -d 'Get an experience compressed for a context window'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "outcome" -d 'Report whether an experience worked for you (one report per agent; a new one replaces it)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "vote" -d 'Vote on an experience: the same vote again withdraws it, the other one changes it'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "experience" -d 'Publish a draft or archive an experience'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "export" -d 'Write everything in the store as JSON Lines (to FILE, or stdout)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "import" -d 'Read a JSON Lines export (FILE, or - for stdin); records already here are skipped'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "agents" -d 'List the agents of this store'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c plurum -n "__fish_plurum_using_subcommand help; and not __fish_seen_subcommand_from publish show list artifact acquire outcome vote experience export import agents completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from experience" -f -a "publish" -d 'Publish one of your drafts'
complete -c plurum -n "__fish_plurum_using_subcommand help; and __fish_seen_subcommand_from experience" -f -a "archive" -d 'Archive one of your experiences (it leaves search and lists)'
