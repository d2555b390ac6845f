"""Reference vectors for tests/suite/embed.rs: what sentence-transformers makes with the
all-MiniLM-L6-v2 weights run as other models are (CLS pooling, a query/passage prefix, max
pooling), their sentence-transformers files taken from tests/fixtures/models/.

usage: scripts/st-reference-vectors.sh   (makes the venv, then runs this)
       st_reference_vectors.py MINILM_DIR FIXTURE_MODELS_DIR OUT_JSONL

The prefix variant names its document prompt "document": sentence-transformers 6.2 adds an
empty "document" prompt to every model, so encode_document() would never reach a model's
"passage" prompt (plurum's rule, document else passage else corpus, is in
src/embed/recipe.rs and tested there).

Written with sentence-transformers 6.2.0 and torch 2.15.0 (CPU). Each line:
{"model": "cls", "input": "query"|"document", "text": ..., "embedding": [...]}.
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

# The sentence-transformers files; everything else in MINILM_DIR (weights, tokenizer) is
# shared by every variant unchanged.
ST_FILES = {"modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
            "1_Pooling", "2_Normalize"}

TEXTS = [
    "deploy fastapi to aws ecs with docker",
    "SQLite says database is locked when two processes write",
    "How do I stop the Docker build cache from being invalidated on every commit?",
    "Goal: make pytest fixtures async. Breakthrough: use pytest-asyncio's auto mode so "
    "every async fixture runs on the test's loop. Gotcha: a session-scoped loop needs "
    "its own fixture.",
    # Longer than 128 tokens: the CLS variant truncates it at its max_seq_length.
    " ".join(["The migration rewrote every row of the experiences table in batches of "
              "a thousand, committing after each, so that readers were never blocked "
              "for long and an interrupted run resumed where it stopped."] * 6),
    "x",
]


def main():
    minilm, fixtures, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    torch.set_num_threads(2)
    lines = []
    for variant in sorted(p.name for p in fixtures.iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            model_dir = Path(tmp) / variant
            model_dir.mkdir()
            for f in minilm.iterdir():
                if f.name not in ST_FILES and f.is_file():
                    shutil.copy(f, model_dir / f.name)
            shutil.copytree(fixtures / variant, model_dir, dirs_exist_ok=True)
            model = SentenceTransformer(str(model_dir), device="cpu")
            for kind, encode in (("query", model.encode_query),
                                 ("document", model.encode_document)):
                vectors = encode(TEXTS, convert_to_numpy=True)
                for text, v in zip(TEXTS, vectors):
                    lines.append({"model": variant, "input": kind, "text": text,
                                  "embedding": [float(x) for x in v]})
    with open(out, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    print(f"{len(lines)} vectors, sentence-transformers {sentence_transformers.__version__}, "
          f"torch {torch.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
