"""Indicator self-assessment: a park's values against published indicator systems (``data/indicators.yaml``).

Each row says the indicator, the park's value (or that it is missing), the reference value, met / not met /
unknown / not applicable, the gap, and the passage that states the threshold. A threshold quoted from a bundled
document cites the indexed passage holding that quote; a system whose document is not in the corpus cites the
passage naming its annex and says where the numbers come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from .catalog import Catalog
from .profile import FIELD_LABELS, METRIC_EN, ParkProfile
from .records import Hit
from .text import squeezed

INDICATORS_FILE = Path(__file__).parent / "data" / "indicators.yaml"
Status = Literal["met", "not_met", "unknown", "not_applicable"]
SECTOR_EN = {"建筑": "building", "工业": "industrial", "交通": "transport"}  # the white paper's three sectors
STATUS_LABEL = {"met": ("达标", "met"), "not_met": ("未达标", "not met"), "unknown": ("缺数据", "no data"),
                "not_applicable": ("不适用", "n/a")}
MISSING = ("缺数据", "no data")
UNIT_EN = {"吨CO₂/吨标准煤": "t CO₂/tce", "分": "points"}


@dataclass(frozen=True)
class Indicator:
    name: str
    name_en: str
    field: str
    op: str  # >=, <=, >, ==, bool
    threshold: float | bool
    reference: str
    unit: str
    kind: str
    scope: tuple[float | None, float | None] | None = None
    quote: tuple[str, ...] = ()
    reference_en: str = ""
    sector: str | None = None  # the white paper's sector it measures (工业): no KPI target for a type rated 0 on it

    def reference_text(self, lang: str = "zh") -> str:
        return self.reference_en or self.reference if lang == "en" else self.reference


@dataclass(frozen=True)
class IndicatorSystem:
    key: str
    title: str
    title_en: str
    short: str
    doc: str
    indicators: tuple[Indicator, ...]
    cite: str | None = None
    note: str | None = None
    note_en: str | None = None
    park_types: tuple[str, ...] = ()  # empty: every park type
    region: str | None = None  # the province or city whose parks it is for; None: national
    region_en: str | None = None
    due: str = ""  # when its thresholds are checked (建设期满评估验收时): the year a KPI taken from it must be met by
    due_en: str = ""

    def applies_in(self, region: str | None) -> bool:
        """Is the system the park's own (national, or of the park's province or city), not a benchmark from
        elsewhere? A park whose region is not given cannot be placed in a regional system's region."""
        return self.region is None or bool(region and (self.region in region or (
            self.region_en is not None and self.region_en.lower() in region.lower())))


@dataclass
class AssessmentRow:
    system: str
    indicator: Indicator
    value: float | bool | None
    status: Status
    gap: str
    source: Hit | None
    note: str = ""

    def value_text(self, lang: str = "zh") -> str:
        text = format_value(self.value, self.indicator.unit, lang)
        if isinstance(self.value, float) and self.value < 0 and "下降" in self.indicator.name:
            rise = format_value(-self.value, self.indicator.unit, lang)  # a negative fall is a rise: say so
            text += f" (a {rise} rise)" if lang == "en" else f"（即上升{rise}）"
        return text


@dataclass
class Assessment:
    """The rows per system, the profile fields that were missing, and each system's note."""

    rows: list[AssessmentRow]
    missing: list[str]  # profile field names whose absence left a row unknown
    systems: list[IndicatorSystem] = field(default_factory=list)
    skipped: list[IndicatorSystem] = field(default_factory=list)  # systems for other park types
    region: str | None = None  # the park's region, which decides whether a regional system is its own

    def own(self, system_key: str) -> bool:
        """Does the system with this key apply in the park's region (else it is a benchmark only)?"""
        return next(s for s in self.systems if s.key == system_key).applies_in(self.region)

    def system_note(self, system: IndicatorSystem, lang: str = "zh") -> str | None:
        """The system's own note, and for another region's system that it is a benchmark for this park."""
        note = system.note_en if lang == "en" else system.note
        if system.applies_in(self.region):
            return note
        place = system.region_en or system.region if lang == "en" else system.region
        if lang == "en":
            where = "the park's region is not given" if not self.region else "this park is elsewhere"
            elsewhere = (f"A system for parks in {place}; {where}, so it is shown as a benchmark and is not used for "
                         "this park's KPI targets.")
        else:
            where = "园区档案未填所在地区" if not self.region else "本园区不在该地区"
            elsewhere = f"该体系适用于{place}的园区，{where}：仅作对标参考，不作为本园区的关键指标目标。"
        return f"{note} {elsewhere}" if note else elsewhere

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in STATUS_LABEL}
        for r in self.rows:
            out[r.status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "systems": [{"key": s.key, "title": s.title, "note": self.system_note(s), "region": s.region,
                         "own": s.applies_in(self.region)} for s in self.systems],
            "skipped": [{"key": s.key, "title": s.title, "park_types": list(s.park_types)} for s in self.skipped],
            "rows": [{"system": r.system, "indicator": r.indicator.name, "field": r.indicator.field,
                      "value": r.value, "reference": r.indicator.reference, "status": r.status, "gap": r.gap,
                      "kind": r.indicator.kind, "note": r.note,
                      "source": None if r.source is None else {
                          "doc_title": r.source.meta.title, "section": r.source.chunk.section,
                          "page": r.source.chunk.page, "chunk_id": r.source.chunk.chunk_id}}
                     for r in self.rows],
            "missing": [{"field": f, "label": FIELD_LABELS.get(f, f)} for f in self.missing],
            "counts": self.counts(),
        }


