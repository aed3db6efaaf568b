"""Park profile: what a manager or consultant tells the advisor about one park, validated with clear messages."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import AdvisorError

# The white paper's six typical park types (its table 典型园区特点及零碳战略定位).
PARK_TYPES: tuple[str, ...] = ("工业园", "港口物流园", "科技创新园", "产城综合体", "商务办公园", "旅游度假区")
TYPE_ALIASES = {
    "industrial": "工业园", "industrial park": "工业园",
    "port": "港口物流园", "port logistics": "港口物流园", "logistics": "港口物流园",
    "tech": "科技创新园", "science park": "科技创新园", "innovation": "科技创新园",
    "industry-city": "产城综合体", "mixed": "产城综合体",
    "business": "商务办公园", "office": "商务办公园",
    "tourism": "旅游度假区", "resort": "旅游度假区",
    # names parks go by in policy texts and 开发区 catalogues, mapped to the white paper's types
    "化工园区": "工业园", "石化园区": "工业园", "工业园区": "工业园", "经济开发区": "工业园", "经开区": "工业园",
    "经济技术开发区": "工业园", "制造业园区": "工业园", "产业园": "工业园", "产业园区": "工业园",
    "物流园": "港口物流园", "物流园区": "港口物流园", "港口园区": "港口物流园", "综合保税区": "港口物流园",
    "高新区": "科技创新园", "高新技术产业开发区": "科技创新园", "科技园": "科技创新园", "科技园区": "科技创新园",
    "产城融合区": "产城综合体", "新区": "产城综合体",
    "商务区": "商务办公园", "中央商务区": "商务办公园", "总部基地": "商务办公园",
    "度假区": "旅游度假区", "旅游区": "旅游度假区", "景区": "旅游度假区",
}
TYPE_EN = {"工业园": "industrial park", "港口物流园": "port & logistics park", "科技创新园": "science & innovation park",
           "产城综合体": "industry-city complex", "商务办公园": "business & office park", "旅游度假区": "tourism resort"}
FIELD_LABELS = {
    "name": "园区名称 name", "park_type": "园区类型 park_type", "region": "所在地区 region",
    "leading_industries": "主导产业 leading_industries", "energy_mix": "能源结构 energy_mix",
    "annual_emissions_tco2": "年碳排放量 annual_emissions_tco2", "annual_energy_tce": "年综合能耗 annual_energy_tce",
    "renewable_share": "可再生能源占比 renewable_share", "area_km2": "面积 area_km2", "targets": "目标 targets",
    "carbon_peak_year": "碳达峰年份 carbon_peak_year", "carbon_neutral_year": "碳中和年份 carbon_neutral_year",
    "renewable_share_target": "可再生能源占比目标 renewable_share_target",
    "emission_cut_pct": "减排比例目标 emission_cut_pct", "target_year": "目标年份 target_year",
    "metrics": "评价指标数据 metrics",
    "emissions_2020_tco2": "2020年碳排放量 emissions_2020_tco2",
    "intensity_cut_since_2020": "单位产值碳排放较2020年降幅 intensity_cut_since_2020",
    "clean_energy_share": "清洁能源消费占比 clean_energy_share",
    "solid_waste_utilization": "工业固废综合利用率 solid_waste_utilization",
    "waste_heat_utilization": "余热余冷余压利用率 waste_heat_utilization",
    "water_reuse_rate": "工业用水重复利用率 water_reuse_rate",
    "green_power_purchase_share": "购买绿电比例 green_power_purchase_share",
    "green_building_share": "二星级以上绿色建筑面积比例 green_building_share",
    "green_travel_share": "绿色交通出行比例 green_travel_share",
    "renewable_streetlight_share": "新能源路灯占比 renewable_streetlight_share",
    "green_cover_share": "绿化覆盖率 green_cover_share",
    "waste_sorting_rate": "生活垃圾分类收集率 waste_sorting_rate",
    "offset_share": "CCER等抵消占排放比例 offset_share",
    "industry_value_added_share": "工业增加值占比 industry_value_added_share",
    "clean_production_audit_share": "重点企业清洁生产审核实施率 clean_production_audit_share",
    "products_at_quota_grade2": "产品单位能耗达能耗限额二级 products_at_quota_grade2",
    "carbon_management_system": "已建碳排放管理体系 carbon_management_system",
    "carbon_monitoring_system": "已建碳排放监测系统 carbon_monitoring_system",
    "no_major_incident_3y": "近三年无重大污染/安全事故 no_major_incident_3y",
    "zhejiang_score": "浙江导则自评总分 zhejiang_score",
}
METRIC_EN = {
    "emissions_2020_tco2": "2020 emissions (t CO2)", "intensity_cut_since_2020": "Emission-intensity cut since 2020",
    "clean_energy_share": "Clean-energy share", "solid_waste_utilization": "Solid-waste utilisation",
    "waste_heat_utilization": "Waste heat/cold/pressure utilisation", "water_reuse_rate": "Industrial water reuse",
    "green_power_purchase_share": "Purchased green power share", "green_building_share": "2-star+ green building share",
    "green_travel_share": "Green trips share", "renewable_streetlight_share": "Renewable street lights share",
    "green_cover_share": "Green cover", "waste_sorting_rate": "Waste sorting rate", "offset_share": "Offsets share",
    "industry_value_added_share": "Industry share of value added",
    "clean_production_audit_share": "Key firms with cleaner-production audit",
    "products_at_quota_grade2": "Products at energy-quota grade 2", "carbon_management_system": "Carbon management system",
    "carbon_monitoring_system": "Carbon monitoring system", "no_major_incident_3y": "No major accident in 3 years",
    "zhejiang_score": "Zhejiang guide self-score",
}


class ProfileError(AdvisorError):
    """A park profile that is missing fields or holds impossible values."""


class Targets(BaseModel):
    """The park's own goals."""

    model_config = ConfigDict(extra="forbid")

    carbon_peak_year: int | None = Field(None, ge=2020, le=2060)
    carbon_neutral_year: int | None = Field(None, ge=2025, le=2070)
    renewable_share_target: float | None = Field(None, ge=0, le=1)
    emission_cut_pct: float | None = Field(None, ge=0, le=100)
    target_year: int | None = Field(None, ge=2024, le=2070)

    @model_validator(mode="after")
    def _order(self) -> Targets:
        if self.carbon_peak_year and self.carbon_neutral_year and self.carbon_neutral_year < self.carbon_peak_year:
            raise ValueError("碳中和年份早于碳达峰年份 / carbon_neutral_year is before carbon_peak_year")
        return self


