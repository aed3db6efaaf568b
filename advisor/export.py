"""Export: a pathway as Markdown or as a Word document (python-docx) with CJK fonts set for Word and LibreOffice."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from .assessment import STATUS_LABEL, Assessment, field_label
from .charts import trajectory_png
from .citations import excerpt
from .pathway import Measure, Pathway, PathwaySection
from .profile import TYPE_EN
from .records import Answer

CN_NUM = "一二三四五六七八九十"


def _number(section: PathwaySection, j: int) -> str:
    """A measure's number; the positioning section's line is the type's positioning, stated, not a measure to take."""
    return "" if section.key == "positioning" else f"{j}. "


def _heading_no(i: int, lang: str) -> str:
    """一、… 十一、 for Chinese headings; 1. for English."""
    if lang == "en":
        return f"{i + 1}. "
    n = i + 1
    return (CN_NUM[n - 1] if n <= 10 else "十" + CN_NUM[n - 11]) + "、"


def _marks(refs: list[int]) -> str:
    return "".join(f"[{n}]" for n in refs)


LABELS = {
    "zh": {"draft": "零碳转型路径（草稿）", "profile": "园区概况", "item": "项目", "content": "内容", "refs": "参考资料",
           "created": "生成日期", "mode": "模式", "intro": "每条措施均标注资料出处 [n]，编号对应文末参考资料。本稿为咨询草稿，需结合园区实测数据复核。",
           "facts": "园区现状", "note": "注", "chart": "排放与可再生能源占比路径（按园区档案测算）",
           "kpi_cols": ["指标", "现状", "目标", "依据", "出处"],
           "asm_cols": ["指标", "园区数值", "参考值", "结论", "差距", "出处"], "missing": "缺少的数据（在园区档案中补充后可评估）",
           "skipped": "不适用于本园区类型的指标体系", "name": "园区名称", "type": "园区类型", "region": "所在地区",
           "industries": "主导产业", "mix": "能源结构", "energy": "年综合能耗", "emissions": "年碳排放",
           "renewable": "可再生能源占比", "goals": "目标", "zone": "建筑热工分区", "general": "（通用措施）",
           "common": "通用参考措施（各类园区均适用，未计入本园区措施）"},
    "en": {"draft": "zero-carbon transition pathway (draft)", "profile": "Park profile", "item": "Item",
           "content": "Value", "refs": "References", "created": "Created", "mode": "mode",
           "intro": "Every measure cites its source [n]; numbers refer to the references at the end. A consulting draft: "
                    "check it against the park's measured data.",
           "facts": "Park facts", "note": "Note", "chart": "Emissions and renewable share (computed from the profile)",
           "kpi_cols": ["Indicator", "Now", "Target", "Basis", "Source"],
           "asm_cols": ["Indicator", "Park value", "Reference", "Result", "Gap", "Source"],
           "missing": "Missing data (add it to the profile to assess these rows)",
           "skipped": "Indicator systems for other park types", "name": "Name", "type": "Park type", "region": "Region",
           "industries": "Leading industries", "mix": "Energy mix", "energy": "Energy use", "emissions": "Emissions",
           "renewable": "Renewable share", "goals": "Targets", "zone": "Building climate zone",
           "general": " (general measure)",
           "common": "Common reference measures (for any park; not counted as this park's own)"},
}


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def label(key: str, lang: str = "zh") -> Any:
    return LABELS["en" if lang == "en" else "zh"][key]


def measure_tag(m: Measure, lang: str = "zh") -> str:
    """The mark of a measure that names nothing specific to the park, or of one drafted for an indicator the park
    misses."""
    tag = ""
    if m.gap:
        tag = f" (addresses an unmet indicator: {m.gap[1]})" if lang == "en" else f"（针对未达标指标：{m.gap[0]}）"
    elif m.general:
        tag = label("general", lang)
    return tag + region_tag(m, lang)


