"""Answering: condense a follow-up → retrieve → numbered, fenced passages → generate (LLM) or extract (offline) →
validate citations → ``Answer``. An LLM failure falls back to the offline answer and says why."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal

from . import docfacts, outline
from .answer_forms import YEAR
from .applicability import topic_kind
from .citations import check, is_not_found
from .config import AnswerSettings, LLMSettings
from .extractive import ANNEX_POINTER, PART_ASKS, annex_region, compose, extract_parts, notes_for
from .fusion import interleave
from .gist import english_gist
from .llm import LLMUnavailable, chat
from .profile import ParkProfile
from .prompting import fence, render, template
from .query import KeyTerm, Query, asked_parts, asks_own_fact, issuers_named
from .records import Answer, AnswerNotes, Chunk, Citation, DocMeta, Hit, Turn
from .retrieval import Searcher
from .text import is_english, trail

# A question that points back at the previous turn: a demonstrative or pronoun that needs an antecedent (这 or 那
# with a measure word: 这块牌子, 那项), a short opening clause closed by 呢 ("要是没交够呢？", "再往后五年呢，…") or a
# question ending in 呢, a bare "and …?", "then later …" (再往后), or one opening on "the same" time (同一个时间点).
_FOLLOW_UP = re.compile(
    r"^(那|那么|那个|那些|那这|还有|另外|其中|它|它们|其|该|这|这个|这些|这种|这类|此|上述|以上|前面|刚才|同样|再往后|之后呢)|"
    r"(这些|那些|上述|它们|其中|这一|这项|该项|这个|那个)|(这|那)(块|项|条|批)|"
    r"^[^，。？?,]{0,12}呢\s*[？?，,]|呢[？?]?\s*$|^同一(个)?(时间|年)|"
    r"^(and|what about|how about|also|then|so)\b|\b(it|its|they|them|their|these|those|this one|that one|the same)\b",
    re.I)


ANNEX_POINTER_DEPTH = 3  # hits whose annex pointers are followed (the passages an offline answer mostly quotes)
CLAUSE_PASSAGES = 1  # passages a search for each asking clause of a several-part question adds
CARRIED_TERMS = 5  # the previous question's subject words (in its order) a follow-up inherits


# A question opening on what happens after an event it does not name ("批下来以后，…", "建成验收以后，…": after *it* is
# approved): the opening clause holds only verbs and their complements, adverbs, prepositions — no noun, numeral or
# time word of its own ("碳达峰以后", "二〇三〇年以后", "名单公布以后" name what they follow).
_AFTER_EVENT = re.compile(r"^([^，。？?,]{1,8})(?:以后|之后)[，,]")
_EVENT_POS = frozenset({"v", "vd", "vg", "vi", "d", "f", "p", "a", "ad", "u", "ul", "uz", "ug", "uv", "ud"})


def depends_on_previous(question: str) -> bool:
    """Does the question need the previous turn to make sense (offline rule; the LLM condenser decides itself)?"""
    question = question.strip()
    if _FOLLOW_UP.search(question):
        return True
    after = _AFTER_EVENT.match(question)
    if after is None:
        return False
    import jieba.posseg as pseg

    return all(pair.flag in _EVENT_POS for pair in pseg.cut(after.group(1)))


class Answerer:
    """Grounded answers over one searcher; ``chat_model`` is ``None`` in offline mode."""

    def __init__(self, settings: AnswerSettings, llm: LLMSettings, searcher: Searcher, chat_model=None) -> None:
        self.settings, self.llm, self.searcher, self.chat_model = settings, llm, searcher, chat_model

    # -- multi-turn ---------------------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[Turn]) -> tuple[str, str | None]:
        """A standalone query for a follow-up; returns (query, reason the LLM could not be used or None)."""
        previous = [t.text for t in history if t.role == "user"]
        if not previous:
            return question, None
        if self.chat_model is not None:
            lines = "\n".join(f"{'用户' if t.role == 'user' else '顾问'}：{t.text[:300]}" for t in history[-6:])
            try:
                rewritten = chat(self.chat_model, self.llm, "你负责把追问改写为独立问题。",
                                 render("condense", history=lines, question=question), stream=False)
                return rewritten.strip().splitlines()[0][:500], None
            except LLMUnavailable as exc:
                return self._carry_topic(question, previous[-1]), str(exc)
        return self._carry_topic(question, previous[-1]), None

    def _carry_topic(self, question: str, previous: str) -> str:
        """Offline: a follow-up inherits the previous question's subject words; a new question stands alone."""
        if not depends_on_previous(question):
            return question
        own_terms = self.searcher.analyze(question).key_terms
        own = {k.label for k in own_terms}
        before = self.searcher.analyze(previous)
        earlier = before.key_terms
        # the issuer that named the previous question's document ("财政部那个…意见") is no key term of a Chinese
        # question, but it anchors the follow-up to that document (an English question's are key terms already)
        named = issuers_named(previous, before.mentions)
        issuers = [m.term.zh[0] for m in before.mentions if m.term.zh[0] in named]
        # a follow-up naming its own year ("And for 2030 — …") asks about that year instead of the previous one's
        dated = bool(re.search(rf"(?<!\d){YEAR}(?!\d)", question))
        swapped = _swapped(question, previous, own, earlier) | _same_kind(own_terms, earlier)
        labels = dict.fromkeys([*issuers, *(k.label for k in earlier)])
        topic = [label for label in labels if label not in own and len(label) > 1 and label not in swapped
                 and not (dated and re.fullmatch(YEAR, label))][:CARRIED_TERMS]
        if not topic:
            return question
        asked = question if re.search(r"[？?]\s*$", question) else f"{question}？"  # the topic follows the question mark
        return f"{asked.rstrip()}（{' '.join(topic)}）"

    # -- retrieval ----------------------------------------------------------------------------------------
    def retrieve(self, query: str, profile: ParkProfile | None) -> list[Hit]:
        k = self.settings.answer_passages
        hits = self.searcher.search(query, k=k)
        if profile is None:
            return hits
        expanded = self.searcher.search(f"{query} {profile.query_terms()}", k=k)
        by_id = {h.chunk.chunk_id: h for h in hits + expanded}
        order = interleave([h.chunk.chunk_id for h in hits], [h.chunk.chunk_id for h in expanded])
        return [replace(by_id[cid], rank=rank) for rank, cid in enumerate(order[:k], start=1)]

    def record_passage(self, question: str, query: Query, hits: list[Hit]) -> tuple[list[Hit], int | None]:
        """For a question about who issued a document it names, when, or under which number (``docfacts``): the hits
        with the document's passage that shows its record (added last when not among them), and that passage's
        number (``query``: the standalone question, analysed); else the hits unchanged and None."""
        facts = docfacts.asked(question)
        meta = self.searcher.named_document(query) if facts else None
        if meta is None or not docfacts.answerable(facts, meta) or not docfacts.about_document(query.key_terms, meta):
            return hits, None
        chunk = docfacts.showing_passage(meta, self._chunks_of(meta.doc_id))
        if chunk is None:
            return hits, None
        hits, numbers = _supplied(hits, [chunk], meta, "record")
        return hits, numbers[chunk.chunk_id]

    def section_outline(self, query: Query, hits: list[Hit]) -> tuple[list[Hit], str | None]:
        """For a question asking what a section lists (``outline``): the hits with every passage holding one of the
        section's items (added last when not among them), and the offline answer listing them; else the hits
        unchanged and None."""
        found = outline.asked_heading(query.key_terms, hits) if query.asks == "list" else None
        if found is None:
            return hits, None
        meta, path = found
        items = outline.section_items(path, self._chunks_of(meta.doc_id))
        if not items:
            return hits, None
        hits, numbers = _supplied(hits, list({i.chunk.chunk_id: i.chunk for i in items}.values()), meta, "outline")
        return hits, outline.compose(meta, path[-1], items, numbers, query.english)

    def pointed_annexes(self, hits: list[Hit], top: int = ANNEX_POINTER_DEPTH) -> list[Hit]:
        """The hits with the passage opening each annex that one of the first ``top`` points to (``名单见附件1``),
        added last when the library holds it and no hit does: its content is what the pointer says is there, and
        without it the library would be said to lack the annex."""
        def opens(chunk: Chunk, name: str) -> bool:
            return bool(annex_region(chunk.text, name)) or name in trail(chunk.section)

        chunks_of: dict[str, list[Chunk]] = {}  # each document's chunks read once, however many pointers it has
        for hit in hits[:top]:
            for m in ANNEX_POINTER.finditer(hit.chunk.text):
                name = re.sub(r"\s", "", m.group(1))
                doc = hit.meta.doc_id
                if any(h.meta.doc_id == doc and opens(h.chunk, name) for h in hits):
                    continue
                if doc not in chunks_of:
                    chunks_of[doc] = self._chunks_of(doc)
                opening = next((c for c in chunks_of[doc] if opens(c, name)), None)
                if opening is not None:
                    hits, _ = _supplied(hits, [opening], hit.meta, "annex")
        return hits

    def clause_passages(self, query: Query, hits: list[Hit], profile: ParkProfile | None,
                        per_clause: int = CLAUSE_PASSAGES) -> list[Hit]:
        """For a question in several asking clauses ("…占比多少？每年几月前报送？"): the hits with the first passages a
        search for each clause alone (with the context clauses) finds, added last when not among them — the whole
        question's search ranks the passages of the clause that dominates its words."""
        context, asking, asks = asked_parts(query.text)
        if sum(a is not None for a in asks) < 2:
            return hits
        out = list(hits)
        for clause, ask in zip(asking, asks):
            if ask not in PART_ASKS or asks_own_fact(clause):
                continue
            known = {h.chunk.chunk_id for h in out}
            found = [h for h in self.retrieve("，".join([*context, clause]), profile) if h.chunk.chunk_id not in known]
            out += [replace(h, rank=len(out) + 1 + i) for i, h in enumerate(found[:per_clause])]
        return out

    def _chunks_of(self, doc_id: str) -> list[Chunk]:
        catalog = self.searcher.catalog
        return [c for c, _ in catalog.hydrate(catalog.chunk_ids(doc_id)).values()]

    # -- the chain ----------------------------------------------------------------------------------------
    def answer(self, question: str, profile: ParkProfile | None = None, history: Sequence[Turn] = (),
               on_token: Callable[[str], None] | None = None) -> Answer:
        t0 = time.perf_counter()
        question = question.strip()
        standalone, condense_error = self.condense(question, history)
        hits = self.retrieve(standalone, profile)
        query = self.searcher.analyze(standalone)
        hits, record = self.record_passage(question, query, hits)
        english = is_english(question)
        lang = "en" if english else "zh"
        listed = None
        if record is None:
            hits, listed = self.section_outline(query, hits)
            hits = self.pointed_annexes(self.clause_passages(query, hits, profile))
        t1 = time.perf_counter()
        ex = extract_parts(query, hits, self.settings, self.searcher.analyze)
        notes = AnswerNotes(fallback_reason=condense_error,
                            injection_suspected=[hits[n - 1].source_label(lang) for n in ex.skipped_injections])
        if not self.searcher.dense_ready:
            notes.cautions.append("Semantic search is still being built: this answer used keyword search only."
                                  if english else "语义索引仍在后台建立，本次回答仅使用关键词检索。")
        mode: Literal["llm", "offline"] = "offline"
        text = None
        if self.chat_model is not None:
            user = render("answer_user", profile=profile.summary(lang) if profile else "（无 / none）",
                          passages=fence(hits), question=question)
            try:
                text = chat(self.chat_model, self.llm, template("answer_system"), user, on_token)
                mode = "llm"
            except LLMUnavailable as exc:
                notes.fallback_reason = f"{exc}；已改用离线摘录模式 / answered in offline extractive mode instead"
        if text is None and record is not None:
            text = docfacts.compose(hits[record - 1].meta, docfacts.asked(question), english, record)
        if text is None and listed is not None:
            text = listed
        if text is None:
            text = compose(english, ex)
            notes.confidence = ex.confidence
            notes.low_confidence = ex.found and ex.low_confidence
            notes.cautions += notes_for(ex, english)
            key = english_gist(query, [c.text for c in ex.sentences], [c.text for c in ex.sentences if c.holds_answer]) \
                if english and ex.found else None
            notes.cautions += [key] if key else []
        checked = check(text, len(hits))
        found = bool(checked.used) and not (is_not_found(checked.text) and len(checked.sentences) <= 2)
        support = checked.support()
        citations = [Citation(new, hits[old - 1], support.get(new, []))
                     for new, old in enumerate(checked.used, start=1)] if found else []
        notes.unsupported_sentences = checked.unsupported if found else []
        notes.removed_citations = checked.removed
        t2 = time.perf_counter()
        return Answer(question=question, standalone_question=standalone, answer=checked.text, found=found, mode=mode,
                      citations=citations, sentences=[s.text for s in checked.sentences], notes=notes,
                      timings={"retrieve_ms": (t1 - t0) * 1e3, "generate_ms": (t2 - t1) * 1e3,
                               "total_ms": (t2 - t0) * 1e3},
                      profile=profile.summary(lang) if profile else None)


