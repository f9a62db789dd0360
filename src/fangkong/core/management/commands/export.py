import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.core.transfer import registry
from fangkong.core.transfer.cli import actor_and_scope, command_line_viewer, origin
from fangkong.core.transfer.exports import export_workbook, viewer_for
from fangkong.core.transfer.spec import FilterError


class Command(BaseCommand):
    help = (
        "Export a list to an Excel workbook, scoped and filtered exactly as its page: "
        "ID numbers and phones masked unless --unmasked. Every export is recorded in the "
        "access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="which list: " + ", ".join(sorted(registry.exporters())))
        parser.add_argument(
            "-o", "--output", metavar="FILE", required=True, help="the .xlsx to write"
        )
        parser.add_argument(
            "--scope",
            metavar="CODE",
            help="area to export (default: the user's scope, which it must lie inside; "
            "without --user, the district of FANGKONG_DISTRICT_CODE)",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="export as this user: needs the list's export permission; the export is "
            "scoped to them and logged under them (default: the command line, logged as such)",
        )
        parser.add_argument(
            "--filter",
            metavar="NAME=VALUE",
            action="append",
            default=[],
            help="a filter of the list page, as in its address (e.g. sex=F, q=zs); repeatable",
        )
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help="full ID numbers and phones (a --user needs people.reveal_pii)",
        )

    def handle(self, *args, kind, output, scope, user, filter, unmasked, **options):
        try:
            exporter = registry.exporter(kind)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        actor, area = actor_and_scope(
            username=user, scope_code=scope, permission=exporter.permission
        )
        if unmasked and not exporter.reveal_fields:
            raise CommandError(f"{kind} has no masked values")
        if unmasked and actor is not None and not exporter.can_reveal(actor):
            raise CommandError(f"user {user!r} may not reveal ({exporter.reveal_permission})")
        viewer = viewer_for(actor, area) if actor is not None else command_line_viewer(area)
        filters = {}
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep or name not in exporter.filter_names():
                raise CommandError(
                    f"bad --filter {item!r}; {kind} filters: {', '.join(exporter.filter_names())}"
                )
            filters[name] = value
        started = time.perf_counter()
        try:
            count = export_workbook(
                exporter,
                Path(output),
                viewer=viewer,
                actor=actor,
                scope=area,
                filters=filters,
                reveal=unmasked,
                origin=origin(),
                progress=lambda done: self.stdout.write(f"{done} rows"),
            )
        except FilterError as exc:
            raise CommandError(f"invalid filters: {exc}") from None
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"exported {count} {kind} of {area.code} to {output} in {seconds:.1f} s "
                f"({rate:.0f} rows/s)"
            )
        )
