"""Search latency under concurrent clients (prints numbers; asserts nothing).

1, 4 and 8 clients as threads of one process (sharing one advisor) and as separate processes (one advisor each),
for three OpenMP idle settings of the default embedder: the default (PASSIVE after a 1,000-iteration spin), PASSIVE
without a spin, and ACTIVE (spin for ever). The target: p95 at 8 clients within 8× the single-client p50.

    python evals/bench_concurrency.py [--queries 30]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import percentile  # noqa: E402


def questions() -> list[str]:
    rows = (ROOT / "evals" / "regression.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(r)["question"] for r in rows if r]



def _process_client(args: tuple[str, int, int, mp.Barrier]) -> list[float]:
    from advisor.config import Settings
    from advisor.service import Advisor

    data_dir, offset, n, barrier = args
    advisor = Advisor(Settings(data_dir=Path(data_dir)))
    qs = questions()
    advisor.search(qs[0])
    barrier.wait()
    out = []
    for i in range(n):
        t = time.perf_counter()
        advisor.search(qs[(offset + i) % len(qs)], k=10)
        out.append((time.perf_counter() - t) * 1e3)
    return out


def run_policy(n_queries: int) -> None:
    """One wait policy (inherited from the environment): threads, then processes."""
    from advisor.config import Settings
    from advisor.service import Advisor

    settings = Settings()
    advisor = Advisor(settings)
    advisor.ensure_index()
    qs = questions()
    advisor.search(qs[0])
    policy = f"{os.environ.get('OMP_WAIT_POLICY')}/{os.environ.get('GOMP_SPINCOUNT')}"
    single_p50 = None
    for clients in (1, 4, 8):
        lat: list[float] = []
        lock = threading.Lock()

        def client(c: int, lat: list[float] = lat, lock: threading.Lock = lock) -> None:
            mine = []
            for i in range(n_queries):
                t = time.perf_counter()
                advisor.search(qs[(c * 7 + i) % len(qs)], k=10)
                mine.append((time.perf_counter() - t) * 1e3)
            with lock:
                lat.extend(mine)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        single_p50 = single_p50 or percentile(lat, 0.5)
        print(f"{policy:16s} threads   x{clients}: p50 {percentile(lat, 0.5):6.1f} ms  p95 {percentile(lat, 0.95):6.1f} ms  "
              f"({percentile(lat, 0.95) / single_p50:4.1f}× single p50; {len(lat) / wall:5.1f} queries/s)")
    for clients in (1, 4, 8):
        ctx = mp.get_context("spawn")
        with ctx.Manager() as manager:
            barrier = manager.Barrier(clients)
            with ctx.Pool(clients) as pool:
                t0 = time.perf_counter()
                parts = pool.map(_process_client, [(str(settings.data_dir), c * 7, n_queries, barrier)
                                                   for c in range(clients)])
                wall = time.perf_counter() - t0
        lat = [x for p in parts for x in p]
        print(f"{policy:16s} processes x{clients}: p50 {percentile(lat, 0.5):6.1f} ms  p95 {percentile(lat, 0.95):6.1f} ms  "
              f"({percentile(lat, 0.95) / single_p50:4.1f}× single-thread p50)")
    print(f"{policy:16s} single-client p50 {single_p50:.1f} ms; target p95@8 ≤ {8 * single_p50:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        run_policy(args.queries)
        return
    # The policy must be set before the engine loads: one process each. GOMP_SPINCOUNT overrides the policy.
    for policy, spin in (("PASSIVE", "1000"), ("PASSIVE", "0"), ("ACTIVE", "infinite")):
        env = {**os.environ, "OMP_WAIT_POLICY": policy, "GOMP_SPINCOUNT": spin}
        subprocess.run([sys.executable, __file__, "--child", "--queries", str(args.queries)], env=env, check=True)
    print("done")


if __name__ == "__main__":
    main()
