"""Pathway drafting: a park-specific transition pathway (转型路径) in the white paper's framework.

Each section is retrieved with park-specific queries; measures are quoted from passages (offline) or written by the
LLM from fenced passages and validated like answers. Emphasis follows the white paper's table of typical park types
(its 建筑/工业/交通 用能 ratings), read from the indexed corpus, not written per type in code.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .catalog import Catalog
from .citations import check
from .config import Settings
from .extractive import candidates as sentence_candidates
from .extractive import select_mmr
from .llm import LLMUnavailable, chat
from .profile import PARK_TYPES, ParkProfile
from .prompting import PROMPTS_DIR, fence, render
from .records import Hit
from .retrieval import Searcher

TYPE_TABLE_HEADER = "园区类型\t特点\t用能 / 排放\t零碳园区战略定位"
KPI_TABLE_TITLE = "零碳园区建设关键指标"
SECTORS = ("建筑", "工业", "交通")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    title_en: str
    measures: int
    queries: tuple[str, ...]
    sector: str | None = None


@dataclass(frozen=True)
class TypeRow:
    """One row of the white paper's table of typical park types."""

    park_type: str
    features: str
    ratings: dict[str, int]  # 建筑/工业/交通 → filled squares (0–6)
    positioning: str
    source: Hit  # the table passage, cited for the type's positioning


@dataclass
class Measure:
    text: str
    refs: list[int]  # global reference numbers
    responds_to: list[str] = field(default_factory=list)


@dataclass
class PathwaySection:
    key: str
    title: str
    context: list[str]  # the park's own facts for this section (no citation needed)
    measures: list[Measure]
    priority: str | None = None  # 重点 / 一般 for the sector sections
    rating: int | None = None


@dataclass
class Kpi:
    name: str
    current: str
    target: str
    basis: str
    ref: int | None = None


@dataclass
class Pathway:
    """A draft pathway; ``references[n-1]`` is the passage behind marker ``[n]``."""

    profile: ParkProfile
    sections: list[PathwaySection]
    kpis: list[Kpi]
    references: list[Hit]
    mode: str
    flags: dict[str, Any]
    created: str
    seconds: float = 0.0

    def section(self, key: str) -> PathwaySection:
        return next(s for s in self.sections if s.key == key)

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile.model_dump(exclude_none=True), "mode": self.mode, "flags": self.flags,
            "created": self.created, "seconds": round(self.seconds, 3),
            "sections": [{"key": s.key, "title": s.title, "priority": s.priority, "rating": s.rating,
                          "context": s.context,
                          "measures": [{"text": m.text, "refs": m.refs, "responds_to": m.responds_to}
                                       for m in s.measures]} for s in self.sections],
            "kpis": [k.__dict__ for k in self.kpis],
            "references": [{"n": i, "chunk_id": h.chunk.chunk_id, "doc_title": h.meta.title, "source": h.meta.source,
                            "section": h.chunk.section, "page": h.chunk.page, "text": h.chunk.text}
                           for i, h in enumerate(self.references, start=1)],
        }


