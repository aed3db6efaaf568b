"""The advisor API: opens settings, the embedder (once) and the index, and exposes what the CLI and the app call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from .answering import Answerer
from .assessment import Assessment, assess
from .catalog import DocInfo
from .config import Settings
from .embedding import Embedder, make_embedder
from .errors import IndexStateError
from .evaluation import AnswerResult, EvalQuestion, ModeResult, evaluate, evaluate_answers
from .fusion import Candidates
from .indexing import Index, Progress
from .llm import make_chat_model
from .pathway import Pathway, PathwayDrafter, type_table
from .profile import ParkProfile
from .query import Query
from .records import Answer, Chunk, DocMeta, Hit, IndexHealth, IngestReport, SearchFilters, Turn
from .retrieval import MODES, AdvisorRetriever, Mode, Searcher


@dataclass(frozen=True)
class AdvisorInfo:
    mode: str  # llm / offline
    llm_model: str | None
    llm_base_url: str | None
    embedder: str
    documents: int
    chunks: int


class Advisor:
    """One open advisor: heavy parts are created here once and shared by every call."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None, *,
                 rebuild: bool = False) -> None:
        """``rebuild=True`` opens an index built by another embedder so that ``ingest(rebuild=True)`` can replace it."""
        self.settings = settings or Settings()
        self.embedder = embedder or make_embedder(self.settings.embedding)
        self.index = Index(self.settings.store, self.embedder, rebuild=rebuild)
        self.searcher = Searcher(self.settings.retrieval, self.embedder, self.index.catalog, self.index.vectors,
                                 self.settings.data_dir / "bm25")
        chat_model = make_chat_model(self.settings.llm)
        self.answerer = Answerer(self.settings.answer, self.settings.llm, self.searcher, chat_model)
        self.drafter = PathwayDrafter(self.settings.answer, self.settings.llm, self.searcher, chat_model)

    def ingest(self, paths: Iterable[Path] | None = None, *, rebuild: bool = False,
               progress: Progress | None = None) -> IngestReport:
        return self.index.ingest(list(paths) if paths else [self.settings.corpus_dir], rebuild=rebuild,
                                 progress=progress)

    def ensure_index(self, progress: Progress | None = None, *, embed: bool = True) -> IngestReport | None:
        """Build the index from the bundled corpus when it is empty — only an index that never held a user's own
        documents, and never while another process is ingesting (``IndexStateError`` then says what to do); an
        index of the bundled corpus whose keyword tokens another tokenizer or glossary made is ingested again.
        ``embed=False``: BM25 first (seconds), vectors later with ``complete_dense``."""
        if not self.index.is_empty():
            report = None
            if (self.index.tokens_outdated() and not self.index.holds_user_documents()
                    and not self.index.ingest_running()):
                # made before a tokenizer or glossary change: re-tokenised in seconds, the vectors are kept
                report = self.index.ingest([self.settings.corpus_dir], progress=progress, embed=embed)
            self.searcher.dense_ready = self.index.pending_vectors() == 0
            return report
        if self.index.holds_user_documents():
            raise IndexStateError(
                "索引为空：请先用 python -m advisor ingest <文件或目录> 导入文档（不会自动加入内置资料）",
                "the index is empty: add documents with python -m advisor ingest <files or folders> (the bundled "
                "corpus is not added to an index of your own)")
        if self.index.ingest_running():
            raise IndexStateError("另一个进程正在建立索引，请等它完成后再试",
                                  "another process is building the index; try again when it has finished")
        report = self.index.ingest([self.settings.corpus_dir], progress=progress, embed=embed)
        self.searcher.dense_ready = self.index.pending_vectors() == 0
        return report

    def pending_vectors(self) -> int:
        """Chunks still without a vector; while above 0 searches run on BM25 alone."""
        return self.index.pending_vectors()

    def complete_dense(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed what a lexical-first start left out, then switch searches to hybrid."""
        n = self.index.embed_missing(progress)
        self.searcher.dense_ready = self.index.pending_vectors() == 0
        return n

    def export_passage_vectors(self, path: Path | None = None) -> tuple[Path, int, int]:
        """Write the index's vectors by text to the file shipped with the bundled corpus (or ``path``); returns
        the file, the vectors written and the chunks still without one."""
        target = path or self.settings.passage_vectors
        if target is None:
            raise IndexStateError("未设置 ADVISOR_PASSAGE_VECTORS，请给出输出文件",
                                  "ADVISOR_PASSAGE_VECTORS is unset; give an output file")
        written, pending = self.index.export_passage_vectors(target)
        return target, written, pending

    def health(self) -> IndexHealth:
        """Catalog and vector store compared (counts and a sample of ids); ``message()`` says how to repair."""
        return self.index.health()

    def ingest_uploads(self, files: list[tuple[str, bytes]], progress: Progress | None = None) -> IngestReport:
        return self.index.ingest_uploads(files, progress=progress)

    def documents(self) -> list[DocInfo]:
        return self.index.documents()

    def remove(self, ref: str) -> DocInfo | None:
        return self.index.remove(ref)

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid",
               filters: SearchFilters | None = None, timings: dict[str, float] | None = None) -> list[Hit]:
        return self.searcher.search(query, k=k, mode=mode, filters=filters, timings=timings)

    # -- what the CLI, the app and evals/ need, so that none of them reaches inside ---------------------------
    def is_empty(self) -> bool:
        return self.index.is_empty()

    @property
    def dense_ready(self) -> bool:
        """False while a lexical-first start is still embedding (searches run on BM25 alone meanwhile)."""
        return self.searcher.dense_ready

    def warm(self) -> None:
        """Load the BM25 snapshot and the sentence vectors now rather than on the first question (jieba still loads
        on the first one)."""
        self.searcher.lexical()
        self.index.vectors.preload_sentences()

    def describe(self) -> AdvisorInfo:
        """Mode, endpoint, embedder and index size, for a status line."""
        docs = self.index.documents()
        return AdvisorInfo(self.mode, self.settings.llm_model, self.settings.llm_base_url, self.embedder.name,
                           len(docs), sum(d.n_chunks for d in docs))

    def variant(self, **settings: object) -> Advisor:
        """The same index and embedder under changed settings (an LLM endpoint, fusion weights …)."""
        return Advisor(self.settings.model_copy(update=settings), embedder=self.embedder)

    def candidates(self, query: str, mode: Mode = "hybrid") -> Candidates:
        """Both rankings with raw scores, before fusion (calibration)."""
        return self.searcher.candidates(query, mode)

    def analyze(self, query: str) -> Query:
        return self.searcher.analyze(query)

    def passages(self, chunk_ids: Iterable[str] | None = None) -> dict[str, tuple[Chunk, DocMeta]]:
        """Indexed chunks with their documents (all of them by default)."""
        catalog = self.index.catalog
        return catalog.hydrate(catalog.chunk_ids() if chunk_ids is None else chunk_ids)

    def answer_passages(self, question: str) -> list[Hit]:
        """The passages an answer to ``question`` would be drawn from."""
        return self.answerer.retrieve(question, None)

    def ask(self, question: str, profile: ParkProfile | None = None, history: Sequence[Turn] = (),
            on_token: Callable[[str], None] | None = None) -> Answer:
        """A grounded, cited answer (LLM mode when an endpoint is configured, offline extractive otherwise)."""
        return self.answerer.answer(question, profile, history, on_token)

    def pathway(self, profile: ParkProfile, today: date | None = None) -> Pathway:
        """A cited draft transition pathway for one park."""
        return self.drafter.draft(profile, today)

    def assess(self, profile: ParkProfile) -> Assessment:
        """The park's values against the bundled indicator systems, each threshold citing its passage."""
        row = type_table(self.index.catalog).get(profile.park_type)
        return assess(profile, self.index.catalog, ratings=row.ratings if row else None)

    def standalone(self, question: str, history: Sequence[Turn] = ()) -> str:
        """The query a question is searched with after ``history`` (a follow-up is rewritten to stand alone)."""
        return self.answerer.condense(question, history)[0]

    def evaluate(self, questions: list[EvalQuestion], k: int = 10,
                 modes: Sequence[str] = MODES, fail_at: int = 5) -> list[ModeResult]:
        """Retrieval quality of each mode on a question set (conversations searched as they are condensed); a
        question whose gold passage is not in the top ``fail_at`` is listed as a failure."""
        return evaluate(lambda q, n, m: self.searcher.search(q, k=n, mode=m),  # type: ignore[arg-type]
                        lambda q: self.standalone(q.question, [Turn("user", h) for h in q.history]),
                        questions, k=k, modes=modes, fail_at=fail_at)

    def evaluate_answers(self, questions: list[EvalQuestion]) -> list[AnswerResult]:
        """Answer quality offline, and in LLM mode too when an endpoint is configured."""
        runs = [("offline", Answerer(self.settings.answer, self.settings.llm, self.searcher, None))]
        if self.answerer.chat_model is not None:
            runs.append(("llm", self.answerer))
        return [evaluate_answers(partial(_answer_with_history, answerer), questions, mode) for mode, answerer in runs]

    @property
    def mode(self) -> str:
        """``llm`` when an endpoint is configured, else ``offline``."""
        return "llm" if self.answerer.chat_model is not None else "offline"

    def retriever(self, k: int = 5, mode: Mode = "hybrid", filters: SearchFilters | None = None) -> AdvisorRetriever:
        return AdvisorRetriever(searcher=self.searcher, k=k, mode=mode, filters=filters)


def _answer_with_history(answerer: Answerer, question: str, history: Sequence[Turn]) -> Answer:
    return answerer.answer(question, None, history)
