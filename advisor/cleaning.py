"""Cleaning: repair PDF-extracted Chinese text — rejoin broken lines, drop page furniture, TOCs and orphan captions."""

from __future__ import annotations

import re
from collections import Counter

from .records import Document, RawDocument
from .text import is_cjk
from .tokenization import jieba_module

TERMINAL = "。！？；!?;：:"
CONTINUATION = "，、（(“‘《【—-/·"
# Characters that cannot end a Chinese sentence: a block ending in one continues in the next block.
FUNCTION_END = "的于和与及在对将把被从向为是以并而或其之"
_PAGE_NO = re.compile(r"^[\s\-—–·•]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6})(\s*页)?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[\s\-—–·•]*$", re.I)
_SOURCE = re.compile(r"^(资料来源|数据来源|来源)\s*[:：]")
_HEADING_MARK = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[．.、]\s*\S|专栏\s*\d|附件|#{1,6}\s)"
)  # an item's number has at most three digits: "50378、GB/T 50878" continues "按照 GB/T"
_TOC_ROW = re.compile(r"^(.+?)\s*\t\s*\d{1,3}$")
_LEADER = re.compile(r"^(.{1,60}?)\s*(?:\.{4,}|…{2,}|·{4,}|-{6,}|_{6,}|\.\s\.\s\.)[\s.…·]*[-—]?\s*\d{0,4}\s*[-—]?$")
RUN_ON_CHARS = 20  # a line this long without an end mark is prose that runs on, not a heading
_LEADER_ENTRY = re.compile(r"([^·.…]{0,40}?)\s*(?:\.{4,}|…{2,}|·{4,})[\s.…·]*\d{1,4}")
VERTICAL_RUN = 3  # this many one-character lines in a row are one line written vertically


