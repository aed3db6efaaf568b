"""The park's phases and trajectory from its own years, and what the draft says when it has to assume (no index)."""

from __future__ import annotations

import pytest

from advisor.profile import parse_profile
from advisor.trajectory import NEUTRAL_RENEWABLE, trajectory


def _park(**targets: object) -> object:
    return parse_profile({"name": "X", "park_type": "工业园", "annual_emissions_tco2": 100000, "renewable_share": 0.1,
                          "targets": targets})


def test_a_renewable_target_without_a_year_of_its_own_is_not_reached_overnight():
    tr = trajectory(_park(carbon_peak_year=2027, carbon_neutral_year=2050, renewable_share_target=0.5), 2026)
    assert tr.renewable_year == 2030 and tr.at(2030).renewable == pytest.approx(0.5)
    assert tr.at(2027).renewable < 0.25  # rising, not jumping
    past = trajectory(_park(carbon_neutral_year=2050, renewable_share_target=0.5, target_year=2025), 2026)
    assert past.past_target_year == 2025 and past.renewable_year == 2030
    assert any(n.startswith("目标年份2025年已过：按2030年达到可再生能源目标") for n in past.notes())
    late = trajectory(_park(carbon_neutral_year=2050, renewable_share_target=0.5), 2033)
    assert late.renewable_year == 2036  # three years on, not the next year
    # the share keeps rising to the national goal at neutrality, and the draft says it assumed so
    assert tr.at(2050).renewable == pytest.approx(NEUTRAL_RENEWABLE) and tr.renewable_end == NEUTRAL_RENEWABLE
    done = trajectory(_park(carbon_neutral_year=2050, renewable_share_target=0.3).model_copy(
        update={"renewable_share": 0.9}), 2026)
    assert done.renewable_year is None and done.renewable_end is None  # already above both: nothing assumed
    assert not any("可再生能源" in n for n in done.notes())


def test_long_last_phases_are_split_at_2035_and_past_years_are_said():
    tr = trajectory(_park(carbon_peak_year=2028, carbon_neutral_year=2055, emission_cut_pct=30, target_year=2030), 2026)
    assert [(p.key, p.start, p.end) for p in tr.phases][-3:] == [("cut", 2029, 2030), ("steady", 2031, 2035),
                                                                  ("neutral", 2036, 2055)]
    short = trajectory(_park(carbon_peak_year=2028, carbon_neutral_year=2038), 2026)
    assert "steady" not in [p.key for p in short.phases]  # fewer than five years after 2035
    gone = trajectory(_park(carbon_peak_year=2030, carbon_neutral_year=2035), 2040)
    assert gone.past_neutral_year == 2035 and gone.neutral_year == 2041
    assert any(n.startswith("园区设定的碳中和年份2035年已过：按2041年测算") for n in gone.notes())
    # a peak in the drafting year is this year's, not a past one (consultant trial E)
    now = trajectory(_park(carbon_peak_year=2026, carbon_neutral_year=2060), 2026)
    assert now.peak_past and any(n.startswith("园区设定的达峰年份2026年即为今年：按已达峰处理") for n in now.notes())
    assert not any("已过" in n for n in now.notes()) and any("is this year" in n for n in now.notes("en"))


def test_holding_emissions_at_todays_level_until_the_peak_is_said():
    tr = trajectory(_park(carbon_peak_year=2028, carbon_neutral_year=2055), 2026)
    assert tr.at(2028).emissions == tr.at(2026).emissions == 100000
    assert any(n.startswith("达峰前（至2028年）排放按不超过现状测算") for n in tr.notes())
    assert any("held at today's level" in n for n in tr.notes("en"))
    peaked = trajectory(_park(carbon_peak_year=2024, carbon_neutral_year=2055), 2026)
    assert not any("达峰前" in n for n in peaked.notes())  # past its peak: nothing is held