class Metrics(BaseModel):
    """Values the indicator systems ask for (all optional; shares are fractions between 0 and 1)."""

    model_config = ConfigDict(extra="forbid")

    emissions_2020_tco2: float | None = Field(None, ge=0, le=1e8)
    intensity_cut_since_2020: float | None = Field(None, ge=-1, le=1)
    clean_energy_share: float | None = Field(None, ge=0, le=1)
    solid_waste_utilization: float | None = Field(None, ge=0, le=1)
    waste_heat_utilization: float | None = Field(None, ge=0, le=1)
    water_reuse_rate: float | None = Field(None, ge=0, le=1)
    green_power_purchase_share: float | None = Field(None, ge=0, le=1)
    green_building_share: float | None = Field(None, ge=0, le=1)
    green_travel_share: float | None = Field(None, ge=0, le=1)
    renewable_streetlight_share: float | None = Field(None, ge=0, le=1)
    green_cover_share: float | None = Field(None, ge=0, le=1)
    waste_sorting_rate: float | None = Field(None, ge=0, le=1)
    offset_share: float | None = Field(None, ge=0, le=1)
    industry_value_added_share: float | None = Field(None, ge=0, le=1)
    clean_production_audit_share: float | None = Field(None, ge=0, le=1)
    products_at_quota_grade2: bool | None = None
    carbon_management_system: bool | None = None
    carbon_monitoring_system: bool | None = None
    no_major_incident_3y: bool | None = None
    zhejiang_score: float | None = Field(None, ge=0, le=110)


