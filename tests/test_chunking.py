"""Chunking invariants over every bundled document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.chunking import Chunker, split_blocks
from advisor.cleaning import clean
from advisor.loading import load_file, load_manifest
from advisor.records import SECTION_SEP

from .conftest import CORPUS

MAX = 480
ENDS = "。！？；!?;"


def _docs():
    manifest = load_manifest(CORPUS / "manifest.yaml")
    for path in sorted(Path(CORPUS).rglob("*.txt")):
        yield clean(load_file(path, manifest, rel=str(path.relative_to(CORPUS))))


DOCS = list(_docs())


@pytest.fixture(scope="module")
def chunked():
    chunker = Chunker(max_chars=MAX)
    return [(doc, chunker.chunk(doc)) for doc in DOCS]


def test_no_chunk_over_the_limit(chunked):
    for _, chunks in chunked:
        assert all(0 < len(c.text) <= MAX for c in chunks)


def test_chunks_cover_the_document_in_order(chunked):
    for doc, chunks in chunked:
        assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:])), doc.meta.doc_id
        covered = bytearray(len(doc.text))
        for c in chunks:
            assert doc.text[c.start:c.end] in c.text  # offsets point at the chunk's body in the cleaned text
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        for b in split_blocks(doc):
            if b.kind == "heading" and not b.has_body:  # pure headings live in the section trail
                covered[b.start:b.end] = b"\x01" * (b.end - b.start)
        lost = [i for i, ch in enumerate(doc.text) if not covered[i] and not ch.isspace()]
        assert not lost, (doc.meta.doc_id, doc.text[lost[0]:lost[0] + 40])


def test_no_sentence_cut_unless_it_alone_is_oversized(chunked):
    for doc, chunks in chunked:
        for c in chunks:
            if c.kind == "table":
                continue
            after = doc.text[c.end:c.end + 2]
            at_block_end = after.startswith("\n") or c.end == len(doc.text)
            at_sentence_end = doc.text[c.end - 1] in ENDS or doc.text[c.end - 1] in "”’）)"
            if not (at_block_end or at_sentence_end):
                # the only allowed cut: inside a sentence longer than the limit
                sentence = re.search(rf"[^{ENDS}\n]*$", doc.text[:c.end]).group(0) + \
                    re.match(rf"[^{ENDS}\n]*", doc.text[c.end:]).group(0)
                assert len(sentence) > MAX, (doc.meta.doc_id, c.text[-30:])


def test_tables_keep_caption_and_header_in_every_part(chunked):
    wp = next(ch for doc, ch in chunked if doc.meta.doc_type == "白皮书")
    parts = [c for c in wp if c.kind == "table" and "典型园区特点及零碳战略定位" in c.text]
    assert len(parts) >= 2
    for part in parts:
        assert part.text.startswith("典型园区特点及零碳战略定位")
        assert "园区类型\t特点\t用能 / 排放\t零碳园区战略定位" in part.text
    rows = "".join(p.text for p in parts)
    for park in ("工业园", "港口物流园", "科技创新园", "产城综合体", "商务办公园", "旅游度假区"):
        assert f"\n{park}\t" in rows


def test_heading_trail_follows_policy_structure(chunked):
    plan = next(ch for doc, ch in chunked if doc.meta.title == "2030年前碳达峰行动方案")
    trails = [c.section for c in plan]
    assert any(t.startswith(SECTION_SEP.join(["2030年前碳达峰行动方案", "三、重点任务", "（一）能源绿色低碳转型行动"]))
               for t in trails)
    new_energy = next(c for c in plan if "风电、太阳能发电总装机容量达到12亿千瓦以上" in c.text)
    assert new_energy.section.endswith("2．大力发展新能源")
    assert all(c.section.startswith("2030年前碳达峰行动方案") for c in plan)


def test_an_article_with_its_items_stays_whole(chunked):
    measures = next(ch for doc, ch in chunked if doc.meta.doc_type == "办法")
    article8 = next(c for c in measures if "第八条" in c.text)
    assert "（一）属于全国碳排放权交易市场覆盖行业" in article8.text
    assert "（二）年度温室气体排放量达到2.6万吨二氧化碳当量" in article8.text


def test_chunk_ids_are_stable_and_unique(chunked):
    again = Chunker(max_chars=MAX)
    for doc, chunks in chunked:
        ids = [c.chunk_id for c in chunks]
        assert len(set(ids)) == len(ids)
        assert ids == [c.chunk_id for c in again.chunk(doc)]


def test_embedded_text_fits_the_model_window(chunked, embedder):
    longest = sorted((c for _, ch in chunked for c in ch), key=lambda c: len(c.index_text))[-20:]
    assert max(embedder.token_count(c.index_text) for c in longest) <= 512


def test_oversized_paragraph_is_split_at_sentence_ends():
    from advisor.records import DocMeta, Document

    sentence = "园区应当建设分布式光伏和储能设施，提高绿电消费比例。"
    doc = Document(DocMeta("d", "测试文档", "d.txt"), "一、能源\n\n" + sentence * 40)
    chunks = Chunker(max_chars=200).chunk(doc)
    assert len(chunks) > 1
    assert all(c.text.endswith("。") and len(c.text) <= 200 for c in chunks)
    assert all(c.section == "测试文档 › 一、能源" for c in chunks)


def test_a_pdf_table_without_a_grid_keeps_the_document_structure():
    """Shenzhen's indicator tables come out of the PDF as short lines (一级指 / 率 / % ≤5 一般指标). They are the
    rows of the table under its caption, not headings that would close the document's numbering."""
    path = next(Path(CORPUS).rglob("2021-11_shenzhen-near-zero-carbon-zone-pilot-plan.pdf"))
    doc = clean(load_file(path, load_manifest(CORPUS / "manifest.yaml"), rel=str(path.relative_to(CORPUS))))
    chunks = Chunker(max_chars=MAX).chunk(doc)
    table = next(c for c in chunks if "既有园区碳排放总量下降" in c.text)
    # the table under its caption: read as a table (tab-separated rows), the caption heads the chunk's text
    under = SECTION_SEP.join(["二、试点申报要求", "（二）近零碳排放园区试点", "3．创建方案指标体系"])
    assert table.section.endswith(under + SECTION_SEP + "表2近零碳排放园区试点主要指标体系") \
        or table.section.endswith(under) and table.text.startswith("表2近零碳排放园区试点主要指标体系")
    community = next(c for c in chunks if "近零碳排放社区试点项目的申报主体" in c.text)
    assert community.section.endswith(SECTION_SEP.join(["二、试点申报要求", "（三）近零碳排放社区试点", "1．申报主体"])) \
        or community.section.endswith(SECTION_SEP.join(["二、试点申报要求", "（三）近零碳排放社区试点"]))
    headings = {b.text.strip() for b in split_blocks(doc) if b.kind == "heading"}
    assert not headings & {"一级指", "率", "% ≤5 一般指标", "核心指标", "ED——设计建筑的建筑能耗综合值，kWh/m"}


