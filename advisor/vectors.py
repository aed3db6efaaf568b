"""Vector store: Chroma collections (embedded PersistentClient or a Chroma server) holding our own embeddings —
one vector per chunk, and in a second collection one per sentence of each chunk (``<collection>-sentences``, each
record naming its chunk), for the similarity of a passage's closest sentence to the question."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .config import StoreSettings
from .errors import IndexStateError, storage_error

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
MAX_CACHED_VECTORS = 50_000  # about 75 MB at 384 dimensions
PAGE = 5000  # records per paged ``get``


def _names(settings: StoreSettings) -> tuple[str, str]:
    """The chunk collection's name and its sentence collection's."""
    return settings.chroma_collection, f"{settings.chroma_collection}-sentences"


def _by_chunk(pages: list[dict]) -> dict[str, np.ndarray]:
    """Sentence records (``get`` results with embeddings and metadatas) grouped into one matrix per chunk."""
    rows: dict[str, list[np.ndarray]] = {}
    for got in pages:
        for meta, emb in zip(got["metadatas"], got["embeddings"]):
            rows.setdefault(meta["chunk_id"], []).append(np.asarray(emb, dtype=np.float32))
    return {cid: np.stack(r) for cid, r in rows.items()}


class VectorStore:
    """Cosine-space Chroma collection; never uses Chroma's own embedding function."""

    def __init__(self, settings: StoreSettings, embedder_name: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self.where = (f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_mode == "server"
                      else str(settings.data_dir / "chroma"))
        try:
            if settings.chroma_mode == "server":
                self._client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                                   settings=chroma_settings)
                self._client.heartbeat()
            else:
                path = settings.data_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self._col, self._sent = self._collections(settings, embedder_name)
        except IndexStateError:
            raise
        except Exception as exc:  # chromadb raises many types for a dead server or a damaged directory
            where = self.where
            found = storage_error(exc, where)
            if found:
                raise found from None
            raise IndexStateError(
                f"无法打开向量库 {where}（服务器未启动或目录损坏）。可运行 python -m advisor ingest --rebuild 重建",
                f"cannot open the vector store at {where} (server down or directory damaged): {exc}. "
                "Run: python -m advisor ingest --rebuild") from exc
        self.embedder_name = (self._col.metadata or {}).get("embedder", embedder_name)
        # chunk id → its stored vector, for the similarities of BM25-only candidates. An id is a hash of the chunk's
        # document, section and text, so the vector under it never changes while the collection keeps its embedder
        # (a rebuild with another one goes through reset()). Replaced whole, never changed in place, under the lock.
        self._cached: dict[str, np.ndarray] = {}
        self._sentences: dict[str, np.ndarray] = {}  # chunk id → its sentences' vectors (rows), kept the same way
        self._cache_lock = threading.Lock()

    def _collections(self, settings: StoreSettings, embedder_name: str) -> tuple[Any, Any]:
        """The chunk collection and its sentence collection, created when absent."""
        made = [self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder_name}) for name in _names(settings)]
        return made[0], made[1]

    def _guard(self, call, *args, **kwargs):
        """Run a Chroma call; a storage failure (full disk, read-only, server gone) becomes a ``StorageError``."""
        try:
            return call(*args, **kwargs)
        except Exception as exc:
            found = storage_error(exc, self.where)
            if found:
                raise found from None
            raise

    def count(self) -> int:
        return self._guard(self._col.count)

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            found.update(self._guard(self._col.get, ids=list(ids[i:i + 500]), include=[])["ids"])
        return found

    def _pages(self, col: Any, include: list[str], most: int | None = None) -> Iterator[dict]:
        """Every record of a collection, ``PAGE`` per ``get``; stops early once ``most`` records were read."""
        offset = 0
        while most is None or offset < most:
            got = self._guard(col.get, include=include, limit=PAGE, offset=offset)
            yield got
            if len(got["ids"]) < PAGE:
                return
            offset += len(got["ids"])

    def stored(self, ids: Sequence[str], sentences: bool = False) -> dict[str, np.ndarray]:
        """Stored vectors by record id: chunk ids, or with ``sentences`` the ``<chunk id>#<n>`` of their sentences."""
        col = self._sent if sentences else self._col
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 500):
            got = self._guard(col.get, ids=list(ids[i:i + 500]), include=["embeddings"])
            out.update((rid, np.asarray(e, dtype=np.float32)) for rid, e in zip(got["ids"], got["embeddings"]))
        return out

    def all_ids(self) -> set[str]:
        return {cid for got in self._pages(self._col, []) for cid in got["ids"]}

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict],
               sentences: Sequence[np.ndarray] = ()) -> None:
        """Store chunk vectors; ``sentences`` (one matrix per chunk, a row per sentence) are written first, so a
        chunk that has its vector has its sentences' too."""
        rows = [(f"{cid}#{j}", cid, meta.get("doc_id", ""), v)
                for cid, meta, block in zip(ids, metadatas, sentences) for j, v in enumerate(block)]
        for i in range(0, len(rows), 1000):
            part = rows[i:i + 1000]
            self._guard(self._sent.upsert, ids=[r[0] for r in part], embeddings=np.stack([r[3] for r in part]),
                        metadatas=[{"chunk_id": r[1], "doc_id": r[2]} for r in part])
        step = 1000
        for i in range(0, len(ids), step):
            self._guard(self._col.upsert, ids=ids[i:i + step], embeddings=vectors[i:i + step],
                        metadatas=metadatas[i:i + step])

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        gone = set(ids)
        with self._cache_lock:
            self._cached = {cid: v for cid, v in self._cached.items() if cid not in gone}
            self._sentences = {cid: v for cid, v in self._sentences.items() if cid not in gone}
        for i in range(0, len(ids), 1000):
            self._guard(self._col.delete, ids=ids[i:i + 1000])
        self.delete_sentences_of(ids)

    def sentence_owners(self, among: Sequence[str] | None = None) -> set[str]:
        """Chunk ids that have sentence vectors (of ``among`` only, when given)."""
        if among is not None:
            got = self._guard(self._sent.get, where={"chunk_id": {"$in": list(among)}}, include=["metadatas"])
            return {m["chunk_id"] for m in got["metadatas"] if m}
        return {m["chunk_id"] for got in self._pages(self._sent, ["metadatas"]) for m in got["metadatas"] if m}

    def delete_sentences_of(self, chunk_ids: Sequence[str]) -> None:
        """Drop the sentence vectors of these chunks (deleted ones, or ones an interrupted write left without a
        vector)."""
        ids = list(chunk_ids)
        for i in range(0, len(ids), 1000):
            self._guard(self._sent.delete, where={"chunk_id": {"$in": ids[i:i + 1000]}})

    def query(self, vector: np.ndarray, n: int, doc_ids: set[str] | None = None) -> list[tuple[str, float]]:
        where = None
        if doc_ids is not None:
            if not doc_ids:
                return []
            where = {"doc_id": {"$in": sorted(doc_ids)}}
        res = self._guard(self._col.query, query_embeddings=np.atleast_2d(vector), n_results=n, where=where,
                          include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def similarities(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of the query vector to stored chunks (those the dense top list did not reach); the
        vectors are fetched once and kept."""
        cache = self._cached  # one snapshot: a concurrent delete or reset replaces the dict, never changes it
        found = {cid: cache[cid] for cid in ids if cid in cache}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            fetched = self.stored(missing)
            found.update(fetched)
            with self._cache_lock:
                if self._cached is cache:  # nothing was deleted meanwhile (else these may be gone: not kept)
                    kept = cache if len(cache) + len(fetched) <= MAX_CACHED_VECTORS else {}
                    self._cached = {**kept, **fetched}
        known = [cid for cid in ids if cid in found]
        if not known:
            return {}
        sims = np.stack([found[cid] for cid in known]) @ np.asarray(vector, dtype=np.float32)
        return {cid: float(s) for cid, s in zip(known, sims)}

    def sentence_similarities(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine of the query vector to each chunk's closest sentence (chunks without sentence vectors are left
        out); the vectors are fetched once and kept."""
        cache = self._sentences
        found = {cid: cache[cid] for cid in ids if cid in cache}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            fetched = _by_chunk([self._guard(self._sent.get, where={"chunk_id": {"$in": missing}},
                                             include=["embeddings", "metadatas"])])
            found.update(fetched)
            with self._cache_lock:
                if self._sentences is cache:
                    kept = cache if sum(len(v) for v in cache.values()) <= MAX_CACHED_VECTORS else {}
                    self._sentences = {**kept, **fetched}
        q = np.asarray(vector, dtype=np.float32)
        return {cid: float((found[cid] @ q).max()) for cid in ids if cid in found}

    def preload_sentences(self) -> None:
        """Read the sentence vectors into memory now (up to the cache's size), so no question waits for them."""
        cache = self._sentences
        pages = list(self._pages(self._sent, ["embeddings", "metadatas"], most=MAX_CACHED_VECTORS))
        if len(pages[-1]["ids"]) == PAGE:
            return  # stopped at the cache's size, with more to read: fetched per question instead
        with self._cache_lock:
            if self._sentences is cache:  # nothing was deleted meanwhile (else these may be gone: not kept)
                self._sentences = {**cache, **_by_chunk(pages)}

    def reset(self, settings: StoreSettings, embedder_name: str) -> None:
        """Drop and recreate the collections (used by a full rebuild)."""
        for name in _names(settings):
            with contextlib.suppress(Exception):  # absent collection
                self._client.delete_collection(name)
        self._col, self._sent = self._collections(settings, embedder_name)
        self.embedder_name = embedder_name
        with self._cache_lock:
            self._cached = {}
            self._sentences = {}
