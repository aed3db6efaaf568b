"""Faithful text from real-world PDF layouts: page furniture, vertical text, TOC leaders, wrapped lines, symbol
fonts, headings, and the front matter (title, issuer, 文号, date) — on small hand-made pages (no model)."""

from __future__ import annotations

import pytest

from advisor.chunking import is_fragment
from advisor.cleaning import (
    broken_lines,
    clean_pages,
    drop_page_numbers,
    drop_toc_lines,
    reflow_vertical,
    restore_symbols,
    runs_on,
    single_spaced,
)
from advisor.frontmatter import read_front_matter, sane_title


def test_numbers_inside_the_page_are_text_not_page_numbers():
    lines = ["— 3 —", "第一条 园区目标", "2025", "年前建成园区", "30", "个。", "7"]
    kept = drop_page_numbers(lines)
    assert "2025" in kept and "30" in kept and "— 3 —" not in kept and "7" not in kept


def test_one_character_per_line_is_reflowed_and_digits_survive():
    lines = ["到", "2", "0", "2", "5", "年", "装机", "达", "到", "3", "0", "0", "万", "千", "瓦"]
    assert reflow_vertical(lines) == ["到2025年", "装机", "达到300万千瓦"]
    text, _, _, _ = clean_pages(["\n".join(["目录页"] + lines)] * 1)
    assert "2025" in text and "300" in text


def test_dot_leader_tables_of_contents_are_dropped():
    lines = ["附录 H 温室气体排放因子......................69", "第一节 指导思想 ······· 7 第二节 基本原则 ······· 9",
             "第一章 总则", "本规划适用于全市。"]
    kept, titles = drop_toc_lines(lines)
    assert kept == ["第一章 总则", "本规划适用于全市。"]
    assert "附录 H 温室气体排放因子" in titles and "第二节 基本原则" in titles


def test_blank_line_after_every_line_is_layout():
    page = ["同一项目负责人不得同时申报本专项项目和其他科技计划项目，", "", "违者取消申报资格。", "",
            "申报材料统一用A4纸打印，按封面、项目信息表、项目", "", "申报书、附件顺序装订成册。", ""] * 2
    assert "" not in single_spaced(page)


def test_sentences_broken_across_blocks_and_pages_are_rejoined():
    left = "各级人民政府要加大对碳达峰、碳中和工作的支持力度，建立健全有利于绿色低碳发展的"
    assert runs_on(left, "税收政策体系。")
    assert not runs_on(left + "。", "第二条 本办法适用于")
    assert not runs_on("一、总体要求", "（一）指导思想")
    text, _, _, _ = clean_pages(["第一章 总则\n\n" + left, "税收政策体系。\n\n第二章 附则"])
    assert left + "税收政策体系。" in text and broken_lines(text) == 0


def test_symbol_font_characters_are_read_and_bullets_kept():
    assert restore_symbols("E = A \uf0b4 EF \uf0a3 0.5") == "E = A × EF ≤ 0.5"
    assert restore_symbols("\uf06c 推进屋顶光伏").startswith("• ")


@pytest.mark.parametrize("line", ["图 2-3 试点区域耕地现状空间分布图", "印发时间：2022-03-24 浏览次数：2460",
                                  "配合单位：市农业农村局）", "建立健全园区碳排放核算、", "（以下简称"])
def test_fragments_captions_and_web_metadata_are_not_headings(line):
    assert is_fragment(line)


@pytest.mark.parametrize("line", ["一、总体要求", "第三章 排放核查", "5.1 评价方法", "（二）主要目标"])
def test_real_headings_are_not_fragments(line):
    assert not is_fragment(line)


def test_article_and_numbered_headings_get_clean_labels():
    from advisor.chunking import Chunker
    from advisor.records import DocMeta, Document

    text = "第一条为了规范碳排放权交易，制定本办法。\n\n第五条 （核查机构基本条件）核查机构应当具备下列条件。"
    sections = {c.section for c in Chunker(40).chunk(Document(DocMeta("d", "办法", "d.txt"), text))}
    assert any(s.endswith("第一条") for s in sections)
    assert any(s.endswith("第五条 （核查机构基本条件）") for s in sections)
    guide = "5.1 评价方法\n\n" + "园区评价分为自评价和第三方评价。" * 6 + "\n\n5.2 评价过程\n\n" + "评价内容包括八个方面。" * 6
    sections = {c.section for c in Chunker(100).chunk(Document(DocMeta("g", "导则", "g.txt"), guide))}
    assert any(s.endswith("5.1 评价方法") for s in sections) and any(s.endswith("5.2 评价过程") for s in sections)


def test_front_matter_from_the_first_and_last_pages():
    first = ("— 1 —\n上海市生态环境局文件\n沪环气〔2022〕27 号\n上海市生态环境局关于开展低碳示范\n创建工作的通知\n"
             "各区生态环境局，各相关单位：\n开展低碳示范创建工作，是本市贯彻落实碳达峰和碳中和目标的有效途径。")
    last = "特此通知。\n上海市生态环境局\n2022 年 1月 27日\n"
    fm = read_front_matter([first, last])
    assert fm.title == "上海市生态环境局关于开展低碳示范创建工作的通知"
    assert fm.issuer == "上海市生态环境局" and fm.doc_number == "沪环气〔2022〕27号" and fm.date == "2022-01-27"


def test_front_matter_cover_date_and_printing_line():
    fm = read_front_matter(["云南省“十四五”生态环境保护规划\n二〇二二年四月\n目录"])
    assert fm.title == "云南省“十四五”生态环境保护规划" and fm.date == "2022-04"
    fm = read_front_matter(["关于建立碳金融重点项目库的通知\n各有关单位：\n现将有关事项通知如下。",
                            "请遵照执行。\n山东省发展和改革委员会办公室 2022 年 1 月 29 日印发"])
    assert fm.date == "2022-01-29" and fm.issuer == "山东省发展和改革委员会办公室"


@pytest.mark.parametrize("title", ["Microsoft Word - 272.doc", "附件", "正文文件", "标题", "No:0000001", "<4D6963726F>"])
def test_junk_metadata_titles_are_not_used(title):
    assert not sane_title(title)
