"""The command line, run as users run it: ``python -m advisor …`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from advisor.config import PROJECT_ROOT


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
    assert len(docs) == 14 and all(d["chunks"] > 0 for d in docs)
    proc = run(["eval", str(PROJECT_ROOT / "evals" / "retrieval_set.jsonl"), "--json"], env)
    assert proc.returncode == 0, proc.stderr
    modes = {r["mode"]: r for r in json.loads(proc.stdout)}
    assert set(modes) == {"hybrid", "dense", "bm25"}
    assert modes["hybrid"]["n"] >= 60 and 0 < modes["hybrid"]["recall"]["5"] <= 1


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
