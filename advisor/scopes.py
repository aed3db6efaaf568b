"""Scopes: which kind of evaluated object (园区, 工厂, 社区, 校园) a question or a section heading names.

A standard that sets rules per kind (one indicator table for parks, another for communities; a park guide bound with a
factory guide) states, under a heading naming one kind, that kind's thresholds: they answer no question about another.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .tokenization import data_text


@lru_cache(maxsize=1)
def _scopes() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Each kind's Chinese and English names as patterns, from data/scopes.yaml."""
    data = yaml.safe_load(data_text("scopes.yaml"))["scopes"]
    return {kind: (re.compile("|".join(map(re.escape, names["zh"]))),
                   re.compile(r"\b(?:" + "|".join(map(re.escape, names["en"])) + r")\b", re.I))
            for kind, names in data.items()}


def scopes_named(text: str) -> frozenset[str]:
    """The kinds of object a text names (in Chinese or English)."""
    return frozenset(kind for kind, patterns in _scopes().items() if any(p.search(text) for p in patterns))


def off_scope(asked: frozenset[str], headings: str) -> bool:
    """Is a passage under headings naming only kinds other than those asked about (a factory table for a park
    question)? Nothing is off scope when the question or the headings name no kind."""
    named = scopes_named(headings)
    return bool(asked and named and not asked & named)
