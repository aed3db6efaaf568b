"""Word segmentation for keyword search: jieba (search mode) over normalised text, without stop words.

Normalisation: NFKC, lower case, Traditional → Simplified (OpenCC), so ``碳排放權`` and ``碳排放权`` are one word.
The domain glossary's Chinese terms are added to jieba's dictionary, so ``绿电直连`` or ``国家核证自愿减排量`` stay
whole (search mode still adds their parts). Stop words: the Chinese list of stopwords-iso and the Glasgow English
list (``data/stopwords_en.txt``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from .text import to_simplified

TOKENIZER_VERSION = "2"  # part of every document's content hash: a change re-tokenises the catalog on ingest
_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)


def data_text(name: str) -> str:
    """A bundled data file of the package (``advisor/data/<name>``)."""
    return resources.files("advisor").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    import stopwordsiso

    english = {w.strip() for w in data_text("stopwords_en.txt").splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(stopwordsiso.stopwords("zh")) | frozenset(english)


@lru_cache(maxsize=1)
def jieba_module():
    """jieba, loaded once with its dictionary, the glossary's terms, and quiet logging."""
    import jieba

    from .glossary import load_glossary

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in sorted(load_glossary().chinese_words()):
        jieba.add_word(word)
    return jieba


@lru_cache(maxsize=1)
def tokenizer_version() -> str:
    """``TOKENIZER_VERSION`` and a digest of the glossary's Chinese words, which join jieba's dictionary: editing the
    glossary re-tokenises the catalog on the next ingest (the vectors are kept: chunk ids do not change)."""
    from .glossary import load_glossary

    words = "\n".join(sorted(load_glossary().chinese_words()))
    return f"{TOKENIZER_VERSION}:{hashlib.sha256(words.encode()).hexdigest()[:12]}"


def normalize(text: str) -> str:
    """How text is compared for matching: NFKC, lower case, Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text).lower())


def tokenize(text: str) -> list[str]:
    """Keyword-search tokens: jieba search-mode words of the normalised text, without punctuation or stop words."""
    stop = stopwords()
    return [t for t in (w.strip() for w in jieba_module().cut_for_search(normalize(text)))
            if t and t not in stop and _TOKEN_OK.search(t)]


def words(text: str) -> list[str]:
    """Plain jieba words of the normalised text (no search-mode sub-words), punctuation left out."""
    return [t for t in (w.strip() for w in jieba_module().cut(normalize(text))) if t and _TOKEN_OK.search(t)]
