"""Keyword retrieval: BM25 (bm25s) over jieba search-mode tokens, queried with weighted terms.

bm25s precomputes each token's BM25 contribution per chunk (a sparse token × chunk matrix); a query is scored by
adding up the columns of its terms, each multiplied by the term's weight, so glossary expansions and context words
can count for less than the words a question is about.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np

from .tokenization import tokenize


class LexicalIndex:
    """An in-memory BM25 index over one committed generation of the catalog."""

    def __init__(self, generation: int, chunk_ids: list[str], doc_ids: list[str], tokens: list[list[str]]) -> None:
        import bm25s

        self.generation = generation
        self.chunk_ids = chunk_ids
        self.doc_ids = np.array(doc_ids, dtype=object)
        self._row = {cid: i for i, cid in enumerate(chunk_ids)}
        self._df: Counter[str] = Counter(t for toks in tokens for t in set(toks))
        self._vocab: dict[str, int] = {}
        self._scores: dict | None = None
        if chunk_ids:
            ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in toks] for toks in tokens]
            bm25 = bm25s.BM25()
            bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocab), show_progress=False)
            self._scores = bm25.scores

    def idf(self, token: str) -> float:
        """BM25-style inverse document frequency; a token the corpus never uses gets the highest value."""
        n, df = len(self.chunk_ids), self._df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def df(self, token: str) -> int:
        return self._df.get(token, 0)

    def knows(self, token: str) -> bool:
        return token in self._vocab

    def known_share(self, query: str) -> float:
        """IDF-weighted share of the query's tokens that the corpus vocabulary contains (0 for an empty index)."""
        toks = set(tokenize(query))
        if not toks or self._scores is None:
            return 0.0
        weights = {t: self.idf(t) for t in toks}
        return sum(w for t, w in weights.items() if t in self._df) / sum(weights.values())

    def doc_of(self, chunk_id: str) -> str:
        return str(self.doc_ids[self._row[chunk_id]])

    def __contains__(self, chunk_id: str) -> bool:
        return chunk_id in self._row

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def score_all(self, terms: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every chunk for weighted query terms (terms the corpus lacks add nothing)."""
        out = np.zeros(len(self.chunk_ids), dtype=np.float32)
        if self._scores is None:
            return out
        data, indices, indptr = self._scores["data"], self._scores["indices"], self._scores["indptr"]
        for term, weight in terms.items():
            col = self._vocab.get(term)
            if col is None or weight <= 0:
                continue
            lo, hi = indptr[col], indptr[col + 1]
            out[indices[lo:hi]] += weight * data[lo:hi]
        return out

    def search_terms(self, terms: Mapping[str, float], n: int,
                     allowed_docs: set[str] | None = None) -> list[tuple[str, float]]:
        """The ``n`` best chunks (id, score) with a positive score, best first."""
        scores = self.score_all(terms)
        if allowed_docs is not None:
            scores = scores * np.isin(self.doc_ids, list(allowed_docs))
        positive = np.flatnonzero(scores > 0)
        if not len(positive):
            return []
        top = positive[np.argsort(-scores[positive], kind="stable")[:n]]
        return [(self.chunk_ids[int(i)], float(scores[i])) for i in top]

    def search(self, query: str, n: int, allowed_docs: set[str] | None = None) -> list[tuple[str, float]]:
        """Plain BM25: every token of the query weighs 1."""
        return self.search_terms(dict.fromkeys(tokenize(query), 1.0), n, allowed_docs)

    def score_of(self, terms: Mapping[str, float], chunk_ids: list[str]) -> dict[str, float]:
        """BM25 scores of given chunks (e.g. those only the dense retriever found)."""
        scores = self.score_all(terms)
        return {cid: float(scores[self._row[cid]]) for cid in chunk_ids if cid in self._row}
