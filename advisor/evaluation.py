"""Evaluation: retrieval (Recall@k, MRR@10 per mode) and answer quality (answered, citation precision, refusals)
on JSON Lines question sets, with the failures.

A question set line: ``{"id", "question", "gold": [exact substrings of the corpus], "turns": [earlier user
questions…, question]?, "lang"?, "kind"?, "lacks"?}``. An empty ``gold`` marks a question the library cannot
answer. A passage is relevant when it contains a gold string (NFKC, whitespace removed on both sides).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AdvisorError
from .records import Answer, Hit, Turn
from .text import char_bigrams, is_english

RECALL_AT = (1, 5, 10)


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    gold: tuple[str, ...]
    history: tuple[str, ...] = ()  # earlier user questions of a conversation, oldest first
    lang: str = "zh"
    kind: str | None = None
    lacks: str | None = None  # for an unanswerable question: what the library does not hold

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass
class Failure:
    id: str
    question: str
    gold: tuple[str, ...]
    rank: int | None
    retrieved: list[dict]


@dataclass
class ModeResult:
    mode: str
    n: int
    recall: dict[int, float]
    mrr10: float
    recall5_by_lang: dict[str, float] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    fail_at: int = 5  # a failure: the gold passage is not in the top ``fail_at``
    recall_chars: float = 0.0  # gold within the first CONTEXT_CHARS characters of the hits (equal context budget)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def norm(text: str) -> str:
    """NFKC, then every whitespace character removed: how gold strings are matched against passages."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_set(path: Path) -> list[EvalQuestion]:
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AdvisorError("无法读取评测集", f"cannot read the eval set: {exc}", path) from exc
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            turns = [str(t) for t in row.get("turns") or []]
            question = str(row.get("question") or (turns[-1] if turns else ""))
            if not question.strip():
                raise KeyError("question")
            history = tuple(turns[:-1]) if turns else ()
            lang = row.get("lang") or ("en" if is_english(question) else "zh")
            out.append(EvalQuestion(str(row["id"]), question, tuple(row.get("gold") or []), history, lang,
                                    row.get("kind"), row.get("lacks")))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise AdvisorError(f"评测集第 {i} 行格式错误（需要 id、question、gold）",
                               f"line {i} of the eval set is malformed (needs id, question, gold): {exc}", path) from exc
    return out


def is_relevant(hit_text: str, gold: Sequence[str]) -> bool:
    text = norm(hit_text)
    return any(norm(g) in text for g in gold)


def first_relevant(hits: list[Hit], gold: Sequence[str]) -> int | None:
    return next((h.rank for h in hits if is_relevant(h.chunk.text, gold)), None)


# Recall at equal context: the gold inside the first 1,500 characters of the concatenated hits (the measure of
# ../shared/benchmarks/peer_baseline.py, fair across chunk sizes).
CONTEXT_CHARS = 1500


def within_context(hits: list[Hit], gold: Sequence[str], budget: int = CONTEXT_CHARS) -> bool:
    context = "".join(norm(h.chunk.text) for h in hits)[:budget]
    return any(norm(g) in context for g in gold)


Search = Callable[[str, int, str], list[Hit]]  # (query, k, mode) → hits


def evaluate(search: Search, standalone: Callable[[EvalQuestion], str], questions: list[EvalQuestion],
             k: int = 10, modes: Sequence[str] = ("hybrid", "dense", "bm25"), fail_at: int = 5) -> list[ModeResult]:
    """Every answerable question in each mode; a conversation's last question is searched as ``standalone``
    rewrites it. A question whose gold is not in the top ``fail_at`` is a failure."""
    answerable = [q for q in questions if q.answerable]
    queries = [standalone(q) for q in answerable]
    results = []
    for mode in modes:
        ranks: list[int | None] = []
        failures = []
        in_context = 0
        for q, query in zip(answerable, queries):
            hits = search(query, k, mode)
            r = first_relevant(hits, q.gold)
            ranks.append(r)
            in_context += within_context(hits, q.gold)
            if r is None or r > fail_at:
                failures.append(Failure(q.id, q.question if not q.history else f"{' / '.join(q.history)} / {q.question}",
                                        q.gold, r, [{"rank": h.rank, "doc": h.meta.title, "section": h.chunk.section,
                                                     "text": h.chunk.text[:80]} for h in hits[:3]]))
        results.append(ModeResult(mode, len(answerable), _recalls(ranks, k), _mrr(ranks),
                                  {lang: _recalls([r for r, q in zip(ranks, answerable) if q.lang == lang], 5)[5]
                                   for lang in sorted({q.lang for q in answerable})}, failures, fail_at,
                                  in_context / (len(answerable) or 1)))
    return results


