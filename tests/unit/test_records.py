"""How a source is named: the title once, the heading trail, the page."""

from __future__ import annotations

from advisor.records import Chunk, DocMeta, Hit, source_label

META = DocMeta(doc_id="policies/x", title="2030年前碳达峰行动方案", source="x.txt")


def _chunk(section: str, page: int | None = None) -> Chunk:
    return Chunk("c1", "policies/x", 0, section, "正文。", 0, 3, page)


def test_title_is_not_repeated_by_the_heading_trail():
    label = source_label(META, _chunk("2030年前碳达峰行动方案 › 三、重点任务 › （十）碳达峰试点", 12))
    assert label == "《2030年前碳达峰行动方案》 › 三、重点任务 › （十）碳达峰试点 · 第12页"
    assert label.count("2030年前碳达峰行动方案") == 1


def test_english_page_and_file_name():
    hit = Hit(1, 1.0, _chunk("2030年前碳达峰行动方案", 3), META)
    assert hit.source_label("en", file=True) == "《2030年前碳达峰行动方案》 · p. 3 (x.txt)"
    assert hit.source_label(file=True) == "《2030年前碳达峰行动方案》 · 第3页（x.txt）"
    assert source_label(META, _chunk("其他标题 › 一、总则")) == "《2030年前碳达峰行动方案》 › 其他标题 › 一、总则"
