#!/usr/bin/env bash
# Every speed benchmark, in release builds, with the real model. Each figure that has a
# baseline is reported as a ratio against a baseline measured in the same run.
#
#   scripts/bench.sh            # search at 1k/10k/100k, then embedding vs PyTorch
#   scripts/bench.sh search     # only the search bench
#   scripts/bench.sh embed      # only the embedding bench
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
