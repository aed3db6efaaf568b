"""Chunking: structure first (headings, articles, numbered items, tables), then Chinese sentence ends.

A document becomes a tree of headings. A heading's whole subtree becomes one chunk when it fits; otherwise its
children are packed greedily, and only a paragraph that alone exceeds the limit is cut — at sentence ends, then
at commas. Every chunk carries its heading trail (document title first) and its offsets in the cleaned text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .cleaning import is_heading_like, is_source_line, is_table_block
from .records import SECTION_SEP, Chunk, Document
from .text import FORMULA_LEGEND, sentence_spans, sentences

_NUM = "一二三四五六七八九十百零〇"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("md", re.compile(r"^(#{1,6})\s+\S")),
    ("chapter", re.compile(rf"^第[{_NUM}\d]+章")),
    ("section", re.compile(rf"^第[{_NUM}\d]+节")),
    ("article", re.compile(rf"^第[{_NUM}\d]+条")),
    ("cn", re.compile(r"^[一二三四五六七八九十]+、")),
    ("paren_cn", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("dotted3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}(?![\d.])\s*(?![万亿%％倍吨个年])\S")),
    ("dotted2", re.compile(r"^\d{1,2}\.\d{1,2}(?![\d.])\s*(?![万亿%％倍吨个年])\S")),
    ("arabic", re.compile(r"^\d{1,2}[．.、](?!\d)\s*\S")),
    ("paren_arabic", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("box", re.compile(r"^专栏\s*\d+")),
    ("bullet", re.compile(r"^[•●▪◆■]\s*\S")),
]
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?$")


@dataclass
class Block:
    start: int
    end: int
    text: str
    kind: str = "text"  # text | heading | table
    htype: str = ""  # heading pattern type
    label: str = ""  # heading label for the trail
    has_body: bool = False  # numbered item whose first line also carries text


@dataclass
class Node:
    label: str
    htype: str
    head: Block | None = None
    items: list[Block | Node] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        out = [self.head] if self.head else []
        for item in self.items:
            out.extend(item.blocks() if isinstance(item, Node) else [item])
        return out


def _compact(s: str) -> str:
    return re.sub(r"[\s《》“”\"]", "", s)


def _label(text: str, htype: str = "") -> tuple[str, bool]:
    first = text.split("\n", 1)[0]
    if htype == "article":  # 第五条 （核查机构基本条件） / 第一条为了……: the label is the article and its title
        m = re.match(rf"^(第[{_NUM}\d]+条)\s*([（(][^）)]{{1,20}}[）)])?", first)
        if m:
            return re.sub(r"\s+", " ", m.group(0)).strip(), bool(first[m.end():].strip() or "\n" in text)
    m = re.search(r"[。：:]", first)
    head = first[: m.start()] if m else first
    if len(head) > 40:
        head = head[:24] + "…"
    body = text[len(head):].strip("。：: \n")
    return head.strip(), bool(body)


_NOT_A_HEADING = re.compile(
    r"[，、；：:的和与及或（(“‘《—-]$|^[，。、；：）)”’》]|^(图|表|Figure|Table)\s*\d|印发时间|浏览次数|发布时间|发布日期|"
    r"^来源[:：]|字号|打印本页|关闭窗口|^(配合|责任|牵头)单位|^联系人|^联系电话|^(附件|附表)\s*[:：]")


# Parts of a document that are headings however short (附件1, 目 录, 结语); anything else a generic heading needs four
# Chinese characters, as a short line of a PDF is far more often a table cell or a line break inside one (率, 一级指).
_PART_NAMES = re.compile(r"^(附件|附录|附表|目录|结语|前言|引言|说明|摘要|后记|致谢|编制说明|[A-Z](\.\d+)+\s)")


def names_part(line: str) -> bool:
    """Does the line name a part of the document (附件 1, 目 录 — letter-spaced or not, A.2.7 加分项)?"""
    return bool(_PART_NAMES.match(re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", line.strip())))


_ANNEX = re.compile(r"^(附件|附录|附表)[\dA-Z一二三四五六七八九十\-]*$")


def is_cell_or_formula(line: str) -> bool:
    """A short line of a PDF that is a table cell, a formula or a footnote, not a heading: it holds a value sign
    (% ≤ ≥ = ×), opens with a footnote mark ([1]) or a formula symbol's legend (ED——…), has three or more
    space-separated cells, or has fewer than four Chinese characters and names no part of the document."""
    s = line.strip()
    if re.search(r"[%％≤≥=×\x00]", s) or re.match(r"^\[\d+\]", s):
        return True
    if FORMULA_LEGEND.match(s):
        return True
    # three or more space-separated pieces: the cells of a table row (指标名称 单位 参考值)
    return not names_part(s) and (len(re.findall(r"[\u4e00-\u9fff]", s)) < 4 or len(s.split()) >= 3)


def is_fragment(line: str) -> bool:
    """A short line that is not a heading: a sentence fragment, a figure or table caption, web-page metadata, a
    list of departments, or a line with unbalanced brackets."""
    s = line.strip()
    unbalanced = s.count("（") + s.count("(") != s.count("）") + s.count(")") or s.count("“") != s.count("”")
    return bool(_NOT_A_HEADING.search(s)) or unbalanced


def classify(block: Block, doc: Document) -> Block:
    """Mark a block as heading (with its pattern type and label), table, or text."""
    text = block.text
    if is_table_block(text):
        block.kind = "table"
        return block
    if _compact(text) in {_compact(t) for t in doc.outline}:
        block.kind, block.htype, block.label = "heading", "toc", text.strip()
        return block
    if _compact(text) == _compact(doc.meta.title):
        block.kind, block.htype, block.label = "heading", "title", ""
        return block
    for htype, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            if htype == "md":
                htype = f"md{len(m.group(1))}"
            label, has_body = _label(text, htype)
            block.kind, block.htype, block.label, block.has_body = "heading", htype, label, has_body
            return block
    if is_heading_like(text) and not _DATE_LINE.match(text) and not is_source_line(text) \
            and not re.fullmatch(r"[（(].*[）)]", text.strip()) and not is_fragment(text) and not is_cell_or_formula(text):
        block.kind, block.htype, block.label = "heading", "generic", text.strip()
        if _BOUND_TITLE.match(_compact(text)):  # the title of a standard or guide, on a line of its own
            own = _compact(doc.meta.title).startswith(_compact(text))  # the document's own, without its edition
            block.htype, block.label = ("title", "") if own else ("part", text.strip())
    return block


# A standard's or guide's title on a line of its own: the document's own title again (without its edition, 浙江省绿色
# 低碳工业园区建设评价导则), or another document bound into the same file (浙江省绿色低碳工厂建设评价导则, p. 21 of the
# park guide's PDF), whose headings then belong to it — not to the park guide, as trial S found them cited.
_BOUND_TITLE = re.compile(r"^[\u4e00-\u9fff（）()0-9]{6,40}(导则|指南|细则|规范)(（[^）]{1,12}）)?$")


def split_blocks(doc: Document) -> list[Block]:
    """The cleaned text's blocks (separated by blank lines) with their offsets, classified."""
    blocks, pos = [], 0
    for part in doc.text.split("\n\n"):
        start = pos
        pos += len(part) + 2
        if part.strip():
            blocks.append(classify(Block(start, start + len(part), part), doc))
    _captions(blocks)
    # A heading directly before a table is its caption; a source line after a table belongs to it.
    merged: list[Block] = []
    for b in blocks:
        if b.kind == "table" and merged and merged[-1].kind == "heading" and not merged[-1].has_body \
                and merged[-1].htype in ("generic", "caption"):
            cap = merged.pop()
            b = Block(cap.start, b.end, doc.text[cap.start:b.end], "table")
        elif b.kind == "text" and is_source_line(b.text) and merged and merged[-1].kind == "table":
            prev = merged.pop()
            b = Block(prev.start, b.end, doc.text[prev.start:b.end], "table")
        merged.append(b)
    return merged


