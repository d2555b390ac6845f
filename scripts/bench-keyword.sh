#!/usr/bin/env bash
# The keyword arm of this build against a baseline plurum's, on the scale bench's
# SciFact-derived store of 100,000 experiences (English), in the same run: what a change to
# the keyword index's tokens (src/model/keyword_tokens.rs) costs an English search.
#
#   scripts/bench-keyword.sh BASELINE     # BASELINE: a git revision, or a plurum binary
#
# A revision is built once (release, in target/baseline-REV). Each of 300 SciFact claims is
# searched with `--mode keyword --explain` by both binaries in turn, alternating which goes
# first, and the arm's time (`timings_ms.keyword`) and whole-process time are compared:
# medians and their ratio, plus how many top-10 lists are the same. The baseline gets its own
# copy of the store, at its schema version (the English text's tokens are the same in both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

baseline="${1:?usage: scripts/bench-keyword.sh BASELINE (a git revision or a plurum binary)}"
store=target/bench-stores/scale-100000.db
if [ ! -e target/bench-stores/scale-100000.done ]; then
    PLURUM_BENCH_SIZES=100000 PLURUM_BENCH_PG_SIZES=0 PLURUM_MODEL_DIR="$(scripts/fetch-model.sh)" \
        cargo bench --locked --bench scale >&2
fi
cargo build --locked --release >&2
current=target/release/plurum

if [ -x "$baseline" ] && [ ! -d "$baseline" ]; then
    old="$baseline"
    old_version=""
else
    rev="$(git rev-parse --short "$baseline")"
    tree="target/baseline-$rev"
    if [ ! -x "$tree/target/release/plurum" ]; then
        rm -rf "$tree"
        git worktree add --detach "$tree" "$rev" >&2
        (cd "$tree" && cargo build --locked --release >&2)
    fi
    old="$tree/target/release/plurum"
    old_version="$(sed -n 's/^pub const SCHEMA_VERSION: i64 = \([0-9]*\);/\1/p' "$tree/src/store/sqlite/migrate.rs")"
fi

copy=target/bench-stores/scale-100000-baseline.db
rm -f "$copy" "$copy-wal" "$copy-shm"
"$current" --db "$store" backup "$copy" >/dev/null
if [ -z "$old_version" ]; then
    # A binary: ask it which version it knows (it names it when refusing a newer store).
    old_version="$("$old" --db "$copy" --json list --limit 1 2>&1 | sed -n 's/.*this plurum knows \([0-9]*\).*/\1/p' | head -1)" || true
fi
if [ -n "$old_version" ]; then
    python3 - "$copy" "$old_version" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(f"PRAGMA user_version = {int(sys.argv[2])}")
c.commit()
EOF
fi

python3 - "$current" "$store" "$old" "$copy" <<'EOF'
import json, statistics, subprocess, sys, time
current, store, old, copy = sys.argv[1:5]
claims = [json.loads(l)["text"] for l in open("../shared/datasets/scifact-train/queries.jsonl")][:300]
env = {"PATH": "/usr/bin:/bin", "PLURUM_OFFLINE": "1", "HOME": "/nonexistent", "PLURUM_HOME": "/nonexistent"}

def run(binary, db, q):
    t = time.perf_counter()
    out = subprocess.run([binary, "--json", "--db", db, "search", "--mode", "keyword", "--explain", q],
                         capture_output=True, env=env, check=True)
    wall = (time.perf_counter() - t) * 1000
    v = json.loads(out.stdout)
    return v["timings_ms"]["keyword"], wall, [r["id"] for r in v["results"]]

arm = {"new": [], "old": []}
wall = {"new": [], "old": []}
same = 0
for i, q in enumerate(claims):
    pair = [("new", current, store), ("old", old, copy)]
    if i % 2:
        pair.reverse()
    ids = {}
    for name, binary, db in pair:
        a, w, r = run(binary, db, q)
        arm[name].append(a); wall[name].append(w); ids[name] = r
    same += ids["new"] == ids["old"]
m = lambda xs: statistics.median(xs)
print(f"keyword arm at 100,000 (300 SciFact claims, --mode keyword):")
print(f"  keyword arm median: this build {m(arm['new']):.2f} ms, baseline {m(arm['old']):.2f} ms, ratio {m(arm['new'])/m(arm['old']):.3f}")
print(f"  whole process median: this build {m(wall['new']):.1f} ms, baseline {m(wall['old']):.1f} ms, ratio {m(wall['new'])/m(wall['old']):.3f}")
print(f"  same top 10 as the baseline: {same} of {len(claims)}")
EOF
