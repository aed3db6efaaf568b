"""Query understanding: what a question is about, in which words to search for it, and what kind of answer it asks.

Built from general resources only: stop words (stopwords-iso, Glasgow), the interrogatives and first-person openers
of ``data/question_words.yaml``, the domain glossary, and CC-CEDICT for English words. A ``Query`` carries
- ``terms``: weighted keyword-search terms — the question's own words (context clauses count for less), plus the
  other names of every glossary term it mentions, plus, for an English question, Chinese translations;
- ``key_terms``: the words the answer must speak about (the asking clause, without frame words);
- ``asks``: the kind of answer wanted (number, time, list, condition, responsibility, yesno, definition).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import yaml

from .applicability import english_place, is_place
from .glossary import Glossary, Mention, english_index, lemma_candidates, load_glossary
from .lexical import LexicalIndex
from .text import cjk_share, is_english
from .tokenization import data_text, normalize, stopwords, tokenize

ASK_ORDER = ("time", "list", "number", "responsibility", "condition", "definition", "yesno")
# Clause ends: Chinese and English punctuation, a full stop that is not a decimal point (0.4512), and a dash set off
# as a pause ("We're consultants in Hangzhou - how many…", "我们是杭州的咨询公司——浙江…").
_SENTENCE_END = r"[；;？?！!]|(?<!\d)\.(?!\d)|\s[-–—]+\s"  # what ends an English sentence
_CLAUSE_END = re.compile(rf"[，,。：:]|——|{_SENTENCE_END}")


def clauses_of(text: str) -> list[str]:
    """The clauses of a question, as written (empty ones dropped)."""
    return [c for c in _CLAUSE_END.split(text) if c.strip()]

_EN_WORD = re.compile(r"(?<!['’])[a-z][a-z0-9\-]*")  # not the s of a possessive (Shenzhen's)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
EXPANSION_WEIGHT = 0.5  # another name of a term the question names, relative to the question's own words
CONTEXT_WEIGHT = 0.5  # words of a clause that describes the asker's own situation
TRANSLATION_WEIGHT = 0.6  # a CC-CEDICT translation of an English word the glossary does not know
MAX_TRANSLATIONS = 4
DENSE_EXTRA_TERMS = 8  # Chinese search words appended to the text the dense retriever embeds
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\w\u3400-\u9fff]")
_ORDINAL = re.compile(r"第[二三四五六七八九十]+[批期届轮]")  # a later batch or round than the texts describe
_ORDINALS_EN = {"second": "二", "third": "三", "fourth": "四", "fifth": "五"}
_BATCH_EN = {"batch": "批", "batches": "批", "round": "轮", "rounds": "轮", "tranche": "批"}
_ORDINAL_EN = re.compile(rf"\b({'|'.join(_ORDINALS_EN)})\s+({'|'.join(_BATCH_EN)})\b")
# the next batch or round (下一批, 下批, 下一轮, the next batch): one the texts do not describe, as 第二批 is
_NEXT_BATCH = re.compile(r"(?<![以如剩上])下一?([批轮届])(?![文复准示次])")
_NEXT_BATCH_EN = re.compile(rf"\bnext\s+({'|'.join(_BATCH_EN)})\b")


def _next_batch(batches: Iterable[str], weight: float) -> list[KeyTerm]:
    """A key entity for each next batch or round named (批 → 下一批, held by 下一批 or 下批): one the texts lack."""
    return [KeyTerm(f"下一{b}", frozenset({f"下一{b}", f"下{b}"}), weight, entity=True) for b in dict.fromkeys(batches)]


def is_ordinal(word: str) -> bool:
    """A later batch or round (第二批, 第三期) than the texts describe."""
    return bool(_ORDINAL.fullmatch(word))


# Parts of speech (jieba's ICTCLAS tags) that carry no content an answer must hold: adverbs (已经, 进一步),
# pronouns, prepositions, conjunctions, particles, interjections, and numerals or measure words that hold no
# number (一级, 首批 and 百万吨 do, and stay).
FUNCTION_POS = frozenset({"d", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "o", "m", "q", "mq"})
# Tags of verbs, adjectives, adverbial verbs, locatives, idioms and fixed phrases: such a word no passage uses is
# phrasing (搞不懂, 连累). Nouns and verbal nouns (vn) are not here: a noun the library never uses is a topic it lacks;
# nor numerals (above: those holding a number stay).
PHRASING_POS = frozenset({"v", "vd", "vi", "a", "ad", "f", "l", "i", "z"})
_NUMERAL = re.compile(r"[\d一二两三四五六七八九十百千万亿首]")
# 两 is how speech writes 二 before a measure word (连着两年, 两个); the texts write 二 (连续二年, 二级)
_LIANG = re.compile(r"两(?=[年个级类项批次倍天月周])")
# An interrogative with its measure word (几年, 哪家, 多少吨, 啥样): as much a frame word as 几 or 哪 alone.
# a number that identifies a document or standard: 〔2025〕910号, GB/T 51255, 第3号
_IDENTIFIER = re.compile(r"[〕\]］]\s*\d+\s*号|\b(GB|DB|HJ|JGJ)[/ T]*\s*\d+|\d+\s*号", re.I)


def _identifies(text: str, number: str) -> bool:
    """Does the number, where it stands in the text (with a few characters either side), identify a document?"""
    at = text.find(number)
    return at >= 0 and bool(_IDENTIFIER.search(text, max(0, at - 8), at + len(number) + 2))


_ASKING_WORD = re.compile(r"(几|哪|多少|啥)[\u4e00-\u9fff]")


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1([\u4e00-\u9fff]?)")


def _without_a_not_a(text: str, frame: frozenset[str] | set[str]) -> str:
    """The text without its A-not-A questions (会不会, 有没有, 可不可以, 需不需要): the grammar of asking, which jieba cuts
    into a bare 会 and a content-looking 不会."""
    def cut(m: re.Match[str]) -> str:
        whole = m.group(1) + m.group(2)  # 可不可以 → 可以, a frame word too; 会不会影响 keeps 影
        return "，" if whole in frame else "，" + m.group(2)
    return _A_NOT_A.sub(cut, text)


# 这一项, 那条, 这几个 …: a demonstrative with its measure word points back at something named; it is no topic
_POINTING_BACK = re.compile(r"[这那](?:一|几)?[项条个类种点块些]")


def _has_word(word: str, text: str, plural: bool = False) -> bool:
    """Does the text hold the word (or English phrase) whole — not inside a longer or hyphenated word; ``plural``:
    or with an English plural ending (park → parks)?"""
    return bool(re.search(rf"(?<![\w-]){re.escape(word)}{'(?:e?s)?' if plural else ''}(?![\w-])", text))


def _opens_sentences_only(word: str, text: str) -> bool:
    """Does the word stand capitalised only where a sentence or clause opens (its start, after . ? ! : ; or a
    quote)? Then its capital is the sentence's, not a name's."""
    spots = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    return bool(spots) and all(not text[:i].strip() or re.search(r"[.?!:;\"'“‘(（]\s*$", text[:i]) for i in spots)


@dataclass(frozen=True)
class QuestionWords:
    frame: frozenset[str]
    asks: dict[str, tuple[str, ...]]
    context: tuple[str, ...]
    quantity_en: tuple[str, ...] = ()
    time_en: tuple[str, ...] = ()
    sequel: tuple[str, ...] = ()
    document_types_en: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def question_words() -> QuestionWords:
    data = yaml.safe_load(data_text("question_words.yaml"))
    return QuestionWords(frozenset(str(w).lower() for w in data["frame"]),
                         {k: tuple(str(w).lower() for w in v) for k, v in data["asks"].items()},
                         tuple(str(w).lower() for w in data["context"]),
                         tuple(str(w).lower() for w in data.get("quantity_en", ())),
                         tuple(str(w).lower() for w in data.get("time_en", ())),
                         tuple(str(w).lower() for w in data.get("sequel", ())),
                         {str(k).lower(): tuple(str(w) for w in v)
                          for k, v in (data.get("document_types_en") or {}).items()})


@dataclass(frozen=True)
class KeyTerm:
    """A word the answer must speak about, satisfied by any of its ``alternatives`` (glossary names, sub-words,
    translations). ``entity``: a place, person, organisation or number — when absent, the library lacks it."""

    label: str
    alternatives: frozenset[str]
    weight: float
    entity: bool = False
    place: bool = False  # a place the question names (上海): a figure asked about it must be stated for it
    # the English name of a document ("Implementation Plan for Carbon Peaking in the Industrial Sector"): the Chinese
    # of its type (方案, 计划 …) and of each of its other words; held where the type and most of the words are
    document_type: tuple[str, ...] = ()
    parts: tuple[frozenset[str], ...] = ()
    places: tuple[frozenset[str], ...] = ()  # the places among them, each of which the record must hold

    def held_by(self, norm: str) -> bool:
        """Does the (normalised) text hold the term in any of its forms? A ministry (财政部, 生态环境部) is not held by
        the departments of its field (各级财政部门, 生态环境部门)."""
        if self.document_type:
            return (any(t in norm for t in self.document_type)
                    and all(any(a in norm for a in forms) for forms in self.places)
                    and sum(any(a in norm for a in forms) for forms in self.parts) * 2 > len(self.parts))
        return any(a in norm and (not a.endswith("部") or re.search(f"{re.escape(a)}(?!门)", norm))
                   for a in self.alternatives)


# "煤矸石、粉煤灰这些大宗工业固废", "像电锅炉电窑炉这类电能替代": the words before 这些 / 这类 / 之类 are examples of the
# noun after it, which is what is asked about; a passage on that noun answers without repeating the examples. The
# examples are what 像 / 比如 opens, else the last word of each item of an enumeration (、和及与或).
_EXAMPLES = re.compile(r"(?:(?:像|比如|例如|诸如)([^，。；？！]{2,30}?)|([^，。；？！]{2,60}?))"
                       r"(?:这些|那些|这类|这种|之类的?)([\u4e00-\u9fff]{2,10})")
_ITEM_SEP = re.compile(r"[、和及与或/]")


def _noun_phrase(text: str) -> str:
    """The noun phrase that opens a text: its words up to the first verb, adverb, pronoun, preposition, particle,
    adjective or conjunction (jieba's tags; a verbal noun, vn, stays)."""
    import jieba.posseg as pseg

    words: list[str] = []
    for pair in pseg.cut(text):
        if words and (pair.flag[:1] in ("v", "d", "r", "p", "u", "y", "a", "c") and pair.flag != "vn"):
            break
        words.append(pair.word)
    return "".join(words)


def _examples_merged(keys: list[KeyTerm], asking: list[str], mentions: tuple[Mention, ...]) -> list[KeyTerm]:
    """Key terms named only as examples of a glossary term (``_EXAMPLES``) become forms of that term; examples of
    another noun stay, as one term any of them satisfies."""
    out = list(keys)
    for clause in asking:
        for m in _EXAMPLES.finditer(normalize(clause)):
            if m.group(1):
                examples = [k for k in out if k.label in m.group(1) and not k.entity]
            else:
                items = _ITEM_SEP.split(m.group(2))
                if len(items) < 2:
                    continue  # "对这类项目": 这类 points back, it opens no examples
                examples = [k for item in items for k in
                            sorted((k for k in out if item.endswith(k.label) and not k.entity),
                                   key=lambda k: -len(k.label))[:1]]
            if not examples:
                continue
            head_phrase = _noun_phrase(m.group(3))
            heads = [k for k in out if k not in examples and any(
                normalize(x.name) in head_phrase and x.term.zh[0] == k.label for x in mentions)]
            if heads:
                head = heads[0]
                merged = KeyTerm(head.label, head.alternatives.union(*(k.alternatives for k in examples)),
                                 head.weight, head.entity, head.place)
                out = [merged if k is head else k for k in out if k not in examples]
            elif len(examples) > 1:
                first = examples[0]
                merged = KeyTerm("/".join(k.label for k in examples),
                                 frozenset().union(*(k.alternatives for k in examples)), max(k.weight for k in examples))
                out = [merged if k is first else k for k in out if k not in examples[1:]]
    return out


@lru_cache(maxsize=65536)  # the search lifts the same passages question after question; calibration, grid after grid
def key_coverage(keys: tuple[KeyTerm, ...], text: str) -> float:
    """IDF-weighted share of the key terms that the (normalised) text holds in any of their forms."""
    total = sum(k.weight for k in keys)
    if not total:
        return 0.0
    norm = _normalized(text)
    return sum(k.weight for k in keys if k.held_by(norm)) / total


# The same passages come back query after query (and their sentences, when quoting): their script conversion is
# kept rather than redone for every question.
_normalized = lru_cache(maxsize=4096)(normalize)


@dataclass(frozen=True)
class Query:
    """An analysed question. Its key terms are worked out on first use: answering and the hybrid search's key-term
    lift need them, BM25 and dense search alone do not."""

    text: str
    english: bool
    cjk_share: float
    terms: dict[str, float]
    asks: str | None
    mentions: tuple[Mention, ...] = ()
    context: tuple[str, ...] = field(default_factory=tuple)  # context clauses, as written
    dense_text: str = ""  # what the dense retriever embeds
    doc_years: frozenset[str] = frozenset()  # years that only name a document ("2021年初那份…")
    find_key_terms: Callable[[], tuple[KeyTerm, ...]] = field(default=tuple, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.dense_text:
            object.__setattr__(self, "dense_text", self.text)

    @cached_property
    def key_terms(self) -> tuple[KeyTerm, ...]:
        return self.find_key_terms()

    @cached_property
    def asked_years(self) -> list[str]:
        """The years the question asks about (2030), not those that only name a document ("2021年初那份…")."""
        return [k.label for k in self.key_terms if k.entity and re.fullmatch(r"\d{4}", k.label)
                and k.label not in self.doc_years]

    @cached_property
    def asking_text(self) -> str:
        """The question without its context clauses: "我们园区有几家企业…" tells, so its 家 is no unit asked for."""
        text, carried = self.text, _CARRIED.search(self.text)
        for clause in self.context:
            if not (carried and clause == carried.group(1)):  # the topic a follow-up inherited is what it asks about
                text = text.replace(clause, "", 1)
        return text

    @property
    def mostly_latin(self) -> bool:
        return self.cjk_share < 0.5


# "the 2021 CPC Central Committee and State Council opinions", "the 2022 fiscal opinion", "the 2022–2030 plan" — not
# a target year ("by 2030 the plan …").
_PUBLISHED_EN = re.compile(r"(?<!by )(?<!before )(?<!until )(?<!till )(?<!to )\b((?:19|20)\d\d)"
                           r"(?:\s*[–—-]\s*((?:19|20)\d\d))?(?:'s)? (?:[\w/&-]+ ){0,7}?"
                           r"(?:opinions?|notice|plan|measures|document|white ?paper|guidelines?|guide|circular|action plan|"
                           r"policy|rules|regulations?|scheme|programme|program)\b", re.I)
# a plan's span in brackets after its name, either script ("…plan (2022–2030)", "…实施方案（2022——2030年）"): both
# years name the plan; a period's span ("十四五时期（2021—2025年）") names no document
_PLAN_SPAN = re.compile(r"(?:方案|规划|计划|纲要|意见|行动|plan|programme|program|strategy)\s*[(（]\s*((?:19|20)\d\d)\s*年?\s*"
                        r"[–—―\-－~～至到]+\s*((?:19|20)\d\d)\s*年?\s*[)）]", re.I)


# the year of a document number (发文字号, GB/T 9704-2012: 机关代字〔年份〕序号 — 中发〔2021〕36号) names the document
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\s*\d+\s*号")


def published_years(text: str, titles: tuple[str, ...] = ()) -> list[str]:
    """Years the question uses to name a document: "2021年初国务院那份…", "the 2022 fiscal opinion", a document
    number ("中发〔2021〕36号文"), a plan's span ("…方案（2022—2030）"), or a title that holds a year ("2030年前碳达峰
    行动方案"). Each written year counts once, however many of these read it as naming a document."""
    from .docmatch import PUBLISHED, full_year

    low = normalize(text)
    at: dict[int, str] = {}  # where each naming year is written → the year
    for pattern in (PUBLISHED, _PUBLISHED_EN, _PLAN_SPAN, _DOC_NUMBER_YEAR):
        for m in pattern.finditer(low):
            at.update((m.start(g), full_year(y)) for g, y in enumerate(m.groups(), start=1) if y)
    for title in titles:
        for m in re.finditer(r"(?:19|20)\d\d", title):
            at.update((hit.start(), m.group(0)) for hit in re.finditer(re.escape(normalize(title[m.start():m.start() + 8])), low))
    return [at[i] for i in sorted(at)]


def naming_years(text: str, titles: tuple[str, ...] = ()) -> frozenset[str]:
    """The years that only name a document: each time the question writes such a year, it names one ("the State
    Council's 2030 action plan … for the year 2030" asks 2030 as well)."""
    named = published_years(text, titles)
    return frozenset(y for y in set(named) if named.count(y) >= len(re.findall(rf"(?<!\d){y}(?!\d)", text)))


# the topic a follow-up inherited (answering._carry_topic puts it after the question mark); a user's own closing
# bracket ("零碳园区申报（需要什么条件）") is part of the question
_CARRIED = re.compile(r"(?<=[？?])\s*（([^（）]*)）\s*$")


_JI_MEASURE = "[个家项类种位条块样点件台批]"  # the measure words after 几 in the patterns below
# 那几个 / 这几个 ("those few"), 其他几种 / 其余几家 ("the other few"): they point at things, they ask no number
_DEMONSTRATIVE_JI = re.compile(rf"([那这]|其他|其它|其余|另外)几(?={_JI_MEASURE}|方面|部分|年|天)")
# 几 as an indefinite numeral ("several"), not an interrogative: 好几家, 十几个, 几十年, 几百家, 几乎 (《现代汉语词典》 几²:
# 表示大于一而小于十的不定的数目). It says how many the asker has; it asks nothing.
_INDEFINITE_JI = re.compile(r"好几|(?<=[十百千万])几|几(?=[十百千万乎])|几(?=(?:年|天|个月|周)(?:前|来))|"
                            r"(?<=(?<!提)[前近])几(?=年|天|个月|周|次)")  # 前几年, 近几个月: the last few (提前几天 asks)
# 几 after a negation is indefinite ("没几天", "还没运营几年": not many), as 好几 is
_NEGATED_JI = re.compile(r"((?:没有?|不)[^，。；？！?,;]{0,4}?)几")
# 几 before another interrogative of its clause is indefinite too: "几种能源互相补充的项目是什么态度" asks the attitude
_JI_BEFORE_ASK = re.compile(rf"几(?={_JI_MEASURE}[^，。；？！?,;]*?(?:什么|怎么|如何|哪|吗|是否))")
# "我们园区有几家做低碳技术的企业，…大概挑多少家？": what the asker's park has, said before the question, is "a few" —
# the asker knows their own park; only a question's last clause asks it ("我们园区有几家企业要纳入？")
_HAS_FEW = re.compile(rf"有几{_JI_MEASURE}")


def _told_few(clause: str) -> bool:
    """Does the clause ask nothing but by an 有几家 / 有几个, which a statement uses for "a few"?"""
    low = normalize(clause)
    return bool(_HAS_FEW.search(low)) and _INTERROGATIVE.search(_HAS_FEW.sub("", low)) is None


def _sentences_of(text: str) -> list[str]:
    """A Chinese question's sentences, each with the mark that ends it (？ asks, 。 states)."""
    return [p for p in re.split(r"(?<=[？?！!。])", text) if p.strip()]


# the interrogatives that make a sentence ending in 。 a question still ("请问申报条件是什么。"); a bare 几 there is "a few"
_ASKING_IN_STATEMENT = re.compile(r"什么|啥|哪|多少|谁|怎|如何|何时|为何|是否|吗|呢|有没有|能不能|是不是|会不会|可不可以|要不要|"
                                  r"请问|想问|问一下|问下")


def _tells(sentences: list[str], i: int) -> bool:
    """Is sentence ``i`` a statement (。 ！, no interrogative but 几) that a later question (？) follows: context?"""
    return sentences[i].rstrip().endswith(("。", "！", "!")) and not _ASKING_IN_STATEMENT.search(sentences[i]) \
        and any(s.rstrip().endswith(("？", "?")) for s in sentences[i + 1:])


def _told_clauses(text: str) -> set[str]:
    """The clauses of the statements a Chinese question makes before it asks ("…补报前几年的《…数据表》。这个表…？")."""
    sentences = _sentences_of(text)
    return {c.strip() for i in range(len(sentences)) if _tells(sentences, i) for c in clauses_of(sentences[i])}


# the interrogatives of manner and reason (怎么, 如何, 为什么): a clause asking how or why asks for no form of answer
_HOW = re.compile(r"怎么|怎样|如何|为什么|为何|咋")


def detect_ask(text: str) -> str | None:
    """The kind of answer asked for: the last clause that asks something decides (the main question closes a
    Chinese sentence); within a clause, the first match in ``ASK_ORDER``. An inherited topic asks nothing."""
    text = _CARRIED.sub("", text)
    if is_english(text):
        return _clause_ask(text)
    # "…还剩几家小作坊，这类企业怎么处置？" asks how, not the 几家 of its context; only an earlier question may ask a form
    sentences = _sentences_of(text)
    for i in range(len(sentences) - 1, -1, -1):
        sentence = sentences[i]
        stated = sentence.rstrip().endswith(("。", "！", "!"))
        if _tells(sentences, i):
            continue  # "…靠几台小燃煤锅炉撑着。…给的是什么方向？": a statement before the question tells, it asks nothing
        clauses = clauses_of(sentence)
        for j in range(len(clauses) - 1, -1, -1):
            clause = clauses[j]
            if (stated or j < len(clauses) - 1 and speaks_of_asker(clause)) and _told_few(clause):
                continue  # "…？我们园区有几家用能大户很关心。", "我们有几家企业承担了…，有什么推广渠道？": says how many
            kind = _clause_ask(clause)
            if kind:
                return kind
            if asks_how(clause):
                break
    return None


# "When calculating …," / "When a company fails …," opens a condition, not a question about time: a question's
# "when" is followed by its auxiliary (when is / must / will …).
_WHEN_CLAUSE = re.compile(r"\s*when\s+(?!(?:is|are|was|were|do|does|did|will|would|shall|should|must|can|could|may|"
                          r"might|has|have|had)\b)[\w'-]+")


_HOW_MUCH = re.compile(r"\bhow (?:many|much|big|large|high)\b|\bby how much\b|\bwhat (?:percentage|share|proportion|amount)\b")
# "how large", "how long" … frame an English question: the adjective names no topic
_HOW_ADJECTIVE = re.compile(r"\bhow (?:large|big|small|long|high|much|many|soon|often|far|old)\b")
_WHEN_ASKED = re.compile(r"^\s*when\b|\bby when\b|\b(?:what|which) (?:year|date|day|month)\b|\bhow (?:soon|long)\b")


# A clause that only places the question ("申报的基本条件里", "在评价指标中"): a noun phrase with a localiser (方位词)
# and no interrogative asks nothing, whatever nouns it holds (条件, 标准 …).
_PLACING = re.compile(r"(?:里|里面|里头|中|当中|之中|上面|方面)\s*$")
_INTERROGATIVE = re.compile(r"什么|啥|哪|几|多少|谁|怎|如何|何|是否|吗|呢|有没有|能不能|是不是|会不会|可不可以|要不要")


# the adverb particles of English phrasal verbs (Quirk et al., A Comprehensive Grammar of the English Language §16.3)
_PARTICLES = frozenset({"out", "up", "off", "in", "down", "over", "back", "on", "away", "forward", "through"})
_OPENING_CONJUNCTION = re.compile(r"^\s*(?:(?:and|but|so|also|then|ok(?:ay)?|well)\b[\s,]*)+")


# a quoted name ("“道路遮荫比例”是个什么概念", 《…》) is what is asked about; its words (比例) ask nothing
_QUOTED = re.compile(r"“[^“”]{1,30}”|「[^「」]{1,30}」|『[^『』]{1,30}』|《[^《》]{1,40}》|\"[^\"]{1,30}\"")


def _unquoted(text: str) -> str:
    """The text with each quoted name replaced — not a quoted question (我想问“…截止日期是几号”), which still asks."""
    return _QUOTED.sub(lambda m: m.group(0) if _INTERROGATIVE.search(m.group(0)) else "某", text)


def _clause_ask(text: str) -> str | None:
    english = is_english(text)
    low = _JI_BEFORE_ASK.sub("多", _INDEFINITE_JI.sub("多", _DEMONSTRATIVE_JI.sub(r"\1", normalize(text))))
    low = _NEGATED_JI.sub(r"\1多", low if english else _unquoted(low))
    if english:  # a follow-up's opening conjunction ("And when did …", "So which …") is not its first word
        low = _OPENING_CONJUNCTION.sub("", low)
    if not english and _PLACING.search(low) and not _INTERROGATIVE.search(low):
        return None
    if re.search(r"哪[两二三四五六七八九十几\d]+\s*(个|类|种|项|家|大|条|方面|部分)", low):
        return "list"
    qw = question_words()
    asks = qw.asks
    if english and re.match(r"\s*(which|what)\s+(ministry|ministries|department|agency|body|bodies|authority|office)\b",
                            low):
        return "responsibility"
    if english:
        # a question (or its last clause) opening "what fine …", "what's the target …", "which year …"
        for kind, nouns in (("time", qw.time_en), ("number", qw.quantity_en)):
            if nouns and re.search(rf"(^|[,;:.?!]\s*)(what|which)('s| is| are| was| were)?(\s+[\w-]+){{0,3}}?\s+"
                                   rf"({'|'.join(nouns)})(?![\w-])", low):
                return kind
            # or closing on one: "What … does the plan set as the 2030 target?"
            if nouns and re.search(rf"(^|[.?!;:]\s+)(what|which)\b[^.?!;:]*\b({'|'.join(nouns)})\s*[?？]?\s*$", low):
                return kind
    # "If it misses the deadline, how big is the fine?": an English question's own "how much / how many" asks for the
    # figure; a time noun of its condition (deadline) does not make it ask for a date
    if english and _HOW_MUCH.search(low) and not _WHEN_ASKED.search(low):
        return "number"
    for kind in ASK_ORDER:
        for cue in asks[kind]:
            if english != bool(re.search(r"[a-z]", cue)):
                continue
            if english and (kind == "yesno" or cue in ("when", "which", "who")):
                if re.match(rf"\s*{re.escape(cue)}\b", low) and not (cue == "when" and _WHEN_CLAUSE.match(low)):
                    return kind  # only as the question's first word
            elif english and re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", low) or not english and cue in low:
                if cue == "要求" and _REQUIRES_WHAT.search(low):
                    continue  # "要求常态化落实什么机制": 要求 is the verb, 什么机制 what is asked
                if kind == "definition" and english and re.search(rf"(?<![a-z]){re.escape(cue)}\s+{_PRONOUN}", low):
                    continue  # "what is it used for": a pronoun is no name to define
                if cue == "what does" and not re.search(r"\b(?:mean|stand for|refer to)\b", low):
                    continue  # "what does the opinion ask of data centres": what it says, not what a word means
                if cue == "是什么" and not re.search(r"是什么(?:$|[^\u4e00-\u9fff]|[呢吗啊呀吧])", low):
                    continue  # "是什么态度", "是什么要求": what is asked is the noun after it, not a definition
                return kind
    return None


_PRONOUN = r"(?:it|this|that|they|these|those|we|you|he|she)\b"
# 要求 as the verb of the question, its object asked for by 什么 / 哪种 ("要求…落实什么机制"), unlike "有什么要求"
_REQUIRES_WHAT = re.compile(r"要求.+?(?:什么|哪种|何种)(?!条件|要求|标准|门槛|资格)")


def asks_how(clause: str) -> bool:
    """Does a Chinese clause ask how or why (怎么, 如何, 为什么)?"""
    return not is_english(clause) and bool(_HOW.search(clause))


def is_question(clause: str) -> bool:
    """Does the clause ask something — an interrogative, a question particle or an English question's mark —
    whatever form of answer it wants?"""
    return bool(_INTERROGATIVE.search(clause)) or clause.rstrip().endswith(("?", "？"))


def asks_sequel(query: Query) -> bool:
    """Does the question ask what follows a step (``sequel`` words of question_words.yaml) — an outcome, a next
    step or who takes it, not a figure, a date or a list?"""
    if query.asks in ("number", "time", "list"):
        return False
    low = _CARRIED.sub("", query.text).lower()
    return any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) if w.isascii() else w in low
               for w in question_words().sequel)


