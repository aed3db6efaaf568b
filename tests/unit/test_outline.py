"""Section outlines: which section a list question asks about, and which numbered items are that section's own."""

from __future__ import annotations

from advisor.lexical import LexicalIndex
from advisor.outline import asked_heading, compose, section_items
from advisor.query import QueryAnalyzer
from advisor.records import Chunk, DocMeta, Hit
from advisor.tokenization import tokenize

DOC = DocMeta("d", "关于开展零碳园区建设的通知", "d.txt")
TASKS = "关于开展零碳园区建设的通知 › 一、重点任务"


def _chunk(cid: str, ord_: int, section: str, text: str) -> Chunk:
    return Chunk(cid, "d", ord_, section, text, 0, len(text))


CHUNKS = [
    _chunk("a", 0, "关于开展零碳园区建设的通知", "各省、自治区、直辖市发展改革委：为贯彻落实……"),
    _chunk("b", 1, TASKS, "（一）加快园区用能结构转型。加强可再生能源开发利用。\n\n（二）大力推进园区节能降碳。推动园区建立制度。"),
    _chunk("c", 2, TASKS, "（三）调整优化园区产业结构。鼓励园区优化调整。\n\n1.这是一个子项。\n\n2.这是另一个子项。"),
    _chunk("d", 3, f"{TASKS} › （四）支持园区加强改革创新", "（四）支持园区加强改革创新。支持各类主体参与。"),
    _chunk("e", 4, "关于开展零碳园区建设的通知 › 二、保障措施", "（一）加强统筹协调。国家发展改革委统筹推进。"),
]


def test_a_section_s_items_run_across_passages_and_a_heading_repeated_in_the_text_counts_once():
    items = section_items(["关于开展零碳园区建设的通知", "一、重点任务"], CHUNKS)
    assert [(i.mark, i.lead, i.chunk.chunk_id) for i in items] == [
        ("（一）", "加快园区用能结构转型", "b"), ("（二）", "大力推进园区节能降碳", "b"),
        ("（三）", "调整优化园区产业结构", "c"), ("（四）", "支持园区加强改革创新", "d")]  # not the sub-items 1. 2.


def test_subsection_headings_in_the_trail_are_the_items_and_may_be_numbered_from_later_on():
    plan = [_chunk("p", 0, "方案 › 二、重点任务 › （四）深度调整产业结构", "1.构建产业布局。内容。\n\n2.遏制盲目发展。内容。"),
            _chunk("q", 1, "方案 › 二、重点任务 › （五）深入推进节能降碳", "1.调整优化用能结构。内容。"),
            _chunk("r", 2, "方案 › 二、重点任务 › （六）积极推行绿色制造", "1.建设绿色低碳工厂。内容。"),
            _chunk("s", 3, "方案 › 三、政策保障", "（九）完善政策。内容。")]
    items = section_items(["方案", "二、重点任务"], plan)
    assert [i.mark for i in items] == ["（四）", "（五）", "（六）"]


def test_fewer_than_three_items_are_no_outline():
    assert section_items(["关于开展零碳园区建设的通知", "二、保障措施"], CHUNKS) == []


def test_the_section_is_the_one_whose_heading_holds_what_is_asked_beside_the_title():
    lex = LexicalIndex(1, [c.chunk_id for c in CHUNKS], ["d"] * len(CHUNKS), [tokenize(c.index_text) for c in CHUNKS])
    analyzer = QueryAnalyzer(lex)
    hits = [Hit(n, 1.0, c, DOC) for n, c in enumerate(CHUNKS[1:3], start=1)]
    found = asked_heading(analyzer.analyze("零碳园区建设的重点任务有哪些？").key_terms, hits)
    assert found == (DOC, ["关于开展零碳园区建设的通知", "一、重点任务"])
    assert asked_heading(analyzer.analyze("园区可再生能源开发利用有哪些方式？").key_terms, hits) is None


def test_each_item_is_a_sentence_citing_its_passage():
    items = section_items(["关于开展零碳园区建设的通知", "一、重点任务"], CHUNKS)
    text = compose(DOC, "一、重点任务", items, {"b": 1, "c": 2, "d": 7}, english=False)
    assert text == ("《关于开展零碳园区建设的通知》“一、重点任务”共列出4项：（一）加快园区用能结构转型[1]。"
                    "（二）大力推进园区节能降碳[1]。（三）调整优化园区产业结构[2]。（四）支持园区加强改革创新[7]。")


def test_a_long_first_sentence_still_counts_its_item_and_malformed_numbers_are_no_items():
    long = "（二）" + "推动园区企业开展节能降碳改造，" * 8 + "全面提升能效水平。"
    chunks = [_chunk("a", 0, TASKS, "（一）加快园区用能结构转型。内容。\n\n" + long + "\n\n（三）调整优化园区产业结构。内容。"),
              _chunk("b", 1, TASKS, "（三五）这不是编号。\n\n一二、也不是。\n\n（四）支持园区加强改革创新。内容。")]
    items = section_items(["关于开展零碳园区建设的通知", "一、重点任务"], chunks)
    assert [i.mark for i in items] == ["（一）", "（二）", "（三）", "（四）"]
    assert items[1].lead.endswith("…") and len(items[1].lead) == 41  # shown cut, counted whole
