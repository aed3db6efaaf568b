"""Plain typed records that flow forward through the pipeline: Document → Chunk → Hit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SECTION_SEP = " › "


@dataclass(frozen=True)
class DocMeta:
    """Provenance of one document (from the manifest, a header block, or the file itself)."""

    doc_id: str
    title: str
    source: str  # file name
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd (or yyyy-mm)
    doc_type: str | None = None
    origin: str | None = None  # where the text came from (URL / note)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class RawDocument:
    """Text as extracted from a file, one string per page (a single page for unpaged formats)."""

    meta: DocMeta
    pages: tuple[str, ...]
    paged: bool = False


@dataclass(frozen=True)
class Document:
    """A cleaned document: its text and, for paged formats, the offset where each page starts."""

    meta: DocMeta
    text: str
    page_starts: tuple[int, ...] | None = None  # page i+1 starts at page_starts[i]
    outline: tuple[str, ...] = ()  # top-level headings listed in the document's table of contents
    furniture_digits: int = 0  # digits removed with page numbers, running headers/footers and TOC rows

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. ``text`` is shown and cited; ``start:end`` locate its body in the cleaned document."""

    chunk_id: str
    doc_id: str
    ord: int
    section: str  # heading trail, starting with the document title
    text: str
    start: int
    end: int
    page: int | None = None
    kind: Literal["text", "table"] = "text"

    @property
    def index_text(self) -> str:
        """What is embedded and keyword-indexed: the heading trail, then the passage."""
        return f"{self.section}\n{self.text}"


@dataclass(frozen=True)
class Hit:
    """One search result with its provenance and which retrievers found it."""

    rank: int
    score: float
    chunk: Chunk
    meta: DocMeta
    retrievers: tuple[str, ...] = field(default_factory=tuple)
    ranks: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # raw per-retriever scores (cosine, BM25)

    def source_label(self, lang: str = "zh", *, file: bool = False) -> str:
        """《title》 › heading trail › … · page — the one way a source is named (chat, CLI, exports, pathway)."""
        return source_label(self.meta, self.chunk, lang, file=file)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "text": self.chunk.text,
            "doc_id": self.meta.doc_id,
            "doc_title": self.meta.title,
            "source": self.meta.source,
            "issuer": self.meta.issuer,
            "date": self.meta.date,
            "doc_type": self.meta.doc_type,
            "page": self.chunk.page,
            "section": self.chunk.section,
            "chunk_id": self.chunk.chunk_id,
            "start": self.chunk.start,
            "end": self.chunk.end,
            "retrievers": list(self.retrievers),
            "ranks": dict(self.ranks),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }


@dataclass(frozen=True)
class SearchFilters:
    """Metadata filters; ``None`` means no constraint."""

    doc_ids: tuple[str, ...] | None = None
    issuer: str | None = None  # substring match
    year_from: int | None = None
    year_to: int | None = None
    doc_types: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in asdict(self).values())


