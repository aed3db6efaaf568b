"""Keyword retrieval: BM25 (bm25s) over jieba search-mode tokens, queried with weighted terms.

bm25s precomputes each token's BM25 contribution per chunk (a sparse token × chunk matrix); a query is scored by
adding up the columns of its terms, each multiplied by the term's weight, so glossary expansions and context words
can count for less than the words a question is about.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .tokenization import tokenize


class LexicalIndex:
    """An in-memory BM25 index over one committed generation of the catalog."""

    def __init__(self, generation: int, chunk_ids: list[str], doc_ids: list[str], tokens: list[list[str]] | None,
                 *, _arrays: Mapping[str, np.ndarray] | None = None) -> None:
        self.generation = generation
        self.chunk_ids = chunk_ids
        self.doc_ids = np.array(doc_ids, dtype=object)
        self._row = {cid: i for i, cid in enumerate(chunk_ids)}
        self._vocab: dict[str, int] = {}
        self._scores: dict | None = None
        if _arrays is not None:  # loaded from disk (``load``)
            self._vocab = {t: i for i, t in enumerate(_arrays["vocab"].tolist())}
            self._df = Counter(dict(zip(_arrays["vocab"].tolist(), _arrays["df"].tolist())))
            if chunk_ids:
                self._scores = {k: _arrays[k] for k in ("data", "indices", "indptr")}
            return
        import bm25s

        tokens = tokens or []
        self._df = Counter(t for toks in tokens for t in set(toks))
        if chunk_ids:
            ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in toks] for toks in tokens]
            bm25 = bm25s.BM25()
            bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocab), show_progress=False)
            self._scores = bm25.scores

    def save(self, path: Path) -> None:
        """Write the index (scores matrix, vocabulary, document frequencies) to one ``.npz`` file, atomically."""
        vocab = sorted(self._vocab, key=self._vocab.__getitem__)
        arrays = {"vocab": np.array(vocab, dtype=str), "df": np.array([self._df[t] for t in vocab], dtype=np.int64),
                  "chunk_ids": np.array(self.chunk_ids, dtype=str), "doc_ids": self.doc_ids.astype(str),
                  "generation": np.array(self.generation)}
        if self._scores is not None:
            arrays.update({k: np.asarray(self._scores[k]) for k in ("data", "indices", "indptr")})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]  # numpy stubs read **arrays as allow_pickle
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, generation: int, chunk_ids: list[str]) -> LexicalIndex | None:
        """The index saved for this generation and exactly these chunks, or None (missing, stale, unreadable)."""
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError, KeyError):
            return None
        if int(arrays["generation"]) != generation or arrays["chunk_ids"].tolist() != chunk_ids:
            return None
        return cls(generation, chunk_ids, arrays["doc_ids"].tolist(), None, _arrays=arrays)

    def idf(self, token: str) -> float:
        """BM25-style inverse document frequency; a token the corpus never uses gets the highest value."""
        n, df = len(self.chunk_ids), self._df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def df(self, token: str) -> int:
        return self._df.get(token, 0)

    def knows(self, token: str) -> bool:
        return token in self._vocab

    def vocabulary(self) -> list[str]:
        return list(self._vocab)

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