@lru_cache(maxsize=4)
def indicator_systems(path: Path = INDICATORS_FILE) -> tuple[IndicatorSystem, ...]:
    """The systems of the data file (a user may add a province's system there)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    systems = []
    for s in data["systems"]:
        inds = tuple(Indicator(name=i["name"], name_en=i.get("name_en", i["name"]), field=i["field"], op=i["op"],
                               threshold=i["threshold"], reference=str(i["reference"]), unit=i.get("unit", ""),
                               kind=i.get("kind", "guiding"),
                               scope=tuple(i["scope"]) if i.get("scope") else None,  # type: ignore[arg-type]
                               quote=tuple(i.get("quote", ())), reference_en=str(i.get("reference_en", "")),
                               sector=i.get("sector"))
                     for i in s["indicators"])
        systems.append(IndicatorSystem(s["key"], s["title"], s.get("title_en", s["title"]), s.get("short", s["key"]),
                                       s["doc"], inds,
                                       s.get("cite"), s.get("note"), s.get("note_en"), tuple(s.get("park_types", ())),
                                       s.get("region"), s.get("region_en"), s.get("due", ""), s.get("due_en", "")))
    return tuple(systems)


def park_value(profile: ParkProfile, name: str) -> float | bool | None:
    """The park's value for an indicator field: given in the profile, or derived from what it gives."""
    m, p = profile.metrics, profile
    if name == "carbon_per_energy":
        if p.annual_emissions_tco2 is not None and p.annual_energy_tce:
            return p.annual_emissions_tco2 / p.annual_energy_tce
        return None
    if name == "emissions_cut_since_2020":
        if p.annual_emissions_tco2 is not None and m.emissions_2020_tco2:
            return 1 - p.annual_emissions_tco2 / m.emissions_2020_tco2
        return None
    if name in ParkProfile.model_fields:
        return getattr(p, name)
    return getattr(m, name, None)


def needs(name: str) -> list[str]:
    """The profile fields an indicator field is computed from (named when they are missing)."""
    return {"carbon_per_energy": ["annual_emissions_tco2", "annual_energy_tce"],
            "emissions_cut_since_2020": ["annual_emissions_tco2", "emissions_2020_tco2"]}.get(name, [name])


def format_value(value: float | bool | None, unit: str, lang: str = "zh") -> str:
    if value is None:
        return MISSING[lang == "en"]
    if isinstance(value, bool):
        return ("是", "yes")[lang == "en"] if value else ("否", "no")[lang == "en"]
    if unit == "%":
        return f"{value * 100:.1f}%".replace(".0%", "%")
    if lang == "en":
        unit = UNIT_EN.get(unit, unit)
    return f"{value:,.2f}".rstrip("0").rstrip(".") + (f" {unit}" if unit else "")


def _judge(ind: Indicator, value: float | bool | None) -> tuple[Status, str]:
    """Met or not, and the gap in the indicator's unit (percentage points for shares)."""
    if value is None:
        return "unknown", ""
    if ind.op == "bool":
        ok = bool(value) == bool(ind.threshold)
        return ("met" if ok else "not_met"), ("" if ok else "未满足 / not satisfied")
    v, t = float(value), float(ind.threshold)
    ok = {">=": v >= t, ">": v > t, "<=": v <= t, "<": v < t, "==": abs(v - t) < 1e-9}[ind.op]
    if ok:
        return "met", ""
    diff = abs(t - v)
    amount = f"{diff * 100:.1f} 个百分点" if ind.unit == "%" else f"{diff:,.2f} {ind.unit}".strip()
    amount_en = f"{diff * 100:.1f} pp" if ind.unit == "%" else f"{diff:,.2f} {ind.unit}".strip()
    word = ("尚差", "short by") if ind.op in (">=", ">") else ("超出", "over by")
    return "not_met", f"{word[0]} {amount} / {word[1]} {amount_en}"


