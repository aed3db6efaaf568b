"""The English key to a Chinese quote: terms asked about and the figures stated, read off the quote exactly."""

from __future__ import annotations

from advisor.gist import english_gist, figures
from advisor.lexical import LexicalIndex
from advisor.query import QueryAnalyzer
from advisor.tokenization import tokenize

CAP = "第二十九条 重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳排放配额的5%。"


def _analyzer() -> QueryAnalyzer:
    return QueryAnalyzer(LexicalIndex(1, ["c0"], ["d"], [tokenize(CAP)]))


def test_dates_and_figures_are_written_the_english_way():
    text = "自2021年2月1日起施行，并于每年3月31日前报告；排放量达到2.6万吨二氧化碳当量，比例不得超过5%，有效期为五年，3年内完成。"
    assert figures(text) == ["2021-02-01", "31 March", "26,000 t", "5%", "3 years"]
    assert figures("到2030年，累计投入1.5亿元。") == ["150,000,000 yuan"]  # a year is no span of years


def test_the_key_names_the_chinese_words_of_the_terms_asked_and_the_answering_figures():
    query = _analyzer().analyze("Using CCER to offset allowances: what is the cap?")
    key = english_gist(query, [CAP, "第三十条 其他规定，涉及2亿元。"], [CAP])
    assert key is not None and key.startswith("Key to the Chinese quote:")
    assert "国家核证自愿减排量 = CCER" in key and "碳排放配额 = allowance" in key
    assert key.endswith("figures quoted — 5%.")  # not the 2亿元 of a sentence that does not answer
    assert english_gist(_analyzer().analyze("What about the weather?"), [CAP], [CAP]) is None
