"""Writes real PDFs for tests: Chinese text with an embedded CJK font (fpdf2), encrypted and broken variants."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

HEADER = "园区简报 内部资料"


def chinese_pdf(path: Path, font: Path, pages: list[str], header: str = HEADER) -> Path:
    """One page per text, each with a running header and a ``- n -`` page number footer."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", fname=str(font))
    for i, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 10, header, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, text)
        pdf.set_y(-20)
        pdf.set_font("helvetica", size=10)
        pdf.cell(0, 10, f"- {i} -", align="C")
    pdf.output(str(path))
    return path


def encrypted_pdf(src: Path, dst: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    writer.write(str(dst))
    return dst


def image_only_pdf(path: Path) -> Path:
    """A page that shows only a drawn picture: no text layer at all."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 120, 60)
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.ellipse(60, 120, 60, 40, style="F")
    pdf.output(str(path))
    return path
