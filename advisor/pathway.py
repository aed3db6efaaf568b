"""Pathway drafting: a park-specific transition pathway (转型路径) in the white paper's framework.

Measures are chosen by the park, not by fixed queries: its main energy carriers, sectors, climate zone and park
type set the queries and decide which sentences apply (``applicability``), and each indicator it misses brings the
measure that addresses it (``levers``); only sentences that are a park's action measures (``sentence_kinds``) are
drafted, each citing the passage that states it. Phases, the trajectory and the KPI targets
are the park's own numbers (``trajectory``); KPI rows cite a passage only when that passage states the target.
Emphasis follows the white paper's table of typical park types (its 建筑/工业/交通 ratings), read from the index.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .applicability import (
    LIST_SECTORS,
    ParkContext,
    about_fuel,
    carrier_of,
    carrier_queries,
    carrier_words,
    conflict,
    context_for,
    issuing_place,
    named_sectors,
    production_sectors,
    promotes,
    relevance,
    sector_queries,
)
from .assessment import SECTOR_EN, Assessment, AssessmentRow, Indicator, assess
from .catalog import Catalog
from .citations import check
from .config import AnswerSettings, LLMSettings
from .extractive import Candidate, select_mmr
from .extractive import candidates as sentence_candidates
from .levers import Gap, gaps
from .llm import LLMUnavailable, chat
from .profile import PARK_TYPES, TYPE_EN, ParkProfile
from .prompting import PROMPTS_DIR, fence, render
from .records import Hit
from .retrieval import Searcher
from .sentence_kinds import NOT_ACTIONS, classify
from .text import char_bigrams, trail
from .trajectory import Trajectory, trajectory

TYPE_TABLE_HEADER = "园区类型\t特点\t用能 / 排放\t零碳园区战略定位"
SECTORS = ("建筑", "工业", "交通")
# A sentence naming the park's own sectors, carriers or type gains this much per word (at most three words), on
# the extractive score's 0–1 scale; set on the eight example profiles (the pathway dev set, evals/profiles).
RELEVANCE_WEIGHT = 0.25
# Outside the type's priority sectors a section drafts at most this many general measures (no word of the park):
# every park would get them, so more would make drafts for different parks alike. Chosen on the dev parks (0 left
# office parks with three measures; 2 made more pairs of parks alike than 1).
MAX_GENERAL = 1
# ... and a whole draft at most this many, in the order the sections are drafted (energy supply first, the sector
# sections in the file's order before they are sorted by the type's ratings): general lines are what drafts for
# different parks share. Chosen on the dev parks: 2 / 3 / 4 / no cap → mean shared 14.9 / 15.6 / 17.8 / 23.3 %,
# pairs above 20 % 6 / 5 / 8 / 13 of 26, and 3 was kept for the office park's six measures. Once city-, region- and
# nation-scale lines were no longer drafted (sentence_kinds "public"), the general lines left were the same few for
# every park: 3 → mean 22.8 %, 12 of 26 pairs above 20 %; 2 → 15.7 %, 6 of 26 (the office park keeps five measures).
# Later, with fuel lines that add the fuel left out: 2 → mean 11.8 %, 5 of 26 pairs above 20 %; 1 → 7.5 %, 2 of 26
# (median 10 → 9 measures; the lines the cap keeps out are still shown, apart, as the section's common reference
# lines when the section has no line of its own). The one line left was nearly always the same (the zero-carbon park
# notice's 加强园区及周边可再生能源开发利用…), in five of the eight dev drafts: 1 → 0 gave dev mean 9.7 → 4.6 %, max
# 33.3 → 27.3 %, pairs above 20 % 3 → 2 of 26 (median 10 → 9 measures); a draft now lists only lines of its own park.
MAX_GENERAL_DRAFT = 0
# A section the cap leaves without measures still shows its best general lines (at most this many), apart and not
# counted as the park's (``PathwaySection.common``): a consultant gets the section's baseline, not an empty section.
COMMON_PER_SECTION = 2
# ... and a section with measures of its own its best one: with no general measure drafted, an office park's energy
# section would otherwise no longer show the zero-carbon park notice's green-power line (绿电直连, 绿证绿电交易), its
# main lever from 5 % renewables to 60 %. Not counted as the park's measures: the shared-measure figures of pathway
# dev and test are the same with it as without.
COMMON_BESIDE_OWN = 1
COMMON_LISTED = ("本节检索到的措施均为各类园区通用的措施（未涉及本园区的行业、能源或类型特点），列为通用参考措施，"
                 "未计入本园区措施；请结合园区实际取舍。",
                 "Only measures common to every park were found for this section (they name none of this park's "
                 "sectors, fuels or type): they are listed as common reference measures, not as this park's own; "
                 "keep those that fit.")
# Per share of a sentence's bigrams found in what sets its park type's row of the white paper's table apart (bigrams
# no other type's row uses: 旅游, 景观 for a resort; 港口, 物流 for a port park). Chosen on the dev parks with the
# sections' topic words: 2 / 3 / 4 / 6 / 8 → mean shared 17.2 / 13.5 / 13.5 / 12.4 / 11.8 %, pairs above 20 %
# 5 / 4 / 5 / 4 / 3 of 26. 3 is the smallest weight with the lower mean; 6 and 8 share less still, but at those
# weights a line's two or three type bigrams outweigh the search's own ranking of it, and their drafts were not
# read for quality, so the step was kept small.
FOCUS_WEIGHT = 3.0
COMPUTED = "按园区档案测算"
COMPUTED_EN = "computed from the profile"
CARRIER_EN = {"煤": "coal", "油": "oil products", "气": "gas", "电": "electricity", "热": "purchased steam/heat",
              "液化气": "LPG"}
CARRIER_ZH = {"热": "外购蒸汽/热力", "液化气": "液化石油气"}  # how a carrier key is shown where its one-character key would not read
ZONE_EN = {"严寒": "severe cold", "寒冷": "cold", "夏热冬冷": "hot summer, cold winter", "夏热冬暖": "hot summer, warm winter",
           "温和": "mild"}


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    title_en: str
    measures: int
    queries: tuple[str, ...]
    sector: str | None = None
    carriers: bool = False
    sectors: bool = False
    topic: tuple[str, ...] = ()  # a measure of the section names one of these (a transport line is no building measure)
    features: tuple[str, ...] = ()  # a park type whose white-paper features name one has the section as a priority

    def on_topic(self, text: str) -> bool:
        """Does a measure belong in this section (offline quotes and the model's lines alike)?"""
        return not self.topic or any(w in text for w in self.topic)


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
    # names none of the park's sectors, fossil fuels or type words, outside the type's priority sectors: to adapt
    general: bool = False
    gap: tuple[str, str] | None = None  # (zh, en) name of the indicator the park misses that the measure addresses
    # the province or city whose document states it, when the park is elsewhere: a regional text, for reference
    source_region: str | None = None


@dataclass
class PathwaySection:
    key: str
    title: str
    context: list[str]  # the park's own facts and computed figures for this section (no citation needed)
    measures: list[Measure]
    priority: str | None = None  # 重点 / 一般 for the sector sections
    rating: int | None = None
    title_en: str = ""
    context_en: list[str] = field(default_factory=list)
    note: tuple[str, str] | None = None  # (zh, en): why the section lists no measures, when it lists none
    # general lines the draft's cap left out: shown apart as common reference lines, not counted as the park's measures
    common: list[Measure] = field(default_factory=list)

    def facts(self, lang: str = "zh") -> list[str]:
        return self.context_en if lang == "en" and self.context_en else self.context

    def note_text(self, lang: str = "zh") -> str | None:
        return None if self.note is None else self.note[lang == "en"]


@dataclass
class Kpi:
    name: str
    current: str
    target: str
    basis: str
    ref: int | None = None  # only when the cited passage states the target
    name_en: str = ""
    target_en: str = ""


@dataclass
class DraftNotes:
    """What a draft's reader should know besides the text."""

    fallback_reason: str | None = None  # why the LLM was not used
    type_table_found: bool = False
    dropped_measures: int = 0  # LLM measures without a valid citation, or that do not apply to the park
    excluded: dict[str, int] = field(default_factory=dict)  # candidate sentences left out, by reason

    def messages(self, lang: str = "zh") -> list[tuple[str, str]]:
        """(level, text) lines for CLI, app and export."""
        out: list[tuple[str, str]] = []
        if self.fallback_reason:
            out.append(("warning", self.fallback_reason))
        if self.dropped_measures:
            out.append(("info", f"{self.dropped_measures} measures from the model were dropped (no valid citation "
                                "or not applicable to this park)" if lang == "en" else
                        f"已舍弃模型给出的{self.dropped_measures}条措施（无有效引用或不适用于本园区）"))
        return out


@dataclass
class Pathway:
    """A draft pathway; ``references[n-1]`` is the passage behind marker ``[n]``."""

    profile: ParkProfile
    sections: list[PathwaySection]
    kpis: list[Kpi]
    references: list[Hit]
    mode: str
    notes: DraftNotes
    created: str
    trajectory: Trajectory
    assessment: Assessment | None = None
    context: ParkContext | None = None
    seconds: float = 0.0

    def section(self, key: str) -> PathwaySection:
        return next(s for s in self.sections if s.key == key)

    def reference_numbers(self) -> dict[str, int]:
        """chunk id → its [n] in the reference list."""
        return {h.chunk.chunk_id: n for n, h in enumerate(self.references, start=1)}

    def measures(self) -> list[tuple[str, Measure]]:
        return [(s.key, m) for s in self.sections for m in s.measures]

    def general_count(self) -> tuple[int, int]:
        """(general measures, drafted measures); the positioning line is the type table's, not a drafted measure."""
        drafted = [m for key, m in self.measures() if key != "positioning"]
        return sum(m.general for m in drafted), len(drafted)

    def messages(self, lang: str = "zh") -> list[tuple[str, str]]:
        """The notes' (level, text) lines, with one saying so when most measures are general."""
        out = self.notes.messages(lang)
        general, total = self.general_count()
        if total and general * 2 > total:
            kind = self.profile.park_type
            out.insert(1 if self.notes.fallback_reason else 0, (
                "info", f"{general} of {total} measures are general (marked): they name nothing of this park's "
                        f"industries, fuels or type ({TYPE_EN.get(kind, '')}) — adapt them to the park" if lang == "en"
                else f"{total}条措施中有{general}条为通用措施（已标注）：未涉及本园区的行业、能源或类型（{kind}）特点，"
                     "请结合园区实际调整。"))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile.model_dump(exclude_none=True), "mode": self.mode,
            "notes": dataclasses.asdict(self.notes), "created": self.created, "seconds": round(self.seconds, 3),
            "context": dataclasses.asdict(self.context) if self.context else None,
            "sections": [{"key": s.key, "title": s.title, "priority": s.priority, "rating": s.rating,
                          "context": s.context, "note": s.note_text(),
                          "measures": [{"text": m.text, "refs": m.refs, "responds_to": m.responds_to,
                                        "general": m.general, "gap": m.gap and list(m.gap),
                                        "source_region": m.source_region}
                                       for m in s.measures],
                          "common": [{"text": m.text, "refs": m.refs, "source_region": m.source_region}
                                     for m in s.common]} for s in self.sections],
            "kpis": [dataclasses.asdict(k) for k in self.kpis],
            "trajectory": [dataclasses.asdict(p) for p in self.trajectory.points],
            "phases": [dataclasses.asdict(p) for p in self.trajectory.phases],
            "assessment": self.assessment.to_json() if self.assessment else None,
            "references": [{"n": i, "chunk_id": h.chunk.chunk_id, "doc_title": h.meta.title, "source": h.meta.source,
                            "section": h.chunk.section, "page": h.chunk.page, "text": h.chunk.text}
                           for i, h in enumerate(self.references, start=1)],
        }


