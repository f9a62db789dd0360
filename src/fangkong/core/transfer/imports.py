"""The import engine: read, validate every row, then write everything or nothing.

Validation reports progress after every batch, so a page polling the job sees it move. Every
row error is collected (row number as Excel shows it, the column's header, the reason); if
there is any, nothing is written. Otherwise the importer's `write` and the access-log entry
run in one transaction.
"""

import collections
import dataclasses
import datetime
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
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
    # The date the whole file is checked against (birth dates, dates not in the future): read
    # once, because the clock and the time zone cost more per row than most checks.
    today: datetime.date = field(default_factory=timezone.localdate)

    def error(self, row: int, key: str | None, message) -> None:
        header = self.importer.column(key).header if key else ""
        self.errors.append(RowError(row, header, str(message)))


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Worker processes that prepared the rows (0: this process did).
    workers: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class _Cell:
    """How the engine reads one column: computed once per import, used for every row."""

    key: str
    index: int | None
    max_length: int
    # The allowed values, when other values are errors.
    choices: frozenset | None
    required: bool


def _plan(importer: Importer, positions: dict) -> tuple[_Cell, ...]:
    return tuple(
        _Cell(
            key=column.key,
            index=positions.get(column.key),
            max_length=column.max_length,
            choices=frozenset(column.choices) if column.choices and column.strict else None,
            required=column.required,
        )
        for column in importer.columns
    )


def _row_values(run: ImportRun, number: int, cells: list, plan: tuple[_Cell, ...]):
    """The row's text by column key after the checks every importer shares, and the keys
    that failed them; None for a blank row.

    The loop every row of every import runs through: text cells (nearly all of them) are
    stripped inline, and everything else is decided by the plan.
    """
    values: dict[str, str] = {}
    failed: set[str] = set()
    blank = True
    width = len(cells)
    for cell in plan:
        index = cell.index
        raw = cells[index] if index is not None and index < width else ""
        if raw.__class__ is str:
            text = raw.strip()
        else:
            try:
                text = cell_text(raw)
            except CellError as exc:
                run.error(number, cell.key, exc)
                failed.add(cell.key)
                values[cell.key] = ""
                blank = False
                continue
        values[cell.key] = text
        if not text:
            continue
        blank = False
        if cell.max_length and len(text) > cell.max_length:
            run.error(
                number,
                cell.key,
                _("At most %(max)d characters, got %(n)d")
                % {"max": cell.max_length, "n": len(text)},
            )
            failed.add(cell.key)
        elif cell.choices is not None and text not in cell.choices:
            choices = run.importer.column(cell.key).choices
            run.error(
                number,
                cell.key,
                _("Not one of the choices: %(choices)s") % {"choices": "、".join(choices)},
            )
            failed.add(cell.key)
    if blank:
        return None
    for cell in plan:
        if cell.required and not values[cell.key] and cell.key not in failed:
            run.error(number, cell.key, _("This cell is required"))
            failed.add(cell.key)
    return values, failed


def _prepare_row(run: ImportRun, number: int, cells: list, plan: tuple[_Cell, ...]):
    """The row prepared for `check` (None if nothing could be), or _BLANK."""
    checked = _row_values(run, number, cells, plan)
    if checked is None:
        return _BLANK
    values, failed = checked
    try:
        # Prepared even after a failed cell, so one pass reports every problem of a row.
        return run.importer.prepare(run, values)
    except RowInvalid as exc:
        for key, message in exc.errors.items():
            if key not in failed:
                run.error(number, key, message)
        return exc.row


_BLANK = object()


def _serial(run: ImportRun, rows, plan):
    """(rows consumed, [(number, prepared)]) per row, errors and data rows counted on run."""
    for seen, (number, cells) in enumerate(rows, start=1):
        prepared = _prepare_row(run, number, cells, plan)
        if prepared is _BLANK:
            yield seen, ()
            continue
        run.data_rows += 1
        yield seen, ((number, prepared),) if prepared is not None else ()


# Checking rows (parsing, ID and phone checks, encryption, hashing, pinyin) needs no database
# and is most of an import's time, so a large file is prepared by worker processes. Measured
# on 2 cores: see bench/import_persons.py.
PARALLEL_MIN_ROWS = 5_000
PARALLEL_CHUNK = 2000
PARALLEL_MAX_WORKERS = 4
# What the forked workers prepare with: (run, plan), set just before the pool forks.
_worker_state: tuple | None = None


