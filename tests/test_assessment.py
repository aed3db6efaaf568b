"""Indicator self-assessment: values computed from a profile with known numbers, missing fields named, and every
threshold taken from a bundled document found in the indexed passage it cites."""

from __future__ import annotations

import json
import re

import pytest

from advisor.assessment import assess, find_passage, indicator_systems
from advisor.config import PROJECT_ROOT
from advisor.profile import ParkProfile, ProfileError, load_profile, parse_profile

from .test_cli import env_for, run

KNOWN = {
    "name": "测试化工园", "park_type": "化工园区", "region": "江苏省泰州市",
    "annual_energy_tce": 500_000, "annual_emissions_tco2": 90_000, "renewable_share": 0.12,
    "metrics": {"emissions_2020_tco2": 200_000, "clean_energy_share": 0.85, "solid_waste_utilization": 0.95,
                "water_reuse_rate": 0.90, "waste_heat_utilization": 0.5, "carbon_management_system": True,
                "no_major_incident_3y": False, "offset_share": 0.08},
}


@pytest.fixture(scope="module")
def catalog(corpus_advisor):
    return corpus_advisor.index.catalog


def _row(result, system: str, name_part: str):
    return next(r for r in result.rows if r.system == system and name_part in r.indicator.name)


def test_known_values_are_judged_correctly(catalog):
    result = assess(parse_profile(KNOWN), catalog)
    intensity = _row(result, "national-910", "单位能耗碳排放")
    assert intensity.value == pytest.approx(0.18) and intensity.indicator.threshold == 0.2  # 500k tce: 0.2 band
    assert intensity.status == "met"
    clean = _row(result, "national-910", "清洁能源")
    assert clean.status == "not_met" and clean.gap.startswith("尚差 5.0 个百分点")
    cut = _row(result, "shenzhen-park", "碳排放总量下降率")
    assert cut.value == pytest.approx(0.55) and cut.status == "met"  # 1 − 90k / 200k
    assert _row(result, "shenzhen-park", "可再生能源消费比重").status == "met"  # 12 % ≥ 10 %
    assert _row(result, "shenzhen-park", "一般工业固体废物").status == "met"
    water = _row(result, "shenzhen-park", "工业用水重复利用率")
    assert water.status == "not_met" and water.gap.startswith("尚差 2.0 个百分点")
    offsets = _row(result, "shenzhen-park", "CCER")
    assert offsets.status == "not_met" and offsets.gap.startswith("超出 3.0 个百分点")  # ≤ 5 %
    assert _row(result, "national-910", "余热").status == "met"  # 50 % ≥ 50 %
    assert _row(result, "zhejiang-guide", "近三年").status == "not_met"
    assert _row(result, "shenzhen-park", "碳排放管理体系").status == "met"


def test_every_missing_field_is_named(catalog):
    result = assess(parse_profile(KNOWN), catalog)
    unknown = {r.indicator.field for r in result.rows if r.status == "unknown"}
    assert unknown and unknown <= set(result.missing)
    for field in ("green_building_share", "intensity_cut_since_2020", "zhejiang_score", "products_at_quota_grade2"):
        assert field in result.missing
    assert "renewable_share" not in result.missing and "water_reuse_rate" not in result.missing
    bare = assess(parse_profile({"name": "空白园", "park_type": "工业园"}), catalog)
    band = _row(bare, "national-910", "单位能耗碳排放")
    assert band.status == "unknown" and "annual_energy_tce" in bare.missing and "annual_emissions_tco2" in bare.missing


def test_band_and_park_type_scope(catalog):
    small = assess(parse_profile({**KNOWN, "annual_energy_tce": 9_000}), catalog)
    assert _row(small, "national-910", "单位能耗碳排放").status == "not_applicable"
    big = assess(parse_profile({**KNOWN, "annual_energy_tce": 1_800_000, "annual_emissions_tco2": 4_600_000}), catalog)
    row = _row(big, "national-910", "单位能耗碳排放")
    assert row.indicator.threshold == 0.3 and row.status == "not_met"
    resort = assess(load_profile(PROJECT_ROOT / "evals" / "profiles" / "resort_zhejiang.yaml"), catalog)
    assert not any(r.system == "zhejiang-guide" for r in resort.rows)  # an industrial-park guide
    assert [s.key for s in resort.skipped] == ["zhejiang-guide"]


