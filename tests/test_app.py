"""The Streamlit app driven with streamlit.testing.v1.AppTest against real indexes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from advisor.config import PROJECT_ROOT

pytestmark = pytest.mark.e2e  # tier: end to end (README › Tests)

APP = str(PROJECT_ROOT / "app.py")


def make_app(monkeypatch, advisor) -> AppTest:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(advisor.settings.data_dir))
    monkeypatch.setenv("ADVISOR_CORPUS_DIR", str(advisor.settings.corpus_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_question_gets_answer_with_citations(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    assert at.title[0].value == "政策问答" and len(at.button) >= 4  # starter questions for a new user
    at.chat_input(key="chat_input").set_value("碳达峰试点园区有多少个").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert "100个" in answer and "[1]" in answer
    sources = [e.label for e in at.chat_message[1].expander]
    assert sources and sources[0].startswith("[1] 《")
    assert any("<mark>" in m.value for m in at.chat_message[1].expander[0].markdown)  # supporting sentence marked
    export = at.get("download_button")
    assert export, "conversation export is offered"


def test_not_found_is_shown_plainly(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    at.chat_input(key="chat_input").set_value("零碳园区建设每亩能获得多少元的财政补贴？").run()
    assert at.chat_message[1].info[0].value.startswith("资料中未找到相关内容")
    assert not at.chat_message[1].expander


def test_profile_change_reaches_the_answer(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    at.sidebar.text_input(key="pf_name").set_value("高栏港综合物流园")
    at.sidebar.selectbox(key="pf_type").set_value("港口物流园")
    at.sidebar.text_input(key="pf_mix").set_value("电力:0.45, 柴油:0.4")
    at.sidebar.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("已应用园区档案" in s.value for s in at.sidebar.success)
    at.chat_input(key="chat_input").set_value("园区交通运输领域如何降碳").run()
    assert "高栏港综合物流园" in at.caption[0].value
    used = [c.value for c in at.chat_message[1].caption if "园区档案" in c.value]
    assert used and "高栏港综合物流园（港口物流园）" in used[0] and "柴油40%" in used[0]


def test_bad_profile_shows_error(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    at.sidebar.text_input(key="pf_name").set_value("园区")
    at.sidebar.number_input(key="pf_renewable_share").set_value(3.0)
    at.sidebar.button[0].click().run()
    errors = [e.value for e in at.sidebar.error]
    assert any("可再生能源占比" in e and "应 ≤ 1" in e for e in errors) and not any("{'le'" in e for e in errors)


def test_loaded_yaml_fills_the_form_and_an_edit_applies(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    yaml_bytes = (PROJECT_ROOT / "evals" / "profiles" / "chemical_jiangsu.yaml").read_bytes()
    at.sidebar.file_uploader(key="profile_file").set_value([("park.yaml", yaml_bytes, "application/x-yaml")]).run()
    assert not at.exception
    assert at.sidebar.text_input(key="pf_name").value == "泰兴滨江化工园区"
    assert at.sidebar.number_input(key="pf_annual_energy_tce").value == 1_800_000
    assert at.sidebar.number_input(key="pf_area_km2").value == 62
    assert at.sidebar.number_input(key="pf_emission_cut_pct").value == 20
    assert at.sidebar.number_input(key="pf_water_reuse_rate").value == 0.91
    assert at.sidebar.selectbox(key="pf_carbon_management_system").value.startswith("否")
    assert any("已应用园区档案" in s.value for s in at.sidebar.success)
    at.sidebar.number_input(key="pf_renewable_share").set_value(0.1)
    at.sidebar.button[0].click().run()
    assert not at.exception and not at.sidebar.error
    assert any("已应用园区档案" in s.value for s in at.sidebar.success)  # the message stays visible
    applied = at.session_state["profile"]
    assert applied.renewable_share == 0.1 and applied.metrics.water_reuse_rate == 0.91 and applied.area_km2 == 62
    at.switch_page("ui/assessment.py").run()
    assert not at.exception and at.table and "工业用水重复利用率" in str(at.table[1].value)


def test_corrupt_pdf_upload_leaves_documents_unchanged(monkeypatch, tmp_path, small_corpus, embedder):
    from advisor.service import Advisor

    from .conftest import make_settings

    adv = Advisor(make_settings(tmp_path, corpus_dir=small_corpus), embedder=embedder)
    adv.ingest()
    before = [(d.meta.doc_id, d.n_chunks) for d in adv.documents()]
    at = make_app(monkeypatch, adv)
    at.switch_page("ui/documents.py").run()
    assert not at.exception
    at.file_uploader(key="doc_upload").set_value([
        ("broken.pdf", b"%PDF-1.4\n this is not really a pdf \n%%EOF", "application/pdf"),
        ("../../etc/园区说明.txt", "一、总体要求\n\n园区应建设能碳管理平台，实施能耗在线监测。".encode(), "text/plain"),
    ])
    at.run()
    at.button(key="doc_index").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "broken.pdf" in errors[0] and "损坏" in errors[0]
    assert any("园区说明.txt" in s.value for s in at.success)
    after = {d.meta.doc_id: d.n_chunks for d in adv.documents()}
    assert all(after[doc] == n for doc, n in before) and "园区说明" in after and len(after) == len(before) + 1
    uploads = adv.settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["园区说明.txt"]  # no ../ escape, the bad file not kept


def test_pathway_page_produces_downloads(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    at.switch_page("ui/pathway.py").run()
    at.selectbox(key="pathway_example").set_value("高栏港综合物流园")
    at.button(key="pathway_draft").click().run()
    assert not at.exception
    downloads = at.get("download_button")
    assert len([d for d in downloads if d.proto.label.startswith(("下载", "Download"))]) >= 2
    subheaders = [s.value for s in at.subheader]
    assert "交通（重点）" in subheaders and "关键指标" in subheaders and "指标自评" in subheaders
    assert at.table and "可再生能源占比" in str(at.table[0].value)
    assert at.get("image")  # the trajectory chart


def test_evaluation_page_shows_dev_and_test_side_by_side(monkeypatch, corpus_advisor):
    at = make_app(monkeypatch, corpus_advisor)
    at.switch_page("ui/evaluation.py").run()
    at.button(key="eval_run").click().run(timeout=600)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["set"]) == ["dev"] * 3 + ["test"] * 3
    assert list(table["mode"]) == ["hybrid", "dense", "bm25"] * 2
    assert 0.8 < float(table.loc[(table["mode"] == "hybrid") & (table["set"] == "test"), "R@5"].iloc[0]) <= 1.0
    failures = [e.label for e in at.expander if " · " in e.label]
    assert failures and all(label.startswith("dev") for label in failures)  # test failures are never shown
    assert any("未在前 5 名" in c.value for c in at.caption)


@pytest.mark.parametrize("lang, title", [("English", "Policy Q&A"), ("中文", "政策问答")])
def test_language_toggle(monkeypatch, corpus_advisor, lang, title):
    at = make_app(monkeypatch, corpus_advisor)
    at.sidebar.radio(key="lang_choice").set_value(lang).run()
    assert at.title[0].value == title
