"""Hybrid retrieval over the whole bundled corpus (indexed once per session with the real embedder)."""

from __future__ import annotations

import pytest
from langchain_core.retrievers import BaseRetriever

from advisor.answer_forms import form_coverage
from advisor.chunking import chunk_sentences
from advisor.errors import QueryError
from advisor.fusion import RERANK_DEPTH
from advisor.query import key_coverage
from advisor.records import SearchFilters
from advisor.text import bigram_overlap, char_bigrams


def test_energy_supply_question_finds_whitepaper_passages(corpus_advisor):
    hits = corpus_advisor.search("零碳园区的能源供给体系包括什么", k=5)
    assert len(hits) == 5 and [h.rank for h in hits] == [1, 2, 3, 4, 5]
    wp = [h for h in hits if h.meta.doc_type == "白皮书"]
    assert wp, [h.meta.title for h in hits]
    assert any("零碳能源供给" in h.chunk.text for h in wp)
    for h in hits:
        assert h.chunk.section.startswith(h.meta.title) and h.meta.source.endswith(".txt")
        assert set(h.retrievers) <= {"dense", "bm25"} and h.retrievers


def test_table_question_finds_the_table(corpus_advisor):
    hits = corpus_advisor.search("港口物流园的用能特点和零碳战略定位", k=5)
    assert any(h.chunk.kind == "table" and "港口物流园" in h.chunk.text for h in hits)


def test_english_question_finds_chinese_policy(corpus_advisor):
    hits = corpus_advisor.search("What gases count as greenhouse gases under the carbon emissions trading measures?", k=5)
    assert any("甲烷（CH4）、氧化亚氮（N2O）" in h.chunk.text for h in hits)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_names_its_retriever(corpus_advisor, mode):
    hits = corpus_advisor.search("碳排放权交易配额清缴", k=5, mode=mode)
    assert hits
    if mode != "hybrid":
        assert all(h.retrievers == (mode,) for h in hits)
    assert any("清缴" in h.chunk.text for h in hits)


def test_filters_by_type_issuer_year_and_document(corpus_advisor):
    only_wp = corpus_advisor.search("园区碳排放", k=8, filters=SearchFilters(doc_types=("白皮书",)))
    assert only_wp and all(h.meta.doc_type == "白皮书" for h in only_wp)
    mee = corpus_advisor.search("园区碳排放", k=8, filters=SearchFilters(issuer="生态环境部"))
    assert mee and all("生态环境部" in (h.meta.issuer or "") for h in mee)
    recent = corpus_advisor.search("园区碳排放", k=8, filters=SearchFilters(year_from=2022, year_to=2025))
    assert recent and all(2022 <= (h.meta.year or 0) <= 2025 for h in recent)
    one = corpus_advisor.search("园区", k=8, filters=SearchFilters(doc_ids=("2025-06_zero-carbon-parks-construction-notice",)))
    assert one and {h.meta.doc_id for h in one} == {"policies/2025-06_zero-carbon-parks-construction-notice"}
    none = corpus_advisor.search("园区", k=8, filters=SearchFilters(issuer="不存在的机关"))
    assert none == []


def test_near_duplicates_are_suppressed(corpus_advisor):
    hits = corpus_advisor.search("指导思想 以习近平新时代中国特色社会主义思想为指导", k=10)
    grams = [char_bigrams(h.chunk.text) for h in hits]
    threshold = corpus_advisor.settings.dedup_threshold
    for i in range(len(grams)):
        for j in range(i):
            assert bigram_overlap(grams[i], grams[j]) <= threshold


def test_langchain_retriever(corpus_advisor):
    retriever = corpus_advisor.retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("碳达峰试点园区有多少个")
    assert len(docs) == 3
    assert any("100个" in d.page_content for d in docs)
    assert {"doc_title", "section", "chunk_id", "source", "page"} <= set(docs[0].metadata)


@pytest.mark.parametrize("query", ["", "   \n\t "])
def test_empty_query_is_refused(corpus_advisor, query):
    with pytest.raises(QueryError, match="为空.*empty"):
        corpus_advisor.search(query)


@pytest.mark.parametrize("query", ["？？？！！！", "🌱🌍⚡", "碳" * 10000, "Zero-carbon 园区 ゼロカーボン 탄소 중립"])
def test_odd_queries_do_not_crash(corpus_advisor, query):
    assert isinstance(corpus_advisor.search(query, k=3), list)


def test_hybrid_search_lifts_passages_by_the_asked_terms_they_hold(corpus_advisor):
    """The fused top passages gain key_term_weight × their key-term coverage; the single modes are left alone."""
    question = "园区光伏项目能拿到哪些财政支持？"
    plain, lifted = (corpus_advisor.variant(key_term_weight=w, answer_form_weight=0.0, sentence_weight=0.0)
                     for w in (0.0, 0.5))
    keys = plain.analyze(question).key_terms
    k = 12  # within the lift's depth, and few enough that both searches take the same candidates
    assert k < RERANK_DEPTH
    before = {h.chunk.chunk_id: h for h in plain.search(question, k=k)}
    after = lifted.search(question, k=k)
    common = [h for h in after if h.chunk.chunk_id in before]
    assert len(common) >= k - 3
    for h in common:
        assert h.score == pytest.approx(before[h.chunk.chunk_id].score + 0.5 * key_coverage(keys, h.chunk.index_text))
    assert [h.score for h in after] == sorted((h.score for h in after), reverse=True)
    assert [h.chunk.chunk_id for h in after] != list(before)
    for mode in ("bm25", "dense"):
        assert [h.chunk.chunk_id for h in plain.search(question, k=10, mode=mode)] == \
            [h.chunk.chunk_id for h in lifted.search(question, k=10, mode=mode)]


