"""Section outlines: a question asking what a section of a document lists ("零碳园区建设的重点任务有哪些？") is answered
with the section's numbered items — each item's lead phrase, cited to the passage that holds it — because the few
best sentences of one passage would read as if they were the whole list.

A section qualifies when its heading holds at least half of what the question asks about once the words of the
document's own title are set aside (those only name the document), and the section's passages open at least
``MIN_ITEMS`` consecutive items numbered the same way — （一）（二）…, 一、二、…, 1. 2. …
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .query import KeyTerm, key_coverage
from .records import Chunk, DocMeta, Hit
from .text import trail
from .tokenization import normalize

MIN_ITEMS = 3  # fewer items than this are no list to outline: the passage itself answers
HEADING_SHARE = 0.5  # the heading must hold this share of the asked-about key terms (by weight), title words aside
_NUMERALS = "一二三四五六七八九十"
_CN = r"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"  # 一 … 九十九, well formed
# a line opening with a number, and its first sentence (any length: cut to LEAD_CHARS when shown)
_ITEM = re.compile(rf"^\s*(?P<mark>[（(](?P<cn>{_CN})[)）]|(?P<cn2>{_CN})、|"
                   r"(?P<num>\d{1,2})[.．、](?!\d))\s*(?P<lead>[^。；;：:！？\n]{2,}?)\s*(?:[。；;：:！？]|$)", re.M)
LEAD_CHARS = 40  # a longer lead phrase is cut here: the outline names items, the passages state them


@dataclass(frozen=True)
class Item:
    number: int
    style: str  # "paren" （一）, "dun" 一、, "arabic" 1.
    lead: str  # the item's lead phrase, without its number
    mark: str  # the number as written
    chunk: Chunk


def _value(cn: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 三十五 → 35 (``_CN`` admits only such numerals)."""
    tens, _, units = cn.partition("十")
    if "十" not in cn:
        return _NUMERALS.index(cn) + 1
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(units) + 1 if units else 0)


def item_lead(paragraph: str) -> str:
    """The first sentence of a paragraph that opens with a number ("3.打造绿色低碳工业园区。…" → 打造绿色低碳工业园区),
    or "" for one that does not."""
    m = _ITEM.match(paragraph)
    return m.group("lead").strip() if m else ""


def items_of(text: str, chunk: Chunk) -> list[Item]:
    """The numbered items a passage opens (one per paragraph or line that starts with a number)."""
    out = []
    for m in _ITEM.finditer(text):
        if m.group("cn"):
            style, number = "paren", _value(m.group("cn"))
        elif m.group("cn2"):
            style, number = "dun", _value(m.group("cn2"))
        else:
            style, number = "arabic", int(m.group("num"))
        lead = m.group("lead").strip()
        out.append(Item(number, style, lead if len(lead) <= LEAD_CHARS else lead[:LEAD_CHARS] + "…", m.group("mark"), chunk))
    return out


def section_items(heading_path: list[str], chunks: list[Chunk]) -> list[Item]:
    """The section's own items: under ``heading_path`` (a section's trail, title first), in document order, the
    numbered subsection headings of the passages' trails and the numbered paragraphs of their text; the first one
    sets the numbering style, and the run goes on while the numbers do (an item met again — a heading that is also
    the passage's first line, an item split over passages — is counted once; sub-items numbered another way are not
    the section's). Numbering may start after 1: a document numbers its subsections across chapters."""
    depth = len(heading_path)
    under = sorted((c for c in chunks if trail(c.section)[:depth] == heading_path), key=lambda c: c.ord)
    found: list[Item] = []
    for chunk in under:
        path = trail(chunk.section)
        if len(path) > depth:
            found += items_of(path[depth], chunk)
        found += items_of(chunk.text, chunk)
    out: list[Item] = []
    for item in found:
        if out and item.style != out[0].style:
            continue
        if not out or item.number == out[-1].number + 1:
            out.append(item)
        elif item.number > out[-1].number + 1:
            break  # a gap: what follows is not this run
    return out if len(out) >= MIN_ITEMS else []


def asked_heading(keys: tuple[KeyTerm, ...], hits: list[Hit], depth: int = 3) -> tuple[DocMeta, list[str]] | None:
    """The section (its document and trail) among the first ``depth`` hits whose heading holds what the question asks
    about — at least ``HEADING_SHARE`` of the key terms' weight the document's title does not hold."""
    for hit in hits[:depth]:
        title = normalize(hit.meta.title)
        asked = tuple(k for k in keys if not k.held_by(title))
        if not asked:
            continue
        path = trail(hit.chunk.section)
        for level in range(1, len(path)):
            if key_coverage(asked, path[level]) >= HEADING_SHARE:
                return hit.meta, path[: level + 1]
    return None


def compose(meta: DocMeta, heading: str, items: list[Item], numbers: dict[str, int], english: bool) -> str:
    """The items, one sentence each, cited to the passage that holds it (``numbers``: chunk id → passage number)."""
    if english:
        return (f"According to the sources (quoted in Chinese), 《{meta.title}》 “{heading}” lists {len(items)} items: "
                + " ".join(f"{i.mark}{i.lead} [{numbers[i.chunk.chunk_id]}]." for i in items))
    return f"《{meta.title}》“{heading}”共列出{len(items)}项：" + "".join(
        f"{i.mark}{i.lead}[{numbers[i.chunk.chunk_id]}]。" for i in items)
