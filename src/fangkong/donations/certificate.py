"""The thank-you certificate (捐赠证书 / 感谢信) of one donation, as a Word document: red
title, the number, the donor's real name (an anonymous donor's certificate still names them:
it is theirs, not the public's), what was given, the thanks, and the receiving unit's name
and date at the foot. Laid out like the briefing (briefings/document.py): 号 sizes, the
fonts offices have, A4 with GB/T 9704 margins."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from fangkong.core.numbers import money, plain

TITLE = "捐赠证书"
RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SIZE_1 = Pt(26)  # 一号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四


def _run(paragraph, text, *, font=BODY_FONT, size=SIZE_3, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _spacing(paragraph, *, before=0, after=0, line=None):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line:
        fmt.line_spacing = Pt(line)


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def gift_text(donation, lines) -> str:
    """What was given, in one sentence: 人民币1,000.00元，医用口罩5000只、…"""
    parts = []
    if donation.amount > 0:
        parts.append(f"人民币{money(donation.amount)}元")
    if lines:
        goods = "、".join(
            f"{line.item.name}{plain(line.quantity)}{line.item.unit}" for line in lines
        )
        parts.append(goods)
    return "，".join(parts)


def build(donation, lines, *, issued_on=None) -> bytes:
    issued_on = issued_on or timezone.localdate()
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, before=24, after=12)
    _run(title, TITLE, font=TITLE_FONT, size=SIZE_1, color=RED)

    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(number, after=18)
    _run(number, donation.number, size=SIZE_4)

    donor = doc.add_paragraph()
    _spacing(donor, after=6, line=30)
    _run(donor, f"{donation.donor.name}：")

    body = doc.add_paragraph()
    body.paragraph_format.first_line_indent = Pt(32)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # Room between the text and the table of goods.
    _spacing(body, line=30, after=12)
    _run(
        body,
        f"在新冠肺炎疫情防控的关键时期，您于{chinese_date(donation.received_on)}"
        f"向{donation.area.name}捐赠{gift_text(donation, lines)}"
        + (f"，用于{donation.purpose}" if donation.purpose else "")
        + "。您的爱心善举为打赢疫情防控阻击战提供了有力支持，特发此证，以表谢忱！",
    )

    if lines:
        table = doc.add_table(rows=1 + len(lines), cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, label in enumerate(("物资名称", "规格", "数量", "估值（元）")):
            cell = table.rows[0].cells[col].paragraphs[0]
            cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(cell, label, font=HEADING_FONT, size=SIZE_TABLE, bold=True)
        for row, line in enumerate(lines, start=1):
            values = (
                line.item.name,
                line.item.specification or "—",
                f"{plain(line.quantity)}{line.item.unit}",
                money(line.value),
            )
            for col, value in enumerate(values):
                cell = table.rows[row].cells[col].paragraphs[0]
                cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(cell, value, size=SIZE_TABLE)

    doc.add_paragraph()
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _spacing(signature, before=24, line=30)
    # Signed by the area's epidemic command, as the briefings are issued.
    _run(signature, f"{donation.area.name}新冠肺炎疫情防控指挥部")
    day = doc.add_paragraph()
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(day, chinese_date(issued_on))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(donation) -> str:
    return f"{TITLE}{donation.number}.docx"
