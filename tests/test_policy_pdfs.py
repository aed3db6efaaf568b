"""Robustness on the 56 real policy PDFs in ../shared (skipped where a clone has no ../shared)."""

from __future__ import annotations

import pytest

from advisor.chunking import Chunker
from advisor.indexing import collect_files
from advisor.loading import load_file

from .conftest import SHARED

PDF_DIR = SHARED / "policy-pdfs"
pytestmark = pytest.mark.skipif(not PDF_DIR.is_dir(), reason="../shared/corpus/policy-pdfs is not present")


def test_every_real_policy_pdf_loads_cleans_and_chunks():
    from advisor.cleaning import clean

    files = collect_files([PDF_DIR])
    assert len(files) == 56
    chunker = Chunker()
    total_chunks = 0
    for path, identity in files:
        doc = clean(load_file(path, identity=identity))
        chunks = chunker.chunk(doc)
        assert chunks, path.name
        assert all(len(c.text) <= 480 for c in chunks)
        assert all(c.page is not None and 1 <= c.page <= len(doc.page_starts) for c in chunks), path.name
        assert all(doc.text[c.start:c.end] in c.text for c in chunks)
        assert not doc.meta.title[0].isdigit() or doc.meta.title.startswith("20")  # "2、…" prefixes stripped
        total_chunks += len(chunks)
    assert total_chunks > 1500