def asked_parts(text: str) -> tuple[list[str], list[str], list[str | None]]:
    """A question's context clauses, its asking clauses and what each of those asks (``detect_ask``). An asking
    clause that asks nothing ("想报近零碳排放园区试点") joins the context: it says what the others are about."""
    context, asking = split_context(text)
    told = set() if is_english(text) else _told_clauses(_CARRIED.sub("", text))
    # a topic before the question ("锂电材料行业的非电能源占比，到2030年要压到多少？"): a clause that holds a noun
    # of an answer's kind (占比, 条件) but no interrogative names what the next clause asks about; it asks nothing
    asks = [None if i < len(asking) - 1 and not is_english(clause) and not _INTERROGATIVE.search(normalize(clause))
            or clause.strip() in told else detect_ask(clause) for i, clause in enumerate(asking)]
    # "另外通过绿证平台买的绿电，在指标里占比有没有上限？": a clause that turns to another topic (另外, 此外, also …) and
    # asks nothing is the subject of the clause that follows, not of every clause
    for i in range(len(asking) - 2, -1, -1):
        if asks[i] is None and asks[i + 1] is not None and _TURN.match(normalize(asking[i])):
            asking[i:i + 2] = [f"{asking[i]}，{asking[i + 1]}"]
            asks[i:i + 2] = [asks[i + 1]]
    return context + [c for c, a in zip(asking, asks) if a is None], asking, asks