_CAPTION = re.compile(r"^(续)?表\s*\d+(\.\d+)?\s*[^\d\s.。，]")


def _captions(blocks: list[Block]) -> None:
    """A table caption (表2 …) heads the table below it, so its rows carry it in their trail. Up to the next
    numbered heading or document part, short lines are the table's cells (a PDF table whose cells were not
    recovered as a grid), not headings: a generic heading there would close the document's structure."""
    in_table = False
    for b in blocks:
        text = b.text.strip()
        if _CAPTION.match(text) and "\n" not in text and len(text) <= 60 and not re.search(r"[。；]", text):
            b.kind, b.htype, b.label, b.has_body = "heading", "caption", text, False
            in_table = True
        elif b.kind == "heading" and (b.htype != "generic" or names_part(text)):
            in_table = False
        elif in_table and b.kind == "heading":
            b.kind, b.htype, b.label = "text", "", ""


def build_tree(blocks: list[Block]) -> Node:
    """Nest blocks under headings. A heading type already open on the stack closes it (and everything below)."""
    root = Node("", "root")
    stack = [root]
    for b in blocks:
        if b.kind != "heading":
            stack[-1].items.append(b)
            continue
        if b.htype in ("title", "part"):
            del stack[1:]  # the document's title again, or another document bound into its file
        elif b.htype == "toc" or (b.htype == "generic" and _ANNEX.match(_compact(b.text))):
            # an annex (附件1, 附录A) starts a part of its own, outside the main text's numbering — inside a bound
            # document, when one is open
            del stack[2 if len(stack) > 1 and stack[1].htype == "part" else 1:]
        else:
            if stack[-1].htype in ("bullet", "caption") and b.htype != stack[-1].htype:
                stack.pop()  # bullets and table captions are leaves: any other heading closes them
            types = [n.htype for n in stack]
            if b.htype in types:
                del stack[types.index(b.htype):]
        node = Node(b.label, b.htype, head=b)
        stack[-1].items.append(node)
        stack.append(node)
    return root


