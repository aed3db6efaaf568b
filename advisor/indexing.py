"""Indexing: files → documents → chunks → embeddings, committed to Chroma and the catalog, one document at a time.

Order of writes for one document: new vectors are upserted first, then the catalog swaps the document's chunk list
in one transaction, then vectors no longer referenced are deleted. A crash at any point leaves the old or the new
version searchable, never a mix; stray vectors are ignored by search and swept by the next ingest.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .catalog import Catalog, DocInfo
from .chunking import Chunker, chunk_sentences
from .cleaning import clean, quality
from .config import StoreSettings
from .embedding import Embedder, save_passage_vectors
from .errors import AdvisorError, IndexStateError, IngestError, StorageError, storage_error
from .loading import SUPPORTED, doc_id_for, load_file, load_manifest
from .records import Chunk, Document, IndexHealth, IngestReport
from .sentence_kinds import is_instruction
from .text import sentences
from .tokenization import tokenize, tokenizer_version
from .vectors import VectorStore

# the version of how a file becomes a document and chunks (loading, cleaning, chunking): a change re-reads every file
# on the next ingest, re-embedding only chunks whose text changed (5: a manifest null or a header placeholder such as
# （未载明） is no document number; 6: a PDF table row of space-separated cells ends its line; 7: a ruled table on a
# page of prose is read by pdfplumber and put in place of the lines pypdf flattened it into)
CHUNKER_VERSION = "8"
Progress = Callable[[int, int, str], None]  # done, total, "stage: file"
READ, EMBED, REPAIR = "读取 read", "嵌入 embed", "修复 repair"


def collect_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """Expand folders into the supported files below them (sorted), each with its identity: the path relative to
    the folder given (without the suffix), so ``a/report.pdf`` and ``b/report.pdf`` stay two documents; a file
    given by itself is identified by its name."""
    out: list[tuple[Path, str]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend((f, f.relative_to(p).with_suffix("").as_posix()) for f in sorted(p.rglob("*"))
                       if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(".")
                       and f.name.upper() not in ("README.MD", "README.TXT"))
        else:
            out.append((p, p.stem))
    return out


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file's bytes: unchanged files are recognised before anything is parsed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return path.stat().st_size, h.hexdigest()


def safe_name(name: str) -> str:
    """An uploaded file's name without any folder part (``../``, absolute paths, Windows separators)."""
    base = re.split(r"[\\/]", name.strip())[-1].strip().lstrip(".")
    return base or "upload"