def _recalls(ranks: list[int | None], k: int) -> dict[int, float]:
    n = len(ranks) or 1
    return {c: sum(1 for r in ranks if r is not None and r <= c) / n for c in RECALL_AT if c <= max(k, 5)}


def _mrr(ranks: list[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r is not None and r <= 10) / (len(ranks) or 1)


@dataclass
class AnswerResult:
    """Answer quality of one mode over a question set."""

    mode: str
    n_answerable: int
    n_unanswerable: int
    answered: float  # answerable questions that got an answer (not the not-found answer)
    citation_precision: float  # answered questions whose cited passages include one holding the gold evidence
    citation_precision_per_citation: float  # cited passages holding gold evidence / all cited passages
    supported_sentence_rate: float  # answer sentences whose cited passages hold most of their words
    refused_unanswerable: float  # unanswerable questions answered "not found"
    answered_by_lang: dict[str, float]
    latency_p50_ms: float
    latency_p95_ms: float
    failures: list[dict] = field(default_factory=list)

    @property
    def not_found_accuracy(self) -> float:
        return self.refused_unanswerable


def sentence_supported(sentence: str, passages: list[str]) -> bool:
    """At least half of the sentence's character bigrams occur in the passages it cites."""
    g = char_bigrams(sentence)
    if not g:
        return True
    pool = set().union(*(char_bigrams(p) for p in passages)) if passages else set()
    return len(g & pool) / len(g) >= 0.5


Ask = Callable[[str, Sequence[Turn]], Answer]  # (question, history) → answer


def ask_in_conversation(ask: Ask, q: EvalQuestion) -> Answer:
    """Ask a question after its conversation's earlier turns (each answered by the same system)."""
    history: list[Turn] = []
    for earlier in q.history:
        reply = ask(earlier, tuple(history))
        history += [Turn("user", earlier), Turn("assistant", reply.answer)]
    return ask(q.question, tuple(history))


def evaluate_answers(ask: Ask, questions: list[EvalQuestion], mode: str) -> AnswerResult:
    """Ask every question (answerable and not) and score the answers."""
    cited = relevant = answered = with_evidence = 0
    sentences = supported = 0
    refused_ok = 0
    latencies: list[float] = []
    failures: list[dict] = []
    answered_lang: dict[str, list[bool]] = {}
    for q in questions:
        ans = ask_in_conversation(ask, q)
        latencies.append(ans.timings["total_ms"])
        row = {"id": q.id, "question": q.question, "answer": ans.answer[:200]}
        if not q.answerable:
            refused_ok += not ans.found
            if ans.found:
                failures.append({**row, "why": "answered an unanswerable question", "lacks": q.lacks})
            continue
        answered_lang.setdefault(q.lang, []).append(ans.found)
        if not ans.found:
            failures.append({**row, "why": "wrongly refused", "gold": q.gold})
            continue
        answered += 1
        hits_gold = [is_relevant(c.hit.chunk.text, q.gold) for c in ans.citations]
        cited += len(hits_gold)
        relevant += sum(hits_gold)
        with_evidence += any(hits_gold)
        if not any(hits_gold):
            failures.append({**row, "why": "no cited passage holds the gold evidence", "gold": q.gold})
        by_n = {c.n: c.hit.chunk.text for c in ans.citations}
        for s_text, cites in _sentence_cites(ans):
            sentences += 1
            supported += bool(cites) and sentence_supported(s_text, [by_n[n] for n in cites if n in by_n])
    n_ans = sum(1 for q in questions if q.answerable)
    n_un = len(questions) - n_ans
    lat = latencies or [0.0]
    return AnswerResult(mode, n_ans, n_un, answered / max(1, n_ans), with_evidence / max(1, answered),
                        relevant / max(1, cited), supported / max(1, sentences), refused_ok / max(1, n_un),
                        {lang: sum(v) / len(v) for lang, v in sorted(answered_lang.items())},
                        percentile(lat, 0.5), percentile(lat, 0.95), failures)


def _sentence_cites(ans: Answer) -> list[tuple[str, list[int]]]:
    cites_of: dict[int, list[int]] = {}
    for c in ans.citations:
        for i in c.supports:
            cites_of.setdefault(i, []).append(c.n)
    return [(s, cites_of.get(i, [])) for i, s in enumerate(ans.sentences)]
