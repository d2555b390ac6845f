"""Baseline for scripts/bench-embed.sh: PyTorch sentence-transformers on the same texts.

usage: bench_embed_st.py MODEL_DIR TEXTS_JSONL [RUST_VECTORS_F32] [RUNS]
Prints one JSON object: texts/s, median short-query ms, and (given the Rust vectors) the
lowest and mean cosine between the two implementations' embeddings of every text.
"""
import json
import sys
import time

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

QUERIES = [
    "deploy fastapi to aws ecs with docker",
    "sqlite database is locked error",
    "how do vaccines trigger immunity",
    "rust borrow checker lifetime error",
    "gene expression in breast cancer",
]


def main():
    model_dir, texts_file = sys.argv[1], sys.argv[2]
    rust_vectors = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    texts = [json.loads(line) for line in open(texts_file) if line.strip()]
    t = time.perf_counter()
    model = SentenceTransformer(model_dir, device="cpu")
    load_ms = (time.perf_counter() - t) * 1e3
    model.max_seq_length = 256
    model.encode(texts[:32])  # warm up
    best = float("inf")
    vectors = None
    for _ in range(max(runs, 1)):
        t = time.perf_counter()
        # sentence-transformers' defaults: batch 32, sorted by length inside encode().
        vectors = model.encode(texts, normalize_embeddings=True)
        best = min(best, time.perf_counter() - t)
    query_ms = []
    for i in range(100):
        t = time.perf_counter()
        model.encode(QUERIES[i % len(QUERIES)])
        query_ms.append((time.perf_counter() - t) * 1e3)
    query_ms.sort()
    out = {
        "texts": len(texts),
        "seconds": best,
        "texts_per_s": len(texts) / best,
        "query_ms_median": query_ms[len(query_ms) // 2],
        "load_ms": load_ms,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
    }
    if rust_vectors:
        rust = np.fromfile(rust_vectors, dtype="<f4").reshape(len(texts), -1)
        cos = (rust * vectors).sum(1) / (
            np.linalg.norm(rust, axis=1) * np.linalg.norm(vectors, axis=1)
        )
        out["cosine_min"] = float(cos.min())
        out["cosine_mean"] = float(cos.mean())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