@dataclass
class IngestReport:
    """What one ingest run did, per file."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file → message
    chunks_written: int = 0
    chunks_embedded: int = 0
    repaired: int = 0  # chunks whose lost vectors were embedded again
    warnings: dict[str, list[str]] = field(default_factory=dict)  # file → what looks wrong with its text
    seconds: float = 0.0


@dataclass(frozen=True)
class IndexHealth:
    """Catalog and vector store compared when an index is opened."""

    catalog_chunks: int
    vector_count: int
    missing_in_sample: int
    sample: int
    sentences_missing_in_sample: int = 0  # sampled chunks without sentence vectors (an index made before them)

    @property
    def chunk_vectors_ok(self) -> bool:
        return self.missing_in_sample == 0 and self.vector_count >= self.catalog_chunks

    @property
    def ok(self) -> bool:
        return self.chunk_vectors_ok and self.sentences_missing_in_sample == 0

    def message(self) -> str:
        """What is wrong and how to repair it, Chinese first ('' when the index is sound)."""
        if self.ok:
            return ""
        if self.chunk_vectors_ok:
            return (f"索引缺少句向量（抽查 {self.sample} 个段落中 {self.sentences_missing_in_sample} 个没有，多为旧版本建立的索引），"
                    "检索未用到最接近问题的句子。运行 python -m advisor ingest 可补齐 / The index lacks sentence vectors "
                    f"({self.sentences_missing_in_sample} of {self.sample} sampled chunks have none, as in an index made "
                    "by an earlier version), so search does not use the sentence closest to the question. "
                    "Run: python -m advisor ingest to add them")
        return (f"索引不一致：目录记录 {self.catalog_chunks} 个段落，向量库只有 {self.vector_count} 个"
                f"（抽查 {self.sample} 个缺 {self.missing_in_sample} 个），语义检索结果不完整。运行 python -m advisor ingest 可修复 / "
                f"The index is inconsistent: the catalog holds {self.catalog_chunks} chunks but the vector store "
                f"{self.vector_count} ({self.missing_in_sample} of {self.sample} sampled are missing), so semantic "
                "search is incomplete. Run: python -m advisor ingest to repair it")


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: Literal["user", "assistant"]
    text: str


@dataclass
class Citation:
    """A numbered source of an answer; ``supports`` are the indices of the answer sentences that cite it."""

    n: int
    hit: Hit
    supports: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        h = self.hit
        return {"n": self.n, "chunk_id": h.chunk.chunk_id, "doc_id": h.meta.doc_id, "doc_title": h.meta.title,
                "source": h.meta.source, "section": h.chunk.section, "page": h.chunk.page, "text": h.chunk.text,
                "supports": self.supports}


@dataclass
class AnswerNotes:
    """What an answer's reader should know besides the text: fallbacks, repairs, doubts, gaps."""

    fallback_reason: str | None = None  # why the LLM was not used (offline answer instead)
    removed_citations: list[int] = field(default_factory=list)  # markers to passages never supplied
    unsupported_sentences: list[str] = field(default_factory=list)  # sentences without a valid citation
    injection_suspected: list[str] = field(default_factory=list)  # sources (``source_label``) of passages holding
    # planted instructions: by name, since they are never cited and so have no number the reader could look up
    low_confidence: bool = False  # the sources' wording differs from the question: check the source
    cautions: list[str] = field(default_factory=list)  # e.g. "资料库未收录该附件"
    confidence: dict[str, float] = field(default_factory=dict)  # offline: similarity, key-term coverage

    def messages(self, lang: str = "zh") -> list[tuple[str, str]]:
        """(level, text) lines for every surface — CLI, app, export; level is ``warning`` or ``info``."""
        en = lang == "en"
        out: list[tuple[str, str]] = []
        if self.fallback_reason:
            out.append(("warning", self.fallback_reason))
        if self.injection_suspected:
            where = "; ".join(self.injection_suspected) if en else "；".join(self.injection_suspected)
            out.append(("warning", f"Retrieved text contains instructions addressed to the reader or an assistant "
                                   f"({where}); it was not followed or quoted." if en else
                        f"检索到的资料（{where}）含有针对读者或助手的指令性文字，已忽略，未作为答案引用。"))
        out += [("info", c) for c in self.cautions]
        if self.removed_citations:
            out.append(("info", f"Removed invalid citations: {self.removed_citations}" if en
                        else f"已删除无效引用：{self.removed_citations}"))
        if self.unsupported_sentences:
            out.append(("info", ("Sentences without a source, use with care: " if en else "以下句子缺少出处，请谨慎使用：")
                        + "；".join(self.unsupported_sentences)))
        return out


@dataclass
class Answer:
    """A grounded answer: text with ``[n]`` markers, the sources they point to, and what validation found."""

    question: str
    standalone_question: str
    answer: str
    found: bool
    mode: Literal["llm", "offline"]
    citations: list[Citation]
    sentences: list[str]
    notes: AnswerNotes
    timings: dict[str, float]
    profile: str | None = None

    def supported_by(self, citation: Citation) -> list[str]:
        """The answer sentences that cite this source (what its preview and highlight show)."""
        return [self.sentences[i] for i in citation.supports if i < len(self.sentences)]

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "standalone_question": self.standalone_question, "answer": self.answer,
                "found": self.found, "mode": self.mode, "citations": [c.to_json() for c in self.citations],
                "sentences": self.sentences, "notes": asdict(self.notes),
                "timings": {k: round(v, 1) for k, v in self.timings.items()}, "profile": self.profile}


def source_label(meta: DocMeta, chunk: Chunk, lang: str = "zh", *, file: bool = False) -> str:
    """A passage's source: the title once, then its heading trail (without the title the trail starts with), the
    page, and with ``file`` the file name."""
    trail = chunk.section.split(SECTION_SEP)
    if trail and trail[0].strip() == meta.title.strip():
        trail = trail[1:]
    label = f"《{meta.title}》" + "".join(f"{SECTION_SEP}{t}" for t in trail if t)
    if chunk.page:
        label += f" · p. {chunk.page}" if lang == "en" else f" · 第{chunk.page}页"
    if file:
        label += f"（{meta.source}）" if lang != "en" else f" ({meta.source})"
    return label
