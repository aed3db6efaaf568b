"""Retrieval: the question analysed, dense (Chroma) and BM25 candidates, fused, filtered, de-duplicated.

Dense candidates are embedded questions against Chroma; BM25 candidates come from the weighted terms of the
analysed question (``query``). Both rankings are completed over the union of candidates — a chunk only one side
listed gets its true score from the other side — and fused by ``fusion``. Documents the question names indirectly
(by title words, issuer, year, type) lift their chunks a little (``docmatch``), and in a hybrid search the fused top
passages are lifted by the share of the question's key terms they hold, and by the form of answer it asks for
(``fusion.lift_by_question``), then by how close their closest sentence is to the question
(``fusion.lift_by_sentences``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from .catalog import Catalog
from .config import RetrievalSettings
from .docmatch import DocMatcher, named_document
from .embedding import Embedder
from .errors import QueryError
from .fusion import RERANK_DEPTH, Candidates, fuse, lift_by_question, lift_by_sentences
from .lexical import LexicalIndex
from .query import Query, QueryAnalyzer
from .records import Chunk, DocMeta, Hit, SearchFilters
from .text import bigram_overlap, char_bigrams
from .vectors import VectorStore

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 2000


@lru_cache(maxsize=4096)
def _bigrams(text: str) -> frozenset[str]:
    """The near-duplicate test compares the same passages query after query: their bigram sets are kept."""
    return frozenset(char_bigrams(text))


@dataclass
class _Snapshot:
    """Everything derived from one committed generation of the catalog."""

    lexical: LexicalIndex
    analyzer: QueryAnalyzer
    docs: DocMatcher
    # chunk records read so far: a chunk id names the same text in every generation (its digest), and a search reads
    # the same few dozen again and again — from memory it skips a connection and the JSON of each document's metadata
    rows: dict[str, tuple[Chunk, DocMeta]] = field(default_factory=dict)

    def hydrate(self, catalog: Catalog, chunk_ids: Iterable[str]) -> dict[str, tuple[Chunk, DocMeta]]:
        """The records of ``chunk_ids`` that the catalog holds, read from it only the first time."""
        ids = list(dict.fromkeys(chunk_ids))
        missing = [cid for cid in ids if cid not in self.rows]
        if missing:
            self.rows.update(catalog.hydrate(missing))
        return {cid: self.rows[cid] for cid in ids if cid in self.rows}


class Searcher:
    """Searches one index. Thread-safe; the BM25 side follows the catalog's committed generation."""

    def __init__(self, settings: RetrievalSettings, embedder: Embedder, catalog: Catalog, vectors: VectorStore,
                 bm25_dir: Path | None = None) -> None:
        """``bm25_dir``: where the BM25 side is saved per generation (None: kept in memory only)."""
        self.settings, self.embedder, self.catalog, self.vectors = settings, embedder, catalog, vectors
        self.bm25_dir = bm25_dir
        # False while the vectors of a lexical-first ingest are still being built: hybrid searches use BM25 alone
        self.dense_ready = True
        self._snap: _Snapshot | None = None
        self._lock = threading.Lock()

    def _snapshot(self) -> _Snapshot:
        gen = self.catalog.generation()
        current = self._snap
        if current is not None and current.lexical.generation == gen:
            return current
        with self._lock:
            if self._snap is None or self._snap.lexical.generation != self.catalog.generation():
                lexical = self._lexical_index()
                metas = [d.meta for d in self.catalog.documents()]
                self._snap = _Snapshot(lexical, QueryAnalyzer(lexical, titles=tuple(m.title for m in metas)),
                                       DocMatcher(metas))
            return self._snap

    def _lexical_index(self) -> LexicalIndex:
        """The BM25 side of the committed generation: read from ``bm25/`` when saved for exactly these chunks,
        else built from the catalog's tokens and saved (a read-only data folder just keeps it in memory)."""
        gen, ids = self.catalog.lexical_ids()
        folder = self.bm25_dir
        saved = LexicalIndex.load(folder / f"generation-{gen}.npz", gen, ids) if folder else None
        if saved is not None:
            return saved
        rows = self.catalog.lexical_rows()
        lexical = LexicalIndex(rows.generation, rows.chunk_ids, rows.doc_ids, rows.tokens)
        if folder is None:
            return lexical
        try:
            lexical.save(folder / f"generation-{rows.generation}.npz")
            for old in folder.glob("generation-*.npz"):
                if old.name != f"generation-{rows.generation}.npz":
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        return lexical

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the latest committed generation (rebuilt only when the catalog changed)."""
        return self._snapshot().lexical

    def analyze(self, query: str) -> Query:
        return self._snapshot().analyzer.analyze(query)

    def named_document(self, query: Query) -> DocMeta | None:
        """The document the (analysed) question names by its title or a short form of it ("零碳园区通知"), if one
        stands out; its record comes from the snapshot the search itself reads."""
        docs = self._snapshot().docs
        doc_id = named_document(docs.scores(query.text, query.terms), self.settings.doc_match_min)
        return next((m for m in docs.metas if m.doc_id == doc_id), None) if doc_id else None

    def allowed_docs(self, filters: SearchFilters | None) -> set[str] | None:
        if filters is None or filters.is_empty():
            return None
        out = set()
        for info in self.catalog.documents():
            m = info.meta
            if filters.doc_ids and not {m.doc_id, m.source, m.doc_id.rsplit("/", 1)[-1]} & set(filters.doc_ids):
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

    def effective_mode(self, mode: Mode) -> Mode:
        """The mode a search really runs in: BM25 alone until the dense side is ready."""
        return mode if self.dense_ready else "bm25"

    def candidates(self, query: str, mode: Mode = "hybrid", n: int | None = None,
                   filters: SearchFilters | None = None, timings: dict[str, float] | None = None) -> Candidates:
        """Both rankings (as the mode asks) with their raw scores, completed over the union of candidates."""
        return self._candidates(self._snapshot(), query, mode, n, filters, timings)

    def _candidates(self, snap: _Snapshot, query: str, mode: Mode, n: int | None, filters: SearchFilters | None,
                    timings: dict[str, float] | None) -> Candidates:
        query = (query or "").strip()
        if not query:
            raise QueryError("问题为空，请输入要检索的内容", "the query is empty")
        if mode not in MODES:
            raise QueryError(f"未知检索模式 {mode}（可选 hybrid、dense、bm25）", f"unknown mode {mode}")
        query = query[:MAX_QUERY_CHARS]
        mode = self.effective_mode(mode)
        n = n or self.settings.candidates
        allowed = self.allowed_docs(filters)
        q = snap.analyzer.analyze(query)
        cands = Candidates(q)
        t0 = time.perf_counter()
        vec = None
        if mode in ("hybrid", "dense"):
            vec = cands.vector = self.embedder.embed_queries([q.dense_text])[0]
            t1 = time.perf_counter()
            cands.dense = [(cid, sim) for cid, sim in self.vectors.query(vec, n, allowed) if cid in snap.lexical]
            if timings is not None:
                timings["embed_ms"], timings["dense_ms"] = (t1 - t0) * 1e3, (time.perf_counter() - t1) * 1e3
        cands.doc_scores = snap.docs.scores(query, q.terms)
        cands.elsewhere = snap.docs.elsewhere(query, q.terms)
        terms = q.terms
        named = named_document(cands.doc_scores, self.settings.doc_match_min)
        if mode == "hybrid" and named is not None:  # BM25 alone has no document lift to make up for it
            terms = snap.docs.content_terms(q.terms, named, self.settings.title_term_weight)
        if mode in ("hybrid", "bm25"):
            t2 = time.perf_counter()
            cands.bm25 = snap.lexical.search_terms(terms, n, allowed)
            if timings is not None:
                timings["bm25_ms"] = (time.perf_counter() - t2) * 1e3
        if mode == "hybrid":
            self._complete(cands, snap.lexical, vec, terms)
        cands.doc_of = {cid: snap.lexical.doc_of(cid) for cid in cands.raw_scores()}
        return cands

    def _complete(self, cands: Candidates, lexical: LexicalIndex, vec: np.ndarray | None,
                  terms: dict[str, float]) -> None:
        """Give each side's candidates the other side's score too (BM25 from the matrix, cosine from Chroma)."""
        dense_ids = {cid for cid, _ in cands.dense}
        bm25_ids = {cid for cid, _ in cands.bm25}
        cands.bm25_extra = lexical.score_of(terms, sorted(dense_ids - bm25_ids))
        missing = sorted(bm25_ids - dense_ids)
        if missing and vec is not None:
            cands.dense_extra = self.vectors.similarities(vec, missing)

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid",
               filters: SearchFilters | None = None, timings: dict[str, float] | None = None) -> list[Hit]:
        """Top-k hits for a query. Raises ``QueryError`` for an empty query or an unknown mode."""
        k = k or self.settings.top_k
        mode = self.effective_mode(mode)
        snap = self._snapshot()
        cands = self._candidates(snap, query, mode, max(self.settings.candidates, k * 3), filters, timings)
        fused = fuse(cands, mode, self.settings)
        rows = snap.hydrate(self.catalog, (cid for cid, _, _ in fused[: max(k * 4, RERANK_DEPTH)]))
        if mode == "hybrid" and (self.settings.key_term_weight or self.settings.answer_form_weight):
            texts = {cid: rows[cid][0].index_text for cid, _, _ in fused[:RERANK_DEPTH] if cid in rows}
            fused = lift_by_question(fused, cands.query, texts, self.settings.key_term_weight,
                                      self.settings.answer_form_weight)
        if mode == "hybrid" and self.settings.sentence_weight and cands.vector is not None:
            sims = self.vectors.sentence_similarities(cands.vector, [cid for cid, _, _ in fused[:RERANK_DEPTH]])
            fused = lift_by_sentences(fused, sims, self.settings.sentence_weight)
        return self._hits(fused, k, cands, rows)

    def _hits(self, fused: list[tuple[str, float, dict[str, int]]], k: int, cands: Candidates,
              rows: dict[str, tuple[Chunk, DocMeta]]) -> list[Hit]:
        raw = cands.raw_scores()
        hits: list[Hit] = []
        grams: list[frozenset[str]] = []
        for cid, score, ranks in fused:
            if cid not in rows:
                continue  # committed after our BM25 snapshot, or removed since: not part of this state
            chunk, meta = rows[cid]
            g = _bigrams(chunk.text)
            if any(bigram_overlap(g, other) > self.settings.dedup_threshold for other in grams):
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
