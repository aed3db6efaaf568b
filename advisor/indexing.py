"""Indexing: files → documents → chunks → embeddings, committed to Chroma and the catalog, one document at a time.

Order of writes for one document: new vectors are upserted first, then the catalog swaps the document's chunk list
in one transaction, then vectors no longer referenced are deleted. A crash at any point leaves the old or the new
version searchable, never a mix; stray vectors are ignored by search and swept by the next ingest.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from .catalog import Catalog, DocInfo
from .chunking import Chunker
from .cleaning import clean
from .config import Settings
from .embedding import Embedder
from .errors import AdvisorError, IndexStateError, IngestError
from .loading import SUPPORTED, load_file, load_manifest
from .records import Chunk, Document, IngestReport
from .tokenization import TOKENIZER_VERSION, tokenize
from .vectors import VectorStore

CHUNKER_VERSION = "1"
Progress = Callable[[int, int, str], None]  # done, total, message


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the supported files below them (sorted); keep files as given."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                              and not f.name.startswith(".") and f.name.upper() not in ("README.MD", "README.TXT")))
        else:
            out.append(p)
    return out


def safe_name(name: str) -> str:
    """An uploaded file's name without any folder part (``../``, absolute paths, Windows separators)."""
    base = re.split(r"[\\/]", name.strip())[-1].strip().lstrip(".")
    return base or "upload"


