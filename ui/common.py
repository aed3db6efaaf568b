"""Shared UI state: the advisor (opened once per process), the language, the park profile, the sidebar."""

from __future__ import annotations

import streamlit as st
import yaml

from advisor.config import Settings
from advisor.errors import AdvisorError
from advisor.profile import PARK_TYPES, ParkProfile, dump_profile, parse_profile
from advisor.service import Advisor

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "app": "零碳园区政策与路径顾问", "chat": "政策问答", "docs": "文档管理", "pathway": "转型路径", "eval": "检索评测",
        "lang": "界面语言 / Language", "mode_llm": "大模型模式", "mode_offline": "离线摘录模式（未配置大模型）",
        "index": "索引", "documents": "个文档", "chunks": "个段落", "building": "索引为空，正在从 corpus/ 建立索引……",
        "profile": "园区档案", "name": "园区名称", "type": "园区类型", "region": "所在地区",
        "industries": "主导产业（用逗号分隔）", "mix": "能源结构（如 电力:0.6, 柴油:0.3）", "emissions": "年碳排放（吨CO₂）",
        "energy": "年综合能耗（吨标准煤）", "renewable": "可再生能源占比（0–1）", "peak": "碳达峰年份",
        "neutral": "碳中和年份", "target_share": "绿电占比目标（0–1）", "apply": "应用档案", "clear_profile": "清除档案",
        "profile_ok": "已应用园区档案", "load_yaml": "导入档案 YAML", "save_yaml": "导出档案 YAML",
        "no_profile": "未设置园区档案",
    },
    "en": {
        "app": "Low-Carbon Park Advisor", "chat": "Policy Q&A", "docs": "Documents", "pathway": "Pathway",
        "eval": "Evaluation", "lang": "界面语言 / Language", "mode_llm": "LLM mode",
        "mode_offline": "Offline extractive mode (no LLM configured)", "index": "Index", "documents": "documents",
        "chunks": "passages", "building": "The index is empty; building it from corpus/ …", "profile": "Park profile",
        "name": "Park name", "type": "Park type", "region": "Region", "industries": "Leading industries (comma-separated)",
        "mix": "Energy mix (e.g. 电力:0.6, 柴油:0.3)", "emissions": "Annual emissions (t CO₂)",
        "energy": "Annual energy use (t standard coal)", "renewable": "Renewable share (0–1)", "peak": "Peak year",
        "neutral": "Neutrality year", "target_share": "Renewable share target (0–1)", "apply": "Apply profile",
        "clear_profile": "Clear profile", "profile_ok": "Profile applied", "load_yaml": "Load profile YAML",
        "save_yaml": "Save profile YAML", "no_profile": "No park profile set",
    },
}


def t(key: str) -> str:
    return TEXT[st.session_state.get("lang", "zh")].get(key, key)


@st.cache_resource(show_spinner=False)
def _open(settings_json: str) -> Advisor:
    """Models and index are opened once per server process (and configuration), never on a rerun."""
    adv = Advisor(Settings.model_validate_json(settings_json))
    adv.searcher.lexical()  # warm: the BM25 snapshot and the word segmenter load here, not on the first question
    return adv


def advisor() -> Advisor:
    adv = _open(Settings().model_dump_json())
    if adv.index.is_empty():
        bar = st.progress(0.0, text=t("building"))
        adv.ensure_index(progress=lambda done, total, name: bar.progress(min(1.0, done / max(total, 1)), text=name))
        bar.empty()
    return adv


def profile() -> ParkProfile | None:
    return st.session_state.get("profile")


def _mix_text(p: ParkProfile | None) -> str:
    return ", ".join(f"{k}:{v:g}" for k, v in p.energy_mix.items()) if p else ""


def _parse_mix(text: str) -> dict[str, float]:
    mix: dict[str, float] = {}
    for part in text.replace("，", ",").split(","):
        if ":" in part.replace("：", ":"):
            k, v = part.replace("：", ":").split(":", 1)
            mix[k.strip()] = float(v)
    return mix


