"""Which sectors a park's leading industries name (no model, no index)."""

from __future__ import annotations

import pytest

from advisor.applicability import (
    about_fuel,
    carrier_of,
    carrier_words,
    conflict,
    context_for,
    promotes,
    relevance,
    sectors_of,
)
from advisor.profile import ParkProfile
from advisor.sentence_kinds import NOT_QUOTABLE, classify


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


def test_a_sector_word_inside_another_word_names_no_sector():
    from advisor.applicability import named_sectors

    assert named_sectors("聚焦化石能源绿色智能开发和清洁低碳利用。") == set()  # 聚焦化石, not 焦化
    assert named_sectors("推进焦化行业干熄焦改造。") == {"石化化工"}  # coking is fuel processing, as in profiles
    assert named_sectors("提升民航运行管理效率。") == {"航空"}  # 民航|运行, not 航运
    profile = ParkProfile(name="某焦化园区", park_type="工业园", leading_industries=["焦化", "煤焦油深加工"])
    assert sectors_of(profile) == ("石化化工",)  # GB/T 4754 division 25: coking is fuel processing


def test_a_coal_line_does_not_apply_to_a_park_burning_no_coal():
    line = "实施燃煤锅炉节能降碳改造，推进煤改气、煤改电。"
    electric = context_for(ParkProfile(name="某电子园", park_type="工业园", energy_mix={"电力": 0.8, "天然气": 0.2}))
    assert conflict(line, electric) == "fuel: 煤 (not in the energy mix)"
    steam = context_for(ParkProfile(name="某化工园", park_type="工业园", energy_mix={"电力": 0.7, "燃煤蒸汽": 0.3}))
    assert conflict(line, steam) is None  # coal-fired steam is coal
    assert conflict(line, context_for(ParkProfile(name="某园", park_type="工业园"))) is None  # no mix given: unknown
    assert conflict("推广天然气分布式能源。", electric) is None  # only coal's own words say a line is about coal


def test_ship_lines_apply_only_to_a_park_on_the_water():
    line = "加快老旧船舶更新改造，深入推进船舶靠港使用岸电。"
    dry = context_for(ParkProfile(name="中原国际陆港物流园", park_type="港口物流园", leading_industries=["铁路多式联运", "冷链物流"]))
    assert not dry.waterside and conflict(line, dry) is not None
    assert conflict("推广电力、氢燃料、液化天然气动力重型货运车辆。", dry) is None
    for name, industries in (("高栏港综合物流园", ["港口物流"]), ("某物流园", ["集装箱码头作业"]), ("某园", ["内河航运"])):
        ctx = context_for(ParkProfile(name=name, park_type="港口物流园", leading_industries=industries))
        assert ctx.waterside and conflict(line, ctx) is None, name


def test_offshore_wind_is_not_a_mountain_resort_s_measure():
    line = "坚持陆海并重，推动风电协调快速发展，完善海上风电产业链，鼓励建设海上风电基地。"
    resort = context_for(ParkProfile(name="安吉竹乡山地度假区", park_type="旅游度假区", region="浙江省湖州市"))
    coast = context_for(ParkProfile(name="某临海工业园", park_type="工业园", region="浙江省宁波市"))
    assert conflict(line, resort) is not None
    assert conflict(line, coast) is None
    assert conflict("推进分散式风电和分布式光伏建设。", resort) is None  # onshore wind is anyone's


def test_the_buildings_search_names_the_park_type_s_own_buildings():
    from advisor.pathway import PathwayDrafter, section_specs

    spec = next(s for s in section_specs() if s.key == "buildings")
    city = ParkProfile(name="某产城融合示范区", park_type="产城综合体", region="广东省珠海市")
    tech = ParkProfile(name="某科技园", park_type="科技创新园", region="广东省珠海市")
    city_queries = PathwayDrafter._queries(spec, city, context_for(city))
    assert any("居住建筑" in q and "住宅" in q for q in city_queries)
    assert not any("居住建筑" in q or "公共建筑" in q for q in PathwayDrafter._queries(spec, tech, context_for(tech)))


def test_a_fuels_words_count_only_where_asked():
    profile = ParkProfile(name="某度假区", park_type="旅游度假区", region="广东省珠海市",
                          energy_mix={"电力": 0.6, "天然气": 0.3, "汽油柴油": 0.1})
    ctx = context_for(profile)
    assert ctx.fossil_carriers == ("气",)
    line = "探索氢能、生物质等替代化石燃料和原料。"  # 氢能 is a word of gas measures
    assert relevance(line, ctx) == 1 and relevance(line, ctx, carriers=False) == 0
    assert relevance("打造零碳旅游景区。", ctx, carriers=False) >= 1  # the type's and sector's words still count