_TURN = re.compile(r"\s*(?:另外|此外|还有|再有|再者|(?:and )?also\b|besides\b|additionally\b|separately\b)", re.I)


_TIME_FIRST = re.compile(r"^(?:(?:19|20)\d\d\s*年(?:\d{1,2}\s*月)?(?:底|初|末)?|去年|今年|前年|目前|现在|当前|最近|近年来|近几年)"
                         r"\s*[，,]?\s*")


def speaks_of_asker(clause: str) -> bool:
    """Does the clause open with a first-person opener (我们, 我园, 本园区, our …): the asker's own situation?"""
    # a time said first does not change whose situation it is ("2021年园区里出过一起事故", "去年我们…")
    low = _TIME_FIRST.sub("", normalize(clause))
    # an English opener is a word of its own ("we're", not "were"; "i'm", not "in")
    return any(low.startswith(m) and not (m.isascii() and low[len(m):len(m) + 1].isalpha())
               for m in question_words().context)


# what the asker's park must reach or do to qualify: asked of the policies, not of the park ("我们园区要拿到多少分才能被
# 推荐", "we need to reach what score")
_REQUIRED = re.compile(r"才(?:能|可以|可|有可能|算|行)|(?:要|需要|必须|得|应)(?:拿到|达到|满足|做到|符合)|"
                       r"\b(?:need|needs|have|has|must) to (?:reach|score|meet|achieve|get)\b", re.I)