@lru_cache(maxsize=4)
def section_specs(path: Path = PROMPTS_DIR / "pathway_sections.yaml") -> tuple[SectionSpec, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(SectionSpec(key=s["key"], title=s["title"], title_en=s["title_en"], measures=int(s["measures"]),
                             queries=tuple(s["queries"]), sector=s.get("sector"), carriers=bool(s.get("carriers")),
                             sectors=bool(s.get("sectors")), topic=tuple(s.get("topic", ())),
                             features=tuple(s.get("features", ())))
                 for s in data["sections"])


def _general(text: str, ctx: ParkContext, priority: str | None, fuel: bool) -> bool:
    """A general measure: it names none of the park's sectors or type words — nor, in the fuels section, its fossil
    fuels' words — outside the sectors its type weighs most (a measure of those — an office park's buildings — is the
    type's own). A gas word in an energy-supply line (氢能, 电能替代) made it the park's own for every gas park alike:
    pathway dev max shared 45.5 → 25.0 %, mean 12.9 → 10.7 %, pairs above 20 % 4 → 2 of 26, with drafts shorter
    (median 13 → 10 measures), the fuel lines drafted under fuels. A line listing ``LIST_SECTORS`` sectors or more is
    an economy-wide programme, general in every section."""
    return priority != "重点" and relevance(text, ctx, carriers=fuel) == 0 or len(named_sectors(text)) >= LIST_SECTORS


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


def _focus(table: dict[str, TypeRow], park_type: str) -> set[str] | None:
    """What sets the park type apart in the white paper's table: the bigrams of its features and positioning that no
    other type's row uses (零碳, 园区, 能源 are in every row and would favour the same lines for every park)."""
    row = table.get(park_type)
    if row is None:
        return None
    others: set[str] = set()
    for t, r in table.items():
        if t != park_type:
            others |= char_bigrams(f"{r.features}{r.positioning}")
    return char_bigrams(f"{row.features}{row.positioning}") - others


def _pct(v: float) -> str:
    return f"{v:.0%}"


def _facts(profile: ParkProfile, key: str, ctx: ParkContext) -> list[tuple[str, str]]:
    """The profile facts a section responds to, with the numbers that matter there, in Chinese and English."""
    p, t = profile, profile.targets
    out: list[tuple[str, str]] = []
    # each fact once where it is the starting point (the overview, then the one section acting on it): consultant trials
    # D and E read the same 园区现状 lines in three or four sections, and the KPI table's 现状 column repeats them
    if key in ("positioning", "energy") and p.energy_mix:
        out.append(("能源结构：" + "、".join(f"{k}{v:.0%}" for k, v in p.energy_mix.items()),
                    "Energy mix: " + ", ".join(f"{k} {v:.0%}" for k, v in p.energy_mix.items())))
    if key == "fuels" and (fossil := ctx.fossil_carriers):
        def parts(c: str, sep: str) -> str:  # the profile's own entries a carrier sums (煤炭60% + 蒸汽5% → 煤 65%)
            own = [(k, v) for k, v in p.energy_mix.items() if carrier_of(k) == c]
            return "" if len(own) < 2 else sep + "+".join(f"{k}{v:.0%}" for k, v in own)

        out.append(("主要化石能源：" + "、".join(f"{CARRIER_ZH.get(c, c)}（{ctx.carriers[c]:.0%}{parts(c, '，')}）"
                                                for c in fossil),
                    "Main fossil fuels: " + ", ".join(f"{CARRIER_EN[c]} ({ctx.carriers[c]:.0%}{parts(c, ': ')})"
                                                      for c in fossil)))
    if key in ("energy", "positioning") and p.renewable_share is not None:
        gap = p.gap_to_target()
        target = f"，目标{t.renewable_share_target:.0%}，尚差{gap * 100:.0f}个百分点" if gap is not None else ""
        target_en = f", target {t.renewable_share_target:.0%}, {gap * 100:.0f} points to go" if gap is not None else ""
        out.append((f"可再生能源占比{p.renewable_share:.0%}{target}", f"Renewable share {p.renewable_share:.0%}{target_en}"))
    if key in ("positioning", "industry") and p.annual_emissions_tco2 is not None:
        cut = cut_en = ""
        if t.emission_cut_pct is not None:
            need = p.annual_emissions_tco2 * t.emission_cut_pct / 100
            cut = (f"；按{t.target_year or ''}{'年' if t.target_year else ''}减排{t.emission_cut_pct:g}%的目标，需减少约"
                   f"{need:,.0f}吨")
            cut_en = f"; a {t.emission_cut_pct:g}% cut{f' by {t.target_year}' if t.target_year else ''} means about " \
                     f"{need:,.0f} t less"
        out.append((f"年碳排放约{p.annual_emissions_tco2:,.0f}吨二氧化碳{cut}",
                    f"Emissions about {p.annual_emissions_tco2:,.0f} t CO2 a year{cut_en}"))
    if key in ("positioning", "smart") and p.annual_energy_tce is not None:
        out.append((f"年综合能耗约{p.annual_energy_tce:,.0f}吨标准煤", f"Energy use about {p.annual_energy_tce:,.0f} tce a year"))
        if p.annual_emissions_tco2 is not None and p.annual_energy_tce:
            ratio = p.annual_emissions_tco2 / p.annual_energy_tce
            out.append((f"单位能耗碳排放约{ratio:.2f}吨二氧化碳/吨标准煤", f"Carbon per unit of energy about {ratio:.2f} t CO2/tce"))
    if key in ("positioning", "industry") and p.leading_industries:
        out.append(("主导产业：" + "、".join(p.leading_industries), "Leading industries: " + ", ".join(p.leading_industries)))
    if key == "buildings" and ctx.zone:
        heating = ("，有集中供暖传统", ", district heating customary") if ctx.heating else ("，无集中供暖", ", no district heating")
        out.append((f"建筑热工分区：{ctx.zone}（GB 50176）{heating[0]}",
                    f"Building climate zone: {ZONE_EN.get(ctx.zone, ctx.zone)} (GB 50176){heating[1]}"))
    if key == "transport" and (oil := ctx.carriers.get("油")):
        out.append((f"燃油占能源消费约{oil:.0%}", f"Oil products about {oil:.0%} of energy use"))
    if key == "buildings" and p.area_km2:
        out.append((f"园区面积约{p.area_km2:g}平方公里", f"Area about {p.area_km2:g} km²"))
    return out


def _phase_lines(tr: Trajectory) -> list[tuple[str, str]]:
    """One line per phase with the park's figures at its end, marked as computed from the profile."""
    out = list(zip(tr.notes("zh"), tr.notes("en")))
    for ph in tr.phases:
        end = tr.at(ph.end)
        figures, figures_en = [], []
        if end.emissions is not None:
            figures.append(f"年净排放约{end.emissions:,.0f}吨" if end.emissions > 0 else "净排放归零")
            figures_en.append(f"net emissions about {end.emissions:,.0f} t" if end.emissions > 0 else "net zero")
        if end.renewable is not None:
            figures.append(f"可再生能源占比约{end.renewable:.0%}")
            figures_en.append(f"renewable share about {end.renewable:.0%}")
        span = f"{ph.start}年" if ph.end <= ph.start else f"{ph.start}—{ph.end}年"
        span_en = f"{ph.start}" if ph.end <= ph.start else f"{ph.start}–{ph.end}"
        tail = f"（{COMPUTED}：{'，'.join(figures)}）" if figures else ""
        tail_en = f" ({COMPUTED_EN}: {', '.join(figures_en)})" if figures_en else ""
        out.append((f"{ph.name}（{span}）：{ph.goal}{tail}", f"{ph.name_en} ({span_en}): {ph.goal_en}{tail_en}"))
    return out


class PathwayDrafter:
    """Drafts a ``Pathway`` for a ``ParkProfile`` over one searcher (LLM mode when ``chat_model`` is set)."""

    def __init__(self, answer: AnswerSettings, llm: LLMSettings, searcher: Searcher, chat_model=None) -> None:
        self.answer_settings, self.llm_settings = answer, llm
        self.searcher, self.chat_model = searcher, chat_model

    @staticmethod
    def _queries(spec: SectionSpec, profile: ParkProfile, ctx: ParkContext) -> list[str]:
        values = {"park_type": profile.park_type, "industries": " ".join(profile.leading_industries[:3]),
                  "region": profile.region or ""}
        queries = [q.format(**values) for q in spec.queries]
        if spec.sectors:
            queries = sector_queries(ctx) + queries
        if spec.key == "energy":
            queries += carrier_queries(ctx).get("电", [])
        # the buildings the type is made of (an office park's 公共建筑, a 产城综合体's 住宅): without this search the
        # mixed-use district drafted the office park's public-building lines (pathway dev: max shared 57.1 → 50.0 %,
        # mean 13.8 → 10.5 %)
        if spec.key == "buildings" and ctx.buildings:
            queries.append(f"{' '.join(ctx.buildings)} 节能 低碳 改造")
        if spec.key == "buildings" and ctx.design_words:
            queries.append(f"建筑节能 {' '.join(ctx.design_words)}")
        return queries

    def _hits(self, queries: list[str], k: int = 6, limit: int = 16) -> list[Hit]:
        seen: dict[str, Hit] = {}
        for q in queries:
            for h in self.searcher.search(q, k=k):
                seen.setdefault(h.chunk.chunk_id, h)
        return list(seen.values())[:limit]

    def _pool(self, queries: list[str], hits: list[Hit], ctx: ParkContext, used: set[str],
              notes: DraftNotes, must: tuple[str, ...] = (), focus: set[str] | None = None,
              fuel: bool = False, year: int = 0) -> list[Candidate]:
        """Action measures of the passages that apply to the park, scored up by the park's own words (its fuels'
        words only in the fuels section, ``fuel``); none whose deadlines all fall before ``year``, the drafting year."""
        pool: list[Candidate] = []
        for c in sentence_candidates(self.searcher.analyze(" ".join(queries)), hits, item_titles=False)[0]:
            if len(c.text) < 15 or " | " in c.text or _drafted(used, c.text):
                continue  # drafted already, or a line opening as a drafted one does (深化可再生能源建筑应用，…)
            if _stale(c.text, year):
                notes.excluded["past deadline"] = notes.excluded.get("past deadline", 0) + 1
                continue  # 到2025年…力争达到50%, drafted in 2026
            hit = hits[c.passage - 1]
            kind = classify(c.text, hit.meta.title)
            if kind != "measure":
                notes.excluded[kind] = notes.excluded.get(kind, 0) + 1
                continue
            if _elsewhere(c.text, hit, ctx.region):
                notes.excluded["other region"] = notes.excluded.get("other region", 0) + 1
                continue  # 省级…技术改造资金 of a Zhejiang notice, for a Shandong park
            label = " ".join(trail(hit.chunk.section)[1:])
            why = conflict(f"{label} {c.text}", ctx)
            if why:
                reason = why.split(":")[0]
                notes.excluded[reason] = notes.excluded.get(reason, 0) + 1
                continue
            if must and not about_fuel(c.text, must):
                continue
            # a fuel's words rank its own section's lines only: elsewhere they drew every gas park to the same
            # 氢能 / 电能替代 / 热泵 lines (pathway dev: max shared 54.5 → 45.5 %, mean 13.5 → 11.8 %, measured
            # before sentence_kinds' 攻关 rule moved it to 12.4 %)
            bonus = RELEVANCE_WEIGHT * min(relevance(c.text, ctx, carriers=fuel), 3)
            if focus:  # wording that sets the park's type apart in the white paper's table
                grams = char_bigrams(c.text)
                bonus += FOCUS_WEIGHT * len(grams & focus) / max(1, len(grams))
            pool.append(dataclasses.replace(c, score=c.score + bonus))
        return pool

    def draft(self, profile: ParkProfile, today: date | None = None) -> Pathway:
        t0 = time.perf_counter()
        today = today or date.today()
        ctx = context_for(profile)
        tr = trajectory(profile, today.year)
        table = type_table(self.searcher.catalog)
        row = table.get(profile.park_type)
        notes = DraftNotes(type_table_found=row is not None)
        references: list[Hit] = []
        ref_of: dict[str, int] = {}

        def ref(hit: Hit) -> int:
            if hit.chunk.chunk_id not in ref_of:
                references.append(hit)
                ref_of[hit.chunk.chunk_id] = len(references)
            return ref_of[hit.chunk.chunk_id]

        used: set[str] = set()  # lines drafted so far, and their openings (_mark_used)
        focus = _focus(table, profile.park_type)
        ratings = row.ratings if row else {}  # the white paper's 建筑/工业/交通 ratings of the park's type
        assessment = assess(profile, self.searcher.catalog, ratings=ratings)
        open_gaps = gaps(assessment)
        sections: list[PathwaySection] = []
        addressed: list[tuple[Measure, Gap]] = []
        use_llm = self.chat_model is not None
        for spec in section_specs():
            general_left = MAX_GENERAL_DRAFT - sum(m.general for s in sections for m in s.measures)
            rating = ratings.get(spec.sector) if spec.sector else None
            priority = None if rating is None else "重点" if rating >= 4 else "一般"
            if row and any(w in row.features for w in spec.features):
                priority = "重点"  # a resort's carbon sinks: the white paper names them among its type's features
            section_gaps = [g for g in open_gaps if g.section == spec.key]
            pairs = _facts(profile, spec.key, ctx) + [(g.fact, g.fact_en) for g in section_gaps]
            facts = [zh for zh, _ in pairs]
            measures: list[Measure] = []
            spare: list[tuple[Candidate, Hit]] = []
            common: list[Measure] = []
            note: tuple[str, str] | None = None
            if spec.key == "positioning" and row:  # the type's positioning, from the white paper's table
                measures.append(Measure(f"{row.park_type}的零碳战略定位：{row.positioning}", [ref(row.source)], facts))
            groups: list[tuple[list[str], int, tuple[str, ...], str | None]]  # queries, count, words, carrier
            if spec.carriers:
                if not ctx.fossil_carriers:
                    continue  # no fossil fuel is a main lever of this park: no section for it
                queries_of = carrier_queries(ctx)
                groups = [(queries_of[c], spec.measures + (ctx.carriers[c] >= 0.4), carrier_words(c), c)
                          for c in ctx.fossil_carriers]
            else:
                # a sector the white paper rates 0 for the type gets no quoted measures: they would all be general
                n = spec.measures if rating is None else max(1, round(spec.measures * rating / 6)) if rating else 0
                if rating == 0 and spec.sector:
                    note = (f"白皮书典型园区表中，{profile.park_type}的{spec.sector}用能/排放评级为0，本节不列措施；"
                            "如园区确有相应负荷，请按实际补充。",
                            f"The white paper's table of park types rates the {SECTOR_EN[spec.sector]} energy use "
                            f"and emissions of a {TYPE_EN.get(profile.park_type, profile.park_type)} at 0, so no "
                            "measures are listed; add them if the park does have such loads.")
                groups = [(self._queries(spec, profile, ctx), n, (), None)] if n else []
            for queries, n, must, carrier in groups:
                hits = self._hits(queries)
                left = max(0, general_left - sum(m.general for m in measures))
                if use_llm and hits:
                    try:
                        written = self._llm_measures(spec, profile, ctx, hits, n, facts, ref, notes, priority, left,
                                                     used, today.year, tuple(g.fact for g in section_gaps))
                        if written:  # else the passages are quoted, as offline
                            measures += written
                            continue
                    except LLMUnavailable as exc:
                        use_llm = False
                        notes.fallback_reason = f"{exc}；已改用离线摘录模式 / drafted in offline extractive mode instead"
                pool = _distinct(self._pool(queries, hits, ctx, used, notes, must, focus, fuel=spec.carriers,
                                            year=today.year))
                # a line naming the park's own production sectors (and no other) is an industry measure wherever its
                # words fall: a data centre's 用能结构 line names no industry topic word
                pool = [c for c in pool if spec.on_topic(c.text) or spec.sectors and self._own_sector_line(c.text, ctx)]
                if carrier:  # a line adding the fuel the section replaces (扩大…天然气…应用) is not its measure
                    kept = [c for c in pool if not promotes(c.text, carrier)]
                    if len(kept) < len(pool):
                        notes.excluded["adds the fuel"] = notes.excluded.get("adds the fuel", 0) + len(pool) - len(kept)
                    pool = kept
                own: list[Candidate] = []
                general: list[Candidate] = []
                for c in pool:
                    (general if _general(c.text, ctx, priority, spec.carriers) else own).append(c)
                allowed = min(MAX_GENERAL, left)
                chosen = self._per_sector(own, ctx) if spec.sectors else []
                rest = [c for c in own if c not in chosen]
                chosen += select_mmr(rest, max(0, n - len(chosen)), self.answer_settings.mmr_lambda, min_ratio=0.0)
                ranked = sorted(general, key=lambda c: -c.score)
                taken = max(0, min(allowed, n - len(chosen)))
                chosen += ranked[:taken]
                general_texts = {c.text for c in general}
                for c in chosen:
                    _mark_used(used, c.text)
                    measures.append(Measure(c.text, [ref(hits[c.passage - 1])], facts, general=c.text in general_texts))
                spare += [(c, hits[c.passage - 1]) for c in ranked[taken:]]  # general lines the cap kept out
            for gap in section_gaps:
                if rating == 0:
                    continue  # no measures in a sector rated 0
                if addressing := next((m for m in measures if any(w in m.text for w in gap.words)), None):
                    addressed.append((addressing, gap))  # drafted already: said to address it, once all is drafted
                    continue
                if lever := self._lever(gap, spec, ctx, used, notes, focus, ref, today.year):
                    measures.append(lever)
            if spare and not note:  # lines the cap kept out, which every park gets: shown apart
                for c, hit in sorted(spare, key=lambda s: -s[0].score)[:COMMON_BESIDE_OWN if measures
                                                                       else COMMON_PER_SECTION]:
                    _mark_used(used, c.text)
                    common.append(Measure(c.text, [ref(hit)], facts, general=True))
                note = None if measures else COMMON_LISTED
            pairs += _phase_lines(tr) if spec.key == "phases" else []
            sections.append(PathwaySection(spec.key, spec.title, [zh for zh, _ in pairs], measures, priority, rating,
                                           spec.title_en, [en for _, en in pairs], note, common))
        for m, gap in addressed:  # a measure addressing a gap is the park's own; marked after drafting, so that the
            if m.gap is None:  # general lines it had counted against the draft's cap stay as they were
                m.gap, m.general = (gap.name, gap.name_en), False
        for s in sections:
            for m in s.measures + s.common:
                m.source_region = _other_region(references[m.refs[0] - 1], profile.region) if m.refs else None
        sections = self._order(sections)
        kpis = self._kpis(profile, tr, assessment, ref)
        if any(k.basis == COMPUTED for k in kpis) and any(k.basis != COMPUTED for k in kpis):
            # trial E read "≥90 % at acceptance" beside a trajectory reaching 50 % as a contradiction left unsaid
            for s in sections:
                if s.key == "kpis" and s.note is None:
                    s.note = SYSTEM_VS_OWN
        for r in assessment.rows:  # the self-assessment's thresholds are cited like measures
            if r.source is not None:
                ref(r.source)
        return Pathway(profile, sections, kpis, references, "llm" if use_llm else "offline", notes,
                       today.isoformat(), tr, assessment, ctx, time.perf_counter() - t0)

    def _lever(self, gap: Gap, spec: SectionSpec, ctx: ParkContext, used: set[str], notes: DraftNotes,
               focus: set[str] | None, ref: Callable[[Hit], int], year: int) -> Measure | None:
        """The best-scoring action measure that names what closes one of the park's gaps, responding to it."""
        hits = self._hits([gap.query])
        pool = [c for c in self._pool([gap.query], hits, ctx, used, notes, gap.words, focus, year=year)
                if spec.on_topic(c.text)]
        if not pool:
            return None
        best = max(pool, key=lambda c: c.score)
        _mark_used(used, best.text)
        return Measure(best.text, [ref(hits[best.passage - 1])], [gap.fact], gap=(gap.name, gap.name_en))

    @staticmethod
    def _own_sector_line(text: str, ctx: ParkContext) -> bool:
        """Does a line name the park's production sectors and no other sector (推动电力、钢铁、有色金属、建材、石化化工等
        行业… is an economy-wide programme, not the chemical park's own measure)?"""
        named = named_sectors(text)
        return bool(named) and named <= set(production_sectors(ctx))

    @staticmethod
    def _per_sector(own: list[Candidate], ctx: ParkContext) -> list[Candidate]:
        """The best-scoring line naming each of the park's sectors, so that every leading industry the policies
        address gets its own measure however the section's count falls (a tech park's data centres, not only the
        line its park type's words rank first)."""
        production = production_sectors(ctx)
        lines = [(c, named) for c in own if (named := named_sectors(c.text)) and named <= set(production)]
        picked: list[Candidate] = []
        for sector in production:
            best = max((c for c, named in lines if c not in picked and sector in named), key=lambda c: c.score,
                       default=None)
            if best is not None:
                picked.append(best)
        return picked

    @staticmethod
    def _order(sections: list[PathwaySection]) -> list[PathwaySection]:
        """Sector sections (industry, buildings, transport) in the order of the park type's ratings."""
        sector = [s for s in sections if s.rating is not None]
        ranked = iter(sorted(sector, key=lambda s: -(s.rating or 0)))
        return [next(ranked) if s.rating is not None else s for s in sections]

    def _llm_measures(self, spec: SectionSpec, profile: ParkProfile, ctx: ParkContext, hits: list[Hit], n: int,
                      facts: list[str], ref: Callable[[Hit], int], notes: DraftNotes,
                      priority: str | None = None, general_left: int = MAX_GENERAL, used: set[str] | None = None,
                      year: int = 0, gaps_said: tuple[str, ...] = ()) -> list[Measure]:
        """The model's measures for one section, kept by the offline draft's rules: a valid citation, nothing that
        contradicts the profile, an action measure, on the section's topic, no deadline already past, none drafted
        already (``used``, its opening included), and at most ``MAX_GENERAL`` general ones outside the type's priority
        sectors (fewer when the draft has had ``MAX_GENERAL_DRAFT``). The park's indicator gaps (``gaps_said``) are
        part of the scope the model is given."""
        used = used if used is not None else set()
        scope = "；".join(x for x in (f"建筑热工分区{ctx.zone}" if ctx.zone else "",
                                     "行业：" + "、".join(ctx.sectors) if ctx.sectors else "",
                                     "主要能源：" + "、".join(ctx.main_carriers) if ctx.main_carriers else "",
                                     f"园区类型：{ctx.park_type}",
                                     "指标差距：" + "；".join(gaps_said) if gaps_said else "") if x)
        prompt = render("pathway_section", section=spec.title, profile=profile.summary(), scope=scope,
                        passages=fence(hits), n=str(n))
        reply = chat(self.chat_model, self.llm_settings, "你是严谨的零碳园区咨询顾问，只依据资料提出措施。", prompt)
        out: list[Measure] = []
        for line in reply.splitlines():
            line = line.strip().lstrip("-•*0123456789.、 ").strip()
            if not line:
                continue
            checked = check(line, len(hits))
            text = re.sub(r"\[\d+\]", "", checked.text).strip()
            # a measure without a valid citation, or one that does not apply to the park, is not kept
            sentence = text if re.search(r"[。；;.!?！？]$", text) else text + "。"  # a list line has no full stop
            general = _general(text, ctx, priority, spec.carriers)
            stale = _stale(text, year)
            if (not checked.used or conflict(text, ctx) or classify(sentence) in NOT_ACTIONS or not spec.on_topic(text)
                    or stale or _drafted(used, text) or _elsewhere(text, hits[checked.used[0] - 1], ctx.region)
                    or (general and sum(m.general for m in out) >= min(MAX_GENERAL, general_left))):
                notes.dropped_measures += 1
                continue
            _mark_used(used, text)
            out.append(Measure(text, [ref(hits[i - 1]) for i in checked.used], facts, general=general))
        return out[:n]

    def _kpis(self, profile: ParkProfile, tr: Trajectory, assessment: Assessment,
              ref: Callable[[Hit], int]) -> list[Kpi]:
        """Numeric targets per phase computed from the profile (no citation), then the indicator-system rows the
        park does not yet meet, citing the passage that states each threshold — one target per measured value (the
        strictest, when the national system and the park's own region's both set one), none a system sets on a value
        the park's own trajectory reaches by its first milestone, none on a row that does not apply (a sector the white
        paper rates 0 for the park's type: no industrial water-reuse target for a resort, ``assess``)."""
        p = profile
        kpis: list[Kpi] = []
        computed: dict[str, float] = {}  # profile field → the first floor the computed trajectory sets for it
        if p.annual_emissions_tco2 is not None:
            steps = "；".join(f"{ph.end}年≤{tr.at(ph.end).emissions:,.0f}" if (tr.at(ph.end).emissions or 0) > 0
                             else f"{ph.end}年净零" for ph in tr.phases)
            kpis.append(Kpi("年净碳排放（吨二氧化碳）", f"{p.annual_emissions_tco2:,.0f}", steps, COMPUTED, None,
                            "Net emissions (t CO2)"))
        if p.renewable_share is not None:
            shown = [(ph.end, tr.at(ph.end).renewable) for ph in tr.phases if tr.at(ph.end).renewable is not None]
            if len(shown) > 1 or (shown and shown[-1][0] != tr.baseline_year):
                steps = "；".join(f"{y}年≥{v:.0%}" for y, v in shown)
                kpis.append(Kpi("可再生能源占比", _pct(p.renewable_share), steps, COMPUTED, None, "Renewable share"))
                # its first milestone: a system's floor above that is still a nearer target worth naming
                computed["renewable_share"] = next(v for _, v in shown if v is not None)
        systems = {s.key: s for s in assessment.systems}
        strictest: dict[tuple[str, str], AssessmentRow] = {}
        for row in assessment.rows:
            ind = row.indicator
            key = (ind.field, ind.op)
            if ind.op in (">=", ">", "<=", "<") and assessment.own(row.system) and (
                    key not in strictest or _stricter(ind, strictest[key].indicator)):
                strictest[key] = row
        for row in assessment.rows:
            ind = row.indicator
            if strictest.get((ind.field, ind.op), row) is not row:
                continue
            if ind.op in (">=", ">") and isinstance(ind.threshold, (int, float)) \
                    and computed.get(ind.field, -1.0) >= ind.threshold:
                continue  # the park's own trajectory asks as much by its first milestone
            # targets to work towards: numeric indicators the park misses, and core ones it has no data for;
            # eligibility conditions (yes/no) stay in the self-assessment table
            if ind.op == "bool" or row.status == "met" or row.status == "not_applicable":
                continue
            if row.status == "unknown" and ind.kind != "core":
                continue
            if not assessment.own(row.system):  # another province's or city's pilot is no target for this park
                continue
            cited = row.source is not None and bool(ind.quote)  # the passage states the threshold
            system = systems[row.system]
            basis = system.short if cited else f"{system.short}：附件未收录，公开报道值"
            # a threshold has no year of its own: it is checked when the system's evaluation comes
            kpis.append(Kpi(ind.name, row.value_text(),
                            f"{ind.reference}（{system.due}）" if system.due else ind.reference,
                            basis, ref(row.source) if cited and row.source else None, ind.name_en,
                            f"{ind.reference_text('en')} ({system.due_en})" if system.due_en else ind.reference_text("en")))
        return kpis


SYSTEM_VS_OWN = ("按园区档案测算的目标来自园区自定的达峰、减排和可再生能源目标；指标体系的阈值是该体系评估验收时的门槛。"
                 "两者不一致时，如拟申报该体系，应按其门槛提高园区目标或说明差距。",
                 "Targets computed from the profile follow the park's own peak, cut and renewable goals; an indicator "
                 "system's thresholds are its bar at evaluation. Where they differ, a park applying to that system "
                 "should raise its own goals to the bar or explain the gap.")


_OWN_LEVEL = re.compile(r"省级|市级|全省|全市|本省|本市|省内|市内|试点")  # 试点: the region's own pilot programme


def _elsewhere(text: str, hit: Hit, region: str | None) -> str | None:
    """The province or city that issued the hit's document, when the line speaks of that region's own level of
    government (省级…资金, 全省…) and the park is not there: a Zhejiang notice's 省级技术改造资金 in a Shanxi park's draft
    cannot be drawn on, and is not drafted. None for a national document, the park's own region's, or a line any park
    can act on."""
    return _other_region(hit, region) if _OWN_LEVEL.search(text) else None


def _other_region(hit: Hit, region: str | None) -> str | None:
    """The province or city that issued the hit's document, when the park is not there (None for a national
    document or the park's own region's)."""
    place = issuing_place(hit.meta.issuer)
    return place if place and place not in (region or "") else None


_DEADLINE = re.compile(r"(?:到|至|在|于)\s*(20\d\d)\s*年")


def _stale(text: str, year: int) -> bool:
    """Have all the line's deadlines passed by ``year`` (到2025年…力争达到50%, drafted in 2026)? 0: not checked."""
    deadlines = _DEADLINE.findall(text) if year else []
    return bool(deadlines) and max(map(int, deadlines)) < year


OPENING_CHARS = 8  # a shorter first clause (因地制宜, 优化产品结构) opens unrelated lines alike


def _opening(text: str) -> str:
    """A line's first clause, up to its first comma or semicolon, when long enough to be the line's own; else
    the whole line."""
    first = re.split(r"[，,；;。]", text, maxsplit=1)[0]
    return first if len(first) >= OPENING_CHARS else text


def _distinct(pool: list[Candidate]) -> list[Candidate]:
    """The best-scoring line of each opening (深化可再生能源建筑应用，推广… and …，加快推动… are one measure twice)."""
    best: dict[str, Candidate] = {}
    for c in sorted(pool, key=lambda c: -c.score):
        best.setdefault(_opening(c.text), c)
    return list(best.values())


def _mark_used(used: set[str], text: str) -> None:
    """Record a drafted line, and its opening clause, so that neither is drafted again."""
    used.update((text, _opening(text)))


def _drafted(used: set[str], text: str) -> bool:
    """Is the line, or a line opening as it does, drafted already (``_mark_used``)?"""
    return text in used or _opening(text) in used


def _stricter(a: Indicator, b: Indicator) -> bool:
    """Does ``a`` ask more of the same value than ``b`` (a higher floor, a lower ceiling)?"""
    if not isinstance(a.threshold, (int, float)) or not isinstance(b.threshold, (int, float)):
        return False
    return a.threshold > b.threshold if a.op in (">=", ">") else a.threshold < b.threshold