def set_aside(data_dir: Path) -> Path | None:
    """Rename an index folder that cannot be opened to ``<name>.broken-<time>`` (nothing is deleted). Chroma's
    per-path client cache is cleared too, or the first rebuild would reuse the damaged client."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    if not data_dir.exists():
        return None
    target = data_dir.with_name(f"{data_dir.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    data_dir.rename(target)
    return target


class Index:
    """The searchable state: catalog + vector store, opened for one embedder."""

    def __init__(self, settings: StoreSettings, embedder: Embedder, *, rebuild: bool = False) -> None:
        self.settings = settings
        self.embedder = embedder
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, settings.data_dir) or exc from None
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

    def holds_user_documents(self) -> bool:
        """Has anything but the bundled corpus ever been ingested here?"""
        return self.catalog.get_meta("contents") == "user"

    def tokens_outdated(self) -> bool:
        """Were the catalog's keyword tokens made by another tokenizer or glossary than this one's? Known for an
        index of the bundled corpus only (a user's folder ingested may not be all the catalog holds)."""
        return self.catalog.get_meta("tokenizer") != tokenizer_version()

    def ingest_running(self) -> bool:
        """Does another process hold the write lock right now?"""
        try:
            with open(self.settings.data_dir / "write.lock", "a") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                fcntl.flock(fh, fcntl.LOCK_UN)
        except OSError:
            return False
        return False

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        try:
            fh = open(self.settings.data_dir / "write.lock", "w")  # noqa: SIM115 - closed below, after the unlock
        except OSError as exc:
            raise storage_error(exc, self.settings.data_dir) or exc from None
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- ingest -------------------------------------------------------------------------------------------
    def prepare(self, path: Path, manifest: dict | None = None, rel: str | None = None,
                identity: str | None = None) -> tuple[Document, list[Chunk], list[str]]:
        """Load, clean and chunk one file without touching the index; also what looks wrong with its text."""
        raw = load_file(path, manifest, rel=rel, max_mb=self.settings.max_file_mb, identity=identity)
        doc = clean(raw)
        if len("".join(doc.text.split())) < self.settings.min_text_chars:
            if raw.paged:
                raise IngestError("PDF 没有可提取的文字层（可能是扫描件/纯图片），请先进行 OCR",
                                  "PDF has no text layer (scanned or image-only); run OCR first", path)
            raise IngestError("文件没有可用的文字内容", "file has no usable text", path)
        chunks = self.chunker.chunk(doc)
        notes = quality(raw, doc)
        planted = sum(1 for c in chunks for s in sentences(c.text) if is_instruction(s))
        if planted:
            notes.append(f"{planted} 处疑似针对读者或助手的指令（提示注入），回答中不会引用 / "
                         f"{planted} passages address the reader or an assistant with instructions (prompt injection); "
                         "answers never quote them")
        return doc, chunks, notes

    def _code_key(self) -> list:
        """The code versions and the chunk size: what decides a document's chunks and tokens besides its content."""
        return [CHUNKER_VERSION, tokenizer_version(), self.settings.chunk_max_chars]

    def _version(self, entry: dict | None) -> str:
        """What, besides the file's bytes, decides its chunks: the code versions, the chunk size, its manifest entry."""
        return hashlib.sha256(json.dumps([*self._code_key(), entry],
                                         ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def _content_hash(self, doc: Document) -> str:
        h = hashlib.sha256()
        h.update(json.dumps([*self._code_key(), asdict(doc.meta), doc.page_starts], ensure_ascii=False).encode())
        h.update(doc.text.encode())
        return h.hexdigest()

    def ingest(self, paths: Iterable[Path], *, rebuild: bool = False, progress: Progress | None = None,
               embed: bool = True) -> IngestReport:
        """Index files and folders. A bad file is reported and skipped; the rest of the batch goes on. Stages, each
        reported to ``progress`` (done, total, "stage: file"): read (unchanged files are recognised by size and hash
        before parsing), embed, and repair (chunks the vector store lacks are embedded again from the catalog).
        ``embed=False`` commits the catalog only — BM25 answers at once — and leaves the vectors to
        ``embed_missing`` (the state a lost vector store leaves, which ``health`` reports and any ingest repairs)."""
        t0 = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        corpus = self.settings.corpus_dir.resolve()
        manifest = load_manifest(self.settings.manifest_path())

        def tell(stage: str, done: int, total: int, name: str = "") -> None:
            if progress:
                progress(done, total, f"{stage}: {name}" if name else stage)

        with self._write_lock():
            if rebuild:
                self.catalog.clear()
                self.vectors.reset(self.settings, self.embedder.name)
            self.catalog.set_meta("embedder", self.embedder.name)
            bundled = [Path(p).resolve() for p in paths] == [self.settings.corpus_dir.resolve()] if paths else False
            if not bundled:
                self.catalog.set_meta("contents", "user")
            todo = []  # (path, doc, chunks, content hash, whether an older version is indexed, file record)
            seen: dict[str, Path] = {}
            for i, (path, identity) in enumerate(files, start=1):
                tell(READ, i - 1, len(files), path.name)
                try:
                    resolved = path.resolve()
                    rel = str(resolved.relative_to(corpus)) if resolved.is_relative_to(corpus) else None
                    doc_id = doc_id_for(identity)
                    if doc_id in seen:
                        raise IngestError(f"与 {seen[doc_id].name} 的文档编号重复，已跳过",
                                          f"same document id as {seen[doc_id].name}; skipped", path)
                    seen[doc_id] = path
                    if not path.is_file():
                        raise IngestError("文件不存在", "file not found", path)
                    size, digest = file_digest(path)
                    version = self._version(manifest.get(rel or "") or manifest.get(path.name))
                    if self.catalog.file_record(doc_id) == (size, digest, version):
                        report.unchanged.append(str(path))
                        continue
                    doc, chunks, notes = self.prepare(path, manifest, rel, identity)
                    if notes:
                        report.warnings[str(path)] = notes
                    stored, new_hash = self.catalog.content_hash(doc_id), self._content_hash(doc)
                    record = (str(resolved), size, digest, version)
                    if stored == new_hash:
                        self.catalog.set_file_record(doc_id, *record)
                        report.unchanged.append(str(path))
                    else:
                        todo.append((path, doc, chunks, new_hash, stored is not None, record))
                except AdvisorError as exc:
                    report.failed[str(path)] = str(exc)
                except OSError as exc:
                    found = storage_error(exc, path)
                    report.failed[str(path)] = str(found or IngestError("无法读取文件", f"cannot read the file: {exc}",
                                                                        path))
            tell(READ, len(files), len(files))
            total = sum(len(t[2]) for t in todo)
            done = 0
            for path, doc, chunks, content_hash, existed, record in todo:
                def step(n: int, base: int = done, name: str = path.name) -> None:
                    tell(EMBED, base + n, total, name)

                try:
                    previous = self.catalog.doc_for_path(record[0])
                    embedded = self._commit(doc, chunks, content_hash, step, embed)
                    self.catalog.set_file_record(doc.meta.doc_id, *record)
                except StorageError:
                    raise  # a full disk or a vanished server stops the run: nothing more could be written
                except AdvisorError as exc:
                    report.failed[str(path)] = str(exc)
                    continue
                except Exception as exc:  # embedding or store failure: this document stays as it was
                    found = storage_error(exc, self.settings.data_dir)
                    if found:
                        raise found from None
                    report.failed[str(path)] = f"{path.name}: 写入索引失败 / indexing failed: {type(exc).__name__}: {exc}"
                    continue
                for old in self._earlier_ids(previous, doc):  # the same file, indexed before under another id
                    self.vectors.delete(self.catalog.remove_document(old))
                done += len(chunks)
                report.chunks_written += len(chunks)
                report.chunks_embedded += embedded
                (report.replaced if existed else report.added).append(str(path))
                tell(EMBED, done, total, path.name)
            if bundled and not report.failed:  # every document of a bundled-only index now has this tokenizer's tokens
                self.catalog.set_meta("tokenizer", tokenizer_version())
            report.repaired = self._repair(lambda d, t: tell(REPAIR, d, t)) if embed else 0
            if embed and (todo or report.repaired):
                self._sweep()
        report.seconds = time.perf_counter() - t0
        return report

    def _earlier_ids(self, previous: str | None, doc: Document) -> list[str]:
        """Ids the same file had before: recorded for its path, or (indexes built before file records existed)
        a document of the same file name without a record."""
        out = [previous] if previous and previous != doc.meta.doc_id else []
        for info in self.catalog.documents():
            m = info.meta
            if m.doc_id != doc.meta.doc_id and m.source == doc.meta.source and "/" not in m.doc_id \
                    and self.catalog.file_record(m.doc_id) is None and m.doc_id not in out:
                out.append(m.doc_id)
        return out

    def health(self, sample: int = 200) -> IndexHealth:
        """Catalog and vector store compared: counts, and whether a sample of catalog chunks have vectors."""
        catalog_ids = self.catalog.chunk_ids()
        stored = self.vectors.count()
        probe = catalog_ids[:: max(1, len(catalog_ids) // sample)][:sample]
        missing = len(probe) - len(self.vectors.existing(probe)) if probe else 0
        no_sentences = len(set(probe) - self.vectors.sentence_owners(probe)) if probe else 0
        return IndexHealth(len(catalog_ids), stored, missing, len(probe), no_sentences)

    def pending_vectors(self) -> int:
        """Committed chunks without a vector yet (after a lexical-first ingest, or a lost vector store)."""
        return max(0, self.catalog.count_chunks() - self.vectors.count())

    def export_passage_vectors(self, path: Path) -> tuple[int, int]:
        """Write every stored chunk and sentence vector, by text, to ``path`` (the file shipped with the bundled
        corpus); returns (vectors written, chunks still without one). Only an index of the bundled corpus alone:
        an upload's passages have no place in a file that ships with the product."""
        if self.holds_user_documents():
            raise IndexStateError(
                "索引中含有上传的文档，不能导出随语料发布的向量。请先运行 python -m advisor ingest --rebuild",
                "the index holds uploaded documents; export the shipped vectors from an index of the bundled "
                "corpus only (python -m advisor ingest --rebuild)")
        ids = sorted(self.catalog.chunk_ids())
        rows = self.catalog.hydrate(ids)
        chunks = [rows[cid][0] for cid in ids if cid in rows]
        own = self.vectors.stored(ids)
        units = {c.chunk_id: chunk_sentences(c) for c in chunks}
        theirs = self.vectors.stored([f"{cid}#{j}" for cid, u in units.items() for j in range(len(u))],
                                     sentences=True)
        texts: list[str] = []
        vecs: list[np.ndarray] = []
        for c in chunks:
            if c.chunk_id in own:
                texts.append(c.index_text)
                vecs.append(own[c.chunk_id])
            for j, text in enumerate(units[c.chunk_id]):
                if f"{c.chunk_id}#{j}" in theirs:
                    texts.append(text)
                    vecs.append(theirs[f"{c.chunk_id}#{j}"])
        if not texts:
            raise IndexStateError("索引中没有向量可导出，请先运行 python -m advisor ingest",
                                  "no vectors to export; run python -m advisor ingest first")
        written = save_passage_vectors(path, self.embedder.name, texts, np.stack(vecs))
        return written, sum(c.chunk_id not in own for c in chunks)

    def embed_missing(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed the committed chunks that have no vector (the second half of a lexical-first ingest)."""
        with self._write_lock():
            return self._repair(progress or (lambda done, total: None))

    def _repair(self, progress: Callable[[int, int], None]) -> int:
        """Embed again the committed chunks whose vectors are gone (a deleted ``chroma/`` folder, a new server),
        or whose sentences have none (an index built before sentence vectors were kept)."""
        catalog_ids = self.catalog.chunk_ids()
        if not catalog_ids:
            return 0
        missing = sorted((set(catalog_ids) - self.vectors.existing(catalog_ids))
                         | (set(catalog_ids) - self.vectors.sentence_owners()))
        if not missing:
            return 0
        rows = self.catalog.hydrate(missing)
        chunks = [rows[cid][0] for cid in missing if cid in rows]
        batch = self.settings.embed_batch
        for i in range(0, len(chunks), batch):
            part = chunks[i:i + batch]
            self._embed(part)
            progress(i + len(part), len(chunks))
        return len(chunks)

    def _embed(self, chunks: list[Chunk]) -> None:
        """Embed and store chunks: one vector for each chunk's indexed text, and one for each of its sentences."""
        units = [chunk_sentences(c) for c in chunks]
        flat = self.embedder.embed_passages([s for u in units for s in u])
        ends = list(itertools.accumulate(len(u) for u in units))
        self.vectors.upsert([c.chunk_id for c in chunks], self.embedder.embed_passages([c.index_text for c in chunks]),
                            [{"doc_id": c.doc_id, "ord": c.ord, "page": c.page or 0, "kind": c.kind} for c in chunks],
                            [flat[end - len(u):end] for u, end in zip(units, ends)])

    def _commit(self, doc: Document, chunks: list[Chunk], content_hash: str, progress: Callable[[int], None],
                embed: bool = True) -> int:
        """Write one document: vectors first, then the catalog swap, then drop vectors no longer used."""
        ids = [c.chunk_id for c in chunks]
        have = self.vectors.existing(ids) if ids else set()
        missing = [c for c in chunks if c.chunk_id not in have] if embed else []
        batch = self.settings.embed_batch
        for i in range(0, len(missing), batch):
            part = missing[i:i + batch]
            self._embed(part)
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
        committed = set(self.catalog.chunk_ids())
        orphans = self.vectors.all_ids() - committed
        if orphans:
            self.vectors.delete(sorted(orphans))
        if stray := self.vectors.sentence_owners() - committed:
            self.vectors.delete_sentences_of(sorted(stray))

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
            info = next((d for d in self.catalog.documents() if ref in (d.meta.doc_id, d.meta.source,
                                                                         d.meta.doc_id.rsplit("/", 1)[-1])), None)
            if info is None:
                return None
            ids = self.catalog.remove_document(info.meta.doc_id)
            self.vectors.delete(ids)
            return info
