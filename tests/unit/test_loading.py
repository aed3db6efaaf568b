"""Loading real files: Chinese PDFs written with an embedded CJK font, Chinese encodings, DOCX, bad files."""

from __future__ import annotations

import docx
import pytest

from advisor.chunking import Chunker
from advisor.cleaning import clean
from advisor.errors import IngestError
from advisor.loading import decode_text, holds_table, load_file, splice

from ..pdfs import chinese_pdf, encrypted_pdf, image_only_pdf

PAGES = [
    "一、能源供给\n园区应当构建以可再生能源为主体的零碳能源供给体系，推进屋顶分布式光伏建设。",
    "二、储能建设\n园区应当配置新型储能设施，提高新能源就地消纳能力。",
    "三、能碳管理\n园区应当建设能碳管理平台，对重点用能企业实施在线监测。",
]


@pytest.fixture
def cn_pdf(tmp_path, cjk_font):
    return chinese_pdf(tmp_path / "园区 简报.pdf", cjk_font, PAGES)


def test_chinese_pdf_pages_and_page_numbers(cn_pdf):
    raw = load_file(cn_pdf)
    assert raw.paged and len(raw.pages) == 3
    doc = clean(raw)
    assert "园区简报" not in doc.text and "- 2 -" not in doc.text  # running header and footer dropped
    assert "提高新能源就地消纳能力。" in doc.text
    chunks = Chunker(max_chars=60).chunk(doc)
    page_of = {c.text.split("，")[0][:8]: c.page for c in chunks}
    assert page_of["园区应当构建以可"] == 1
    assert page_of["园区应当配置新型"] == 2
    assert page_of["园区应当建设能碳"] == 3
    storage = next(c for c in chunks if "储能" in c.text)
    assert storage.section.endswith("二、储能建设")
    assert doc.meta.title == "园区 简报" and doc.meta.source == "园区 简报.pdf"


def test_pdf_with_empty_user_password_opens(tmp_path, cn_pdf):
    doc = clean(load_file(encrypted_pdf(cn_pdf, tmp_path / "open.pdf", "")))
    assert "能碳管理平台" in doc.text


def test_encrypted_pdf_is_refused_by_name(tmp_path, cn_pdf):
    locked = encrypted_pdf(cn_pdf, tmp_path / "locked.pdf", "secret")
    with pytest.raises(IngestError, match="locked.pdf.*加密.*encrypted"):
        load_file(locked)


def test_corrupt_and_truncated_pdfs_are_refused(tmp_path, cn_pdf):
    garbage = tmp_path / "corrupt.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x13\x37 not a pdf at all " * 50)
    with pytest.raises(IngestError, match="corrupt.pdf"):
        clean(load_file(garbage))
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(cn_pdf.read_bytes()[:400])
    with pytest.raises(IngestError, match="truncated.pdf"):
        load_file(truncated)


def test_image_only_pdf_has_no_text(tmp_path):
    raw = load_file(image_only_pdf(tmp_path / "scan.pdf"))
    assert "".join("".join(p.split()) for p in raw.pages) == ""


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig", "utf-8"])
def test_chinese_text_encodings(tmp_path, encoding):
    text = "第一条 园区应当开展碳排放核算。\n\n第二条 鼓励建设屋顶光伏。"
    path = tmp_path / f"notice-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = clean(load_file(path))
    assert doc.text == text


def test_binary_with_txt_name_is_refused(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match="data.txt.*二进制.*binary"):
        load_file(path)


def test_empty_unsupported_and_oversized_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty.txt.*0 字节"):
        load_file(empty)
    other = tmp_path / "sheet.xlsx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match="不支持的文件类型"):
        load_file(other)
    big = tmp_path / "big.txt"
    big.write_bytes("碳".encode() * 400_000)
    with pytest.raises(IngestError, match="big.txt.*过大"):
        load_file(big, max_mb=1)


def test_header_block_goes_to_metadata(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("标题: 《某市零碳园区实施方案》\n发文机关: 某市发展改革委\n文号: 某发改〔2024〕1号\n"
                    "发布日期: 2024-03-05\n---\n一、总体要求\n\n推进园区绿色低碳转型。", encoding="utf-8")
    raw = load_file(path)
    assert raw.meta.title == "某市零碳园区实施方案" and raw.meta.issuer == "某市发展改革委"
    assert raw.meta.date == "2024-03-05" and raw.meta.doc_type == "方案" and raw.meta.year == 2024
    assert not raw.pages[0].startswith("标题")


def test_docx_paragraphs_and_tables(tmp_path):
    document = docx.Document()
    document.add_heading("一、园区概况", level=1)
    document.add_paragraph("园区以装备制造为主导产业，年综合能耗约20万吨标准煤。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "绿电使用率", "60%"
    path = tmp_path / "园区概况.docx"
    document.save(path)
    doc = clean(load_file(path))
    assert "年综合能耗约20万吨标准煤。" in doc.text
    assert "指标\t目标\n绿电使用率\t60%" in doc.text


@pytest.mark.parametrize("data", [b"\xff\xfe" + "园区".encode("utf-16-le") + b"\x81", b"\x80" * 40])
def test_decode_rejects_undecodable_text(tmp_path, data):
    with pytest.raises(IngestError, match="x.txt"):
        decode_text(data, tmp_path / "x.txt")


def test_a_ruled_table_on_a_page_of_prose_replaces_the_lines_it_was_flattened_into():
    page = ("3．创建方案指标体系\n表2近零碳排放园区试点主要指标体系\n碳抵消\n购买中国核证自愿减排量\n（CCER）、深圳碳普惠制核\n"
            "证减排量占碳排放量的比\n例\n% ≤5 一般指标\n备注：\n[1]建议在上表的基础上提高要求执行；")
    rows = [["碳抵消", "购买中国核证自愿减排量（CCER）、深圳碳普惠制核证减排量占碳排放量的比例", "%", "≤5", "一般指标"],
            ["管理", "碳排放管理体系", "-", "建立", "核心指标"]]
    assert holds_table(page)  # a table caption among prose
    out = splice(page, rows)
    assert "碳抵消\t购买中国核证自愿减排量（CCER）、深圳碳普惠制核证减排量占碳排放量的比例\t%\t≤5\t一般指标" in out
    assert "证减排量占碳排放量的比\n" not in out  # the flattened fragments are gone
    assert out.index("表2近零碳排放园区试点主要指标体系") < out.index("碳抵消\t") < out.index("[1]建议在上表的基础上")
    # a page whose lines are not the table's cells keeps its text
    assert splice("第一条 为了规范碳排放权交易。\n第二条 本办法适用于全国碳排放权交易。", rows).startswith("第一条")