def parallel_workers(importer: Importer, total_rows: int) -> int:
    """How many worker processes prepare the rows of a file; 0 to prepare them here.

    Only importers that declare `parallel` (their `prepare` reads nothing of the run but
    `today`, `scope` and `actor`), only for large files, and only where the workers can be
    forked from a single-threaded process: a fork copies one thread, and a lock another
    thread held would stay locked in the copy, so a threaded Huey worker or web server
    prepares in its own thread. And only with a CPU to spare: on 2 idle cores the workers cut
    the check of 10 000 persons from 1.3 s to 1.0 s and of 100 000 from 10.9 s to 8.4 s, but
    made it 20 % slower while another process kept one core busy (they and this process then
    share one).
    """
    if not importer.parallel or total_rows < PARALLEL_MIN_ROWS:
        return 0
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    # The load average counts this process too.
    if cpus < 2 or load > cpus - 0.5:
        return 0
    return min(cpus, PARALLEL_MAX_WORKERS)


def _prepare_chunk(chunk: list) -> tuple[list, list, int]:
    run, plan = _worker_state
    local = dataclasses.replace(run, rows=[], errors=[], data={})
    prepared_rows = []
    for number, cells in chunk:
        prepared = _prepare_row(local, number, cells, plan)
        if prepared is _BLANK:
            continue
        local.data_rows += 1
        if prepared is not None:
            prepared_rows.append((number, prepared))
    return prepared_rows, local.errors, local.data_rows


def _parallel(run: ImportRun, rows, plan, workers: int):
    """Like _serial, from forked workers that prepare chunks of rows, results in order.

    The rows are read and sent from this thread (the sheet reader belongs to it), a few
    chunks ahead of the results, so memory holds only those chunks beyond the results.
    """
    global _worker_state
    _worker_state = (dataclasses.replace(run, rows=[], errors=[], data={}), plan)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: collections.deque = collections.deque()
            seen = 0
            for chunk in _chunks(rows):
                pending.append((len(chunk), pool.apply_async(_prepare_chunk, (chunk,))))
                while len(pending) > 2 * workers:
                    seen += pending[0][0]
                    yield seen, _merge(run, pending.popleft()[1])
            while pending:
                seen += pending[0][0]
                yield seen, _merge(run, pending.popleft()[1])
    finally:
        _worker_state = None


def _merge(run: ImportRun, result) -> list:
    prepared_rows, errors, data_rows = result.get()
    run.errors.extend(errors)
    run.data_rows += data_rows
    return prepared_rows


def _chunks(rows):
    chunk = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == PARALLEL_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    plan = _plan(importer, sheet.positions)
    workers = parallel_workers(importer, sheet.total)
    if workers:
        prepared = _parallel(run, sheet.rows, plan, workers)
    else:
        prepared = _serial(run, sheet.rows, plan)
    _check(run, sheet.total, prepared, progress)
    run.importer.complete(run)
    if progress:
        progress(VALIDATING, sheet.total, sheet.total)
    result = ImportResult(total_rows=run.data_rows, workers=workers)
    if run.errors:
        result.errors = sorted(run.errors, key=lambda e: e.row)
        return result
    if progress:
        progress(WRITING, 0, run.data_rows)
    try:
        result.created = _write(run)
    except IntegrityError:
        # Someone registered the same record between the check and the write.
        result.errors = [
            RowError(0, "", _("The data changed while the file was checked; import it again."))
        ]
    return result


def _check(run: ImportRun, total: int, prepared, progress: Progress | None) -> None:
    """The importer's `check` of every batch of prepared rows, kept in `run.rows`."""
    check = run.importer.check
    batch_size = run.importer.batch_size
    batch: list[tuple[int, Any]] = []
    reported = 0
    for seen, rows in prepared:
        batch.extend(rows)
        while len(batch) >= batch_size:
            part, batch = batch[:batch_size], batch[batch_size:]
            check(run, part)
            run.rows.extend(part)
        if progress and seen - reported >= batch_size:
            reported = seen
            progress(VALIDATING, seen, total)
    if batch:
        check(run, batch)
        run.rows.extend(batch)
    if run.data_rows == 0 and not run.errors:
        raise WorkbookError(_("The workbook has a header row but no data rows."))


@transaction.atomic
def _write(run: ImportRun) -> int:
    """The importer's `write` and the access-log entry."""
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
