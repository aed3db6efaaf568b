"""Pathway page: a cited draft transition pathway for the park in the sidebar profile, its trajectory chart, KPI
and self-assessment tables; .docx and .md downloads."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import streamlit as st

from advisor.charts import trajectory_png
from advisor.config import PROJECT_ROOT
from advisor.export import (
    assessment_groups,
    kpi_rows,
    label,
    measure_tag,
    missing_line,
    reference_line,
    region_tag,
    section_title,
    to_docx,
    to_markdown,
)
from advisor.profile import load_profile
from ui.common import advisor, profile

TEXT = {
    "zh": {"title": "转型路径", "example": "尚未设置园区档案：可在侧边栏填写，或选用示例园区", "draft": "起草转型路径",
           "drafting": "正在起草……", "docx": "下载 Word（.docx）", "md": "下载 Markdown（.md）"},
    "en": {"title": "Transition pathway", "example": "No park profile yet: fill it in the sidebar or pick an example",
           "draft": "Draft the pathway", "drafting": "Drafting…", "docx": "Download Word (.docx)",
           "md": "Download Markdown (.md)"},
}
EXAMPLES = sorted((PROJECT_ROOT / "evals" / "profiles").glob("*.yaml"))


def lang() -> str:
    return st.session_state.get("lang", "zh")


def tx(key: str) -> str:
    return TEXT[lang()][key]


def _linked(text: str, refs: list[int]) -> str:
    """Measure text with its [n] markers linking to the reference list below."""
    return text + "".join(f" [[{n}]](#ref-{n})" for n in refs)


def main() -> None:
    adv = advisor()
    st.title(tx("title"))
    park = profile()
    if park is None:
        st.info(tx("example"))
        names = {load_profile(p).name: p for p in EXAMPLES}
        park = load_profile(names[st.selectbox(tx("title"), list(names), key="pathway_example", label_visibility="collapsed")])
    st.caption(park.summary(lang()))
    if st.button(tx("draft"), key="pathway_draft", type="primary"):
        with st.spinner(tx("drafting")):
            st.session_state["pathway"] = adv.pathway(park)
    pw = st.session_state.get("pathway")
    if pw is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        docx_bytes = to_docx(pw, Path(tmp) / "pathway.docx", lang=lang()).read_bytes()
    cols = st.columns(2)
    cols[0].download_button(tx("docx"), io.BytesIO(docx_bytes), file_name=f"{pw.profile.name}-转型路径.docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            key="pathway_docx")
    cols[1].download_button(tx("md"), to_markdown(pw, lang()).encode("utf-8"), file_name=f"{pw.profile.name}-转型路径.md",
                            mime="text/markdown", key="pathway_md")
    for level, text in pw.messages(lang()):
        (st.warning if level == "warning" else st.info)(text)
    ref_of = pw.reference_numbers()
    for section in pw.sections:
        st.subheader(section_title(section, lang()))
        for fact in section.facts(lang()):
            if section.key == "phases":
                st.markdown(f"- {fact}")
            else:
                st.caption(f"{label('facts', lang())}{': ' if lang() == 'en' else '：'}{fact}")
        if section.key == "phases" and (png := trajectory_png(pw.trajectory, lang())):
            st.image(png, caption=label("chart", lang()))
        if note := section.note_text(lang()):
            st.info(note)
        for j, m in enumerate(section.measures, start=1):
            st.markdown(f"{j}. {_linked(m.text, m.refs)}{measure_tag(m, lang())}")
        if section.common:
            st.caption(label("common", lang()))
            for m in section.common:
                st.markdown(f"- {_linked(m.text, m.refs)}{region_tag(m, lang())}")
        if section.key == "kpis":
            head = label("kpi_cols", lang())
            st.table([dict(zip(head, row)) for row in kpi_rows(pw, lang())])
        if section.key == "assessment" and pw.assessment:
            head = label("asm_cols", lang())
            for title, note, rows in assessment_groups(pw.assessment, lang(), ref_of):
                st.markdown(f"**{title}**")
                if note:
                    st.caption(note)
                st.table([dict(zip(head, row)) for row in rows])
            if pw.assessment.missing:
                st.info(f"{label('missing', lang())}：{missing_line(pw.assessment, lang())}")
    st.subheader(label("refs", lang()))
    for n in range(1, len(pw.references) + 1):
        st.markdown(f'<a id="ref-{n}"></a>{reference_line(pw, n)}', unsafe_allow_html=True)


main()