def asks_own_fact(clause: str) -> bool:
    """Does an asking clause ask a fact of the asker's own park ("我们园区有几家企业…"), which no policy text gives —
    not what the park must reach to qualify ("我们园区要拿到多少分才能被推荐"), which the policies say?"""
    return speaks_of_asker(clause) and not _REQUIRED.search(normalize(clause))


_POINTING_PRONOUN = re.compile(r"\b(?:it|its|this|these|those|they|them|their|such|there)\b")


def _told_mentions(text: str, mentions: tuple[Mention, ...], context: list[str],
                   asking: list[str]) -> frozenset[Mention]:
    """The glossary terms named only in context clauses ("Our park is in northern China, next to a steel plant."):
    the asker's situation, which weighs as context, not what is asked."""
    carried = _CARRIED.search(text)  # the topic a follow-up inherited is what it asks about
    spans = [(i, i + len(c)) for c in context if c and (i := text.find(c)) >= 0
             and not (carried and i >= carried.start())]
    told = frozenset(m for m in mentions if any(a <= m.start and m.end <= b for a, b in spans))
    asked = " ".join(asking).lower()
    # "Our park runs a large CHP plant. What subsidies can it get?": the question points back at what it told
    if _POINTING_PRONOUN.search(asked) or all(m in told for m in mentions):
        return frozenset()
    return frozenset(m for m in told if not re.search(rf"(?<![a-z]){re.escape(m.name.lower())}(?![a-z])", asked))


