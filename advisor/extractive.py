"""Offline extractive answering: pick the sentences of the top passages that answer the question.

Sentences are scored by how much of the question's IDF-weighted vocabulary they cover, plus the rank of their
passage; maximal marginal relevance keeps near-repeats out. Below the calibrated confidence thresholds (both in
settings) the answer is the honest not-found answer instead of a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .citations import NOT_FOUND_EN, NOT_FOUND_ZH
from .cleaning import char_bigrams
from .config import Settings
from .lexical import LexicalIndex, tokenize
from .records import Hit

_INJECTION = re.compile(
    r"(忽略|无视|忘记)(以上|上述|之前|前面|所有)|你现在(是|扮演)|系统提示|ignore (all |the )?(previous|above|prior)|"
    r"system prompt|disregard (the )?(above|previous)", re.I)
# Words that frame a question rather than name its subject; they are not expected in the answer.
QUESTION_FRAME = frozenset(
    "什么 什么样 哪些 哪个 哪里 哪一 哪一年 哪一天 一天 一年 哪几 几类 几个 几 多少 多大 怎么 怎样 怎么样 如何 为什么 为何 "
    "是否 有没有 谁 何时 什么时候 时候 大概 大约 大致 具体 主要 一般 通常 意思 定义 指 哪 是 吗 呢 已经 比较 需要 之前 开始 "
    "表述 属于 包括 提出 采用 要选 时应 举措 方面 哪些地方 地方 有 能 会 应 应该 要 分别".split())
_SPLIT = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*")
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_english(text: str) -> bool:
    letters = re.findall(r"[A-Za-z]", text)
    return len(letters) > 2 * len(_CJK.findall(text))


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


@dataclass(frozen=True)
class Candidate:
    passage: int  # 1-based number in the supplied passages
    position: int
    text: str
    score: float
    coverage: float


@dataclass
class Extract:
    sentences: list[Candidate]
    found: bool
    confidence: dict[str, float]
    skipped_injections: int


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def sentences_of(text: str) -> list[str]:
    """Sentences of a passage; table rows count as sentences (tabs shown as separators)."""
    return [s.strip().replace("\t", " | ") for s in _SPLIT.findall(text) if len(s.strip()) >= 8]


def term_weights(text: str, lexical: LexicalIndex) -> dict[str, float]:
    """IDF weight of each subject word of a question (question-frame words left out)."""
    return {t: lexical.idf(t) for t in dict.fromkeys(tokenize(text)) if t not in QUESTION_FRAME}


def score_sentences(weights: dict[str, float], hits: list[Hit], prior_weight: float,
                    exclude: set[str] | None = None) -> tuple[list[Candidate], int]:
    """Every sentence of the passages, scored by weighted term coverage and passage rank; injection-like
    sentences are skipped (and counted)."""
    total = sum(weights.values()) or 1.0
    candidates: list[Candidate] = []
    skipped = 0
    for n, hit in enumerate(hits, start=1):
        prior = 1.0 / (1 + 0.3 * (n - 1))
        label = set(tokenize(hit.chunk.section.split(" › ")[-1]))
        for pos, sent in enumerate(sentences_of(hit.chunk.text)):
            if looks_like_injection(sent):
                skipped += 1
                continue
            if exclude and sent in exclude:
                continue
            toks = set(tokenize(sent)) | label
            coverage = sum(w for t, w in weights.items() if t in toks) / total
            candidates.append(Candidate(n, pos, sent, (1 - prior_weight) * coverage + prior_weight * prior, coverage))
    return candidates, skipped


def select_mmr(candidates: list[Candidate], n: int, lam: float, min_ratio: float = 0.6) -> list[Candidate]:
    """Maximal marginal relevance: good sentences that do not repeat each other; stops when coverage falls below
    ``min_ratio`` of the first pick's."""
    chosen: list[Candidate] = []
    grams: list[set[str]] = []
    pool = sorted(candidates, key=lambda c: -c.score)
    while pool and len(chosen) < n:
        def mmr(c: Candidate) -> float:
            g = char_bigrams(c.text)
            return lam * c.score - (1 - lam) * max((_jaccard(g, o) for o in grams), default=0.0)

        pick = max(pool, key=mmr)
        pool.remove(pick)
        if chosen and pick.coverage < min_ratio * chosen[0].coverage:
            break
        chosen.append(pick)
        grams.append(char_bigrams(pick.text))
    return chosen


def extract(question: str, hits: list[Hit], lexical: LexicalIndex, settings: Settings) -> Extract:
    """Choose up to ``answer_max_sentences`` sentences, or decide that the sources do not answer."""
    weights = term_weights(question, lexical)
    total = sum(weights.values()) or 1.0
    # How much of the question the top passages speak about at all (a term the corpus never uses weighs most).
    context = set().union(*(set(tokenize(h.chunk.index_text)) for h in hits[:3])) if hits else set()
    passage_coverage = sum(w for t, w in weights.items() if t in context) / total
    candidates, skipped = score_sentences(weights, hits, settings.answer_prior_weight)
    best_sim = max((h.scores.get("dense", 0.0) for h in hits), default=0.0)
    # Quote few passages: the top-ranked one (retrieval ranks passages better than term overlap does), then others
    # whose best sentence comes close to the best coverage.
    top = max((c.coverage for c in candidates), default=0.0)
    others = sorted({c.passage for c in candidates if c.passage != 1 and c.coverage >= settings.answer_passage_ratio * top},
                    key=lambda n: -max(c.coverage for c in candidates if c.passage == n))
    strong = ([1] if any(c.passage == 1 for c in candidates) else []) + others
    strong = strong[:settings.answer_max_quoted_passages]
    chosen = select_mmr([c for c in candidates if c.passage in strong], settings.answer_max_sentences,
                        settings.mmr_lambda)
    english = is_english(question)
    # English questions match Chinese passages only through the dense model: their words are not in the corpus.
    found = bool(chosen) and best_sim >= settings.answer_min_similarity and (
        english or passage_coverage >= settings.answer_min_coverage)
    chosen.sort(key=lambda c: (c.passage, c.position))
    return Extract(chosen if found else [], found,
                   {"similarity": round(best_sim, 4), "coverage": round(passage_coverage, 4)}, skipped)


def compose(question: str, extract_: Extract, hits: list[Hit]) -> str:
    """The offline answer text with ``[n]`` markers (n = passage number as supplied)."""
    english = is_english(question)
    if not extract_.found:
        topics = list(dict.fromkeys(h.chunk.section.split(" › ")[-1] for h in hits[:3]))
        if english:
            return f"{NOT_FOUND_EN}. " + (f"You could ask about: {'; '.join(topics)}." if topics else "")
        return f"{NOT_FOUND_ZH}。" + (f"可以换个问法，或询问资料中涉及的：{'；'.join(topics)}。" if topics else "")
    parts = []
    for c in extract_.sentences:
        text = c.text.rstrip()
        if not re.search(r"[。！？；!?;：:][”’」』）)]*$", text):
            text += "。"  # a table row or heading quoted as a sentence is closed, so the next one stays apart
        parts.append(f"{text}[{c.passage}]")  # citations.check moves each marker before the closing punctuation
    body = "".join(parts)
    return ("According to the sources (quoted in Chinese): " + body) if english else body
