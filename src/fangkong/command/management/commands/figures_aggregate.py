import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fangkong.command.services import figures_aggregate


class Command(BaseCommand):
    help = (
        "Pre-aggregate the command's figures (checkpoint flows and pushes per area and day) "
        "of the days before today into DailyFigure; runs hourly as a background task. "
        "Idempotent: each source row is counted once however often it runs (docs/stats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD",
                            help="close the days up to this one (default: yesterday)")  # fmt: skip
        parser.add_argument("--area", metavar="CODE",
                            help="root area (default: every root of the area tree)")  # fmt: skip
        parser.add_argument("--rebuild", action="store_true",
                            help="drop the aggregated rows and count from scratch")  # fmt: skip

    def handle(self, *args, date, area, rebuild, **options):
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"not a date (YYYY-MM-DD): {date!r}") from None
        try:
            written = figures_aggregate(date=day, area_code=area, rebuild=rebuild)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for code, rows in written.items():
            self.stdout.write(f"{code}: {rows} figure rows written")
