"""The streaming export writer: what it writes opens in calamine and openpyxl as written."""

import datetime
import shutil
import subprocess
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from fangkong.core.transfer.spec import ExportColumn
from fangkong.core.transfer.xlsx_stream import (
    MAX_CELL_TEXT,
    clean_text,
    column_letter,
    excel_serial,
    write_xlsx,
)

COLUMNS = [
    ExportColumn("姓名", "name", 10),
    ExportColumn("人数", "count", 6, "number"),
    ExportColumn("出生日期", "birth", 12, "date"),
    ExportColumn("登记时间", "at", 20, "datetime"),
    ExportColumn("备注", "note", 30),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def row(name="张三", count=3, birth=None, at=None, note=""):
    return {"name": name, "count": count, "birth": birth, "at": at, "note": note}


@pytest.fixture
def write(tmp_path):
    def make(rows, columns=COLUMNS, title="人员", **kwargs):
        path = tmp_path / "out.xlsx"
        count = write_xlsx(path, title=title, columns=columns, rows=iter(rows), **kwargs)
        return path, count

    return make


def calamine_rows(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def openpyxl_sheet(path):
    return openpyxl.load_workbook(path).worksheets[0]


def test_it_writes_values_that_both_readers_read_back(write):
    rows = [
        row("张三", 3, datetime.date(1985, 6, 15), datetime.datetime(2020, 2, 1, 8, 30)),
        row("李四", 2.5, None, None, "note"),
    ]
    path, count = write(rows)
    assert count == 2
    assert calamine_rows(path) == [
        ["姓名", "人数", "出生日期", "登记时间", "备注"],
        ["张三", 3.0, datetime.date(1985, 6, 15), datetime.datetime(2020, 2, 1, 8, 30), ""],
        ["李四", 2.5, "", "", "note"],
    ]
    sheet = openpyxl_sheet(path)
    assert sheet.title == "人员"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["姓名", "人数", "出生日期", "登记时间", "备注"],
        ["张三", 3, datetime.datetime(1985, 6, 15), datetime.datetime(2020, 2, 1, 8, 30), None],
        ["李四", 2.5, None, None, "note"],
    ]
    assert sheet["C2"].number_format == "yyyy\\-mm\\-dd"
    assert sheet["A1"].font.b and not sheet["A2"].font.b


def test_markup_quotes_and_formulas_stay_text(write):
    tricky = ["<&>\"'", "=1+1", "0012", "1e5", "TRUE", '=HYPERLINK("http://x")', "]]>"]
    path, _count = write([row(name=value) for value in tricky])
    assert [r[0] for r in calamine_rows(path)[1:]] == tricky
    sheet = openpyxl_sheet(path)
    cells = [sheet.cell(row=i, column=1) for i in range(2, len(tricky) + 2)]
    assert [cell.value for cell in cells] == tricky
    assert {cell.data_type for cell in cells} == {"s"}
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_it_drops_characters_xml_forbids_and_keeps_spaces_and_line_breaks(write):
    rows = [
        row(name="a\x00b\x1fc\ufffe", note="  two\nlines\t "),
        row(name=" a&b ", count="<n/a> ", note="\x00"),
    ]
    path, _count = write(rows)
    values = calamine_rows(path)
    assert (values[1][0], values[1][4]) == ("abc", "  two\nlines\t ")
    assert (values[2][0], values[2][1], values[2][4]) == (" a&b ", "<n/a> ", "")
    sheet = openpyxl_sheet(path)
    assert [sheet["E2"].value, sheet["A3"].value, sheet["B3"].value] == [
        "  two\nlines\t ",
        " a&b ",
        "<n/a> ",
    ]


def test_it_cuts_text_at_excels_cell_limit():
    assert len(clean_text("x" * (MAX_CELL_TEXT + 10))) == MAX_CELL_TEXT
    assert clean_text("a<b") == "a&lt;b"


def test_empty_cells_leave_the_next_values_in_their_columns(write):
    path, _count = write([row(name="", count=None, note="last")])
    assert calamine_rows(path)[1] == ["", "", "", "", "last"]
    assert openpyxl_sheet(path)["E2"].value == "last"


def test_dates_follow_excels_calendar():
    assert excel_serial(datetime.date(1900, 1, 1)) == 1
    assert excel_serial(datetime.date(1900, 2, 28)) == 59
    assert excel_serial(datetime.date(1900, 3, 1)) == 61
    assert excel_serial(datetime.date(2020, 1, 24)) == 43854
    assert excel_serial(datetime.datetime(2020, 1, 24, 12)) == 43854.5
    assert excel_serial(datetime.date(1899, 12, 31)) is None


def test_aware_times_are_written_in_local_time_and_old_dates_as_text(write, settings):
    at = datetime.datetime(2020, 2, 1, 0, 30, tzinfo=datetime.UTC)
    path, _count = write([row(birth=datetime.date(1899, 5, 1), at=at)])
    values = calamine_rows(path)[1]
    assert values[2] == "1899-05-01"
    assert values[3] == datetime.datetime(2020, 2, 1, 8, 30)


def test_it_freezes_the_header_sets_widths_and_filters(write):
    path, _count = write([row(), row()])
    sheet = openpyxl_sheet(path)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert round(sheet.column_dimensions["E"].width) == 31


def test_a_list_without_rows_has_its_header(write):
    path, count = write([])
    assert count == 0
    assert calamine_rows(path) == [["姓名", "人数", "出生日期", "登记时间", "备注"]]
    assert openpyxl_sheet(path).auto_filter.ref is None


def test_it_reports_progress_and_streams_rows_lazily(write, monkeypatch):
    monkeypatch.setattr("fangkong.core.transfer.xlsx_stream.PROGRESS_EVERY", 2)
    seen = []
    path, count = write([row(name=str(i)) for i in range(5)], progress=seen.append)
    assert (count, seen) == (5, [2, 4])
    assert len(calamine_rows(path)) == 6


def test_a_sheet_title_with_quotes_and_markup_is_escaped(write):
    path, _count = write([row()], title="O'Brien & <Co>")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["O'Brien & <Co>"]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_it(write, tmp_path):
    path, _count = write([row("<&>", 1, datetime.date(1985, 6, 15)), row("=1+1")])
    out = tmp_path / "csv"
    subprocess.run(  # noqa: S603
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(out), str(path)],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (out / "out.csv").read_text(encoding="utf-8", errors="replace")
    assert "<&>" in text and "=1+1" in text
