"""Shared UI state: the advisor (opened once per process), the language, the park profile, the sidebar."""

from __future__ import annotations

import threading
import time

import streamlit as st
import yaml

from advisor.config import Settings
from advisor.errors import AdvisorError
from advisor.profile import FIELD_LABELS, METRIC_EN, PARK_TYPES, Metrics, ParkProfile, dump_profile, parse_profile
from advisor.service import Advisor

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "app": "零碳园区政策与路径顾问", "chat": "政策问答", "docs": "文档管理", "pathway": "转型路径", "eval": "检索评测",
        "lang": "界面语言 / Language", "mode_llm": "大模型模式", "mode_offline": "离线摘录模式（未配置大模型）",
        "index": "索引", "documents": "个文档", "chunks": "个段落", "building": "索引为空，正在从 corpus/ 建立索引……",
        "profile": "园区档案", "name": "园区名称", "type": "园区类型", "region": "所在地区",
        "industries": "主导产业（用逗号分隔）", "mix": "能源结构（如 电力:0.6, 柴油:0.3）", "emissions": "年碳排放（吨CO₂）",
        "energy": "年综合能耗（吨标准煤）", "renewable": "可再生能源占比（0–1）", "peak": "碳达峰年份",
        "neutral": "碳中和年份", "target_share": "可再生能源占比目标（0–1）", "apply": "应用档案", "clear_profile": "清除档案",
        "profile_ok": "已应用园区档案", "load_yaml": "导入档案 YAML", "save_yaml": "导出档案 YAML",
        "dense_building": "语义索引建立中 {done}/{total}（约 {eta} 秒）：现在用关键词检索回答",
        "dense_ready": "语义索引已就绪：已切换到混合检索", "dense_failed": "语义索引建立失败，继续用关键词检索",
        "no_profile": "未设置园区档案", "metrics": "评价指标数据（选填，用于指标自评）", "assess": "指标自评",
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
        "dense_building": "Building the semantic index {done}/{total} (about {eta} s): answering with keyword search now",
        "dense_ready": "Semantic index ready: switched to hybrid search",
        "dense_failed": "Building the semantic index failed; keyword search goes on",
        "metrics": "Indicator data (optional, for the self-assessment)", "assess": "Self-assessment",
    },
}


def t(key: str) -> str:
    return TEXT[st.session_state.get("lang", "zh")].get(key, key)


@st.cache_resource(show_spinner=False)
def _open(settings_json: str) -> Advisor:
    """Models and index are opened once per server process (and configuration), never on a rerun."""
    adv = Advisor(Settings.model_validate_json(settings_json))
    adv.ensure_index(embed=False)  # an empty index gets its BM25 side in seconds; vectors follow in DenseBuild
    adv.warm()  # the BM25 snapshot loads here, not on the first question (Advisor.warm says what it does not load)
    return adv


class DenseBuild:
    """Embeds, in a background thread, the chunks a lexical-first start left without vectors; answers use BM25
    until it is done, then hybrid search."""

    def __init__(self, adv: Advisor) -> None:
        self.total = adv.pending_vectors()
        self.done, self.started = 0, time.monotonic()
        self.error: str | None = None
        self.finished = self.total == 0
        if not self.finished:
            threading.Thread(target=self._run, args=(adv,), daemon=True, name="dense-build").start()

    def _run(self, adv: Advisor) -> None:
        try:
            adv.complete_dense(self._progress)
        except Exception as exc:  # shown in the sidebar; answers stay on BM25
            self.error = str(exc)
        finally:
            self.finished = True

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def eta(self) -> float | None:
        """Seconds left at the rate so far."""
        if not self.done:
            return None
        rate = self.done / max(1e-6, time.monotonic() - self.started)
        return (self.total - self.done) / rate


@st.cache_resource(show_spinner=False)
def _dense_build(settings_json: str) -> DenseBuild:
    return DenseBuild(_open(settings_json))


def advisor() -> Advisor:
    key = Settings().model_dump_json()
    if not _open(key).dense_ready:
        _dense_build(key)  # started once per server process
    return _open(key)


@st.fragment(run_every=2)
def dense_status() -> None:
    """While the vectors are built: chunks done / total and an ETA; then one line saying hybrid search is on (also
    when the build, with the shipped vectors, took seconds and was over before this page first looked)."""
    key = Settings().model_dump_json()
    adv = _open(key)
    build = _dense_build(key)  # one with nothing to do when the index had its vectors from the start
    if adv.dense_ready and not build.total and "dense_build_seen" not in st.session_state:
        return
    if build.error:
        st.error(f"{t('dense_failed')}：{build.error}")
    elif not build.finished:
        eta = build.eta()
        st.progress(build.done / max(1, build.total),
                    text=t("dense_building").format(done=build.done, total=build.total,
                                                    eta=f"{eta:.0f}" if eta is not None else "…"))
        st.session_state["dense_build_seen"] = True
    elif st.session_state.get("dense_build_seen") or build.total:
        st.session_state["dense_build_seen"] = True  # the line stays for this session
        st.success(t("dense_ready"))


def show_progress(bar, done: int, total: int, name: str) -> None:
    """Progress callback for a ``st.progress`` bar."""
    bar.progress(min(1.0, done / max(total, 1)), text=name)


def profile() -> ParkProfile | None:
    return st.session_state.get("profile")


def _mix_text(p: ParkProfile | None) -> str:
    return ", ".join(f"{k}:{v:g}" for k, v in p.energy_mix.items()) if p else ""


