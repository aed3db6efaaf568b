"""The offline answerer's decisions on small hand-made passages (no model, no index on disk)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from advisor.answer_forms import _TIME, asked_unit, asks_names, form_coverage, holds_figure
from advisor.applicability import is_place
from advisor.citations import check
from advisor.config import Settings
from advisor.extractive import (
    _clause_keys,
    _dated,
    _lacks_text,
    _points_bare,
    candidates,
    compose,
    extract,
    extract_parts,
    notes_for,
)
from advisor.lexical import LexicalIndex
from advisor.query import QueryAnalyzer
from advisor.records import SECTION_SEP, Chunk, DocMeta, Hit
from advisor.scopes import off_scope, scopes_named
from advisor.text import sentences
from advisor.tokenization import tokenize

RULES = ("第八条 温室气体排放单位符合下列条件的，应当列入温室气体重点排放单位名录：\n"
         "（一）属于全国碳排放权交易市场覆盖行业；\n（二）年度温室气体排放量达到2.6万吨二氧化碳当量。")
NOTICE = ("自评估符合要求的，由国家发展改革委组织开展评估验收（指标体系见附件3），通过评估验收的园区正式成为国家级零碳园区。"
          "国家级零碳园区建设期满后，由省级发展改革委组织开展自评估。")


def _hits(*texts: str) -> tuple[QueryAnalyzer, list[Hit]]:
    lex = LexicalIndex(1, [f"c{i}" for i in range(len(texts))], ["d"] * len(texts), [tokenize(t) for t in texts])
    meta = DocMeta("d", "关于开展零碳园区建设的通知", "d.txt")
    hits = [Hit(i + 1, 1.0, Chunk(f"c{i}", "d", i, meta.title, t, 0, len(t)), meta, scores={"dense": 0.9})
            for i, t in enumerate(texts)]
    return QueryAnalyzer(lex), hits


def test_numbers_that_only_name_something_are_not_figures():
    assert not holds_figure("开展评估验收（指标体系见附件3）")
    assert not holds_figure("根据发改环资〔2025〕910号文件，到2030年实现碳达峰")
    assert not holds_figure("1.10 鼓励园区开展微电网建设")
    assert not holds_figure("主要包括：（1）回顾政府、企业的作用；（2）总结规划完成情况")
    assert not holds_figure("联系人：刘志伟，联系电话：028-86264871")
    assert not holds_figure("计算公式：单位工业增加值废水排放量（t/万元）=园区工业废水排放总量（t）/工业增加值（万元）")
    assert not holds_figure("EGbi ——第i项能源利用绿色化指标引领值，取近3年平均值；")
    assert holds_figure("第二十九条 抵销比例不得超过应清缴碳排放配额的5%")
    assert holds_figure("100家企业纳入首批名单。") and holds_figure("3年内完成改造。")
    assert not holds_figure("培育一批具有全国影响力的绿色发展示范园区。")  # "a number of": no figure
    assert holds_figure("遴选十一批园区。") and holds_figure("建设一个平台。")
    # a rating grade is a figure, and an indicator's explanation may state one (its formula states none)
    assert holds_figure("指标解释：园区新建公共建筑中的绿色建筑是按照GB/T 50378-2014《绿色建筑评价标准》评价，获得二星及以上评级的公共建筑。")
    assert not holds_figure("指标解释：已回收利用的余热占园区余热资源的比重。")


@pytest.mark.parametrize("text", [RULES, RULES.replace("\n", "")])  # items on lines of their own, or inline
def test_a_list_item_is_read_with_the_sentence_that_introduces_it(text):
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("年排放量达到多少的单位要列入重点排放单位名录？"), hits, Settings().answer)
    assert ex.found and any("2.6万吨" in c.text for c in ex.sentences)


@pytest.mark.parametrize("text", [RULES, RULES.replace("\n", "")])
def test_a_quoted_list_item_comes_with_its_list_when_the_list_is_short(text):
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("我们园区的企业年度排放量达到多少吨就要列入重点排放单位名录？"), hits, Settings().answer)
    quoted = "".join(c.text for c in ex.sentences)
    assert ex.found and quoted.startswith("第八条 温室气体排放单位符合下列条件的，应当列入温室气体重点排放单位名录："
                                          "（一）属于全国碳排放权交易市场覆盖行业；（二）年度温室气体排放量达到2.6万吨")
    long = "第九条 下列情形应当整改：" + "".join(f"（{n}）情形{n}涉及排放数据弄虚作假；" for n in "一二三四五")
    analyzer, hits = _hits(long)
    ex = extract(analyzer.analyze("排放数据弄虚作假要整改吗？"), hits, Settings().answer)
    assert ex.found and len(ex.sentences) < 6  # a long list is not quoted whole


def test_a_passage_under_a_heading_for_another_kind_of_object_answers_no_question_about_a_park():
    park, factory = "在满足基本要求的前提下，总得分85分以上的，可以推荐为浙江省绿色低碳工业园区。", \
        "在满足基本要求的前提下，总得分90分以上的，可以推荐为省级绿色低碳工厂。"
    analyzer, hits = _hits(factory, park)
    title = hits[0].meta.title
    hits[0] = dataclasses.replace(hits[0], chunk=dataclasses.replace(
        hits[0].chunk, section=f"{title}{SECTION_SEP}浙江省绿色低碳工厂建设评价导则"))
    ex = extract(analyzer.analyze("我们想评省级绿色低碳工业园区，总分要拿到多少分才能被推荐？"), hits, Settings().answer)
    assert ex.found and [c.passage for c in ex.sentences] == [2] and "85分" in ex.sentences[0].text
    ex = extract(analyzer.analyze("省级绿色低碳工厂总分要多少分才能被推荐？"), hits, Settings().answer)
    assert ex.found and "90分" in ex.sentences[0].text  # asked about factories, the factory guide answers
    assert scopes_named("Which campus pilot indicators apply to schools?") == {"校园"}
    assert not scopes_named("What do the rules say about captive power plants?")  # a power plant is no factory
    assert scopes_named("近零碳排放区域试点") == {"区域"} and not scopes_named("推动区域协调发展")
    assert not off_scope(frozenset(), "浙江省绿色低碳工厂建设评价导则")  # a question naming no kind: all apply


def test_a_unit_asked_in_chinese_is_met_by_its_international_symbol():
    unit = asked_unit("一公顷绿地按多少吨二氧化碳算？")
    assert re.search(unit, "平均二氧化碳固定量 1.95tCO2/公顷。") and re.search(unit, "排放量达到2.6万吨。")
    assert not re.search(unit, "碳排放总量较2020年下降40%以上。")
    kwh = asked_unit("一年发电多少千瓦时？")
    assert re.search(kwh, "年发电量 500 kWh") and not re.search(kwh, "电力 0.1229 kgce/kWh")  # per kWh: no amount
    # 那几个湾区 points back at places named; it asks no count
    assert asked_unit("跟纽约、东京那几个湾区比能耗强度，大湾区的数是多少？") is None
    assert asked_unit("一个省最多推荐几个园区？") is not None
    # a fee is asked in money, in Chinese or English
    for fee in ("交易手续费是怎么收的、费率多少？", "And what transaction fee per tonne does the exchange charge?"):
        assert re.search(asked_unit(fee, "number"), "收取20元/吨") and not re.search(asked_unit(fee, "number"), "5%")
    days = asked_unit("收到通知以后最迟几天内得提出复核？")
    assert re.search(days, "可以自接到通知之日起七个工作日内申请复核") and re.search(days, "公示5个工作日")
    assert not re.search(days, "于每年3月31日前报送")
    analyzer, hits = _hits("考虑植物的固碳作用，单位面积碳汇取单位林地（含绿地）面积平均二氧化碳固定量 1.95tCO2/公顷。")
    ex = extract(analyzer.analyze("算碳汇的时候，一公顷绿地按多少吨二氧化碳算？"), hits, Settings().answer)
    assert ex.found and "1.95" in ex.sentences[0].text


def test_an_english_name_of_a_document_the_library_holds_is_that_document():
    # trial N, N36/N40: "the nine-ministry Sci-Tech Support Implementation Plan …" was refused as a name the library lacks
    text = "聚焦钢铁、建材、石化化工、有色金属等重点行业，完善差别电价、阶梯电价等绿色电价政策。"
    lex = LexicalIndex(1, ["c0"], ["d"], [tokenize(text)])
    meta = DocMeta("d", "工业领域碳达峰实施方案", "d.txt", issuer="工业和信息化部 国家发展改革委 生态环境部")
    hits = [Hit(1, 1.0, Chunk("c0", "d", 0, meta.title, text, 0, len(text)), meta, scores={"dense": 0.9})]
    analyzer = QueryAnalyzer(lex)
    ask = "the {} for Carbon Peaking in the Industrial Sector: which electricity pricing policies does it want for steel?"
    ex = extract(analyzer.analyze(ask.format("MIIT-led Implementation Plan")), hits, Settings().answer)
    assert ex.found and "差别电价" in ex.sentences[0].text
    named = next(k for k in analyzer.analyze(ask.format("MIIT-led Implementation Plan")).key_terms if k.document_type)
    assert named.weight == 0 and "方案" in named.document_type  # it picks the document; the passage is on the rest
    # another kind of document (办法, not 方案) under the same words is not this one: the library lacks it
    ex = extract(analyzer.analyze(ask.format("Administrative Measures")), hits, Settings().answer)
    assert not ex.found and ex.lacks.startswith("ENTITY:Administrative Measures for Carbon Peaking")
    # nor one of a province the document is not of, whether the library knows the province or not
    ex = extract(analyzer.analyze(ask.format("Hainan Implementation Plan")), hits, Settings().answer)
    assert not ex.found and ex.lacks.startswith("ENTITY:Hainan Implementation Plan")
    # nor is a name whose words are mostly not the document's, and a passage citing a 办法 is no part of one
    cited = dataclasses.replace(hits[0], chunk=dataclasses.replace(hits[0].chunk, text="依据《碳排放权交易管理办法》，" + text))
    ex = extract(analyzer.analyze("Under the Administrative Measures for Carbon Trading of Shenzhen, which electricity "
                                  "pricing policies apply to steel?"), [cited], Settings().answer)
    assert not ex.found and ex.lacks.startswith("ENTITY:")


def test_an_english_refusal_names_the_missing_title_whole_and_its_sentences_stay_apart():
    analyzer, hits = _hits("国家生态工业示范园区建设评价报告应于每年3月底前报送。")
    q = analyzer.analyze("Under the Administrative Measures for National Eco-Industrial Demonstration Parks, how often "
                         "is a park re-reviewed?")
    ex = extract(q, hits, Settings().answer)
    assert not ex.found and ex.lacks == "ENTITY:Administrative Measures for National Eco-Industrial Demonstration Parks"
    answer = check(compose(True, dataclasses.replace(ex, near=["《关于开展零碳园区建设的通知》"])), 1).text
    assert answer.startswith("Not found in the sources. The library has nothing specific on Administrative Measures")
    assert ". The library does cover: 《" in answer  # an English sentence among Chinese titles keeps its space


def test_a_threshold_held_in_a_missing_annex_is_refused():
    analyzer, hits = _hits(NOTICE)
    ex = extract(analyzer.analyze("评估验收的指标体系里，单位能耗碳排放要控制在多少以下？"), hits, Settings().answer)
    assert not ex.found


def test_an_indicator_explanation_is_quoted_only_for_what_it_means_or_how_it_is_computed():
    text = ("余热资源回收利用率。指标解释：已回收利用的余热占园区余热资源的比重。"
            "园区应推进余热余压梯级利用，建设余热回收利用设施，提高余热资源回收利用率。")
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("园区的余热资源应该怎么回收利用？"), hits, Settings().answer)
    assert ex.found and not any("指标解释" in c.text for c in ex.sentences)
    ex = extract(analyzer.analyze("余热资源回收利用率怎么计算？"), hits, Settings().answer)
    assert ex.found and any("指标解释" in c.text for c in ex.sentences)


def test_an_indicator_explanation_stating_a_figure_answers_how_many():
    text = ("（3）新建公共建筑中绿色建筑的比例（可选）\n\n"
            "指标解释：园区新建公共建筑中的绿色建筑是按照GB/T 50378-2014《绿色建筑评价标准》评价，获得二星及以上评级的公共建筑。\n\n"
            "计算公式：新建公共建筑中绿色建筑的比例（%）=新建公共建筑中绿色建筑的面积（m2）/园区新建公共建筑面积（m2）×100%。")
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("新建公共建筑要拿到几星的评级才算绿色建筑？"), hits, Settings().answer)
    assert ex.found and any("二星及以上" in c.text for c in ex.sentences)


def test_what_a_pointer_says_a_missing_annex_holds_is_refused_with_that_lack():
    organise = ("各地区发展改革委要推荐有条件、有意愿的园区建设国家级零碳园区（基本条件见附件1），按要求编制申报书（大纲见附件2）。"
                "各地区推荐园区数量不超过2个，于8月22日前将推荐园区名单报送国家发展改革委。")
    analyzer, hits = _hits(organise)
    for asked, annex in (("申报国家级零碳园区要满足哪些基本条件？", "附件1"), ("申报书的大纲有哪些部分？", "附件2"),
                         ("What are the basic eligibility conditions for applying to become a national zero-carbon park?",
                          "附件1")):  # read trial R, R056: in English, by the key terms' Chinese
        ex = extract(analyzer.analyze(asked), hits, Settings().answer)
        assert not ex.found and ex.lacks == f"ANNEX:《关于开展零碳园区建设的通知》{annex}"
    ex = extract(analyzer.analyze("每个省最多能推荐几个园区？"), hits, Settings().answer)
    assert ex.found and any("不超过2个" in c.text for c in ex.sentences)  # the pointers are beside this question


def test_the_contents_of_a_form_whose_template_is_a_missing_annex_are_refused():
    survey = ("开展示范园区碳达峰现状摸查，请创建园区和命名园区于2021年9月30日前报送2016-2020年的《园区年度碳排放基础数据表》"
              "（模板见附件1，每年度填一张表）及必要的文字说明。")
    report = "3.在各示范园区年度报告中，应认真总结碳达峰碳中和工作经验和取得的成效，并提出下一年度的具体目标和落实举措。"
    analyzer, hits = _hits(f"{report}\n\n{survey}")  # the quote opens with the report sentence, not the pointer
    ex = extract(analyzer.analyze("示范园区双碳通知要报的碳排放基础数据表，表里要填哪些指标？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附件1"
    # when the form is due is no question about its contents: answered from the pointing sentence
    ex = extract(analyzer.analyze("示范园区的碳排放基础数据表最晚什么时候报？"), hits, Settings().answer)
    assert ex.found and any("9月30日前" in c.text for c in ex.sentences)


def test_an_annex_the_question_names_and_the_library_lists_but_lacks_is_refused():
    listing = "附件\n\n1.零碳园区建设基本条件\n\n4.零碳园区碳排放核算方法（试行）\n\n国家发展改革委"
    other = "其中电力碳排放因子在创建期内均取广东省平均水平，外购电力的排放因子为0.4512千克二氧化碳每千瓦时。"
    analyzer, hits = _hits(other, listing)
    ex = extract(analyzer.analyze("零碳园区通知附件4的核算方法里，外购电力的排放因子按多少取？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附件4"
    assert extract(analyzer.analyze("外购电力的排放因子按多少取？"), hits, Settings().answer).found
    pointer = "总结建设取得的主要成果，并填写对照考核表。考核表数据需全部填报，格式见附表。"
    analyzer, hits = _hits(pointer)
    ex = extract(analyzer.analyze("年度评价报告里那张对照考核表（附表）具体有哪些指标？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附表"
    # a lettered or numbered pointer is no bare one; a space after 见 still points
    assert [_points_bare(t, m) for t in ("格式见附表。", "格式见 附表。", "计算方法见附录A。", "见附件1", "附件：1.名单")
            for m in [re.search("附[件表录]", t)]] == [True, True, False, False, False]
    # unnamed: what the pointer says the annex holds (its 格式) is asked
    ex = extract(analyzer.analyze("年度评价报告要填的对照考核表，格式是什么样的？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附表"


def test_a_figure_asked_for_a_place_must_be_stated_for_it():
    analyzer, hits = _hits("重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳排放配额的5%。"
                           "北京、天津、上海等地开展碳排放权交易试点。")
    shanghai = extract(analyzer.analyze("上海试点碳市场里，CCER最多能抵销多少比例的配额？"), hits, Settings().answer)
    assert not shanghai.found and "「上海」的相应数字" in compose(False, shanghai)
    assert extract(analyzer.analyze("CCER最多能抵销多少比例的配额？"), hits, Settings().answer).found


def test_a_count_of_days_is_asked_in_days_not_as_a_date():
    unit = asked_unit("名单定下来之前要在网上公示几天？")
    assert unit and re.search(unit, "在官网公示 5 个工作日。") and re.search(unit, "公示期为7日。")
    assert not re.search(unit, "请于 2022 年 5 月 13 日前报送。") and not re.search(unit, "于8月22日将名单报送。")


def test_a_year_is_asked_and_a_day_of_the_year_is_no_answer():
    year = asked_unit("用来抵销的CCER必须是哪一年以后开工的项目？", "time")
    assert year and re.search(year, "2017年3月14日前开工的项目。") and not re.search(year, "于每年3月31日前报送。")
    assert asked_unit("In what year should emissions peak?", "time") == year
    assert asked_unit("这是哪一年度的报告？", "time") is None  # 年度 is the report's year, asked as a period
    analyzer, hits = _hits("重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴。"
                           "重点排放单位应当于每年3月31日前报送上一年度的温室气体排放报告。")
    refused = extract(analyzer.analyze("用来抵销的国家核证自愿减排量必须是哪一年以后产生的？"), hits, Settings().answer)
    assert not refused.found and "没有给出具体的年份" in compose(False, refused)


def test_a_day_asked_for_an_act_is_not_another_acts_day():
    analyzer, hits = _hits("重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳排放配额的5%。"
                           "重点排放单位应当编制上一年度的温室气体排放报告，并于每年3月31日前报省级生态环境主管部门。")
    surrender = extract(analyzer.analyze("配额清缴的截止日期是每年几月几号？"), hits, Settings().answer)
    assert not surrender.found and "几月几日" in compose(False, surrender)
    report = extract(analyzer.analyze("温室气体排放报告每年几月几号前要报？"), hits, Settings().answer)
    assert report.found and any("3月31日" in c.text for c in report.sentences)
    english = extract(analyzer.analyze("By what date must allowances be surrendered each year?"), hits, Settings().answer)
    assert not english.found
    # a day's sentence may name its act by referring back to the sentence before it (该报告)
    analyzer, hits = _hits("重点排放单位应当编制上一年度的温室气体排放报告。该报告应当于每年3月31日前报送省级生态环境主管部门。")
    assert extract(analyzer.analyze("温室气体排放报告几月几号截止？"), hits, Settings().answer).found


def test_a_year_pattern_keeps_its_digit_guard_in_a_larger_pattern():
    from advisor.answer_forms import YEAR
    assert re.search(rf"(?<!\d){YEAR}(?!\d)", "那2030年呢？")
    assert not re.search(rf"(?<!\d){YEAR}(?!\d)", "那排放超过20000吨的企业呢？")


def test_a_calendar_year_named_relative_to_a_date_answers_which_year():
    year = asked_unit("排放量和人口数据取哪一年的？", "time")
    assert re.search(year, "注：二氧化碳排放量、人口的统计年限为验收前最近一个自然年。")
    assert _TIME.search("统计年限为验收前最近一个自然年")
    assert not re.search(year, "重点排放单位应当于每年3月31日前报送上一年度的温室气体排放报告。")


def test_a_question_about_a_rule_to_be_issued_separately_is_refused_when_the_text_only_points_to_it():
    analyzer, hits = _hits("第二十九条 重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳排放配额的5%。"
                           "相关规定由生态环境部另行制定。")
    settings = Settings().answer
    for question in ("生态环境部另行制定的CCER抵销规定里，对减排量的产生时间有什么限制？",
                     "In the rules the ministry will issue separately, what restrictions apply to CCER offsets?"):
        ex = extract(analyzer.analyze(question), hits, settings)
        assert not ex.found and ex.lacks == "DEFERRED:", question
    assert extract(analyzer.analyze("CCER抵销有什么限制？"), hits, settings).found  # the text's own limit answers
    # who makes the rule, or whether that body does, the pointer itself answers
    assert extract(analyzer.analyze("CCER抵销的相关规定由谁另行制定？"), hits, settings).found


def test_tonnes_of_co2_and_tonnes_of_standard_coal_do_not_answer_each_other():
    emissions = asked_unit("大湾区人均碳排放是多少吨？")
    assert not re.search(emissions, "人均能源消费量为 3.7 吨标煤")
    assert re.search(emissions, "人均碳排放量为 5 吨") and re.search(emissions, "≤3.5 tCO2")
    energy = asked_unit("园区一年能耗多少万吨？")
    assert re.search(energy, "年综合能耗1万吨标准煤") and not re.search(energy, "二氧化碳排放5万吨")
    assert re.search(asked_unit("能卖多少吨？"), "5万吨")  # neither named: any tonnes
    # a follow-up's inherited topic is part of what it asks: its 碳排放 still rules the 吨标煤 figure out
    analyzer, _ = _hits("人均能源消费量为 3.7 吨标煤。")
    follow = analyzer.analyze("那珠海是多少吨？（大湾区 碳排放）")
    assert "碳排放" in follow.asking_text
    assert not re.search(asked_unit(follow.asking_text), "人均能源消费量为 3.7 吨标煤")


@pytest.mark.parametrize(("sentence", "names"), [
    ("以习近平新时代中国特色社会主义思想为指导。", False),  # the nation
    ("《中国开发区审核公告目录》收录开发区及国家级新区的产业功能区。", False),  # a document's title, a kind of zone
    ("建成20个左右近零碳排放园区，申报园区应符合条件。", False),  # jieba's two-character nz (申报)
    ("按照工作方案要求，经四川省生态环境厅审核。", False),  # the question's own province, a body
    ("首批试点为宜宾三江新区和德阳经济技术开发区。", True),
])
def test_members_are_named_by_places_and_firms_not_by_the_nation_or_a_title(sentence, names):
    from advisor.answer_forms import names_members
    assert names_members(sentence, "四川第一批近零碳排放园区试点最后入选了哪些园区？") is names


def test_a_count_is_a_number_with_its_measure_word():
    count = asked_unit("每个省最多能推荐几个园区？")
    assert count == asked_unit("How many parks may each province put forward?")
    for stated in ("各地区推荐园区数量不超过2个。", "建成省级绿色低碳工业园区 50 个。", "支持500家左右低碳科技创新企业。",
                   "纸质版材料一式三份。", "培育100多家领军企业。"):
        assert re.search(count, stated), stated
    assert not re.search(count, "序号 所在省（市） 园区名称 1 江苏 江宁经济技术开发区")  # a table row's serial number
    assert asked_unit("How many years is the title valid?") != count  # a length of time
    # "generate" holds the letters of "rate": no percentage is asked
    assert asked_unit("How much construction waste per 10,000 square metres may a site generate by 2030?") is None


def test_a_figure_for_a_place_named_in_english_or_a_count_for_a_year_must_be_stated_for_it():
    analyzer, hits = _hits("选择100个具有典型代表性的城市和园区开展碳达峰试点建设。",
                           "江苏、浙江等地的城市和园区已开展循环化改造。")
    jiangsu = extract(analyzer.analyze("How many of the 100 pilot cities and parks go to Jiangsu?"), hits, Settings().answer)
    assert not jiangsu.found and "no figure for Jiangsu" in compose(True, jiangsu)
    analyzer, hits = _hits("到2030年建成50个不同类型重点低碳零碳技术应用示范工程。",
                           "到2025年单位国内生产总值二氧化碳排放比2020年下降18%，建成一批示范工程。")
    by_2025 = extract(analyzer.analyze("到2025年要建成多少个低碳零碳技术应用示范工程？"), hits, Settings().answer)
    assert not by_2025.found  # 2025's sentence gives a percentage, not a count
    assert extract(analyzer.analyze("到2030年要建成多少个低碳零碳技术应用示范工程？"), hits, Settings().answer).found


def test_a_later_batch_is_held_only_with_what_it_is_a_batch_of():
    analyzer, hits = _hits("各地区推荐园区建设国家级零碳园区，于8月22日前将推荐园区名单报送国家发展改革委。",
                           "广州和中山两市分别入选第二批和第三批低碳城市试点。")
    ex = extract(analyzer.analyze("第二批国家级零碳园区啥时候开始申报？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ENTITY:第二批"
    analyzer, hits = _hits("各地区推荐园区建设国家级零碳园区，第二批零碳园区于2026年8月22日前申报。")
    assert extract(analyzer.analyze("第二批国家级零碳园区啥时候开始申报？"), hits, Settings().answer).found


def test_an_indicators_explanation_belongs_to_the_heading_above_it():
    analyzer, hits = _hits("（1）能源产出率（必选）\n\n指标解释：指报告期内园区工业增加值与能源消耗总量的比值。\n\n"
                           "计算公式：能源产出率= 园区工业增加值/能源综合消耗总量\n\n（2）清洁能源使用率（必选）\n\n"
                           "指标解释：指清洁能源使用量与园区终端能源消费总量之比，能源使用量均按标煤计。")
    cands, _ = candidates(analyzer.analyze("评价导则里的能源产出率是什么意思？"), hits)
    own, other = (next(c for c in cands if c.text.startswith(f"指标解释：指{w}")) for w in ("报告期内", "清洁能源"))
    assert own.coverage > other.coverage  # 能源产出率 is in the heading above its explanation, not in the sentence


def test_english_names_the_unit_too():
    money = asked_unit("How large is the national low-carbon transition fund, in RMB?")
    assert money and re.search(money, "安排资金5000万元。") and not re.search(money, "研究设立国家低碳转型基金。")
    day = asked_unit("What's the exact calendar deadline each year for surrendering allowances?", "time")
    assert day and re.search(day, "于每年12月31日前完成清缴。") and not re.search(day, "每年完成清缴。")
    share = asked_unit("What is the maximum share of allowances that CCER offsets may cover?")
    assert share and re.search(share, "抵销比例不得超过应清缴碳排放配额的5%。") and not re.search(share, "清缴上年度配额。")


def test_a_day_or_a_length_of_time_is_asked_and_a_year_alone_is_no_answer():
    day, length = asked_unit("申报是几月几号截止的？", "time"), asked_unit("牌子能管几年？", "number")
    assert day and re.search(day, "于2021年9月30日前报送。") and not re.search(day, "2021年在全市开展征集工作。")
    assert length and re.search(length, "评价有效期为五年。") and re.search(length, "创建年限为4 年。")
    assert not re.search(length, "到2025年完成验收。") and not re.search(length, "于2021年9月30日前报送。")
    assert asked_unit("要报哪几年的数据？", "number") is None  # which years, not how long
    assert asked_unit("近几年碳排放强度要下降多少？", "number") is None  # a recent span, not how long
    often = asked_unit("综合评价多久开展一次？", "time")
    assert often and re.search(often, "每年开展一次综合评价。") and re.search(often, "在5个工作日内完成审核。")
    assert not re.search(often, "试点工作于2023年10月启动。") and not re.search(often, "上半年完成第三年的评估。")
    assert re.search(day, "每年3月底前报送。") and asked_unit("按几号文执行？", "time") is None
    analyzer, hits = _hits("2021年在全市开展第一批近零碳排放区试点项目征集工作。项目申报单位可自行编制试点项目创建方案并提交相关材料。")
    refused = extract(analyzer.analyze("第一批试点项目申报是几月几号截止的？"), hits, Settings().answer)
    assert not refused.found and "没有给出具体的日期" in compose(False, refused)
    assert "no exact date" in compose(True, refused)
    analyzer, hits = _hits("2021年在全市开展第一批近零碳排放区试点项目征集工作，申报材料于2021年9月30日前提交。")
    ex = extract(analyzer.analyze("第一批试点项目申报是几月几号截止的？"), hits, Settings().answer)
    assert ex.found and "9月30日" in ex.sentences[0].text


def test_the_next_passage_takes_the_place_of_a_sentence_that_does_not_answer():
    analyzer, hits = _hits("示范园区申报材料于9月30日前报送。示范园区申报材料2021年启动申报工作。示范园区申报材料2021年组织复查。",
                           "鼓励园区开展近零碳排放区试点申报工作。")
    ex = extract(analyzer.analyze("示范园区和试点园区的申报材料几月几号前要交？"), hits, Settings().answer)
    assert ex.found and ex.low_confidence and 2 in {c.passage for c in ex.sentences}
    assert any("9月30日" in c.text for c in ex.sentences)  # the dated sentence the answer rests on stays


def test_an_answer_to_check_also_quotes_the_next_passage():
    analyzer, hits = _hits("开展园区余热余压梯级利用，提高余热利用效率。", "支持企业建设屋顶分布式光伏。", "加强园区绿化。")
    ex = extract(analyzer.analyze("园区的余热利用和屋顶光伏该怎么推进？"), hits, Settings().answer)
    assert ex.found and ex.low_confidence and {c.passage for c in ex.sentences} == {1, 2}
    # a confident answer quotes the first passage alone
    sure = extract(analyzer.analyze("园区余热余压怎么利用？"), hits, Settings().answer)
    assert sure.found and not sure.low_confidence and {c.passage for c in sure.sentences} == {1}
    # both retrievers rank the first passage on top: the same answer, without the note
    hits[0] = dataclasses.replace(hits[0], ranks={"dense": 1, "bm25": 2})
    agreed = extract(analyzer.analyze("园区的余热利用和屋顶光伏该怎么推进？"), hits, Settings().answer)
    assert agreed.found and not agreed.low_confidence and {c.passage for c in agreed.sentences} == {1, 2}
    hits[0] = dataclasses.replace(hits[0], ranks={"dense": 1, "bm25": 4})
    assert extract(analyzer.analyze("园区的余热利用和屋顶光伏该怎么推进？"), hits, Settings().answer).low_confidence


def test_an_annex_named_by_its_title_and_not_held_is_said_to_be_missing():
    listing = ("加强宣传推广，面向全省推广近零碳发展优良实践。\n\n附件：2-1．近零碳排放园区试点建设方案编制指南"
               "2-2．近零碳排放园区试点建设评价指标体系2-3．碳排放核算方法")
    table = "既有园区单位工业增加值碳排放量下降率较2020年下降40%以上。"
    analyzer, hits = _hits(listing, table)
    question = "试点建设评价指标体系里，单位工业增加值碳排放要比2020年降多少？"
    ex = extract(analyzer.analyze(question), hits, Settings().answer)
    assert not ex.found and ex.lacks and "附件2-2" in ex.lacks and "附件2-2" in compose(False, ex)
    # held: a retrieved passage sits under that annex's heading
    held = [hits[0], dataclasses.replace(hits[1], chunk=dataclasses.replace(
        hits[1].chunk, section=f"{hits[1].chunk.section} › 附件2-2 近零碳排放园区试点建设评价指标体系"))]
    assert extract(analyzer.analyze(question), held, Settings().answer).found


def test_a_figure_about_something_else_is_no_answer():
    analyzer, hits = _hits("严格控制新建超高层建筑，一般不得新建超高层住宅。组团间的生态廊道应贯通连续，净宽度不少于100米。")
    ex = extract(analyzer.analyze("超高层住宅是按多少米来界定的？"), hits, Settings().answer)
    assert not ex.found


def test_a_figure_is_stated_for_the_year_its_paragraph_opens_with():
    analyzer, hits = _hits("到 2025 年，具备条件的省级以上园区全部开展绿色低碳循环改造。建成省级绿色低碳工业园区 50 个，"
                           "基本形成长效机制。到 2030 年，园区能源利用效率大幅提升。")
    ex = extract(analyzer.analyze("到2025年要建成多少个省级绿色低碳工业园区？"), hits, Settings().answer)
    assert ex.found and any("50 个" in c.text for c in ex.sentences)
    later = extract(analyzer.analyze("到2035年要建成多少个省级绿色低碳工业园区？"), hits, Settings().answer)
    assert not later.found  # the 50 belongs to 2025; the text gives no 2035 figure
    dated = _dated(["到2025年，建成园区50个。", "力争到2030年，建成园区100个。", "建成示范点20个。", "2020年已建成10个。",
                    "再建成5个。"])
    assert [y for _, y, _ in dated] == ["2025", "2030", "2030", "", ""]
    assert [o for _, _, o in dated] == ["", "", "力争到2030年，建成园区100个。", "", ""]  # the sentence that set the year


def test_a_figure_under_a_target_year_speaks_of_what_the_year_s_sentence_names():
    analyzer, hits = _hits("到 2025 年，具备条件的省级以上园区（包括经济技术开发区、高新技术产业开发区等各类产业园区）全部开展"
                           "绿色低碳循环改造，实现园区资源利用效率大幅提升。建成省级绿色低碳工业园区 50 个，基本形成长效机制。")
    ex = extract(analyzer.analyze("到2025年，具备条件的产业园区都要开展循环改造，省级绿色低碳工业园区要建成多少个？"), hits,
                 Settings().answer)
    assert ex.found and any("50 个" in c.text for c in ex.sentences)


def test_how_often_or_how_long_is_answered_by_a_span_of_time():
    analyzer, hits = _hits("重视规划引领，每五年编制一次绿色低碳工业园区发展规划。园区应定期发布绿色园区建设信息。")
    ex = extract(analyzer.analyze("绿色低碳工业园区发展规划多久要编制一次？"), hits, Settings().answer)
    assert ex.found and "每五年" in ex.sentences[0].text
    assert all(_TIME.search(s) for s in ("每年开展一次评估。", "每季度报送一次。", "30日内完成整改。"))
    analyzer, hits = _hits("园区应定期编制绿色低碳工业园区发展规划，并发布建设信息。")
    assert not extract(analyzer.analyze("绿色低碳工业园区发展规划多久要编制一次？"), hits, Settings().answer).found


def test_a_figure_of_a_document_a_provincial_body_issued_is_that_province_s():
    analyzer, hits = _hits("建成省级绿色低碳工业园区 50 个，基本形成促进工业园区绿色低碳发展的长效机制。"
                           "浙江省经信厅负责全省绿色低碳工业园区建设统筹部署。")
    question = "浙江省打算建成多少个省级绿色低碳工业园区？"
    assert not extract(analyzer.analyze(question), hits, Settings().answer).found
    issued = [dataclasses.replace(h, meta=dataclasses.replace(h.meta, issuer="浙江省经济和信息化厅")) for h in hits]
    assert extract(analyzer.analyze(question), issued, Settings().answer).found


def test_a_city_figure_is_not_one_of_a_document_an_institute_there_wrote():
    # a prefecture-level city is a place (GB/T 2260), and an institute's address is not the document's scope
    assert is_place("珠海") and is_place("珠海市") and is_place("喀什地区") and not is_place("日照")
    assert not is_place("宁德") and not is_place("开封")  # 宁德时代, unseal: everyday words before places
    analyzer, hits = _hits("2020年，大湾区11个城市碳排放总量达4.2亿吨，占全国总排放的4%。")
    written = [dataclasses.replace(h, meta=dataclasses.replace(h.meta, issuer="智汇绿色低碳产业发展研究院（珠海市金湾区）"))
               for h in hits]
    ex = extract(analyzer.analyze("大湾区碳排放4.2亿吨，那珠海一个市是多少？"), written, Settings().answer)
    assert not ex.found and ex.lacks == "FIGURE:珠海"


def test_money_is_an_amount_not_the_denominator_of_a_ratio():
    unit = asked_unit("评上示范园区，国家能给多少专项资金？")
    assert unit and re.search(unit, "每千瓦奖励200元。") and re.search(unit, "处一万元以上三万元以下的罚款。")
    assert not re.search(unit, "单位工业增加值综合能耗降至0.4吨标准煤/万元以下。")


def test_a_deadline_named_without_a_date_holds_no_time():
    analyzer, hits = _hits("建设主体应严格落实建设方案，确保在方案期限内完成试点建设任务。")
    assert not extract(analyzer.analyze("试点建设最晚什么时候要完成？"), hits, Settings().answer).found


def test_form_coverage_credits_a_sentence_holding_the_asked_form_next_to_the_asked_words():
    analyzer, _ = _hits(RULES, NOTICE, "全国碳排放权交易市场覆盖行业的企业应当按时清缴配额。")
    number = analyzer.analyze("排放量达到多少会被列入重点排放单位名录？")
    assert number.asks == "number"
    # the threshold sentence holds a figure and the asked words; the notice's figures only name things
    assert form_coverage(number, RULES) > 0.3
    assert form_coverage(number, NOTICE) == 0.0
    assert form_coverage(number, "全国碳排放权交易市场覆盖行业的企业应当按时清缴配额。") == 0.0
    # a unit the question asks in must be the figure's
    money = analyzer.analyze("排放量达到多少元会被列入名录？")
    assert asked_unit(money.text) and form_coverage(money, RULES) == 0.0
    # asks whose form is in nearly every passage (a list, a condition) lift nothing
    condition = analyzer.analyze("列入重点排放单位名录要满足什么条件？")
    assert condition.asks == "condition" and form_coverage(condition, RULES) == 0.0


def test_nearby_topics_name_each_document_once_with_its_headings():
    from advisor.extractive import _near_topics

    texts = ["零碳园区建设要加快用能结构转型。", "零碳园区建设要加强要素保障。", "零碳园区建设要做好组织实施。"]
    lex = LexicalIndex(1, ["a", "b", "c"], ["d", "d", "e"], [tokenize(t) for t in texts])
    notice, plan = DocMeta("d", "关于开展零碳园区建设的通知", "d.txt"), DocMeta("e", "某方案", "e.txt")
    sections = ["关于开展零碳园区建设的通知 › 二、重点任务", "关于开展零碳园区建设的通知 › 三、保障措施", "某方案 › 四、组织实施"]
    hits = [Hit(i + 1, 1.0, Chunk(cid, m.doc_id, i, s, t, 0, len(t)), m)
            for i, (cid, m, s, t) in enumerate(zip("abc", [notice, notice, plan], sections, texts))]
    near = _near_topics(QueryAnalyzer(lex).analyze("零碳园区建设要求"), hits)
    assert near == ["《关于开展零碳园区建设的通知》（二、重点任务；三、保障措施）", "《某方案》（四、组织实施）"]


def test_a_refusal_for_a_missing_figure_offers_the_passages_found_on_the_topic():
    analyzer, hits = _hits("国家发展改革委鼓励各地区对零碳园区建设给予资金支持。", "园区应加强能碳管理平台建设。")
    ex = extract(analyzer.analyze("我们园区在苏州，申报成功后市里会奖励多少钱？"), hits, Settings().answer)
    assert not ex.found and ex.lacks.startswith("NUMBER:")
    assert ex.near == ["《关于开展零碳园区建设的通知》"]
    assert compose(False, ex).endswith("资料中相近的内容有：《关于开展零碳园区建设的通知》。")


def test_a_value_on_its_own_line_after_a_colon_is_quoted_with_it():
    # as PDF extraction leaves it: the value in a paragraph of its own, and a footnote mark the document carries
    text = ("[3]电力排放因子采用《广东省市县（区）级温室气体清单编制指南（试行）》中的广东省电力调入调出 CO2 排放因子：\n\n"
            "0.4512kgCO2/kWh。\n\n其余能源的排放因子按国家相关核算指南取值。")
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("电力排放因子取多少？"), hits, Settings().answer)
    assert ex.found and any(c.text.endswith("排放因子：0.4512kgCO2/kWh。") for c in ex.sentences)
    assert not any("[3]" in c.text for c in ex.sentences)  # the document's footnote mark is no citation marker
    assert re.findall(r"\[\d+\]", compose(False, ex)) == ["[1]"] * len(ex.sentences)
    # joining the value to its line is no paragraph skipped: nothing here addresses the reader (trial S, Q3 and Q20)
    assert ex.skipped_injections == []


def test_a_figure_of_the_asker_s_own_park_does_not_sink_the_figure_the_sources_give():
    # trial S, Q2: the count of the park's own companies is no policy figure; the offset cap is
    text = ("第二十九条 重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳排放配额的5%。"
            "用于抵销的国家核证自愿减排量，不得来自纳入全国碳排放权交易市场配额管理的减排项目。")
    analyzer, hits = _hits(text)
    settings = Settings().answer
    ex = extract_parts(analyzer.analyze("我们园区有几家企业被纳入全国碳市场了？用CCER抵碳配额最多能抵多少？"), hits,
                       settings, analyzer.analyze)
    assert ex.found and any("5%" in c.text for c in ex.sentences)
    assert ex.lacks == "OWN:我们园区有几家企业被纳入全国碳市场了"
    assert "贵园区自身" in notes_for(ex, False)[-1] and "your own park" in notes_for(ex, True)[-1]
    # a figure no clause can be answered with is still refused as one
    ex = extract_parts(analyzer.analyze("我们园区有几家企业被纳入全国碳市场了？每家企业能拿多少补贴？"), hits,
                       settings, analyzer.analyze)
    assert not ex.found and (ex.lacks or "").startswith("NUMBER:")


def test_each_clause_of_a_two_part_question_refused_for_a_figure_is_answered_on_its_own():
    # trial T, Q6: the deadline sentence outranks the 2025 one, so the whole was refused for the year
    analyzer, hits = _hits("请各市（州）于2022年5月13日前报送《近零碳排放园区试点建设申请表》。经生态环境厅意向性审核后，"
                           "组织园区编制试点建设方案并开展初审。",
                           "以能源绿色低碳高效利用为重点，开展近零碳排放园区试点建设，探索园区绿色低碳转型路径。"
                           "在2025年前，建成20个左右近零碳排放园区，形成一批可复制可推广的经验。")
    settings = Settings().answer
    query = analyzer.analyze("我们园区在成都，近零碳排放园区试点的申请表什么时候截止报送？全省到2025年准备建成多少个？")
    assert (extract(query, hits, settings).lacks or "").startswith("YEAR:")
    ex = extract_parts(query, hits, settings, analyzer.analyze)
    texts = [c.text for c in ex.sentences]
    assert ex.found and ex.lacks is None
    assert any("5月13日前" in t for t in texts) and any("建成20个左右" in t for t in texts)
    assert not any("探索园区绿色低碳转型路径" in t for t in texts)  # a clause's filler does not crowd the other out
    # a clause no passage answers is named beside the clause that is answered
    ex = extract_parts(analyzer.analyze("近零碳排放园区试点的申请表什么时候截止报送？入选的园区每个能拿多少补贴？"), hits,
                       settings, analyzer.analyze)
    assert ex.found and any("5月13日前" in c.text for c in ex.sentences)
    assert ex.lacks == "PART:入选的园区每个能拿多少补贴"
    assert notes_for(ex, False)[-1] == "“入选的园区每个能拿多少补贴”：资料中未找到相应内容。"
    assert "no answer to" in notes_for(ex, True)[-1]


def test_a_pointer_to_an_annex_held_in_another_passage_is_followed_by_the_annex():
    analyzer, hits = _hits("试点对象为具备碳排放评价工作基础的产业园区。试点产业园区名单（第一批）见附件1。",
                           "附件1\n\n试点产业园区名单（第一批）\n\n1 江苏 江宁经济技术开发区 国家级 2 浙江 宁波石化经济技术开发区 国家级"
                           "\n\n附件2\n\n工作要点\n\n坚持以现有规划环境影响评价制度为基础开展试点。")
    ex = extract(analyzer.analyze("第一批试点产业园区名单有哪些？"), hits, Settings().answer)
    assert ex.found and ex.lacks is None
    texts = [c.text for c in ex.sentences]
    assert any("见附件1" in t for t in texts) and any("江宁经济技术开发区" in t for t in texts)
    assert not any("坚持以现有" in t for t in texts)  # annex 2 is not what the pointer names


def test_items_after_a_colon_are_a_list():
    from advisor.answer_forms import HOLDS

    # trial S, Q14: the sentence naming all four features was passed over for one of them
    assert HOLDS["list"].search("零碳产业园将具备四大特征：构建零碳能源供给体系，推动零碳产业和技术的发展和应用，"
                                "具有智能物联管理内核，以及为区域创造低碳转型动能。")
    assert not HOLDS["list"].search("第四，零碳产业园不仅要为园区制造零碳的产品，更要为地方区域去推动低碳的转型。")
    # a minimum length is a span of time: how long records are kept (trial T, T41)
    assert HOLDS["time"].search("排放报告所涉数据的原始记录和管理台账应当至少保存五年。")
    assert not HOLDS["time"].search("评价内容至少包括三项。")
    # three joined by 、 and a conjunction (trial N, N21: the applicants of a building pilot)
    assert HOLDS["list"].search("近零碳排放建筑试点项目的申报主体为建筑项目开发商、业主或运营管理单位。")
    assert not HOLDS["list"].search("申报主体为园区管理委员会，创建年限为4年。")


def test_a_document_named_by_its_number_is_held_by_its_record():
    # trial T, Q22: "910号文附件3" was refused as "nothing on 910" though the notice is 发改环资〔2025〕910号
    analyzer, hits = _hits(NOTICE)
    hits = [dataclasses.replace(h, meta=dataclasses.replace(h.meta, doc_number="发改环资〔2025〕910号")) for h in hits]
    ex = extract(analyzer.analyze("910号文附件3的指标体系里，单位能耗碳排放要低于多少？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附件3"


def test_a_table_s_header_row_is_never_quoted_but_a_row_of_labels_below_it_is():
    # trial T, Q18: "园区类型 | 特点 | 用能 / 排放 | 零碳园区战略定位" was quoted as the first answer sentence
    table = ("不同类型园区的特点\n\n园区类型\t特点\t零碳园区战略定位\n"
             "商务办公园\t由高层办公楼群组成，用能需求统一\t以零碳交通建筑一体化设计为特色的现代化绿色办公园区\n"
             "管理\t碳排放管理体系\t建立")
    analyzer, hits = _hits(table)
    ex = extract(analyzer.analyze("商务办公园有什么特点？零碳园区战略定位是什么？"), hits, Settings().answer)
    texts = [c.text for c in ex.sentences]
    assert ex.found and any(t.startswith("商务办公园") for t in texts)
    assert not any(t.startswith("园区类型") for t in texts)
    ex = extract(analyzer.analyze("碳排放管理体系这一项要求是什么？"), hits, Settings().answer)
    assert any(c.text.startswith("管理 | 碳排放管理体系") for c in ex.sentences)


def test_a_lettered_appendix_the_library_lacks_is_named_not_answered_from_other_clauses():
    # trial T, Q21: the guide's appendix B (scoring tables) is not in its PDF's text; its A.2 explanations are
    explained = ("A.2.1 能源利用绿色化指标\n\n（1）能源产出率\n\n指标解释：能源产出率是指园区工业增加值与能源消费总量的比值。"
                 "能源主要包括原煤、原油、天然气等一次能源。\n\n附录B.2给出了绿色指数（GI）的评分方法。")
    analyzer, hits = _hits(explained)
    for question in ("导则附录B里，能源产出率这个指标的引领值是多少？", "In Appendix B, what is the leading value of energy productivity?"):
        ex = extract(analyzer.analyze(question), hits, Settings().answer)
        assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附录B"
    ex = extract(analyzer.analyze("附录A里能源产出率的指标解释是什么？"), hits, Settings().answer)
    assert ex.found and (ex.lacks or "") == ""  # appendix A is held: its clauses (A.2.1 …) are in the passage


def test_a_reporting_period_answers_how_often():
    unit = asked_unit("试点工作进展多久要报一次？", "time")
    assert re.search(unit, "按月报送工作进展。") and re.search(unit, "每季度报送一次。")
    assert not re.search(unit, "整体在2022年11月底前完成。")  # a date is no period


def test_several_asked_years_may_each_be_stated_by_another_sentence():
    analyzer, hits = _hits("到2025年，单位国内生产总值能耗比2020年下降13.5%，单位国内生产总值二氧化碳排放比2020年下降18%。"
                           "到2060年，非化石能源消费比重达到80%以上，碳中和目标顺利实现。")
    q = analyzer.analyze("到2025年单位国内生产总值能耗比2020年下降多少？到2060年非化石能源消费比重要达到多少？")
    ex = extract(q, hits, Settings().answer)
    assert ex.found and {"13.5%", "80%"} <= {m for c in ex.sentences for m in re.findall(r"[\d.]+%", c.text)}
    ex = extract(analyzer.analyze("到2025年单位国内生产总值能耗比2020年下降多少？到2035年非化石能源消费比重要达到多少？"),
                 hits, Settings().answer)
    assert not ex.found and "2035" in (ex.lacks or "")  # a year no sentence states is still said to be missing


def test_members_asked_for_by_name_must_be_named_not_only_the_list_spoken_of():
    analyzer, hits = _hits("国家发展改革委会同有关方面对地方推荐园区的建设方案进行审核，统筹考虑产业代表性、综合示范性、碳减排潜力等"
                           "因素，确定首批国家级零碳园区建设名单。"
                           "首批试点园区包括江苏江宁经济技术开发区、上海化学工业经济技术开发区等。")
    lacking = [hits[0].__class__(1, 1.0, dataclasses.replace(hits[0].chunk, text=hits[0].chunk.text.split("。")[0] + "。"),
                                 hits[0].meta, scores={"dense": 0.9})]
    for question in ("首批国家级零碳园区最后定了哪些园区？", "首批国家级零碳园区名单有哪些园区？"):
        ex = extract(analyzer.analyze(question), lacking, Settings().answer)
        assert not ex.found and ex.lacks == "NAMES:" and "没有列出具体名称" in compose(False, ex)
        ex = extract(analyzer.analyze(question), hits, Settings().answer)
        assert ex.found and any("江宁" in c.text for c in ex.sentences)
    # the list only named as something to hand in, or to leave, asks for no names
    ex = extract(analyzer.analyze("园区推荐名单由谁审核？"), lacking, Settings().answer)
    assert ex.lacks != "NAMES:"


def test_what_the_asker_s_park_must_reach_and_how_long_a_title_lasts_are_each_answered():
    # trial X, Q5: the score clause opens with 我们园区 but asks what the guide requires; the validity clause names
    # none of the sentence's words (称号, 以后), yet a length of time answers 管几年
    analyzer, hits = _hits("3.2.1 绿色低碳工业园区评价内容包括基本要求、评价要求、加分项共3个方面。"
                           "在满足基本要求的前提下，总得分85分以上的，可以推荐为浙江省绿色低碳工业园区。",
                           "3.4.1 浙江省绿色低碳工业园区评价有效期为五年，有效期内应进行持续符合性声明及跟踪复核。")
    settings = Settings().answer
    question = "浙江的省级绿色低碳工业园区评价，我们园区自评完要拿到多少分才有可能被推荐？评上以后这个称号管几年？"
    ex = extract_parts(analyzer.analyze(question), hits, settings, analyzer.analyze)
    texts = [c.text for c in ex.sentences]
    assert ex.found and any("85分以上" in t for t in texts) and any("有效期为五年" in t for t in texts)
    # a figure of the asker's own park is still not looked for in the policies
    ex = extract_parts(analyzer.analyze("我们园区去年总得分是多少？评上以后这个称号管几年？"), hits, settings,
                       analyzer.analyze)
    assert not any("85分以上" in c.text for c in ex.sentences)


def test_the_body_named_responsible_after_an_item_s_sentence_is_quoted_and_cited_with_it():
    # trial X, Q10: "（责任单位：省商务厅）" had been a sentence of its own, never quoted with the sentence it belongs to
    passage = ("7．完善招商政策。推动绿色低碳工业园区成为招商引资主阵地，将重大项目招引要素资源向绿色低碳工业园区倾斜。"
               "（责任单位：省商务厅）\n\n8．强化科技政策。优先支持园区内企业申请重大科技专项。（五）加强要素保障。")
    said = sentences(passage)
    assert "将重大项目招引要素资源向绿色低碳工业园区倾斜。（责任单位：省商务厅）" in said[1]
    assert "（五）加强要素保障。" in said  # a numbered heading after a sentence is no note of it
    analyzer, hits = _hits(passage)
    ex = extract(analyzer.analyze("招商引资资源向绿色低碳工业园区倾斜那一条由哪个部门负责？"), hits, Settings().answer)
    answer = compose(False, ex)
    assert "倾斜。（责任单位：省商务厅）[1]" in answer
    checked = check(answer, 1)
    assert not checked.unsupported and any("省商务厅" in s.text and s.cites == [1] for s in checked.sentences)


def test_an_english_clause_s_own_key_terms_include_the_glossary_terms_it_names():
    analyzer, _ = _hits("选择100个具有典型代表性的城市和园区开展碳达峰试点建设。", "到2030年，省级以上重点产业园区全部实施循环化改造。")
    clause = "and how many cities and parks will be picked as carbon-peak pilots"
    part = analyzer.analyze(f"In the action plan, what is the deadline for circular retrofitting, {clause}?")
    own = {k.label for k in _clause_keys(part, clause)}
    assert {"城市", "示范工程"} <= own  # cities, pilots
    assert "改造" not in own  # retrofitting is the other clause's


def test_an_english_clause_s_own_key_terms_include_a_capitalised_name_it_uses():
    analyzer, _ = _hits("浙江省绿色低碳工业园区评价。", "深圳近零碳排放区试点。")
    clause = "Which document of Zhejiang sets the rules?"
    # the clause is compared lower-cased: a label is too, or a name-label ("Zhejiang") never counts as the clause's
    assert "Zhejiang" in {k.label for k in _clause_keys(analyzer.analyze(clause), clause)}


@pytest.mark.parametrize(("question", "names"), [
    ("首批国家级零碳园区最后定了哪些园区？", True),
    ("试点名单有哪些园区？", True),
    ("江苏有哪几个园区入选？", True),
    ("Which parks made it into the first batch?", True),
    ("重点排放单位名单包括哪些行业？", False),  # kinds, not names
    ("入选名单要看哪些条件？", False),
    ("能不能从名单里退出来？", False),  # the list named, nothing asked of it
    ("Which industrial parks were given priority?", False),  # a kind of park may answer
])
def test_which_questions_ask_for_members_by_name(question, names):
    assert asks_names(question) is names


def test_a_document_number_in_the_question_names_the_document_not_whose_figure_it_is():
    text = "将年综合能耗超过1万吨标准煤的数据中心全部纳入重点用能单位能耗在线监测系统。"
    lex = LexicalIndex(1, ["c0"], ["d"], [tokenize(text)])
    meta = DocMeta("d", "2030年前碳达峰行动方案", "d.txt", issuer="国务院", doc_number="国发〔2021〕23号")
    hits = [Hit(1, 1.0, Chunk("c0", "d", 0, meta.title, text, 0, len(text)), meta, scores={"dense": 0.9})]
    q = QueryAnalyzer(lex).analyze("听说国发23号文对数据中心有在线监测的要求，年综合能耗超过多少的必须纳入？")
    ex = extract(q, hits, Settings().answer)
    assert ex.found and "1万吨标准煤" in ex.sentences[0].text, ex.lacks


def test_a_question_about_what_follows_a_step_quotes_the_sentence_after_it():
    analyzer, hits = _hits("生态环境厅将组织专家对报送方案开展评审，并在官网公示5个工作日。公示结束无异议后，正式纳入试点名单。"
                           "专家评审结果在官网公布。官网公示期间，专家评审意见接受社会监督。",
                           "试点园区应编制试点建设方案，报生态环境厅审核。")
    ex = extract(analyzer.analyze("专家评审完还要在官网公示5个工作日，公示完之后是什么结果？"), hits, Settings().answer)
    assert ex.found and any(c.text.startswith("公示结束无异议后") for c in ex.sentences)
    # not asked what follows, the quote keeps to the sentences on the step
    alone = extract(analyzer.analyze("专家评审完还要在官网公示5个工作日，公示是什么结果？"), hits, Settings().answer)
    assert alone.found and not any(c.text.startswith("公示结束无异议后") for c in alone.sentences)


def test_examples_of_what_is_asked_need_not_be_repeated_by_the_figure():
    analyzer, hits = _hits("以煤矸石、粉煤灰、尾矿、冶炼渣等大宗固废为重点，支持大掺量、规模化、高值化利用。"
                           "到2025年，大宗固废年利用量达到40亿吨左右；到2030年，年利用量达到45亿吨左右。",
                           "推进建筑垃圾资源化利用。")
    question = "方案对煤矸石、粉煤灰这些大宗工业固废每年的利用量，2025年和2030年分别定了多少？"
    ex = extract(analyzer.analyze(question), hits, Settings().answer)
    assert ex.found and any("40亿吨" in c.text for c in ex.sentences)



def test_a_figure_the_asker_gave_is_no_answer_to_how_many_of_it():
    analyzer, hits = _hits("选择100个具有典型代表性的城市和园区开展碳达峰试点建设，在政策、资金、技术等方面给予支持。")
    part = extract(analyzer.analyze("方案说要选100个城市和园区搞试点，这100个里面园区占多少个？"), hits, Settings().answer)
    assert not part.found
    assert extract(analyzer.analyze("方案说要选多少个城市和园区搞试点？"), hits, Settings().answer).found


def test_a_clause_asking_in_words_of_no_form_is_answered_beside_the_figure_clause():
    analyzer, hits = _hits("加强绿色低碳工厂动态管理，建立评价复核机制，由省级部门统筹推进复核工作。"
                           "在评价有效期内，工厂出现由相关部门认定的较大及以上安全、环保、质量等事故，予以除名。"
                           "9.4.1 绿色低碳工厂评定有效期为五年，有效期内应进行持续符合性声明及跟踪复核，到期后应重新评价。",
                           "绿色低碳工厂应建立能源管理体系。")
    question = "那份导则里，绿色低碳工厂拿到认定以后，有效期是几年？有效期内出了什么程度的事故会被除名？"
    ex = extract_parts(analyzer.analyze(question), hits, Settings().answer, analyzer.analyze)
    assert ex.found and any("五年" in c.text for c in ex.sentences) and any("予以除名" in c.text for c in ex.sentences)
    # without the figure, the clause of no form answered alone does not answer the question
    analyzer, hits = _hits("加强绿色低碳工厂动态管理，建立评价复核机制，由省级部门统筹推进复核工作。"
                           "在评价有效期内，工厂出现由相关部门认定的较大及以上安全、环保、质量等事故，予以除名。",
                           "绿色低碳工厂应建立能源管理体系。")
    assert not extract_parts(analyzer.analyze(question), hits, Settings().answer, analyzer.analyze).found


def test_a_period_asked_about_is_not_another_period_the_passages_speak_of():
    # trial N, N28: the 2022年度 report's deadline was answered with the 2021 report's
    text = ("关于报送2021年国家生态工业示范园区建设评价报告的通知：请汇总本省份相关园区年度评价报告，"
            "并于2022年5月31日前报送至国家生态工业示范园区建设协调领导小组办公室。")
    analyzer, hits = _hits(text)
    ex = extract(analyzer.analyze("我们园区要报2022年度的评价报告，截止日期是哪天？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "PERIOD:2022|2021"
    assert _lacks_text(ex.lacks, False) == "资料中的相关内容针对2021年度，没有关于2022年度的规定。"
    ex = extract(analyzer.analyze("我们园区要报2021年度的评价报告，截止日期是哪天？"), hits, Settings().answer)
    assert ex.found and "2022年5月31日" in ex.sentences[0].text  # a date's year (2022年5月) is no period


def test_a_definition_question_holds_by_the_sentence_that_defines_the_asked_name():
    analyzer, hits = _hits("全国碳排放权注册登记系统记录的信息是判断碳排放配额归属的最终依据。",
                           "（三）碳排放权：是指分配给重点排放单位的规定时期内的碳排放额度。")
    query = analyzer.analyze("“碳排放权”这个词是怎么定义的？")
    assert query.asks == "definition"
    cands, _ = candidates(query, hits)
    holding = [c.text for c in cands if c.holds_answer]
    assert holding == ["（三）碳排放权：是指分配给重点排放单位的规定时期内的碳排放额度。"]
    # with no sentence defining an asked name, the looser forms still hold it
    analyzer, hits = _hits("全国碳排放权注册登记系统记录的信息是判断碳排放配额归属的最终依据。")
    cands, _ = candidates(analyzer.analyze("“碳排放权”这个词是怎么定义的？"), hits)
    assert any(c.holds_answer for c in cands)


def test_a_figure_for_new_buildings_is_no_answer_for_existing_ones():
    analyzer, hits = _hits("推进建筑太阳能光伏一体化建设，到2025年新建公共机构建筑、新建厂房屋顶光伏覆盖率力争达到50%。")
    settings = Settings().answer
    asked = "新建厂房屋顶光伏要覆盖50%，那我们园区里那些老厂房屋顶加装光伏，覆盖率要达到多少？"
    ex = extract(analyzer.analyze(asked), hits, settings)
    assert not ex.found and ex.lacks == "SCOPE:既有|新建"
    assert "新建" in _lacks_text(ex.lacks, False) and "existing" in _lacks_text(ex.lacks, True)
    english = extract(analyzer.analyze("What share of existing factory roofs must carry solar PV by 2025?"), hits, settings)
    assert not english.found and english.lacks == "SCOPE:既有|新建"
    ex = extract(analyzer.analyze("新建厂房屋顶光伏覆盖率到2025年要达到多少？"), hits, settings)
    assert ex.found and "50%" in ex.sentences[0].text


def test_a_responsibility_question_holds_by_the_sentence_that_names_who_does_it():
    # a preface naming ministries holds 部 but says nobody is in charge; the agent form (由…组织) does
    preface = "科技部、国家发展改革委等九部门印发《科技支撑碳达峰碳中和实施方案（2022—2030年）》。"
    agent = "由火炬中心成立专项办公室具体组织推动高新区绿色发展行动。"
    analyzer, hits = _hits(preface, agent)
    query = analyzer.analyze("高新区绿色发展行动是哪个部门具体组织推进的？")
    assert query.asks == "responsibility"
    cands, _ = candidates(query, hits)
    assert [c.text for c in cands if c.holds_answer] == [agent]
    # with no sentence in the agent form, the looser forms still hold it
    analyzer, hits = _hits(preface)
    cands, _ = candidates(analyzer.analyze("高新区绿色发展行动是哪个部门具体组织推进的？"), hits)
    assert any(c.holds_answer for c in cands)


def test_an_annex_an_english_question_names_by_its_title_is_said_to_be_missing():
    # read trial U, U055: the notice lists its annexes under a heading line, one a paragraph; an English question
    # names annex 3 by its title's key terms (zero-carbon park + indicator system), and Shenzhen's "创建方案指标体系"
    # is not that annex
    listing = ("附件\n\n1.零碳园区建设基本条件\n\n2.国家级零碳园区申报书大纲\n\n3.国家级零碳园区建设指标体系（试行）\n\n"
               "4.零碳园区碳排放核算方法（试行）")
    table = "能源 | 可再生能源消费比重 | % | ≥10 | 核心指标"
    analyzer, hits = _hits(listing, table)
    hits[1] = dataclasses.replace(hits[1], chunk=dataclasses.replace(hits[1].chunk, section="实施方案 › 3．创建方案指标体系"))
    question = ("What is the threshold for carbon emissions per unit of energy consumption in the national "
                "zero-carbon park indicator system (trial)?")
    ex = extract(analyzer.analyze(question), hits, Settings().answer)
    assert not ex.found and ex.lacks == "ANNEX:《关于开展零碳园区建设的通知》附件3（国家级零碳园区建设指标体系（试行））"
    # in Chinese, named without its （试行）
    ex = extract(analyzer.analyze("国家级零碳园区建设指标体系里单位能耗碳排放的门槛是多少？"), hits, Settings().answer)
    assert not ex.found and ex.lacks is not None and "附件3" in ex.lacks


ASKED_REWARD = "那奖励具体多少钱？按什么标准给？（近零碳排放园区 验收）"  # a follow-up with the topic it inherited


def test_a_figure_clause_whose_subject_no_quoted_sentence_names_leaves_no_answer():
    # read trial R, R033: "那奖励具体多少钱？按什么标准给？" quoted the pilot's acceptance steps, none naming a 奖励
    steps = "近零碳排放园区试点验收按照评价标准开展。建设主体完成近零碳排放园区建设目标后，按验收标准提出验收申请。"
    analyzer, hits = _hits(steps)
    settings = Settings().answer
    assert extract(analyzer.analyze(ASKED_REWARD), hits, settings).found  # the whole question alone is "answered"
    ex = extract_parts(analyzer.analyze(ASKED_REWARD), hits, settings, analyzer.analyze)
    assert not ex.found and ex.lacks == "NUMBER:number"
    # a quote that names the subject stays an answer
    analyzer, hits = _hits("近零碳排放园区试点验收按照评价标准开展。通过验收的近零碳排放园区给予一定形式的奖励。")
    assert extract_parts(analyzer.analyze(ASKED_REWARD), hits, settings, analyzer.analyze).found


def test_a_size_is_not_answered_by_a_span_of_years():
    # read trial R, R061: 规模有多大 was "answered" with 创建年限为4年
    analyzer, hits = _hits("研究设立国家低碳转型基金，基金存续期限为10年。")
    ex = extract(analyzer.analyze("国家低碳转型基金规模有多大？"), hits, Settings().answer)
    assert not ex.found and ex.lacks == "NUMBER:number"
    analyzer, hits = _hits("研究设立国家低碳转型基金，首期规模500亿元。")
    assert extract(analyzer.analyze("国家低碳转型基金规模有多大？"), hits, Settings().answer).found
