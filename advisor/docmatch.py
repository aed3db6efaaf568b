"""Document matching: which indexed documents a question names indirectly ("碳交易的那部试行办法",
"2021年初国务院那份指导意见", "the white paper").

Only a question that names a document at all (a type word such as 办法/通知/意见/方案/白皮书, or 文件, 那份 …) is
matched. Each document is described by the words of its title, issuer, type and number; the question's words score
a document by the inverse document frequency of the words they share (a word in every title says nothing), and a
year named as a publication year ("2021年初那份…", "2022年发布的…") adds the weight of one distinctive word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

from .applicability import issuing_place
from .records import DocMeta
from .tokenization import tokenize

# a year naming a document: "2021年初那份…", "2022年3月发的那个…", "2021年9月中央那份…", "2025年零碳园区那个通知",
# "2021年初的国发4号文", "2022版的评价导则" (a month, and a few words of who issued it or what it is about, may stand
# between the year and the word that points at the document, or its number); "到2025年" is a target year
PUBLISHED = re.compile(r"(?<![到至前\d])(20\d\d|[12]\d(?=\s*年))\s*(?:年\s*(?:初|中|底|末|年初|年中|年底|年末)?\s*(?:\d{1,2}\s*月份?\s*)?"
                       r"(?:[^\s\d，。；？、,;?!！]{0,12}?(?:那份|那部|那个|那篇|发布|出台|印发|发的|下发|\d+\s*号文?)|的文件|"
                       r"的通知|的意见|的方案|的办法)|年?版)")


def full_year(year: str) -> str:
    """The year a question writes, in full: users shorten 2022年 to 22年."""
    return year if len(year) == 4 else f"20{year}"


_GENERIC = frozenset({"关于", "通知", "工作", "相关", "有关", "开展", "做好", "推进", "加快"})
# A question names a document only with a word for one (its type, 文件, 那份 …); title words alone are topics.
_NAMING = re.compile(r"白皮书|通知|意见|方案|办法|规划|指南|决定|导则|目录|计划|文件|条例|那份|那部|那个文|这份|这部|"
                     r"white ?paper|notice|opinions?\b|plan\b|measures\b|guideline|guide\b|document|circular", re.I)


class DocMatcher:
    """Scores documents against a question; ``scores`` maps doc_id → shared-word weight (0 when nothing is named)."""

    def __init__(self, metas: list[DocMeta]) -> None:
        self.metas = metas
        self.words: dict[str, set[str]] = {}
        for m in metas:
            text = " ".join(x for x in (m.title, m.issuer or "", m.doc_type or "", m.doc_number or "") if x)
            self.words[m.doc_id] = {t for t in tokenize(text) if t not in _GENERIC and not t.isdigit()}
        df = Counter(w for ws in self.words.values() for w in ws)
        n = len(metas)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        self.year_weight = math.log(1 + (n - 1 + 0.5) / 1.5) if n else 0.0
        self.places = {m.doc_id: p for m in metas if (p := issuing_place(m.issuer))}

    def elsewhere(self, question: str, terms: Mapping[str, float]) -> set[str]:
        """Documents issued for another province or city than the one the question names ("我们是深圳的园区…" — not
        Sichuan's or Zhejiang's pilot; ``terms`` carry an English question's 深圳 for Shenzhen), when it names one that
        issued documents here; empty otherwise."""
        text = question.replace(" ", "")
        named = {p for p in self.places.values() if p in text or p in terms}
        return {d for d, p in self.places.items() if p not in named} if named else set()

    def scores(self, question: str, terms: Mapping[str, float]) -> dict[str, float]:
        """``terms``: the question's weighted search terms (its words, glossary names, translations)."""
        if len(self.metas) < 2 or not _NAMING.search(question):
            return {}
        years = {int(full_year(y)) for y in PUBLISHED.findall(question)}
        out: dict[str, float] = {}
        for m in self.metas:
            s = sum(self.idf[w] * terms[w] for w in terms.keys() & self.words[m.doc_id])
            if m.year is not None and m.year in years:
                s += self.year_weight
            if s > 0:
                out[m.doc_id] = s
        return out

    def content_terms(self, terms: Mapping[str, float], doc_id: str, weight: float) -> dict[str, float]:
        """The terms with the title words of the named document scaled by ``weight``: once a document is named,
        its title words pick the document (the fusion lifts it), not a passage within it — left at full weight they
        rank the document's preamble and every sentence that repeats its title first. Only the best-named
        document's words are scaled (a second one named stays a topic); a question of title words alone keeps
        its terms as they are."""
        title = self.words.get(doc_id, set())
        out = {t: w * weight if t in title else w for t, w in terms.items()}
        return out if any(w > 0 for w in out.values()) else dict(terms)


def named_document(scores: Mapping[str, float], minimum: float) -> str | None:
    """The document a question names: the best-scored one, if it reaches ``minimum``."""
    top = max(scores, key=lambda d: scores[d], default=None)
    return top if top is not None and scores[top] >= minimum else None
