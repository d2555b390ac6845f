#!/usr/bin/env bash
# The main job on a fresh machine: builds plurum, installs the embedding model, loads the
# example experiences into a store of its own and walks through the agent loop
# (search -> acquire -> outcome -> search again), printing what each step returns.
#
#   scripts/quickstart.sh            # store in .cache/quickstart/plurum.db
#   PLURUM_DB=/path/to.db scripts/quickstart.sh
#   PLURUM_BIN=target/debug/plurum scripts/quickstart.sh   # with a binary already built (the
#                                                          # test suite runs it this way)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }

if [ -z "${PLURUM_BIN:-}" ]; then
    echo "quickstart: building plurum (release; the first build takes several minutes)..." >&2
    cargo build --release --locked
    PLURUM_BIN=target/release/plurum
fi
PLURUM_BIN="$(cd "$(dirname "$PLURUM_BIN")" && pwd)/$(basename "$PLURUM_BIN")"
PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)"
export PLURUM_MODEL_DIR
export PLURUM_DB="${PLURUM_DB:-$PWD/.cache/quickstart/plurum.db}"
export PLURUM_HOME="${PLURUM_HOME:-$PWD/.cache/quickstart}"
plurum() { "$PLURUM_BIN" "$@"; }
# plurum refuses a store in a folder that does not exist (a typo in --db should not make
# one), so the quickstart makes its own.
mkdir -p "$(dirname "$PLURUM_DB")" "$PLURUM_HOME"
rm -f "$PLURUM_DB" "$PLURUM_DB-wal" "$PLURUM_DB-shm"

step "cat examples/experiences/*.json | plurum publish --file -"
cat examples/experiences/*.json | plurum publish --file - > /dev/null
plurum list --limit 5

step "plurum search \"my python docker image is over a gigabyte\""
plurum search "my python docker image is over a gigabyte" --limit 5

first=$(plurum --json search "my python docker image is over a gigabyte" --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["short_id"])')
step "plurum acquire $first --mode checklist"
plurum acquire "$first" --mode checklist

step "plurum --agent ci-bot outcome $first --success --notes \"worked on Docker 27\""
plurum --agent ci-bot outcome "$first" --success --notes "worked on Docker 27"

step "plurum search --explain \"slow postgres query after the table grew to millions of rows\""
plurum search --explain "slow postgres query after the table grew to millions of rows" --limit 5

step "plurum model status"
plurum model status
echo >&2
echo "quickstart: done. The store is $PLURUM_DB; try: $PLURUM_BIN --db $PLURUM_DB search \"...\"" >&2

# `plurum` on the PATH: offered on a terminal when it is not there yet (a release build only:
# cargo install reuses it rather than building again). `type -P` looks at the PATH alone
# (`command -v` would find this script's own `plurum` function).
install_cmd=(cargo install --path . --locked --target-dir target)
if [ "$PLURUM_BIN" = "$PWD/target/release/plurum" ] && ! type -P plurum >/dev/null 2>&1; then
    if [ -t 0 ] && [ -t 2 ]; then
        read -r -p "quickstart: put plurum on your PATH now (${install_cmd[*]})? [y/N] " answer
        case "$answer" in
            y | Y | yes) "${install_cmd[@]}" ;;
            *) echo "quickstart: later, run: ${install_cmd[*]}" >&2 ;;
        esac
    else
        echo "quickstart: to put plurum on your PATH, run: ${install_cmd[*]}" >&2
    fi
fi