class ParkProfile(BaseModel):
    """One park. Shares are fractions between 0 and 1; emissions in t CO2/yr; energy in t of standard coal/yr."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(..., min_length=1, max_length=100)
    park_type: str
    region: str | None = Field(None, max_length=100)
    leading_industries: list[str] = Field(default_factory=list, max_length=20)
    energy_mix: dict[str, float] = Field(default_factory=dict)
    annual_emissions_tco2: float | None = Field(None, ge=0, le=1e8)
    annual_energy_tce: float | None = Field(None, ge=0, le=5e7)
    renewable_share: float | None = Field(None, ge=0, le=1)
    area_km2: float | None = Field(None, gt=0, le=5000)
    targets: Targets = Field(default_factory=Targets)
    metrics: Metrics = Field(default_factory=Metrics)

    @field_validator("park_type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        text = str(value or "").strip()
        text = TYPE_ALIASES.get(text.lower(), text)
        if text not in PARK_TYPES:
            raise ValueError(f"未知园区类型“{value}”，可选：{'、'.join(PARK_TYPES)} / unknown park type "
                             f"'{value}'; choose one of: {', '.join(PARK_TYPES)}")
        return text

    @field_validator("energy_mix")
    @classmethod
    def _mix(cls, mix: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= v <= 1 for v in mix.values()):
            raise ValueError("各能源占比应为 0–1 之间的小数 / each share must be a fraction between 0 and 1")
        if mix and sum(mix.values()) > 1.01:
            raise ValueError(f"能源占比之和为 {sum(mix.values()):.2f}，不能超过 1 / shares add up to "
                             f"{sum(mix.values()):.2f}, more than 1")
        return mix

    # -- views ------------------------------------------------------------------------------------------
    def gap_to_target(self) -> float | None:
        """Renewable-share points still to gain, when both the current share and the target are known."""
        if self.renewable_share is None or self.targets.renewable_share_target is None:
            return None
        return max(0.0, self.targets.renewable_share_target - self.renewable_share)

    def summary(self, lang: str = "zh") -> str:
        """Facts stated to the model and shown to the user."""
        parts: list[str] = []
        if lang == "en":
            parts.append(f"{self.name}: a {TYPE_EN[self.park_type]} ({self.park_type})")
            if self.region:
                parts.append(f"in {self.region}")
            if self.leading_industries:
                parts.append("leading industries: " + ", ".join(self.leading_industries))
            if self.energy_mix:
                parts.append("energy mix: " + ", ".join(f"{k} {v:.0%}" for k, v in self.energy_mix.items()))
            if self.annual_energy_tce is not None:
                parts.append(f"energy use {self.annual_energy_tce:,.0f} tce/yr")
            if self.annual_emissions_tco2 is not None:
                parts.append(f"emissions {self.annual_emissions_tco2:,.0f} t CO2/yr")
            if self.renewable_share is not None:
                parts.append(f"renewable share {self.renewable_share:.0%}")
            t = self.targets
            if t.carbon_peak_year:
                parts.append(f"peak by {t.carbon_peak_year}")
            if t.carbon_neutral_year:
                parts.append(f"neutral by {t.carbon_neutral_year}")
            if t.renewable_share_target is not None:
                parts.append(f"renewable target {t.renewable_share_target:.0%}")
            return "; ".join(parts)
        parts.append(f"{self.name}（{self.park_type}）")
        if self.region:
            parts.append(f"位于{self.region}")
        if self.leading_industries:
            parts.append("主导产业：" + "、".join(self.leading_industries))
        if self.energy_mix:
            parts.append("能源结构：" + "、".join(f"{k}{v:.0%}" for k, v in self.energy_mix.items()))
        if self.annual_energy_tce is not None:
            parts.append(f"年综合能耗约{self.annual_energy_tce:,.0f}吨标准煤")
        if self.annual_emissions_tco2 is not None:
            parts.append(f"年碳排放约{self.annual_emissions_tco2:,.0f}吨二氧化碳")
        if self.renewable_share is not None:
            parts.append(f"可再生能源占比{self.renewable_share:.0%}")
        t = self.targets
        if t.carbon_peak_year:
            parts.append(f"计划{t.carbon_peak_year}年碳达峰")
        if t.carbon_neutral_year:
            parts.append(f"计划{t.carbon_neutral_year}年碳中和")
        if t.renewable_share_target is not None:
            parts.append(f"可再生能源占比目标{t.renewable_share_target:.0%}")
        if t.emission_cut_pct is not None:
            parts.append(f"减排目标{t.emission_cut_pct:g}%" + (f"（{t.target_year}年）" if t.target_year else ""))
        return "；".join(parts)

    def query_terms(self) -> str:
        """Words added to retrieval queries so that passages about this kind of park rank higher."""
        return " ".join([self.park_type, *self.leading_industries[:3]])


NESTED: dict[str, type[BaseModel]] = {"targets": Targets, "metrics": Metrics}


def _field_paths() -> list[str]:
    """Every field a profile may hold, nested ones as ``targets.carbon_peak_year``."""
    return [f"{name}.{sub}" if name in NESTED else name
            for name in ParkProfile.model_fields for sub in (NESTED[name].model_fields if name in NESTED else [""])]


def _did_you_mean(name: str) -> str:
    """The fields an unknown one was probably meant as (a similar name, or one containing it, wherever it sits)."""
    paths = list(NESTED) + _field_paths()
    names = [p.split(".")[-1] for p in paths]
    close = difflib.get_close_matches(name, names, n=2, cutoff=0.6)
    close += [n for n in names if len(name) >= 3 and name in n and n not in close][: 2 - len(close)]
    found = [p for c in close for p in paths if p.split(".")[-1] == c]
    return f"，是否应为 / did you mean: {' 或 / or '.join(found)}" if found else ""


def _allowed(parent: str) -> str:
    """The fields allowed where an unknown one sits (top level, or under targets / metrics)."""
    model = NESTED.get(parent, ParkProfile) if parent in NESTED or not parent else None
    return f"；可用字段 / allowed: {', '.join(model.model_fields)}" if model else ""


def _explain(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
        label = " › ".join(FIELD_LABELS.get(p, p) for p in loc) or "profile"
        kind = err["type"]
        if kind == "missing":
            msg = "缺少必填项 / required field is missing"
        elif kind == "extra_forbidden":
            msg = "未知字段 / unknown field" + _did_you_mean(loc[-1] if loc else "") + _allowed(".".join(loc[:-1]))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            sign = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
            limit = next(iter(err.get("ctx", {}).values()), "")
            msg = f"数值 {err.get('input')!r} 超出范围，应 {sign} {limit} / value {err.get('input')!r} must be {sign} {limit}"
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
        else:
            msg = f"格式错误 / invalid value: {err['msg']}"
        lines.append(f"{label}: {msg}")
    return lines


def parse_profile(data: Any, source: str | Path | None = None) -> ParkProfile:
    """Validate a mapping into a ``ParkProfile``; ``ProfileError`` lists every problem."""
    if not isinstance(data, dict):
        raise ProfileError("园区档案应为键值对（YAML/JSON 对象）", "a park profile must be a mapping (YAML/JSON object)",
                           source)
    try:
        return ParkProfile.model_validate(data)
    except ValidationError as exc:
        lines = _explain(exc)
        raise ProfileError("园区档案有误：" + "；".join(lines), "invalid park profile (each item is given before, in both "
                           "languages)",
                           source) from exc


def load_profile(path: Path) -> ParkProfile:
    """Read a profile from YAML or JSON."""
    path = Path(path)
    if not path.is_file():
        raise ProfileError("园区档案文件不存在", "profile file not found", path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError("园区档案不是合法的 YAML/JSON", f"profile is not valid YAML/JSON: {exc}", path) from exc
    return parse_profile(data, path)


def dump_profile(profile: ParkProfile) -> str:
    return yaml.safe_dump(profile.model_dump(exclude_none=True), allow_unicode=True, sort_keys=False)
