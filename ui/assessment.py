"""Self-assessment page: the sidebar park's values against the bundled indicator systems, each threshold cited."""

from __future__ import annotations

import streamlit as st

from advisor.export import assessment_groups, label, missing_line
from advisor.profile import load_profile
from ui.common import advisor, profile
from ui.pathway import EXAMPLES

TEXT = {
    "zh": {"title": "指标自评", "example": "尚未设置园区档案：可在侧边栏填写（含“评价指标数据”），或选用示例园区",
           "counts": "达标 {met} · 未达标 {not_met} · 缺数据 {unknown} · 不适用 {not_applicable}",
           "skipped": "未评估（适用于{types}）：{title}"},
    "en": {"title": "Indicator self-assessment",
           "example": "No park profile yet: fill it in the sidebar (with the indicator data) or pick an example",
           "counts": "met {met} · not met {not_met} · no data {unknown} · n/a {not_applicable}",
           "skipped": "Not assessed (for {types}): {title}"},
}


def main() -> None:
    lang = st.session_state.get("lang", "zh")
    text = TEXT[lang]
    st.title(text["title"])
    park = profile()
    if park is None:
        st.info(text["example"])
        names = {load_profile(p).name: p for p in EXAMPLES}
        park = load_profile(names[st.selectbox(text["title"], list(names), key="assess_example", label_visibility="collapsed")])
    st.caption(park.summary(lang))
    result = advisor().assess(park)
    st.markdown(text["counts"].format(**result.counts()))
    head = label("asm_cols", lang)
    for title, note, rows in assessment_groups(result, lang):
        st.subheader(title)
        if note:
            st.caption(note)
        st.table([dict(zip(head, row)) for row in rows])
    for s in result.skipped:
        st.caption(text["skipped"].format(types="、".join(s.park_types), title=s.title_en if lang == "en" else s.title))
    if result.missing:
        st.info(f"{label('missing', lang)}：{missing_line(result, lang)}")


main()
