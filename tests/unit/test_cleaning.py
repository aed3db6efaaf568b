"""Cleaning of PDF-extracted Chinese text, on the real white paper and on synthetic pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cleaning import clean, clean_pages, clean_text, is_row_line, word_spans
from advisor.loading import load_file, load_manifest

from ..conftest import CORPUS

WHITEPAPER = CORPUS / "whitepaper" / "green-low-carbon-industrial-parks-whitepaper.txt"


@pytest.fixture(scope="module")
def whitepaper():
    rel = str(WHITEPAPER.relative_to(CORPUS))
    return clean(load_file(WHITEPAPER, load_manifest(CORPUS / "manifest.yaml"), rel=rel))


@pytest.mark.parametrize("joined", [
    "一系列政策文件",                       # 一系\n\n列政策文件: a word split across blocks
    "电气化替代，电动汽车",                  # 替\n\n代
    "前端加强能源结构的调整",                # 加\n\n强
    "是前四大碳排放部门",                    # 四\n\n大
    "远低于2030年碳达峰目标",                # function word before a digit
    "Negative Emissions Technologies",     # an English word split across blocks
    "构建“产城创”融合发展新模式",            # an open quotation waiting for its close
    "园区公交车、私家车等交通燃料",           # 公交\n\n车
    "其零碳发展路径也会有所区别。",           # sentence interrupted by a whole table
])
def test_whitepaper_broken_lines_are_rejoined(whitepaper, joined):
    assert joined in whitepaper.text


def test_raw_whitepaper_really_has_those_breaks():
    raw = WHITEPAPER.read_text(encoding="utf-8")
    assert "一系\n\n列政策文件" in raw and "也会有" in raw and "一系列政策文件" not in raw


def test_headings_and_paragraph_ends_stay_separate(whitepaper):
    text = whitepaper.text
    assert "\n\n绿色低碳产业园区的示范作用\n\n" in text
    assert "\n\n产业结构偏重制造业\n\n" in text  # a heading after an unterminated paragraph is not glued on
    assert "重复建设产业结构" not in text


def test_tables_stay_rows_with_tabs(whitepaper):
    assert "园区类型\t特点\t用能 / 排放\t零碳园区战略定位\n工业园\t" in whitepaper.text


def test_toc_becomes_outline_and_orphan_captions_go(whitepaper):
    assert whitepaper.outline[0] == "绿色低碳产业园区发展背景" and len(whitepaper.outline) == 7
    assert "绿色低碳产业园区发展背景\t02" not in whitepaper.text
    assert "碳中和产业全景图谱" not in whitepaper.text  # a figure caption whose figure is gone
    assert "资料来源：落基山研究所" in whitepaper.text  # a table's source line is kept


def test_policy_articles_are_not_merged():
    path = CORPUS / "policies" / "2020-12_carbon-emissions-trading-measures-trial.txt"
    doc = clean(load_file(path, load_manifest(CORPUS / "manifest.yaml"), rel=str(path.relative_to(CORPUS))))
    assert "\n\n第一章 总 则\n\n第一条 " in doc.text
    assert "（一）属于全国碳排放权交易市场覆盖行业；\n\n（二）" in doc.text
    assert not doc.text.startswith("标题")  # the header block went into the metadata


def test_page_furniture_removed_and_pages_located():
    body = "零碳园区应当构建清洁低碳安全高效的能源供给体系，推进分布式光伏、分散式风电和新型储能建设，提高园区绿电消费比例"
    pages = [
        f"园区简报 第1期\n一、能源供给\n{body}，并\n- 1 -",
        "园区简报 第2期\n建立能碳管理平台。\n二、产业结构\n第二页内容。\n- 2 -",
        "园区简报 第3期\n三、建筑交通\n第三页内容。\n第 3 页",
        "园区简报 第4期\n四、碳汇\n第四页内容。\n4",
    ]
    text, starts, _, _ = clean_pages(pages)
    assert "园区简报" not in text and "- 1 -" not in text and "第 3 页" not in text
    assert "\n4" not in text
    assert "并建立能碳管理平台。" in text  # the sentence ran on across the page break
    assert len(starts) == 4 and starts == tuple(sorted(starts))
    assert text[starts[2]:].startswith("三、建筑交通")
    assert text[starts[3]:].startswith("四、碳汇")


def test_a_pdf_table_row_of_space_separated_cells_ends_its_line():
    page = ("表2近零碳排放园区试点主要指标体系\n碳排放\n既有园区碳排放总量下降\n率 % 较 2020 年下降 40%以上 核心指标\n"
            "既有园区单位产值或单位\n工业增加值碳排放量下降 % 较 2020 年下降 40%以上 核心指标\n"
            "绿地 绿化覆盖率 % ≥30 一般指标\n园区应当推进分布式光伏建设，提高园区绿电消费比例，并\n建立能碳管理平台。")
    text, _, _, _ = clean_pages([page])
    lines = [ln for ln in text.split("\n") if ln]
    # each row whole, its first cell's wrapped lines joined to it, and no row run into the next
    assert "既有园区碳排放总量下降率 % 较 2020 年下降 40%以上 核心指标" in lines
    assert "既有园区单位产值或单位工业增加值碳排放量下降 % 较 2020 年下降 40%以上 核心指标" in lines
    assert "绿地 绿化覆盖率 % ≥30 一般指标" in lines
    assert "园区应当推进分布式光伏建设，提高园区绿电消费比例，并建立能碳管理平台。" in lines  # prose still rejoined
    assert is_row_line("22 城市建成区绿化覆盖率 % ≥43.1") and not is_row_line("工业和信息化部 人民银行 银保监会")
    assert not is_row_line("多 能互补、纵向“源、网、荷、储、控”能源多 环节的一体化智慧能源")


def test_word_span_detection():
    assert word_spans("近年，我国出台了一系", "列政策文件")
    assert not word_spans("重复建设", "产业结构偏重制造业")


def test_clean_text_is_idempotent(whitepaper):
    again, _ = clean_text(whitepaper.text)
    assert again == whitepaper.text


def test_crlf_fullwidth_space_and_bom_normalised():
    text, _ = clean_text("\ufeff第一条\u3000总则。\r\n\r\n第二条  内容。")
    assert text == "第一条 总则。\n\n第二条 内容。"


def test_all_bundled_texts_clean_without_loss_of_articles():
    manifest = load_manifest(CORPUS / "manifest.yaml")
    for path in sorted(Path(CORPUS).rglob("*.txt")):
        doc = clean(load_file(path, manifest, rel=str(path.relative_to(CORPUS))))
        raw = path.read_text(encoding="utf-8")
        for marker in ("第一条", "一、", "（一）"):
            assert raw.count(marker) == doc.text.count(marker) or marker not in raw[300:], (path.name, marker)


def test_a_standard_s_code_and_a_long_number_run_on_across_lines():
    # a five-digit number with 、 after it is no item's number: "50378、GB/T 50878" continues "按照 GB/T"
    text = "深化“污水零直排区”建设。新建建筑应按照 GB/T \n50378、GB/T 50878 要求设计、建造和运营。\n1、加强组织领导。"
    cleaned, _ = clean_text(text)
    assert "GB/T50378、GB/T 50878 要求设计" in cleaned
    assert "\n\n1、加强组织领导" in cleaned  # an item's number still opens its item
