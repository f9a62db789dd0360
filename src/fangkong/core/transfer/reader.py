"""Reading an uploaded workbook: what the file really is, its header row and its data rows.

Only .xlsx is accepted. The file type is decided by its bytes, not its name: an old .xls (or a
password-protected workbook, which is an OLE container too) and a CSV renamed to .xlsx are
refused with a message that says what to do. The first sheet is read; its first non-empty row
is the header row; blank rows between data rows are skipped (offices leave them as
separators), so only a sheet without any data row is an error. Merged cells are refused,
because a merged cell holds its value in one cell only and the rows under it would silently
lose it.
"""

import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook
from xlsxwriter.utility import xl_range

from fangkong.core.transfer.spec import Column

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel keeps 15 significant digits: a longer number typed into a General cell (an ID
# number) has already lost its last digits when it reaches us.
EXACT_NUMBER_LIMIT = 10**15
_HEADER_NOISE = re.compile(r"[\s*＊]+")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+(?::[A-Z]+([0-9]+))?"')


class WorkbookError(Exception):
    """The file as a whole cannot be imported; the message says why in the user's language."""


class CellError(ValueError):
    """A cell whose value cannot be trusted as text."""


def check_format(fileobj) -> None:
    """Refuse anything but an .xlsx workbook, judging by content; leaves the file at 0."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if not head:
        raise WorkbookError(_("The file is empty."))
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(
            _(
                "This is an old Excel 97-2003 workbook (.xls) or a password-protected one. "
                "Open it in Excel, save it as an Excel workbook (.xlsx) without a password "
                "and upload that file."
            )
        )
    if not head.startswith(XLSX_MAGIC):
        raise WorkbookError(
            _(
                "This file is not an Excel workbook (.xlsx); a CSV or text file renamed to "
                ".xlsx is not one. Open it in Excel and save it as an Excel workbook (.xlsx)."
            )
        )
    try:
        with zipfile.ZipFile(fileobj) as archive:
            is_workbook = "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        is_workbook = False
    fileobj.seek(0)
    if not is_workbook:
        raise WorkbookError(_("This file is damaged or is not an Excel workbook (.xlsx)."))


def peek_row_count(fileobj) -> int | None:
    """Data rows the first sheet declares, read from its <dimension> without parsing it.

    Only decides whether an upload is imported at once or in the background; None when the
    workbook does not say.
    """
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive, archive.open("xl/worksheets/sheet1.xml") as fh:
            head = fh.read(4096)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    finally:
        fileobj.seek(0)
    match = _DIMENSION.search(head)
    if not match:
        return None
    return max(0, int(match.group(1) or 1) - 1)


def cell_text(value) -> str:
    """A cell as the text the user sees; numbers that lost digits are refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        if abs(value) >= EXACT_NUMBER_LIMIT:
            raise CellError(
                _(
                    "Excel stored this long number as a number and dropped its last digits; "
                    "format the column as text and type the value again"
                )
            )
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time.min:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def normalize_header(text: str) -> str:
    # "姓名*", " 姓 名 " and "姓名\n" are the same header; the star marks required columns.
    return _HEADER_NOISE.sub("", text)


@dataclass
class Sheet:
    """The data rows of an opened sheet and where each column is."""

    positions: dict[str, int]
    rows: Iterator[tuple[int, list]]
    # Upper bound of data rows (blank rows included), for progress.
    total: int


def _match_headers(cells: list, columns: tuple[Column, ...]) -> dict[str, int]:
    lookup = {normalize_header(h): column for column in columns for h in column.headers}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        try:
            text = normalize_header(cell_text(cell))
        except CellError:
            text = str(cell)
        if not text:
            continue
        column = lookup.get(text)
        if column is None:
            unknown.append(text)
        elif column.key in positions:
            repeated.append(column.header)
        else:
            positions[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    problems = []
    if missing:
        problems.append(
            _("The header row lacks the required columns: %(headers)s.")
            % {"headers": "、".join(missing)}
        )
        if unknown:
            problems.append(
                _("Columns not recognised: %(headers)s.") % {"headers": "、".join(unknown[:20])}
            )
    if repeated:
        problems.append(
            _("These columns appear more than once: %(headers)s.")
            % {"headers": "、".join(repeated)}
        )
    if problems:
        problems.append(_("The first row must hold the headers of the template."))
        raise WorkbookError(" ".join(problems))
    return positions


def open_sheet(fileobj, columns: tuple[Column, ...]) -> Sheet:
    """Open the first sheet, check its structure and locate the columns by header."""
    check_format(fileobj)
    try:
        sheet = CalamineWorkbook.from_filelike(fileobj).get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as exc:
        raise WorkbookError(
            _("The workbook cannot be read (%(reason)s).") % {"reason": exc}
        ) from None
    merged = sheet.merged_cell_ranges or []
    if merged:
        ranges = [xl_range(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged]
        more = "…" if len(ranges) > 10 else ""
        raise WorkbookError(
            _(
                "The sheet has merged cells (%(ranges)s). Unmerge them, fill in every cell "
                "and upload the file again."
            )
            % {"ranges": ", ".join(ranges[:10]) + more}
        )
    if sheet.start is None:
        raise WorkbookError(_("The first sheet of the workbook is empty."))
    # calamine yields rows from the sheet's first row, so index + 1 is the Excel row number.
    numbered = enumerate(sheet.iter_rows(), start=1)
    for number, cells in numbered:
        if any(cell not in ("", None) for cell in cells):
            positions = _match_headers(cells, columns)
            total = max(0, sheet.end[0] + 1 - number)
            return Sheet(positions=positions, rows=numbered, total=total)
    raise WorkbookError(_("The first sheet of the workbook is empty."))
