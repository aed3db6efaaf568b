"""User-facing errors: every message in Chinese first, English second, naming the file where there is one."""

from __future__ import annotations

from pathlib import Path


class AdvisorError(Exception):
    """Base error; ``str()`` gives ``中文 / English``."""

    def __init__(self, zh: str, en: str, path: Path | str | None = None) -> None:
        self.zh, self.en = zh, en
        self.path = str(path) if path is not None else None
        prefix = f"{Path(self.path).name}: " if self.path else ""
        super().__init__(f"{prefix}{zh} / {en}")


class IngestError(AdvisorError):
    """A file could not be read or yielded no usable text; nothing of it was written."""


class IndexStateError(AdvisorError):
    """The index is missing, damaged, or was built by another embedder."""


class QueryError(AdvisorError):
    """A query that cannot be searched (e.g. empty)."""


class StorageError(AdvisorError):
    """The index's storage failed for a reason outside the index: full disk, no write permission, a read-only
    file system, a vector server that cannot be reached. The index itself is intact; ``--rebuild`` would not help."""

    exit_code = 4


class StorageFullError(StorageError):
    exit_code = 4


class StoragePermissionError(StorageError):
    exit_code = 5


class StoreUnreachableError(StorageError):
    exit_code = 6


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out and len(out) < 10:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return out


def storage_error(exc: BaseException, where: Path | str) -> StorageError | None:
    """The storage failure behind an exception (walking its causes), or None when it is something else."""
    import errno

    for e in _chain(exc):
        text = str(e).lower()
        code = getattr(e, "errno", None)
        if code == errno.ENOSPC or "disk is full" in text or "no space left" in text or "database or disk is full" in text:
            return StorageFullError(f"磁盘已满，无法写入索引（{where}）。请释放空间后重试；已有索引未受影响",
                                    f"the disk is full; cannot write the index at {where}. Free some space and try "
                                    "again; the existing index is unchanged")
        if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly database" in text or "read-only" in text \
                or "permission denied" in text:
            return StoragePermissionError(f"没有写入权限或文件系统只读（{where}）。请检查目录权限，或用 ADVISOR_DATA_DIR "
                                          "指定可写目录；已有索引未受影响",
                                          f"no write permission or a read-only file system at {where}. Check the "
                                          "folder's permissions or set ADVISOR_DATA_DIR to a writable folder; the "
                                          "existing index is unchanged")
        name = type(e).__name__.lower()
        if any(k in name for k in ("connecterror", "connectionerror", "remoteprotocolerror", "readerror",
                                   "connecttimeout", "readtimeout")) or "connection refused" in text \
                or "could not connect to a chroma server" in text or "failed to establish" in text:
            return StoreUnreachableError(f"无法连接向量库服务器（{where}），服务器未启动或中途停止。请启动 Chroma 服务器后重试；"
                                         "已有索引未受影响",
                                         f"cannot reach the vector server at {where}: it is not running or stopped "
                                         "mid-operation. Start the Chroma server and try again; the index is unchanged")
    return None
