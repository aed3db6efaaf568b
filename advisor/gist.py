"""An English reader's key to an offline answer quoted in Chinese: the Chinese words of the terms the question asked
about (from the glossary), and the figures and dates the quote states, written the English way. No translation: only
what can be read off the quote exactly, so the note never says more than the cited text."""

from __future__ import annotations

import re

from .query import Query

MAX_FIGURES = 4  # more read as a table, not a key

_DATE = re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日")  # a day of every year (每年3月31日前)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|％|个百分点|万吨|亿吨|吨|亿元|万元|元|万千瓦|千瓦时|千瓦|平方米|公里|年|个月|天|个工作日)")
_UNIT_EN = {"%": "%", "％": "%", "个百分点": " percentage points", "吨": " t", "元": " yuan", "千瓦时": " kWh",
            "千瓦": " kW", "平方米": " m²", "公里": " km", "年": " years", "个月": " months", "天": " days",
            "个工作日": " working days"}


# units written with 万 (10⁴) or 亿 (10⁸): the factor to the English unit, and that unit
_SCALED = {"万吨": (1e4, " t"), "亿吨": (1e8, " t"), "万元": (1e4, " yuan"), "亿元": (1e8, " yuan"), "万千瓦": (10, " MW")}


def _figure_en(number: str, unit: str) -> str:
    """A figure with its unit in English; 万 and 亿 are scaled ("2.6万吨" → "26,000 t", "3万千瓦" → "30 MW")."""
    if unit in _SCALED:
        factor, english = _SCALED[unit]
        value = float(number) * factor
        return f"{value:,g}{english}" if unit == "万千瓦" else f"{value:,.0f}{english}"
    return f"{number}{_UNIT_EN[unit]}"


def figures(text: str) -> list[str]:
    """The dates (2021年2月1日 → 2021-02-01) and figures with units a text states, in order, each once."""
    out: list[str] = []
    for m in _DATE.finditer(text):
        out.append(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    rest = _DATE.sub(" ", text)
    for m in _DAY.finditer(rest):
        if 1 <= int(m.group(1)) <= 12:
            out.append(f"{int(m.group(2))} {_MONTHS[int(m.group(1)) - 1]}")
    rest = _DAY.sub(" ", rest)
    for m in _FIGURE.finditer(rest):
        if m.group(2) == "年" and re.fullmatch(r"(19|20)\d\d", m.group(1)):
            continue  # a year, not a span of years
        out.append(_figure_en(m.group(1), m.group(2)))
    return list(dict.fromkeys(out))


def english_gist(query: Query, quoted: list[str], answering: list[str]) -> str | None:
    """"Key: 碳排放配额 = allowance; figures quoted: 5%" for an English question answered with these Chinese
    sentences (the figures only of those ``answering`` it: holding the kind of answer asked for), or None when there
    is nothing to key."""
    text = "".join(quoted)
    terms: list[str] = []
    for m in query.mentions:
        if not (m.english or m.name.isascii()):  # an English name, or an abbreviation (CCER)
            continue
        zh = next((n for n in m.term.chinese if n in text), None)
        if zh and f"{zh} = {m.name}" not in terms:
            terms.append(f"{zh} = {m.name}")
    found = figures("".join(answering))[:MAX_FIGURES] if query.asks in ("number", "time") else []
    parts = ([f"terms — {'; '.join(terms)}"] if terms else []) + ([f"figures quoted — {', '.join(found)}"]
                                                                    if found else [])
    return f"Key to the Chinese quote: {' · '.join(parts)}." if parts else None
