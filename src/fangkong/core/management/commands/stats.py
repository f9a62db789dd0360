import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from fangkong.command.selectors import MAX_DAYS, figures
from fangkong.core.transfer.cli import actor_and_scope

# (label, key of "today" / "cumulative") of the readable table.
ROWS = [
    ("车辆 vehicles", "vehicles"),
    ("人员 persons", "persons"),
    ("劝返 turned back", "turned_back"),
    ("发热转诊 fever referrals", "fever"),
    ("推送 pushes", "pushes"),
    ("新增重点人员 new key persons", "key_persons_new"),
    ("解除观察 released", "released"),
    ("预警 alerts", "alerts"),
    ("阳性 positives", "positives"),
]


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = (
        "Print the command's figures (the dashboard's, from the same function) for one day or "
        "a range of days and an area: --json prints them exactly as the dashboard's data "
        "endpoint serves them; the keys are described in docs/stats.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="one day (default: today)")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                            help="first day of the trend (with --to)")  # fmt: skip
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                            help="last day: the day of the headline figures")  # fmt: skip
        parser.add_argument(
            "--area",
            metavar="CODE",
            help="area code (default: the user's scope, or the district of "
            "FANGKONG_DISTRICT_CODE); with --user it must lie inside the user's scope",
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="as this user (needs command.view_dashboard)"
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print JSON")

    def handle(self, *args, date, date_from, date_to, area, user, as_json, **options):
        if date and (date_from or date_to):
            raise CommandError("give --date or --from/--to, not both")
        if date:
            date_from = date_to = _date(date)
        else:
            date_to = _date(date_to) if date_to else timezone.localdate()
            date_from = _date(date_from) if date_from else date_to
        if date_from > date_to:
            raise CommandError(f"--from {date_from} is after --to {date_to}")
        if (date_to - date_from).days >= MAX_DAYS:
            raise CommandError(f"at most {MAX_DAYS} days")
        _actor, scope = actor_and_scope(
            username=user, scope_code=area, permission="command.view_dashboard"
        )
        data = figures(area_code=scope.code, date_from=date_from, date_to=date_to)
        if as_json:
            self.stdout.write(dumps(data))
        else:
            self.stdout.write(table(data))


def dumps(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def table(data: dict) -> str:
    area = data["area"]
    lines = [
        f"{area['name']} ({area['code']})  {data['date_from']} – {data['date_to']}",
        "",
        f"{'':<34}{'当日 day':>12}{'累计 total':>12}",
    ]
    today, total = data["today"], data["cumulative"]
    for label, key in ROWS:
        cumulative = total.get(key if key != "key_persons_new" else "key_persons", "")
        lines.append(f"{label:<34}{today.get(key, 0):>12}{cumulative:>12}")
    ledger, pushes, alerts = data["ledger"], data["pushes"], data["alerts"]
    isolation, reports = data["isolation"], data["reports"]
    lines += [
        "",
        f"在管重点人员 managed: {ledger['managed']}   待接收推送 pending pushes: "
        f"{pushes['pending']}   超时 overdue: {pushes['overdue']}",
        f"未处置预警 open alerts: {alerts['open']}   今日未报 missing logs: "
        f"{_or_dash(today['missing_logs_am'])} am / {_or_dash(today['missing_logs_pm'])} pm",
        f"集中隔离 isolation: {isolation['occupied']}/{isolation['capacity']} "
        f"({isolation['sites']} sites)",
    ]
    if reports.get("available"):
        day = reports["today"]
        lines.append(
            f"日报 reports: {day['submitted']}/{day['expected']} submitted, "
            f"{day['missing']} missing"
        )
    else:
        lines.append("日报 reports: 尚未接入 not available")
    if data["by_town"]:
        lines += ["", f"{'':<24}{'人员':>8}{'推送':>8}{'在管':>8}{'预警':>8}{'未报':>8}"]
        for row in data["by_town"]:
            lines.append(
                f"{(row['name'] or row['code'])[:20]:<24}{row['persons']:>8}{row['pushes']:>8}"
                f"{row['managed']:>8}{row['alerts_open']:>8}{row['missing_logs']:>8}"
            )
    return "\n".join(lines)


def _or_dash(value) -> str:
    # None: the slot has not opened yet today.
    return "—" if value is None else str(value)
