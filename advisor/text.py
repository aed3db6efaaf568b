"""Text handling shared by every stage: scripts, sentence boundaries, character bigrams, script conversion.

One rule for where a Chinese sentence ends lives here; chunking, extraction, citation checks and highlighting all
use it. Word segmentation and stop words are in ``tokenization``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from functools import lru_cache

from .records import SECTION_SEP

CJK_RANGE = "\u3400-\u9fff"
_CJK = re.compile(f"[{CJK_RANGE}]")
_LATIN = re.compile(r"[A-Za-z]")
SENTENCE_END = "。！？；!?;"
CLOSERS = "”’」』）)】"
# A sentence: text up to and including its end marks and any closing quotes or brackets; a tail without an end
# mark is a sentence too. Line breaks end a sentence (table rows, list lines).
# A bracketed note right after the end mark, labelled with a colon ("…倾斜。（责任单位：省商务厅）"), is the sentence's own: the
# policies name the bodies responsible for an item so; a numbered heading after it ("（五）") has no colon.
NOTE = r"(?:[ \t]*[（(][^（）()\n：:]{1,12}[：:][^（）()\n]{1,80}[）)])?"
_SENTENCE = re.compile(rf"[^{SENTENCE_END}\n]+[{SENTENCE_END}]*[{CLOSERS}]*{NOTE}")
# Within one paragraph (chunking cuts an oversized one): line breaks do not end a sentence.
_PARAGRAPH_SENTENCE = re.compile(rf"[^{SENTENCE_END}]*[{SENTENCE_END}]+[{CLOSERS}]*{NOTE}|[^{SENTENCE_END}]+$")
_CLOSED = re.compile(rf"[{SENTENCE_END}：:][{CLOSERS}]*{NOTE}$")
_TRAILING_END = re.compile(rf"[{SENTENCE_END}.]+[{CLOSERS}]*$")


# The legend of an indicator's formula: a symbol, then a long dash (ED——设计建筑的…, EGbi ——第i项…).
FORMULA_LEGEND = re.compile(r"^\s*[A-Za-z\u0370-\u03ff][\w\u0370-\u03ff]{0,8}\s*——")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def cjk_share(text: str) -> float:
    """Share of CJK characters among the letters (CJK + Latin) of the text; 0 when it has none."""
    cjk, latin = cjk_count(text), len(_LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def is_english(text: str) -> bool:
    """Mostly Latin letters: an English question (a Chinese one with an abbreviation such as CCER is not)."""
    return len(_LATIN.findall(text)) > 2 * cjk_count(text)


def sentence_spans(text: str, *, lines_end_sentences: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text, end marks and closing quotes included; with
    ``lines_end_sentences=False`` a line break inside a paragraph does not end a sentence."""
    pattern = _SENTENCE if lines_end_sentences else _PARAGRAPH_SENTENCE
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def sentences(text: str, min_chars: int = 1) -> list[str]:
    """The sentences of a text, stripped; shorter ones than ``min_chars`` are left out."""
    out = []
    for start, end in sentence_spans(text):
        s = text[start:end].strip()
        if len(s) >= min_chars:
            out.append(s)
    return out


def is_closed(text: str) -> bool:
    """Does the text end with a sentence end mark or a colon (closing quotes allowed after it)?"""
    return bool(_CLOSED.search(text.rstrip()))


def trailing_end(text: str) -> re.Match[str] | None:
    """The end marks (and closing quotes) at the end of a sentence, if any."""
    return _TRAILING_END.search(text)


def without_end(text: str) -> str:
    """The sentence without its end marks and closing quotes."""
    m = _TRAILING_END.search(text)
    return text[: m.start()] if m else text


def squeezed(text: str) -> str:
    """The text without whitespace: a PDF's line breaks, and the spaces or tabs between table cells, do not count."""
    return re.sub(r"\s+", "", text)


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the text's word characters (NFKC, punctuation and spaces left out)."""
    s = re.sub(r"\W", "", unicodedata.normalize("NFKC", text))
    return {s[i:i + 2] for i in range(len(s) - 1)}


def bigram_overlap(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    """Share of the smaller bigram set found in the other (1.0: one text contains the other)."""
    return len(a & b) / max(1, min(len(a), len(b)))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters converted to Simplified (OpenCC t2s) so both scripts match the same words."""
    return _t2s().convert(text) if text else text


def last_heading(section: str) -> str:
    """The innermost heading of a section trail (``doc › chapter › item`` → ``item``)."""
    return section.split(SECTION_SEP)[-1]


def trail(section: str) -> list[str]:
    return section.split(SECTION_SEP)
