"""Workbooks for the transfer tests, built the way offices make them (openpyxl, XlsxWriter)."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "所属区划代码",
    "住址",
    "户号",
    "与户主关系",
    "职业",
    "工作单位",
    "备注",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person_row(area, name="张三", **values):
    """One row of the persons template as a dict by header."""
    row = {
        "姓名": name,
        "身份证号": values.pop("id_number", None) or factories.id_number(),
        "手机号": values.pop("phone", "13800138000"),
        "所属区划代码": area if isinstance(area, str) else area.code,
        "住址": values.pop("address", "太公社区1号楼"),
    }
    row.update(values)
    return row


def workbook(rows, headers=HEADERS, *, title_rows=0, merge=None, blank_after=()):
    """An .xlsx (bytes) with `headers` in the first row and `rows` (dicts by header) below.

    `blank_after` lists data-row indexes followed by an empty row; `title_rows` puts empty
    rows above the header; `merge` is a range such as "A2:B2" to merge.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append([])
    sheet.append(list(headers))
    for index, row in enumerate(rows):
        sheet.append(
            [row.get(h, "") if isinstance(row, dict) else row[i] for i, h in enumerate(headers)]
        )
        if index in blank_after:
            sheet.append([])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="persons.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def read(data: bytes) -> list[list]:
    """The first sheet of an .xlsx as lists of values (header first)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def birth(year=1985, month=6, day=1):
    return datetime.date(year, month, day)
