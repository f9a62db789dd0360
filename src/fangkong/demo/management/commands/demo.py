from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from fangkong.core.areas import AreaImportError
from fangkong.demo.services import DEMO_PASSWORD, DemoError, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo district 山东省淄博市临淄区 (370305): its 12 towns and 473 villages from "
        "the shipped 2019 statistics codes, 2-4 grids per village, generated households and "
        "persons (valid ID and phone numbers, stored encrypted) and one account per role, all "
        f"with the password {DEMO_PASSWORD}. Then serve the site unless --no-serve."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=20000,
            help="number of persons to generate (default 20000; the real district has 612000)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2020,
            help="random seed: the same seed gives the same people (default 2020)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete every household and person (and their history) before loading",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            dest="no_serve",
            help="load and exit instead of starting the web server (`fangkong serve`)",
        )

    def handle(self, *args, persons, seed, reset, no_serve, **options):
        if persons < 0:
            raise CommandError("--persons must be 0 or more")
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(_("The database is not up to date: run `fangkong setup` first"))
        try:
            summary = demo_load(persons=persons, seed=seed, reset=reset, stdout=self.stdout)
        except (DemoError, AreaImportError) as exc:
            raise CommandError(str(exc)) from None

        self.stdout.write(
            self.style.SUCCESS(
                _("Demo loaded: %(households)d households, %(persons)d persons in %(seconds).0f s")
                % {
                    "households": summary.households,
                    "persons": summary.persons,
                    "seconds": summary.seconds,
                }
            )
        )
        self.stdout.write("")
        self._accounts_table(summary.accounts)
        if not no_serve:
            call_command("serve", stdout=self.stdout)

    def _accounts_table(self, accounts) -> None:
        header = (_("username"), _("role"), _("scope"), _("password"))
        rows = [
            (a.username, a.role_label, f"{a.scope_name} ({a.scope_code})", a.password)
            for a in accounts
        ]
        widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    str(cell) + " " * (widths[i] - _width(str(cell))) for i, cell in enumerate(row)
                ).rstrip()
            )


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
