"""BM25 side at start-up: built from the catalog's tokens vs loaded from its saved generation file (prints numbers;
asserts nothing). Synthetic chunks drawn from the bundled corpus's token distribution.

    python evals/bench_bm25_cache.py [--chunks 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.config import Settings  # noqa: E402
from advisor.lexical import LexicalIndex  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from advisor.tokenization import tokenize  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=100_000)
    args = parser.parse_args()
    advisor = Advisor(Settings())
    advisor.ensure_index()
    vocab = [t for _, (chunk, _) in advisor.passages().items() for t in tokenize(chunk.text)]
    rng = random.Random(0)
    tokens = [rng.choices(vocab, k=rng.randint(60, 200)) for _ in range(args.chunks)]
    ids = [f"c{i}" for i in range(args.chunks)]
    docs = [f"d{i // 50}" for i in range(args.chunks)]
    t0 = time.perf_counter()
    built = LexicalIndex(1, ids, docs, tokens)
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generation-1.npz"
        t0 = time.perf_counter()
        built.save(path)
        save_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded = LexicalIndex.load(path, 1, ids)
        load_s = time.perf_counter() - t0
        size = path.stat().st_size / 1e6
    assert loaded is not None
    print(f"{args.chunks:,} chunks: build {build_s:.1f} s, save {save_s:.1f} s ({size:.0f} MB), load {load_s:.1f} s")


if __name__ == "__main__":
    main()