def region_tag(m: Measure, lang: str = "zh") -> str:
    """The mark of a line stated by another region's document: a reference, not a rule for this park (the place in
    pinyin in English: 四川 → Sichuan)."""
    if not m.source_region:
        return ""
    if lang == "en":
        from pypinyin import lazy_pinyin

        return f" (from a {''.join(lazy_pinyin(m.source_region)).capitalize()} document, for reference)"
    return f"（{m.source_region}文件，供参考）"


def _profile_rows(pw: Pathway, lang: str = "zh") -> list[tuple[str, str]]:
    p, en = pw.profile, lang == "en"
    rows = [(label("name", lang), p.name),
            (label("type", lang), f"{TYPE_EN[p.park_type]} ({p.park_type})" if en else f"{p.park_type}（{TYPE_EN[p.park_type]}）")]
    if p.region:
        rows.append((label("region", lang), p.region))
    if pw.context and pw.context.zone:
        rows.append((label("zone", lang), f"{pw.context.zone}（GB 50176）"))
    if p.leading_industries:
        rows.append((label("industries", lang), ("、", ", ")[en].join(p.leading_industries)))
    if p.energy_mix:
        rows.append((label("mix", lang), ("、", ", ")[en].join(f"{k} {v:.0%}" for k, v in p.energy_mix.items())))
    if p.annual_energy_tce is not None:
        rows.append((label("energy", lang), f"{p.annual_energy_tce:,.0f} " + ("tce/yr" if en else "吨标准煤")))
    if p.annual_emissions_tco2 is not None:
        rows.append((label("emissions", lang), f"{p.annual_emissions_tco2:,.0f} " + ("t CO2/yr" if en else "吨二氧化碳")))
    if p.renewable_share is not None:
        rows.append((label("renewable", lang), f"{p.renewable_share:.0%}"))
    t = p.targets
    if en:
        goals = [f"peak {t.carbon_peak_year}" if t.carbon_peak_year else "",
                 f"neutral {t.carbon_neutral_year}" if t.carbon_neutral_year else "",
                 f"renewables {t.renewable_share_target:.0%}" if t.renewable_share_target is not None else ""]
    else:
        goals = [f"{t.carbon_peak_year}年碳达峰" if t.carbon_peak_year else "",
                 f"{t.carbon_neutral_year}年碳中和" if t.carbon_neutral_year else "",
                 f"可再生能源占比{t.renewable_share_target:.0%}" if t.renewable_share_target is not None else ""]
    if any(goals):
        rows.append((label("goals", lang), ("，", ", ")[en].join(g for g in goals if g)))
    return rows


def section_title(s: PathwaySection, lang: str = "zh") -> str:
    if lang == "en":
        badge = {"重点": " (priority)", "一般": ""}.get(s.priority or "", "")
        return f"{s.title_en or s.title}{badge}"
    return f"{s.title}{f'（{s.priority}）' if s.priority else ''}"


def _en(text: str) -> str:
    """The few words of computed KPI cells in English (years, net zero, no data, computed from the profile)."""
    for zh, en in (("按园区档案测算", "computed from the profile"), ("净零", " net zero"), ("缺数据", "no data"),
                   ("；", "; "), ("：附件未收录，公开报道值", ": annex not in the library, publicly reported value")):
        text = text.replace(zh, en)
    return re.sub(r"(\d{4})年", r"\1:", text)


NO_REF = "—"  # a KPI no passage states (computed from the profile, or a publicly reported annex value): its basis says


def kpi_rows(pw: Pathway, lang: str = "zh") -> list[list[str]]:
    """The KPI table's rows: indicator, now, target, basis, [n] (only where the passage states the target, else
    ``NO_REF``: an empty cell in every row read as a rendering fault in consultant trial E)."""
    if lang == "en":
        return [[k.name_en or k.name, _en(k.current), _en(k.target_en or k.target), _en(k.basis),
                 _marks([k.ref]) if k.ref else NO_REF]
                for k in pw.kpis]
    return [[k.name, k.current, k.target, k.basis, _marks([k.ref]) if k.ref else NO_REF] for k in pw.kpis]


