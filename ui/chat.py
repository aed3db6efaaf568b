"""Chat page: questions about the park, answers with numbered, openable sources."""

from __future__ import annotations

import html

import streamlit as st

from advisor.citations import highlight_spans
from advisor.errors import AdvisorError
from advisor.export import conversation_markdown
from advisor.records import Answer, Turn
from ui.common import advisor, profile

TEXT = {
    "zh": {"title": "政策问答", "ask": "请输入关于园区绿色低碳、零碳建设的问题……", "starters": "可以这样问：",
           "clear": "清空对话", "export": "导出对话（Markdown）", "sources": "来源", "page": "第{p}页",
           "fallback": "提示", "removed": "已删除无效引用", "unsupported": "以下句子缺少出处，请谨慎使用",
           "profile_on": "回答将结合园区档案：", "thinking": "正在检索资料……",
           "profile_used": "本回答结合的园区档案："},
    "en": {"title": "Policy Q&A", "ask": "Ask about green, low-carbon and zero-carbon parks…",
           "starters": "Try asking:", "clear": "Clear chat", "export": "Export chat (Markdown)", "sources": "Sources",
           "page": "p. {p}", "fallback": "Note", "removed": "Removed invalid citations",
           "unsupported": "These sentences have no source; use them with care",
           "profile_on": "Answers take the park profile into account: ", "thinking": "Searching the sources…",
           "profile_used": "Park profile used: "},
}
STARTERS = {
    "zh": ["零碳园区的能源供给体系包括什么？", "国家对零碳园区建设提出了哪些重点任务？", "园区如何开展碳排放核算和能碳管理？",
           "港口物流园的零碳战略定位是什么？"],
    "en": ["What does a zero-carbon park's energy supply system include?", "How should a park manage energy and carbon?",
           "What are the key indicators of a zero-carbon park?", "What is the carbon trading market's scope?"],
}


def tx(key: str) -> str:
    return TEXT[st.session_state.get("lang", "zh")][key]


def passage_html(text: str, spans: list[tuple[int, int]]) -> str:
    """The passage with the sentences the answer rests on highlighted."""
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\t", " │ ").replace("\n", "<br>")


def show_answer(ans: Answer) -> None:
    if not ans.found:
        st.info(ans.answer)
    else:
        st.markdown(ans.answer)
    if ans.profile:
        st.caption(f"{tx('profile_used')}{ans.profile}")
    for level, note in ans.notes.messages(st.session_state.get("lang", "zh")):
        (st.warning if level == "warning" else st.caption)(note)
    if ans.citations:
        st.caption(tx("sources"))
    for c in ans.citations:
        h = c.hit
        with st.expander(f"[{c.n}] {h.source_label(st.session_state.get('lang', 'zh'))}"):
            spans = highlight_spans(h.chunk.text, ans.supported_by(c))
            st.markdown(passage_html(h.chunk.text, spans), unsafe_allow_html=True)
            st.caption(f"{h.meta.source} · {h.meta.issuer or ''} {h.meta.date or ''} · chunk {h.chunk.chunk_id}")


def main() -> None:
    adv = advisor()
    lang = st.session_state.get("lang", "zh")
    st.title(tx("title"))
    messages: list[dict] = st.session_state.setdefault("messages", [])
    if (park := profile()) is not None:
        st.caption(tx("profile_on") + park.summary(lang))
    question = st.chat_input(tx("ask"), key="chat_input")  # pinned to the bottom wherever it is called
    pending = None
    if not messages and not question:
        st.write(tx("starters"))
        cols = st.columns(2)
        for i, q in enumerate(STARTERS[lang]):
            if cols[i % 2].button(q, key=f"starter_{i}"):
                pending = q
    for m in messages:
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(m["text"])
            else:
                show_answer(m["answer"])
    question = question or pending
    if question:
        with st.chat_message("user"):
            st.markdown(question)
        history = [Turn(m["role"], m["text"]) for m in messages]
        with st.chat_message("assistant"):
            stream = st.empty()
            tokens: list[str] = []

            def on_token(token: str) -> None:
                tokens.append(token)
                stream.markdown("".join(tokens) + "▌")

            try:
                with st.spinner(tx("thinking")):
                    ans = adv.ask(question, profile=profile(), history=history, on_token=on_token)
            except AdvisorError as exc:
                stream.empty()
                st.error(str(exc))
                return
            stream.empty()
            show_answer(ans)
        messages.append({"role": "user", "text": question, "answer": None})
        messages.append({"role": "assistant", "text": ans.answer, "answer": ans})
    if messages:
        cols = st.columns(2)
        turns = [(messages[i]["text"], messages[i + 1]["answer"]) for i in range(0, len(messages) - 1, 2)]
        cols[0].download_button(tx("export"), conversation_markdown(turns).encode("utf-8"),
                                file_name="conversation.md", mime="text/markdown", key="chat_export")
        if cols[1].button(tx("clear"), key="chat_clear"):
            st.session_state["messages"] = []
            st.rerun()


main()
