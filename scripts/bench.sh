#!/usr/bin/env bash
# Every speed benchmark, in release builds, with the real model. Each figure that has a
# baseline is reported as a ratio against a baseline measured in the same run.
#
#   scripts/bench.sh            # search at 1k/10k/100k, then embedding vs PyTorch
#   scripts/bench.sh search     # only the search bench
#   scripts/bench.sh embed      # only the embedding bench
#   scripts/bench.sh serve      # HTTP search at 100k: the Postgres store against SQLite
#   scripts/bench.sh hooks      # `plurum hook` session start and prompt at 10k, whole process
#   scripts/bench.sh duplicates # near-duplicate detection: precision/recall on the labelled
#                               # pairs, and what the check adds to a publish at 100k
#   scripts/bench.sh scale      # SciFact-derived stores of 100k and 1M: fast paths vs --exact,
#                               # on SQLite and on Postgres (pgvector 0.8.5), copied there once
#                               # (PLURUM_BENCH_SIZES=100000 for one size; PLURUM_BENCH_PG_SIZES
#                               # for the sizes Postgres gets, PLURUM_BENCH_PG_SIZES=0 for none)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)"
export PLURUM_MODEL_DIR
what="${1:-all}"

cargo build --release --locked --quiet
if [ "$what" = all ] || [ "$what" = search ]; then
    # Stores are built once under target/bench-stores and reused (delete it to rebuild).
    cargo bench --locked --bench search
fi
if [ "$what" = all ] || [ "$what" = embed ]; then
    scripts/bench-embed.sh
fi
if [ "$what" = all ] || [ "$what" = serve ]; then
    # The search bench's 100,000-experience store, and a Postgres database beside it.
    if [ ! -e target/bench-stores/bench-100000.done ]; then
        PLURUM_BENCH_SIZES=100000 cargo bench --locked --bench search
    fi
    admin="$(scripts/postgres.sh start)"
    psql="$(scripts/postgres.sh bin)/psql"
    "$psql" "$admin" -qtc "SELECT 1 FROM pg_database WHERE datname = 'plurum_bench'" | grep -q 1 ||
        "$psql" "$admin" -qc "CREATE DATABASE plurum_bench"
    PLURUM_BENCH_PG="${admin%/*}/plurum_bench" cargo bench --locked --bench serve
fi
if [ "$what" = all ] || [ "$what" = hooks ]; then
    # The search bench's 10,000-experience store.
    if [ ! -e target/bench-stores/bench-10000.done ]; then
        PLURUM_BENCH_SIZES=10000 cargo bench --locked --bench search
    fi
    cargo bench --locked --bench hooks
fi
if [ "$what" = all ] || [ "$what" = duplicates ]; then
    # The cost half needs the SciFact-derived 100,000-experience store of the scale bench.
    if [ ! -e target/bench-stores/scale-100000.done ]; then
        PLURUM_BENCH_SIZES=100000 PLURUM_BENCH_PG_SIZES=0 cargo bench --locked --bench scale
    fi
    cargo bench --locked --bench duplicates
fi
if [ "$what" = scale ]; then
    # Not part of `all`: building the 1,000,000-experience store takes a while (once), and
    # so does copying it into Postgres.
    PLURUM_BENCH_PG="$(scripts/postgres.sh start)" cargo bench --locked --bench scale
fi