@pytest.mark.parametrize(("sentence", "kind"), [
    ("采用“揭榜挂帅”机制，开展低碳零碳负碳和储能新材料、新技术、新装备攻关。", "rnd"),  # ends with 攻关
    ("研发高效光伏电池技术。", "rnd"),
    ("实现工业清洁高效用煤和煤炭清洁转化，攻克近零排放的煤制清洁燃料和化学品技术；", "rnd"),  # 攻克…技术 mid-sentence
    # equipment R&D and developing a product (研制) are a maker's or the nation's, not a port park's
    ("大力发展绿色智能船舶，加强船用混合动力、LNG动力、电池动力、氨燃料、氢燃料等低碳清洁能源装备研发，推动内河、沿海老旧船舶更新改造，"
     "加快新一代绿色智能船舶研制及示范应用。", "rnd"),
    ("推动园区建设分布式光伏和储能设施。", "measure"),
])
def test_research_tasks_are_not_measures(sentence, kind):
    assert classify(sentence) == kind


@pytest.mark.parametrize(("sentence", "kind"), [
    # a whole city's, region's or the national power system's task, no park or enterprise named as the actor
    ("提高城市公交、出租汽车、邮政快递、环卫、城市物流配送等领域新能源汽车比例，提升新能源汽车个人消费比例。", "public"),
    ("大力提升电力系统综合调节能力，加快灵活调节电源建设，建设坚强智能电网。", "public"),
    ("持续推进公共建筑能效提升重点城市建设，到2030年地级以上重点城市全部完成改造任务。", "public"),
    ("推动建筑热源端低碳化，综合利用热电联产余热、工业余热、核电余热，根据各地实际情况应用尽用。", "public"),
    ("大力支持发展新能源汽车，完善充换电基础设施支持政策，稳妥推动燃料电池汽车示范应用工作。", "public"),
    # the nation's consumption path in plan periods, and the national ecosystem programme (consultant trial E)
    ("加快煤炭减量步伐，“十四五”时期严格合理控制煤炭消费增长，“十五五”时期逐步减少。", "public"),
    ("坚持系统观念，推进山水林田湖草沙一体化保护和修复，提高生态系统质量和稳定性。", "public"),
    # generation bases, a whole industry's chain and the national waterways (a tourist resort drafted the offshore
    # wind line)
    ("坚持陆海并重，推动风电协调快速发展，完善海上风电产业链，鼓励建设海上风电基地。", "public"),
    ("加快内河高等级航道网建设。", "public"),
    # the same words with the park or its enterprises acting, or inside a park-scale word, are the park's
    ("合理延伸园区相关产业链，实现项目间、企业间、产业间首尾相连、环环相扣。", "measure"),
    ("推动园区与所在城市共建共享公共交通和充电设施。", "measure"),
    ("推动智能微电网、“光储直柔”、蓄冷蓄热、负荷灵活调节、虚拟电厂等技术应用。", "measure"),
    ("支持园区企业用好绿色金融政策。", "measure"),
    ("加快充电桩建设及换电模式创新，构建便利高效适度超前的充电网络体系。", "measure"),  # 充电网络 is no 电网
])
def test_public_scale_tasks_are_not_a_parks_measures(sentence, kind):
    assert classify(sentence) == kind


def test_the_fuel_line_shows_the_profile_entries_a_carrier_sums():
    from advisor.pathway import _facts
    from advisor.profile import parse_profile

    park = parse_profile({"name": "X", "park_type": "工业园", "energy_mix": {"煤炭": 0.6, "电力": 0.25, "燃煤蒸汽": 0.05,
                                                                            "天然气": 0.1}})
    zh, en = next(pair for pair in _facts(park, "fuels", context_for(park)) if pair[0].startswith("主要化石能源"))
    assert zh == "主要化石能源：煤（65%，煤炭60%+燃煤蒸汽5%）" and en == "Main fossil fuels: coal (65%: 煤炭60%+燃煤蒸汽5%)"


