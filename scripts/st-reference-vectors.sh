#!/usr/bin/env bash
# Rewrites tests/fixtures/st-reference-vectors.jsonl: sentence-transformers' vectors for the
# model variants in tests/fixtures/models/ (the all-MiniLM-L6-v2 weights with other
# sentence-transformers files). Run by hand when those variants change; CI only reads the
# result, so torch stays out of it. Uses the venv of scripts/st-venv.sh.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
MODEL="${PLURUM_MODEL_DIR:-$(scripts/fetch-model.sh)}"
PYTHON="$(scripts/st-venv.sh)"
"$PYTHON" scripts/st_reference_vectors.py "$MODEL" tests/fixtures/models \
    tests/fixtures/st-reference-vectors.jsonl
