"""The 解除医学观察通知书 (release notice) as a Word document.

The wording is the official form's, in Chinese whatever the interface language: like the
header row of an import workbook it is data (the document handed to the person), not UI.
The ID number is printed masked: the notice is handed over and photographed, and the full
number would need a reveal with an access-log entry.
"""

import io

from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from fangkong.core.models import Area
from fangkong.ledger.models import KeyPerson


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issuing_unit(key_person: KeyPerson) -> str:
    """The town (街道/乡镇) the person is managed in issues the notice."""
    town = Area.objects.filter(code=key_person.area_id[:9]).values_list("name", flat=True).first()
    return town or key_person.area.name


def release_notice_docx(key_person: KeyPerson) -> bytes:
    with translation.override("zh-hans"):
        return _document(key_person)


def _document(key_person: KeyPerson) -> bytes:
    person = key_person.person
    unit = issuing_unit(key_person)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("解除医学观察通知书")
    run.bold = True
    run.font.size = Pt(22)
    number = doc.add_paragraph(f"编号：{key_person.release_notice_no}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph(f"{person.name}（身份证号：{person.id_number_masked or '—'}）：")
    doc.add_paragraph(
        f"　　您因{key_person.category.name}，自{_date(key_person.period_start)}起"
        f"至{_date(key_person.period_end)}止接受{key_person.get_measure_display()}。"
        "观察期满，经健康监测未见异常，符合解除条件，"
        f"自{_date(key_person.released_on)}起解除医学观察。"
    )
    doc.add_paragraph(
        "　　解除后请继续做好个人防护，如出现发热、咳嗽等症状，请及时就医并主动告知。"
    )
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("姓名", person.name),
        ("身份证号", person.id_number_masked or "—"),
        ("人员类别", key_person.category.name),
        ("管控措施", key_person.get_measure_display()),
        ("观察期", f"{_date(key_person.period_start)}—{_date(key_person.period_end)}"),
        ("解除日期", _date(key_person.released_on)),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, str(value)
    doc.add_paragraph()
    for text in (f"签发单位：{unit}（签章）", f"{_date(key_person.released_on)}"):
        paragraph = doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("经办人（签字）：____________　　被观察人（签字）：____________")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
