"""Export: a pathway as Markdown or as a Word document (python-docx) with CJK fonts set for Word and LibreOffice."""

from __future__ import annotations

from pathlib import Path

from .pathway import Pathway
from .profile import TYPE_EN
from .records import Answer

CN_NUM = "一二三四五六七八九十"


def _marks(refs: list[int]) -> str:
    return "".join(f"[{n}]" for n in refs)


def _profile_rows(pw: Pathway) -> list[tuple[str, str]]:
    p = pw.profile
    rows = [("园区名称", p.name), ("园区类型", f"{p.park_type}（{TYPE_EN[p.park_type]}）")]
    if p.region:
        rows.append(("所在地区", p.region))
    if p.leading_industries:
        rows.append(("主导产业", "、".join(p.leading_industries)))
    if p.energy_mix:
        rows.append(("能源结构", "、".join(f"{k} {v:.0%}" for k, v in p.energy_mix.items())))
    if p.annual_energy_tce is not None:
        rows.append(("年综合能耗", f"{p.annual_energy_tce:,.0f} 吨标准煤"))
    if p.annual_emissions_tco2 is not None:
        rows.append(("年碳排放", f"{p.annual_emissions_tco2:,.0f} 吨二氧化碳"))
    if p.renewable_share is not None:
        rows.append(("可再生能源占比", f"{p.renewable_share:.0%}"))
    t = p.targets
    goals = [f"{t.carbon_peak_year}年碳达峰" if t.carbon_peak_year else "",
             f"{t.carbon_neutral_year}年碳中和" if t.carbon_neutral_year else "",
             f"绿电占比{t.renewable_share_target:.0%}" if t.renewable_share_target is not None else ""]
    if any(goals):
        rows.append(("目标", "，".join(g for g in goals if g)))
    return rows


def reference_line(pw: Pathway, n: int) -> str:
    h = pw.references[n - 1]
    page = f"，第{h.chunk.page}页" if h.chunk.page else ""
    return f"[{n}] 《{h.meta.title}》 {h.chunk.section}{page}（{h.meta.source}）"


def to_markdown(pw: Pathway) -> str:
    p = pw.profile
    out = [f"# {p.name} 零碳转型路径（草稿）", "",
           f"> 生成日期 {pw.created} · 模式 {pw.mode} · 每条措施均标注资料出处，编号见文末参考资料。"
           " 本稿为咨询草稿，需结合园区实测数据复核。", "", "## 园区概况", "", "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in _profile_rows(pw)]
    for i, s in enumerate(pw.sections):
        badge = f"（{s.priority}）" if s.priority else ""
        out += ["", f"## {CN_NUM[i]}、{s.title}{badge}", ""]
        out += [f"- 园区现状：{c}" for c in s.context]
        if s.context:
            out.append("")
        out += [f"{j}. {m.text}{_marks(m.refs)}" for j, m in enumerate(s.measures, start=1)]
        if s.key == "kpis":
            out += ["", "| 指标 | 现状 | 目标 | 指标类别 | 依据 |", "|---|---|---|---|---|"]
            out += [f"| {k.name} | {k.current} | {k.target} | {k.basis} | {_marks([k.ref]) if k.ref else ''} |"
                    for k in pw.kpis]
    out += ["", "## 参考资料", ""] + [reference_line(pw, n) for n in range(1, len(pw.references) + 1)]
    if pw.flags.get("fallback_reason"):
        out += ["", f"> 注：{pw.flags['fallback_reason']}"]
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


def to_docx(pw: Pathway, path: Path, cjk_font: str = "Noto Sans CJK SC", latin_font: str = "Calibri") -> Path:
    """Title page, profile table, sections with numbered measures and [n] markers, KPI table, references."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        if name in [s.name for s in document.styles]:
            _set_fonts(document.styles[name], latin_font, cjk_font)
    document.styles["Normal"].font.size = Pt(11)
    p = pw.profile
    title = document.add_paragraph(f"{p.name}\n零碳转型路径（草稿）", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(f"{p.park_type} · {p.region or ''}\n生成日期 {pw.created} · 模式 {pw.mode}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("每条措施均标注资料出处 [n]，编号对应文末参考资料。本稿为咨询草稿，需结合园区实测数据复核。")
    document.add_page_break()

    document.add_heading("园区概况", level=1)
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for k, v in _profile_rows(pw):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = k, v

    for i, s in enumerate(pw.sections):
        badge = f"（{s.priority}）" if s.priority else ""
        document.add_heading(f"{CN_NUM[i]}、{s.title}{badge}", level=1)
        for c in s.context:
            document.add_paragraph(f"园区现状：{c}")
        for j, m in enumerate(s.measures, start=1):
            para = document.add_paragraph(f"{j}. {m.text}{_marks(m.refs)}")
            para.paragraph_format.left_indent = Pt(18)
            para.paragraph_format.first_line_indent = Pt(-18)
        if s.key == "kpis":
            kt = document.add_table(rows=1, cols=5, style="Table Grid")
            for cell, head in zip(kt.rows[0].cells, ("指标", "现状", "目标", "指标类别", "依据")):
                cell.text = head
            for k in pw.kpis:
                cells = kt.add_row().cells
                for cell, value in zip(cells, (k.name, k.current, k.target, k.basis, _marks([k.ref]) if k.ref else "")):
                    cell.text = value

    document.add_heading("参考资料", level=1)
    for n in range(1, len(pw.references) + 1):
        document.add_paragraph(reference_line(pw, n))
    if pw.flags.get("fallback_reason"):
        document.add_paragraph(f"注：{pw.flags['fallback_reason']}")
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
            page = f"，第{h.chunk.page}页" if h.chunk.page else ""
            out.append(f"- [{c.n}] 《{h.meta.title}》 {h.chunk.section}{page}（{h.meta.source}）")
            out.append(f"  > {h.chunk.text.replace(chr(10), ' ')[:300]}")
        out.append("")
    return "\n".join(out)
