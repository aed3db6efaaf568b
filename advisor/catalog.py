"""Catalog: the SQLite record of indexed documents and chunks — the committed state of the index.

Vectors live in Chroma, keyed by chunk id; a chunk exists for search only once the catalog commits it. Replacing
a document is one SQLite transaction, so readers see the old version or the new one, never a mix.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import IndexStateError, storage_error
from .records import Chunk, DocMeta

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, meta_json TEXT NOT NULL, content_hash TEXT NOT NULL,
    n_chunks INTEGER NOT NULL, n_chars INTEGER NOT NULL, ingested_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page INTEGER, kind TEXT NOT NULL, tokens TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ord);
CREATE TABLE IF NOT EXISTS files (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE, path TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, version TEXT NOT NULL);
"""


@dataclass(frozen=True)
class DocInfo:
    """A document as the catalog knows it."""

    meta: DocMeta
    content_hash: str
    n_chunks: int
    n_chars: int
    ingested_at: str


@dataclass(frozen=True)
class LexicalRows:
    """Everything the keyword index needs, read in one transaction (one committed generation)."""

    generation: int
    chunk_ids: list[str]
    doc_ids: list[str]
    tokens: list[list[str]]


class Catalog:
    """Documents and chunks in SQLite (WAL mode: many readers, one writer)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if tables and "meta" not in tables:
                    raise IndexStateError(
                        f"索引目录中有不属于本程序的数据库：{self.path}。请运行 python -m advisor ingest --rebuild "
                        "（原目录会被改名保留）",
                        f"the index directory holds a foreign database: {self.path}. Run: python -m advisor "
                        "ingest --rebuild (the old folder is kept under a new name)")
                db.executescript(_SCHEMA)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
                schema = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0]
        except (sqlite3.DatabaseError, OSError) as exc:
            found = storage_error(exc, self.path.parent)
            if found:
                raise found from None
            raise IndexStateError(
                f"索引目录已损坏或不是本程序的索引：{self.path.parent}。请运行 python -m advisor ingest --rebuild 重建"
                "（原目录会被改名保留）",
                f"index directory is damaged or foreign: {self.path.parent}. Run: python -m advisor ingest --rebuild "
                "(the old folder is kept under a new name)",
            ) from exc
        if schema != SCHEMA_VERSION:
            raise IndexStateError("索引格式版本不符，请运行 python -m advisor ingest --rebuild 重建",
                                  "index schema version differs; run: python -m advisor ingest --rebuild")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection; a full disk or a read-only folder surfaces as a ``StorageError``, not as damage."""
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise storage_error(exc, self.path.parent) or exc from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            yield db
        except sqlite3.OperationalError as exc:
            found = storage_error(exc, self.path.parent)
            if found:
                raise found from None
            raise
        finally:
            db.close()

    # -- meta ---------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # -- documents ----------------------------------------------------------------------------------------
    def documents(self) -> list[DocInfo]:
        with self._connect() as db:
            rows = db.execute("SELECT meta_json, content_hash, n_chunks, n_chars, ingested_at FROM documents "
                              "ORDER BY doc_id").fetchall()
        return [DocInfo(DocMeta(**json.loads(r[0])), r[1], r[2], r[3], r[4]) for r in rows]

    def document(self, doc_id: str) -> DocInfo | None:
        return next((d for d in self.documents() if d.meta.doc_id == doc_id), None)

    def content_hash(self, doc_id: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def file_record(self, doc_id: str) -> tuple[int, str, str] | None:
        """(size, sha256, version) of the file a document was last read from."""
        with self._connect() as db:
            row = db.execute("SELECT size, sha256, version FROM files WHERE doc_id=?", (doc_id,)).fetchone()
        return (int(row[0]), row[1], row[2]) if row else None

    def set_file_record(self, doc_id: str, path: str, size: int, sha256: str, version: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", (doc_id, path, size, sha256, version))

    def doc_for_path(self, path: str) -> str | None:
        """The document last read from this file (by absolute path), under whatever id it was given."""
        with self._connect() as db:
            row = db.execute("SELECT doc_id FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        with self._connect() as db:
            if doc_id is None:
                return [r[0] for r in db.execute("SELECT chunk_id FROM chunks")]
            return [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))]

    def count_chunks(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def replace_document(self, meta: DocMeta, content_hash: str, n_chars: int,
                         chunks: list[Chunk], tokens: list[list[str]]) -> None:
        """Swap in a document's new chunks in a single transaction."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM documents WHERE doc_id=?", (meta.doc_id,))
                db.execute("INSERT INTO documents (doc_id, meta_json, content_hash, n_chunks, n_chars) "
                           "VALUES (?,?,?,?,?)",
                           (meta.doc_id, json.dumps(asdict(meta), ensure_ascii=False), content_hash,
                            len(chunks), n_chars))
                db.executemany(
                    'INSERT INTO chunks (chunk_id, doc_id, ord, section, text, start, "end", page, kind, tokens) '
                    "VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.ord, c.section, c.text, c.start, c.end, c.page, c.kind, " ".join(t))
                     for c, t in zip(chunks, tokens)])
                db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document; returns the chunk ids it had."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
            db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            db.execute("COMMIT")
        return ids

    def clear(self) -> None:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM documents")
            db.execute("DELETE FROM meta WHERE key='embedder'")
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            db.execute("COMMIT")

    # -- reads for search ---------------------------------------------------------------------------------
    def lexical_rows(self) -> LexicalRows:
        with self._connect() as db:
            db.execute("BEGIN")
            gen = int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
            rows = db.execute("SELECT chunk_id, doc_id, tokens FROM chunks ORDER BY doc_id, ord").fetchall()
            db.execute("COMMIT")
        return LexicalRows(gen, [r[0] for r in rows], [r[1] for r in rows], [r[2].split() for r in rows])

    def lexical_ids(self) -> tuple[int, list[str]]:
        """The committed generation and its chunk ids in ``lexical_rows`` order (to check a saved BM25 index)."""
        with self._connect() as db:
            db.execute("BEGIN")
            gen = int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
            ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks ORDER BY doc_id, ord")]
            db.execute("COMMIT")
        return gen, ids

    def chunks_containing(self, text: str, limit: int = 20) -> list[str]:
        """Ids of chunks whose text contains ``text`` (a plain substring), in document order."""
        with self._connect() as db:
            rows = db.execute("SELECT chunk_id FROM chunks WHERE instr(text, ?) > 0 ORDER BY doc_id, ord LIMIT ?",
                              (text, limit)).fetchall()
        return [r[0] for r in rows]

    def hydrate(self, chunk_ids: Iterable[str]) -> dict[str, tuple[Chunk, DocMeta]]:
        ids = list(dict.fromkeys(chunk_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._connect() as db:
            rows = db.execute(
                f'SELECT c.chunk_id, c.doc_id, c.ord, c.section, c.text, c.start, c."end", c.page, c.kind, d.meta_json '
                f"FROM chunks c JOIN documents d USING (doc_id) WHERE c.chunk_id IN ({marks})", ids).fetchall()
        metas: dict[str, DocMeta] = {}
        out: dict[str, tuple[Chunk, DocMeta]] = {}
        for r in rows:
            meta = metas.setdefault(r[1], DocMeta(**json.loads(r[9])))
            out[r[0]] = (Chunk(chunk_id=r[0], doc_id=r[1], ord=r[2], section=r[3], text=r[4], start=r[5], end=r[6],
                               page=r[7], kind=r[8]), meta)
        return out
