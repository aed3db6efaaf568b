"""Evaluation page: run the retrieval eval on a bundled or uploaded set; modes side by side; failures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from advisor.config import PROJECT_ROOT
from advisor.errors import AdvisorError
from advisor.evaluation import evaluate, load_set
from ui.common import advisor

TEXT = {
    "zh": {"title": "检索评测", "set": "评测集", "upload": "或上传评测集（JSON Lines）", "k": "k", "run": "运行评测",
           "running": "正在评测……", "failures": "未在前 5 名命中的问题", "gold": "标准答案片段", "got": "实际检索到"},
    "en": {"title": "Retrieval evaluation", "set": "Question set", "upload": "or upload a set (JSON Lines)", "k": "k",
           "run": "Run the evaluation", "running": "Evaluating…", "failures": "Questions not answered in the top 5",
           "gold": "gold", "got": "retrieved instead"},
}
BUNDLED = sorted((PROJECT_ROOT / "evals").glob("*.jsonl"))


def tx(key: str) -> str:
    return TEXT[st.session_state.get("lang", "zh")][key]


def main() -> None:
    adv = advisor()
    st.title(tx("title"))
    choice = st.selectbox(tx("set"), [p.name for p in BUNDLED], key="eval_set")
    uploaded = st.file_uploader(tx("upload"), type=["jsonl"], key="eval_upload")
    k = st.slider(tx("k"), 5, 20, 10, key="eval_k")
    if st.button(tx("run"), key="eval_run", type="primary"):
        try:
            if uploaded is not None:
                with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as fh:
                    fh.write(uploaded.getvalue())
                questions = load_set(Path(fh.name))
            else:
                questions = load_set(PROJECT_ROOT / "evals" / choice)
            with st.spinner(tx("running")):
                st.session_state["eval_results"] = evaluate(adv.searcher, questions, k=k)
        except AdvisorError as exc:
            st.error(str(exc))
    results = st.session_state.get("eval_results")
    if not results:
        return
    rows = [{"mode": r.mode, "n": r.n, **{f"Recall@{c}": round(v, 3) for c, v in r.recall.items()},
             "MRR@10": round(r.mrr10, 3)} for r in results]
    st.dataframe(rows, hide_index=True)
    st.bar_chart({r["mode"]: {key: v for key, v in r.items() if key not in ("mode", "n")} for r in rows})
    st.subheader(tx("failures"))
    for r in results:
        for f in r.failures:
            with st.expander(f"{r.mode} · {f.id} · {f.question}"):
                st.caption(f"{tx('gold')}: {'；'.join(f.gold)}")
                st.write(tx("got"))
                for h in f.retrieved:
                    st.markdown(f"{h['rank']}. 《{h['doc']}》 {h['section']} — {h['text']}")


main()
