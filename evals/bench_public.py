"""A public retrieval benchmark through the product's own ``ingest`` and ``search``, at passage and chunk level.

Any benchmark in the ``corpus.jsonl`` (id, title, text) + ``queries.jsonl`` (id, question, gold_ids, answers) form
of ``../shared/benchmarks/`` runs: every passage becomes a document (its title as the document title), the real
ingest chunks, embeds and indexes it in a scratch index, and every question is searched in each mode.

- passage level: rank of the first hit from a gold passage (hits folded to their passages, first occurrence);
- chunk level (``--chunk-chars 200``): rank of the first hit that is the gold passage's chunk holding the start of
  the first answer string it holds (first occurrence, by character offset; prepare.py's rule without answer_start).

    python evals/bench_public.py ../shared/benchmarks/cmrc2018-dev [--chunk-chars 200] [--limit N] [--modes hybrid,bm25]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TQDM_DISABLE", "1")

from advisor.config import Settings  # noqa: E402
from advisor.evaluation import norm  # noqa: E402
from advisor.service import Advisor  # noqa: E402


def write_corpus(bench: Path, folder: Path) -> dict[str, str]:
    """One text file per passage (header block with its title); returns passage id → text."""
    texts = {}
    for line in (bench / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["id"]] = row["text"]
        safe = row["title"].replace("\n", " ").strip() or row["id"]
        (folder / f"{row['id']}.txt").write_text(f"标题: {safe}\n---\n{row['text']}\n", encoding="utf-8")
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", type=Path)
    ap.add_argument("--chunk-chars", type=int, default=None, help="ADVISOR_CHUNK_MAX_CHARS for the scratch index")
    ap.add_argument("--limit", type=int, default=None, help="only the first N questions")
    ap.add_argument("--modes", default="hybrid,dense,bm25")
    ap.add_argument("--index", type=Path, default=None, help="keep the scratch index here (reused when present)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    texts = write_corpus(args.bench, corpus)
    data_dir = args.index or work / "data"
    overrides = {"data_dir": data_dir, "corpus_dir": corpus}
    if args.chunk_chars:
        overrides["chunk_max_chars"] = args.chunk_chars
    advisor = Advisor(Settings(**overrides))
    t0 = time.perf_counter()
    report = advisor.ingest([corpus])
    print(f"ingest: {len(report.added) + len(report.replaced)} new, {len(report.unchanged)} unchanged, "
          f"{len(report.failed)} failed, {report.chunks_written} chunks, {time.perf_counter() - t0:.0f} s", flush=True)
    chunks = advisor.passages()
    by_doc: dict[str, list] = {}
    for chunk, _ in chunks.values():
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    queries = [json.loads(line) for line in (args.bench / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    queries = queries[: args.limit] if args.limit else queries

    def chunk_starts(pid: str) -> tuple[str, list[tuple[int, str]]]:
        """The passage (normalised) and where each of its chunks starts in it, found in order (the first chunk
        starts the passage)."""
        passage, out, pos = norm(texts[pid]), [], 0
        for c in sorted(by_doc.get(pid, []), key=lambda c: c.ord):
            at = passage.find(norm(c.text)[:6], pos) if out else 0
            at = pos if at < 0 else at
            out.append((at, c.chunk_id))
            pos = at + 1
        return passage, out

    def answer_chunks(q: dict) -> list[str]:
        """The chunk of the gold passage in which the first answer string the passage holds starts, for each of its
        occurrences in order, located by character offset (an answer that straddles two chunks belongs to the one
        it starts in). The first is the gold: ``prepare.py``'s rule when no answer_start is given; the others are
        there because queries.jsonl does not record which occurrence the annotator marked."""
        passage, starts = chunk_starts(q["gold_ids"][0])
        answer = next((norm(a) for a in q.get("answers", []) if a and norm(a) in passage), None)
        if answer is None or not starts:
            return []
        return [next(cid for start, cid in reversed(starts) if start <= i)
                for i in range(len(passage)) if passage.startswith(answer, i)]

    level = "chunk" if args.chunk_chars else "passage"
    occurrences = {q["id"]: answer_chunks(q) for q in queries} if level == "chunk" else {}
    golds = {qid: found[0] if found else None for qid, found in occurrences.items()}
    either = {qid: set(found) for qid, found in occurrences.items()}
    if level == "chunk":
        print(f"questions whose answer string starts in more than one chunk: "
              f"{sum(len(h) > 1 for h in either.values())} of {len(queries)}", flush=True)
    for mode in args.modes.split(","):
        ranks: list[int | None] = []
        any_top = 0
        t1 = time.perf_counter()
        for q in queries:
            hits = advisor.search(q["question"], k=10, mode=mode)  # type: ignore[arg-type]
            if level == "passage":
                seen: list[str] = []
                for h in hits:
                    if h.chunk.doc_id not in seen:
                        seen.append(h.chunk.doc_id)
                ranks.append(next((i for i, d in enumerate(seen, 1) if d in q["gold_ids"]), None))
            else:
                ranks.append(next((h.rank for h in hits if h.chunk.chunk_id == golds[q["id"]]), None))
                any_top += bool(hits) and hits[0].chunk.chunk_id in either[q["id"]]
        n = len(ranks)
        out = {f"R@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 4) for k in (1, 5)}
        out["MRR@10"] = round(sum(1 / r for r in ranks if r) / n, 4)
        if level == "chunk":  # an upper bound for the annotated-start gold: the first hit holds any occurrence
            out["R@1 any occurrence"] = round(any_top / n, 4)
        print(json.dumps({"bench": args.bench.name, "level": level, "mode": mode, "questions": n,
                          "chunks": len(chunks), **out, "seconds": round(time.perf_counter() - t1, 1)},
                         ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