def assessment_rows(asm: Assessment, lang: str = "zh", ref_of: dict[str, int] | None = None) -> list[list[str]]:
    """The self-assessment table's rows; the source is [n] when the passage is among the draft's references, else
    the document title and page."""
    out = []
    en = lang == "en"
    for r in asm.rows:
        if r.source is None:
            src = ""
        elif ref_of and r.source.chunk.chunk_id in ref_of:
            src = f"[{ref_of[r.source.chunk.chunk_id]}]"
        else:  # the group's title names the document
            page = r.source.chunk.page
            src = (f"p. {page}" if page else "text") if en else (f"第{page}页" if page else "正文")
        name = r.indicator.name_en if en else r.indicator.name
        status = STATUS_LABEL[r.status][en]
        gap = r.gap.split(" / ")[en] if " / " in r.gap else r.gap
        note = f"（{r.note.split(' / ')[en]}）" if r.note else ""
        out.append([name, r.value_text(lang), r.indicator.reference_text(lang), status + note, gap, src])
    return out


def assessment_groups(asm: Assessment, lang: str = "zh",
                      ref_of: dict[str, int] | None = None) -> list[tuple[str, str | None, list[list[str]]]]:
    """(system title, its note, rows) per indicator system."""
    en = lang == "en"
    rows = assessment_rows(asm, lang, ref_of)
    groups = []
    for system in asm.systems:
        mine = [row for r, row in zip(asm.rows, rows) if r.system == system.key]
        groups.append((system.title_en if en else system.title, asm.system_note(system, lang), mine))
    return groups


def missing_line(asm: Assessment, lang: str = "zh") -> str:
    return ("; " if lang == "en" else "；").join(field_label(f, lang) for f in asm.missing)


def reference_line(pw: Pathway, n: int) -> str:
    return f"[{n}] {pw.references[n - 1].source_label(file=True)}"


def _table_md(head: list[str], rows: list[list[str]]) -> list[str]:
    cell = lambda v: str(v).replace("|", "／").replace("\n", " ")  # noqa: E731
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(cell(v) for v in r) + " |"
                                                                      for r in rows]


def to_markdown(pw: Pathway, lang: str = "zh", chart: str | None = None) -> str:
    """The draft as Markdown; ``chart``: a file name of the trajectory PNG to link under the phases section."""
    p = pw.profile
    out = [f"# {p.name} {label('draft', lang)}", "",
           f"> {label('created', lang)} {pw.created} · {label('mode', lang)} {pw.mode} · {label('intro', lang)}", "",
           f"## {label('profile', lang)}", ""]
    out += _table_md([label("item", lang), label("content", lang)], [list(r) for r in _profile_rows(pw, lang)])
    for i, s in enumerate(pw.sections):
        out += ["", f"## {_heading_no(i, lang)}{section_title(s, lang)}", ""]
        if s.key == "phases":
            out += [f"- {c}" for c in s.facts(lang)]
            if chart:
                out += ["", f"![{label('chart', lang)}]({chart})"]
        else:
            out += [f"- {label('facts', lang)}{_colon(lang)}{c}" for c in s.facts(lang)]
        if s.facts(lang):
            out.append("")
        if note := s.note_text(lang):
            out += [f"> {label('note', lang)}{_colon(lang)}{note}", ""]
        out += [f"{_number(s, j)}{m.text}{_marks(m.refs)}{measure_tag(m, lang)}" for j, m in enumerate(s.measures, start=1)]
        if s.common:
            out += ([""] if out[-1] else []) + [f"*{label('common', lang)}*{_colon(lang)}", ""] + [f"- {m.text}{_marks(m.refs)}{region_tag(m, lang)}" for m in s.common]
        if s.key == "kpis":
            out += _table_md(label("kpi_cols", lang), kpi_rows(pw, lang))
        if s.key == "assessment" and pw.assessment:
            for title, note, rows in assessment_groups(pw.assessment, lang, pw.reference_numbers()):
                out += ["", f"**{title}**", ""] + ([f"> {note}", ""] if note else []) + _table_md(label("asm_cols", lang), rows)
            if pw.assessment.missing:
                out += ["", f"{label('missing', lang)}{_colon(lang)}{missing_line(pw.assessment, lang)}"]
    out += ["", f"## {label('refs', lang)}", ""] + [reference_line(pw, n) for n in range(1, len(pw.references) + 1)]
    out += [f"\n> {label('note', lang)}：{text}" for _, text in pw.messages(lang)]
    return "\n".join(out) + "\n"


