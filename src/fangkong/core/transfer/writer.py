"""Writing workbooks: import templates and error sheets with XlsxWriter, exports streamed.

Templates need what only a full writer offers (data validation lists, comments, merged
instruction cells) and error sheets are small, so both use XlsxWriter. Exports can hold a
whole district and go through `xlsx_stream`, which writes every value with an explicit type:
a name that starts with "=" stays text and never becomes a formula in the recipient's Excel.
"""

import datetime
import io
from collections.abc import Callable, Iterable

import xlsxwriter
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_range_abs

from fangkong.core.transfer.spec import Column, ExportColumn, Importer
from fangkong.core.transfer.xlsx_stream import write_xlsx

# Excel's limit for an inline data-validation list; longer lists go to a hidden sheet.
INLINE_LIST_LIMIT = 255
MAX_ROW = 1_048_575
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def sheet_name(label) -> str:
    return str(label).translate(_SHEET_NAME_FORBIDDEN)[:31] or "Sheet1"


def _header_formats(book):
    base = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"}
    return book.add_format(base), book.add_format({**base, "font_color": "#C00000"})


def _validation(book, sheet, index: int, column: Column, lists_state: dict) -> None:
    options = {
        "validate": "list",
        "error_type": "stop" if column.strict else "information",
        "error_title": column.header,
        "error_message": _("Choose a value from the list."),
    }
    if sum(len(c) + 1 for c in column.choices) <= INLINE_LIST_LIMIT:
        options["source"] = list(column.choices)
    else:
        lists = lists_state.get("sheet")
        if lists is None:
            lists = lists_state["sheet"] = book.add_worksheet("_lists")
            lists.hide()
        col = lists_state["next"] = lists_state.get("next", -1) + 1
        for row, choice in enumerate(column.choices):
            lists.write_string(row, col, choice)
        cells = xl_range_abs(0, col, len(column.choices) - 1, col)
        options["source"] = f"=_lists!{cells}"
    sheet.data_validation(1, index, MAX_ROW, index, options)


def template_bytes(importer: Importer) -> bytes:
    """An empty workbook with the importer's header row, notes, text columns and lists."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **_OPTIONS})
    header, required_header = _header_formats(book)
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet(sheet_name(importer.label))
    lists_state: dict = {}
    for index, column in enumerate(importer.columns):
        # Text format keeps 18-digit ID numbers and leading zeros exactly as typed.
        sheet.set_column(index, index, column.width, text)
        label = f"{column.header}*" if column.required else column.header
        sheet.write_string(0, index, label, required_header if column.required else header)
        note = [str(_("Required.")) if column.required else str(_("Optional."))]
        if column.note:
            note.append(str(column.note))
        if column.choices:
            note.append(_("Choices: %(choices)s") % {"choices": "、".join(column.choices)})
        sheet.write_comment(0, index, "\n".join(note), {"x_scale": 2.2, "y_scale": 1.6})
        if column.choices:
            _validation(book, sheet, index, column, lists_state)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 22)
    _instructions(book, importer, header)
    book.close()
    return buffer.getvalue()


def _instructions(book, importer: Importer, header) -> None:
    sheet = book.add_worksheet(sheet_name(_("Instructions")))
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 80, wrap)
    lines = [
        _("Fill in the first sheet, one row per record, under the header row."),
        _(
            "Keep the header row; columns marked * are required, their order is free and "
            "other columns are ignored."
        ),
        _("Blank rows are skipped. Do not merge cells."),
        _(
            "Every row is checked before anything is saved: if one row is wrong, nothing is "
            "imported and an error sheet names the row, the column and the reason."
        ),
        _("Save as an Excel workbook (.xlsx) of at most %(mb)d MB.")
        % {"mb": settings.FANGKONG_MAX_UPLOAD_MB},
    ]
    for row, line in enumerate(lines):
        sheet.merge_range(row, 0, row, 2, line, wrap)
    top = len(lines) + 1
    sheet.write_row(top, 0, [_("Column"), _("Required"), _("Note")], header)
    for offset, column in enumerate(importer.columns, start=1):
        sheet.write_string(top + offset, 0, column.header)
        sheet.write_string(top + offset, 1, _("yes") if column.required else "")
        note = str(column.note)
        if column.choices:
            note += " " + _("Choices: %(choices)s") % {"choices": "、".join(column.choices)}
        sheet.write_string(top + offset, 2, note.strip(), wrap)


def error_sheet_bytes(errors: Iterable) -> bytes:
    """Row, column and reason of every error. Values are left out on purpose: the sheet is
    kept for download and must not hold ID numbers in clear."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **_OPTIONS})
    header = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    sheet = book.add_worksheet(sheet_name(_("Errors")))
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 90)
    sheet.write_row(0, 0, [_("Row"), _("Column"), _("Reason")], header)
    sheet.freeze_panes(1, 0)
    for index, error in enumerate(errors, start=1):
        if error.row:
            sheet.write_number(index, 0, error.row)
        sheet.write_string(index, 1, error.column)
        sheet.write_string(index, 2, error.message)
    book.close()
    return buffer.getvalue()


def write_export(
    path,
    *,
    title,
    columns: list[ExportColumn],
    rows: Iterable[dict],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream `rows` into an .xlsx at `path`; returns the number of data rows written.

    Exports go through the streaming writer of `xlsx_stream`, not XlsxWriter: see why there.
    """
    return write_xlsx(path, title=sheet_name(title), columns=columns, rows=rows, progress=progress)


def export_filename(label, day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"{sheet_name(label)}-{day:%Y%m%d}.xlsx"
