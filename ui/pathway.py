"""Pathway page: a cited draft transition pathway for the park in the sidebar profile; .docx and .md downloads."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import streamlit as st

from advisor.config import PROJECT_ROOT
from advisor.export import reference_line, to_docx, to_markdown
from advisor.profile import load_profile
from ui.common import advisor, profile

TEXT = {
    "zh": {"title": "转型路径", "example": "尚未设置园区档案：可在侧边栏填写，或选用示例园区", "draft": "起草转型路径",
           "drafting": "正在起草……", "docx": "下载 Word（.docx）", "md": "下载 Markdown（.md）", "refs": "参考资料",
           "context": "园区现状", "kpis": "关键指标", "cols": ["指标", "现状", "目标", "指标类别", "依据"]},
    "en": {"title": "Transition pathway", "example": "No park profile yet: fill it in the sidebar or pick an example",
           "draft": "Draft the pathway", "drafting": "Drafting…", "docx": "Download Word (.docx)",
           "md": "Download Markdown (.md)", "refs": "References", "context": "Park facts", "kpis": "Key indicators",
           "cols": ["indicator", "now", "target", "category", "basis"]},
}
EXAMPLES = sorted((PROJECT_ROOT / "evals" / "profiles").glob("*.yaml"))


def tx(key: str):
    return TEXT[st.session_state.get("lang", "zh")][key]


def main() -> None:
    adv = advisor()
    st.title(tx("title"))
    park = profile()
    if park is None:
        st.info(tx("example"))
        names = {load_profile(p).name: p for p in EXAMPLES}
        park = load_profile(names[st.selectbox("", list(names), key="pathway_example", label_visibility="collapsed")])
    st.caption(park.summary(st.session_state.get("lang", "zh")))
    if st.button(tx("draft"), key="pathway_draft", type="primary"):
        with st.spinner(tx("drafting")):
            st.session_state["pathway"] = adv.pathway(park)
    pw = st.session_state.get("pathway")
    if pw is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        docx_bytes = to_docx(pw, Path(tmp) / "pathway.docx").read_bytes()
    cols = st.columns(2)
    cols[0].download_button(tx("docx"), io.BytesIO(docx_bytes), file_name=f"{pw.profile.name}-转型路径.docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            key="pathway_docx")
    cols[1].download_button(tx("md"), to_markdown(pw).encode("utf-8"), file_name=f"{pw.profile.name}-转型路径.md",
                            mime="text/markdown", key="pathway_md")
    if pw.flags.get("fallback_reason"):
        st.warning(pw.flags["fallback_reason"])
    for section in pw.sections:
        badge = f"（{section.priority}）" if section.priority else ""
        st.subheader(f"{section.title}{badge}")
        for fact in section.context:
            st.caption(f"{tx('context')}：{fact}")
        for j, m in enumerate(section.measures, start=1):
            st.markdown(f"{j}. {m.text}" + "".join(f" `[{n}]`" for n in m.refs))
        if section.key == "kpis":
            c = tx("cols")
            st.table([{c[0]: k.name, c[1]: k.current, c[2]: k.target, c[3]: k.basis, c[4]: f"[{k.ref}]" if k.ref else ""}
                      for k in pw.kpis])
    with st.expander(tx("refs")):
        for n in range(1, len(pw.references) + 1):
            st.markdown(reference_line(pw, n))


main()
