"""The Word (.docx) file of a briefing, laid out as a Chinese official briefing (简报):
red title, 期号, issuing office and date above a red rule, numbered sections, the key figures
table, and 报/送 lines between rules at the end. Sizes follow the 号 scale (二号 22 pt for the
title, 三号 16 pt for the text); the 方正小标宋/仿宋/黑体 names are what offices have installed,
and LibreOffice or WPS fall back to a CJK font where they are missing."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from fangkong.briefings import content

TITLE = "疫情防控工作简报"
RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四


def _run(paragraph, text, *, font=BODY_FONT, size=SIZE_3, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    # Word reads CJK text's font from eastAsia, not from the ascii name python-docx sets.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _rule(paragraph, side: str, color: str = "FF0000", size: int = 12):
    """A full-width line on the paragraph's `side` (top or bottom) border."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)
    p_pr.append(borders)


def _spacing(paragraph, *, before=0, after=0, line=None):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line:
        fmt.line_spacing = Pt(line)


def build(briefing) -> bytes:
    figures = briefing.figures
    doc = Document()
    section = doc.sections[0]
    # GB/T 9704 margins on A4.
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    text_width = section.page_width - section.left_margin - section.right_margin

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, before=24, after=12)
    _run(title, TITLE, font=TITLE_FONT, size=SIZE_2, color=RED)

    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(number, after=12)
    _run(number, briefing.number, size=SIZE_3)

    masthead = doc.add_paragraph()
    masthead.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _spacing(masthead, after=18)
    _run(masthead, briefing.office, size=SIZE_4)
    _run(masthead, "\t" + content.chinese_date(briefing.date), size=SIZE_4)
    _rule(masthead, "bottom", size=18)

    for part in content.numbered(briefing.sections):
        heading = doc.add_paragraph()
        heading.paragraph_format.first_line_indent = Pt(32)
        _spacing(heading, before=6, line=28)
        _run(heading, part["title"], font=HEADING_FONT, bold=True)
        for line in (part["text"] or "").splitlines() or [""]:
            if not line.strip():
                continue
            body = doc.add_paragraph()
            body.paragraph_format.first_line_indent = Pt(32)
            body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _spacing(body, line=28)
            _run(body, line.strip())

    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(caption, before=12, after=6)
    _run(caption, f"{content.chinese_date(briefing.date)}主要数据", font=HEADING_FONT, bold=True)
    rows = content.table_rows(figures)
    table = doc.add_table(rows=1 + len(rows), cols=len(content.TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, label in enumerate(content.TABLE_COLUMNS):
        cell = table.rows[0].cells[col].paragraphs[0]
        cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell, label, font=HEADING_FONT, size=SIZE_TABLE, bold=True)
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            cell = table.rows[r].cells[col].paragraphs[0]
            cell.alignment = WD_ALIGN_PARAGRAPH.LEFT if col == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _run(cell, value, size=SIZE_TABLE, bold=r == len(rows))

    doc.add_paragraph()
    report = doc.add_paragraph()
    _rule(report, "top", color="000000", size=8)
    _spacing(report, before=12)
    _run(report, f"报：{briefing.report_to}", size=SIZE_4)
    send = doc.add_paragraph()
    _rule(send, "bottom", color="000000", size=8)
    _run(send, f"送：{briefing.send_to}", size=SIZE_4)
    if briefing.copies:
        footer = doc.add_paragraph()
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(footer, f"（共印{briefing.copies}份）", size=SIZE_4)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(briefing) -> str:
    name = briefing.area.name if briefing.area_id else ""
    return f"{name}{TITLE}{briefing.year}年{briefing.number}.docx"
