"""Evaluation: Recall@k and MRR@10 of each retrieval mode on a JSON Lines question set, with the failures."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .cleaning import char_bigrams
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


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


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


@dataclass
class AnswerResult:
    """Answer-quality metrics of one mode over a question set."""

    mode: str
    n_answerable: int
    n_unanswerable: int
    citation_precision: float  # cited passages that contain gold evidence / all cited passages
    evidence_cited: float  # answered questions whose citations include a gold passage
    supported_sentence_rate: float  # answer sentences with a citation whose passages contain the sentence's words
    not_found_accuracy: float  # unanswerable questions answered "not found"
    wrongly_refused: float  # answerable questions answered "not found"
    latency_p50_ms: float
    latency_p95_ms: float
    failures: list[dict] = field(default_factory=list)


def sentence_supported(sentence: str, passages: list[str]) -> bool:
    """At least half of the sentence's character bigrams occur in the passages it cites."""
    g = char_bigrams(sentence)
    if not g:
        return True
    pool = set().union(*(char_bigrams(p) for p in passages)) if passages else set()
    return len(g & pool) / len(g) >= 0.5


def evaluate_answers(answerer, questions: list[EvalQuestion], mode: str) -> AnswerResult:
    """Ask every question (answerable and not) and score the answers."""
    cited = relevant = answered = with_evidence = 0
    sentences = supported = 0
    refused_ok = refused_bad = 0
    latencies: list[float] = []
    failures: list[dict] = []
    for q in questions:
        ans = answerer.answer(q.question)
        latencies.append(ans.timings["total_ms"])
        if not q.gold:
            refused_ok += not ans.found
            if ans.found:
                failures.append({"id": q.id, "why": "answered an unanswerable question", "answer": ans.answer[:120]})
            continue
        if not ans.found:
            refused_bad += 1
            failures.append({"id": q.id, "why": "wrongly refused", "answer": ans.answer[:120]})
            continue
        answered += 1
        hits_gold = [is_relevant(c.hit.chunk.text, q.gold) for c in ans.citations]
        cited += len(hits_gold)
        relevant += sum(hits_gold)
        with_evidence += any(hits_gold)
        if not any(hits_gold):
            failures.append({"id": q.id, "why": "no cited passage holds the gold evidence", "answer": ans.answer[:120]})
        by_n = {c.n: c.hit.chunk.text for c in ans.citations}
        for s_text, cites in _sentence_cites(ans):
            sentences += 1
            supported += bool(cites) and sentence_supported(s_text, [by_n[n] for n in cites if n in by_n])
    n_ans = sum(1 for q in questions if q.gold)
    n_un = len(questions) - n_ans
    lat = latencies or [0.0]
    return AnswerResult(mode, n_ans, n_un, relevant / max(1, cited), with_evidence / max(1, answered),
                        supported / max(1, sentences), refused_ok / max(1, n_un), refused_bad / max(1, n_ans),
                        percentile(lat, 0.5), percentile(lat, 0.95), failures)


def _sentence_cites(ans) -> list[tuple[str, list[int]]]:
    cites_of: dict[int, list[int]] = {}
    for c in ans.citations:
        for i in c.supports:
            cites_of.setdefault(i, []).append(c.n)
    return [(s, cites_of.get(i, [])) for i, s in enumerate(ans.sentences)]