def _set_fonts(run_or_style, latin: str, cjk: str) -> None:
    from docx.oxml.ns import qn

    run_or_style.font.name = latin
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), cjk)


def _docx_table(document, head: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(head), style="Table Grid")
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = str(value)


def to_docx(pw: Pathway, path: Path, cjk_font: str = "Noto Sans CJK SC", latin_font: str = "Calibri",
            lang: str = "zh") -> Path:
    """Title page, profile table, sections with numbered measures and [n] markers, the trajectory chart, KPI and
    self-assessment tables, references."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        if name in [s.name for s in document.styles]:
            _set_fonts(document.styles[name], latin_font, cjk_font)
    document.styles["Normal"].font.size = Pt(11)
    p = pw.profile
    title = document.add_paragraph(f"{p.name}\n{label('draft', lang)}", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(f"{p.park_type} · {p.region or ''}\n{label('created', lang)} {pw.created} · "
                                 f"{label('mode', lang)} {pw.mode}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(label("intro", lang))
    document.add_page_break()

    document.add_heading(label("profile", lang), level=1)
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for k, v in _profile_rows(pw, lang):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = k, v

    for i, s in enumerate(pw.sections):
        document.add_heading(f"{_heading_no(i, lang)}{section_title(s, lang)}", level=1)
        for c in s.facts(lang):
            document.add_paragraph(c if s.key == "phases" else f"{label('facts', lang)}{_colon(lang)}{c}")
        if s.key == "phases" and (png := trajectory_png(pw.trajectory, lang)):
            document.add_picture(io.BytesIO(png), width=Cm(16))
        if note := s.note_text(lang):
            document.add_paragraph(f"{label('note', lang)}{_colon(lang)}{note}")
        for j, m in enumerate(s.measures, start=1):
            para = document.add_paragraph(f"{_number(s, j)}{m.text}{_marks(m.refs)}{measure_tag(m, lang)}")
            if _number(s, j):
                para.paragraph_format.left_indent = Pt(18)
                para.paragraph_format.first_line_indent = Pt(-18)
        if s.common:
            document.add_paragraph(f"{label('common', lang)}{_colon(lang)}").runs[0].italic = True
            for m in s.common:
                document.add_paragraph(f"{m.text}{_marks(m.refs)}{region_tag(m, lang)}", style="List Bullet")
        if s.key == "kpis":
            _docx_table(document, label("kpi_cols", lang), kpi_rows(pw, lang))
        if s.key == "assessment" and pw.assessment:
            for group_title, note, rows in assessment_groups(pw.assessment, lang, pw.reference_numbers()):
                document.add_heading(group_title, level=2)
                if note:
                    document.add_paragraph(note)
                _docx_table(document, label("asm_cols", lang), rows)
            if pw.assessment.missing:
                document.add_paragraph(f"{label('missing', lang)}：{missing_line(pw.assessment, lang)}")

    document.add_heading(label("refs", lang), level=1)
    for n in range(1, len(pw.references) + 1):
        document.add_paragraph(reference_line(pw, n))
    for _, text in pw.messages(lang):
        document.add_paragraph(f"{label('note', lang)}：{text}")
    path = Path(path)
    document.save(str(path))
    return path


def conversation_markdown(turns: list[tuple[str, Answer | None]], title: str = "零碳园区政策问答记录") -> str:
    """A chat (question, answer) list as Markdown, each answer followed by its sources."""
    out = [f"# {title}", ""]
    for question, answer in turns:
        out += [f"## 问：{question}", ""]
        if answer is None:
            continue
        out += [answer.answer, ""]
        for c in answer.citations:
            h = c.hit
            out.append(f"- [{c.n}] {h.source_label(file=True)}")
            out.append(f"  > {excerpt(h.chunk.text, answer.supported_by(c), 300)}")
        out.append("")
    return "\n".join(out)
