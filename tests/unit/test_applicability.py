"""Which sectors a park's leading industries name (no model, no index)."""

from __future__ import annotations

import pytest

from advisor.applicability import sectors_of
from advisor.profile import ParkProfile


@pytest.mark.parametrize(("industries", "sectors"), [
    # division names of the national industry classification GB/T 4754-2017
    (["黑色金属冶炼和压延加工业"], ("钢铁",)),
    (["有色金属冶炼和压延加工业"], ("有色",)),
    (["化学原料和化学制品制造业"], ("石化化工",)),
    (["化学药品制剂制造", "生物药品制造"], ("生物医药",)),  # medicine, not chemicals
    (["非金属矿物制品业"], ("建材",)),
    (["通用设备制造业", "电气机械和器材制造业"], ("装备制造",)),
    (["炼焦"], ("石化化工",)),  # GB/T 4754 division 25, fuel processing
    (["集成电路设计"], ("电子信息",)),  # 6520, an information-technology service, not a design service (748)
    (["工程设计服务"], ("商务办公",)),
])
def test_industry_classification_names_map_to_policy_sectors(industries, sectors):
    profile = ParkProfile(name="某园区", park_type="工业园", leading_industries=industries)
    assert sectors_of(profile) == sectors
