"""The Streamlit app, driven with streamlit.testing.v1.AppTest against a real (small) index."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from advisor.config import PROJECT_ROOT


@pytest.fixture
def app_env(monkeypatch, tmp_path, small_corpus):
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ADVISOR_CORPUS_DIR", str(small_corpus))


def test_app_builds_index_and_searches_with_citations(app_env):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    at.run()
    assert not at.exception
    assert "2 个文档" in at.sidebar.markdown[0].value
    at.text_input(key="query").input("零碳园区能碳管理平台")
    at.button[0].click()
    at.run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert labels and labels[0].startswith("[1] 《关于开展零碳园区建设的通知》")
    assert any("能碳管理平台" in m.value for m in at.markdown)
    at.sidebar.radio[0].set_value("English")
    at.run()
    assert at.title[0].value == "Low-Carbon Park Advisor"
