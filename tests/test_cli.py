"""The command line, run as users run it: ``python -m advisor …`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from advisor.config import PROJECT_ROOT

pytestmark = pytest.mark.e2e  # tier: end to end (README › Tests)


def run(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advisor", *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)


def env_for(advisor) -> dict[str, str]:
    return {"ADVISOR_DATA_DIR": str(advisor.settings.data_dir), "ADVISOR_CORPUS_DIR": str(advisor.settings.corpus_dir)}


def test_search_json(corpus_advisor):
    proc = run(["search", "--json", "零碳园区的能源供给体系包括什么"], env_for(corpus_advisor))
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)
    assert len(hits) == 5
    for key in ("rank", "text", "score", "doc_title", "source", "page", "section", "chunk_id"):
        assert key in hits[0]
    assert any(h["doc_title"] == "绿色低碳产业园区发展白皮书" for h in hits)
    assert all(h["section"].startswith(h["doc_title"]) for h in hits)


def test_search_batch_jsonl_in_input_order(corpus_advisor, tmp_path):
    queries = ["碳排放配额如何分配", "", "What is a zero-carbon park?", "园区屋顶光伏覆盖率目标"]
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(queries), encoding="utf-8")
    proc = run(["search", "--batch", str(batch), "--json", "--k", "3", "--mode", "bm25"], env_for(corpus_advisor))
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["query"] for line in lines] == [q for q in queries if q]
    assert all(len(line["hits"]) <= 3 for line in lines)


def test_readable_search_docs_and_eval(corpus_advisor):
    env = env_for(corpus_advisor)
    proc = run(["search", "碳排放权交易管理办法 重点排放单位"], env)
    assert proc.returncode == 0 and "《碳排放权交易管理办法（试行）》" in proc.stdout
    docs = json.loads(run(["docs", "--json"], env).stdout)
    assert len(docs) == 18 and all(d["chunks"] > 0 for d in docs)
    regression = str(PROJECT_ROOT / "evals" / "regression.jsonl")
    proc = run(["eval", regression, "--json"], env)
    assert proc.returncode == 0, proc.stderr
    modes = {r["mode"]: r for r in json.loads(proc.stdout)[regression]}
    assert set(modes) == {"hybrid", "dense", "bm25"}
    assert modes["hybrid"]["n"] >= 60 and 0 < modes["hybrid"]["recall"]["5"] <= 1
    assert set(modes["hybrid"]["recall@5_by_lang"]) == {"zh", "en"}


def test_json_eval_shows_no_failures_of_a_test_set(corpus_advisor, tmp_path):
    """Test-set failures are not read while tuning: the JSON report leaves them out too, unless asked."""
    env = env_for(corpus_advisor)
    lines = (PROJECT_ROOT / "evals" / "regression.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    reports = {}
    for name in ("small.jsonl", "test_small.jsonl"):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = run(["eval", str(tmp_path / name), "--json", "--k", "5", "--failures", "1"], env)
        assert proc.returncode == 0, proc.stderr
        reports[name] = json.loads(proc.stdout)[str(tmp_path / name)]
    assert any(r["n_failures"] for r in reports["small.jsonl"])  # dense alone misses some of 20 at k = 5
    for dev, test in zip(reports["small.jsonl"], reports["test_small.jsonl"]):
        assert dev["n_failures"] == test["n_failures"]  # the same questions, counted alike
        assert len(dev["failures"]) == min(1, dev["n_failures"]) and test["failures"] == []


def test_errors_are_clear_and_bilingual(corpus_advisor, tmp_path):
    env = env_for(corpus_advisor)
    proc = run(["remove", "no-such-document"], env)
    assert proc.returncode == 1 and "未找到文档" in proc.stderr and "no such document" in proc.stderr
    proc = run(["search", "   "], env)
    assert proc.returncode == 2 and "为空" in proc.stderr and "empty" in proc.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    proc = run(["eval", str(bad)], env)
    assert proc.returncode == 2 and "第 1 行" in proc.stderr


def test_empty_index_is_built_on_first_search(tmp_path, small_corpus):
    env = {"ADVISOR_DATA_DIR": str(tmp_path / "fresh"), "ADVISOR_CORPUS_DIR": str(small_corpus)}
    proc = run(["search", "--json", "零碳园区能碳管理平台", "--k", "2"], env)
    assert proc.returncode == 0, proc.stderr
    assert "索引为空" in proc.stderr and "building" in proc.stderr
    assert len(json.loads(proc.stdout)) == 2
    proc = run(["ingest"], env)
    assert proc.returncode == 0 and "未变 / unchanged 2" in proc.stdout


def test_ask_json_and_batch(corpus_advisor, tmp_path):
    env = env_for(corpus_advisor)
    proc = run(["ask", "--json", "--profile", str(PROJECT_ROOT / "evals" / "profiles" / "port_logistics.yaml"),
                "港口物流园的零碳战略定位是什么"], env)
    assert proc.returncode == 0, proc.stderr
    ans = json.loads(proc.stdout)
    for key in ("answer", "found", "mode", "citations", "notes"):
        assert key in ans
    assert ans["found"] is True and ans["mode"] == "offline" and "高栏港综合物流园" in ans["profile"]
    for c in ans["citations"]:
        assert {"n", "chunk_id", "doc_title", "source", "section", "page", "text"} <= set(c)
        assert f"[{c['n']}]" in ans["answer"]
    batch = tmp_path / "questions.txt"
    batch.write_text("碳排放配额以什么方式分配？\n零碳园区建设每亩能获得多少元的财政补贴？\n", encoding="utf-8")
    proc = run(["ask", "--batch", str(batch), "--json"], env)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["found"] for line in lines] == [True, False]
    assert lines[1]["answer"].startswith("资料中未找到相关内容") and lines[1]["citations"] == []


def test_ask_readable_and_bad_profile(corpus_advisor, tmp_path):
    env = env_for(corpus_advisor)
    proc = run(["ask", "零碳园区申报每个省最多推荐几个"], env)
    assert proc.returncode == 0 and "来源 / Sources" in proc.stdout and "[1]" in proc.stdout
    ans = json.loads(run(["ask", "--json", "零碳园区申报每个省最多推荐几个"], env).stdout)
    quoted = ans["sentences"][ans["citations"][0]["supports"][0]]
    preview = proc.stdout.split("来源 / Sources", 1)[1]
    # the source's preview opens at the sentence quoted from it, not at the passage's first line
    assert "".join(quoted.split())[:12] in "".join(preview.split())
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\npark_type: 火星基地\n", encoding="utf-8")
    proc = run(["ask", "--profile", str(bad), "园区如何降碳"], env)
    assert proc.returncode == 2 and "未知园区类型" in proc.stderr and "bad.yaml" in proc.stderr


def test_eval_answers_reports_metrics(corpus_advisor):
    regression = str(PROJECT_ROOT / "evals" / "regression.jsonl")
    proc = run(["eval", "--answers", "--json", regression], env_for(corpus_advisor))
    assert proc.returncode == 0, proc.stderr
    (offline,) = json.loads(proc.stdout)[regression]
    assert offline["mode"] == "offline" and offline["n_unanswerable"] >= 10
    for key in ("answered", "citation_precision", "citation_precision_per_citation", "supported_sentence_rate",
                "refused_unanswerable", "latency_p50_ms"):
        assert offline[key] >= 0 and (key.startswith("latency") or offline[key] <= 1)


def test_pathway_exports_docx_and_markdown(corpus_advisor, tmp_path):
    env = env_for(corpus_advisor)
    profile = str(PROJECT_ROOT / "evals" / "profiles" / "tourism_resort.yaml")
    proc = run(["pathway", profile, "--out", str(tmp_path / "draft.docx")], env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "draft.docx").stat().st_size > 5000 and "written" in proc.stderr
    proc = run(["pathway", profile, "--out", str(tmp_path / "draft.md")], env)
    md = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert md.startswith("# 海泉湾旅游度假区 零碳转型路径（草稿）") and "## 参考资料" in md
    proc = run(["pathway", profile, "--out", str(tmp_path / "draft.pdf")], env)
    assert proc.returncode == 2 and ".docx" in proc.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: 园区\npark_type: 工业园\nannual_energy_tce: -1\n", encoding="utf-8")
    proc = run(["pathway", str(bad)], env)
    assert proc.returncode == 2 and "年综合能耗" in proc.stderr