def find_passage(catalog: Catalog, doc: str, fragments: tuple[str, ...] | list[str]) -> Hit | None:
    """The indexed passage of ``doc`` that contains every fragment, or None. Whitespace does not count: a table row
    is the same row whether the PDF's text gives its cells apart by spaces or by tabs."""
    if not fragments:
        return None
    wanted = [squeezed(f) for f in fragments]
    ids = catalog.chunks_containing(max(fragments[0].split() or [fragments[0]], key=len), limit=200)
    for chunk, meta in catalog.hydrate(ids).values():
        text = squeezed(chunk.text)
        if chunk.doc_id == doc and all(f in text for f in wanted):
            return Hit(0, 0.0, chunk, meta)
    return None


def _in_scope(ind: Indicator, energy: float | None) -> bool | None:
    if ind.scope is None:
        return True
    if energy is None:
        return None
    lo, hi = ind.scope
    return (lo is None or energy >= lo) and (hi is None or energy < hi)


def assess(profile: ParkProfile, catalog: Catalog, systems: tuple[IndicatorSystem, ...] | None = None,
           ratings: dict[str, int] | None = None) -> Assessment:
    """The park against every system; rows of a system whose document is not indexed have no source. An indicator of
    a sector the white paper rates 0 for the park's type (``ratings``: 建筑/工业/交通 → 0–6) does not apply: an office
    district's reclaimed water is no industrial water reuse."""
    systems = systems if systems is not None else indicator_systems()
    applied = [s for s in systems if not s.park_types or profile.park_type in s.park_types]
    rows: list[AssessmentRow] = []
    missing: list[str] = []
    for system in applied:
        general = find_passage(catalog, system.doc, (system.cite,)) if system.cite else None
        scoped_done: set[str] = set()
        for ind in system.indicators:
            value = park_value(profile, ind.field)
            source = find_passage(catalog, system.doc, ind.quote) if ind.quote else general
            note = "" if (source is not None or not ind.quote) else "引用段落未在索引中找到 / cited passage not indexed"
            scope = _in_scope(ind, profile.annual_energy_tce)
            if ind.sector and ratings and ratings.get(ind.sector) == 0:
                rows.append(AssessmentRow(
                    system.key, ind, value, "not_applicable", "", source,
                    f"白皮书典型园区表中{profile.park_type}的{ind.sector}用能/排放评级为0 / the white paper rates this "
                    f"park type's {SECTOR_EN.get(ind.sector, ind.sector)} energy use and emissions 0"))
                continue
            if ind.scope is not None:
                if ind.name in scoped_done:
                    continue
                siblings = [i for i in system.indicators if i.name == ind.name]
                chosen = next((i for i in siblings if _in_scope(i, profile.annual_energy_tce)), None)
                scoped_done.add(ind.name)
                if scope is None:  # energy use unknown: which band applies is unknown too
                    rows.append(AssessmentRow(system.key, ind, value, "unknown", "", source,
                                              "需年综合能耗确定适用档 / annual energy use decides the band"))
                    _add_missing(missing, ["annual_energy_tce", *needs(ind.field)], profile)
                    continue
                if chosen is None:
                    low = min(i.scope[0] or 0 for i in siblings if i.scope)
                    rows.append(AssessmentRow(
                        system.key, ind, value, "not_applicable", "", source,
                        f"阈值适用于年综合能耗{low / 10000:g}万吨标准煤以上的园区 / thresholds cover parks using "
                        f"{low:,.0f} tce a year or more"))
                    continue
                ind = chosen
            status, gap = _judge(ind, value)
            if status == "unknown":
                _add_missing(missing, needs(ind.field), profile)
            rows.append(AssessmentRow(system.key, ind, value, status, gap, source, note))
    return Assessment(rows, missing, applied, [s for s in systems if s not in applied], profile.region)


def _add_missing(missing: list[str], fields: list[str], profile: ParkProfile) -> None:
    for f in fields:
        if park_value(profile, f) is None and f not in missing:
            missing.append(f)


def field_label(name: str, lang: str = "zh") -> str:
    if lang == "en":
        return METRIC_EN.get(name, name)
    return FIELD_LABELS.get(name, name)