@lru_cache(maxsize=4)
def section_specs(path: Path = PROMPTS_DIR / "pathway_sections.yaml") -> tuple[SectionSpec, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(SectionSpec(key=s["key"], title=s["title"], title_en=s["title_en"], measures=int(s["measures"]),
                             queries=tuple(s["queries"]), sector=s.get("sector")) for s in data["sections"])


def type_table(catalog: Catalog) -> dict[str, TypeRow]:
    """The white paper's 典型园区特点及零碳战略定位 table, parsed from the indexed chunks."""
    rows: dict[str, TypeRow] = {}
    ids = catalog.chunks_containing(TYPE_TABLE_HEADER)
    for chunk, meta in catalog.hydrate(ids).values():
        for line in chunk.text.split("\n"):
            cells = line.split("\t")
            if len(cells) >= 4 and cells[0] in PARK_TYPES:
                ratings = {s: len(m.group(1)) if (m := re.search(rf"{s}\s*(■*)", cells[2])) else 0 for s in SECTORS}
                rows[cells[0]] = TypeRow(cells[0], cells[1], ratings, cells[3], Hit(0, 0.0, chunk, meta))
    return rows


def _facts(profile: ParkProfile, key: str) -> list[str]:
    """The profile facts a section responds to, with the numbers that matter there."""
    p, t = profile, profile.targets
    out: list[str] = []
    if key in ("positioning", "energy") and p.energy_mix:
        out.append("能源结构：" + "、".join(f"{k}{v:.0%}" for k, v in p.energy_mix.items()))
    if key in ("energy", "kpis", "positioning") and p.renewable_share is not None:
        gap = p.gap_to_target()
        target = f"，目标{t.renewable_share_target:.0%}，尚差{gap * 100:.0f}个百分点" if gap is not None else ""
        out.append(f"可再生能源占比{p.renewable_share:.0%}{target}")
    if key in ("positioning", "industry", "kpis", "phases") and p.annual_emissions_tco2 is not None:
        cut = ""
        if t.emission_cut_pct is not None:
            cut = (f"；按{t.target_year or ''}{'年' if t.target_year else ''}减排{t.emission_cut_pct:g}%的目标，需减少约"
                   f"{p.annual_emissions_tco2 * t.emission_cut_pct / 100:,.0f}吨")
        out.append(f"年碳排放约{p.annual_emissions_tco2:,.0f}吨二氧化碳{cut}")
    if key in ("positioning", "smart", "kpis") and p.annual_energy_tce is not None:
        out.append(f"年综合能耗约{p.annual_energy_tce:,.0f}吨标准煤")
        if p.annual_emissions_tco2 is not None and p.annual_energy_tce:
            out.append(f"单位能耗碳排放约{p.annual_emissions_tco2 / p.annual_energy_tce:.2f}吨二氧化碳/吨标准煤")
    if key in ("positioning", "industry") and p.leading_industries:
        out.append("主导产业：" + "、".join(p.leading_industries))
    if key == "transport":
        oil = {k: v for k, v in p.energy_mix.items() if any(w in k for w in ("柴油", "汽油", "燃油"))}
        if oil:
            out.append("交通燃油占比：" + "、".join(f"{k}{v:.0%}" for k, v in oil.items()))
    if key == "buildings" and p.area_km2:
        out.append(f"园区面积约{p.area_km2:g}平方公里")
    if key in ("phases", "kpis", "positioning"):
        if t.carbon_peak_year:
            out.append(f"计划{t.carbon_peak_year}年碳达峰")
        if t.carbon_neutral_year:
            out.append(f"计划{t.carbon_neutral_year}年碳中和")
    return out


def _span(start: int, end: int) -> str:
    return f"{start}年" if end <= start else f"{start}—{end}年"


def _phases(profile: ParkProfile, year: int) -> list[str]:
    """近期 / 中期 / 远期 from the park's own peak and neutrality years (2030 and 2060 when it has none)."""
    t = profile.targets
    peak = max(t.carbon_peak_year or 2030, year + 1)
    neutral = max(t.carbon_neutral_year or 2060, peak + 1)
    near_end = min(year + 2, peak - 1)
    return [f"近期（{_span(year, near_end)}）：摸清碳排放底数，建设能碳管理平台，启动屋顶光伏、储能等见效快的项目。",
            f"中期（{_span(near_end + 1, peak)}）：推进重点领域改造，实现园区碳达峰。",
            f"远期（{_span(peak + 1, neutral)}）：深度脱碳并以碳汇、绿电交易等抵消剩余排放，实现碳中和。"]


class PathwayDrafter:
    """Drafts a ``Pathway`` for a ``ParkProfile`` over one searcher (LLM mode when ``chat_model`` is set)."""

    def __init__(self, settings: Settings, searcher: Searcher, chat_model=None) -> None:
        self.settings, self.searcher, self.chat_model = settings, searcher, chat_model

    @staticmethod
    def _queries(spec: SectionSpec, profile: ParkProfile) -> list[str]:
        values = {"park_type": profile.park_type, "industries": " ".join(profile.leading_industries[:3]),
                  "region": profile.region or ""}
        return [q.format(**values) for q in spec.queries]

    def _hits(self, queries: list[str]) -> list[Hit]:
        seen: dict[str, Hit] = {}
        for q in queries:
            for h in self.searcher.search(q, k=4):
                seen.setdefault(h.chunk.chunk_id, h)
        return list(seen.values())[:8]

    def draft(self, profile: ParkProfile, today: date | None = None) -> Pathway:
        t0 = time.perf_counter()
        today = today or date.today()
        table = type_table(self.searcher.catalog)
        row = table.get(profile.park_type)
        flags: dict[str, Any] = {"fallback_reason": None, "type_table_found": row is not None,
                                 "dropped_measures": 0}
        references: list[Hit] = []
        ref_of: dict[str, int] = {}

        def ref(hit: Hit) -> int:
            if hit.chunk.chunk_id not in ref_of:
                references.append(hit)
                ref_of[hit.chunk.chunk_id] = len(references)
            return ref_of[hit.chunk.chunk_id]

        used: set[str] = set()
        sections: list[PathwaySection] = []
        use_llm = self.chat_model is not None
        for spec in section_specs():
            queries = self._queries(spec, profile)
            hits = self._hits(queries)
            rating = row.ratings.get(spec.sector) if (row and spec.sector) else None
            n = spec.measures if rating is None else max(1, round(spec.measures * rating / 6))
            facts = _facts(profile, spec.key)
            measures: list[Measure] = []
            if spec.key == "positioning" and row:
                measures.append(Measure(f"{row.park_type}的零碳战略定位：{row.positioning}", [ref(row.source)], facts))
            if use_llm and hits:
                try:
                    measures += self._llm_measures(spec, profile, hits, n, facts, ref, flags)
                except LLMUnavailable as exc:
                    use_llm = False
                    flags["fallback_reason"] = f"{exc}；已改用离线摘录模式 / drafted in offline extractive mode instead"
            if not use_llm or not measures:
                candidates, _ = sentence_candidates(self.searcher.analyze(" ".join(queries)), hits)
                # table rows and fragments make poor measures: keep whole sentences of some length
                candidates = [c for c in candidates if len(c.text) >= 15 and " | " not in c.text and c.text not in used]
                for c in select_mmr(candidates, n, self.settings.mmr_lambda, min_ratio=0.0):
                    used.add(c.text)
                    measures.append(Measure(c.text, [ref(hits[c.passage - 1])], facts))
            context = facts + (_phases(profile, today.year) if spec.key == "phases" else [])
            priority = None
            if rating is not None:
                priority = "重点" if rating >= 4 else "一般"
            sections.append(PathwaySection(spec.key, spec.title, context, measures, priority, rating))
        sections = self._order(sections)
        kpis = self._kpis(profile, ref)
        return Pathway(profile, sections, kpis, references, "llm" if use_llm else "offline", flags,
                       today.isoformat(), time.perf_counter() - t0)

    @staticmethod
    def _order(sections: list[PathwaySection]) -> list[PathwaySection]:
        """Sector sections (industry, buildings, transport) in the order of the park type's ratings."""
        sector = [s for s in sections if s.rating is not None]
        ranked = iter(sorted(sector, key=lambda s: -(s.rating or 0)))
        return [next(ranked) if s.rating is not None else s for s in sections]

    def _llm_measures(self, spec, profile, hits, n, facts, ref, flags) -> list[Measure]:
        prompt = render("pathway_section", section=spec.title, profile=profile.summary(),
                        passages=fence(hits), n=str(n))
        reply = chat(self.chat_model, self.settings.llm, "你是严谨的零碳园区咨询顾问，只依据资料提出措施。", prompt)
        out = []
        for line in reply.splitlines():
            line = line.strip().lstrip("-•*0123456789.、 ").strip()
            if not line:
                continue
            checked = check(line, len(hits))
            if not checked.used:
                flags["dropped_measures"] += 1  # a measure without a valid citation is not kept
                continue
            text = re.sub(r"\[\d+\]", "", checked.text).strip()
            out.append(Measure(text, [ref(hits[i - 1]) for i in checked.used], facts))
        return out[:n]

    def _kpis(self, profile: ParkProfile, ref) -> list[Kpi]:
        """Quantified indicators from the profile, grounded in the white paper's indicator system."""
        basis_ids = self.searcher.catalog.chunks_containing("绿电使用率", limit=5)
        table_ids = self.searcher.catalog.chunks_containing(KPI_TABLE_TITLE, limit=5)
        found = self.searcher.catalog.hydrate(basis_ids + table_ids)
        basis = [Hit(0, 0.0, *found[i]) for i in basis_ids + table_ids if i in found]
        basis_ref = ref(basis[0]) if basis else None
        table_ref = ref(basis[-1]) if len(basis) > 1 else basis_ref
        p, t = profile, profile.targets
        kpis = [Kpi("绿电使用率（可再生能源占比）", f"{p.renewable_share:.0%}" if p.renewable_share is not None else "待核算",
                    f"{t.renewable_share_target:.0%}" if t.renewable_share_target is not None else "逐年提高",
                    "能源供给", basis_ref)]
        if p.annual_emissions_tco2 is not None:
            target = (f"{p.annual_emissions_tco2 * (1 - t.emission_cut_pct / 100):,.0f} 吨" +
                      (f"（{t.target_year}年）" if t.target_year else "")) if t.emission_cut_pct is not None else "达峰后下降"
            kpis.append(Kpi("年碳排放总量（吨二氧化碳）", f"{p.annual_emissions_tco2:,.0f} 吨", target, "碳排放", basis_ref))
        if p.annual_emissions_tco2 is not None and p.annual_energy_tce:
            kpis.append(Kpi("碳排放强度（吨二氧化碳/吨标准煤）", f"{p.annual_emissions_tco2 / p.annual_energy_tce:.2f}",
                            "持续下降", "能源利用", basis_ref))
        kpis.append(Kpi("碳中和年份", "—", f"{t.carbon_neutral_year}年" if t.carbon_neutral_year else "2060年前",
                        "碳排放", basis_ref))
        kpis.append(Kpi("能碳管理平台覆盖率", "待核算", "覆盖主要用能企业", "能源管理", table_ref))
        kpis.append(Kpi("储能与微电网", "待核算", "构建储能体系、使用微电网系统", "能源供给", table_ref))
        return kpis
