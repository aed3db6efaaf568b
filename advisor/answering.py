"""Answering: retrieve → numbered, fenced passages → prompt → generate (LLM) or extract (offline) → validate
citations → ``Answer``. An LLM failure falls back to the offline answer and says why."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from .citations import check, is_not_found
from .config import Settings
from .extractive import compose, extract, is_english, looks_like_injection
from .fusion import reciprocal_rank_fusion
from .lexical import tokenize
from .llm import LLMUnavailable, chat
from .profile import ParkProfile
from .prompting import fence, render, template
from .records import Answer, Citation, Hit, Turn
from .retrieval import Searcher

_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|其中|它|其|该|这|上述)|呢[？?]?$|^(and|what about|how about)\b", re.I)


class Answerer:
    """Grounded answers over one searcher; ``chat_model`` is ``None`` in offline mode."""

    def __init__(self, settings: Settings, searcher: Searcher, chat_model=None) -> None:
        self.settings, self.searcher, self.chat_model = settings, searcher, chat_model

    # -- multi-turn ---------------------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[Turn]) -> tuple[str, str | None]:
        """A standalone query for a follow-up; returns (query, reason the LLM could not be used or None)."""
        previous = [t.text for t in history if t.role == "user"]
        if not previous:
            return question, None
        if self.chat_model is not None:
            lines = "\n".join(f"{'用户' if t.role == 'user' else '顾问'}：{t.text[:300]}" for t in history[-6:])
            try:
                rewritten = chat(self.chat_model, self.settings, "你负责把追问改写为独立问题。",
                                 render("condense", history=lines, question=question), stream=False)
                return rewritten.strip().splitlines()[0][:500], None
            except LLMUnavailable as exc:
                return self._carry_topic(question, previous[-1]), str(exc)
        return self._carry_topic(question, previous[-1]), None

    @staticmethod
    def _carry_topic(question: str, previous: str) -> str:
        """Offline: a short or anaphoric follow-up inherits the previous question's topic words."""
        if len(question) > 25 and not _FOLLOW_UP.search(question.strip()):
            return question
        own = set(tokenize(question))
        topic = [t for t in tokenize(previous) if t not in own and len(t) > 1]
        return f"{question} {' '.join(topic)}".strip()

    # -- retrieval ----------------------------------------------------------------------------------------
    def retrieve(self, query: str, profile: ParkProfile | None) -> list[Hit]:
        k = self.settings.answer_passages
        hits = self.searcher.search(query, k=k)
        if profile is None:
            return hits
        expanded = self.searcher.search(f"{query} {profile.query_terms()}", k=k)
        by_id = {h.chunk.chunk_id: h for h in hits + expanded}
        fused = reciprocal_rank_fusion({"plain": [h.chunk.chunk_id for h in hits],
                                        "profile": [h.chunk.chunk_id for h in expanded]}, k=self.settings.rrf_k)
        return [replace(by_id[cid], rank=rank) for rank, (cid, _, _) in enumerate(fused[:k], start=1)]

    # -- the chain ----------------------------------------------------------------------------------------
    def answer(self, question: str, profile: ParkProfile | None = None, history: Sequence[Turn] = (),
               on_token: Callable[[str], None] | None = None) -> Answer:
        t0 = time.perf_counter()
        question = question.strip()
        standalone, condense_error = self.condense(question, history)
        hits = self.retrieve(standalone, profile)
        t1 = time.perf_counter()
        lang = "en" if is_english(question) else "zh"
        flags: dict = {"unsupported_sentences": [], "removed_citations": [], "fallback_reason": condense_error,
                       "injection_suspected": [i for i, h in enumerate(hits, 1) if looks_like_injection(h.chunk.text)]}
        mode = "offline"
        text = None
        if self.chat_model is not None:
            user = render("answer_user", profile=profile.summary(lang) if profile else "（无 / none）",
                          passages=fence(hits), question=question)
            try:
                text = chat(self.chat_model, self.settings, template("answer_system"), user, on_token)
                mode = "llm"
            except LLMUnavailable as exc:
                flags["fallback_reason"] = f"{exc}；已改用离线摘录模式 / answered in offline extractive mode instead"
        confidence = None
        if text is None:
            ex = extract(standalone, hits, self.searcher.lexical(), self.settings)
            confidence = ex.confidence
            text = compose(question, ex, hits)
        checked = check(text, len(hits))
        found = bool(checked.used) and not (is_not_found(checked.text) and len(checked.sentences) <= 2)
        support = checked.support()
        citations = [Citation(new, hits[old - 1], support.get(new, []))
                     for new, old in enumerate(checked.used, start=1)] if found else []
        flags["unsupported_sentences"] = checked.unsupported if found else []
        flags["removed_citations"] = checked.removed
        if confidence is not None:
            flags["confidence"] = confidence
        t2 = time.perf_counter()
        return Answer(question=question, standalone_question=standalone, answer=checked.text, found=found, mode=mode,
                      citations=citations, sentences=[s.text for s in checked.sentences], flags=flags,
                      timings={"retrieve_ms": (t1 - t0) * 1e3, "generate_ms": (t2 - t1) * 1e3,
                               "total_ms": (t2 - t0) * 1e3},
                      profile=profile.summary(lang) if profile else None)
