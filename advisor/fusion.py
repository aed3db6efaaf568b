"""Fusion: one ranking from the dense and BM25 candidates of a question.

Strategy (one small, named rule set, as txtai keeps its fusion):
- both rankings are complete over the union of candidates (each chunk carries both scores), so a chunk one
  retriever ranks first is never scored as if the other had not seen it;
- each retriever's scores are min-max normalised over the union and combined convexly; the dense share is
  ``dense_share`` for a question that is mostly Chinese and ``dense_share_latin`` for one that is mostly not
  (its words are barely in a Chinese corpus, so the dense ranking should lead);
- a document the question names indirectly lifts its chunks by ``doc_boost`` × its match strength; one issued for
  another province or city than the one the question names (and not itself named) is lowered by
  ``place_penalty`` (hybrid search only: BM25 alone has no document lift either);
- ties are broken by the BM25 score, then by the dense score, then by id — never by insertion order;
- then the fused top ``RERANK_DEPTH`` are lifted by ``key_term_weight`` × the share of the question's key terms each
  holds (``query.key_coverage``: its asking words after stop words, in any glossary form). Both retrievers reward a
  passage for repeating one frequent word; this rewards holding the different things asked about, as a passage
  that answers does. A question asking for a number, a date or span, or a definition lifts them by a further
  ``answer_form_weight`` × the key-term share of their best sentence holding that form (``answer_forms``): the
  passage that states "2.6万吨" next to the words asked about, not the one that discusses them;
- last, the same top passages are lifted by ``sentence_weight`` × the cosine of each one's closest sentence to the
  question, min-max normalised over them (``lift_by_sentences``): a chunk's one vector blurs the sentence that
  answers with the others around it. The searcher applies these lifts to hybrid rankings only: a single mode stays
  as its retriever ranks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .answer_forms import form_coverage
from .docmatch import named_document
from .query import key_coverage

if TYPE_CHECKING:
    from .config import RetrievalSettings
    from .query import Query


@dataclass
class Candidates:
    """A question's candidates: each retriever's own list (best first) and the other side's scores for them."""

    query: Query
    dense: list[tuple[str, float]] = field(default_factory=list)
    bm25: list[tuple[str, float]] = field(default_factory=list)
    dense_extra: dict[str, float] = field(default_factory=dict)  # cosine of BM25-only candidates
    bm25_extra: dict[str, float] = field(default_factory=dict)  # BM25 score of dense-only candidates
    doc_scores: dict[str, float] = field(default_factory=dict)  # doc_id → how strongly the question names it
    doc_of: dict[str, str] = field(default_factory=dict)  # chunk_id → doc_id (for the document lift)
    elsewhere: set[str] = field(default_factory=set)  # doc_ids issued for another place than the question names
    vector: Any = None  # the embedded question (numpy vector), for the sentence lift; None without a dense side

    def raw_scores(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for name, items, extra in (("dense", self.dense, self.dense_extra), ("bm25", self.bm25, self.bm25_extra)):
            for cid, s in list(items) + list(extra.items()):
                out.setdefault(cid, {})[name] = s
        return out


def _minmax(values: dict[str, float]) -> dict[str, float]:
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    span = hi - lo
    return {k: (v - lo) / span if span > 0 else 1.0 for k, v in values.items()}


def _ranks(items: list[tuple[str, float]]) -> dict[str, int]:
    return {cid: i for i, (cid, _) in enumerate(items, start=1)}


def fuse(c: Candidates, mode: str, settings: RetrievalSettings) -> list[tuple[str, float, dict[str, int]]]:
    """(chunk_id, fused score, {retriever: rank in its own list}) best first."""
    dense_rank, bm25_rank = _ranks(c.dense), _ranks(c.bm25)
    if mode == "dense":
        return [(cid, s, {"dense": dense_rank[cid]}) for cid, s in c.dense]
    if mode == "bm25":
        return [(cid, s, {"bm25": bm25_rank[cid]}) for cid, s in c.bm25]
    raw = c.raw_scores()
    dense = _minmax({cid: s.get("dense", 0.0) for cid, s in raw.items()})
    bm25 = _minmax({cid: s.get("bm25", 0.0) for cid, s in raw.items()})
    share = settings.dense_share_latin if c.query.mostly_latin else settings.dense_share
    lift: dict[str, float] = {}
    if (named := named_document(c.doc_scores, settings.doc_match_min)) is not None:
        lift = {d: settings.doc_boost * s / c.doc_scores[named] for d, s in c.doc_scores.items()}
    for d in c.elsewhere - {named}:  # a document the question names is asked for, wherever it was issued
        lift[d] = lift.get(d, 0.0) - settings.place_penalty
    scores = {cid: share * dense[cid] + (1 - share) * bm25[cid] + lift.get(c.doc_of.get(cid, ""), 0.0)
              for cid in raw}
    order = sorted(scores, key=lambda cid: (-scores[cid], -raw[cid].get("bm25", 0.0), -raw[cid].get("dense", 0.0), cid))
    out = []
    for cid in order:
        ranks = {}
        if cid in dense_rank:
            ranks["dense"] = dense_rank[cid]
        if cid in bm25_rank:
            ranks["bm25"] = bm25_rank[cid]
        out.append((cid, scores[cid], ranks))
    return out


RERANK_DEPTH = 20  # how many of the fused ranking the key-term lift re-scores


def lift_by_question(fused: list[tuple[str, float, dict[str, int]]], query: Query, texts: Mapping[str, str],
                      weight: float, form_weight: float = 0.0) -> list[tuple[str, float, dict[str, int]]]:
    """The fused top ``RERANK_DEPTH`` re-ordered with ``weight`` × the share of the question's key terms each one's
    text (``texts``: chunk id → indexed text) holds, plus ``form_weight`` × that share in its best sentence holding
    the form of answer asked for, added; a chunk without a text gets nothing, the rest follow unchanged, and ties
    keep the fused order. The search and the calibration both rank through here."""
    keys = query.key_terms
    if not (weight or form_weight) or not keys:
        return fused

    def lift(text: str) -> float:
        return weight * key_coverage(keys, text) + (form_weight * form_coverage(query, text) if form_weight else 0.0)

    return _lift_head(fused, {cid: lift(texts[cid]) for cid, _, _ in fused[:RERANK_DEPTH] if cid in texts})


def lift_by_sentences(fused: list[tuple[str, float, dict[str, int]]], sims: Mapping[str, float],
                      weight: float) -> list[tuple[str, float, dict[str, int]]]:
    """The fused top ``RERANK_DEPTH`` re-ordered with ``weight`` × the min-max normalised similarity of each one's
    closest sentence (``sims``: chunk id → cosine; a chunk without one gets nothing); ties keep the fused order."""
    norm = _minmax({cid: sims[cid] for cid, _, _ in fused[:RERANK_DEPTH] if cid in sims})
    if not weight or not norm:
        return fused
    return _lift_head(fused, {cid: weight * v for cid, v in norm.items()})


def _lift_head(fused: list[tuple[str, float, dict[str, int]]],
               gain: Mapping[str, float]) -> list[tuple[str, float, dict[str, int]]]:
    """The fused top ``RERANK_DEPTH`` with their ``gain`` added (none for a chunk without one), re-sorted with ties in
    the fused order; the rest follow unchanged."""
    head = [(cid, score + gain.get(cid, 0.0), ranks) for cid, score, ranks in fused[:RERANK_DEPTH]]
    order = {cid: i for i, (cid, _, _) in enumerate(head)}
    return sorted(head, key=lambda row: (-row[1], order[row[0]])) + fused[RERANK_DEPTH:]


def interleave(first: list[str], second: list[str]) -> list[str]:
    """Two rankings of the same retriever merged by reciprocal rank (k = 60), ties to ``first``."""
    score: dict[str, float] = {}
    for ids in (first, second):
        for rank, cid in enumerate(ids, start=1):
            score[cid] = score.get(cid, 0.0) + 1 / (60 + rank)
    pos = {cid: i for i, cid in enumerate(first + [c for c in second if c not in first])}
    return sorted(score, key=lambda cid: (-score[cid], pos[cid]))