def _supplied(hits: list[Hit], chunks: list[Chunk], meta: DocMeta, how: str) -> tuple[list[Hit], dict[str, int]]:
    """The hits with these chunks of one document added last (those not among them yet, found ``how``), and each
    chunk's passage number."""
    numbers = {h.chunk.chunk_id: n for n, h in enumerate(hits, start=1)}
    out = list(hits)
    for chunk in chunks:
        if chunk.chunk_id not in numbers:
            out.append(Hit(rank=len(out) + 1, score=0.0, chunk=chunk, meta=meta, retrievers=(how,)))
            numbers[chunk.chunk_id] = len(out)
    return out, {c.chunk_id: numbers[c.chunk_id] for c in chunks}


def _swapped(question: str, previous: str, own: set[str], earlier: tuple[KeyTerm, ...]) -> set[str]:
    """The previous question's key terms a follow-up puts its own words in place of: the term whose name stood where
    the follow-up's word stands, before the same two characters ("园区类试点…" → "那企业类试点呢？": 园区) or after them."""
    out: set[str] = set()
    for word in own:
        at = question.find(word)
        if at < 0:
            continue
        after, before = question[at + len(word):at + len(word) + 2], question[max(0, at - 2):at]
        after = after if _CJK2.fullmatch(after) else ""
        before = before if _CJK2.fullmatch(before) and not before.startswith(("那", "这")) else ""
        if not (after or before):
            continue
        for e in earlier:
            if e.label in own:
                continue
            if any(after and f"{name}{after}" in previous or before and f"{before}{name}" in previous
                   for name in e.alternatives | {e.label}):
                out.add(e.label)
    return out


_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")


def _same_kind(own: tuple[KeyTerm, ...], earlier: tuple[KeyTerm, ...]) -> set[str]:
    """The previous question's key terms of the kind of one the follow-up names (an industry, a fuel, an energy
    source): "核电那块呢？" after 光伏 asks about 核电 instead, "焦炭呢？" after 原煤 — in English too, by the Chinese
    a word translates to ("And for the electronics sector?" after 纺织: 电子)."""
    labels = {k.label for k in own}
    kinds = {kind for k in own for word in (k.label, *k.alternatives) if (kind := topic_kind(word))}
    return {e.label for e in earlier if e.label not in labels and topic_kind(e.label) in kinds} if kinds else set()
