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