def sidebar(adv: Advisor) -> None:
    """Language, mode, index, and the park profile form (saved and loaded as YAML)."""
    with st.sidebar:
        choice = st.radio(TEXT["zh"]["lang"], ["中文", "English"], horizontal=True, key="lang_choice")
        st.session_state["lang"] = "en" if choice == "English" else "zh"
        s = adv.settings
        if adv.mode == "llm":
            st.success(f"{t('mode_llm')}: {s.llm_model} @ {s.llm_base_url}")
        else:
            st.info(t("mode_offline"))
        docs = adv.documents()
        st.caption(f"{t('index')}: {len(docs)} {t('documents')}, {sum(d.n_chunks for d in docs)} {t('chunks')} · "
                   f"{adv.embedder.name}")
        health = adv.health()
        if not health.ok:
            st.warning(health.message())
        _profile_form()


def _profile_form() -> None:
    p = profile()
    with st.expander(t("profile"), expanded=p is None):
        uploaded = st.file_uploader(t("load_yaml"), type=["yaml", "yml", "json"], key="profile_file")
        if uploaded is not None and st.session_state.get("profile_file_seen") != uploaded.file_id:
            st.session_state["profile_file_seen"] = uploaded.file_id
            try:
                st.session_state["profile"] = parse_profile(yaml.safe_load(uploaded.getvalue().decode("utf-8")),
                                                            uploaded.name)
                p = profile()
            except (AdvisorError, yaml.YAMLError, UnicodeDecodeError) as exc:
                st.error(str(exc))
        with st.form("profile_form"):
            name = st.text_input(t("name"), value=p.name if p else "", key="pf_name")
            ptype = st.selectbox(t("type"), PARK_TYPES, index=PARK_TYPES.index(p.park_type) if p else 0, key="pf_type")
            region = st.text_input(t("region"), value=(p.region or "") if p else "", key="pf_region")
            industries = st.text_input(t("industries"), value="，".join(p.leading_industries) if p else "",
                                       key="pf_industries")
            mix = st.text_input(t("mix"), value=_mix_text(p), key="pf_mix")
            emissions = st.number_input(t("emissions"), value=p.annual_emissions_tco2 if p else None, key="pf_emis")
            energy = st.number_input(t("energy"), value=p.annual_energy_tce if p else None, key="pf_energy")
            renewable = st.number_input(t("renewable"), value=p.renewable_share if p else None, key="pf_ren")
            peak = st.number_input(t("peak"), value=p.targets.carbon_peak_year if p else None, step=1, key="pf_peak")
            neutral = st.number_input(t("neutral"), value=p.targets.carbon_neutral_year if p else None, step=1,
                                      key="pf_neutral")
            share = st.number_input(t("target_share"), value=p.targets.renewable_share_target if p else None,
                                    key="pf_share")
            apply = st.form_submit_button(t("apply"))
        if apply:
            data = {"name": name, "park_type": ptype, "region": region or None,
                    "leading_industries": [x.strip() for x in industries.replace(",", "，").split("，") if x.strip()],
                    "annual_emissions_tco2": emissions, "annual_energy_tce": energy, "renewable_share": renewable,
                    "targets": {"carbon_peak_year": int(peak) if peak else None,
                                "carbon_neutral_year": int(neutral) if neutral else None,
                                "renewable_share_target": share}}
            try:
                data["energy_mix"] = _parse_mix(mix)
                st.session_state["profile"] = parse_profile(data)
                st.success(t("profile_ok"))
            except (AdvisorError, ValueError) as exc:
                st.error(str(exc))
        if profile() is not None:
            st.caption(profile().summary(st.session_state.get("lang", "zh")))
            st.download_button(t("save_yaml"), dump_profile(profile()).encode("utf-8"), file_name="park.yaml",
                               mime="application/x-yaml", key="profile_download")
            if st.button(t("clear_profile"), key="profile_clear"):
                st.session_state["profile"] = None
                st.rerun()
        else:
            st.caption(t("no_profile"))
