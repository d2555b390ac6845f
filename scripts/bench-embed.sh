#!/usr/bin/env bash
# Embedding speed: plurum's in-process model (its native forward pass, and candle's
# BertModel that it falls back to) against PyTorch sentence-transformers on the same texts,
# in the same run, on the same cores. Prints texts/s for each and the ratios, the median
# latency of one short query, and how closely the vectors agree.
#
#   scripts/bench-embed.sh            # 1,000 SciFact passages (title + text, ~800 chars)
#   BENCH_TEXTS=200 BENCH_RUNS=2 scripts/bench-embed.sh
#
# Needs ../shared/datasets/scifact-train (or BENCH_CORPUS=path/to/corpus.jsonl.gz). The
# PyTorch side lives in a venv under .cache/bench-venv (BENCH_VENV), made on first use:
# the CPU-only wheel index is tried first; where it is unreachable the PyPI wheel is used
# (it pulls ~5 GB of CUDA libraries, unused on CPU).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
N="${BENCH_TEXTS:-1000}"
RUNS="${BENCH_RUNS:-1}"
CORPUS="${BENCH_CORPUS:-$repo/../shared/datasets/scifact-train/corpus.jsonl.gz}"

MODEL="${PLURUM_MODEL_DIR:-$(scripts/fetch-model.sh)}"
export PLURUM_MODEL_DIR="$MODEL"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The texts, written once so both sides embed the identical list.
python3 - "$CORPUS" "$N" >"$work/texts.jsonl" <<'PY'
import gzip, json, sys
path, n = sys.argv[1], int(sys.argv[2])
out = 0
with gzip.open(path, "rt") as f:
    for line in f:
        doc = json.loads(line)
        text = (doc.get("title", "") + ". " + doc.get("text", "")).strip()
        if len(text) > 800:
            text = text[:800].rsplit(" ", 1)[0]
        print(json.dumps(text))
        out += 1
        if out == n:
            break
PY
echo "bench-embed: $(wc -l <"$work/texts.jsonl") texts from $CORPUS" >&2

PYTHON="$(scripts/st-venv.sh)"

echo "bench-embed: building and running the Rust side (release): native, then candle" >&2
cargo bench --bench embed --quiet -- --texts "$work/texts.jsonl" \
    --vectors "$work/rust.f32" --runs "$RUNS" >"$work/rust.json"
cargo bench --bench embed --quiet -- --texts "$work/texts.jsonl" \
    --runs "$RUNS" --engine candle >"$work/candle.json"
echo "bench-embed: running sentence-transformers (PyTorch, CPU)" >&2
"$PYTHON" scripts/bench_embed_st.py "$MODEL" "$work/texts.jsonl" \
    "$work/rust.f32" "$RUNS" >"$work/py.json" 2>"$work/py.err" || {
    cat "$work/py.err" >&2
    exit 1
}

python3 - "$work/rust.json" "$work/candle.json" "$work/py.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
p = json.loads(open(sys.argv[3]).read().strip().splitlines()[-1])
print(f"texts: {r['texts']} (threads: {r['threads']}; torch {p['torch']}, {p['torch_threads']} threads)")
print(f"{'':12}{'plurum native':>16}{'candle BertModel':>18}{'PyTorch':>10}{'native/PyTorch':>16}{'native/candle':>15}")
print(f"{'throughput':12}{r['texts_per_s']:10.1f} /s   {c['texts_per_s']:12.1f} /s   {p['texts_per_s']:6.1f} /s{r['texts_per_s'] / p['texts_per_s']:14.2f}x{r['texts_per_s'] / c['texts_per_s']:14.2f}x")
print(f"{'short query':12}{r['query_ms_median']:10.2f} ms   {c['query_ms_median']:12.2f} ms   {p['query_ms_median']:6.2f} ms{p['query_ms_median'] / r['query_ms_median']:14.2f}x{c['query_ms_median'] / r['query_ms_median']:14.2f}x  (speed-up)")
print(f"{'model load':12}{r['load_ms']:10.1f} ms   {c['load_ms']:12.1f} ms   {p['load_ms']:6.1f} ms")
print(f"agreement   native vs sentence-transformers: cosine min {p['cosine_min']:.7f}, mean {p['cosine_mean']:.7f} over all texts")
PY
