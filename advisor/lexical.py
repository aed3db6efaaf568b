"""Keyword retrieval: jieba tokens (search mode, so compounds also match their parts) scored by BM25 (bm25s)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np

from .cleaning import jieba_module

_STOP = set(
    "的 了 和 与 及 或 等 在 对 为 是 以 将 把 被 从 向 并 其 之 而 也 都 就 要 中 上 下 个 这 那 有 我 我们 你 什么 哪些 怎么 "
    "如何 吗 呢 啊 吧 哪 多少 是否 可以 关于 进行 一个 the a an of to and in for on is are what which how does do with by be "
    "as at".split()
)
_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased jieba search-mode tokens without punctuation and stop words."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [t for t in (w.strip() for w in jieba_module().cut_for_search(text))
            if t and t not in _STOP and _TOKEN_OK.search(t)]


class LexicalIndex:
    """An in-memory BM25 index over one committed generation of the catalog."""

    def __init__(self, generation: int, chunk_ids: list[str], doc_ids: list[str], tokens: list[list[str]]) -> None:
        import bm25s

        self.generation = generation
        self.chunk_ids = chunk_ids
        self.doc_ids = np.array(doc_ids, dtype=object)
        self._id_set = set(chunk_ids)
        self._df: Counter[str] = Counter(t for toks in tokens for t in set(toks))
        self._bm25 = bm25s.BM25() if chunk_ids else None
        if self._bm25 is not None:
            vocab: dict[str, int] = {}
            ids = [[vocab.setdefault(t, len(vocab)) for t in toks] for toks in tokens]
            self._vocab = vocab
            self._bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)

    def idf(self, token: str) -> float:
        """BM25-style inverse document frequency; a token the corpus never uses gets the highest value."""
        n, df = len(self.chunk_ids), self._df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def known_share(self, query: str) -> float:
        """IDF-weighted share of the query's tokens that the corpus vocabulary contains (0 for an empty index)."""
        toks = set(tokenize(query))
        if not toks or self._bm25 is None:
            return 0.0
        weights = {t: self.idf(t) for t in toks}
        return sum(w for t, w in weights.items() if t in self._df) / sum(weights.values())

    def __contains__(self, chunk_id: str) -> bool:
        return chunk_id in self._id_set

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: str, n: int, allowed_docs: set[str] | None = None) -> list[tuple[str, float]]:
        if self._bm25 is None:
            return []
        q = [t for t in tokenize(query) if t in self._vocab]
        if not q:
            return []
        mask = None
        if allowed_docs is not None:
            mask = np.isin(self.doc_ids, list(allowed_docs)).astype(np.float32)
            if not mask.any():
                return []
        n = min(n, len(self.chunk_ids))
        # Token strings are mapped through the index vocabulary by bm25s itself.
        docs, scores = self._bm25.retrieve([q], k=n, show_progress=False, weight_mask=mask, n_threads=0)
        return [(self.chunk_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
