"""Documents page: what is indexed; upload (type and size checked) and remove documents."""

from __future__ import annotations

import streamlit as st

from advisor.loading import SUPPORTED
from ui.common import advisor, show_progress

TEXT = {
    "zh": {"title": "文档管理", "upload": "上传文件（PDF、TXT、MD、DOCX）", "index": "建立索引", "added": "已索引",
           "unchanged": "内容未变，已跳过", "failed": "未能索引", "remove": "删除文档", "remove_btn": "删除",
           "removed": "已删除", "cols": ["文档", "标题", "发布机构", "日期", "类型", "段落数"], "indexing": "正在索引……"},
    "en": {"title": "Documents", "upload": "Upload files (PDF, TXT, MD, DOCX)", "index": "Index them", "added": "Indexed",
           "unchanged": "Unchanged, skipped", "failed": "Not indexed", "remove": "Remove a document", "remove_btn": "Remove",
           "removed": "Removed", "cols": ["doc", "title", "issuer", "date", "type", "chunks"], "indexing": "Indexing…"},
}


def tx(key: str):
    return TEXT[st.session_state.get("lang", "zh")][key]


def main() -> None:
    adv = advisor()
    st.title(tx("title"))
    docs = adv.documents()
    cols = tx("cols")
    st.dataframe([{cols[0]: d.meta.doc_id, cols[1]: d.meta.title, cols[2]: d.meta.issuer or "", cols[3]: d.meta.date or "",
                   cols[4]: d.meta.doc_type or "", cols[5]: d.n_chunks} for d in docs],
                 hide_index=True)
    files = st.file_uploader(tx("upload"), type=[s.lstrip(".") for s in SUPPORTED], accept_multiple_files=True,
                             key="doc_upload")
    if files and st.button(tx("index"), key="doc_index"):
        bar = st.progress(0.0, text=tx("indexing"))
        report = adv.ingest_uploads([(f.name, f.getvalue()) for f in files],
                                    progress=lambda d, t, name: show_progress(bar, d, t, name))
        bar.empty()
        for path in report.added + report.replaced:
            st.success(f"{tx('added')}: {path.split('/')[-1]}")
        for path in report.unchanged:
            st.info(f"{tx('unchanged')}: {path.split('/')[-1]}")
        for message in report.failed.values():
            st.error(f"{tx('failed')}: {message}")
        for path, notes in report.warnings.items():
            st.warning(f"{path.split('/')[-1]}: " + "；".join(notes))
    if docs:
        with st.form("remove_form"):
            target = st.selectbox(tx("remove"), [d.meta.doc_id for d in docs], key="doc_remove_choice")
            if st.form_submit_button(tx("remove_btn")):
                info = adv.remove(target)
                if info:
                    st.success(f"{tx('removed')}: {info.meta.title}")
                    st.rerun()


main()