# Adobe Symbol encoding for the private-use code points (U+F020–U+F0FF) that PDFs with a Symbol font emit.
_SYMBOL = dict(zip(
    range(0xF041, 0xF05B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")) | dict(zip(
    range(0xF061, 0xF07B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ")) | {
    0xF020: " ", 0xF028: "(", 0xF029: ")", 0xF02B: "+", 0xF02C: ",", 0xF02D: "−", 0xF02E: ".", 0xF02F: "/",
    0xF03D: "=", 0xF03C: "<", 0xF03E: ">", 0xF05B: "[", 0xF05D: "]", 0xF07B: "{", 0xF07D: "}", 0xF07C: "|",
    0xF0A3: "≤", 0xF0A5: "∞", 0xF0B0: "°", 0xF0B1: "±", 0xF0B3: "≥", 0xF0B4: "×", 0xF0B5: "∝", 0xF0B6: "∂",
    0xF0B7: "•", 0xF0B8: "÷", 0xF0B9: "≠", 0xF0BA: "≡", 0xF0BB: "≈", 0xF0BC: "…", 0xF0D6: "√", 0xF0D7: "·",
    0xF0E5: "∑", 0xF0F2: "∫", 0xF0AE: "→", 0xF0AC: "←", 0xF0CE: "∈", 0xF0C6: "∅", 0xF0D1: "∇",
} | {cp: str(cp - 0xF030) for cp in range(0xF030, 0xF03A)}
_PUA = re.compile(r"[\ue000-\uf8ff\U000f0000-\U0010fffd]")
_PUA_RUN = re.compile(r"([\ue000-\uf8ff\U000f0000-\U0010fffd])\1{3,}")
_SPACED_CJK = re.compile(r"(?:[\u3400-\u9fff，。、；：“”（）《》] ){3,}[\u3400-\u9fff，。、；：“”（）《》]")
_ASCII_PUNCT = re.compile(r"(?<=[\u3400-\u9fff”）])\s?([,.;:?!])(?=\s|$|[\u3400-\u9fff“（])", re.M)
_FULL_PUNCT = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}
_TITLE_END = re.compile(r"^[\u3400-\u9fff》”）]{0,8}(通知|意见|方案|办法|规划|指南|公告|决定|细则|规定|纲要|计划|导则|目录|报告)$")


def restore_symbols(text: str) -> str:
    """Private-use characters from Symbol or Wingdings fonts: a leading one is a bullet (Wingdings), one inside a
    formula is read by the Adobe Symbol encoding; others stay (and are reported by ``quality``)."""
    if not _PUA.search(text):
        return text
    out = re.sub(r"(?m)^([ \t]*)[\ue000-\uf8ff]\s*", r"\1• ", text)
    out = _PUA_RUN.sub("……", out)  # a row of unknown glyphs is a dot leader
    return _PUA.sub(lambda m: _SYMBOL.get(ord(m.group(0)), m.group(0)), out)


def normalize(text: str) -> str:
    """Unify line ends and odd spaces, drop zero-width and control characters, trim line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)  # control characters: glyphs a PDF font left unmapped
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[\u00a0\u3000\u2002-\u200a]", " ", text)
    text = re.sub(r"[ ]{2,}", " ", text)
    # "为 深 入 贯 彻": a run of Chinese characters each followed by one space is letter-spaced layout, not text
    text = _SPACED_CJK.sub(lambda m: m.group(0).replace(" ", ""), text)
    # ASCII punctuation after a Chinese character is Chinese punctuation typed half-width ("落实.", "同意,")
    text = _ASCII_PUNCT.sub(lambda m: _FULL_PUNCT[m.group(1)], text)
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


def runs_on(left: str, right: str) -> bool:
    """A long line of prose that stops without an end mark, followed by text that is neither a heading nor a table
    row: one sentence broken across blocks or pages."""
    tail = left.rstrip().split("\n")[-1]
    if len(tail) < RUN_ON_CHARS or not right or tail[-1] in TERMINAL or "\t" in tail or "\t" in right.split("\n")[0] \
            or is_row_line(tail):
        return False
    if not (is_cjk(tail[-1]) or tail[-1].isdigit() or tail[-1] in CONTINUATION + ",“”’《》«»%％"):
        return False
    if tail[-1] in "”’》»" and len(tail) > 1 and tail[-2] in TERMINAL:
        return False
    first = right.split("\n")[0]
    return (is_cjk(first[0]) or first[0].isdigit()) and not _HEADING_MARK.match(first) and not is_source_line(first) \
        and not (len(first) <= 12 and is_heading_like(first))


# A table row as PDF extraction gives it: cells apart by spaces, at least one a value ("率 % 较 2020 年下降 40%以上
# 核心指标", "22 城市建成区绿化覆盖率 % ≥43.1"), no clause punctuation. A row ends its line: the next row is no
# continuation of it, however it starts.
_CELL_GAP = re.compile(r"(?<=[\u4e00-\u9fff%％≥≤])[ \u3000]+(?=[\u4e00-\u9fff%％≥≤])")


def is_row_line(line: str) -> bool:
    """Does the line read as a table row of space-separated cells?"""
    line = line.strip()
    gaps = len(_CELL_GAP.findall(line))
    return 2 <= gaps <= len(line) / 4 and not re.search(r"[，。；、,;]", line) \
        and bool(re.search(r"\d|[%％≥≤]", line))


def _latin_split(left: str, right: str) -> bool:
    """An English word split across lines (``Te`` / ``chnologies``), or a standard's code from its number
    (``GB/T`` / ``50378``)."""
    return (left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()
            or bool(re.search(r"\b[A-Z]{1,4}(?:/[A-Z])?$", left)) and right[:1].isdigit())


def _join_lines(block: str, full_width: int) -> list[str]:
    """Rejoin the lines of one block; return its paragraphs (table blocks stay whole)."""
    if is_table_block(block):
        return [block]
    out: list[str] = []
    for line in block.split("\n"):
        if not line:
            continue
        # A line as wide as the page that ends without an end mark was wrapped, even if it looks like a heading.
        wrapped = (len(out[-1]) >= full_width and out[-1][-1] not in TERMINAL and is_cjk(out[-1][-1])
                   and (is_cjk(line[0]) or line[0].isdigit()) and not _HEADING_MARK.match(line)) if out else False
        title_tail = bool(out) and bool(_TITLE_END.match(line)) and out[-1][-1] not in TERMINAL and len(out[-1]) >= 8
        after_row = bool(out) and is_row_line(out[-1])  # a row ends its line
        # a row's first cell wrapped onto lines of its own ("既有园区单位产值或单位" / "工业增加值碳排放量下降 % 较…")
        cell = bool(out) and not after_row and is_row_line(line) and len(out[-1]) <= RUN_ON_CHARS \
            and is_cjk(out[-1][-1]) and is_cjk(line[0]) and not _HEADING_MARK.match(out[-1])
        if out and not after_row and (cell or
                wrapped or title_tail or (not is_heading_like(out[-1]) and continues(out[-1], line))):
            out[-1] += line
        else:
            out.append(line)
    return out


def _toc(blocks: list[str]) -> tuple[int, tuple[str, ...]]:
    """Index of a table-of-contents block (rows ``title<TAB>page``) and its titles, or (-1, ())."""
    for i, block in enumerate(blocks[:40]):
        rows = [r for r in block.split("\n") if r.strip()]
        if len(rows) >= 3 and all(_TOC_ROW.match(r) for r in rows):
            return i, tuple(m.group(1).strip() for r in rows if (m := _TOC_ROW.match(r)))
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
        if merged and ((_is_prose(merged[-1]) or _latin_split(merged[-1], block)) and continues(merged[-1], block)
                       or runs_on(merged[-1], block)):
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


def reflow_vertical(lines: list[str]) -> list[str]:
    """Join runs of one-character lines (text converted from OFD, or vertical table headers) back into lines, so a
    number split digit by digit stays a number."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= VERTICAL_RUN:
            out.append("".join(run))
        else:
            out.extend(run)
        run.clear()

    for ln in lines:
        s = ln.strip()
        if len(s) == 1:
            run.append(s)
        elif not s and run:
            continue  # blank lines between the single characters
        else:
            flush()
            out.append(ln)
    flush()
    return out


def drop_page_numbers(lines: list[str]) -> list[str]:
    """A number alone on a line is a page number only at the top or bottom of the page (two lines each way)."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    edge = set(filled[:2] + filled[-2:])
    return [ln for i, ln in enumerate(lines) if not (i in edge and _PAGE_NO.match(ln))]


def drop_toc_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Table-of-contents rows with dot leaders (``附录 H………69``, several on one line too): removed, their
    titles returned."""
    kept, titles = [], []
    for ln in lines:
        s = ln.strip()
        m = _LEADER.match(s)
        entries = _LEADER_ENTRY.findall(s)
        if len(entries) >= 2 and len(_LEADER_ENTRY.sub("", s).strip()) <= 4:
            titles += [e.strip() for e in entries if e.strip()]
        elif m:
            titles.append(m.group(1).strip())
        else:
            kept.append(ln)
    return kept, titles


def single_spaced(lines: list[str]) -> list[str]:
    """A page whose extraction puts a blank line after every line: the blank lines say nothing, drop them (the
    full-width rule then rejoins wrapped lines)."""
    blocks = [b for b in "\n".join(lines).split("\n\n") if b.strip()]
    singles = sum(1 for b in blocks if "\n" not in b.strip())
    if len(blocks) >= 8 and singles >= 0.8 * len(blocks):
        return [ln for ln in lines if ln.strip()]
    return lines


def _digits(lines: list[str]) -> int:
    return sum(ch.isdigit() for ln in lines for ch in ln)


def clean_pages(pages: list[str]) -> tuple[str, tuple[int, ...], tuple[str, ...], int]:
    """Clean a paged document; returns text, the offset where each page starts, TOC titles, and the digits that
    were page furniture (page numbers, running headers and footers, TOC rows)."""
    split = [single_spaced(reflow_vertical(normalize(restore_symbols(p)).split("\n"))) for p in pages]
    furniture = _furniture([[ln for ln in lines if ln.strip()] for lines in split])
    text, starts = "", []
    outline: tuple[str, ...] = ()
    toc_titles: list[str] = []
    furniture_digits = 0
    for lines in split:
        body, titles = drop_toc_lines(drop_page_numbers(lines))
        toc_titles += titles
        edges = set(_edges([ln for ln in body if ln.strip()]))
        body = [ln for ln in body if ln not in edges or re.sub(r"\d+", "#", ln) not in furniture]
        furniture_digits += _digits(lines) - _digits(body)
        cleaned, toc = clean_text("\n".join(body))
        outline = outline or toc
        last, first = text.rstrip().split("\n")[-1], cleaned.split("\n")[0]
        if text and cleaned and (continues(last, first) or runs_on(last, first)):
            text = text.rstrip()  # the sentence runs on across the page break
        elif text and cleaned:
            text += "\n\n"
        starts.append(len(text))
        text += cleaned
    return text, tuple(starts), outline or tuple(toc_titles), furniture_digits


def clean(raw: RawDocument) -> Document:
    """Clean a raw document into a ``Document`` (page offsets kept for paged formats)."""
    if raw.paged:
        text, starts, outline, furniture = clean_pages(list(raw.pages))
        return Document(meta=raw.meta, text=text, page_starts=starts, outline=outline, furniture_digits=furniture)
    text, outline = clean_text("\n\n".join(raw.pages))
    # a table of contents was set aside as the outline: its page numbers are the only digits dropped
    furniture = max(0, _digits(list(raw.pages)) - _digits([text])) if outline else 0
    return Document(meta=raw.meta, text=text, outline=outline, furniture_digits=furniture)


def broken_lines(text: str) -> int:
    """Line breaks left inside a sentence: a full line of prose (≥ 20 characters, no end mark) runs on in the
    next line (a heading, a list item or a table row is not counted)."""
    count = 0
    for block in text.split("\n\n"):
        if is_table_block(block):
            continue
        lines = block.split("\n")
        for left, right in zip(lines, lines[1:]):
            if len(left) >= 20 and left[-1] not in TERMINAL + "）)" and right and (is_cjk(right[0]) or right[0].isdigit()) \
                    and not _HEADING_MARK.match(right):
                count += 1
    return count


def quality(raw: RawDocument, doc: Document) -> list[str]:
    """What looks wrong with one document's text, one short bilingual line each (printed by every ingest)."""
    notes = []
    raw_digits = sum(ch.isdigit() for page in raw.pages for ch in page) - doc.furniture_digits
    kept = sum(ch.isdigit() for ch in doc.text)
    if raw_digits >= 20 and kept < 0.99 * raw_digits:
        notes.append(f"数字丢失 {raw_digits - kept}/{raw_digits} / digits lost")
    pua = len(_PUA.findall(doc.text))
    if pua:
        notes.append(f"{pua} 个私用区字符（符号字体）/ private-use characters (symbol font)")
    paragraphs = max(1, doc.text.count("\n\n") + 1)
    broken = broken_lines(doc.text)
    if broken >= 3 and broken > 0.05 * paragraphs:
        notes.append(f"{broken} 处句中断行 / line breaks inside sentences")
    return notes
