"""Retrieval: dense (Chroma) and BM25 rankings fused by RRF, metadata filters, near-duplicate suppression."""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from .catalog import Catalog
from .cleaning import char_bigrams
from .config import Settings
from .embedding import Embedder
from .errors import QueryError
from .fusion import reciprocal_rank_fusion
from .lexical import LexicalIndex
from .records import Hit, SearchFilters
from .vectors import VectorStore

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 2000


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller bigram set found in the other (1.0: one text contains the other)."""
    return len(a & b) / max(1, min(len(a), len(b)))


class Searcher:
    """Searches one index. Thread-safe; the BM25 side follows the catalog's committed generation."""

    def __init__(self, settings: Settings, embedder: Embedder, catalog: Catalog, vectors: VectorStore) -> None:
        self.settings, self.embedder, self.catalog, self.vectors = settings, embedder, catalog, vectors
        self._lexical: LexicalIndex | None = None
        self._lock = threading.Lock()

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the latest committed generation (rebuilt only when the catalog changed)."""
        gen = self.catalog.generation()
        current = self._lexical
        if current is not None and current.generation == gen:
            return current
        with self._lock:
            if self._lexical is None or self._lexical.generation != self.catalog.generation():
                rows = self.catalog.lexical_rows()
                self._lexical = LexicalIndex(rows.generation, rows.chunk_ids, rows.doc_ids, rows.tokens)
            return self._lexical

    def allowed_docs(self, filters: SearchFilters | None) -> set[str] | None:
        if filters is None or filters.is_empty():
            return None
        out = set()
        for info in self.catalog.documents():
            m = info.meta
            if filters.doc_ids and m.doc_id not in filters.doc_ids and m.source not in filters.doc_ids:
                continue
            if filters.issuer and (not m.issuer or filters.issuer not in m.issuer):
                continue
            if filters.doc_types and m.doc_type not in filters.doc_types:
                continue
            if filters.year_from and (m.year is None or m.year < filters.year_from):
                continue
            if filters.year_to and (m.year is None or m.year > filters.year_to):
                continue
            out.add(m.doc_id)
        return out

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid",
               filters: SearchFilters | None = None, timings: dict[str, float] | None = None) -> list[Hit]:
        """Top-k hits for a query. Raises ``QueryError`` for an empty query."""
        query = (query or "").strip()
        if not query:
            raise QueryError("问题为空，请输入要检索的内容", "the query is empty")
        if mode not in MODES:
            raise QueryError(f"未知检索模式 {mode}（可选 hybrid、dense、bm25）", f"unknown mode {mode}")
        query = query[:MAX_QUERY_CHARS]
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k * 3)
        allowed = self.allowed_docs(filters)
        lexical = self.lexical()
        rankings: dict[str, list[str]] = {}
        raw: dict[str, dict[str, float]] = {}
        t0 = time.perf_counter()
        if mode in ("hybrid", "dense"):
            vec = self.embedder.embed_queries([query])[0]
            t1 = time.perf_counter()
            dense = [(cid, sim) for cid, sim in self.vectors.query(vec, n, allowed) if cid in lexical]
            rankings["dense"] = [cid for cid, _ in dense]
            for cid, sim in dense:
                raw.setdefault(cid, {})["dense"] = sim
            t2 = time.perf_counter()
            if timings is not None:
                timings["embed_ms"], timings["dense_ms"] = (t1 - t0) * 1e3, (t2 - t1) * 1e3
        if mode in ("hybrid", "bm25"):
            t3 = time.perf_counter()
            found = lexical.search(query, n, allowed)
            rankings["bm25"] = [cid for cid, _ in found]
            for cid, score in found:
                raw.setdefault(cid, {})["bm25"] = score
            if timings is not None:
                timings["bm25_ms"] = (time.perf_counter() - t3) * 1e3
        # BM25 is trusted in proportion to how much of the query the corpus vocabulary knows: an English question
        # over Chinese texts matches only stray English words, and the dense ranking should lead.
        bm25_weight = self.settings.bm25_weight
        if mode == "hybrid" and self.settings.adaptive_bm25:
            bm25_weight *= lexical.known_share(query)
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k,
                                       weights={"dense": self.settings.dense_weight, "bm25": bm25_weight})
        return self._hits(fused, k, raw)

    def _hits(self, fused: list[tuple[str, float, dict[str, int]]], k: int,
              raw: dict[str, dict[str, float]]) -> list[Hit]:
        rows = self.catalog.hydrate(cid for cid, _, _ in fused[: k * 4])
        hits: list[Hit] = []
        grams: list[set[str]] = []
        for cid, score, ranks in fused:
            if cid not in rows:
                continue  # committed after our BM25 snapshot, or removed since: not part of this state
            chunk, meta = rows[cid]
            g = char_bigrams(chunk.text)
            if any(overlap(g, other) > self.settings.dedup_threshold for other in grams):
                continue
            grams.append(g)
            hits.append(Hit(rank=len(hits) + 1, score=score, chunk=chunk, meta=meta,
                            retrievers=tuple(sorted(ranks)), ranks=dict(ranks), scores=raw.get(cid, {})))
            if len(hits) == k:
                break
        return hits


class AdvisorRetriever(BaseRetriever):
    """The searcher as a LangChain retriever: ``invoke(query)`` → documents with citation metadata."""

    searcher: Any
    k: int = 5
    mode: str = "hybrid"
    filters: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.searcher.search(query, k=self.k, mode=self.mode, filters=self.filters)
        out = []
        for hit in hits:
            meta = hit.to_json()
            text = meta.pop("text")
            out.append(LCDocument(page_content=text, metadata=meta, id=hit.chunk.chunk_id))
        return out
