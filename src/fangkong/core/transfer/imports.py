"""The import engine: read, validate every row, then write everything or nothing.

Validation runs outside any transaction and reports progress after every batch, so a page
polling the job sees it move. Every row error is collected (row number as Excel shows it,
the column's header, the reason); if there is any, nothing is written. Otherwise the
importer's `write` and the access-log entry run in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.core.models import AccessLog, Area
from fangkong.core.services import Origin, access_log_record
from fangkong.core.transfer.reader import CellError, WorkbookError, cell_text, open_sheet
from fangkong.core.transfer.spec import Importer, RowInvalid

# Phases a progress callback reports.
VALIDATING = "validating"
WRITING = "writing"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRun:
    """The state of one import, handed to the importer's hooks."""

    importer: Importer
    actor: Any
    scope: Area
    origin: Origin
    label: str = ""
    # (row number, prepared row) of every row; written only if `errors` stays empty.
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Importer-specific state kept across batches (caches, rows seen so far).
    data: dict = field(default_factory=dict)
    data_rows: int = 0

    def error(self, row: int, key: str | None, message) -> None:
        header = self.importer.column(key).header if key else ""
        self.errors.append(RowError(row, header, str(message)))


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str, int, int], None]


def _row_values(run: ImportRun, number: int, cells: list, positions: dict):
    """The row's text by column key after the checks every importer shares, and the keys
    that failed them; None for a blank row."""
    values: dict[str, str] = {}
    failed: set[str] = set()
    blank = True
    width = len(cells)
    for column in run.importer.columns:
        index = positions.get(column.key)
        raw = cells[index] if index is not None and index < width else ""
        try:
            text = cell_text(raw)
        except CellError as exc:
            run.error(number, column.key, exc)
            failed.add(column.key)
            values[column.key] = ""
            blank = False
            continue
        values[column.key] = text
        if not text:
            continue
        blank = False
        if column.max_length and len(text) > column.max_length:
            run.error(
                number,
                column.key,
                _("At most %(max)d characters, got %(n)d")
                % {"max": column.max_length, "n": len(text)},
            )
            failed.add(column.key)
        elif column.choices and column.strict and text not in column.choices:
            run.error(
                number,
                column.key,
                _("Not one of the choices: %(choices)s") % {"choices": "、".join(column.choices)},
            )
            failed.add(column.key)
    if blank:
        return None
    for column in run.importer.columns:
        if column.required and not values[column.key] and column.key not in failed:
            run.error(number, column.key, _("This cell is required"))
            failed.add(column.key)
    return values, failed


def import_workbook(
    importer: Importer,
    fileobj,
    *,
    actor,
    scope: Area,
    origin: Origin,
    label: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Import one workbook. Raises WorkbookError when the file itself is unusable."""
    sheet = open_sheet(fileobj, importer.columns)
    if sheet.total > importer.max_rows:
        raise WorkbookError(
            _(
                "The sheet has %(rows)d rows; import at most %(max)d at a time by "
                "splitting the file."
            )
            % {"rows": sheet.total, "max": importer.max_rows}
        )
    run = ImportRun(importer=importer, actor=actor, scope=scope, origin=origin, label=label)
    batch: list[tuple[int, Any]] = []
    seen = 0
    for number, cells in sheet.rows:
        seen += 1
        if seen % importer.batch_size == 0:
            if batch:
                _check(run, batch)
                batch = []
            if progress:
                progress(VALIDATING, seen, sheet.total)
        checked = _row_values(run, number, cells, sheet.positions)
        if checked is None:
            continue
        run.data_rows += 1
        values, failed = checked
        try:
            # Prepared even after a failed cell, so one pass reports every problem of a row.
            prepared = importer.prepare(run, values)
        except RowInvalid as exc:
            for key, message in exc.errors.items():
                if key not in failed:
                    run.error(number, key, message)
            prepared = exc.row
        if prepared is not None:
            batch.append((number, prepared))
    if batch:
        _check(run, batch)
    if run.data_rows == 0 and not run.errors:
        raise WorkbookError(_("The workbook has a header row but no data rows."))
    importer.complete(run)
    if progress:
        progress(VALIDATING, sheet.total, sheet.total)
    result = ImportResult(total_rows=run.data_rows)
    if run.errors:
        result.errors = sorted(run.errors, key=lambda e: e.row)
        return result
    if progress:
        progress(WRITING, 0, run.data_rows)
    try:
        result.created = _write(run)
    except IntegrityError:
        # Someone registered the same record between validation and writing.
        result.errors = [
            RowError(0, "", _("The data changed while the file was checked; import it again."))
        ]
    return result


def _check(run: ImportRun, batch: list) -> None:
    run.importer.check(run, batch)
    run.rows.extend(batch)


@transaction.atomic
def _write(run: ImportRun) -> int:
    created = run.importer.write(run)
    access_log_record(
        actor=run.actor,
        action=AccessLog.Action.IMPORT,
        area=run.scope,
        target_type=run.importer.target_type or run.importer.kind,
        target_label=run.label,
        row_count=created,
        origin=run.origin,
    )
    return created
