"""Document facts: who issued a document the question names, when, and under which number.

These facts are the document's record (its manifest entry or header block), not sentences of its body, so searching
the body for them quotes a preamble or a list of addressees. When a question asks for them about a document it
names ("零碳园区通知是哪几个部门发的？", "Which agencies issued the 2025 zero-carbon park notice?"), the answer states the
record and cites the passage of the document that shows it best — the signature or the header, where the issuing
bodies and the date stand — so the reader can check it against the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .query import KeyTerm
from .records import Chunk, DocMeta
from .tokenization import normalize

# issuing a document (not drafting a plan, 编制, nor handing out allowances, 发放): a bare 发 only as 发的
_VERB = r"(?:联合)?(?:印发|发布|出台|颁布|下发|发文)"
# "是哪几个部门发的", "谁发布的", "哪个部门印发了…", "由哪些部门联合印发", "发文机关是谁" — the document's issuer
# (a bare 发 only as 发的: "哪个部门发了补贴" hands something out); "最后由谁来发布" (a step of
# a procedure the text describes) is not: the verb must follow the interrogative directly.
_ISSUER_ZH = re.compile(rf"(?:谁|哪[个些几家]?[^，。？?；]{{0,6}}?(?:部门|单位|机关|机构|部委|部|委))(?:{_VERB}[的了]|发的)|"
                        rf"由(?:谁|哪[个些几家]?[^，。？?；]{{0,6}}?(?:部门|单位|机关|机构|部委)){_VERB}|"
                        r"(?:发文|印发|发布)(?:机关|单位|部门|机构)")
_DATE_ZH = re.compile(rf"(?:什么时候|何时|哪天|哪一天|哪年|哪一年|哪个月|几月几[日号]|几号)(?:正式)?(?:{_VERB}|发)的?|"
                      r"(?:印发|发布|出台|颁布|发文)(?:时间|日期)")
_NUMBER_ZH = re.compile(r"文号|发文字号")
_ISSUER_EN = re.compile(r"\b(?:who|which\s+(?:agenc(?:y|ies)|ministr(?:y|ies)|departments?|bod(?:y|ies)|"
                        r"authorit(?:y|ies)|organi[sz]ations?|institutions?))\b[^?.]{0,60}?\b(?:issued|published|released|"
                        r"put out)\b|\b(?:was|were)\s+(?:jointly\s+)?issued\s+by\b|\bissuing (?:bod(?:y|ies)|authorit(?:y|ies)|agenc)",
                        re.I)
# what a question about a document's record may say besides the document's own title: the record's words
RECORD_WORDS = frozenset({"发", "部门", "单位", "机关", "机构", "部委", "印发", "发布", "出台", "颁布", "下发", "发文", "文号",
                          "发文字号", "日期", "时间", "联合", "文件", "正式"})
RECORD_WORDS_EN = frozenset({"agency", "agencies", "ministry", "ministries", "department", "departments", "body",
                             "bodies", "authority", "authorities", "organisation", "organization", "organisations",
                             "organizations", "institution", "institutions", "issued", "issuing", "published",
                             "released", "date", "number", "reference", "document", "jointly", "first", "originally"})
_DATE_EN = re.compile(r"\bwhen\s+(?:was|were|did)\b[^?.]{0,80}?\b(?:issued|published|released|come out|put out)\b|"
                      r"\b(?:issue|issuing|publication|release)\s+date\b", re.I)
_NUMBER_EN = re.compile(r"\bdocument\s+(?:number|no\.?)\b|\breference\s+number\b", re.I)


@dataclass(frozen=True)
class Facts:
    """Which of a document's record facts a question asks for."""

    issuer: bool = False
    date: bool = False
    number: bool = False

    def __bool__(self) -> bool:
        return self.issuer or self.date or self.number


