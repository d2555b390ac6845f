#!/usr/bin/env bash
# Rewrites tests/fixtures/st-reference-vectors.jsonl: sentence-transformers' vectors for the
# model variants in tests/fixtures/models/ (the all-MiniLM-L6-v2 weights with other
# sentence-transformers files). Run by hand when those variants change; CI only reads the
# result, so torch stays out of it. Uses the venv scripts/bench-embed.sh makes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
VENV="${BENCH_VENV:-$repo/.cache/bench-venv}"
TORCH="${BENCH_TORCH:-torch==2.15.0}"
ST="${BENCH_ST:-sentence-transformers==6.2.0}"
MODEL="${PLURUM_MODEL_DIR:-$(scripts/fetch-model.sh)}"
if ! "$VENV/bin/python" -c "import torch, sentence_transformers" 2>/dev/null; then
    echo "st-reference-vectors: installing $TORCH and $ST into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$TORCH" "$ST"
fi
"$VENV/bin/python" scripts/st_reference_vectors.py "$MODEL" tests/fixtures/models \
    tests/fixtures/st-reference-vectors.jsonl
