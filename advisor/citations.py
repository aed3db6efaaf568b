"""Citations: split an answer into sentences, parse ``[n]`` markers, drop markers to passages never supplied,
flag sentences without support, and renumber what remains in order of first use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import CLOSERS, NOTE, SENTENCE_END, sentence_spans, trailing_end, without_end

MARK = re.compile(r"\[(\d{1,3})\]")
# An answer sentence ends as a text sentence does (text.SENTENCE_END, closing quotes, a labelled note), or at ". ", or at a colon
# that carries its own citation ("……名录：[1]"); the citation markers after it belong to it.
_SENT = re.compile(rf".+?(?:[{SENTENCE_END}]+[{CLOSERS}]*{NOTE}|\.(?=\s|$|\[)|[：:](?=\s*\[\d))(?:\s*\[\d{{1,3}}\])*|.+$",
                   re.S)
NOT_FOUND_ZH = "资料中未找到相关内容"
NOT_FOUND_EN = "Not found in the sources"


@dataclass
class Sentence:
    text: str  # without markers
    cites: list[int] = field(default_factory=list)


@dataclass
class Checked:
    """A validated answer: text with renumbered markers, and what was removed or unsupported."""

    text: str
    sentences: list[Sentence]
    used: list[int]  # original passage numbers, in new numbering order (used[0] is the new [1])
    removed: list[int]
    unsupported: list[str]

    def support(self) -> dict[int, list[int]]:
        """New citation number → indices of the sentences it supports."""
        out: dict[int, list[int]] = {}
        for i, s in enumerate(self.sentences):
            for n in s.cites:
                out.setdefault(n, []).append(i)
        return out


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing markers; handles ``…。[1]`` and ``…[1]。``."""
    out: list[str] = []
    for para in re.split(r"\n+", text.strip()):
        for m in _SENT.finditer(para.strip()):
            s = m.group(0).strip()
            if s:
                if out and MARK.fullmatch(re.sub(r"\s", "", s) or "x"):
                    out[-1] += s  # markers that trail after the sentence end belong to it
                else:
                    out.append(s)
    return out


def is_not_found(text: str) -> bool:
    return NOT_FOUND_ZH in text or NOT_FOUND_EN.lower() in text.lower()


def check(answer: str, n_passages: int) -> Checked:
    """Validate markers against the ``n_passages`` supplied; renumber the used ones 1..m."""
    removed: list[int] = []
    order: list[int] = []
    sentences: list[Sentence] = []
    unsupported: list[str] = []
    for raw in split_sentences(answer):
        cites = []
        for m in MARK.finditer(raw):
            n = int(m.group(1))
            if 1 <= n <= n_passages:
                if n not in cites:
                    cites.append(n)
                if n not in order:
                    order.append(n)
            elif n not in removed:
                removed.append(n)
        plain = MARK.sub("", raw).strip()
        if not plain:
            continue
        if not cites and not is_not_found(plain) and len(plain) > 4:
            unsupported.append(plain)
        sentences.append(Sentence(plain, cites))
    renum = {old: new for new, old in enumerate(order, start=1)}
    for s in sentences:
        s.cites = [renum[n] for n in s.cites]
    # Chinese sentences run on; English ones are separated by a space — also an English sentence among Chinese
    # quotes ("Not found in the sources. The library does cover: 《…》").
    sep = " " if sum(c.isascii() and c.isalpha() for c in answer) > len(answer) / 3 else ""
    text = ""
    for part in (_with_marks(s) for s in sentences):
        english_end = re.fullmatch(r"[A-Za-z0-9)\]][.!?;:]", text[-2:]) and part[:1].isascii() and part[:1].isalpha()
        text += (" " if text and (sep or english_end) else "") + part
    return Checked(text, sentences, order, removed, unsupported)


def _with_marks(s: Sentence) -> str:
    marks = "".join(f"[{n}]" for n in s.cites)
    body = s.text
    m = trailing_end(body)
    if marks and m:  # put markers before the closing punctuation: 「……[1]。」
        return body[: m.start()] + marks + body[m.start():]
    return body + marks


def excerpt(passage: str, sentences: list[str], width: int = 160) -> str:
    """One line of ``passage`` about ``width`` characters long, opening at the first sentence the answer drew from it
    (``highlight_spans``), so a preview shows what was quoted rather than the passage's opening lines."""
    flat = passage.replace("\n", " ")
    spans = highlight_spans(passage, sentences)
    start = spans[0][0] if spans else 0
    return ("…" if start else "") + flat[start:start + width] + ("…" if start + width < len(flat) else "")


def highlight_spans(passage: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where in ``passage`` each supported sentence stands: the verbatim span when the sentence is quoted, else the
    passage sentence sharing most character bigrams with it (paraphrase). Returns sorted, non-overlapping spans."""
    spans: list[tuple[int, int]] = []
    units = sentence_spans(passage)
    for sentence in sentences:
        body = without_end(MARK.sub("", sentence).strip()).strip().replace(" | ", "\t")
        at = passage.find(body) if body else -1
        if at >= 0:
            spans.append((at, at + len(body)))
            continue
        grams = {body[i:i + 2] for i in range(len(body) - 1)}
        best = max(units, default=None, key=lambda u: len(grams & {passage[i:i + 2] for i in range(u[0], u[1] - 1)}))
        if best and grams and len(grams & {passage[i:i + 2] for i in range(best[0], best[1] - 1)}) >= 0.3 * len(grams):
            spans.append(best)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