class Chunker:
    """Turns a cleaned ``Document`` into ``Chunk`` records no longer than ``max_chars``."""

    def __init__(self, max_chars: int = 480) -> None:
        self.max_chars = max_chars

    # -- sizes and spans -------------------------------------------------------------------------------
    @staticmethod
    def _span(blocks: list[Block]) -> tuple[int, int]:
        return blocks[0].start, blocks[-1].end

    def _size(self, blocks: list[Block]) -> int:
        return blocks[-1].end - blocks[0].start if blocks else 0

    @staticmethod
    def _content(node: Node) -> list[Block]:
        """A node's blocks, without its own heading when that heading is only a title (it lives in the trail)."""
        blocks = node.blocks()
        if node.head is not None and not node.head.has_body and len(blocks) > 1:
            blocks = blocks[1:]
        return blocks

    # -- packing ----------------------------------------------------------------------------------------
    def chunk(self, doc: Document) -> list[Chunk]:
        tree = build_tree(split_blocks(doc))
        pieces: list[tuple[tuple[str, ...], int, int, str, str]] = []  # trail, start, end, text, kind
        self._pack(tree, (doc.meta.title,), doc, pieces)
        return self._records(doc, pieces)

    def _pack(self, node: Node, trail: tuple[str, ...], doc: Document, out: list) -> None:
        if node.label:
            trail = trail + (node.label,)
        content = self._content(node)
        if not content:
            return
        if self._size(content) <= self.max_chars and not any(b.kind == "table" for b in content[1:]):
            start, end = self._span(content)
            out.append((trail, start, end, doc.text[start:end], "table" if content[0].kind == "table" else "text"))
            return
        items: list[Block | Node] = list(node.items)
        if node.head is not None and (node.head.has_body or not items):
            items.insert(0, node.head)
        buffer: list[Block | Node] = []

        def flush() -> None:
            if len(buffer) == 1 and isinstance(buffer[0], Node):
                self._pack(buffer[0], trail, doc, out)  # one whole subsection: its own trail, heading in it
            elif buffer:
                blocks = [b for item in buffer for b in (item.blocks() if isinstance(item, Node) else [item])]
                start, end = self._span(blocks)
                out.append((trail, start, end, doc.text[start:end], "text"))
            buffer.clear()

        def size(items: list[Block | Node]) -> int:
            return self._size([b for item in items for b in (item.blocks() if isinstance(item, Node) else [item])])

        for item in items:
            blocks = item.blocks() if isinstance(item, Node) else [item]
            if any(b.kind == "table" for b in blocks) or self._size(blocks) > self.max_chars:
                flush()
                if isinstance(item, Node):
                    self._pack(item, trail, doc, out)
                elif item.kind == "table":
                    self._table(item, trail, doc, out)
                else:
                    self._split_long(item, trail, out)
                continue
            if buffer and size(buffer + [item]) > self.max_chars:
                flush()
            buffer.append(item)
        flush()

    def _split_long(self, block: Block, trail: tuple[str, ...], out: list) -> None:
        """Cut one oversized paragraph at sentence ends; a sentence longer than the limit at commas, then hard."""
        units: list[tuple[int, int]] = []
        for a, b in sentence_spans(block.text, lines_end_sentences=False):
            s, e = block.start + a, block.start + b
            if e - s <= self.max_chars:
                units.append((s, e))
                continue
            pos = s
            for part in re.finditer(r"[^，,、]*[，,、]+|[^，,、]+$", block.text[a:b]):
                ps, pe = s + part.start(), s + part.end()
                while pe - ps > self.max_chars:
                    units.append((ps, ps + self.max_chars))
                    ps += self.max_chars
                units.append((ps, pe))
                pos = pe
            assert pos == e
        start = end = units[0][0]
        for s, e in units:
            if e - start > self.max_chars and end > start:
                out.append((trail, start, end, _slice(block, start, end), "text"))
                start = s
            end = e
        out.append((trail, start, end, _slice(block, start, end), "text"))

    def _table(self, block: Block, trail: tuple[str, ...], doc: Document, out: list) -> None:
        """Split a table by rows; every part repeats the caption and the header row."""
        lines = block.text.split("\n\n")
        caption = lines[0] if lines and "\t" not in lines[0] else ""
        rows_text = block.text[len(caption) + 2:] if caption else block.text
        base = block.start + (len(caption) + 2 if caption else 0)
        rows, pos = [], base
        for row in rows_text.split("\n"):
            rows.append((pos, pos + len(row)))
            pos += len(row) + 1
        header = doc.text[rows[0][0]:rows[0][1]]
        prefix = (caption + "\n" if caption else "") + header + "\n"
        if len(prefix) + self.max_chars // 4 > self.max_chars:
            prefix = prefix[-(self.max_chars // 4):]
        first = True
        start = end = rows[1][0] if len(rows) > 1 else rows[0][0]
        for s, e in rows[1:] if len(rows) > 1 else rows:
            room = self.max_chars - (0 if first else len(prefix))
            while e - s > room:  # a single row longer than the limit: cut it
                if end > start:
                    out.append(self._table_piece(trail, doc, block.start if first else start, end, prefix, first))
                    first = False
                    room = self.max_chars - len(prefix)
                out.append(self._table_piece(trail, doc, s, s + room, prefix, False))
                s += room
                start = end = s
            if end > start and (e - (block.start if first else start)) > room:
                out.append(self._table_piece(trail, doc, block.start if first else start, end, prefix, first))
                first = False
                start = s
            end = e
        if end > start:
            out.append(self._table_piece(trail, doc, block.start if first else start, end, prefix, first))

    @staticmethod
    def _table_piece(trail, doc: Document, start: int, end: int, prefix: str, first: bool):
        body = doc.text[start:end]
        return trail, start, end, body if first else prefix + body, "table"

    def _records(self, doc: Document, pieces: list) -> list[Chunk]:
        chunks: list[Chunk] = []
        seen: dict[str, int] = {}
        for ord_, (trail, start, end, text, kind) in enumerate(pieces):
            section = SECTION_SEP.join(t for t in trail if t)
            digest = hashlib.sha1(f"{doc.meta.doc_id}\x1f{section}\x1f{text}".encode()).hexdigest()[:20]
            n = seen.get(digest, 0)
            seen[digest] = n + 1
            chunk_id = f"{digest}-{n}" if n else digest
            chunks.append(Chunk(chunk_id=chunk_id, doc_id=doc.meta.doc_id, ord=ord_, section=section, text=text,
                                start=start, end=end, page=doc.page_at(start), kind=kind))
        return chunks


def _slice(block: Block, start: int, end: int) -> str:
    return block.text[start - block.start:end - block.start]


SENTENCE_MIN_CHARS = 8  # shorter pieces (a list number, 附件1) say nothing on their own
SENTENCE_MAX_CHARS = 300  # well inside the embedder's window


def chunk_sentences(chunk: Chunk) -> list[str]:
    """What a chunk's sentence vectors are made of: its sentences, or its whole text when it has none long enough.
    Search lifts a passage by its closest sentence, so a passage that states the answer in one sentence among
    others is not diluted by them."""
    units = [s[:SENTENCE_MAX_CHARS] for s in sentences(chunk.text, min_chars=SENTENCE_MIN_CHARS)]
    return units or [chunk.text[:SENTENCE_MAX_CHARS]]