# "镇里想推动…", "市里要求…": a level of government and the localiser 里 — the asker's "the town", not a place's name
# (jieba tags 镇里 a place name, ns)
_LOCAL_GOVERNMENT = re.compile(r"[省市县区镇乡村]里")


def split_context(text: str) -> tuple[list[str], list[str]]:
    """(context clauses, asking clauses): a clause opened by a first-person opener that does not itself ask
    anything describes the asker's situation; the rest is the question."""
    carried = _CARRIED.search(text)
    context: list[str] = [carried.group(1)] if carried else []
    if carried:
        text = text[:carried.start()]
    clauses = [c.strip() for c in clauses_of(text)]
    if len(clauses) <= 1:
        return context, clauses
    # an English sentence about the asker ("Our client owns a large, fully air-conditioned mall in Futian.") is
    # context whole: its commas join one statement, where a Chinese sentence's commas join clauses that may each ask
    sentences = [s for s in re.split(_SENTENCE_END, text) if s.strip()] if is_english(text) else []
    told = {c.strip() for sentence in sentences[:-1] if speaks_of_asker(sentence) and detect_ask(sentence) is None
            for c in clauses_of(sentence)}
    asking: list[str] = []
    # the clauses that close a sentence ("我们园区有几家企业被纳入了？用CCER…？" asks both)
    closing = {clauses_of(s)[-1].strip() for s in _sentences_of(text) if clauses_of(s)}
    for i, clause in enumerate(clauses):
        asks = detect_ask(clause) is not None and not (
            speaks_of_asker(clause) and clause not in closing and _told_few(clause)
            and any(is_question(c) for c in clauses[i + 1:]))
        if clause in told or speaks_of_asker(clause) and not asks and i < len(clauses) - 1:
            context.append(clause)
        else:
            asking.append(clause)
    return context, asking


_STATEMENT_END = re.compile(r"(?<=[。！!；;])")


# An organisation (a ministry, bureau or commission) followed by the kind of document it issued names that document:
# "工信部那个工业碳达峰实施方案", "the NDRC/MIIT/NEA notice", "MIIT's implementation plan". What is asked about is
# the rest of the question; the passages answering it seldom repeat the issuer.
_ORGANISATION = re.compile(r"(?:部|局|委|委员会|国务院|中心|厅)$")
_ISSUED = re.compile(r"^(?:\s*(?:'s|’s|那个|那份|那部|那篇|这份|这个|发的|印发的|出的|出台的|发布的|的))?[^，。；？?！!,;]{0,16}?"
                     r"(?:通知|方案|意见|办法|规划|指南|导则|条例|决定|行动|notice|plan|opinions?|measures|guidelines?|"
                     r"programme|circular|scheme)")


def issuers_named(text: str, mentions: tuple[Mention, ...]) -> set[str]:
    """The organisations in the question that only name a document by its issuer: each followed — after any others
    joined to it by / 、 和 — by a word of the document's kind."""
    orgs = sorted((m for m in mentions if _ORGANISATION.search(m.term.zh[0])), key=lambda m: m.start)
    out: set[str] = set()
    for i, m in enumerate(orgs):
        end = m.end
        for nxt in orgs[i + 1:]:  # "NDRC/MIIT/NEA", "发改委、工信部、能源局"
            if re.fullmatch(r"\s*(?:/|、|和|与|及|,|and)?\s*", text[end:nxt.start]):
                end = nxt.end
            else:
                break
        more = re.match(r"\s*等\s*[一二三四五六七八九十\d]+\s*个?\s*(部门|部委|单位)", text[end:])  # "经信厅等五部门"
        if _ISSUED.match(text[end + (more.end() if more else 0):]):
            out.add(m.term.zh[0])
            if more:
                out.add(more.group(1))
    return out


def _issuers_told(text: str, mentions: tuple[Mention, ...], english: bool) -> set[str]:
    """The issuers a Chinese question names its document by. An English one keeps them as key terms: "the
    MOHURD/NDRC plan … by what date do provinces report" is answered by 报送住房和城乡建设部、国家发展改革委, and its
    acronyms carry no 那个 / 那份 that makes the naming unmistakable."""
    return set() if english else issuers_named(text, mentions)


