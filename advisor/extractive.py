"""Offline extractive answering: quote the sentences of the top passages that answer the question, or say plainly
what the library does not hold.

- **Key terms, not every token**: the question's asking clause, after stop words, interrogatives and first-person
  context, with glossary names as equivalents (``query.KeyTerm``). A passage covers a key term when it holds any of
  its alternatives.
- **Sentences**: from the best passage and any other that comes close, never a heading, annex title, caption,
  department list, bare title or planted instruction (``sentence_kinds``); a passage holding an instruction is not
  quoted at all. A sentence that holds what was asked — a number for 多少, a time for 何时, items for 哪些, a
  condition for 条件 — ranks higher.
- **Decision**: answer when the quoted passages cover enough of the key terms (``answer_min_key_coverage``) and
  retrieval is strong (``answer_min_similarity``) or coverage is high; below ``answer_confident_coverage`` the
  answer also quotes the next passage's best sentence, and carries a 请核对原文 note unless both retrievers rank
  the passage it rests on near the top (``AGREE_DEPTH``). Refuse when a named entity or
  year the question asks about is absent, when a number or date is asked and no candidate sentence holds one (a day
  or a length of time when one is asked), or when what is asked sits in an annex the library lacks; the refusal says
  what is missing and which nearby topics the library does cover.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .answer_forms import (
    DAY,
    DURATION,
    HOLDS,
    YEAR,
    asked_unit,
    asks_names,
    defines_indicator,
    holds_figure,
    in_unit,
    names_members,
    only_given_figures,
    states_figure,
)
from .applicability import issuing_place
from .citations import NOT_FOUND_EN, NOT_FOUND_ZH
from .config import AnswerSettings
from .outline import item_lead
from .query import KeyTerm, Query, asked_parts, asks_how, asks_own_fact, asks_sequel, is_ordinal, is_question
from .query import key_coverage as coverage
from .records import Hit
from .scopes import off_scope, scopes_named
from .sentence_kinds import NOT_QUOTABLE, classify, is_header_row, is_instruction
from .text import char_bigrams, is_closed, jaccard, last_heading, sentences, trail
from .tokenization import normalize

PRIOR_WEIGHT = 0.25  # weight of the passage's rank against the sentence's key-term coverage
ANSWER_BONUS = 0.15  # a sentence that holds the kind of answer asked for
ANSWER_SWAP_RATIO = 0.5  # a sentence holding the asked kind of answer may join the quote from this coverage share
FIGURE_SENTENCE_RATIO = 0.7  # dev: refusals rise from 0.5 to 0.7 with no answer lost; answers are lost from 0.9
YEAR_SENTENCE_RATIO = 0.875  # the sentence with the asked year must be about as relevant as the best figure; dev: a refusal
# gained above 0.8 (2030 抽水蓄能 is no answer to 2030 新型储能), an answer lost from 0.95: the middle of that range
_LIST_ITEM = re.compile(r"\s*([（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)|[一二三四五六七八九十]+、)")
_LEAD = re.compile(r"^(.*[：:])\s*(?:$|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))", re.S)
_ISSUED_APART = r"另行制定|另行规定|另行发布"  # a text to be issued apart, which the library cannot hold
_DEFERRED = re.compile(rf"{_ISSUED_APART}|另行通知|研究制定|适时出台|适时发布|抓紧制定|加快制定")
_ELSEWHERE = re.compile(rf"{_ISSUED_APART}|\b(?:issued?|formulated?|made|set out) separately\b|"
                        r"\bseparate(?:ly issued)? (?:rules|regulations|provisions)\b", re.I)
_ASKS_METHOD = re.compile(r"算|公式|口径|统计|calculat|comput|formula|measured|counted", re.I)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_ANNEX_REF = re.compile(r"(附件|附表|附录)\s*([0-9一二三四五六七八九十]*)")


@dataclass(frozen=True)
class Candidate:
    passage: int  # 1-based number in the supplied passages
    position: int
    text: str
    score: float
    coverage: float  # key-term coverage of the sentence with its heading trail
    holds_answer: bool
    dated: str = ""  # the target year an earlier sentence of its paragraph set ("到2025年，…" then "建成…50个")

    def states_years(self, years: list[str]) -> bool:
        """The sentence gives its figures for these years, itself or by the year its paragraph opened with."""
        return all(y in self.text or y == self.dated for y in years)


# The 请核对原文 note is shown when the quoted wording differs from the question's and the retrievers disagree: both
# ranking the first quoted passage in their top 3 is the signal that told right answers from wrong on dev (answers
# without it wrong 19 % against 10 %; key-term coverage alone: 16 % against 12 %, and it flagged half of all answers).
AGREE_DEPTH = 3


@dataclass
class Extract:
    sentences: list[Candidate]
    found: bool
    confidence: dict[str, float]
    low_confidence: bool = False
    lacks: str | None = None  # what the library does not hold (said in a refusal, or as a note)
    near: list[str] = field(default_factory=list)  # nearby topics the library does cover
    skipped_injections: list[int] = field(default_factory=list)  # passages with instructions (those paragraphs skipped)


def missing_entities(keys: tuple[KeyTerm, ...], hits: list[Hit]) -> list[str]:
    """The entities of the question none of the passages holds, or their documents' records (title, issuer,
    number: "910号文" is 发改环资〔2025〕910号, not in the notice's passages). A document's English name is held by a
    record only — a passage that cites 《…管理办法》 is no part of it. A later batch (第二批) is held only with what
    it is a batch of — the question's most specific other term — as a white paper's "第二批低碳城市试点" is no 第二批
    of 零碳园区."""
    records = [normalize(f"{h.meta.title}\n{h.meta.issuer or ''}\n{h.meta.doc_number or ''}") for h in hits]
    norms = [f"{normalize(_passage_text(h))}\n{r}" for h, r in zip(hits, records)]
    subject = max((k for k in keys if not k.entity), key=lambda k: k.weight, default=None)

    def held(k: KeyTerm) -> bool:
        within = subject if subject is not None and is_ordinal(k.label) else None
        return any(k.held_by(n) and (within is None or within.held_by(n))
                   for n in (records if k.document_type else norms))

    return [k.label for k in keys if k.entity and not held(k)]


# a year as the period something covers: 2022年度, or 2021年 before what it is the year of ("报送2021年国家…评价报告"),
# not a date's year (2022年5月31日, 2025年底) nor a target's (到2025年)
_PERIOD_ASKED = re.compile(r"((?:19|20)\d\d)\s*年度")
_PERIOD_STATED = r"(?<![到至\d])({year})\s*年(?:度|(?![\s\d一二三四五六七八九十]*(?:月|底|末|初|前|后|以前|以后|之前|左右)))"


def _other_period(question: str, texts: list[str]) -> str | None:
    """"asked|covered" — the year of the period the question asks about (2022年度) and those the passages state instead
    ("2021"; several joined by 、) — when they state other periods and not that one."""
    asked = dict.fromkeys(_PERIOD_ASKED.findall(normalize(question)))
    if not asked:
        return None
    text = normalize("\n".join(texts))
    stated = set(re.findall(_PERIOD_STATED.format(year=r"(?:19|20)\d\d"), text))
    missing = [y for y in asked if y not in stated]
    others = sorted(stated - set(asked))
    return f"{missing[0]}|{'、'.join(others)}" if missing and others else None


# Policy texts set many figures for new buildings, plants or projects (新建…) apart from existing ones (既有…): the
# standard contrast of the building-energy codes (GB 55015 新建建筑 / 既有建筑改造) and of industrial policy.
_THINGS = r"(?=厂房|建筑|房子|楼|项目|园区|设备|机组|企业|屋顶)"
_EXISTING = re.compile(rf"既有|存量|老旧|(?:老|现有|已建成?){_THINGS}|\b(?:existing|old(?:er)?) (?:public )?"
                       r"(?:buildings?|plants?|factor(?:y|ies)|roofs?|projects?|facilities)\b", re.I)
_NEW = re.compile(r"新建|新增|新上|拟建|\bnew(?:ly)?[- ]built\b|\bnew (?:buildings?|plants?|factor(?:y|ies)|roofs?|"
                  r"projects?)\b", re.I)


def _other_scope(question: str, texts: list[str]) -> str | None:
    """``asked|stated`` when the question asks a figure for existing things (or new ones) and every figure sentence
    sets it for new ones only (or existing ones only)."""
    # "新建厂房要覆盖50%，那老厂房…要达到多少": a clause giving a figure and asking nothing is the asker's premise
    _, asking, asks = asked_parts(question)
    question = "，".join(c for c, a in zip(asking, asks) if a or not re.search(r"\d", c)) or question
    existing, new = bool(_EXISTING.search(question)), bool(_NEW.search(question))
    if existing == new or not texts:
        return None
    other = _NEW if existing else _EXISTING
    same = _EXISTING if existing else _NEW
    if all(other.search(t) and not same.search(t) for t in texts):
        return "既有|新建" if existing else "新建|既有"
    return None


def _passage_text(hit: Hit) -> str:
    return f"{hit.chunk.section}\n{hit.chunk.text}"


def candidates(query: Query, hits: list[Hit], item_titles: bool = True) -> tuple[list[Candidate], list[int]]:
    """Every quotable sentence of the passages, scored; paragraphs holding a planted instruction are skipped.
    ``item_titles``: a numbered paragraph's short title counts towards its sentences' key terms (answers; pathway
    drafts score without it — with it, more of their lines were shared across park types on the pathway dev set)."""
    out: list[Candidate] = []
    skipped: list[int] = []
    # an indicator's explanation or formula (指标解释：…, 计算公式：…) says what the indicator is, not what to do or
    # what is required: quoted only for a question about what it means or how it is computed
    defines = query.asks == "definition" or bool(_ASKS_METHOD.search(query.text))
    asked_scopes = scopes_named(query.text)
    for n, hit in enumerate(hits, start=1):
        if off_scope(asked_scopes, " ".join(trail(hit.chunk.section)[1:])):
            continue  # "浙江省绿色低碳工厂建设评价导则 › …" answers no question about a park
        paragraphs = [p for p in re.split(r"\n\s*\n", hit.chunk.text) if p.strip()]
        safe = [p for p in paragraphs if not any(is_instruction(u) for u in sentences(p))]
        if len(safe) < len(paragraphs):
            skipped.append(n)  # a paragraph holding a planted instruction is never quoted, nor any of its sentences
        clean = _with_values(safe)
        units: list[tuple[str, str, str]] = []
        titles: list[str] = []  # a numbered paragraph's short title ("3.打造绿色低碳工业园区。") heads its sentences
        heading = ""  # an indicator's heading on a line of its own ("（1）能源产出率（必选）") heads its explanation and formula
        for p in clean:
            head = next((row.strip() for row in p.split("\n") if "\t" in row), "")  # a table's first row
            header = head if head and is_header_row(head) else None
            found = [(s, d, o) for s, d, o in _dated(sentences(p, min_chars=8)) if s.strip() != header]
            units += found
            own = _item_title(p) if item_titles else ""
            titles += [own or (heading if item_titles and defines_indicator(u) else "") for u, _, _ in found]
            if "\n" not in p.strip() and classify(p.strip()) == "heading":
                heading = p.strip()
        prior = 1.0 / (1 + 0.3 * (n - 1))
        label = " ".join(trail(hit.chunk.section)[1:])
        lead = ""  # the sentence that introduces a list ("…符合下列条件的，应当列入…名录："): its items speak of it
        for pos, (sent, dated, opener) in enumerate(units):
            # a document's own footnote marks ("[3]“可再生能源”为…") would read as citation markers
            shown = _FOOTNOTE.sub("", sent.replace("\t", " | "))
            opens, item = _LEAD.match(sent), _LIST_ITEM.match(sent)  # "…名录：" closing or opening a list; an item
            if opens:
                lead = opens.group(1)
            elif not item:
                lead = ""
            # an indicator's explanation answers what it means — or a figure it states ("获得二星及以上评级的…")
            if classify(shown, hit.meta.title) in NOT_QUOTABLE or not defines and defines_indicator(sent) \
                    and not (query.asks == "number" and holds_figure(sent)):
                continue
            # a sentence under its paragraph's target year speaks of what the year's opening sentence names
            cov = coverage(query.key_terms, f"{label}\n{titles[pos]}\n{lead if item else ''}\n{opener}\n{sent}")
            holds = bool(query.asks in HOLDS and HOLDS[query.asks].search(sent))
            score = (1 - PRIOR_WEIGHT) * cov + PRIOR_WEIGHT * prior + (ANSWER_BONUS if holds else 0.0)
            out.append(Candidate(n, pos, shown, score, cov, holds, dated))
    if query.asks == "definition":
        out = _definitions_first(out, query.key_terms)
    elif query.asks == "responsibility":
        out = _strict_first(out, lambda t: bool(_AGENT.search(t)))
    return out, skipped


# Who does it, as the texts say it: "由火炬中心…具体组织推动", "省级生态环境主管部门负责…", "…牵头" — not any sentence
# naming a 部 or 委.
_AGENT = re.compile(r"由[^，。；]{2,40}?(?:负责|组织|牵头|承担|实施|推动|审核|审定|发布|确定|制定|开展|指导)|负责|牵头")


def _strict_first(cands: list[Candidate], strict_form: Callable[[str], bool]) -> list[Candidate]:
    """When some sentence has the asked kind of answer's strict form, only such sentences hold the answer (the others
    lose the answer bonus)."""
    strict = {id(c) for c in cands if strict_form(c.text)}
    if not strict:
        return cands
    return [c if id(c) in strict or not c.holds_answer else
            dataclasses.replace(c, holds_answer=False, score=c.score - ANSWER_BONUS) for c in cands]


# A sentence that defines a name ("（三）碳排放权：是指…", "本办法所称…是指…", "X即Y"): its name comes first.
_DEFINITION_OF = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])?\s*(?:本\w{1,4}所称)?[“\"]?"
                            r"([^，。；：:“”\"]{2,24}?)[”\"]?\s*[:：，,]?\s*(?:是指|指的是|系指|即)")


def _definitions_first(cands: list[Candidate], keys: tuple[KeyTerm, ...]) -> list[Candidate]:
    """A definition is asked and some sentence defines a name holding a key term: only such sentences hold the
    answer (a sentence merely of the form "…是…的" — "…是判断配额归属的最终依据" — defines nothing asked)."""
    def defines(text: str) -> bool:
        found = _DEFINITION_OF.match(text)
        return found is not None and any(k.held_by(normalize(found.group(1))) for k in keys)

    return _strict_first(cands, defines)


ITEM_TITLE_CHARS = 30  # a numbered paragraph's first sentence up to this long is its title, not a statement
VALUE_CHARS = 30  # a paragraph this short after one ending in a colon is its value ("…排放因子：" then "0.4512kgCO2/kWh。")


def _with_values(paragraphs: list[str]) -> list[str]:
    """Paragraphs with a colon's value joined back to it: PDF extraction puts a short value on a line of its own
    ("…调入调出 CO2 排放因子：", blank line, "0.4512kgCO2/kWh。"), and apart the sentence names the figure and holds none.
    A list item or table row after the colon is the start of a list, not a value."""
    out: list[str] = []
    for p in paragraphs:
        value = p.strip()
        if out and out[-1].rstrip().endswith(("：", ":")) and len(value) <= VALUE_CHARS and "\t" not in value \
                and not _LIST_ITEM.match(value):
            out[-1] = out[-1].rstrip() + value
        else:
            out.append(p)
    return out


def _item_title(paragraph: str) -> str:
    """The short title a numbered paragraph opens with ("3.打造绿色低碳工业园区。…"), or ""."""
    lead = item_lead(paragraph)
    return lead if len(lead) <= ITEM_TITLE_CHARS else ""


_YEAR_OPEN = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])?\s*(?:力争|预计|计划|争取)?\s*(?:到|至|截至|在)\s*"
                        r"((?:19|20)\d\d)\s*年(?:底|末|前)?\s*[，,]")
_ANY_YEAR = re.compile(r"(?:19|20)\d\d(?=\s*年)")


def _dated(units: list[str]) -> list[tuple[str, str, str]]:
    """Each sentence of a paragraph with the target year in effect and the sentence that set it: policy texts state
    a year once, then its figures sentence by sentence ("到 2025 年，……全部开展绿色低碳循环改造。建成省级绿色低碳工业园区
    50 个，……"), until a sentence opens with another year, or names one of its own (then it stands for itself)."""
    out: list[tuple[str, str, str]] = []
    year = opener = ""
    for u in units:
        if m := _YEAR_OPEN.match(u):
            year, opener = m.group(1), u
        elif any(y != year for y in _ANY_YEAR.findall(u)):
            year = opener = ""
        out.append((u, year, "" if opener == u else opener))
    return out


def select_mmr(pool: list[Candidate], n: int, lam: float, min_ratio: float = 0.6) -> list[Candidate]:
    """Maximal marginal relevance: good sentences that do not repeat each other; stops when a sentence's score
    falls below ``min_ratio`` of the first pick's."""
    chosen: list[Candidate] = []
    grams: list[set[str]] = []
    pool = sorted(pool, key=lambda c: -c.score)
    while pool and len(chosen) < n:
        def mmr(c: Candidate) -> float:
            return lam * c.score - (1 - lam) * max((jaccard(char_bigrams(c.text), o) for o in grams), default=0.0)

        pick = max(pool, key=mmr)
        pool.remove(pick)
        if chosen and pick.score < min_ratio * chosen[0].score:
            break
        chosen.append(pick)
        grams.append(char_bigrams(pick.text))
    return chosen


def _fits(c: Candidate, query: Query, unit: str | None) -> bool:
    """Does the sentence hold the kind of answer asked for — a figure in the asked ``unit``, a time of the asked
    precision (a day, a length) — for the years the question names?"""
    return (c.holds_answer and c.states_years(query.asked_years) and (query.asks != "number" or states_figure(c.text, unit))
            and (query.asks != "time" or in_unit(c.text, unit)))


def _with_answer(chosen: list[Candidate], pool: list[Candidate], query: Query, unit: str | None) -> list[Candidate]:
    """Make sure the quote holds the kind of answer asked for when the quoted passages have it: the best such
    sentence (``_fits``) replaces the weakest pick."""
    if query.asks not in HOLDS or not chosen:
        return chosen
    if any(_fits(c, query, unit) for c in chosen):
        return chosen
    top = max(c.coverage for c in pool)
    extra = [c for c in pool if _fits(c, query, unit) and c not in chosen and c.coverage >= ANSWER_SWAP_RATIO * top]
    if not extra:
        return chosen
    best = max(extra, key=lambda c: c.score)
    return (chosen[:-1] if len(chosen) >= 2 else chosen) + [best]


# "园区内绿色交通指的是园区物理边界内的交通通行…": a sentence saying what a name means, an indicator's under its table
_DEFINES = re.compile(r"^[“\"]?([\u4e00-\u9fffA-Za-z0-9]{2,20}?)[”\"]?(?:指的是|是指)")


def _defined_term(chosen: list[Candidate]) -> str | None:
    """The name the best quoted sentence defines, if it is a definition."""
    found = _DEFINES.match(max(chosen, key=lambda c: c.score).text) if chosen else None
    return found.group(1) if found else None


def _with_defined_figure(chosen: list[Candidate], cands: list[Candidate], query: Query, unit: str | None,
                         term: str) -> list[Candidate]:
    """A figure asked for what the best sentence defines (the question paraphrases an indicator's explanation, and
    the indicator table states its value under the name): the best sentence of any retrieved passage giving a figure
    under that name joins the quote, in place of the weakest pick."""
    if any(term in c.text and _fits(c, query, unit) for c in chosen):
        return chosen
    extra = [c for c in cands if term in c.text and _fits(c, query, unit) and c not in chosen]
    if not extra:
        return chosen
    best = max(chosen, key=lambda c: c.score)
    rest = sorted((c for c in chosen if c is not best), key=lambda c: -c.score)
    return [best, *rest[:max(0, len(chosen) - 2)], max(extra, key=lambda c: c.score)]


def _with_sequel(chosen: list[Candidate], cands: list[Candidate], limit: int) -> list[Candidate]:
    """A question about what follows a step (``asks_sequel``) also quotes the sentence after the best-matched one,
    the step's: a procedure states its outcome next ("…官网公示5个工作日。公示结束无异议后，正式纳入试点名单。"). It
    takes the weakest other pick's place when the quote is full."""
    best = max(chosen, key=lambda c: c.score)
    after = next((c for c in cands if c.passage == best.passage and c.position == best.position + 1), None)
    if after is None or any(c.passage == after.passage and c.position == after.position for c in chosen):
        return chosen
    if len(chosen) >= limit:
        weakest = min((c for c in chosen if c is not best), key=lambda c: c.score)
        chosen = [c for c in chosen if c is not weakest]
    return chosen + [after]


def _with_next_passage(chosen: list[Candidate], cands: list[Candidate], best_of: dict[int, float], quoted: list[int],
                       limit: int, keep: Callable[[Candidate], bool]) -> list[Candidate]:
    """An answer marked 请核对原文 (the quoted passages hold the question's key terms only in part) also quotes the best
    sentence of the best passage not quoted yet, in place of its weakest sentence (one that ``keep`` — it holds the
    asked form of answer — stays): when the wording differs, the next passage holds the answer about as often as the
    first. Decided after the not-found gates, which judge the first passages alone (quoting more before them cost
    refusals on dev)."""
    rest = [n for n in sorted(best_of, key=lambda n: -best_of[n]) if n not in quoted]
    if not rest:
        return chosen
    add = max((c for c in cands if c.passage == rest[0]), key=lambda c: c.score)
    if add in chosen:
        return chosen
    if len(chosen) >= limit:
        weakest = min(chosen, key=lambda c: (keep(c), c.score))
        chosen = [c for c in chosen if c is not weakest]
    return chosen + [add]


def _annex_held(hit: Hit, name: str, what: str | None) -> bool:
    """Does this passage hold annex ``name`` (its heading in the section trail or on a line of its own) — or,
    for another document, an annex heading followed by ``what`` the pointer names ("编制大纲", "模板")?"""
    if any(t.startswith(name) for t in trail(hit.chunk.section)[1:]):
        return True
    heading = re.search(rf"^\s*{re.escape(name)}\s*$", hit.chunk.text, re.M)
    if what is None:
        return bool(heading)
    anywhere = re.search(r"^\s*(附件|附表|附录)\s*[0-9一二三四五六七八九十]*\s*$", hit.chunk.text, re.M)
    return bool(anywhere and what in hit.chunk.text[anywhere.end():])


ANNEX_POINTER = re.compile(r"[详参]?见\s*((附件|附表|附录)\s*[0-9一二三四五六七八九十]+)")
ANNEX_FOLLOW = 2  # sentences of a held annex quoted after the sentence pointing to it


def annex_region(text: str, name: str) -> str | None:
    """The part of a passage that is annex ``name`` ("附件1" on a line of its own, up to the next such line)."""
    start = re.search(rf"(?m)^\s*{re.escape(name)}\s*$", text)
    if start is None:
        return None
    end = re.search(r"(?m)^\s*(附件|附表|附录)\s*[0-9一二三四五六七八九十]+\s*$", text[start.end():])
    return text[start.end():start.end() + end.start() if end else None]


def _with_list(chosen: list[Candidate], cands: list[Candidate], limit: int) -> list[Candidate]:
    """A quoted list item comes with the sentence that introduces its list and its sibling items, when the whole
    list is short (at most ``limit`` sentences): "（二）年度排放量达到2.6万吨" alone reads as the only condition of
    "符合下列条件的，应当列入…名录：（一）属于覆盖行业；（二）…"."""
    out = list(chosen)
    for c in chosen:
        if not _LIST_ITEM.match(c.text):
            continue
        same = sorted((o for o in cands if o.passage == c.passage), key=lambda o: o.position)
        at = next(i for i, o in enumerate(same) if o.position == c.position)
        # neighbours only: an unquotable sentence in between breaks the list
        joined = [same[i + 1].position == same[i].position + 1 for i in range(len(same) - 1)]
        start = at
        while start > 0 and joined[start - 1] and _LIST_ITEM.match(same[start - 1].text) \
                and not _LEAD.match(same[start - 1].text):
            start -= 1
        if start == 0 or not joined[start - 1] or not _LEAD.match(same[start - 1].text):
            continue  # no introducing sentence in the passage: the list's extent is unknown
        end = at
        while end + 1 < len(same) and joined[end] and _LIST_ITEM.match(same[end + 1].text):
            end += 1
        whole = same[start - 1:end + 1]
        held = {(o.passage, o.position) for o in out}  # a sentence already quoted (perhaps re-marked) stays once
        if len(whole) <= limit:
            out += [o for o in whole if (o.passage, o.position) not in held]
    return out


def _with_annex(chosen: list[Candidate], cands: list[Candidate], hits: list[Hit], listed: bool) -> list[Candidate]:
    """A quoted sentence that points to an annex (``名单（第一批）见附件1``) held in another passage of its document is
    followed by that annex's first sentences: what the pointer says is there (the items, the outline) — for a
    question asking for items or conditions (``listed``), the answer it asks for."""
    out = list(chosen)
    for c in chosen:
        m = ANNEX_POINTER.search(c.text)
        if m is None:
            continue
        name = re.sub(r"\s", "", m.group(1))
        doc = hits[c.passage - 1].meta.doc_id
        for n, h in enumerate(hits, start=1):
            region = annex_region(h.chunk.text, name) if h.meta.doc_id == doc and n != c.passage else None
            if region:
                body = normalize(region)
                follow = sorted((o for o in cands if o.passage == n and normalize(o.text)[:20] in body),
                                key=lambda o: o.position)[:ANNEX_FOLLOW]
                out += [dataclasses.replace(o, holds_answer=o.holds_answer or listed) for o in follow if o not in out]
                break
    return out


_REFERS_BACK = re.compile(r"该|上述|前述|此类|此项")  # a sentence naming its subject by the one before it


def _day_of_act(query: Query, chosen: list[Candidate], cands: list[Candidate]) -> bool:
    """Does a quoted sentence stating a day — or the sentence before it, which its 该报告 may refer back to — hold
    the heaviest of the asking clauses' terms that any quoted sentence holds (the act the day is asked for)?"""
    held = [k for k in _clause_keys(query, query.asking_text) if any(k.held_by(normalize(c.text)) for c in chosen)]
    if not held:
        return True
    act = max(held, key=lambda k: k.weight)
    before = {(c.passage, c.position): c.text for c in cands}

    def named_in(c: Candidate) -> str:  # the sentence, and the one before when it refers back to it (该报告, 上述)
        return c.text + (before.get((c.passage, c.position - 1), "") if _REFERS_BACK.search(c.text) else "")

    return any(in_unit(c.text, DAY) and act.held_by(normalize(named_in(c))) for c in chosen)


def _chinese_names(query: Query) -> tuple[str, ...]:
    """The Chinese names of an English question's key terms, which name an annex as the texts do ("indicator system"
    → 指标体系, as "（指标体系见附件3）" does); none for a Chinese question, whose own words do."""
    return tuple(normalize(a) for k in query.key_terms for a in sorted(k.alternatives)) if query.english else ()


def _points_bare(text: str, m: re.Match[str]) -> bool:
    """Is the annex word ``m`` an unnumbered pointer ("格式见附表"): 见 before it, no number or letter after?"""
    return bool(re.search(r"见\s*$", text[max(0, m.start() - 3):m.start()])) \
        and not re.match(r"\s*[0-9A-Za-z一二三四五六七八九十]", text[m.end():])


def _unresolved_annex(hits: list[Hit], quoted: list[int], question: str,
                      contents: bool = False) -> tuple[str, bool] | None:
    """An annex the quoted passages point to (``见附件1``) whose text the library does not hold — the one holding what
    the question asks about when a pointer says so ("要满足哪些基本条件" — "（基本条件见附件1）"; for a question about
    contents, ``contents``, also a form the pointer gives the template of: "《园区年度碳排放基础数据表》（模板见附件1）"
    for "基础数据表里要填哪些指标"), else the first — and whether it is that one."""
    asked = normalize(question)
    first: tuple[str, bool] | None = None
    for n in quoted:
        doc = hits[n - 1].meta
        text = hits[n - 1].chunk.text
        for m in _ANNEX_REF.finditer(text):
            if not m.group(2) and not _points_bare(text, m):
                continue  # "附件：1.… 2.…" lists the annexes; a pointer says where content is ("见附件1", "格式见附表")
            name = m.group(0).replace(" ", "")
            # what the pointer names: "（编制大纲见附件2）" → 编制大纲
            what = re.search(r"([\u4e00-\u9fff]{2,8})[详参]?见\s*$", text[max(0, m.start() - 12):m.start()])
            if not any(_annex_held(h, name, None) for h in hits if h.meta.doc_id == doc.doc_id) and not (
                    what and any(_annex_held(h, name, what.group(1)) for h in hits if h.meta.doc_id != doc.doc_id)):
                if what and normalize(what.group(1)) in asked:
                    return f"《{doc.title}》{name}", True
                form = contents and re.search(r"《([^《》]{4,30})》\s*[（(][^（）()]{0,8}$",
                                              text[max(0, m.start() - 48):m.start()])
                if form and _names_form(normalize(form.group(1)), asked):
                    return f"《{doc.title}》{name}", True
                first = first or (f"《{doc.title}》{name}", False)
    return first


FORM_HEAD_CHARS = 4  # the shortest end of a form's title that names it (…基础数据表 → 数据表 is too general)


def _names_form(title: str, asked: str) -> bool:
    """Does the question name the form, by its whole title or an end of it (园区年度碳排放基础数据表 → 基础数据表)?"""
    return any(title[i:] in asked for i in range(len(title) - FORM_HEAD_CHARS + 1))


def _named_annex_not_held(question: str, hits: list[Hit]) -> str | None:
    """An annex the question names (零碳园区通知附件4, Annex 4) that a retrieved passage lists among its document's
    annexes ("附件 … 4.零碳园区碳排放核算方法") or points to ("格式见附表") while no retrieved passage of that
    document holds it: whatever else was retrieved (another programme's method) is no answer to it."""
    for word in dict.fromkeys(re.findall(r"(附件|附表|附录)(?!\s*\d)", question)):
        # an unnumbered one ("那张附表"): a retrieved passage points to it ("格式见附表") and none holds it
        for h in hits:
            if any(_points_bare(h.chunk.text, m) for m in re.finditer(word, h.chunk.text)) and not any(
                    _annex_held(o, word, None) for o in hits if o.meta.doc_id == h.meta.doc_id):
                return f"《{h.meta.title}》{word}"
    for number in dict.fromkeys(re.findall(r"(?:附件|附表|annex|appendix)\s*(\d+)", question, re.I)):
        for h in hits:
            text = h.chunk.text
            listing = re.search(r"(附件|附表)\s*[:：]?\s*\n", text)
            if listing and re.search(rf"(?m)^\s*{number}\s*[.．、]\s*\S", text[listing.end():]):
                name = f"{listing.group(1)}{number}"
                if not any(_annex_held(o, name, None) for o in hits if o.meta.doc_id == h.meta.doc_id):
                    return f"《{h.meta.title}》{name}"
    # a standard's lettered appendix ("附录B里…的引领值") of the document asked about — its best passage is the
    # first — that no retrieved passage of it holds: neither under that heading nor as its clauses (B.2.1 …)
    for letter in dict.fromkeys(re.findall(r"(?:附录|appendix\s+|annex\s+)([A-Z])(?![A-Za-z])", question, re.I)):
        letter = letter.upper()
        held = re.compile(rf"^\s*(附\s*录\s*{letter}(?![A-Za-z.\d])[^。]{{0,30}}$|{letter}\.\d+(\.\d+)*\s*[\u4e00-\u9fff])")
        if hits and not any(held.match(t) for o in hits if o.meta.doc_id == hits[0].meta.doc_id
                            for t in [*trail(o.chunk.section)[1:], *o.chunk.text.splitlines()]):
            return f"《{hits[0].meta.title}》附录{letter}"
    return None


_ANNEX_LISTING = re.compile(r"(附件|附表)\s*[:：]\s*(.+?)(?:\n\s*\n|$)", re.S)
# a heading line 附件 over its numbered titles, one a paragraph ("附件\n\n1.零碳园区建设基本条件\n\n2.…")
_ANNEX_HEADING = re.compile(r"(?m)^\s*(附件|附表)\s*\n((?:\s*\d+(?:-\d+)?\s*[.．、][^\n]{4,40}(?:\n|$))+)")
_LISTED_NUMBER = re.compile(r"(?<![\d-])(\d+(?:-\d+)?)\s*[.．、]\s*")


def _listed_annexes(text: str) -> list[tuple[str, str]]:
    """The (name, title) of each annex a listing names ("附件：2-1．…编制指南2-2．…评价指标体系", one a line or
    run together): (附件2-2, 四川省近零碳排放园区试点建设评价指标体系)."""
    out = []
    for listing in [*_ANNEX_LISTING.finditer(text), *_ANNEX_HEADING.finditer(text)]:
        body = listing.group(2)
        marks = list(_LISTED_NUMBER.finditer(body))
        ends = [m.start() for m in marks[1:]] + [len(body)] if marks else []
        for m, end in zip(marks, ends, strict=True):
            title = re.sub(r"\s+", "", body[m.end():end])
            if 4 <= len(title) <= 40:
                out.append((f"{listing.group(1)}{m.group(1)}", title))
    return out


def _titled_annex_not_held(question: str, hits: list[Hit], terms: tuple[str, ...] = ()) -> str | None:
    """An annex the question names by its title ("评价指标体系里，…要降多少") that a retrieved passage lists among its
    document's annexes ("附件：2-1．…编制指南 2-2．四川省…评价指标体系") while no retrieved passage holds it — neither
    that annex of the document nor a section of any document under that title. An English question names it by the
    Chinese ``terms`` of its key terms: two or more of them in the title, one its end ("zero-carbon park indicator
    system" → 零碳园区 + 指标体系 in 国家级零碳园区建设指标体系)."""
    asked = normalize(question)
    for h in hits:
        if h.meta.doc_id != hits[0].meta.doc_id:
            continue  # the listing must be of the document the question is about: its best passage is the first
        for name, title in _listed_annexes(h.chunk.text):
            norm = re.sub(r"\((?:试行|暂行|征求意见稿)\)$", "", normalize(title))  # a user names it without (试行)
            suffix = next((norm[i:] for i in range(len(norm) - 3) if norm[i:] in asked), None)
            words = [t for t in dict.fromkeys(terms) if len(t) >= 2 and t in norm]
            named = [suffix] if suffix else words if len(words) >= 2 and any(norm.endswith(w) for w in words) else []
            if not named:
                continue
            held = any(_annex_held(o, name, None) for o in hits if o.meta.doc_id == h.meta.doc_id) or any(
                all(w in normalize(t) for w in named) for o in hits for t in trail(o.chunk.section)[1:])
            if not held:
                return f"《{h.meta.title}》{name}（{title}）"
    return None


def extract(query: Query, hits: list[Hit], settings: AnswerSettings) -> Extract:
    """Choose up to ``answer_max_sentences`` sentences, or decide that the sources do not answer."""
    keys = query.key_terms
    cands, skipped = candidates(query, hits)
    best_sim = max((h.scores.get("dense", 0.0) for h in hits), default=0.0)
    if not cands:
        return Extract([], False, {"similarity": round(best_sim, 4), "coverage": 0.0}, skipped_injections=skipped)
    # Quote few passages: the best-ranked quotable one, then others whose best sentence comes close to the best.
    first = min(c.passage for c in cands)
    top = max(c.score for c in cands)
    best_of = {n: max(c.score for c in cands if c.passage == n) for n in {c.passage for c in cands}}
    others = sorted((n for n, s in best_of.items() if n != first and s >= settings.answer_passage_ratio * top),
                    key=lambda n: -best_of[n])
    quoted = ([first] + others)[:settings.answer_max_quoted_passages]
    chosen = select_mmr([c for c in cands if c.passage in quoted], settings.answer_max_sentences, settings.mmr_lambda)
    unit = asked_unit(query.asking_text, query.asks)
    chosen = _with_answer(chosen, [c for c in cands if c.passage in quoted], query, unit)
    defined = _defined_term(chosen) if query.asks == "number" else None
    if defined:
        chosen = _with_defined_figure(chosen, cands, query, unit, defined)
    chosen = _with_annex(chosen, cands, hits, listed=query.asks in ("list", "condition"))
    context = "\n".join(_passage_text(hits[n - 1]) for n in quoted)
    cov = coverage(keys, context) if keys else 1.0
    confidence = {"similarity": round(best_sim, 4), "coverage": round(cov, 4)}
    near = _near_topics(query, hits)

    def refuse(lacks: str | None = None) -> Extract:
        # a refusal for a missing figure, date, list or rule comes after the quoted passages were found on the topic:
        # they are the nearby topics to offer when no passage shares enough of the question's words
        shown = near or (_near_topics(query, [hits[n - 1] for n in quoted], min_coverage=0.0)
                         if (lacks or "").startswith(TOPIC_HELD) else [])
        return Extract([], False, confidence, lacks=lacks, near=shown, skipped_injections=skipped)

    # A named place, organisation, year or document the question asks about that no retrieved passage holds: not
    # covered.
    absent = missing_entities(keys, hits)
    if absent:
        return refuse(f"ENTITY:{'、'.join(absent)}")
    # The content sits in an annex the library lacks: the question names the annex, or the best quoted sentence
    # points to it ("模板见附件1") and no quoted sentence other than such pointers holds the kind of answer asked for.
    chinese = _chinese_names(query)
    pointer = _unresolved_annex(hits, quoted, "\n".join([query.text, *chinese]),
                                contents=query.asks in ("list", "condition", "definition"))
    annex = pointer[0] if pointer else None
    # the question names the annex, or what the text says the annex holds ("要满足哪些基本条件" — "基本条件见附件1")
    names_annex = bool(_ANNEX_REF.search(query.text)) or bool(re.search(r"\b(annex|appendix)\b", query.text, re.I)) \
        or bool(pointer and pointer[1])
    if annex is None and names_annex:
        annex = _named_annex_not_held(query.text, hits)
    if not names_annex:  # or by its title, as a listing of the document's annexes gives it
        titled = _titled_annex_not_held(query.text, hits, chinese)
        if titled:
            annex, names_annex = titled, True
    if annex and (names_annex or (_ANNEX_REF.search(chosen[0].text) and query.asks in ("number", "list", "condition")
                                  and not any(c.holds_answer and not _ANNEX_REF.search(c.text) for c in chosen))):
        return refuse(f"ANNEX:{annex}")
    # A period asked about ("2022年度的评价报告") is not another period the passages speak of ("报送2021年…评价报告").
    other = _other_period(query.text, [context, *(hits[n - 1].meta.title for n in quoted)])
    if other:
        return refuse(f"PERIOD:{other}")
    # A number or date is asked: a quoted sentence must hold one; a figure asked for a named year must be that
    # year's (a year that only names a document, "2021年初那份…", does not count).
    if query.asks in ("number", "time"):
        if not any(c.holds_answer for c in chosen):
            return refuse(f"NUMBER:{query.asks}")
        # a day (几月几号), a year (哪一年) or a length of time (多久) is asked: another kind of date does not answer it
        if query.asks == "time" and unit and not any(in_unit(c.text, unit) for c in chosen):
            return refuse(f"NUMBER:{ {DAY: 'day', YEAR: 'year', DURATION: 'duration'}[unit] }")
        # a day is asked for an act (清缴 by when?): another act's day (the report's 3月31日) does not answer it — the
        # day's sentence holds the heaviest asked term any quoted sentence holds
        if query.asks == "time" and unit == DAY and not _day_of_act(query, chosen, cands):
            return refuse("NUMBER:day")
        named = query.asked_years
        figures = [c for c in chosen if c.holds_answer and (query.asks == "time" or holds_figure(c.text))]
        # a figure asked for existing buildings or plants is not one the texts set for new ones, nor the reverse
        scope = _other_scope(query.text, [c.text for c in figures])
        if scope:
            return refuse(f"SCOPE:{scope}")
        if query.asks == "number":  # a figure the asker gave is no answer to how many of it are asked about
            figures = [c for c in figures if not only_given_figures(c.text, query.text)]
        if query.asks == "number" and named:
            # each year asked about is stated by a figure sentence, in the asked unit, about as relevant as the best;
            # the years of a question asking for several ("2025年…比2020年…，2060年…") may each be another sentence's,
            # one that speaks of its own clause's terms only: there, stating the year is enough
            floor = max((c.coverage for c in figures), default=0.0) * (YEAR_SENTENCE_RATIO if len(named) == 1 else 0.0)
            unstated = [y for y in named if not any(c.states_years([y]) and c.coverage >= floor and in_unit(c.text, unit)
                                                    for c in figures)]
            if unstated:
                return refuse(f"YEAR:{'、'.join(unstated)}")
        # A figure asked about a named place or body must be stated for it, in the same sentence or by the whole
        # document (every figure of 浙江省…评价导则, or of a notice 浙江省经济和信息化厅 issued, is Zhejiang's; the 国发 of
        # 国发〔2021〕23号 names the document, not whose figure it is); the texts
        # name it — else it was refused above — but may give no figure for it.
        names = [k for k in keys if (k.entity or k.place) and not re.search(r"\d", k.label)]

        def stated(c: Candidate, k: KeyTerm) -> str:
            # a place is a document's when its government issued it, not when an institute there wrote it (the
            # white paper's 智汇…研究院（珠海市金湾区） gives no figure of 珠海's by that)
            hit = hits[c.passage - 1]
            issuer = hit.meta.issuer if not k.place or issuing_place(hit.meta.issuer) else None
            return normalize(f"{hit.meta.title} {issuer or ''} {hit.meta.doc_number or ''} {c.text}")

        if query.asks == "number" and names and not any(
                all(k.held_by(stated(c, k)) for k in names) for c in figures):
            return refuse(f"FIGURE:{'、'.join(k.label for k in names)}")
        if query.asks == "number" and (not figures or not any(in_unit(c.text, unit) for c in figures)):
            return refuse(f"NUMBER:{query.asks}")
        # The figure must be about what is asked: a sentence holding one speaks of the question's terms about as
        # much as the best quoted sentence does (人均能源消费量 is no answer to 人均碳排放).
        best_cov = max(c.coverage for c in chosen)
        # a figure under the name the best sentence defines is about what that sentence is about
        if query.asks == "number" and not any(c.coverage >= FIGURE_SENTENCE_RATIO * best_cov
                                              or defined and defined in c.text for c in figures):
            return refuse(f"NUMBER:{query.asks}")
    # Items are asked for: a quoted sentence must list some.
    if query.asks == "list" and not any(c.holds_answer for c in chosen):
        return refuse("LIST:")
    # Members are asked for by name: a quoted sentence must name some, not only speak of the list; the quoted
    # passages' best sentence that names some joins the quote.
    if asks_names(query.text) and not any(names_members(c.text, query.text) for c in chosen):
        naming = [c for c in cands if c.passage in quoted and names_members(c.text, query.text)]
        if not naming:
            return refuse("NAMES:")
        chosen = chosen[:settings.answer_max_sentences - 1] + [max(naming, key=lambda c: c.score)]
    # The text only announces a rule to be made elsewhere ("相关规定由生态环境部另行制定"), and its content is asked;
    # or the question asks what that other text says ("生态环境部另行制定的…规定里，…有什么限制？"), and a quoted passage
    # only points to it
    if query.asks in ("condition", "number", "time", "list") and (
            _DEFERRED.search(chosen[0].text) and not chosen[0].holds_answer
            or _ELSEWHERE.search(query.text) and any(_ELSEWHERE.search(c.text) for c in cands if c.passage in quoted)):
        return refuse("DEFERRED:")
    latin = query.mostly_latin
    min_cov = settings.answer_min_key_coverage_latin if latin else settings.answer_min_key_coverage
    min_sim = settings.answer_min_similarity_latin if latin else settings.answer_min_similarity
    strong = cov >= min_cov and (best_sim >= min_sim
                                                          or cov >= settings.answer_confident_coverage)
    if not strong:
        return refuse()
    low = cov < settings.answer_confident_coverage
    agreed = all(hits[first - 1].ranks.get(r, AGREE_DEPTH + 1) <= AGREE_DEPTH for r in ("dense", "bm25"))
    if low and len(quoted) < settings.answer_max_quoted_passages:
        chosen = _with_next_passage(chosen, cands, best_of, quoted, settings.answer_max_sentences,
                                    lambda c: _fits(c, query, unit))
    if asks_sequel(query):
        chosen = _with_sequel(chosen, cands, settings.answer_max_sentences)
    chosen = _with_list(chosen, cands, settings.answer_max_sentences)
    chosen.sort(key=lambda c: (c.passage, c.position))
    return Extract(chosen, True, confidence, low_confidence=low and not agreed,
                   lacks=f"ANNEX:{annex}" if annex else None, near=near, skipped_injections=skipped)


PART_ASKS = ("number", "time", "list", "responsibility")  # what one clause can ask for and be answered alone
# Refusals that mean part of the answer lives in a text the library lacks, so another part may still be held; a
# missing entity concerns the whole question. A missing figure is tried per clause only under stricter terms (see
# ``extract_parts``): tried like these, answering parts cost more refusals on dev than it gained answers.
PART_LACKS = ("ANNEX:", "DEFERRED:")


def extract_parts(query: Query, hits: list[Hit], settings: AnswerSettings,
                  analyze: Callable[[str], Query]) -> Extract:
    """``extract``, and for a question in several asking clauses that is refused because part of the answer sits in a
    text the library lacks ("要满足哪些基本条件？每个省最多能推荐几个？" — the conditions are in an annex): each
    clause asking for a number, date, list or party is tried alone, with the context clauses; the clauses answered
    are given together, and what the whole question lacked becomes a note beside them. A question refused for a
    missing figure, or a figure for a named year, is tried so too, but a clause about the asker's own park
    ("我们园区有几家企业…") is skipped — and said to be the asker's own — and a clause counts as answered only by a
    figure in a sentence holding its own key terms; a clause left unanswered is named."""
    whole = extract(query, hits, settings)
    if whole.found:
        return _completed(whole, query, hits, settings, analyze)
    # "申请表何时截止？到2025年建成多少个？" is refused for the year when the deadline sentence outranks the 2025 one
    number = (whole.lacks or "").startswith(("NUMBER:", "YEAR:"))
    if not (whole.lacks or "").startswith(PART_LACKS) and not number:
        return whole
    context, asking, asks = asked_parts(query.text)
    # a clause asking in words of no form ("出了什么程度的事故会被除名？") is a question of its own beside a figure's;
    # one asking how (怎么折成分数) wants a method, which no single sentence holding its words shows to be answered
    posed = [a is not None or number and is_question(c) and not asks_how(c) for c, a in zip(asking, asks)]
    if sum(posed) < 2 or not any(a is not None for a in asks):
        return whole  # one question, however many clauses
    # such a clause is asked on its own, not as the context of the others
    worded = {c for c, a, p in zip(asking, asks, posed) if p and a is None}
    context = [c for c in context if c not in worded]
    own = [c for c in asking if asks_own_fact(c)]
    answered: list[Extract] = []
    missed: list[str] = []
    for clause, ask, asked_here in zip(asking, asks, posed):
        if not asked_here or ask is not None and ask not in PART_ASKS or number and clause in own:
            continue  # "我们园区有几家企业…": a figure of the asker's own park, which no policy text gives
        # the other clauses' most specific glossary term stays in: "每个省最多能推荐几个园区" is asked about 国家级零碳园区
        # (not about 申报, a verb the sibling clause also uses, which pulled another programme's 申报 sentences)
        named = [m.name for m in query.mentions if m.name not in clause and not any(m.name in c for c in own)]
        others = [n for n in dict.fromkeys(named) if len(n) == max(map(len, named))]
        part = analyze("，".join([*context, clause]) + (f"（{'、'.join(others)}）" if others else ""))
        if not _clause_keys(part, clause):
            continue  # "How much?" alone names nothing to answer about
        found = extract(part, hits, settings)
        if ask is None:  # answered by a sentence holding most of the clause's own terms
            keys = _clause_keys(part, clause)
            if found.found and any(coverage(keys, c.text) >= ANSWER_SWAP_RATIO for c in found.sentences):
                answered.append(found)
            else:
                missed.append(clause)
            continue
        if number:  # the whole lacked a figure: a clause answers only with one, about what the clause names
            asked = analyze(clause).key_terms
            # a length of time or a day asked ("这个称号管几年") is met by one, whatever words the clause uses
            span = asked_unit(clause, ask)  # None for a clause asking neither a figure nor a date
            precise = span in (DURATION, DAY)
            if not (ask in FIGURE_ASKS and any(
                    holds_figure(c.text) and (coverage(asked, c.text) > 0 or precise and in_unit(c.text, span))
                    for c in found.sentences)):
                missed.append(clause)
                continue
        if found.found:
            answered.append(found)
        else:
            missed.append(clause)
    # a clause of no form answered is no answer to the figure the whole was refused for: the figure's clause must be too
    if not answered or worded and any(c in missed for c in asking if c not in worded):
        return whole
    first = answered[0]
    # what stays unanswered: the asker's own part, else a clause no passage answered; an annex the whole lacks
    lacks = ((f"OWN:{own[0]}" if own else f"PART:{missed[0]}" if missed else first.lacks) if number
             else whole.lacks or first.lacks)
    # each clause's sentences that hold what it asks (its answer's filler would crowd out the other clause's)
    kept = [[c for c in ex.sentences if c.holds_answer] or ex.sentences for ex in answered] \
        if len(answered) > 1 else [first.sentences]
    sentences = list({(c.passage, c.position): c for part in kept for c in part}.values())
    sentences.sort(key=lambda c: (c.passage, c.position))
    return dataclasses.replace(first, sentences=sentences, lacks=lacks,
                               low_confidence=any(ex.low_confidence for ex in answered))


def _clause_keys(part: Query, clause: str) -> tuple[KeyTerm, ...]:
    """The key terms of a clause asked alone that the clause itself names (not those its context clauses brought)."""
    said = normalize(clause)
    # a glossary term an English clause names ("pilots" → 示范工程) is labelled by its Chinese name
    named = {m.term.zh[0] for m in part.mentions if normalize(m.name) in said}
    return tuple(k for k in part.key_terms if normalize(k.label) in said or k.held_by(said) or k.label in named)


def _answers(c: Candidate, part: Query, unit: str | None, keys: tuple[KeyTerm, ...]) -> bool:
    """Does the sentence hold what a clause asks (``_fits``) and at least ``ANSWER_SWAP_RATIO`` of its own terms?"""
    return _fits(c, part, unit) and coverage(keys, c.text) >= ANSWER_SWAP_RATIO


FIGURE_ASKS = ("number", "time")  # a clause whose answer a sentence holds unmistakably: a figure, a date, a period


def _completed(whole: Extract, query: Query, hits: list[Hit], settings: AnswerSettings,
               analyze: Callable[[str], Query]) -> Extract:
    """An answered question in several asking clauses, one of which asks for a figure or a date the answer does not
    quote ("到2025年建成多少个？评上了在土地上有没有倾斜？" quoted the second clause's passages only): that clause is
    tried alone, with the context clauses, and the first sentence of its answer that holds the figure asked — and at
    least ``ANSWER_SWAP_RATIO`` of the clause's own key terms — is added. Only figure and date clauses: a party or a
    list is held by too many sentences to tell (dev: 谁 clauses added unrelated 部门 sentences)."""
    context, asking, asks = asked_parts(query.text)
    if sum(a is not None for a in asks) < 2:
        return whole
    quoted = {(c.passage, c.position) for c in whole.sentences}
    added: list[Candidate] = []
    for clause, ask in zip(asking, asks):
        if ask not in FIGURE_ASKS or asks_own_fact(clause):
            continue
        part = analyze("，".join([*context, clause]))
        keys = _clause_keys(part, clause)
        unit = asked_unit(part.text, part.asks)
        if not keys or any(_answers(c, part, unit, keys) for c in whole.sentences):
            continue  # nothing of its own to answer about, or answered already
        found = extract(part, hits, settings)
        best = next((c for c in found.sentences if _answers(c, part, unit, keys)), None) if found.found else None
        if best is None and not found.found and not any(coverage(keys, c.text) > 0 for c in whole.sentences):
            # the figure asked is not given, and the answer does not even speak of what it is asked about ("那奖励
            # 具体多少钱？按什么标准给？" quoted the pilot's 验收 steps, none naming a 奖励): no answer at all
            return found
        if best is not None and (best.passage, best.position) not in quoted:
            quoted.add((best.passage, best.position))
            added.append(best)
    return dataclasses.replace(whole, sentences=whole.sentences + added) if added else whole


TOPIC_HELD = ("NUMBER:", "FIGURE:", "YEAR:", "LIST:", "NAMES:", "DEFERRED:", "SCOPE:")  # refusals made after the topic was found


def _near_topics(query: Query, hits: list[Hit], n: int = 3, per_doc: int = 2, min_coverage: float = 0.34) -> list[str]:
    """Up to ``n`` documents whose retrieved passages share key terms with the question, each with up to ``per_doc``
    of those passages' headings (``《doc》（heading；heading）``): one document is named once."""
    headings: dict[str, list[str]] = {}
    for h in hits:
        if coverage(query.key_terms, _passage_text(h)) < min_coverage or h.meta.doc_id in ("",):
            continue
        if h.meta.title not in headings:
            if len(headings) == n:
                continue
            headings[h.meta.title] = []
        heading = last_heading(h.chunk.section)
        seen = headings[h.meta.title]
        if heading != h.meta.title and classify(heading, h.meta.title) not in ("annex", "caption", "departments") \
                and heading not in seen and len(seen) < per_doc:
            seen.append(heading)
    return [f"《{title}》{('（' + '；'.join(seen) + '）') if seen else ''}" for title, seen in headings.items()]


def _lacks_text(lacks: str, english: bool) -> str:
    kind, _, what = lacks.partition(":")
    if kind == "ENTITY":
        return (f"The library has nothing specific on {what}." if english else f"资料库中没有关于「{what}」的具体内容。")
    if kind == "NUMBER":
        if english:
            return {"day": "The sources discuss this but give no exact date (month and day) for it.",
                    "duration": "The sources discuss this but do not say how long.",
                    "year": "The sources discuss this but name no year for it."}.get(
                what, "The sources discuss this but give no figure or date for it.")
        precision = {"time": "时间", "day": "日期（几月几日）", "duration": "时长或期限", "year": "年份"}
        return "资料涉及这一话题，但没有给出具体的" + precision.get(what, "数字") + "。"
    if kind == "DEFERRED":
        return ("The sources only say that these rules are to be issued separately; the library does not hold them."
                if english else "资料只说明相关规定将另行制定或研究制定，资料库未收录这些规定。")
    if kind == "LIST":
        return ("The sources mention this but do not list the items." if english
                else "资料提到了这一点，但没有列出具体内容。")
    if kind == "NAMES":
        return ("The sources speak of this list but name none of its members." if english
                else "资料提到了这份名单或这些对象，但没有列出具体名称。")
    if kind == "FIGURE":
        return (f"The sources give no figure for {what}." if english else f"资料中没有给出「{what}」的相应数字。")
    if kind == "YEAR":
        return (f"The sources give no figure for {what}." if english else f"资料中没有给出{what}年的相应数字。")
    if kind == "PERIOD":
        asked, covered = what.split("|")
        years = covered.split("、")
        return (f"The sources speak of {' and '.join(years)}, not of {asked}." if english
                else f"资料中的相关内容针对{'、'.join(y + '年度' for y in years)}，没有关于{asked}年度的规定。")
    if kind == "SCOPE":
        asked, stated = what.split("|")
        en = {"既有": "existing", "新建": "new"}
        return (f"The sources give this figure for {en[stated]} ones only, not for {en[asked]} ones." if english
                else f"资料中的相关数字针对{stated}对象（如{stated}建筑、厂房、项目），没有给出{asked}对象的数字。")
    if kind == "ANNEX":
        return (f"The details are in {what}, which the library does not include." if english
                else f"具体内容见{what}，资料库未收录该附件。")
    if kind == "PART":
        return (f"The sources give no answer to “{what}”." if english else f"“{what}”：资料中未找到相应内容。")
    if kind == "OWN":
        return (f"“{what}” asks about your own park, which policy texts cannot tell; the answer covers the rest."
                if english else f"“{what}”问的是贵园区自身的情况，政策资料无法回答；以上回答问题的其余部分。")
    return ""


def compose(question_english: bool, ex: Extract) -> str:
    """The offline answer text with ``[n]`` markers (n = passage number as supplied), or the not-found answer."""
    english = question_english
    if not ex.found:
        parts = [f"{NOT_FOUND_EN}." if english else f"{NOT_FOUND_ZH}。"]
        if ex.lacks:
            parts.append(_lacks_text(ex.lacks, english))
        if ex.near:
            parts.append(("The library does cover: " if english else "资料中相近的内容有：")
                         + ("; " if english else "；").join(ex.near) + ("." if english else "。"))
        return "".join(p if not english else p + " " for p in parts).strip()
    body = []
    for c in ex.sentences:
        text = c.text.rstrip()
        if not is_closed(text):
            text += "。"  # a table row quoted as a sentence is closed, so the next one stays apart
        body.append(f"{text}[{c.passage}]")  # citations.check moves each marker before the closing punctuation
    answer = "".join(body)
    return ("According to the sources (quoted in Chinese): " + answer) if english else answer


def notes_for(ex: Extract, english: bool) -> list[str]:
    """Notes shown beside an offline answer: low confidence, and what the library lacks."""
    out = []
    if ex.found and ex.low_confidence:
        out.append("The wording differs from the question: please check the source." if english
                   else "资料措辞与问题不完全一致，请核对原文。")
    if ex.found and ex.lacks:
        out.append(_lacks_text(ex.lacks, english))
    return out
