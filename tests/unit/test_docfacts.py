"""Document facts: which questions ask for a document's record, and how the record is stated."""

from __future__ import annotations

import pytest

from advisor import docfacts
from advisor.records import Chunk, DocMeta

NOTICE = DocMeta("policies/notice", "关于开展零碳园区建设的通知", "notice.txt",
                 issuer="国家发展改革委、工业和信息化部、国家能源局", doc_number="发改环资〔2025〕910号", date="2025-06-30")


@pytest.mark.parametrize("question, issuer, date, number", [
    ("零碳园区通知是哪几个部门发的？", True, False, False),
    ("这份方案由哪些部门联合印发？", True, False, False),
    ("发文机关是谁", True, False, False),
    ("哪个部门印发了工业领域碳达峰实施方案？", True, False, False),
    ("工业领域碳达峰实施方案是什么时候印发的？", False, True, False),
    ("碳排放权交易管理办法的文号是多少", False, False, True),
    ("Which agencies issued the 2025 zero-carbon park notice?", True, False, False),
    ("Who published the white paper?", True, False, False),
    ("When was the fiscal support opinion issued?", False, True, False),
    ("零碳園區通知是哪幾個部門發的？", True, False, False),  # Traditional script
])
def test_record_questions_are_recognised(question, issuer, date, number):
    assert docfacts.asked(question) == docfacts.Facts(issuer, date, number)


@pytest.mark.parametrize("question", [
    "方案编完以后要谁审核？最后由谁来发布？",  # a step the text describes, not who issued the document
    "2030年前碳达峰行动方案由哪个部门负责组织落实和调度？",
    "碳配额是哪一级生态环境部门发给企业的？",
    "Which agencies should a park contact about carbon accounting?",
    "零碳园区建设的重点任务有哪些？",
    "园区零碳建设方案由谁编制？",  # drafting a plan
    "碳排放权交易管理办法里配额由谁发放？",  # handing out allowances
    "哪个部门发了补贴？",  # handing out, not issuing
    "What subsidies are issued by the Ministry of Finance under the opinions?",
])
def test_content_questions_are_not_record_questions(question):
    assert not docfacts.asked(question)


def test_the_record_is_asked_only_about_the_document_itself():
    from advisor.query import KeyTerm

    def keys(*labels: str) -> tuple[KeyTerm, ...]:
        return tuple(KeyTerm(w, frozenset({w}), 1.0) for w in labels)

    assert docfacts.about_document(keys("零碳园区", "通知", "部门", "发"), NOTICE)
    assert docfacts.about_document(keys("零碳园区", "国家能源局", "2025", "印发"), NOTICE)  # its issuer, its year
    assert not docfacts.about_document(keys("零碳园区", "通知", "名单", "发布"), NOTICE)  # when a list comes out


def test_record_needs_every_fact_asked():
    undated = DocMeta("d", "某白皮书", "w.txt", issuer="某研究院")
    assert docfacts.answerable(docfacts.Facts(issuer=True), undated)
    assert not docfacts.answerable(docfacts.Facts(issuer=True, date=True), undated)
    assert not docfacts.answerable(docfacts.Facts(), NOTICE)


def test_the_passage_showing_the_record_is_cited():
    chunks = [Chunk("a", NOTICE.doc_id, 0, NOTICE.title, "各省、自治区、直辖市发展改革委：为贯彻落实……", 0, 10),
              Chunk("b", NOTICE.doc_id, 1, NOTICE.title, "（一）加快用能结构转型。", 10, 20),
              Chunk("c", NOTICE.doc_id, 2, NOTICE.title, "附件\n\n国家发展改革委\n\n工业和信息化部\n\n国家能源局\n\n2025年6月30日", 20, 40)]
    assert docfacts.showing_passage(NOTICE, chunks).chunk_id == "c"
    assert docfacts.showing_passage(NOTICE, chunks[:2]).chunk_id == "a"  # none shows it: the opening passage
    duties = Chunk("d", NOTICE.doc_id, 3, NOTICE.title, "（国家发展改革委、工业和信息化部、国家能源局等按职责分工负责）", 40, 60)
    assert docfacts.showing_passage(NOTICE, [*chunks[:2], duties]).chunk_id == "a"  # bodies named, but no date
    assert docfacts.showing_passage(NOTICE, []) is None


def test_a_document_without_a_number_is_said_to_have_none():
    plain = DocMeta("d", "某通知", "d.txt", issuer="生态环境部科技与财务司", date="2022-03-22")
    assert docfacts.answerable(docfacts.Facts(number=True), plain)
    assert docfacts.compose(plain, docfacts.Facts(number=True), False, 2) == \
        "《某通知》由生态环境部科技与财务司于2022年3月22日发布[2]。资料库所收文本未载明文号[2]。"
    assert not docfacts.answerable(docfacts.Facts(number=True), DocMeta("d", "某通知", "d.txt"))


def test_the_record_is_stated_in_the_question_language():
    zh = docfacts.compose(NOTICE, docfacts.Facts(issuer=True), False, 3)
    assert zh == "《关于开展零碳园区建设的通知》（发改环资〔2025〕910号）由国家发展改革委、工业和信息化部、国家能源局于2025年6月30日发布[3]。"
    en = docfacts.compose(NOTICE, docfacts.Facts(date=True), True, 1)
    assert en.startswith("《关于开展零碳园区建设的通知》 (发改环资〔2025〕910号) was issued by 国家发展改革委") and en.endswith("on 2025-06-30 [1].")