def _told_places(text: str, english: bool = False) -> set[str]:
    """Places named only in a statement before the question — a whole sentence that asks nothing ("河北一个钢铁园区在做
    转型规划。", "An investor is evaluating an aluminium smelter in Yunnan.") says where the park is; a place in the
    asking sentence ("江苏的化工园区，补贴多少？") is asked about. English: the capitalised words of such sentences."""
    sentences = [s for s in (re.split(_SENTENCE_END, text) if english else _STATEMENT_END.split(text)) if s.strip()]
    if len(sentences) < 2:
        return set()
    asks = [detect_ask(s) is not None for s in sentences]
    asking = [s for s, a in zip(sentences, asks) if a]
    told = {w for s, a in zip(sentences[:-1], asks) if not a
            for w in (re.findall(r"\b[A-Z][a-z]+\b", s) if english else [t for t in tokenize(s) if is_place(t)])}
    return {w for w in told if not any(w in s for s in asking)}


def _naming_words_lowered(terms: list[KeyTerm], asking: list[str], english: bool) -> list[KeyTerm]:
    """The words of a clause that only points at a document ("浙江省经信厅2022年3月那份加快…建设的通知，到2025年…？")
    weigh as context: every passage of that document holds them, so they tell its passages apart no more than the
    asker's situation does — yet they still prefer the named document's passages to another's. A place keeps its
    weight: "北京那份…方案" is no document of Zhejiang's."""
    naming = [c for c in asking[:-1] if _NAMING_CLAUSE.search(c.strip()) and detect_ask(c) is None] if not english else []
    if not naming:
        return terms
    said = normalize("".join(naming)).lower()
    rest = normalize("".join(c for c in asking if c not in naming)).lower()
    return [dataclasses.replace(k, weight=k.weight * CONTEXT_WEIGHT)
            if not (k.entity or k.place or is_place(k.label)) and any(a in said for a in (k.label, *k.alternatives))
            and not k.held_by(rest) else k
            for k in terms]


# a clause naming a document by pointing at it (那份, 那个, 《…》) and ending in the document's type (通知, 意见, 方案 …)
_NAMING_CLAUSE = re.compile(r"(?:那份|那部|那个|那篇|这份|这部|这个|《).*(?:通知|意见|方案|办法|导则|指南|白皮书|规划|文件|条例|"
                            r"细则|规定|标准)》?\s*(?:里|中|上|里面|当中)?$")
# a year may stand in a name ("Action Plan for Carbon Dioxide Peaking Before 2030")
_TITLE_RUN = re.compile(r"[A-Z][\w'-]*(?:\s+(?:(?:for|of|and|on|the|in)\s+)?(?:[A-Z][\w'-]*|(?:19|20)\d\d\b))*")


def _document_names(text: str, mentions: tuple[Mention, ...],
                    translations: dict[str, tuple[str, ...]]) -> list[KeyTerm]:
    """The capitalised English names of documents in the question ("the Sci-Tech Support Implementation Plan for
    Carbon Peaking and Neutrality"): a run of capitalised words holding a document type (``document_types_en``).
    Each is an entity held by a document whose record has the type's Chinese, every place the name holds and most of
    the name's other words in their glossary names or translations (words with neither cannot be checked); it weighs
    nothing in coverage — it picks the document, the question's other words are what the passages must speak about."""
    types = question_words().document_types_en
    stop, frame = stopwords(), question_words().frame
    out: list[KeyTerm] = []
    for run in _TITLE_RUN.finditer(text):
        if any(m.english and _has_word(run.group(0).lower(), m.name.lower()) for m in mentions):
            continue  # part of a glossary term's English name ("the 15th Five-Year Plan" is 十五五, a period)
        words = run.group(0).split()
        while words and (words[0].lower() in stop or words[0].lower() in frame):
            words.pop(0)  # "Does the …", "Under …": the sentence's words, not the name's
        typed = [types[w.lower()] for w in words if w.lower() in types]
        if len(words) < 2 or not typed:
            continue
        name = " ".join(words)
        low = name.lower()
        parts = [frozenset(normalize(z) for z in m.term.chinese) for m in mentions
                 if _has_word(m.name, low, plural=True)]
        parts += [frozenset({w}) for w in words if re.fullmatch(r"(?:19|20)\d\d", w)]  # a year, as the title writes it
        kinds = tuple(dict.fromkeys(z for t in typed for z in t))
        # a province or city in the name, known to the corpus or not ("the Hainan Implementation Plan …"), must be
        # the document's: read from its pinyin
        places = [frozenset(found) for w in words if (found := english_place(re.sub(r"['’]s$", "", w)))]
        # a phrase holding the type ("Action Plan" → 行动计划) is its other word in the title (行动方案)
        parts += [frozenset(a for alt in alts for a in (alt, re.sub("|".join(map(re.escape, kinds)), "", alt)) if a)
                  for key, alts in translations.items()
                  if alts and key.lower() not in types and _has_word(key, name)
                  and not any(_has_word(key.lower(), m.name) for m in mentions)]
        out.append(KeyTerm(name, frozenset(), 0.0, entity=True, document_type=kinds, parts=tuple(parts),
                           places=tuple(p for p in parts if any(is_place(a) for a in p)) + tuple(places)))
    return out


def _title_phrase(word: str, text: str, skip: Callable[[str], bool]) -> str:
    """The run of capitalised words a name stands in ("Administrative" → "Administrative Measures for National
    Eco-Industrial Demonstration Parks"), or the word; leading words ``skip`` accepts (stop and frame words: "Does
    Futian …") are no part of it."""
    for m in _TITLE_RUN.finditer(text):
        words = m.group(0).split()
        while words and skip(words[0].lower()) and words[0] != word:
            words.pop(0)
        if word in words:
            return " ".join(words)
    return word


def _name_like(word: str) -> bool:
    """A word that can be a name: jieba tags it as one (宝武 nr, 神华 nz), or it is no dictionary word at all
    (三灶) — unlike 深化, a common word that only sounds like "Shenhua"."""
    import jieba.posseg as pseg

    pairs = list(pseg.cut(word))
    return len(pairs) > 1 or pairs[0].flag in ("nr", "nrt", "ns", "nt", "nz")


def _made_of(word: str, parts: list[str]) -> bool:
    """Do the known sub-words cover every character of the word (城市组团 → 城市 + 组团)?"""
    covered: set[int] = set()
    for p in parts:
        start = word.find(p)
        if start >= 0:
            covered.update(range(start, start + len(p)))
    return bool(parts) and len(covered) == len(word)