def test_an_annex_starts_a_part_of_its_own():
    from advisor.records import DocMeta, Document

    text = "一、总体要求\n\n（一）工作目标\n\n到2025年建成一批试点园区。\n\n附件 1\n\n试点申报指引\n\n申报主体为园区管理委员会。"
    chunks = Chunker(max_chars=40).chunk(Document(DocMeta("d", "测试通知", "d.txt"), text))
    annex = next(c for c in chunks if "申报主体" in c.text)
    assert "一、总体要求" not in annex.section and "（一）工作目标" not in annex.section


def test_a_guide_bound_into_the_same_file_heads_its_own_sections():
    # trial S: the Zhejiang park guide's PDF carries the factory guide from p. 21; its 9.3 was cited as the park's
    from advisor.records import DocMeta, Document

    text = ("浙江省绿色低碳工业园区建设评价导则\n\n3 评价方法\n\n3.3 评价结论\n\n总得分85分以上的，可以推荐为浙江省绿色低碳工业园区。"
            "\n\n浙江省绿色低碳工厂建设评价导则\n\n9 评价方法及程序\n\n9.3 评价结论\n\n总得分90分以上的，可以推荐为省级绿色低碳工厂。")
    meta = DocMeta("d", "浙江省绿色低碳工业园区建设评价导则（2022版）", "d.pdf")
    chunks = Chunker(max_chars=40).chunk(Document(meta, text))
    park = next(c for c in chunks if "85分" in c.text)
    factory = next(c for c in chunks if "90分" in c.text)
    assert park.section.split(SECTION_SEP)[1:2] == ["3 评价方法"]  # its own title again starts no part
    assert factory.section.split(SECTION_SEP)[1:3] == ["浙江省绿色低碳工厂建设评价导则", "9 评价方法及程序"]