def test_purchased_steam_is_heat_not_coal_unless_its_fuel_is_named():
    # consultant trial E: a dyeing park's 外购蒸汽 was read as coal and drafted coal lines
    from advisor.pathway import _facts
    from advisor.profile import parse_profile

    assert [carrier_of(k) for k in ("外购蒸汽", "热力", "燃煤蒸汽", "燃气热电联产蒸汽")] == ["热", "热", "煤", "气"]
    park = parse_profile({"name": "X", "park_type": "工业园", "energy_mix": {"外购蒸汽": 0.45, "电力": 0.35,
                                                                            "天然气": 0.2}})
    ctx = context_for(park)
    assert ctx.fossil_carriers == ("热", "气")
    zh, en = next(pair for pair in _facts(park, "fuels", ctx) if pair[0].startswith("主要化石能源"))
    assert zh.startswith("主要化石能源：外购蒸汽/热力（45%）") and en.startswith("Main fossil fuels: purchased steam/heat (45%)")
    assert conflict("加快煤炭减量步伐，严格合理控制煤炭消费增长。", ctx) == "fuel: 煤 (not in the energy mix)"
    assert conflict("推动园区积极利用生物质能、工业余热等热能资源，实现供热系统清洁低碳化。", ctx) is None


def test_a_line_naming_the_park_types_own_buildings_is_the_parks_own():
    line = "引导建筑供暖、生活热水、炊事等向电气化发展，到2030年建筑用电占建筑能耗比例超过65%。"
    resort = context_for(ParkProfile(name="某度假区", park_type="旅游度假区", region="浙江省湖州市"))
    plant = context_for(ParkProfile(name="某工业园", park_type="工业园", region="浙江省湖州市"))
    office = context_for(ParkProfile(name="某商务区", park_type="商务办公园", region="广东省珠海市"))
    assert relevance(line, resort, carriers=False) == 2  # a hotel's hot water and kitchens (GB/T 51161)
    assert relevance(line, plant, carriers=False) == 0
    assert relevance("推进公共建筑能耗监测和统计分析，逐步实施能耗限额管理。", office, carriers=False) == 1
    assert relevance("推进公共建筑能耗监测和统计分析，逐步实施能耗限额管理。", plant, carriers=False) == 0


@pytest.mark.parametrize(("sentence", "kind"), [
    # the addressees an official document opens with (主送机关) and its formalities are never quoted as an answer
    ("各省、自治区、直辖市发展改革委、工业和信息化主管部门、能源局：", "departments"),
    ("各省、自治区、直辖市生态环境厅（局），新疆生产建设兵团生态环境局：", "departments"),
    ("现就零碳园区建设有关事项通知如下：", "formality"),
    ("现将《方案》印发给你们，请结合实际认真贯彻落实。", "formality"),
    ("特此通知。", "formality"),
    # the signature: the issuing bodies and the date, as a PDF's text runs them together
    ("浙江省经济和信息化厅 浙江省发展和改革委员会 浙江省科学技术厅浙江省生态环境厅 浙江省商务厅2022 年 3 月 22 日", "departments"),
    ("于2022年5月31日前报送至国家生态工业示范园区建设协调领导小组办公室", "statement"),
    # a long line listing annex titles (no clause of its own) is an annex line too
    ("附件：2-1．四川省近零碳排放园区试点建设方案编制指南2-2．四川省近零碳排放园区试点建设评价指标体系2-3．碳排放核算方法", "annex"),
    # a sentence introducing a list of what someone must do is content
    ("重点排放单位应当采取以下措施：", "statement"),
    ("各地区推荐园区数量不超过2个，于8月22日前将推荐园区名单及建设方案报送国家发展改革委（环资司）。", "governance"),
])
def test_document_formalities_are_not_quotable(sentence, kind):
    assert classify(sentence) == kind


def test_a_chip_park_is_no_solar_cell_maker_and_a_software_park_no_factory():
    chips = context_for(ParkProfile(name="某半导体园", park_type="工业园", leading_industries=["集成电路制造", "新型显示面板"]))
    assert chips.sectors == ("电子信息",)
    assert conflict("推进先进太阳能电池及部件智能制造，提高光伏产品全生命周期信息化管理水平。", chips) is not None
    assert conflict("实施智能光伏产业发展行动计划并开展试点示范，加快基础材料、关键设备升级。", chips) is not None
    solar = context_for(ParkProfile(name="某光伏园", park_type="工业园", leading_industries=["光伏组件", "太阳能电池"]))
    assert conflict("推进先进太阳能电池及部件智能制造，提高光伏产品全生命周期信息化管理水平。", solar) is None
    assert sectors_of(ParkProfile(name="某软件园", park_type="科技创新园", leading_industries=["软件和信息服务"])) == ()


