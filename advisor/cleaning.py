"""Cleaning: repair PDF-extracted Chinese text — rejoin broken lines, drop page furniture, TOCs and orphan captions."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .records import Document, RawDocument

TERMINAL = "。！？；!?;：:"
CONTINUATION = "，、（(“‘《【—-/·"
# Characters that cannot end a Chinese sentence: a block ending in one continues in the next block.
FUNCTION_END = "的于和与及在对将把被从向为是以并而或其之"
_CJK = re.compile(r"[\u3400-\u9fff]")
_PAGE_NO = re.compile(r"^[\s\-—–·•]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6})(\s*页)?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[\s\-—–·•]*$", re.I)
_SOURCE = re.compile(r"^(资料来源|数据来源|来源)\s*[:：]")
_HEADING_MARK = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[．.、]\s*\S|专栏\s*\d|附件|#{1,6}\s)"
)
_TOC_ROW = re.compile(r"^(.+?)\s*\t\s*\d{1,3}$")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def normalize(text: str) -> str:
    """Unify line ends and odd spaces, drop zero-width characters, trim line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[\u00a0\u3000\u2002-\u200a]", " ", text)
    text = re.sub(r"[ ]{2,}", " ", text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


def is_table_block(block: str) -> bool:
    lines = [ln for ln in block.split("\n") if ln.strip()]
    return bool(lines) and sum("\t" in ln for ln in lines) >= max(1, len(lines) // 2 + 1)


def is_source_line(block: str) -> bool:
    return bool(_SOURCE.match(block))


def is_heading_like(line: str) -> bool:
    """Short, unterminated, not a table row, not prose (no sentence punctuation)."""
    s = line.strip()
    if not s or "\t" in s or "\n" in s or len(s) > 30 or s[-1] in TERMINAL + "，、":
        return False
    return not re.search(r"[。；！？]", s)


def _is_prose(block: str) -> bool:
    return not is_table_block(block) and not is_source_line(block) and (
        len(block) > 30 or bool(re.search(r"[，、；。]", block)))


@lru_cache(maxsize=1)
def jieba_module():
    """jieba, loaded once with its dictionary and quiet logging."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the text's word characters (NFKC, punctuation and spaces left out)."""
    s = re.sub(r"\W", "", unicodedata.normalize("NFKC", text))
    return {s[i:i + 2] for i in range(len(s) - 1)}


def word_spans(left: str, right: str) -> bool:
    """True when jieba segments a word across the boundary between ``left`` and ``right``."""
    a, b = left[-4:], right[:4]
    pos = 0
    for token in jieba_module().cut(a + b, HMM=False):
        end = pos + len(token)
        if pos < len(a) < end:
            return True
        pos = end
    return False


def continues(left: str, right: str) -> bool:
    """Does ``right`` continue the sentence that ``left`` leaves open?"""
    if not left or not right or left[-1] in TERMINAL or _HEADING_MARK.match(right) or is_source_line(right):
        return False
    last, first = left[-1], right[0]
    if last in "”’）)" and len(left) > 1 and left[-2] in TERMINAL:
        return False
    if last in CONTINUATION or left.count("“") > left.count("”") or left.count("（") > left.count("）"):
        return True  # an open punctuation mark or quotation is still waiting to be closed
    if _latin_split(left, right):
        return True
    if is_heading_like(right):
        return False
    if last in FUNCTION_END and (is_cjk(first) or first.isdigit()):
        return True
    return is_cjk(last) and is_cjk(first) and word_spans(left, right)


def _latin_split(left: str, right: str) -> bool:
    """An English word split across lines (``Te`` / ``chnologies``)."""
    return left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()


def _join_lines(block: str, full_width: int) -> list[str]:
    """Rejoin the lines of one block; return its paragraphs (table blocks stay whole)."""
    if is_table_block(block):
        return [block]
    out: list[str] = []
    for line in block.split("\n"):
        if not line:
            continue
        if out and not is_heading_like(out[-1]) and (
            continues(out[-1], line)
            or (len(out[-1]) >= full_width and out[-1][-1] not in TERMINAL and is_cjk(out[-1][-1])
                and (is_cjk(line[0]) or line[0].isdigit()) and not _HEADING_MARK.match(line))
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def _toc(blocks: list[str]) -> tuple[int, tuple[str, ...]]:
    """Index of a table-of-contents block (rows ``title<TAB>page``) and its titles, or (-1, ())."""
    for i, block in enumerate(blocks[:40]):
        rows = [r for r in block.split("\n") if r.strip()]
        if len(rows) >= 3 and all(_TOC_ROW.match(r) for r in rows):
            return i, tuple(_TOC_ROW.match(r).group(1).strip() for r in rows)
    return -1, ()


def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Clean one stream of text; returns the text and the TOC titles it contained."""
    raw_blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", normalize(text)) if b.strip()]
    lines = [ln for b in raw_blocks for ln in b.split("\n") if ln and "\t" not in ln]
    lengths = sorted(len(ln) for ln in lines) or [0]
    full_width = max(20, int(0.8 * lengths[int(0.9 * (len(lengths) - 1))]))
    blocks = [p for b in raw_blocks for p in _join_lines(b, full_width)]

    toc_at, outline = _toc(blocks)
    if toc_at >= 0:
        del blocks[toc_at]
        if toc_at > 0 and blocks[toc_at - 1].strip() in ("目录", "目 录", "CONTENTS"):
            del blocks[toc_at - 1]
    blocks = [b for b in blocks if b.strip() not in ("CONTENTS", "目录")]

    # Orphan figure captions: a short line followed directly by a source line, with no table in between.
    kept: list[str] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else ""
        if is_heading_like(block) and is_source_line(nxt) and not (kept and is_table_block(kept[-1])):
            blocks[i + 1] = ""  # drop the caption's source line too
            continue
        if block:
            kept.append(block)
    blocks = kept

    # Rejoin sentences broken across blocks, looking past an interrupting table with its caption and source.
    merged: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if merged and (_is_prose(merged[-1]) or _latin_split(merged[-1], block)) and continues(merged[-1], block):
            merged[-1] += block
            i += 1
            continue
        if _is_prose(block) and block[-1] not in TERMINAL:
            j = i + 1
            while j < len(blocks) and j <= i + 4 and (
                is_table_block(blocks[j]) or is_source_line(blocks[j]) or is_heading_like(blocks[j])
            ):
                j += 1
            if j > i + 1 and j < len(blocks) and any(is_table_block(b) for b in blocks[i + 1:j]) \
                    and continues(block, blocks[j]):
                merged.append(block + blocks[j])
                merged.extend(blocks[i + 1:j])
                i = j + 1
                continue
        merged.append(block)
        i += 1
    return "\n\n".join(merged), outline


def _edges(lines: list[str]) -> list[str]:
    """Where running headers and footers stand: two lines at each end of a full page, one of a short page."""
    return lines[:2] + lines[-2:] if len(lines) >= 5 else lines[:1] + lines[-1:]


def _furniture(pages: list[list[str]]) -> set[str]:
    """Short lines repeated at the top or bottom of many pages (running headers and footers), digits masked."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", ln) for ln in _edges(lines) if ln.strip() and len(ln) <= 40})
    need = max(3, len(pages) // 2)
    return {ln for ln, n in counts.items() if n >= need}


def clean_pages(pages: list[str]) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    """Clean a paged document; returns text, the offset where each page starts, and TOC titles."""
    split = [[ln for ln in normalize(p).split("\n")] for p in pages]
    furniture = _furniture([[ln for ln in lines if ln.strip()] for lines in split])
    text, starts, outline = "", [], ()
    for lines in split:
        body = [ln for ln in lines if not _PAGE_NO.match(ln) or not ln.strip()]
        edges = set(_edges([ln for ln in body if ln.strip()]))
        body = [ln for ln in body if ln not in edges or re.sub(r"\d+", "#", ln) not in furniture]
        cleaned, toc = clean_text("\n".join(body))
        outline = outline or toc
        if text and cleaned and continues(text.rstrip().split("\n")[-1], cleaned.split("\n")[0]):
            text = text.rstrip()  # the sentence runs on across the page break
        elif text and cleaned:
            text += "\n\n"
        starts.append(len(text))
        text += cleaned
    return text, tuple(starts), outline


def clean(raw: RawDocument) -> Document:
    """Clean a raw document into a ``Document`` (page offsets kept for paged formats)."""
    if raw.paged:
        text, starts, outline = clean_pages(list(raw.pages))
        return Document(meta=raw.meta, text=text, page_starts=starts, outline=outline)
    text, outline = clean_text("\n\n".join(raw.pages))
    return Document(meta=raw.meta, text=text, outline=outline)