def asked(question: str) -> Facts:
    """The record facts the question asks for (none for a question about the documents' content); Traditional
    script is read as Simplified."""
    q = normalize(question)
    return Facts(issuer=bool(_ISSUER_ZH.search(q) or _ISSUER_EN.search(q)),
                 date=bool(_DATE_ZH.search(q) or _DATE_EN.search(q)),
                 number=bool(_NUMBER_ZH.search(q) or _NUMBER_EN.search(q)))


def about_document(keys: tuple[KeyTerm, ...], meta: DocMeta) -> bool:
    """Is the document itself what the question is about — every key term is a word of its title or issuer, its
    year or a word of the record? "国家级零碳园区名单什么时候发布" asks when a list comes out (名单), "配额由谁发放" who
    hands out allowances: not the document's record. (An English question's words are checked through their
    translations, so a document named in English descriptors may miss this and is answered from its text.)"""
    named = normalize(f"{meta.title} {meta.issuer or ''}")
    year = meta.date[:4] if meta.date else ""
    return all(k.held_by(named) or k.label in RECORD_WORDS or k.label.lower() in RECORD_WORDS_EN or k.label == year
               for k in keys)


def answerable(facts: Facts, meta: DocMeta) -> bool:
    """The record holds every fact asked for (else the body text is searched as for any question) — a number
    excepted: a document without one is said to have none."""
    return bool(facts) and (not facts.issuer or bool(meta.issuer)) and (not facts.date or bool(meta.date)) \
        and (not facts.number or bool(meta.doc_number or meta.issuer or meta.date))


def _date_forms(date: str) -> list[str]:
    """How a record date (2025-06-30, 2025-06) is written in a text: 2025年6月30日, 2025 年 6 月 30 日."""
    parts = [str(int(p)) for p in date.split("-") if p.isdigit()]
    units = ["年", "月", "日"][: len(parts)]
    return ["".join(p + u for p, u in zip(parts, units)), " ".join(p + " " + u for p, u in zip(parts, units))]


def _issuers(meta: DocMeta) -> list[str]:
    return [p for p in re.split(r"[、，,；;\s]+|等$", meta.issuer or "") if len(p) >= 2]


def showing_passage(meta: DocMeta, chunks: list[Chunk]) -> Chunk | None:
    """The document's passage that shows its record: the one holding its date or number (the signature or the
    header) and most of its issuing bodies; the opening passage when none holds the date or number (a body line
    naming the bodies, "（…按职责分工负责）", is no record)."""
    if not chunks:
        return None
    ordered = sorted(chunks, key=lambda c: c.ord)
    marks = ([meta.doc_number] if meta.doc_number else []) + (_date_forms(meta.date) if meta.date else [])
    dated = [c for c in ordered if any(m in c.text for m in marks)]
    if not dated:
        return ordered[0]
    return max(dated, key=lambda c: sum(1 for w in _issuers(meta) if w in c.text))


def _chinese_date(date: str) -> str:
    return _date_forms(date)[0]


def compose(meta: DocMeta, facts: Facts, english: bool, n: int) -> str:
    """One sentence stating the record, cited to passage ``n``: the number and date are given with the issuer, as a
    reader who asks one usually wants the others."""
    number = meta.doc_number or ""
    no_number = facts.number and not number
    if english:
        parts = [f"《{meta.title}》" + (f" ({number})" if number else "")]
        if meta.issuer:
            parts.append(f"was issued by {meta.issuer}")
        if meta.date:
            parts.append(f"{'on' if len(meta.date) > 7 else 'in'} {meta.date}" if meta.issuer else
                         f"is dated {meta.date}")
        return " ".join(parts) + f" [{n}]." + (f" The text in the library gives no document number [{n}]." if no_number else "")
    text = f"《{meta.title}》" + (f"（{number}）" if number else "")
    if meta.issuer:
        text += f"由{meta.issuer}" + (f"于{_chinese_date(meta.date)}" if meta.date else "") + "发布"
    elif meta.date:
        text += f"的日期为{_chinese_date(meta.date)}"
    return text + f"[{n}]。" + (f"资料库所收文本未载明文号[{n}]。" if no_number else "")
