"""The park's own numbers over time: phases from its baseline, peak and neutrality years, and a trajectory of
emissions and renewable share from today to its targets (piecewise linear through the years the profile states).

Nothing here is read from a policy: every figure is computed from the profile and labelled so. Where the profile
is silent, the national goals (达峰 by 2030, 中和 by 2060) stand in and the text says that it is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

from .profile import ParkProfile

NATIONAL_PEAK, NATIONAL_NEUTRAL = 2030, 2060
# A long last phase is split at 2035, the year of the national long-range objectives (《国民经济和社会发展第十四个五年
# 规划和2035年远景目标纲要》: 碳排放达峰后稳中有降), when at least five years of it lie on either side; a 2029–2060 block
# gives a client no milestone to plan against.
MILESTONE, MIN_SPAN = 2035, 5
# The renewable share at the neutrality year when the park's own target is lower (or not set): the national goal of
# a non-fossil share above 80 % by 2060 (《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》:
# 到2060年…非化石能源消费比重达到80%以上). Net zero with a share frozen at an interim target would not add up.
NEUTRAL_RENEWABLE = 0.80
# A renewable target without a year of the park's own (none given, or already past) is reached by the later of the
# peak and the national peak year, and no sooner than this many years after drafting — this product's judgment of
# the shortest time in which rooftop PV and green-power contracts change a park's share; the draft says the year.
RAMP_YEARS = 3


@dataclass(frozen=True)
class Phase:
    key: str  # near / peak / cut / steady / neutral
    name: str
    name_en: str
    start: int
    end: int
    goal: str
    goal_en: str


@dataclass(frozen=True)
class Point:
    year: int
    emissions: float | None  # t CO2 (net)
    renewable: float | None  # share 0–1


@dataclass(frozen=True)
class Trajectory:
    baseline_year: int
    peak_year: int
    neutral_year: int
    peak_past: bool
    assumed: tuple[str, ...]  # which years stand in for missing targets (national goals)
    phases: tuple[Phase, ...]
    points: tuple[Point, ...]
    renewable_year: int | None = None  # when the park's renewable target is reached, if the profile gives no year
    renewable_end: float | None = None  # the share assumed at neutrality (NEUTRAL_RENEWABLE), when above the target
    past_target_year: int | None = None  # the profile's target year, already past when drafting
    past_neutral_year: int | None = None  # the profile's neutrality year, already past when drafting

    def at(self, year: int) -> Point:
        return next(p for p in self.points if p.year == year)

    def notes(self, lang: str = "zh") -> list[str]:
        out = []
        if self.peak_past:
            now = self.peak_year == self.baseline_year  # the peak year is this year: not "passed"
            out.append((f"园区设定的达峰年份{self.peak_year}年即为今年" if now else
                        f"园区设定的达峰年份{self.peak_year}年已过") +
                       f"：按已达峰处理，自{self.baseline_year}年起进入下降期。" if lang == "zh" else
                       f"The park's peak year {self.peak_year} " + ("is this year" if now else "has passed") +
                       f": treated as peaked, emissions fall from {self.baseline_year}.")
        if not self.peak_past and self.peak_year > self.baseline_year and self.points[0].emissions is not None:
            out.append(f"达峰前（至{self.peak_year}年）排放按不超过现状测算：园区档案未给出排放增长预测，如园区仍在扩张，"
                       "峰值会更高，请按规划产能补充。" if lang == "zh" else
                       f"Until the peak ({self.peak_year}) emissions are held at today's level: the profile gives no "
                       "growth forecast; a park still growing will peak higher — add its planned capacity.")
        for what in self.assumed:
            out.append({"peak": ("未设定达峰年份：按国家“2030年前达峰”安排。", "No peak year set: the national 2030 "
                                 "peak goal is assumed."),
                        "neutral": ("未设定碳中和年份：按国家“2060年前碳中和”安排。", "No neutrality year set: the "
                                    "national 2060 goal is assumed.")}[what][lang == "en"])
        if self.past_neutral_year:
            out.append(f"园区设定的碳中和年份{self.past_neutral_year}年已过：按{self.neutral_year}年测算。" if lang == "zh"
                       else f"The park's neutrality year {self.past_neutral_year} has passed: {self.neutral_year} is "
                       "used instead.")
        if self.renewable_year:
            why = (f"目标年份{self.past_target_year}年已过" if self.past_target_year else "可再生能源目标未写年份",
                   f"the target year {self.past_target_year} has passed" if self.past_target_year
                   else "the renewable target gives no year")
            out.append(f"{why[0]}：按{self.renewable_year}年达到可再生能源目标测算。" if lang == "zh" else
                       f"{why[1][0].upper()}{why[1][1:]}: reaching the renewable target by {self.renewable_year} is "
                       "assumed.")
        if self.renewable_end is not None:
            out.append(f"碳中和年份（{self.neutral_year}年）可再生能源占比按{self.renewable_end:.0%}测算：参照国家"
                       "“2060年非化石能源消费比重达到80%以上”的目标。" if lang == "zh" else
                       f"At neutrality ({self.neutral_year}) a renewable share of {self.renewable_end:.0%} is assumed, "
                       "after the national goal of a non-fossil share above 80% by 2060.")
        return out


def _interp(anchors: list[tuple[int, float]], year: int) -> float:
    anchors = sorted(anchors)
    if year <= anchors[0][0]:
        return anchors[0][1]
    for (y0, v0), (y1, v1) in zip(anchors, anchors[1:]):
        if y0 <= year <= y1:
            return v0 if y1 == y0 else v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return anchors[-1][1]


def trajectory(profile: ParkProfile, year: int) -> Trajectory:
    """Phases and yearly points from ``year`` (the baseline) to the park's neutrality year."""
    t = profile.targets
    assumed: list[str] = []
    peak = t.carbon_peak_year
    if peak is None:
        peak = NATIONAL_PEAK
        assumed.append("peak")
    neutral = t.carbon_neutral_year
    if neutral is None:
        neutral = NATIONAL_NEUTRAL
        assumed.append("neutral")
    peak_past = peak <= year and t.carbon_peak_year is not None
    peak_eff = max(peak, year)
    past_neutral = neutral if neutral <= peak_eff and t.carbon_neutral_year is not None else None
    neutral = max(neutral, peak_eff + 1)

    phases: list[Phase] = []
    near_end = min(year + 2, neutral - 1) if peak_eff <= year else min(year + 2, peak_eff - 1)
    if peak_eff > year and near_end >= year:
        phases.append(Phase("near", "近期", "Near term", year, near_end, "摸清排放底数、启动见效快的项目",
                            "baseline inventory and quick-win projects"))
        if peak_eff > near_end:
            phases.append(Phase("peak", "达峰期", "Peaking", near_end + 1, peak_eff, f"{peak_eff}年实现碳达峰",
                                f"peak emissions by {peak_eff}"))
    else:
        phases.append(Phase("near", "近期", "Near term", year, near_end,
                            "巩固已达峰成果、排放逐年下降" if peak_past else "启动减排",
                            "hold the peak and cut emissions every year" if peak_past else "start cutting"))
    start = phases[-1].end + 1
    mid = None
    if t.target_year and start < t.target_year < neutral:
        cut = f"较现状下降{t.emission_cut_pct:g}%" if t.emission_cut_pct is not None else "达到阶段目标"
        cut_en = f"{t.emission_cut_pct:g}% below today" if t.emission_cut_pct is not None else "interim targets met"
        phases.append(Phase("cut", "深度减排期", "Deep cuts", start, t.target_year, f"{t.target_year}年排放{cut}",
                            f"{t.target_year}: emissions {cut_en}"))
        mid, start = t.target_year, t.target_year + 1
    if start + MIN_SPAN - 1 <= MILESTONE <= neutral - MIN_SPAN:
        phases.append(Phase("steady", "持续减排期", "Steady cuts", start, MILESTONE, f"{MILESTONE}年前排放持续下降",
                            f"emissions falling steadily to {MILESTONE}"))
        start = MILESTONE + 1
    if start <= neutral:
        phases.append(Phase("neutral", "中和期", "Neutrality", start, neutral, f"{neutral}年实现碳中和",
                            f"carbon neutral by {neutral}"))

    points: list[Point] = []
    e0, r0 = profile.annual_emissions_tco2, profile.renewable_share
    e_anchor: list[tuple[int, float]] = []
    if e0 is not None:
        e_anchor = [(year, e0), (peak_eff, e0), (neutral, 0.0)]
        if mid and t.emission_cut_pct is not None:
            e_anchor.append((mid, e0 * (1 - t.emission_cut_pct / 100)))
    r_anchor: list[tuple[int, float]] = []
    renewable_year: int | None = None
    renewable_end: float | None = None
    past_target: int | None = None
    if r0 is not None:
        r_anchor = [(year, r0)]
        reached = r0
        if t.renewable_share_target is not None and t.renewable_share_target > r0:
            # by the park's own target year while it is ahead; else by its peak or the national peak year, and no
            # sooner than RAMP_YEARS on: a target reached the year after drafting (6 % → 35 %) is no plan
            own = t.target_year if t.target_year and t.target_year > year else None
            past_target = t.target_year if t.target_year and not own else None
            when = min(own or max(peak_eff, NATIONAL_PEAK, year + RAMP_YEARS), neutral)
            renewable_year = None if own or when >= neutral else when  # at neutrality the 80 % goal takes over
            reached = t.renewable_share_target
            r_anchor.append((when, reached))
        if reached < NEUTRAL_RENEWABLE:  # net zero with a share frozen below the national goal would not add up
            renewable_end = NEUTRAL_RENEWABLE
            r_anchor = [a for a in r_anchor if a[0] < neutral] + [(neutral, NEUTRAL_RENEWABLE)]
    for y in range(year, neutral + 1):
        points.append(Point(y, _interp(e_anchor, y) if e_anchor else None,
                            _interp(r_anchor, y) if len(r_anchor) > 1 else (r0 if y == year else None)))
    return Trajectory(year, peak, neutral, peak_past, tuple(assumed), tuple(phases), tuple(points), renewable_year,
                      renewable_end, past_target, past_neutral)
