"""The import template: the file format offices fill in."""

import io

import openpyxl
from django.urls import reverse

from fangkong.core.transfer import registry
from fangkong.core.transfer.spec import Column, Importer
from fangkong.core.transfer.writer import template_bytes
from tests.transfer.workbooks import HEADERS


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_it_has_the_headers_notes_text_columns_and_lists():
    book = load(template_bytes(registry.importer("persons")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "姓名*",
        "身份证号*",
        "手机号",
        "所属区划代码*",
        *HEADERS[4:],
    ]
    assert all(sheet.cell(1, i).comment is not None for i in range(1, len(HEADERS) + 1))
    # Text format keeps 18-digit ID numbers exact when typed.
    assert sheet.column_dimensions["B"].number_format == "@"
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref).startswith("G2:G")
    assert "户主" in validation.formula1
    assert sheet.freeze_panes == "A2"
    assert len(book.worksheets) == 2, "an instructions sheet follows the data sheet"


def test_long_choice_lists_go_to_a_hidden_sheet():
    class Many(Importer):
        kind = "many"
        label = "many"
        permission = "x.y"
        columns = (Column("pick", "选项", choices=tuple(f"选项{i:03d}" for i in range(100))),)

    book = load(template_bytes(Many()))
    (validation,) = book.worksheets[0].data_validations.dataValidation
    assert validation.formula1.startswith("_lists!")
    assert book["_lists"].sheet_state == "hidden"
    assert book["_lists"]["A100"].value == "选项099"


def test_it_is_downloaded_as_an_attachment(users, client_for):
    response = client_for(users.village).get(reverse("transfer:template", args=["persons"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert ".xlsx" in response["Content-Disposition"]
    assert load(response.content).worksheets[0]["A1"].value == "姓名*"