def test_green_power_is_an_electricity_intensive_park_s_own_lever():
    # consultant trial E: an aluminium smelter park on grid power got one rooftop-PV line for energy supply
    line = "因地制宜发展绿电直连、新能源就近接入增量配电网等绿色电力直接供应模式，鼓励参与绿证绿电交易。"
    mix = {"煤炭": 0.55, "电力": 0.38, "天然气": 0.07}
    smelter = context_for(ParkProfile(name="某铝业园", park_type="工业园", leading_industries=["电解铝"], energy_mix=mix))
    machinery = context_for(ParkProfile(name="某装备园", park_type="工业园", leading_industries=["装备制造"],
                                        energy_mix=mix))
    assert relevance(line, smelter, carriers=False) > 0 and relevance(line, machinery, carriers=False) == 0
    gas_only = context_for(ParkProfile(name="某铝业园", park_type="工业园", leading_industries=["电解铝"],
                                       energy_mix={"天然气": 0.9, "电力": 0.1}))
    assert relevance(line, gas_only, carriers=False) == 0  # electricity is no main carrier of that park


def test_food_processing_industries_are_the_food_sector():
    # GB/T 4754 divisions 13–15 as an agri-food park names them (consultant trial E)
    park = ParkProfile(name="某农产品加工园", park_type="工业园", leading_industries=["玉米深加工", "乳制品", "肉类屠宰"])
    assert sectors_of(park) == ("食品",)
    assert relevance("推动钢铁、建材、农副食品加工等行业企业实施系统性清洁生产改造。", context_for(park)) == 0  # a list of sectors


def test_a_heating_line_naming_the_park_s_climate_is_its_own():
    # consultant trial E: two severe-cold parks with district heating got no 清洁取暖 / 工业余热供暖 line
    line = "积极推动严寒、寒冷地区清洁取暖，推进热电联产集中供暖，加快工业余热供暖规模化应用。"
    harbin = context_for(ParkProfile(name="某园", park_type="工业园", region="黑龙江省绥化市"))
    fujian = context_for(ParkProfile(name="某园", park_type="工业园", region="福建省泉州市"))
    assert harbin.heating and relevance(line, harbin, carriers=False) > 0
    assert conflict(line, fujian) is not None and relevance(line, fujian, carriers=False) == 0


@pytest.mark.parametrize(("sentence", "carrier", "adds"), [
    ("积极扩大电力、氢能、天然气、先进生物液体燃料等新能源、清洁能源在交通运输领域应用。", "气", True),
    ("加快天然气基础设施建设和互联互通。", "气", True),
    ("推动燃气锅炉电能替代，推广空气源热泵。", "气", False),  # the gas is what is replaced
    ("有序引导天然气消费，合理控制油气消费增量。", "气", False),
    ("加快实施电能替代和清洁替代，提高生产过程电气化水平。", "气", False),  # names no gas
    ("积极扩大电力、氢能、天然气、先进生物液体燃料等新能源、清洁能源在交通运输领域应用。", "油", False),
])
def test_a_fuel_line_that_adds_the_fuel_is_no_replacement_for_it(sentence, carrier, adds):
    assert promotes(sentence, carrier) is adds


@pytest.mark.parametrize(("sentence", "kind"), [
    ("绿地 绿化覆盖率 % ≥30 一般指标", "statement"),  # a PDF table row, its cells split by spaces: a value
    ("工业用水重复利用率 % ≥92 一般指标", "statement"),
    ("三、重点任务", "heading"),
    ("2030年前碳达峰行动", "heading"),  # a year is no value
])
def test_a_pdf_table_row_with_a_bound_is_no_heading(sentence, kind):
    assert classify(sentence) == kind


def test_recycling_a_vehicle_s_batteries_is_not_a_line_about_its_fuel():
    words = carrier_words("油")
    assert about_fuel("加快充电桩建设及换电模式创新，构建便利高效适度超前的充电网络体系。", words)
    assert not about_fuel("推动新能源汽车动力电池回收利用体系建设。", words)


@pytest.mark.parametrize(("sentence", "kind"), [
    ("资料来源：落基山研究所", "caption"),
    ("注：数据来源于国家统计局。", "caption"),
    ("表 8 不同能源品种折标煤系数", "caption"),
])
def test_a_note_under_a_table_states_a_rule_unless_it_names_a_source(sentence, kind):
    assert classify(sentence) == kind
    assert classify("注：二氧化碳排放量、人口的统计年限为验收前最近一个自然年。") not in NOT_QUOTABLE


@pytest.mark.parametrize(("term", "kind"), [
    ("建材行业", "sector"), ("石化化工", "sector"), ("焦炭", "fuel"), ("光伏发电", "source"), ("核电", "source"),
    ("商务部", None), ("生物多样性", None), ("水电费", None), ("绿色金融", None), ("公共交通", None),
])
def test_a_topic_kind_is_the_word_itself_or_its_trade_not_any_term_holding_it(term, kind):
    from advisor.applicability import topic_kind
    assert topic_kind(term) == kind
