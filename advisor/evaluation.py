"""Evaluation: Recall@k and MRR@10 of each retrieval mode on a JSON Lines question set, with the failures."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AdvisorError
from .records import Hit
from .retrieval import MODES, Searcher


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    gold: tuple[str, ...]


@dataclass
class Failure:
    id: str
    question: str
    gold: tuple[str, ...]
    retrieved: list[dict]


@dataclass
class ModeResult:
    mode: str
    n: int
    recall: dict[int, float]
    mrr10: float
    failures: list[Failure] = field(default_factory=list)


def norm(text: str) -> str:
    """NFKC, then every whitespace character removed: how gold strings are matched against passages."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def load_set(path: Path) -> list[EvalQuestion]:
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(EvalQuestion(str(row["id"]), row["question"], tuple(row.get("gold", []))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise AdvisorError(f"评测集第 {i} 行格式错误（需要 id、question、gold）",
                               f"line {i} of the eval set is malformed (needs id, question, gold): {exc}", path) from exc
    return out


def is_relevant(hit_text: str, gold: tuple[str, ...]) -> bool:
    text = norm(hit_text)
    return any(norm(g) in text for g in gold)


def first_relevant(hits: list[Hit], gold: tuple[str, ...]) -> int | None:
    return next((h.rank for h in hits if is_relevant(h.chunk.text, gold)), None)


def evaluate(searcher: Searcher, questions: list[EvalQuestion], k: int = 10,
             modes: tuple[str, ...] = MODES) -> list[ModeResult]:
    """Run every answerable question (non-empty gold) in each mode."""
    answerable = [q for q in questions if q.gold]
    results = []
    for mode in modes:
        ranks: list[int | None] = []
        failures = []
        for q in answerable:
            hits = searcher.search(q.question, k=k, mode=mode)  # type: ignore[arg-type]
            r = first_relevant(hits, q.gold)
            ranks.append(r)
            if r is None or r > 5:
                failures.append(Failure(q.id, q.question, q.gold,
                                        [{"rank": h.rank, "doc": h.meta.title, "section": h.chunk.section,
                                          "text": h.chunk.text[:80]} for h in hits[:3]]))
        n = len(answerable) or 1
        recall = {c: sum(1 for r in ranks if r is not None and r <= c) / n for c in (1, 5, 10) if c <= k}
        mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
        results.append(ModeResult(mode, len(answerable), recall, mrr, failures))
    return results
