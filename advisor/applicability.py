"""Which policy sentences apply to a park: its climate zone, sectors, main energy carriers and park type.

A sentence that names a sector the park does not have (and none it has), a climate zone other than the park's, or
another park type is left out of its pathway; one that names the park's own sectors, carriers or type ranks higher.
The word lists are data (``data/sectors.yaml``, ``climate_zones.yaml``, ``carriers.yaml``), each with its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .profile import ParkProfile

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=8)
def _data(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ParkContext:
    """What about a park decides which sentences apply to it."""

    park_type: str
    zone: str | None  # GB 50176 building climate zone, None when the region is unknown
    heating: bool | None  # district heating customary there
    sectors: tuple[str, ...]
    carriers: dict[str, float]  # carrier key (煤/油/气/电) → share of the energy mix
    main_carriers: tuple[str, ...]  # carriers at or above the documented main share, largest first
    region: str | None = None  # as the profile gives it (省/市/区)
    waterside: bool = True  # on a sea, river or lake port (its name or industries say so); True when not known

    @property
    def fossil_carriers(self) -> tuple[str, ...]:
        """The main carriers other than electricity (every park uses electricity; it is no fuel to replace)."""
        return tuple(c for c in self.main_carriers if c != "电")

    @cached_property
    def words(self) -> frozenset[str]:
        """Words that tie a sentence to this park (its sectors', fossil carriers' and type's words); computed once,
        as every candidate sentence is scored against them."""
        out: set[str] = set(self.kind_words)
        for c in self.fossil_carriers:  # electricity's words do not tell parks apart
            out.update(_data("carriers.yaml")["carriers"][c]["text"])
        return frozenset(out)

    @cached_property
    def kind_words(self) -> frozenset[str]:
        """The words of the park's sectors and type alone (what it does and is, not what it burns), the buildings its
        type is made of included (``type_buildings``: a resort's 酒店, 生活热水, an office park's 公共建筑)."""
        out: set[str] = set()
        for s in self.sectors:
            out.update(w for w in _data("sectors.yaml")["sectors"][s]["text"] if len(w) >= 2)
        out.update(_data("sectors.yaml")["park_type_words"][self.park_type])
        out.update(self.buildings)
        for zone, words in _data("climate_zones.yaml")["zone_words"].items():
            if self.in_zone(zone):  # a heating line naming the park's climate (严寒、寒冷地区清洁取暖) is its own
                out.update(words)
        power = _data("sectors.yaml")["power_intensive"]  # green power is an aluminium smelter's own lever
        if set(self.sectors) & set(power["sectors"]) and ("电" in self.main_carriers or not self.carriers):
            out.update(power["words"])
        return frozenset(out)

    def in_zone(self, zone: str) -> bool:
        """Is a line written for this climate zone the park's: its own zone, or any heating zone where the park has
        district heating (严寒、寒冷地区 alike)?"""
        return zone == self.zone or bool(self.heating) and zone in _data("climate_zones.yaml")["heating_zones"]

    @property
    def buildings(self) -> tuple[str, ...]:
        """The buildings the park's type is made of, as the policies word them (``type_buildings``)."""
        return tuple(_data("sectors.yaml")["type_buildings"].get(self.park_type, ()))

    @property
    def design_words(self) -> tuple[str, ...]:
        """What building design must answer in the park's climate zone (GB 50176), as measures word it."""
        return tuple(_data("climate_zones.yaml")["design_words"].get(self.zone, ())) if self.zone else ()


def is_place(word: str) -> bool:
    """A province or city of the climate-zone table (江苏, 江苏省, 上海市) or a prefecture-level city of GB/T 2260
    (珠海, 珠海市; ``places.yaml``) — the places a figure can be asked for; not any word a tagger calls a place (城市,
    城镇)."""
    zones = _data("climate_zones.yaml")
    name = re.sub(r"(省|市|自治区|特别行政区|地区|盟)$", "", word)
    return name in zones["provinces"] or name in zones["cities"] or name in _prefectures()


@lru_cache(maxsize=1)
def _prefectures() -> frozenset[str]:
    return frozenset(_data("places.yaml")["prefectures"])


@lru_cache(maxsize=1)
def _places_in_pinyin() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin → the provinces and cities of the climate-zone table that read so (shanxi: 山西 and 陕西)."""
    from pypinyin import Style, lazy_pinyin

    zones = _data("climate_zones.yaml")
    out: dict[str, list[str]] = {}
    for name in [*zones["provinces"], *zones["cities"]]:
        out.setdefault("".join(lazy_pinyin(str(name), style=Style.NORMAL)), []).append(str(name))
    return {k: tuple(v) for k, v in out.items()}


def english_place(word: str) -> tuple[str, ...]:
    """The province or city an English word names by its pinyin (Hainan → 海南, Shaanxi → 陕西 and 山西), or ()."""
    low = word.lower().replace(" ", "").replace("-", "")
    return _places_in_pinyin().get(low, ()) or _places_in_pinyin().get(low.replace("aa", "a"), ())


# A city government's body: 深圳市生态环境局, 广东省深圳市人民政府 (not 中国城市科学研究会, a society)
_CITY_BODY = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,4}?)市(?:[\u4e00-\u9fff]{0,12}?(?:局|委员会|委|厅|"
                        r"办公室|政府))")


def issuing_place(issuer: str | None) -> str | None:
    """The city or province whose government issued a document (深圳市生态环境局 → 深圳, 广东省深圳市人民政府 → 深圳,
    浙江省经济和信息化厅 → 浙江), or None for a national body, a society or institute, or an unknown issuer."""
    if not issuer:
        return None
    if m := _CITY_BODY.match(issuer):
        return m.group(1)
    return next((str(p) for p in _data("climate_zones.yaml")["provinces"] if issuer.startswith(p)), None)


def climate_zone(region: str | None) -> str | None:
    """The building climate zone of a region written as 省/市/区 (city entries first, then the province)."""
    if not region:
        return None
    zones = _data("climate_zones.yaml")
    for city, zone in zones["cities"].items():
        if city in region:
            return zone
    for province, zone in zones["provinces"].items():
        if region.startswith(province) or province in region[:4]:
            return zone
    return None


def sectors_of(profile: ParkProfile) -> tuple[str, ...]:
    """Sector keys named by the leading industries, plus the ones the park type carries."""
    table = _data("sectors.yaml")
    found: list[str] = list(table.get("type_sectors", {}).get(profile.park_type, []))
    for industry in profile.leading_industries:
        for key, entry in table["sectors"].items():
            if key not in found and any(w in industry for w in entry["profile"]):
                found.append(key)
    return tuple(found)


def carrier_of(name: str) -> str | None:
    """The carrier an energy-mix key means: the one with the longest name found in it (液化石油气 is gas)."""
    best, length = None, 0
    for key, entry in _data("carriers.yaml")["carriers"].items():
        for n in entry["names"]:
            if n in name and len(n) > length:
                best, length = key, len(n)
    return best


def context_for(profile: ParkProfile) -> ParkContext:
    shares: dict[str, float] = {}
    for name, share in profile.energy_mix.items():
        if (key := carrier_of(name)) is not None:
            shares[key] = shares.get(key, 0.0) + share
    main = float(_data("carriers.yaml")["main_share"])
    zone = climate_zone(profile.region)
    heating = None if zone is None else zone in _data("climate_zones.yaml")["heating_zones"]
    return ParkContext(profile.park_type, zone, heating, sectors_of(profile), shares,
                       tuple(k for k, v in sorted(shares.items(), key=lambda kv: -kv[1]) if v >= main), profile.region,
                       is_waterside(profile))


def is_waterside(profile: ParkProfile) -> bool:
    """Is the park on the water (``waterside`` in ``data/sectors.yaml``: its name or leading industries name a port,
    wharf or shipping)?"""
    said = " ".join([profile.name, *profile.leading_industries])
    return any(re.search(p, said) for p in _data("sectors.yaml")["waterside"]["profile"])


def _masked(sentence: str) -> str:
    """The sentence split at the word boundaries a sector word straddles by accident (``split`` in
    ``data/sectors.yaml``)."""
    for w in _data("sectors.yaml")["split"]:
        sentence = sentence.replace(w.replace("|", ""), w.replace("|", " "))
    return sentence


def conflict(sentence: str, ctx: ParkContext) -> str | None:
    """Why a sentence does not apply to the park, or None when nothing in it contradicts the profile."""
    if ctx.zone is not None:
        for zone, words in _data("climate_zones.yaml")["zone_words"].items():
            if ctx.in_zone(zone):
                continue
            if any(w in sentence for w in words):
                return f"climate zone: {zone} ≠ {ctx.zone}"
    if ctx.carriers:  # an energy mix is given: a carrier it lacks has no measures to take
        for key, entry in _data("carriers.yaml")["carriers"].items():
            if key not in ctx.carriers and any(w in sentence for w in entry.get("only", ())):
                return f"fuel: {key} (not in the energy mix)"
    if not ctx.waterside and any(w in sentence for w in _data("sectors.yaml")["waterside"]["text"]):
        return "waterside: ships and waterways, the park is not on the water"
    named = named_sectors(sentence)
    if named and not named & set(ctx.sectors):
        return "sector: " + "、".join(sorted(named))
    types = _data("sectors.yaml")["park_type_words"]
    others = {t for t, words in types.items() if t != ctx.park_type and any(w in sentence for w in words)}
    if others and not any(w in sentence for w in types[ctx.park_type]):
        return "park type: " + "、".join(sorted(others))
    return None


# A line naming this many sectors is an economy-wide programme (强化能源、钢铁、石化化工、建材、有色金属、纺织、造纸等行业
# 耦合发展…): its naming the park's sector does not make it the park's measure, and a draft takes it as a general line.
LIST_SECTORS = 3


def relevance(sentence: str, ctx: ParkContext, carriers: bool = True) -> int:
    """How many of the park's own words the sentence names (``carriers=False``: of its sectors' and type's words);
    a sector's words do not count in a line listing ``LIST_SECTORS`` sectors or more."""
    sentence = _masked(sentence)
    words = ctx.words if carriers else ctx.kind_words
    if len(_named(sentence)) >= LIST_SECTORS:
        words = words - {w for s in ctx.sectors for w in sector_words(s)}
    return sum(1 for w in words if w in sentence)


def carrier_queries(ctx: ParkContext) -> dict[str, list[str]]:
    """Search queries for each main carrier's measures."""
    carriers = _data("carriers.yaml")["carriers"]
    return {c: list(carriers[c]["queries"]) for c in ctx.main_carriers}


def topic_kind(term: str) -> str | None:
    """The kind of thing a term names, among co-ordinate topics of the policies: an industry (``sectors.yaml``:
    建材, 石化化工), a fuel (``carriers.yaml`` names: 原煤, 焦炭, 天然气) or a non-fossil source (``sources``: 光伏, 核电);
    None for any other term. Two terms of one kind are alternatives a follow-up swaps ("石化化工那边呢？" after 建材)."""
    # the word itself, or with the suffix that names its trade (建材行业, 光伏发电): not any term holding it (商务部,
    # 生物多样性, 水电费 are no industry or source)
    return _kinds().get(re.sub(r"(行业|产业|工业|企业|发电|那边|那块|方面)$", "", term))


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Word → kind for ``topic_kind``; a word of two kinds is the first's (sources, then sectors, then fuels), and a
    sector's or fuel's one-character word (铜, 煤) names no topic alone."""
    carriers, sectors = _data("carriers.yaml"), _data("sectors.yaml")["sectors"]
    out = dict.fromkeys(carriers["sources"], "source")
    for key, entry in sectors.items():
        for w in (key, *entry["text"], *entry["profile"]):
            if len(w) >= 2:
                out.setdefault(w, "sector")
    for entry in carriers["carriers"].values():
        for w in entry["names"]:
            if len(w) >= 2:
                out.setdefault(w, "fuel")
    return out


def carrier_words(carrier: str) -> tuple[str, ...]:
    """Words a measure about that carrier uses."""
    return tuple(_data("carriers.yaml")["carriers"][carrier]["text"])


def about_fuel(sentence: str, words: tuple[str, ...]) -> bool:
    """Does a line speak of the fuel whose ``words`` (``carrier_words``) it must use, and not of something else
    that shares them (``not_fuel``: recycling a vehicle's batteries)?"""
    return any(w in sentence for w in words) and not any(p in sentence for p in _data("carriers.yaml")["not_fuel"])


# A clause that names a fuel with one of these verbs and none of the reducing words adds that fuel (积极扩大电力、氢能、
# 天然气…在交通运输领域应用; 加快天然气基础设施建设): under 化石能源替代 for a gas park it is the opposite of the section.
_EXPANDS = ("扩大", "加大", "加快", "推广", "增加", "提高", "发展", "建设", "鼓励", "支持", "利用")
_REDUCES = ("替代", "减少", "控制", "压减", "削减", "淘汰", "替换", "改造", "限制", "减量", "禁止", "转型")


def promotes(sentence: str, carrier: str) -> bool:
    """Does the sentence add the carrier's fuel rather than reduce it: a clause names one of the carrier's names
    (天然气, 燃气 …) with an expanding verb and no reducing word?"""
    names = [n for n in _data("carriers.yaml")["carriers"][carrier]["names"] if len(n) >= 2]
    for clause in re.split(r"[，；。,;]", sentence):
        if any(n in clause for n in names) and any(v in clause for v in _EXPANDS) \
                and not any(r in clause for r in _REDUCES):
            return True
    return False


def named_sectors(sentence: str) -> set[str]:
    """The sectors a sentence names."""
    return _named(_masked(sentence))


def _named(masked: str) -> set[str]:
    """The sectors a sentence already split at its accidental word boundaries (``_masked``) names."""
    return {k for k in _data("sectors.yaml")["sectors"] if any(w in masked for w in sector_words(k))}


def production_sectors(ctx: ParkContext) -> tuple[str, ...]:
    """The park's sectors whose lines are industry measures (``production`` in ``data/sectors.yaml``)."""
    production = set(_data("sectors.yaml")["production"])
    return tuple(s for s in ctx.sectors if s in production)


def sector_words(sector: str) -> tuple[str, ...]:
    """Words that tie a policy sentence to one sector (at least two characters: 铜 alone is in too many words)."""
    return tuple(w for w in _data("sectors.yaml")["sectors"][sector]["text"] if len(w) >= 2)


def sector_queries(ctx: ParkContext) -> list[str]:
    """One query per sector of the park, from its policy words."""
    sectors = _data("sectors.yaml")["sectors"]
    return [f"{s} {' '.join(sectors[s]['text'][:5])} 节能降碳 绿色低碳" for s in ctx.sectors]