def set_aside(data_dir: Path) -> Path | None:
    """Rename an index folder that cannot be opened to ``<name>.broken-<time>`` (nothing is deleted)."""
    if not data_dir.exists():
        return None
    target = data_dir.with_name(f"{data_dir.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    data_dir.rename(target)
    return target


class Index:
    """The searchable state: catalog + vector store, opened for one embedder."""

    def __init__(self, settings: Settings, embedder: Embedder, *, rebuild: bool = False) -> None:
        self.settings = settings
        self.embedder = embedder
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(settings.data_dir / "catalog.sqlite3")
        self.vectors = VectorStore(settings, embedder.name)
        self.chunker = Chunker(settings.chunk_max_chars)
        built_with = self.catalog.get_meta("embedder")
        if built_with and built_with != embedder.name and self.catalog.count_chunks() and not rebuild:
            raise IndexStateError(
                f"索引由嵌入模型 {built_with} 构建，当前配置为 {embedder.name}。请运行 python -m advisor ingest --rebuild 重新建立索引",
                f"the index was built with embedder {built_with} but {embedder.name} is configured. "
                "Re-index with: python -m advisor ingest --rebuild")

    # -- state --------------------------------------------------------------------------------------------
    def documents(self) -> list[DocInfo]:
        return self.catalog.documents()

    def is_empty(self) -> bool:
        return self.catalog.count_chunks() == 0

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        with open(self.settings.data_dir / "write.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- ingest -------------------------------------------------------------------------------------------
    def prepare(self, path: Path, manifest: dict | None = None, rel: str | None = None) -> tuple[Document, list[Chunk]]:
        """Load, clean and chunk one file without touching the index."""
        raw = load_file(path, manifest, rel=rel, max_mb=self.settings.max_file_mb)
        doc = clean(raw)
        if len("".join(doc.text.split())) < self.settings.min_text_chars:
            if raw.paged:
                raise IngestError("PDF 没有可提取的文字层（可能是扫描件/纯图片），请先进行 OCR",
                                  "PDF has no text layer (scanned or image-only); run OCR first", path)
            raise IngestError("文件没有可用的文字内容", "file has no usable text", path)
        return doc, self.chunker.chunk(doc)

    def _content_hash(self, doc: Document) -> str:
        h = hashlib.sha256()
        h.update(json.dumps([CHUNKER_VERSION, TOKENIZER_VERSION, self.settings.chunk_max_chars,
                             asdict(doc.meta), doc.page_starts], ensure_ascii=False).encode())
        h.update(doc.text.encode())
        return h.hexdigest()

    def ingest(self, paths: Iterable[Path], *, rebuild: bool = False, progress: Progress | None = None) -> IngestReport:
        """Index files and folders. A bad file is reported and skipped; the rest of the batch goes on."""
        t0 = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        corpus = self.settings.corpus_dir.resolve()
        manifest = load_manifest(self.settings.manifest_path())
        with self._write_lock():
            if rebuild:
                self.catalog.clear()
                self.vectors.reset(self.settings, self.embedder.name)
            self.catalog.set_meta("embedder", self.embedder.name)
            prepared: list[tuple[Path, Document, list[Chunk]]] = []
            seen: dict[str, Path] = {}
            for path in files:
                try:
                    resolved = path.resolve()
                    rel = str(resolved.relative_to(corpus)) if resolved.is_relative_to(corpus) else None
                    doc, chunks = self.prepare(path, manifest, rel)
                    if doc.meta.doc_id in seen:
                        raise IngestError(f"与 {seen[doc.meta.doc_id].name} 的文档编号重复，已跳过",
                                          f"same document id as {seen[doc.meta.doc_id].name}; skipped", path)
                    seen[doc.meta.doc_id] = path
                    prepared.append((path, doc, chunks))
                except AdvisorError as exc:
                    report.failed[str(path)] = str(exc)
            todo = []  # (path, doc, chunks, new content hash, whether an older version is indexed)
            for path, doc, chunks in prepared:
                stored, new_hash = self.catalog.content_hash(doc.meta.doc_id), self._content_hash(doc)
                if stored == new_hash:
                    report.unchanged.append(str(path))
                else:
                    todo.append((path, doc, chunks, new_hash, stored is not None))
            total = sum(len(t[2]) for t in todo)
            done = 0
            for path, doc, chunks, content_hash, existed in todo:
                def step(n: int, base: int = done, name: str = path.name) -> None:
                    if progress:
                        progress(base + n, total, name)

                try:
                    embedded = self._commit(doc, chunks, content_hash, step)
                except AdvisorError as exc:
                    report.failed[str(path)] = str(exc)
                    continue
                except Exception as exc:  # embedding or store failure: this document stays as it was
                    report.failed[str(path)] = f"{path.name}: 写入索引失败 / indexing failed: {type(exc).__name__}: {exc}"
                    continue
                done += len(chunks)
                report.chunks_written += len(chunks)
                report.chunks_embedded += embedded
                (report.replaced if existed else report.added).append(str(path))
                if progress:
                    progress(done, total, path.name)
            if todo:
                self._sweep()
        report.seconds = time.perf_counter() - t0
        return report

    def _commit(self, doc: Document, chunks: list[Chunk], content_hash: str, progress: Callable[[int], None]) -> int:
        """Write one document: vectors first, then the catalog swap, then drop vectors no longer used."""
        ids = [c.chunk_id for c in chunks]
        have = self.vectors.existing(ids)
        missing = [c for c in chunks if c.chunk_id not in have]
        batch = self.settings.embed_batch
        for i in range(0, len(missing), batch):
            part = missing[i:i + batch]
            vectors = self.embedder.embed_passages([c.index_text for c in part])
            self.vectors.upsert([c.chunk_id for c in part], vectors,
                                [{"doc_id": c.doc_id, "ord": c.ord, "page": c.page or 0, "kind": c.kind} for c in part])
            progress(i + len(part))
        old = set(self.catalog.chunk_ids(doc.meta.doc_id))
        self.catalog.replace_document(doc.meta, content_hash, len(doc.text), chunks,
                                      [tokenize(c.index_text) for c in chunks])
        stale = old - set(ids)
        if stale:
            self.vectors.delete(sorted(stale))
        return len(missing)

    def _sweep(self) -> None:
        """Delete vectors that no committed chunk references (left by an interrupted ingest)."""
        orphans = self.vectors.all_ids() - set(self.catalog.chunk_ids())
        if orphans:
            self.vectors.delete(sorted(orphans))

    def ingest_uploads(self, files: list[tuple[str, bytes]], progress: Progress | None = None) -> IngestReport:
        """Index uploaded files (name, content). Names are reduced to a safe base name; type and size are checked
        before anything is written; a file that fails is not kept."""
        folder = self.settings.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        saved: list[Path] = []
        refused: dict[str, str] = {}
        for name, content in files:
            base = safe_name(name)
            if Path(base).suffix.lower() not in SUPPORTED:
                refused[name] = str(IngestError(f"不支持的文件类型（支持 {'、'.join(SUPPORTED)}）",
                                                f"unsupported file type (supported: {', '.join(SUPPORTED)})", base))
                continue
            if len(content) > self.settings.max_file_mb * 1024 * 1024:
                refused[name] = str(IngestError(f"文件过大（上限 {self.settings.max_file_mb:g} MB）",
                                                f"file too large (limit {self.settings.max_file_mb:g} MB)", base))
                continue
            target = folder / base
            tmp = target.with_name(f".{target.name}.part")
            tmp.write_bytes(content)
            tmp.replace(target)
            saved.append(target)
        report = self.ingest(saved, progress=progress) if saved else IngestReport()
        for path in report.failed:
            Path(path).unlink(missing_ok=True)  # keep only what was indexed
        report.failed.update(refused)
        return report

    def remove(self, ref: str) -> DocInfo | None:
        """Remove a document by id or file name; returns what was removed, or None."""
        with self._write_lock():
            info = next((d for d in self.catalog.documents() if ref in (d.meta.doc_id, d.meta.source)), None)
            if info is None:
                return None
            ids = self.catalog.remove_document(info.meta.doc_id)
            self.vectors.delete(ids)
            return info