BOOL_METRICS = frozenset(f for f, info in Metrics.model_fields.items() if info.annotation == (bool | None))


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
        info = adv.describe()
        if info.mode == "llm":
            st.success(f"{t('mode_llm')}: {info.llm_model} @ {info.llm_base_url}")
        else:
            st.info(t("mode_offline"))
        st.caption(f"{t('index')}: {info.documents} {t('documents')}, {info.chunks} {t('chunks')} · {info.embedder}")
        dense_status()
        if adv.dense_ready and not (health := adv.health()).ok:  # vectors being built are not damage
            st.warning(health.message())
        _profile_form()


NUMBERS = ("annual_emissions_tco2", "annual_energy_tce", "renewable_share", "area_km2")
TARGETS = ("carbon_peak_year", "carbon_neutral_year", "renewable_share_target", "emission_cut_pct", "target_year")
YEARS = ("carbon_peak_year", "carbon_neutral_year", "target_year")
BOOL_CHOICES = ("—", "是 / yes", "否 / no")


def _label(field: str) -> str:
    """The field's label in the UI language (profile.FIELD_LABELS holds 中文 + field name)."""
    if st.session_state.get("lang", "zh") == "en":
        return METRIC_EN.get(field) or field.replace("_", " ")
    return FIELD_LABELS.get(field, field).split(" ")[0]


def _fill(p: ParkProfile | None) -> None:
    """Write a profile into the form's widget state, so that loading a YAML shows every field."""
    ss = st.session_state
    ss["pf_name"] = p.name if p else ""
    ss["pf_type"] = p.park_type if p else PARK_TYPES[0]
    ss["pf_region"] = (p.region or "") if p else ""
    ss["pf_industries"] = "，".join(p.leading_industries) if p else ""
    ss["pf_mix"] = _mix_text(p)
    for f in NUMBERS:
        ss[f"pf_{f}"] = getattr(p, f) if p else None
    for f in TARGETS:
        ss[f"pf_{f}"] = getattr(p.targets, f) if p else None
    for f in Metrics.model_fields:
        value = getattr(p.metrics, f) if p else None
        ss[f"pf_{f}"] = (BOOL_CHOICES[0] if value is None else BOOL_CHOICES[1 if value else 2]) \
            if f in BOOL_METRICS else value


def _form_data() -> dict:
    ss = st.session_state
    data: dict = {"name": ss["pf_name"], "park_type": ss["pf_type"], "region": ss["pf_region"] or None,
                  "leading_industries": [x.strip() for x in ss["pf_industries"].replace(",", "，").split("，")
                                         if x.strip()],
                  "energy_mix": _parse_mix(ss["pf_mix"])}
    data.update({f: ss[f"pf_{f}"] for f in NUMBERS if ss[f"pf_{f}"] is not None})
    data["targets"] = {f: (int(ss[f"pf_{f}"]) if f in YEARS else ss[f"pf_{f}"]) for f in TARGETS
                       if ss[f"pf_{f}"] is not None}
    metrics = {}
    for f in Metrics.model_fields:
        value = ss[f"pf_{f}"]
        if f in BOOL_METRICS:
            if value != BOOL_CHOICES[0]:
                metrics[f] = value == BOOL_CHOICES[1]
        elif value is not None:
            metrics[f] = value
    data["metrics"] = metrics
    return data


def _profile_form() -> None:
    ss = st.session_state
    if "pf_name" not in ss:
        _fill(profile())
    message = ss.get("profile_message")
    with st.expander(t("profile"), expanded=profile() is None or message is not None):
        uploaded = st.file_uploader(t("load_yaml"), type=["yaml", "yml", "json"], key="profile_file")
        if uploaded is not None and ss.get("profile_file_seen") != uploaded.file_id:
            ss["profile_file_seen"] = uploaded.file_id
            try:
                loaded = parse_profile(yaml.safe_load(uploaded.getvalue().decode("utf-8")), uploaded.name)
                ss["profile"] = loaded
                _fill(loaded)
                ss["profile_message"] = ("success", f"{t('profile_ok')}：{loaded.name}")
            except (AdvisorError, yaml.YAMLError, UnicodeDecodeError) as exc:
                ss["profile_message"] = ("error", str(exc))
            st.rerun()
        with st.form("profile_form"):
            st.text_input(t("name"), key="pf_name")
            st.selectbox(t("type"), PARK_TYPES, key="pf_type")
            st.text_input(t("region"), key="pf_region")
            st.text_input(t("industries"), key="pf_industries")
            st.text_input(t("mix"), key="pf_mix")
            for f in NUMBERS:
                st.number_input(_label(f), key=f"pf_{f}", value=None, min_value=0.0)
            for f in TARGETS:
                st.number_input(_label(f), key=f"pf_{f}", value=None, step=1 if f in YEARS else None)
            st.markdown(f"**{t('metrics')}**")
            for f in Metrics.model_fields:
                if f in BOOL_METRICS:
                    st.selectbox(_label(f), BOOL_CHOICES, key=f"pf_{f}")
                else:
                    st.number_input(_label(f), key=f"pf_{f}", value=None)
            apply = st.form_submit_button(t("apply"))
        if apply:
            try:
                ss["profile"] = parse_profile(_form_data())
                ss["profile_message"] = ("success", t("profile_ok"))
            except (AdvisorError, ValueError) as exc:
                ss["profile_message"] = ("error", str(exc))
            st.rerun()
        if message is not None:
            (st.success if message[0] == "success" else st.error)(message[1])
        if (park := profile()) is not None:
            st.caption(park.summary(ss.get("lang", "zh")))
            st.download_button(t("save_yaml"), dump_profile(park).encode("utf-8"), file_name="park.yaml",
                               mime="application/x-yaml", key="profile_download")
            if st.button(t("clear_profile"), key="profile_clear"):
                ss["profile"] = None
                ss.pop("profile_message", None)
                _fill(None)
                st.rerun()
        else:
            st.caption(t("no_profile"))
