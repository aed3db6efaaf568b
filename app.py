"""Streamlit app: search the policy library with citations (chat, pathways and evaluation pages follow)."""

from __future__ import annotations

import streamlit as st

from advisor.config import Settings
from advisor.errors import AdvisorError
from advisor.service import Advisor

TEXT = {
    "zh": {
        "title": "零碳园区政策与路径顾问", "caption": "检索白皮书与政策原文，每条结果都附出处（文件、章节、页码）。",
        "query": "输入问题", "mode": "检索方式", "k": "返回条数", "search": "检索", "building": "正在从 corpus/ 建立索引……",
        "index": "索引", "docs": "个文档", "chunks": "个段落", "empty": "没有找到相关段落。", "page": "第{p}页",
        "found_by": "命中方式", "lang": "界面语言 / Language",
    },
    "en": {
        "title": "Low-Carbon Park Advisor", "caption": "Search the white paper and policy texts; every hit is cited "
        "(document, section, page).", "query": "Your question", "mode": "Retrieval mode", "k": "Results",
        "search": "Search", "building": "Building the index from corpus/ …", "index": "Index", "docs": "documents",
        "chunks": "passages", "empty": "No matching passages.", "page": "p. {p}", "found_by": "found by",
        "lang": "界面语言 / Language",
    },
}


@st.cache_resource(show_spinner=False)
def open_advisor(settings_json: str) -> Advisor:
    """Models and index are opened once per server process (and per configuration), not on every rerun."""
    return Advisor(Settings.model_validate_json(settings_json))


def main() -> None:
    st.set_page_config(page_title="零碳园区顾问 · Low-Carbon Park Advisor", page_icon="🌱", layout="wide")
    lang = "en" if st.sidebar.radio(TEXT["zh"]["lang"], ["中文", "English"], horizontal=True) == "English" else "zh"
    t = TEXT[lang]
    st.title(t["title"])
    st.caption(t["caption"])
    try:
        advisor = open_advisor(Settings().model_dump_json())
        if advisor.index.is_empty():
            bar = st.progress(0.0, text=t["building"])
            advisor.ensure_index(progress=lambda done, total, name: bar.progress(done / max(total, 1), text=name))
            bar.empty()
    except AdvisorError as exc:
        st.error(str(exc))
        return
    docs = advisor.documents()
    st.sidebar.markdown(f"**{t['index']}**: {len(docs)} {t['docs']}, {sum(d.n_chunks for d in docs)} {t['chunks']}")
    st.sidebar.caption(advisor.embedder.name)

    with st.form("search"):
        query = st.text_input(t["query"], key="query")
        cols = st.columns(2)
        mode = cols[0].selectbox(t["mode"], ["hybrid", "dense", "bm25"], key="mode")
        k = cols[1].slider(t["k"], 1, 10, 5, key="k")
        submitted = st.form_submit_button(t["search"])
    if not (submitted and query.strip()):
        return
    try:
        hits = advisor.search(query, k=k, mode=mode)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    if not hits:
        st.info(t["empty"])
    for hit in hits:
        page = f" · {t['page'].format(p=hit.chunk.page)}" if hit.chunk.page else ""
        with st.expander(f"[{hit.rank}] 《{hit.meta.title}》 {hit.chunk.section}{page}", expanded=hit.rank <= 3):
            st.markdown(hit.chunk.text.replace("\t", " | ").replace("\n", "  \n"))
            st.caption(f"{hit.meta.source} · {hit.meta.issuer or ''} {hit.meta.date or ''} · "
                       f"{t['found_by']}: {' + '.join(hit.retrievers)}")


main()
