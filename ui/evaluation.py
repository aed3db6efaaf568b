"""Evaluation page: retrieval and answer quality on the dev and test splits (or an uploaded set), side by side."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from advisor.config import PROJECT_ROOT
from advisor.errors import AdvisorError
from advisor.evaluation import load_set
from ui.common import advisor

TEXT = {
    "zh": {"title": "质量评测", "sets": "评测集", "upload": "或上传评测集（JSON Lines）", "k": "k", "run": "运行检索评测",
           "run_answers": "运行回答评测", "running": "正在评测……", "fail_at": "失败判定：标准片段不在前 N 名", "failures": "未在前 {k} 名命中的问题（仅开发集）",
           "answer_failures": "回答失败的问题（仅开发集）", "gold": "标准答案片段", "got": "实际检索到",
           "rule": "规则：阈值与权重只在开发集（dev）上调整；测试集（test）冻结，只用于报告，不查看其失败案例。",
           "retrieval": "检索", "answers": "回答（离线摘录模式）"},
    "en": {"title": "Quality evaluation", "sets": "Question sets", "upload": "or upload a set (JSON Lines)", "k": "k",
           "run": "Run the retrieval evaluation", "run_answers": "Run the answer evaluation", "running": "Evaluating…",
           "fail_at": "A failure: gold passage not in the top N",
           "failures": "Questions not found in the top {k} (dev only)", "answer_failures": "Failed answers (dev only)",
           "gold": "gold", "got": "retrieved instead",
           "rule": "Rule: thresholds and weights are tuned on dev only; test is frozen, used to report, its failures "
                   "are not read.", "retrieval": "Retrieval", "answers": "Answers (offline extractive)"},
}
BUNDLED = {p.stem: p for p in sorted((PROJECT_ROOT / "evals").glob("*.jsonl"))}
DEFAULT = [name for name in ("dev", "test") if name in BUNDLED]


def tx(key: str) -> str:
    return TEXT[st.session_state.get("lang", "zh")][key]


def _sets(uploaded) -> dict[str, list]:
    chosen = {name: load_set(BUNDLED[name]) for name in st.session_state.get("eval_sets", DEFAULT)}
    if uploaded is not None:
        with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as fh:
            fh.write(uploaded.getvalue())
        chosen[Path(uploaded.name).stem] = load_set(Path(fh.name))
    return chosen


def _bar_table(rows: list[dict], bars: list[str]) -> None:
    """A table with a 0–1 bar in each of the ``bars`` columns."""
    st.dataframe(rows, hide_index=True, column_config={
        key: st.column_config.ProgressColumn(key, min_value=0.0, max_value=1.0, format="%.3f") for key in bars})


def _shows_failures(name: str) -> bool:
    return not name.startswith("test")


def main() -> None:
    adv = advisor()
    st.title(tx("title"))
    st.caption(tx("rule"))
    st.multiselect(tx("sets"), list(BUNDLED), default=DEFAULT, key="eval_sets")
    uploaded = st.file_uploader(tx("upload"), type=["jsonl"], key="eval_upload")
    k = st.slider(tx("k"), 5, 20, 10, key="eval_k")
    fail_at = st.slider(tx("fail_at"), 1, 10, 5, key="eval_fail_at")
    cols = st.columns(2)
    try:
        if cols[0].button(tx("run"), key="eval_run", type="primary"):
            with st.spinner(tx("running")):
                st.session_state["eval_results"] = ({n: adv.evaluate(qs, k=k, fail_at=fail_at)
                                                     for n, qs in _sets(uploaded).items()}, k)
        if cols[1].button(tx("run_answers"), key="eval_run_answers"):
            with st.spinner(tx("running")):
                st.session_state["eval_answers"] = {n: adv.evaluate_answers(qs) for n, qs in _sets(uploaded).items()}
    except AdvisorError as exc:
        st.error(str(exc))
    retrieval = st.session_state.get("eval_results")
    if retrieval:
        results, k_used = retrieval
        st.subheader(tx("retrieval"))
        rows = [{"set": name, "mode": r.mode, "n": r.n, **{f"R@{c}": round(v, 3) for c, v in r.recall.items()},
                 "MRR@10": round(r.mrr10, 3), **{f"R@5 {lang}": round(v, 3) for lang, v in r.recall5_by_lang.items()}}
                for name, rs in results.items() for r in rs]
        _bar_table(rows, [key for key in rows[0] if key.startswith(("R@", "MRR"))])
        st.caption(tx("failures").format(k=next(iter(results.values()))[0].fail_at))
        for name, rs in results.items():
            if not _shows_failures(name):
                continue
            for r in rs:
                for f in r.failures:
                    with st.expander(f"{name} · {r.mode} · {f.id} · {f.question}"):
                        st.caption(f"{tx('gold')}: {'；'.join(f.gold)} (rank {f.rank or '—'})")
                        st.write(tx("got"))
                        for h in f.retrieved:
                            st.markdown(f"{h['rank']}. 《{h['doc']}》 {h['section']} — {h['text']}")
    answers = st.session_state.get("eval_answers")
    if answers:
        st.subheader(tx("answers"))
        rows = [{"set": name, "mode": r.mode, "answerable": r.n_answerable, "unanswerable": r.n_unanswerable,
                 "answered": round(r.answered, 3), "citation precision": round(r.citation_precision, 3),
                 "refused unanswerable": round(r.refused_unanswerable, 3), "p50 ms": round(r.latency_p50_ms)}
                for name, rs in answers.items() for r in rs]
        _bar_table(rows, ["answered", "citation precision", "refused unanswerable"])
        st.caption(tx("answer_failures"))
        for name, rs in answers.items():
            if not _shows_failures(name):
                continue
            for r in rs:
                for f in r.failures:
                    with st.expander(f"{name} · {f['id']} · {f['why']} · {f['question']}"):
                        st.write(f["answer"])


main()