class QueryAnalyzer:
    """Turns question text into a ``Query`` against one keyword index (its vocabulary and IDF)."""

    def __init__(self, lexical: LexicalIndex, glossary: Glossary | None = None, titles: tuple[str, ...] = ()) -> None:
        self.lexical = lexical
        self.glossary = glossary or load_glossary()
        self.titles = titles  # document titles, to tell a year that names a document from a year asked about
        self._pinyin: dict[str, frozenset[str]] | None = None

    def _pinyin_names(self) -> dict[str, frozenset[str]]:
        """Toneless pinyin → the index's two- to four-character Chinese words that read so (built once)."""
        if self._pinyin is None:
            from pypinyin import Style, lazy_pinyin

            out: dict[str, set[str]] = {}
            for word in self.lexical.vocabulary():
                if 2 <= len(word) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    out.setdefault("".join(lazy_pinyin(word, style=Style.NORMAL)), set()).add(word)
            self._pinyin = {k: frozenset(v) for k, v in out.items()}
        return self._pinyin

    def _pinyin_name(self, word: str) -> frozenset[str]:
        """The index's name-like words that read as this pinyin (Baowu → 宝武, Sanzao → 三灶)."""
        return frozenset(w for w in self._pinyin_names().get(word.lower().replace(" ", ""), ()) if _name_like(w))

    def _content(self, tokens: list[str]) -> list[str]:
        frame = question_words().frame
        return [t for t in tokens if t not in frame and not _ASKING_WORD.fullmatch(t)]

    def analyze(self, text: str) -> Query:
        text = text.strip()
        # an English follow-up carries the previous question's topic in the Chinese of its key terms: still English
        english = is_english(_CARRIED.sub("", text))
        mentions = tuple(self.glossary.mentions(text))
        context, asking = split_context(text)
        terms: dict[str, float] = {}

        def add(token: str, weight: float) -> None:
            terms[token] = max(terms.get(token, 0.0), weight)

        # An English question's plain English words are searched through their translations only: the Chinese texts
        # hold English words just in the white paper's few English names and captions, which they would rank first.
        # Acronyms (GDP, CCER) stay, as do tokens with digits (CO2, PM2.5): the texts write them so. A question of
        # untranslatable words is then left to the dense retriever.
        acronyms = {w.lower() for w in _ACRONYM.findall(text)} if english else set()
        for clause_list, weight in ((context, CONTEXT_WEIGHT), (asking, 1.0)):
            for clause in clause_list:
                for t in self._content(tokenize(clause)):
                    if not (english and t.isascii() and t.isalpha() and t not in acronyms):
                        add(t, weight)
        told = _told_mentions(text, mentions, context, asking) if english else frozenset()
        for m in mentions:
            # A short form or an English name also searches the term's Chinese names (the policies' wording); a
            # Chinese name the question already uses needs no other names.
            names = () if m.name in m.term.zh else m.term.zh
            for i, name in enumerate(names):
                toks = self._content(tokenize(name))
                base = (1.0 if english and i == 0 else EXPANSION_WEIGHT) * (CONTEXT_WEIGHT if m in told else 1.0)
                for t in toks:
                    add(t, base / max(1, len(toks)) ** 0.5)
        translations = self._translate(text, mentions, add) if english else {}
        return Query(text, english, cjk_share(text), terms, detect_ask(text), mentions, tuple(context),
                     self._dense_text(text, terms, mentions, english), naming_years(text, self.titles),
                     lambda: self._key_terms(asking or [text], mentions, english, translations,
                                             _told_places(text, english) | _issuers_told(text, mentions, english),
                                             told))

    @staticmethod
    def _dense_text(text: str, terms: dict[str, float], mentions: tuple[Mention, ...], english: bool) -> str:
        """An English question is embedded with its Chinese search words (the multilingual model matches Chinese
        passages far better so); a Chinese one with the full names of the short forms it uses."""
        if english:
            chinese = [t for t, _ in sorted(terms.items(), key=lambda x: -x[1]) if _CJK.search(t)]
        else:
            chinese = [m.term.zh[0] for m in mentions if m.name not in m.term.zh and m.term.zh[0] not in text]
        outer = [t for t in dict.fromkeys(chinese) if not any(t != o and t in o for o in chinese)]
        return f"{text} {' '.join(outer[:DENSE_EXTRA_TERMS])}".strip() if outer else text

    def _translate(self, text: str, mentions: tuple[Mention, ...], add) -> dict[str, tuple[str, ...]]:
        """Chinese words for the English words no glossary term covers (CC-CEDICT, read backwards); a two-word
        phrase the dictionary knows ("management committee") is taken before its single words."""
        low = text.lower()
        covered = [False] * len(low)
        for m in mentions:
            covered[m.start:m.end] = [True] * (m.end - m.start)
        stop, frame = stopwords(), question_words().frame
        index = english_index()
        out: dict[str, tuple[str, ...]] = {}
        # A stop word opens some phrases the dictionary knows ("on time" → 按时, "in advance" → 提前): taken whole.
        tokens = list(_EN_WORD.finditer(low))
        for w, nxt in zip(tokens, tokens[1:]):
            # a phrasal verb is taken whole too ("carried out" → 实施, "bring in" → 引进, "phase out" → 淘汰): its
            # particle is a stop word, and the verb alone means something else (carry → 搬运)
            phrasal = w.group(0) not in stop and nxt.group(0) in _PARTICLES
            if not (w.group(0) in stop or phrasal) or covered[w.start()] or covered[nxt.start()] \
                    or low[w.end():nxt.start()].strip():
                # a phrase is two words side by side: "be, in billions" holds no "be in" (处于)
                continue
            # the verb of a phrasal verb, or the word after a stop word, is the one tried in its base forms
            phrases = ([f"{c} {nxt.group(0)}" for c in lemma_candidates(w.group(0))] if phrasal
                       else [f"{w.group(0)} {c}" for c in lemma_candidates(nxt.group(0))])
            found = next(([c for c in index[p] if self.lexical.knows(c)] for p in phrases if p in index), [])
            if found:
                found.sort(key=lambda c: self.lexical.df(c))
                kept = found[:MAX_TRANSLATIONS]
                for c in kept:
                    add(c, TRANSLATION_WEIGHT / max(1, len(kept)) ** 0.5)
                if nxt.group(0) not in stop or phrasal:  # "on time" is asked about; "have to", "at least" are phrasing
                    out[text[w.start():nxt.end()]] = tuple(kept)
                covered[w.start():nxt.end()] = [True] * (nxt.end() - w.start())
        # A capitalised stop word inside the sentence is part of a name ("China Three Gorges"): kept to form a
        # two-word phrase, never searched alone.
        found_words, only_in_phrase = [], []
        for w in _EN_WORD.finditer(low):
            in_name = w.group(0) in stop and w.start() > 0 and text[w.start()].isupper()
            if covered[w.start()] or (w.group(0) in stop or w.group(0) in frame) and not in_name:
                continue
            found_words.append((next((c for c in lemma_candidates(w.group(0)) if c in index),
                                     lemma_candidates(w.group(0))[0]), text[w.start():w.end()]))
            only_in_phrase.append(in_name)
        words = [w for w, _ in found_words]
        i = 0
        while i < len(words):
            phrase = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
            found = [c for c in index.get(phrase, ()) if self.lexical.knows(c)] if phrase else []
            step = 2 if found else 1
            if not found and only_in_phrase[i]:
                i += 1
                continue
            if not found:
                found = [c for c in index.get(words[i], ()) if self.lexical.knows(c)]
            original = found_words[i][1]
            if not found and original[:1].isupper() and not original.isupper():
                # a name in pinyin the dictionary lacks (Baowu → 宝武), as the key terms read it
                found = list(self._pinyin_name(original))
            found.sort(key=lambda c: self.lexical.df(c))
            kept = found[:MAX_TRANSLATIONS]
            for c in kept:
                add(c, TRANSLATION_WEIGHT / max(1, len(kept)) ** 0.5)
            out[" ".join(original for _, original in found_words[i:i + step])] = tuple(kept)
            i += step
        return out

    def _key_terms(self, asking: list[str], mentions: tuple[Mention, ...], english: bool,
                   translations: dict[str, tuple[str, ...]], told: set[str],
                   in_context: frozenset[Mention] = frozenset()) -> tuple[KeyTerm, ...]:
        """The words of the asking clauses (Chinese), or the glossary terms and translated words (English); not the
        places ``told`` as the asker's situation; a glossary term named only in ``in_context`` weighs as context."""
        frame, stop = question_words().frame, stopwords()
        lex = self.lexical
        top_idf = lex.idf("\x00")  # a word no chunk holds
        out: list[KeyTerm] = []
        seen: set[str] = set()
        for m in mentions:  # a named glossary term is satisfied by any of its names
            names = frozenset(normalize(name) for name in m.term.chinese)
            label = m.term.zh[0]
            if label in told:
                continue  # the issuer that names the document ("工信部那个…实施方案"), not what is asked
            if label not in seen:
                seen.add(label)
                weight = min(lex.idf(n) for n in names)
                if all(o in in_context for o in mentions if o.term.zh[0] == label):
                    weight *= CONTEXT_WEIGHT
                out.append(KeyTerm(label, names, weight))
        covered = {t for m in mentions for name in (m.name,) for t in tokenize(name)} | {normalize(m.name) for m in mentions}
        if english:
            named_docs = naming_years(" ".join(asking), self.titles)
            for year in dict.fromkeys(y for y in re.findall(r"\b(?:19|20)\d\d\b", " ".join(asking)) if y not in named_docs):
                out.append(KeyTerm(year, frozenset({year}), lex.idf(year), entity=True))
            # "how large", "how long" … frame the question: their adjective names no topic ("large" → 大型)
            asked_text = _HOW_ADJECTIVE.sub(" ", " ".join(asking).lower())
            documents = _document_names(" ; ".join(asking), mentions, translations)
            out.extend(documents)
            for word, alts in translations.items():
                if not re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", asked_text) or word in told:
                    continue  # a word of a context clause ("We're consultants in Hangzhou - …"): not what is asked
                if any(m.english and _has_word(word.lower(), m.name.lower()) for m in mentions):
                    continue  # a word of a glossary term's English name ("the 14th Five-Year Plan" is 十四五)
                if (any(_has_word(word, d.label) for d in documents)
                        and not any(is_place(a) for a in alts)):
                    continue  # a word of a document's name names the document; a place is asked about still
                known = frozenset(a for a in alts if lex.knows(a))
                if word.isupper() and lex.knows(normalize(word)):
                    known |= {normalize(word)}  # an acronym the texts write as is ("（PPP）项目")
                # A word without any translation the corpus uses cannot be checked, unless it is a name (capitalised,
                # not an acronym): then the library lacks it. A name is also met by its two-character short form
                # (宝武钢铁 → 宝武, as texts write 宝武集团).
                capital = word[:1].isupper() and (not word.isupper() or 2 <= len(word) <= 6)
                # a capital that only opens a sentence ("Apart from…", "Besides…") may still be a known name
                # (Baowu → 宝武), but one the library lacks is no proof it lacks a topic
                name = capital and (word.isupper() or not _opens_sentences_only(word, " ".join(asking)))
                if name:
                    known = known | frozenset(a[:2] for a in alts if len(a) >= 3)
                if capital and not known and not word.isupper():  # a name in pinyin: Baowu → 宝武, Sanzao → 三灶
                    known = self._pinyin_name(word)
                if known or name:
                    # a name the library lacks is said whole ("Administrative Measures for National …")
                    label = _title_phrase(word, " ; ".join(asking), lambda w: w in stop or w in frame) \
                        if name and not known else word
                    if any(k.label == label for k in out):
                        continue  # another word of the same name
                    out.append(KeyTerm(label, known, max((lex.idf(a) for a in known), default=top_idf),
                                       entity=name and not known, place=name and any(is_place(a) for a in known)))
            # a later batch or round than the texts describe ("the second batch" → 第二批)
            for hit in _ORDINAL_EN.finditer(" ".join(asking).lower()):
                label = f"第{_ORDINALS_EN[hit.group(1)]}{_BATCH_EN[hit.group(2)]}"
                out.append(KeyTerm(label, frozenset({label}), top_idf, entity=True))
            out.extend(_next_batch((_BATCH_EN[h] for c in asking for h in _NEXT_BATCH_EN.findall(c.lower())), top_idf))
            # Chinese written into an English question ("each urban cluster (组团)") is checked as in Chinese
            asking = re.findall(r"[\u3400-\u9fff]+", " ".join(asking))
        else:
            out.extend(_next_batch((b for c in asking for b in _NEXT_BATCH.findall(normalize(c))), top_idf))
        import jieba.posseg as pseg

        for clause in asking:
            text = _POINTING_BACK.sub("，", _without_a_not_a(normalize(clause), frame))
            # a word jieba cuts across a glossary name, or a piece of one ("交配额" → 交配 / 额, where the asker wrote
            # 交 + 配额), is no word of the question: the name is read instead
            named = [(hit.start(), hit.end()) for m in mentions if not m.english
                     for hit in re.finditer(re.escape(normalize(m.name)), text)]
            at = 0
            for pair in pseg.cut(text):
                start, at = at, at + len(pair.word)
                if any(s < at and start < e and not (start <= s and e <= at) for s, e in named):
                    continue  # cuts across a name, or is a piece of one
                word, flag = pair.word.strip(), pair.flag
                if not word or word in frame or _ASKING_WORD.fullmatch(word) or word in stop or word in covered or word in seen or not _WORD.search(word):
                    continue
                if flag in FUNCTION_POS and not _NUMERAL.search(word):
                    continue
                # a bare quantity is the asker's own figure (排了2.3万吨, 覆盖50%): no text is expected to repeat it;
                # a year (2035), an ordinal (第二批) or an identifier (〔2025〕910号, GB/T 51255) still names what is asked
                if (re.fullmatch(r"[\d.,%]+", word) and not re.fullmatch(r"(19|20)\d\d", word)
                        or re.fullmatch(r"[一二两三四五六七八九十百千万亿]", word)
                        or re.fullmatch(r"[\d一二两三四五六七八九十]+[个家项台座名位条件套栋户辆]", word)) \
                        and not _identifies(text, word):  # 三家, 4台: how many the asker has
                    continue
                seen.add(word)
                if word in told:
                    continue  # "河北一个钢铁园区在做转型规划。…": where the park is, not what is asked
                # A place or organisation the index does not know — unless it is made of words it knows (城市组团);
                # jieba's person-name guesses (nrt: 卡得) are too loose to call anything absent.
                parts = [t for t in tokenize(word) if len(t) >= 2 and lex.knows(t) and t != word]
                entity = (flag in ("ns", "nt") and not lex.knows(word) and not _made_of(word, parts)
                          and not _LOCAL_GOVERNMENT.fullmatch(word)
                          or bool(re.search(r"\d", word)) or bool(_ORDINAL.fullmatch(word))
                          or (word.isascii() and word.isupper() and len(word) >= 2 and not lex.knows(word.lower())))
                # A verb, adjective or idiom no passage uses (搞不懂, 行得通, 连累) is the asker's phrasing: it cannot tell
                # passages apart, and as a missing key term it would only sink every passage's coverage alike.
                if flag in PHRASING_POS and not lex.knows(word) and not parts and not entity and not is_place(word):
                    continue
                alternatives = frozenset([word, _LIANG.sub("二", word)] + ([] if lex.knows(word) or entity else parts))
                weight = lex.idf(word) if lex.knows(word) else max((lex.idf(t) for t in parts), default=top_idf)
                out.append(KeyTerm(word, alternatives, weight, entity, place=is_place(word)))
        return tuple(_naming_words_lowered(_examples_merged(out, asking, mentions), asking, english))
