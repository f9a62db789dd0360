"""Reading workbooks: file type by content, cells as text, the declared row count."""

import datetime
import io
import zipfile

import pytest

from fangkong.core.transfer.reader import (
    CellError,
    WorkbookError,
    cell_text,
    check_format,
    normalize_header,
    peek_row_count,
)
from tests.transfer.workbooks import workbook


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  张三 ", "张三"),
        (13912345678.0, "13912345678"),
        (370305003001001.0, "370305003001001"),
        (36.5, "36.5"),
        (True, "TRUE"),
        (datetime.datetime(2020, 2, 1), "2020-02-01"),
        (datetime.datetime(2020, 2, 1, 8, 30), "2020-02-01 08:30:00"),
        (datetime.date(2020, 2, 1), "2020-02-01"),
    ],
)
def test_it_reads_cells_as_the_text_the_user_sees(value, text):
    assert cell_text(value) == text


def test_it_refuses_numbers_that_lost_digits():
    with pytest.raises(CellError):
        cell_text(3.70305198501011e17)


def test_it_normalizes_headers():
    assert normalize_header(" 姓 名＊\n") == "姓名"
    assert normalize_header("身份证号*") == "身份证号"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", id="xls"),
        pytest.param(b"a,b\n1,2\n", id="csv"),
        pytest.param(b"PK\x03\x04 not a zip", id="broken"),
    ],
)
def test_it_refuses_what_is_not_an_xlsx(data):
    with pytest.raises(WorkbookError):
        check_format(io.BytesIO(data))


def test_it_refuses_a_zip_that_is_no_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(WorkbookError):
        check_format(buffer)


def test_it_peeks_at_the_declared_rows():
    assert peek_row_count(io.BytesIO(workbook([{"姓名": str(i)} for i in range(7)]))) == 7
    assert peek_row_count(io.BytesIO(b"not a zip")) is None