def test_a_question_asking_for_a_number_lifts_passages_stating_one_by_the_asked_words(corpus_advisor):
    """answer_form_weight × the key-term share of a passage's best sentence holding a figure is added on top."""
    question = "排放量达到多少的企业会被列入全国碳市场重点排放单位名录？"
    plain, lifted = (corpus_advisor.variant(key_term_weight=0.5, answer_form_weight=w, sentence_weight=0.0)
                     for w in (0.0, 0.6))
    query = plain.analyze(question)
    before = {h.chunk.chunk_id: h for h in plain.search(question, k=12)}
    after = lifted.search(question, k=12)
    gains = {h.chunk.chunk_id: h.score - before[h.chunk.chunk_id].score for h in after if h.chunk.chunk_id in before}
    assert len(gains) >= 9
    for h in after:
        if h.chunk.chunk_id in gains:
            assert gains[h.chunk.chunk_id] == pytest.approx(0.6 * form_coverage(query, h.chunk.index_text))
    assert any(g > 0 for g in gains.values()) and any(g == 0 for g in gains.values())
    assert "2.6万吨" in after[0].chunk.text


def test_hybrid_search_lifts_passages_by_their_closest_sentence(corpus_advisor):
    """sentence_weight × the normalised cosine of a passage's closest sentence to the question is added: each
    passage's gain follows that cosine, which is its best sentence's, stored at ingest."""
    question = "重点排放单位的温室气体排放报告要在什么时候之前报送？"
    plain, lifted = (corpus_advisor.variant(sentence_weight=w) for w in (0.0, 0.3))
    before = {h.chunk.chunk_id: h for h in plain.search(question, k=12)}
    after = lifted.search(question, k=12)
    gains = {h.chunk.chunk_id: h.score - before[h.chunk.chunk_id].score for h in after if h.chunk.chunk_id in before}
    assert len(gains) >= 9 and all(-1e-9 <= g <= 0.3 + 1e-9 for g in gains.values())
    vec = corpus_advisor.searcher.embedder.embed_queries([plain.analyze(question).dense_text])[0]
    sims = corpus_advisor.index.vectors.sentence_similarities(vec, list(gains))
    assert set(sims) == set(gains)
    ordered = sorted(gains, key=lambda cid: sims[cid])
    assert [gains[c] for c in ordered] == sorted(gains[c] for c in ordered)  # more similar, more lift
    assert max(gains.values()) > min(gains.values())
    best = next(h.chunk for h in after if h.chunk.chunk_id in sims)  # its stored similarity is its closest sentence's
    units = chunk_sentences(best)
    direct = corpus_advisor.searcher.embedder.embed_passages(units) @ vec
    # the 4-bit model's vectors shift slightly with the batch they are embedded in (ingest batches many chunks)
    assert sims[best.chunk_id] == pytest.approx(float(direct.max()), abs=2e-3)
    if len(units) > 1:
        assert sims[best.chunk_id] > float(direct.min())


def test_a_place_named_in_the_question_lowers_other_places_documents(corpus_advisor):
    """A Shenzhen park asking about the near-zero-carbon pilot gets Shenzhen's plan, not Sichuan's notice first."""
    question = "我们是深圳南山的一个产业园，想报近零碳排放园区试点。园区碳排放总量得比哪一年降多少？"
    sichuan = "park-standards/2022_sichuan-near-zero-carbon-park-pilot-notice"
    assert corpus_advisor.candidates(question, "hybrid").elsewhere >= {sichuan}
    hits = corpus_advisor.search(question, k=5)
    assert hits[0].meta.issuer.startswith("深圳") and all(h.chunk.doc_id != sichuan for h in hits[:3])
    # the base year: without the rule, Sichuan's notice comes first
    base_year = "我们是深圳的一个产业园，想报近零碳排放园区试点，要以哪一年为基准年？"
    assert corpus_advisor.search(base_year, k=5)[0].meta.issuer.startswith("深圳")
    assert corpus_advisor.variant(place_penalty=0.0).search(base_year, k=5)[0].chunk.doc_id == sichuan
    # a document the question names is asked for, wherever it was issued
    titled = "我们是深圳的园区，《关于开展近零碳排放园区试点工作的通知》里申报条件是什么？"
    assert sichuan in corpus_advisor.candidates(titled, "hybrid").elsewhere
    assert corpus_advisor.search(titled, k=5)[0].chunk.doc_id == sichuan


def test_a_named_documents_title_words_weigh_less_in_hybrid_search(corpus_advisor):
    """Once a question names a document, its title words pick the document (lifted in fusion), not a passage."""
    question = "国务院那份循环经济指导意见里，对园区建充电桩和加氢站有什么说法？"
    full, half = (corpus_advisor.variant(title_term_weight=w) for w in (1.0, 0.5))
    a, b = full.candidates(question, "hybrid"), half.candidates(question, "hybrid")
    assert a.doc_scores and a.doc_scores == b.doc_scores  # the document is named alike
    before, after = dict(a.bm25) | a.bm25_extra, dict(b.bm25) | b.bm25_extra
    both = before.keys() & after.keys()
    assert all(after[c] <= before[c] + 1e-6 for c in both)
    assert any(after[c] < before[c] - 1e-6 for c in both)  # the chunks holding the title's words
    # BM25 alone has no document lift to make up for it: its terms stay whole
    assert full.candidates(question, "bm25").bm25 == half.candidates(question, "bm25").bm25
    # and the passage about charging and hydrogen stations now leads the preamble-like passages of that document
    hits = half.search(question, k=5)
    assert any("加氢" in h.chunk.text for h in hits)
