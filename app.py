"""Streamlit app (``streamlit run app.py``): chat with cited sources, documents, pathway drafts, evaluation."""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError
from ui.common import advisor, sidebar, t

st.set_page_config(page_title="零碳园区顾问 · Low-Carbon Park Advisor", page_icon="🌱", layout="wide")
st.session_state.setdefault("lang", "zh")
try:
    adv = advisor()
except AdvisorError as exc:
    st.error(str(exc))
    st.stop()
sidebar(adv)
page = st.navigation([
    st.Page("ui/chat.py", title=t("chat"), icon=":material/forum:", default=True),
    st.Page("ui/documents.py", title=t("docs"), icon=":material/description:"),
    st.Page("ui/pathway.py", title=t("pathway"), icon=":material/route:"),
    st.Page("ui/assessment.py", title=t("assess"), icon=":material/fact_check:"),
    st.Page("ui/evaluation.py", title=t("eval"), icon=":material/analytics:"),
])
page.run()
