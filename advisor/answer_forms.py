"""What each kind of question is answered by: the form a number, a date or span of time, a list, a condition, a
responsible body or a definition takes in the policy texts, the unit a 多少 question asks in, and which numbers only
name something (a year, an annex, a document number). The offline answerer prefers and requires sentences of the asked
form; the hybrid search lifts passages holding one (``form_coverage``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .query import KeyTerm, Query, key_coverage
from .text import FORMULA_LEGEND, sentences

_NUMBER = re.compile(r"(?<![A-Za-z])\d+(\.\d+)?(?![A-Za-z])|[一二两三四五六七八九十百千万亿]+\s*(个|家|项|类|种|批|年|月|日|倍|成|%|％|万|亿|吨|千瓦|米|元|名|位|条|份|次|期|处|座|台|套|人|天|周|星)|百分之")
# a date, or a span of time (how often, how long: 每五年, 3个月内, 有效期为五年)
_SPAN = r"[\d一二两三四五六七八九十]+\s*个?\s*(年|月|季度|周|天|日|工作日)"
_TIME = re.compile(r"(19|20)\d\d\s*年|自然年|十[一二三四五六七八九]五|\d{1,2}\s*月|年底|年初|年前|之前|以前|日前|前完成|"
                   rf"每\s*({_SPAN}|个?\s*(年|季度|月|半年))|{_SPAN}\s*(内|以内|之内|一次)|(为期|有效期为?|年限为?|周期为?)\s*{_SPAN}|"
                   # a minimum or maximum length (至少保存五年, 不少于3年, 最长6个月)
                   rf"(至少|最少|不少于|不低于|不超过|最长|最短)\s*(保存|保留|持续|运行)?\s*{_SPAN}")
# items: run together with 、 or ；, three joined by 、 and a conjunction ("开发商、业主或运营管理单位"), numbered, or after
# a colon as three or more clauses ("将具备四大特征：构建…，推动…，具有…，以及…")
_LIST = re.compile(r"、.+、|、[^、，。；：]{1,15}(?:或|和|及|与)|；|（[一二三四五六七八九十]）|\d[.．、]|[：:][^：:。]+，[^：:。]+，")
_CONDITION = re.compile(r"条件|应当|须|必须|符合|满足|不得|达到|以上|以下|要求|标准|门槛")
_RESPONSIBLE = re.compile(r"部|委|局|政府|机构|部门|负责|牵头|组织|由")
_DEFINITION = re.compile(r"是指|指的是|定义|即|是.{2,30}的")
HOLDS = {"number": _NUMBER, "time": _TIME, "list": _LIST, "condition": _CONDITION, "responsibility": _RESPONSIBLE,
          "definition": _DEFINITION}
# A length of time (有效期为五年, 创建年限为4 年, 近三年, 3个月, 5个工作日) or a period (每年, 每季度, 按月报送), not a date (2025年,
# 10月), a year's part (年底, 年度, 上半年) nor an ordinal (第三年).
_COUNT = r"(?:(?<![\d.])(?!(?:19|20)\d\d)\d{1,3}(?:\.\d+)?|(?<![第上下])[一二两三四五六七八九十半]+)"
DURATION = (rf"{_COUNT}\s*(?:个?\s*(?:年|季度|周|星期)(?![底初前后中度份])|个\s*月|个?\s*(?:工作日|自然日|天))"
            r"|(?:每|按)\s*(?:年|半年|季度|月|周)")
# A day of the calendar (9月30日前, 3月底前): what 几月几号 asks for; a month or a year alone does not answer it.
DAY = r"\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]|底|末|[上中下]旬)"
# A year of the calendar (哪一年, what year): a month, a day or a length of time does not answer it.
# A calendar year named relative to a date (验收前最近一个自然年) answers it too.
YEAR = r"(?:(?:19|20)\d\d|自然年)"
_ASKS_YEAR = re.compile(r"哪一?年(?!度)|\b(?:what|which|in what) year\b", re.I)
_ASKS_DURATION = re.compile(r"(?<![哪近这那前十第])几年|多少年|几个月|多少个月|多久|多长时间|how many (years|months)|how long",
                            re.I)
_ASKS_DAY = re.compile(r"几月几[号日]|几号(?!文)|哪一?天|具体日期|what (date|day)|which day|month and day|"
                       r"exact (calendar )?(date|deadline)|calendar (date|deadline)", re.I)
# A count of things (几个, how many parks): a number with its measure word (2个, 50 个, 500家左右, 100多家); a bare
# number (a table row's serial number, a score) counts nothing.
COUNT = (r"(?:\d+|[一二两三四五六七八九十百千万]+)\s*(?:多|余)?\s*"
         r"(?:个|家|项|批|座|名|所|类|种|套|条|处|台|栋|户|人|位|份|次|轮|期|件|张|本|部|辆)")
# The unit a 多少 question asks in, and how a sentence writes it: 多少钱 → 元, 比例 → %, 多少吨 → 吨 …
_UNITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"多少钱|多少元|多少万元|多少亿元|金额|价格|资金.{0,6}多少|多少.{0,4}(资金|补助|补贴|奖励|经费)|"
                r"(补贴|补助|奖励|资助|拨款|经费|罚款|价格|费用|收费|手续费|费率).{0,4}(多少|几)|"
                r"how much (\w+ )?(money|funding|grant|subsidy)|what (\w+ )?(price|fine|grant|amount of money|fees?|tariffs?)|"
                r"\bprice\b|\bin (rmb|yuan|cny)\b"),
     r"(?<![/／\d.])(\d[\d.,]*|[一二两三四五六七八九十百千]+)\s*(亿|万|千)?元"),  # an amount, not a ratio's 万元 (吨/万元)
    (re.compile(r"百分之|百分比|比例|占比|比重|利率|几成|多少%|\b(?:percentage|share|proportion)\b|\brates?\b"),
     r"%|％|百分之|成\b|倍"),
    # a size (规模有多大, 多大规模) is an amount of money, capacity, mass, area or things — not a span of years
    (re.compile(r"规模.{0,4}(多大|多少)|多大.{0,2}规模"),
     r"(亿|万|千)?元|亿|万|千瓦|瓦|吨|平方米|(?<![年\d])\d+\s*(个|家|项|座|只|台|套)"),
    (re.compile(r"多少(亿|万)?吨"), r"吨"),
    (re.compile(r"多少米|几米"), r"\d\s*米"),
    (re.compile(r"多少(万)?千瓦|装机.{0,6}多少"), r"千瓦|瓦"),
    (_ASKS_DURATION, DURATION),
    (re.compile(r"多少(家|个|项|批|座|名)|(?<![那这])几(家|个|项|批|座|名)"), COUNT),  # not 那几个 ("those few")
    (re.compile(r"多少天|几天|多少个?工作日|几个工作日|how many (working |calendar )?days"),
     r"(?:\d|(?<![第上下])[一二两三四五六七八九十])\s*个?(工作日|自然日|天)|(?<![月\d\s])\s*\d+\s*日(?![前后起止内])"),
    # a count of days (5个工作日, 七个工作日内), not a date (5月13日)
    (re.compile(r"\bhow many\b"), COUNT),
)


# The legal units' international symbols (GB 3100/3101), as tables and formulas write them after a number:
# "1.95tCO2/公顷", "0.4512 kgCO2/kWh" (a table's 吨 is t).
_SYMBOLS = {"吨": r"\d\s*t(?:CO2|CO₂|ce)?(?![a-z])", "千瓦时": r"\d\s*kWh", "千瓦": r"\d\s*kW(?!h)",
            "平方米": r"\d\s*(?:m2|m²|㎡)", "公里": r"\d\s*km\b", "米": r"\d\s*m\b"}


_EMISSIONS = re.compile(r"碳排放|二氧化碳|co2|co₂|温室气体|排放量|排放总量|碳汇|减排")
_ENERGY = re.compile(r"标煤|标准煤|能耗|能源消费|用能|耗能|tce")


@lru_cache(maxsize=1024)
def asked_unit(question: str, ask: str | None = "number") -> str | None:
    """The pattern of the unit a 多少 question asks in, or the precision a 何时 one asks for (a day, a length of
    time, a year); None when it names none."""
    low = question.lower()
    if ask == "time":
        return DAY if _ASKS_DAY.search(low) else DURATION if _ASKS_DURATION.search(low) else \
            YEAR if _ASKS_YEAR.search(low) else None
    if ask != "number":
        return None
    written = re.search(r"多少\s*((亿|万|千)?(吨|千瓦时|千瓦|平方米|公里|米|元|个百分点))", low)
    if written:
        unit = written.group(1)
        # tonnes of CO2 and tonnes of standard coal (吨标准煤, tce) measure emissions and energy: one is no answer
        # to a question asking the other (人均碳排放多少吨 — 人均能源消费量为3.7吨标煤)
        if unit.endswith("吨") and _EMISSIONS.search(low) and not _ENERGY.search(low):
            return re.escape(unit) + r"(?!标)|\d\s*t(?:CO2|CO₂)?(?![a-z])"
        if unit.endswith("吨") and _ENERGY.search(low) and not _EMISSIONS.search(low):
            return re.escape(unit) + r"标(?:准)?煤|\d\s*tce(?![a-z])"
        symbol = _SYMBOLS.get(unit)
        return re.escape(unit) + (f"|{symbol}" if symbol else "")
    return next((unit for cue, unit in _UNITS if cue.search(low)), None)


# Numbers that only name something: a year as a date, an annex, article, table or batch, a document number
# (〔2025〕910号) or an item number opening the sentence ("1.10 鼓励…").
_NAMING_NUMBER = re.compile(r"(19|20)\d\d\s*年(底|初|前|后|内)?|(19|20)\d\d[-—–]\d{2,4}|"
                            r"(附件|附表|附录|表|图|第)\s*[0-9一二三四五六七八九十]+\s*(条|章|节|款|项|批|期|部分)?|"
                            r"[〔\[［(（](19|20)\d\d[〕\]］)）]\s*\d+\s*号|^\s*\d+(\.\d+)+\s*(?=[\u4e00-\u9fff])|^\s*\d+\s*[.．、]\s*(?=[\u4e00-\u9fff])|"
                            r"[（(]\d{1,2}[）)]\s*(?=[\u4e00-\u9fff])|\d{3,4}-\d{7,8}")  # …, a telephone number


# "a number of": 培育一批…企业 states no figure
_VAGUE = re.compile(r"(?<![一二两三四五六七八九十百千万\d])一批")
_FORMULA = re.compile(r"^\s*(计算公式|指标解释)\s*[:：]")
_FORMULA_ONLY = re.compile(r"^\s*计算公式\s*[:：]")


# Named members asked for: what a list holds (名单有哪些), a count of which ("哪十个平台", "哪几家企业"), or which ones were
# chosen ("哪些园区入选", "which parks made it"). "哪些园区优先" may be answered by a kind of park, so "which" alone is not
# enough. The texts name members by place (江宁经济技术开发区, 珠海横琴新区); a sentence speaking of the list only
# ("确定首批国家级零碳园区建设名单") names none.
_CHOSEN = r"(?:入选|入围|获批|列入|评上|选上|定了|批准)"
_ASKS_NAMES = re.compile(
    r"名单[^，。？?]{0,4}(?:哪些|有谁|是什么|是哪|包括)|具体名单|哪(?:几|[一二两三四五六七八九十百\d]+)\s*(?:个|家|座|批)\s*(?:国家级|省级)?(?:园区|开发区|高新区|产业园|工业园|"
    rf"示范区|新区|平台|企业|公司|城市|省份|省|地市|县|项目)|{_CHOSEN}.{{0,6}}哪些|哪些.{{0,10}}{_CHOSEN}|"
    r"\b(?:list|names) of\b|\bwhich\b(?:\s+\w+){1,3}\s+(?:made it|were (?:selected|chosen|named|approved|listed)|"
    r"are (?:on|in) the list)",
    re.I)
# a government body is who issues or reviews a list, not one of its members
_BODY = re.compile(r"(部|委|局|厅|办|院|署|会|府|司|中心|政府)$")


# kinds, not names: "名单包括哪些行业", "入选要看哪些条件"
_ASKS_KINDS = re.compile(r"哪(?:些|几)\s*(?:个|类|种|项)?\s*(?:行业|领域|类型|方面|条件|标准|因素|要求|指标|部门|环节|内容)")


def asks_names(question: str) -> bool:
    """Does the question ask for members by name (名单有哪些, 哪几个园区, which parks made it), not for kinds?"""
    return bool(_ASKS_NAMES.search(question)) and not _ASKS_KINDS.search(question)


def names_members(sentence: str, question: str) -> bool:
    """Does the sentence name a place, park or firm (jieba's ns / nz / nt) the question does not, other than a
    government body?"""
    import jieba.posseg as pseg

    # jieba's nz is loose for two characters (申报 is nz in its dictionary): a name of another kind has three or more
    return any((p.flag in ("ns", "nt") and len(p.word) >= 2 or p.flag == "nz" and len(p.word) >= 3)
               and re.sub(r"(?<=..)(省|市)$", "", p.word) not in question  # 四川省 is the question's 四川
               and not _BODY.search(p.word) and p.word not in _NATION
               for p in pseg.cut(re.sub(r"《[^》]*》", "", sentence)))  # a document's title names no member


# the nation is no member of a list within it ("以习近平新时代中国特色社会主义思想为指导" names no selected park), nor is a
# kind of zone jieba tags as a place (新区, 开发区)
_NATION = frozenset({"中国", "我国", "全国", "中华人民共和国", "中华", "新区", "开发区", "高新区", "经开区", "园区", "地区"})


def defines_indicator(sentence: str) -> bool:
    """An indicator's explanation, formula or formula legend (指标解释：…, 计算公式：…, EGbi ——第i项…)."""
    return bool(_FORMULA.search(sentence) or FORMULA_LEGEND.search(sentence))


def holds_figure(sentence: str) -> bool:
    """A number other than one that names something (``到2030年`` alone is a date, ``附件3`` a name, not figures);
    an indicator's formula or its legend defines a figure, it does not state one."""
    if _FORMULA_ONLY.search(sentence) or FORMULA_LEGEND.search(sentence):
        return False
    return bool(_NUMBER.search(_figure_text(sentence)))


def _figure_text(sentence: str) -> str:
    """The sentence without its naming numbers (``_NAMING_NUMBER``) and vague amounts (一批): what may hold figures."""
    return _VAGUE.sub("", _NAMING_NUMBER.sub("", sentence))


_DATE = re.compile(r"(19|20)\d\d\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?")


def only_given_figures(sentence: str, question: str) -> bool:
    """Are all the sentence's figures numbers the question itself states ("选100个城市和园区，其中园区占多少个？" — the
    text's 100 is what the asker said, not the part asked for)? A number written in Chinese numerals is never taken
    for a given one."""
    rest = _figure_text(_DATE.sub("", sentence))  # 2021年10月 dates the sentence
    stated = _NUMBER.findall(rest)
    digits = re.findall(r"\d+(?:\.\d+)?", rest)
    given = set(re.findall(r"\d+(?:\.\d+)?", _NAMING_NUMBER.sub("", question)))
    return bool(digits) and len(digits) == len(stated) and set(digits) <= given


# Asks whose answer has a form of its own: a passage holding that form next to the question's key terms is likely the
# answer. A list, a condition or a responsible body is written with words (、，应当，部门) found in nearly every
# passage, so those asks are not lifted (on dev they lowered MRR).
FORM_ASKS = ("number", "time", "definition")


def in_unit(sentence: str, unit: str | None) -> bool:
    """Does the sentence write the asked unit or precision (any sentence, when none is asked)?"""
    return unit is None or bool(re.search(unit, sentence))


def states_figure(sentence: str, unit: str | None = None) -> bool:
    """A figure (``holds_figure``), in ``unit`` when one is given: what a 多少 question wants."""
    return holds_figure(sentence) and in_unit(sentence, unit)


def holds_form(ask: str, sentence: str, unit: str | None = None) -> bool:
    """Does the sentence hold the form of answer ``ask`` wants (for a number: a figure, in ``unit`` if given)?"""
    if ask not in HOLDS or not HOLDS[ask].search(sentence):
        return False
    if ask == "time":
        return in_unit(sentence, unit)
    return ask != "number" or states_figure(sentence, unit)


def form_coverage(query: Query, text: str) -> float:
    """The best key-term coverage among the text's sentences that hold the form of answer the question asks for
    (0.0 when it asks for none of ``FORM_ASKS``)."""
    if query.asks not in FORM_ASKS:
        return 0.0
    unit = asked_unit(query.asking_text, query.asks)
    return _form_coverage(query.asks, unit, query.key_terms, text)


@lru_cache(maxsize=65536)  # the calibration re-ranks the same question's passages under many weights
def _form_coverage(ask: str, unit: str | None, keys: tuple[KeyTerm, ...], text: str) -> float:
    return max((key_coverage(keys, s) for s in sentences(text, min_chars=8) if holds_form(ask, s, unit)), default=0.0)
