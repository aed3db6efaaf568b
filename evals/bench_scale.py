"""Scale benchmark (prints numbers; asserts nothing): corpora of 1k, 10k and 100k chunks built from real corpus
sentences recombined into synthetic policy files, indexed through the real ingest path.

Index-only figures use a documented stand-in embedder (feature hashing of character bigrams into 384 dimensions,
microseconds per text) so that 100k chunks index in minutes; ``--real N`` also indexes N chunks with the real
default embedder. Each size runs in its own process so that peak memory is its own. Prints, per size: index build
time, size on disk, search latency p50/p95 per mode excluding query embedding, and peak memory.

    python evals/bench_scale.py [--sizes 1000 10000 100000] [--real 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import percentile  # noqa: E402


class HashingEmbedder:
    """Stand-in for index-only figures: signed feature hashing of character bigrams, L2-normalised."""

    name, dim = "bench-hashing-bigrams:384", 384

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            h = int.from_bytes(hashlib.blake2b(text[i:i + 2].encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0 if h & 0x80000000 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._one(t) for t in texts])

    embed_passages = embed_queries


def sentences() -> list[str]:
    from advisor.cleaning import clean
    from advisor.extractive import sentences_of
    from advisor.loading import load_file, load_manifest

    manifest = load_manifest(ROOT / "corpus" / "manifest.yaml")
    out: list[str] = []
    for path in sorted((ROOT / "corpus").rglob("*.txt")):
        text = clean(load_file(path, manifest, rel=str(path.relative_to(ROOT / "corpus")))).text
        out += [s for s in sentences_of(text) if 20 <= len(s) <= 200 and " | " not in s]
    return out


def write_corpus(folder: Path, n_chunks: int, per_doc: int = 100) -> None:
    """Synthetic policy files: numbered articles (one chunk each) of recombined real sentences."""
    rng = random.Random(n_chunks)
    pool = sentences()
    cn = "一二三四五六七八九十"
    for d in range(max(1, n_chunks // per_doc)):
        lines = [f"标题: 合成政策文件{d}\n发文机关: 基准测试\n发布日期: 2024-01-01\n---"]
        for a in range(per_doc):
            if a % 10 == 0:
                lines.append(f"{cn[(a // 10) % 10]}、第{a // 10 + 1}部分")
            body = ""
            while len(body) < 250:
                body += rng.choice(pool)
            lines.append(f"第{a + 1}条 {body}")
        (folder / f"synthetic-{d:05d}.txt").write_text("\n\n".join(lines), encoding="utf-8")



def run_size(n: int, real: bool) -> dict:
    from advisor.config import Settings
    from advisor.service import Advisor

    work = Path(tempfile.mkdtemp(prefix=f"scale-{n}-"))
    corpus = work / "corpus"
    corpus.mkdir()
    write_corpus(corpus, n)
    settings = Settings(data_dir=work / "data", corpus_dir=corpus)
    advisor = Advisor(settings, embedder=None if real else HashingEmbedder())
    t0 = time.perf_counter()
    report = advisor.ingest([corpus])
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    advisor.warm()
    bm25_build = time.perf_counter() - t1
    disk = sum(f.stat().st_size for f in settings.data_dir.rglob("*") if f.is_file())
    qs = [json.loads(r)["question"] for r in (ROOT / "evals" / "regression.jsonl").read_text(encoding="utf-8")
          .splitlines() if r]
    result = {"chunks": report.chunks_written, "embedder": advisor.describe().embedder, "build_s": round(build, 1),
              "bm25_snapshot_s": round(bm25_build, 2), "disk_mb": round(disk / 1e6, 1)}
    for mode in ("hybrid", "dense", "bm25"):
        lat = []
        for i in range(100):
            timings: dict[str, float] = {}
            t = time.perf_counter()
            advisor.search(qs[i % len(qs)], k=10, mode=mode, timings=timings)  # type: ignore[arg-type]
            lat.append((time.perf_counter() - t) * 1e3 - timings.get("embed_ms", 0.0))
        result[f"{mode}_p50_ms"] = round(percentile(lat, 0.5), 1)
        result[f"{mode}_p95_ms"] = round(percentile(lat, 0.95), 1)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--real", type=int, default=0, help="also index this many chunks with the real embedder")
    parser.add_argument("--child", type=int, default=0)
    parser.add_argument("--child-real", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.child_real)), flush=True)
        return
    os.environ.setdefault("TQDM_DISABLE", "1")
    runs = [(n, False) for n in args.sizes] + ([(args.real, True)] if args.real else [])
    for n, real in runs:
        cmd = [sys.executable, __file__, "--child", str(n)] + (["--child-real"] if real else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        print(f"{r['chunks']:>7} chunks ({r['embedder']}): build {r['build_s']} s "
              f"({r['chunks'] / r['build_s']:.0f} chunks/s), BM25 snapshot {r['bm25_snapshot_s']} s, "
              f"disk {r['disk_mb']} MB, peak {r['peak_mb']} MB; search excl. embedding p50/p95: "
              f"hybrid {r['hybrid_p50_ms']}/{r['hybrid_p95_ms']} ms, dense {r['dense_p50_ms']}/{r['dense_p95_ms']} ms, "
              f"bm25 {r['bm25_p50_ms']}/{r['bm25_p95_ms']} ms", flush=True)


if __name__ == "__main__":
    main()