def test_bundled_thresholds_match_their_cited_passages(catalog):
    """Every quoted threshold is found in one indexed passage of its document, and that passage states it."""
    checked = 0
    for system in indicator_systems():
        if system.cite:
            assert find_passage(catalog, system.doc, (system.cite,)) is not None, system.key
        for ind in system.indicators:
            if not ind.quote:
                assert system.note, f"{system.key}: a threshold without a passage must say where it comes from"
                continue
            hit = find_passage(catalog, system.doc, ind.quote)
            assert hit is not None, (system.key, ind.name)
            text = re.sub(r"\s+", "", hit.chunk.text)
            if ind.op == "bool":
                assert ind.reference in text
            else:
                value = float(ind.threshold) * (100 if ind.unit == "%" else 1)
                assert f"{value:g}" in text, (ind.name, value)
            checked += 1
    assert checked >= 19


def test_profile_indicator_fields_are_validated():
    with pytest.raises(ProfileError, match="清洁能源消费占比"):
        parse_profile({**KNOWN, "metrics": {"clean_energy_share": 85}})  # a percentage, not a fraction
    with pytest.raises(ProfileError, match="未知字段"):
        parse_profile({**KNOWN, "metrics": {"clean_share": 0.5}})
    assert parse_profile(KNOWN).park_type == "工业园"  # 化工园区 is an industrial park


def test_cli_assess_json(corpus_advisor, tmp_path):
    path = tmp_path / "park.json"
    path.write_text(json.dumps(KNOWN, ensure_ascii=False), encoding="utf-8")
    proc = run(["assess", str(path), "--json"], env_for(corpus_advisor))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    rows = {(r["system"], r["field"]): r for r in data["rows"]}
    assert rows[("shenzhen-park", "water_reuse_rate")]["status"] == "not_met"
    # the row's own page: table 2 runs from page 12 onto page 13, and the water-reuse row is on 13
    assert rows[("shenzhen-park", "water_reuse_rate")]["source"]["page"] == 13
    assert {m["field"] for m in data["missing"]} >= {"green_building_share"}
    text = run(["assess", str(path)], {**env_for(corpus_advisor), "COLUMNS": "200"})
    assert text.returncode == 0 and "缺少的数据" in text.stdout and "未达标" in text.stdout
    narrow = run(["assess", str(path)], {**env_for(corpus_advisor), "COLUMNS": "80"})
    assert narrow.returncode == 0 and "…" not in narrow.stdout  # cells wrap in a narrow terminal, never cut


def test_regional_systems_are_benchmarks_outside_their_region(catalog):
    jiangsu = assess(parse_profile(KNOWN), catalog)
    shenzhen = next(s for s in jiangsu.systems if s.key == "shenzhen-park")
    assert not jiangsu.own("shenzhen-park") and jiangsu.own("national-910")
    assert "本园区不在该地区" in jiangsu.system_note(shenzhen)
    assert assess(parse_profile({**KNOWN, "region": "广东省深圳市南山区"}), catalog).own("shenzhen-park")
    assert assess(parse_profile({**KNOWN, "region": "Shenzhen, Guangdong"}), catalog).own("shenzhen-park")
    unplaced = assess(parse_profile({k: v for k, v in KNOWN.items() if k != "region"}), catalog)
    assert not unplaced.own("shenzhen-park")  # cannot be placed there, and the note says why
    assert "园区档案未填所在地区" in unplaced.system_note(shenzhen)
    assert "region is not given" in unplaced.system_note(shenzhen, "en")


def test_industrial_indicators_do_not_apply_to_a_type_rated_0_on_industry(corpus_advisor):
    office = ParkProfile(name="某商务区", park_type="商务办公园", region="广东省深圳市", annual_energy_tce=250_000,
                         metrics={"water_reuse_rate": 0.15, "solid_waste_utilization": 0.55, "clean_energy_share": 0.5})
    rows = corpus_advisor.assess(office).rows
    industrial = [r for r in rows if r.indicator.sector == "工业"]
    assert industrial and all(r.status == "not_applicable" and "评级为0" in r.note for r in industrial)
    assert any(r.indicator.field == "clean_energy_share" and r.status == "not_met" for r in rows)  # not industrial
    plant = office.model_copy(update={"park_type": "工业园"})
    assert any(r.indicator.field == "water_reuse_rate" and r.status == "not_met" for r in corpus_advisor.assess(plant).rows)
    kpis = corpus_advisor.pathway(office).kpis
    assert not any(k.name.startswith(("工业用水", "工业固体", "一般工业固体", "余热")) for k in kpis)
