from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fangkong.core.transfer import registry
from fangkong.core.transfer.writer import template_bytes


class Command(BaseCommand):
    help = (
        "Write the empty Excel template of an import: the Chinese header row (required "
        "columns marked *), a note on each header, text-formatted columns and drop-down "
        "lists, and an instructions sheet."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="which import: " + ", ".join(sorted(registry.importers())))
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="where to write it (default: '<label> import template.xlsx' here)",
        )

    def handle(self, *args, kind, output, **options):
        try:
            importer = registry.importer(kind)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        name = _("%(label)s import template") % {"label": importer.label}
        path = Path(output) if output else Path(f"{name}.xlsx")
        path.write_bytes(template_bytes(importer))
        self.stdout.write(self.style.SUCCESS(f"wrote {path}"))
