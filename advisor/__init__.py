"""Low-Carbon Park Advisor (零碳园区政策与路径顾问): cited answers and transition pathways for industrial parks.

Pipeline stages, one module each: loading → cleaning → chunking → embedding → indexing (catalog + vectors +
lexical) → retrieval (fusion) → evaluation; ``service.Advisor`` wires them; ``cli`` and ``app.py`` call it.
"""

from .config import Settings
from .errors import AdvisorError, IndexStateError, IngestError, QueryError
from .records import Chunk, DocMeta, Document, Hit, IngestReport, SearchFilters

__all__ = ["Settings", "AdvisorError", "IndexStateError", "IngestError", "QueryError", "Chunk", "DocMeta",
           "Document", "Hit", "IngestReport", "SearchFilters", "Advisor"]


def __getattr__(name: str):
    if name == "Advisor":  # imported lazily: it pulls in chromadb and the embedder
        from .service import Advisor

        return Advisor
    raise AttributeError(name)
