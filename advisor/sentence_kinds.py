"""What a sentence of a policy text is: a measure, a target, a heading, a caption, a list of departments …

Answers quote only sentences that can carry content (never a heading, an annex title, a figure caption, a list of
departments or a bare document title); pathways draft only action measures. The rules read the sentence's own
form — heading marks, leading verbs, dates, institution suffixes — the way the policies are written
(《党政机关公文格式》 GB/T 9704: headings 一、（一）1.（1）, annexes 附件, 责任单位 lines), not any question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import yaml

from .tokenization import data_text

Kind = Literal["heading", "title", "annex", "caption", "formula", "departments", "formality", "instruction", "news",
               "rnd", "target", "lawmaking", "governance", "public", "measure", "statement"]
NOT_QUOTABLE: frozenset[str] = frozenset({"heading", "title", "annex", "caption", "formula", "departments", "formality",
                                          "instruction"})
# what is never a park's measure, however it is worded (a model's measure may be a plain statement)
NOT_ACTIONS: frozenset[str] = NOT_QUOTABLE | {"news", "rnd", "target", "lawmaking", "governance", "public"}

_HEADING_MARK = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
                           r"\d{1,2}(\.\d{1,2})*[．.、]\s*(?!\d)|专栏\s*\d+|#{1,6}\s)")
_END = re.compile(r"[。！？；!?;]$")
# A column label is a short noun phrase: the corpus's header cells are mostly ≤ 8 characters (零碳园区战略定位); the
# one longer (近零碳排放建筑单位建筑面积碳排放量) leaves its row quotable. Set from the corpus's tables, not from
# questions; dev answers did not change with it.
HEADER_CELL_CHARS = 10
_ANNEX = re.compile(r"^\s*(附件|附表|附录)\s*[\d一二三四五六七八九十]*\s*[:：.．]?")
# a note (注：) under a table or formula states a rule of its own ("注：…的统计年限为验收前最近一个自然年"), unless it only
# names the source
_CAPTION = re.compile(r"^\s*(图|表|Figure|Table|Fig\.)\s*[\d一二三四五六七八九十]+([-–.．]\d+)?|^\s*(资料来源|数据来源|来源)\s*[:：]|"
                      r"^\s*注\s*[:：]\s*(本图|本表)?(资料|数据)?来源", re.I)
# a formula as extracted text ("Q QQR 1co ×−=") or one of its symbol legends ("Qco2i-1——2020年碳排放总量")
_LEGEND = re.compile(r"^\s*(?![A-Z]{2,}\s*(——|--|－－))[A-Za-zΑ-ω][A-Za-z0-9_\-+,]{0,12}\s*(——|--|－－)(?=\s*[\u4e00-\u9fff\d].{0,20}(率|量|数|系数|因子|总量|单位))")
_MATH = re.compile(r"[=×÷∑∏√±≤≥−]")
_ORG = re.compile(r"(部|委|局|署|办|院|会|行|总局|中心|政府|厅|处|部门)$")
# a document's signature (发文机关署名 and 成文日期, GB/T 9704-2012): the issuing bodies, space-separated or run together
# as a PDF's text gives them, then the date ("浙江省经济和信息化厅 浙江省发展和改革委员会 …浙江省商务厅2022 年 3 月 22 日")
_SIGNATURE = re.compile(r"^(?:\s*[\u4e00-\u9fff（）()]{2,24}?(?:部|委员会|委|局|署|办公室|厅|院|政府|中心))+\s*"
                        r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[。]?$")
_DEPT_LINE = re.compile(r"^[（(]?\s*(责任单位|牵头单位|配合单位|主管部门|责任部门)\s*[:：]")
# the formalities of an official document (GB/T 9704-2012 党政机关公文格式): the line introducing its body (现就…通知如下：)
# and its closing words (特此通知, 请结合实际认真贯彻执行) say nothing a reader asked about
_FORMALITY = re.compile(r"^(现[就将把]|根据.{0,40}现).{0,40}(通知如下|意见如下|函告如下|答复如下)[：:。]?$|^现将.{0,40}印发给你们.{0,30}$|"
                        r"^(特此通知|特此函告|特此公告|请认真贯彻执行|请遵照执行|请结合实际认真贯彻落实|请认真组织实施)[。]?$")
# the bodies responsible for a task, noted after its sentence ("…审批绿色通道。（责任单位：省生态环境厅、…）"): the note
# says who acts; the sentence before it is what kind it is
_DUTY_NOTE = re.compile(r"[（(]\s*(?:责任单位|牵头单位|配合单位|责任部门)\s*[:：][^（）()]*[）)]\s*$")
_DUTY_TAIL = re.compile(r"等?(按职责分工负责|分别负责|按职责负责|按职责分工)")
_NEWS = re.compile(r"^(20\d\d|19\d\d)\s*年\s*\d{1,2}\s*月.{0,40}(召开|发布|印发|宣布|提出|举行|出台|发表|签署|通过)")
_RND = re.compile(r"^(研发|研究|攻关|突破|开发|研制|攻克|开展.{0,20}(研究|研发|攻关))|(关键技术|技术攻关|技术研发|基础研究|前沿技术)")
_RND_TAIL = re.compile(r"(技术|理论|方法|机理|机制)(研究|研发)[。；;]?$|攻关[。；;]?$|颠覆性技术|装备研发|研制|攻克.{0,40}技术")
# making national law, regulations and standards: a task of ministries, not of a park
_LAWMAKING = re.compile(r"(法律|法规|立法|国家标准|行业标准|强制性.{0,6}标准|标准体系).{0,30}(制定|修订|完善|更新)|"
                        r"(制定|修订|完善|更新).{0,30}(法律|法规|国家标准|强制性.{0,6}标准)|法律体系|标准制定修订|"
                        r"^(加快)?(制定|修订|更新)(?:(?!园区|企业|入园)[^，。；]){0,20}等?标准")
# what governments do for parks, not what a park does: addressing localities (推动各地…), a province- or
# nation-wide meeting, tilting resources towards parks (要素资源向…园区倾斜); and, in a sentence that names no park or
# enterprise, trade, a capacity cap, planning a whole industry or a policy instrument (制定…行业碳达峰实施方案 is a
# ministry's; 入园企业应制定…实施方案 a park's). Fiscal, tax and price policies are a government's whoever they name.
_GOVERNANCE = re.compile(r"^(推动|引导|指导|督促|要求|鼓励)?(各地|各省|各级政府|地方政府)|召开(全省|全国|全市)[^，。；]{0,24}(会议|推进会|现场会)|"
                         r"向[^，。；]{0,16}倾斜")
_GOVERNANCE_NO_PARK = re.compile(r"(进口|出口)|产能总量|(产业|行业)[^，。；]{0,12}统筹规划|"
                                 r"(制定|出台|研究)[^，。；]{0,40}(政策|管理办法|实施方案|行动方案|管理机制)")
_FISCAL = re.compile(r"(制定|出台|研究)[^，。；]{0,12}(财税|税收|财政|价格|电价)[^，。；]{0,8}政策")
# a sentence that draws a conclusion or gives an example (可见，… 例如 …) reports; it does not direct
_DISCOURSE = re.compile(r"^(可见|因此|由此可见|总之|综上|例如|比如|据统计|数据显示|其中)[，,：:]?")
_TARGET = re.compile(r"(到|至)\s*20\d\d\s*年.{0,60}(达到|下降|降低|提高|提升|比重|占比|以上|以下|左右|力争|基本|实现|超过|不低于)")
_VERBS = (
    r"(推进|推动|加快|加强|建设|建立|健全|完善|鼓励|支持|实施|开展|引导|发展|"
    r"推广|提升|提高|优化|构建|打造|培育|严格|强化|探索|促进|落实|淘汰|严控|实行|制定|组织|规范|创新|扩大|深化|大力|积极|"
    r"因地制宜|统筹|布局|利用|采用|应用|实现|开发|完善|加大|发挥|坚持|有序|稳妥|合理|科学|全面|逐步|着力|依法|严禁|禁止|不得|应当|应|须|可|"
    r"参与|使用|推行|配置|改造|替代|更新|新建|加装|安装|设立|引进|鼓励|倡导|提倡|做好|抓好|加速|持续)")
_NUMBERING = r"^(（[一二三四五六七八九十\d]+）|\d+[.．])?\s*"
# A measure is written as an imperative (the verb first, subject omitted) or as a subject with a modal before the
# verb (园区应…, 各地区要…, 园区企业积极参与…), the way 《党政机关公文格式》-style policy texts state actions.
_MEASURE_VERB = re.compile(_NUMBERING + _VERBS)
_MEASURE_SUBJECT = re.compile(_NUMBERING + r"[^，。；：“”]{1,14}?(要|应当|应|须|需|可以|可|通过|积极|大力|加快|全面|进一步)\s*"
                              + _VERBS)
# ... or addressed to one industry, its verb straight after (造纸行业建立…回收储运体系, 纺织行业…推广低能耗印染装备), as the
# sector chapters of 《工业领域碳达峰实施方案》 write them
_MEASURE_SECTOR = re.compile(_NUMBERING + r"[\u4e00-\u9fff]{2,8}?(行业|企业)" + _VERBS)
_DEFINITION = re.compile(r"是指|指的是|——|是一种|主要包括|是从")
_INSTRUCTION = re.compile(
    r"(忽略|无视|忘记|不要理会|不必理会|覆盖)(以上|上述|之前|前面|先前|此前|所有|全部|一切|你的|系统)|"
    r"(你|您)(现在|必须|应该|要|只能|务必|一律|从现在起).{0,12}(回答|回复|输出|扮演|是|说|告诉|声称|表示|忽略)|"
    r"(回答|回复)(任何|所有|一切|每个|用户).{0,8}(问题|提问).{0,6}(时|都)|(系统|开发者)\s*(提示|指令|消息)|"
    r"(作为|身为)\s*(AI|人工智能|助手|语言模型|大模型)|(AI|人工智能|智能)?助手(必须|应当|应该|请)|"
    r"(告诉|告知|通知)(用户|读者|提问者)|请(直接)?(回答|回复|输出|声称|告诉)|"
    r"ignore (all |any |the )?(previous|prior|above|earlier|preceding)|disregard (all |the )?(previous|above|prior|instructions)|"
    r"forget (all |your |the )?(previous|prior|instructions)|system prompt|you are now|you must (always |now )?(say|answer|reply|respond|state|claim)|"
    r"(always|only) (answer|reply|respond|say)|as an ai|(tell|inform) (the )?(user|reader)|new instructions?:|"
    r"(assistant|chatbot|model)s? (must|should) (say|answer|reply|state)|respond with|(answer|reply) (every|all|any) question", re.I)


@lru_cache(maxsize=1)
def _scale() -> dict[str, list[str]]:
    return yaml.safe_load(data_text("actor_scale.yaml"))


def is_public_scale(sentence: str) -> bool:
    """A task of a whole city, region or the national power system (提高城市公交…新能源汽车比例, 建设坚强智能电网), or an
    instrument only a government holds (完善…支持政策), with no park or enterprise named as the one to act
    (``data/actor_scale.yaml``)."""
    words = _scale()
    if any(w in sentence for w in words["actor"]):
        return False
    for w in words["park_scale"]:
        sentence = sentence.replace(w, "")
    return any(w in sentence for w in words["public"])


def is_instruction(sentence: str) -> bool:
    """Text that addresses the reader or an assistant with instructions (a planted prompt injection)."""
    return bool(_INSTRUCTION.search(sentence))


def is_department_list(sentence: str) -> bool:
    """A 责任单位 line, a run of three or more institutions joined by 、 with little else, or the addressees a document
    opens with (主送机关, GB/T 9704-2012: "各省、自治区、直辖市发展改革委、…能源局："), or the bodies that sign it with
    the date."""
    if _SIGNATURE.match(sentence.strip()):
        return True
    addressed = sentence.rstrip().endswith(("：", ":"))
    s = sentence.strip("（）() 。；;：:")
    if _DEPT_LINE.match(sentence):
        return True
    parts = [p.strip() for p in re.split(r"[、，,]", re.sub(_DUTY_TAIL, "", s)) if p.strip()]
    orgs = [p for p in (re.sub(r"[（(][^）)]{0,6}[）)]$", "", q.removesuffix("等")) for q in parts)
            if len(p) <= 16 and _ORG.search(p)]  # 生态环境厅（局）
    if addressed and len(orgs) >= 2 and all(len(p) <= 16 for p in parts):
        return True
    return len(orgs) >= 3 and len(orgs) >= 0.7 * len(parts)


def classify(sentence: str, title: str = "") -> Kind:
    """The kind of one sentence (``title``: the document's title, to recognise a bare title)."""
    s = sentence.strip()
    body = _DUTY_NOTE.sub("", s).rstrip()
    if body and body != s:
        return classify(body, title)
    compact = re.sub(r"[\s《》“”\"]", "", s)
    if is_instruction(s):
        return "instruction"
    # the title alone, or with its document number after it ("…指导意见（国发〔2021〕4号）")
    if title and re.sub(r"[（(][^（）()]*号[）)]$", "", compact.rstrip("。")) == re.sub(r"[\s《》“”\"]", "", title):
        return "title"
    if _ANNEX.match(s) and (len(s) <= 60 or not re.search(r"[，,；;]", s)):  # a long one lists annex titles
        return "annex"
    if _CAPTION.match(s):
        return "caption"
    if _LEGEND.match(s) or "|" not in s and _MATH.search(s) and len(re.findall(r"[\u4e00-\u9fff]", s)) < 0.3 * len(compact):
        return "formula"
    if is_department_list(s):
        return "departments"
    if _FORMALITY.match(s):
        return "formality"
    if _heading(s):
        return "heading"
    if _NEWS.search(s):
        return "news"
    if _TARGET.search(s) and not _MEASURE_VERB.match(s):
        return "target"
    if _RND.search(s[:30]) or _RND_TAIL.search(s):
        return "rnd"
    if _LAWMAKING.search(s):
        return "lawmaking"
    if _GOVERNANCE.search(s) or _FISCAL.search(s) or _GOVERNANCE_NO_PARK.search(s) and not re.search(r"园区|企业", s):
        return "governance"
    if _DISCOURSE.match(s):
        return "statement"
    if is_public_scale(s):
        return "public"
    if (_MEASURE_VERB.match(s) or _MEASURE_SUBJECT.match(s) or _MEASURE_SECTOR.match(s)) and not _DEFINITION.search(s[:40]):
        return "measure"
    return "statement"


_TABLE_VALUE = re.compile(r"[≥≤＞＜]\s*\d|\d\s*[%％]")


def _heading(s: str) -> bool:
    """A heading: a numbered title that is short and carries no clause of its own, or any short unpunctuated line."""
    body = _HEADING_MARK.sub("", s, count=1).strip()
    if s.rstrip().endswith(("；", ";")):
        return False  # "（一）属于全国碳排放权交易市场覆盖行业；": an item of a list, which goes on; a heading never does
    if _HEADING_MARK.match(s) and len(body) <= 24 and "，" not in body and not re.search(r"\d", body):
        return True
    if "|" in s or "\t" in s or _TABLE_VALUE.search(s):  # a table row is content, however short; a PDF's row comes
        return False  # as space-separated cells (绿地 绿化覆盖率 % ≥30 一般指标): a value with a bound or unit is no title
    return len(s) <= 30 and not _END.search(s) and not re.search(r"[，,；;：:]", s)


def is_header_row(row: str) -> bool:
    """A table's first row whose cells are all bare labels ("园区类型 | 特点 | 用能 / 排放 | 零碳园区战略定位"): it names
    the columns and answers nothing. Only the first row: a later row of labels ("管理 | 碳排放管理体系 | - | 建立") is
    an indicator with its value."""
    cells = [c for c in re.split(r"\s*[|\t]\s*", row.strip()) if c]
    return len(cells) >= 2 and all(len(c) <= HEADER_CELL_CHARS and not re.search(r"[\d，。；;：:、%％]", c)
                                   for c in cells)


def quotable(sentence: str, title: str = "") -> bool:
    return classify(sentence, title) not in NOT_QUOTABLE
