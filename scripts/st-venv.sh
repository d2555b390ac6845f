#!/usr/bin/env bash
# Makes (once) the venv with PyTorch and sentence-transformers that scripts/bench-embed.sh and
# scripts/st-reference-vectors.sh compare plurum against, and prints its python. The venv lives
# under .cache/bench-venv (BENCH_VENV); BENCH_TORCH and BENCH_ST pin the versions.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BENCH_VENV:-$repo/.cache/bench-venv}"
TORCH="${BENCH_TORCH:-torch==2.15.0}"
ST="${BENCH_ST:-sentence-transformers==6.2.0}"
if ! "$VENV/bin/python" -c "import torch, sentence_transformers" 2>/dev/null; then
    echo "st-venv: installing $TORCH and $ST into $VENV" >&2
    python3 -m venv "$VENV"
    pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    if ! "${pip[@]}" --retries 0 --timeout 10 "$TORCH" \
        --index-url https://download.pytorch.org/whl/cpu >&2 2>/dev/null; then
        echo "st-venv: CPU wheel index unreachable; using the PyPI wheel" >&2
        "${pip[@]}" "$TORCH" >&2
    fi
    "${pip[@]}" "$ST" >&2
fi
printf '%s\n' "$VENV/bin/python"
