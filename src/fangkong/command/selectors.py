"""The command's figures: one function every figure of the dashboard, `fangkong stats` and the
briefing comes from, so they cannot disagree.

Every section is a grouped aggregate over its module's table narrowed to the area's subtree
(the scope's half-open code range), grouped by day and by the child area (the first digits of
`area_id`: a district's towns, a town's villages), so the number of queries is the same for a
village with ten key persons and a district with six hundred thousand residents; the Python
side only adds up a few hundred grouped rows.

States (key persons under management, open pushes and alerts, isolation occupancy) are the
ledgers' states now: the ledgers keep no daily snapshot of a state, so they are the same
whatever `date_to` asks for. Counts of events (registrations, new key persons, alerts
raised, logs, results) are by their day.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from fangkong.checkpoints.models import Checkpoint, Outcome, Registration, VehicleCheck
from fangkong.command.models import Aggregation, DailyFigure
from fangkong.core.forms import day_start
from fangkong.core.models import Area
from fangkong.core.scope import CODE_LENGTHS, ancestor_codes
from fangkong.donations.selectors import command_figures as donations_figures
from fangkong.isolation.models import Site
from fangkong.isolation.selectors import with_occupancy
from fangkong.ledger.models import Category, KeyPerson, Push
from fangkong.ledger.services import overdue_condition
from fangkong.monitoring.models import Alert, HealthLog, MissedLog, Sample, Slot
from fangkong.monitoring.services import slot_open
from fangkong.supplies.selectors import command_figures as supplies_figures

# The longest range a caller may ask for: a year of days in `trend`.
MAX_DAYS = 366
CHECKPOINT_KEYS = ("vehicles", "vehicles_back", "persons", "turned_back", "fever", "centralized",
                   "pushed")  # fmt: skip
TOWN_KEYS = (
    "vehicles",
    "persons",
    "turned_back",
    "fever",
    "pushes",
    "pushes_open",
    "pushes_overdue",
    "key_persons_new",
    "managed",
    "alerts_open",
    "logs",
    "missing_logs",
)
TREND_KEYS = (
    "vehicles",
    "persons",
    "turned_back",
    "fever",
    "pushes",
    "pushes_received",
    "key_persons_new",
    "released",
    "alerts",
    "positives",
    "logs",
)
NOT_AVAILABLE = {"available": False, "reason": "module not installed"}


def child_length(code: str) -> int | None:
    """Length of the codes one level below `code` (None below a grid)."""
    longer = [n for n in CODE_LENGTHS if n > len(code)]
    return longer[0] if longer else None


def _child(field: str, code: str):
    """The child area a row belongs to, as an SQL expression on its `field` code."""
    length = child_length(code)
    return Substr(field, 1, length) if length else Value(code)


def _day(field: str):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _iso(day) -> str:
    return day if isinstance(day, str) else day.isoformat()


def _as_date(value) -> datetime.date | None:
    # SQLite hands TruncDate back as a string on some paths; PostgreSQL as a date.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


# -- the event counts that are pre-aggregated -----------------------------------------------
#
# The three sources whose all-time counts grow with the data (236 000 registrations joined to
# their vehicle's duty day): counted per area, day and checkpoint, either live or into
# DailyFigure (services.figures_aggregate). A source row is "settled" by an aggregation
# (through, as_of) when its day is on or before `through` and it was recorded on or before
# `as_of`; DailyFigure holds exactly the settled rows, figures() counts the others live.
# The rows are never edited or deleted (checkpoints and pushes are append-only registers) and
# their area and day never change, so the two parts add up to the live count exactly.

CHECKPOINT_PREFIX = "cp."
# Keys DailyFigure holds per area; per checkpoint it holds every CHECKPOINT_KEYS key as
# "cp.<id>.<key>".
FAR_FUTURE = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)
AREA_KEYS = ("vehicles", "persons", "turned_back", "fever", "centralized", "pushes")


@dataclass(frozen=True)
class Source:
    model: type
    day: str  # the field of the event's day (a date), or "" when it is the day of `recorded`
    recorded: str  # the field of the moment the row was written
    checkpoint: str  # the field of the checkpoint, "" for none
    counts: tuple  # (key, filter Q or None)
    # (field, model) when `day` and `recorded` are fields of a parent row: a registration's
    # vehicle. The condition then selects the parents, and the rows follow them.
    via: tuple | None = None

    @property
    def queryset(self) -> QuerySet:
        return self.model.objects.all()

    def on_or_before(self, day: datetime.date) -> Q:
        if self.day:
            return Q(**{f"{self.day}__lte": day})
        return Q(**{f"{self.recorded}__lt": day_start(day + datetime.timedelta(days=1))})

    def settled(self, through: datetime.date, as_of: datetime.datetime) -> Q:
        return self.on_or_before(through) & Q(**{f"{self.recorded}__lte": as_of})

    def unsettled(self, through, as_of, until: datetime.date) -> Q:
        """NOT settled (up to `until`), spelled as an OR of two closed ranges: each side is
        answered from its own index (SQLite's planner takes an open range for a quarter of
        the table and would rather scan the area's whole subtree)."""
        if self.day:
            later = Q(**{f"{self.day}__gt": through, f"{self.day}__lte": until})
        else:
            later = Q(
                **{
                    f"{self.recorded}__gte": day_start(through + datetime.timedelta(days=1)),
                    f"{self.recorded}__lt": day_start(until + datetime.timedelta(days=1)),
                }
            )
        late = Q(**{f"{self.recorded}__gt": as_of, f"{self.recorded}__lt": FAR_FUTURE})
        return later | late

    def rows(self, condition: Q, code: str):
        """(area_id, day, checkpoint_id or None, {key: count}) of the rows under `code`.

        The subtree is matched by the code's prefix, not the indexed code range: the range
        covers every row of a district, and the planner should take the day's index."""
        queryset = self.model.objects.annotate(scope=Substr("area_id", 1, len(code))).filter(
            scope=code
        )
        if self.via:
            field, parent = self.via
            # Selected first from the parent's own indexes (PostgreSQL's planner otherwise
            # scans every registration of the subtree and joins each to its vehicle).
            queryset = queryset.filter(**{f"{field}__in": parent.objects.filter(condition)})
            day = f"{field}__{self.day}"
        elif self.day:
            queryset, day = queryset.filter(condition), self.day
        else:
            queryset = queryset.filter(condition).annotate(event_day=_day(self.recorded))
            day = "event_day"
        fields = ["area_id", day] + ([self.checkpoint] if self.checkpoint else [])
        aggregates = {
            key: Count("id", filter=condition) if condition is not None else Count("id")
            for key, condition in self.counts
        }
        for row in queryset.values(*fields).annotate(**aggregates).order_by():
            counts = {key: row[key] for key, _condition in self.counts if row[key]}
            if counts:
                checkpoint = row[self.checkpoint] if self.checkpoint else None
                yield row["area_id"], _as_date(row[day]), checkpoint, counts


SOURCES = (
    Source(
        VehicleCheck,
        day="duty_date",
        recorded="created_at",
        checkpoint="checkpoint_id",
        counts=(("vehicles", None), ("vehicles_back", Q(turned_back=True))),
    ),
    # A vehicle is written once with all its occupants, so the vehicle's moment is theirs.
    Source(
        Registration,
        day="duty_date",
        recorded="created_at",
        checkpoint="vehicle__checkpoint_id",
        counts=(
            ("persons", None),
            ("turned_back", Q(outcome=Outcome.TURNED_BACK)),
            ("fever", Q(outcome=Outcome.FEVER_REFERRAL)),
            ("centralized", Q(outcome=Outcome.CENTRALIZED)),
            ("pushed", Q(pushed=True)),
        ),
        via=("vehicle", VehicleCheck),
    ),
    Source(Push, day="", recorded="created_at", checkpoint="", counts=(("pushes", None),)),
)


def figures(*, area_code: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """Every figure of the command for the subtree of `area_code`: `today` is `date_to`,
    `trend` has one entry per day of [date_from, date_to], `cumulative` counts everything up
    to `date_to`. See docs/stats.md for every key."""
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days")
    areas = {
        a["code"]: a
        for a in Area.objects.filter(Q(code=area_code) | Q(parent_id=area_code)).values(
            "code", "name", "level"
        )
    }
    if area_code not in areas:
        raise ValueError(f"unknown area {area_code}")
    days = [date_from + datetime.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    build = _Builder(area_code, date_from, date_to, days, areas)
    build.checkpoints()
    build.checkpoint_list()
    build.pushes()
    build.key_persons()
    build.monitoring()
    build.isolation()
    build.reports()
    build.supplies()
    return build.result()


def plain(value):
    """Decimals as JSON numbers (int when whole), so the dashboard's endpoint, the API and
    `fangkong stats --json` print the same values whatever their encoder does with Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class _Builder:
    def __init__(self, code, date_from, date_to, days, areas):
        self.code = code
        self.date_from = date_from
        self.date_to = date_to
        self.days = days
        self.areas = areas
        self.child_len = child_length(code)
        self.today = dict.fromkeys(
            (
                "vehicles",
                "persons",
                "turned_back",
                "fever",
                "centralized",
                "pushes",
                "pushes_received",
                "key_persons_new",
                "released",
                "alerts",
                "positives",
                "logs",
                "missing_logs_am",
                "missing_logs_pm",
                "reminded",
            ),
            0,
        )
        self.cumulative = dict.fromkeys(
            (
                "vehicles",
                "persons",
                "turned_back",
                "fever",
                "centralized",
                "pushes",
                "key_persons",
                "released",
                "alerts",
                "positives",
            ),
            0,
        )
        self.trend = {day: dict.fromkeys(TREND_KEYS, 0) for day in days}
        self.towns: dict[str, dict] = {}
        self.sections: dict[str, dict] = {}

    # -- helpers -------------------------------------------------------------------------------

    def town(self, child: str) -> dict:
        # A row sitting on the scope itself (a checkpoint of the district) is its own line.
        key = child if self.child_len and len(child) == self.child_len else self.code
        row = self.towns.get(key)
        if row is None:
            row = self.towns[key] = dict.fromkeys(TOWN_KEYS, 0)
        return row

    def in_range(self, day) -> bool:
        return day is not None and self.date_from <= day <= self.date_to

    # -- sections ------------------------------------------------------------------------------

    def checkpoints(self):
        code = self.code
        self.points = {
            p["id"]: {
                **p,
                **{f"{k}_today": 0 for k in CHECKPOINT_KEYS},
                **dict.fromkeys(CHECKPOINT_KEYS, 0),
            }  # fmt: skip
            for p in Checkpoint.objects.within(code).values(
                "id", "name", "area_id", "level", "is_open"
            )  # fmt: skip
        }
        settled = self.aggregated()
        for source in SOURCES:
            condition = source.on_or_before(self.date_to)
            if settled:
                condition &= source.unsettled(*settled, self.date_to)
            for area_id, day, checkpoint_id, counts in source.rows(condition, code):
                self._event(area_id, day, checkpoint_id, counts)

    def aggregated(self):
        """Read the DailyFigure rows of the settled part (every source row of a day up to
        `through` recorded up to `as_of`) and return (through, as_of); None before the first
        aggregation, when everything is counted live."""
        aggregation = (
            Aggregation.objects.filter(area_id__in=ancestor_codes(self.code))
            .order_by("-through", "-as_of")
            .first()
        )
        if aggregation is None:
            return None
        last = min(aggregation.through, self.date_to)
        code = self.code
        totals = dict.fromkeys(TOWN_KEYS, 0)
        own = DailyFigure.objects.filter(area_id=code, date__lte=last).exclude(
            key__startswith=CHECKPOINT_PREFIX
        )
        for day, key, value in own.values_list("date", "key", "value"):
            if key in self.cumulative:
                self.cumulative[key] += value
            if self.in_range(day):
                if key in TREND_KEYS:
                    self.trend[day][key] += value
                if key in totals:
                    totals[key] += value
            if day == self.date_to and key in self.today:
                self.today[key] += value
        children = (
            DailyFigure.objects.filter(
                area_id__in=[c for c in self.areas if c != code],
                date__gte=self.date_from,
                date__lte=last,
            )
            .exclude(key__startswith=CHECKPOINT_PREFIX)
            .values("area_id", "key")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for row in children:
            if row["key"] in TOWN_KEYS:
                self.town(row["area_id"])[row["key"]] += row["total"]
                totals[row["key"]] -= row["total"]
        # What the children don't account for sits on the area itself (a district-level
        # checkpoint): its own line, as the live rows give it.
        if any(totals.values()):
            own_line = self.town(code)
            for key, value in totals.items():
                own_line[key] += value
        points = (
            DailyFigure.objects.filter(
                area_id=code,
                date__gte=self.date_from,
                date__lte=last,
                key__startswith=CHECKPOINT_PREFIX,
            )
            .values("key")
            .annotate(
                total=Sum("value"), today=Sum("value", filter=Q(date=self.date_to))
            )  # fmt: skip
            .order_by()
        )
        for row in points:
            _prefix, checkpoint_id, key = row["key"].split(".")
            point = self._point(int(checkpoint_id))
            point[key] += row["total"]
            point[f"{key}_today"] += row["today"] or 0
        return aggregation.through, aggregation.as_of

    def _point(self, checkpoint_id):
        point = self.points.get(checkpoint_id)
        if point is None:
            # A check recorded in scope at a checkpoint since moved out of it: still counted.
            point = self.points[checkpoint_id] = {
                "id": checkpoint_id,
                "name": "",
                "area_id": self.code,
                "level": 0,
                "is_open": False,
                **{f"{k}_today": 0 for k in CHECKPOINT_KEYS},
                **dict.fromkeys(CHECKPOINT_KEYS, 0),
            }
        return point

    def _event(self, area_id, day, checkpoint_id, counts):
        """Counts of source rows of one area, day and checkpoint (None for pushes), counted
        live; the aggregated part reads the same counts from DailyFigure."""
        town = self.town(area_id[: self.child_len] if self.child_len else self.code)
        point = self._point(checkpoint_id) if checkpoint_id is not None else None
        for key, value in counts.items():
            if key in self.cumulative:
                self.cumulative[key] += value
            if self.in_range(day):
                if key in TREND_KEYS:
                    self.trend[day][key] += value
                if key in TOWN_KEYS:
                    town[key] += value
                if point is not None:
                    point[key] += value
            if day == self.date_to:
                if key in self.today:
                    self.today[key] += value
                if point is not None:
                    point[f"{key}_today"] += value

    def checkpoint_list(self):
        self.sections["checkpoints"] = sorted(
            (
                {
                    "id": p["id"],
                    "name": p["name"],
                    "area": p["area_id"],
                    "level": p["level"],
                    "is_open": p["is_open"],
                    "today": {k: p[f"{k}_today"] for k in CHECKPOINT_KEYS},
                    "range": {k: p[k] for k in CHECKPOINT_KEYS},
                }
                for p in self.points.values()
            ),
            key=lambda p: (-p["range"]["persons"], p["level"], p["name"]),
        )

    def pushes(self):
        code = self.code
        overdue = overdue_condition(now=timezone.now(), scope=code)
        rows = (
            Push.objects.within(code)
            .annotate(child=_child("area_id", code))
            .values("child", "state")
            .annotate(n=Count("id"), late=Count("id", filter=overdue))
            .order_by()
        )
        states = dict.fromkeys(Push.State.values, 0)
        received_days = (
            Push.objects.within(code)
            .filter(
                state=Push.State.RECEIVED,
                handled_at__gte=day_start(self.date_from),
                handled_at__lt=day_start(self.date_to + datetime.timedelta(days=1)),
            )
            .annotate(day=_day("handled_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by()
        )
        overdue_total = 0
        for row in rows:
            states[row["state"]] += row["n"]
            overdue_total += row["late"]
            town = self.town(row["child"])
            if row["state"] in (Push.State.PENDING, Push.State.ANSWERED):
                town["pushes_open"] += row["n"]
            town["pushes_overdue"] += row["late"]
        for row in received_days:
            day = _as_date(row["day"])
            if self.in_range(day):
                self.trend[day]["pushes_received"] += row["n"]
            if day == self.date_to:
                self.today["pushes_received"] += row["n"]
        self.sections["pushes"] = {
            "by_state": states,
            "pending": states[Push.State.PENDING],
            "answered": states[Push.State.ANSWERED],
            "open": states[Push.State.PENDING] + states[Push.State.ANSWERED],
            "overdue": overdue_total,
            "received": states[Push.State.RECEIVED],
            "total": sum(states.values()),
        }

    def key_persons(self):
        code = self.code
        current = (
            KeyPerson.objects.within(code)
            .annotate(child=_child("area_id", code))
            .values("child", "state", "category_id", "measure")
            .annotate(n=Count("id"))
            .order_by()
        )
        names = dict(Category.objects.values_list("id", "name"))
        by_state = dict.fromkeys(KeyPerson.State.values, 0)
        by_category: dict[str, int] = {}
        by_measure: dict[str, int] = {}
        for row in current:
            by_state[row["state"]] += row["n"]
            if row["state"] in (KeyPerson.State.PENDING, KeyPerson.State.MANAGED):
                name = names.get(row["category_id"], "")
                by_category[name] = by_category.get(name, 0) + row["n"]
                by_measure[row["measure"]] = by_measure.get(row["measure"], 0) + row["n"]
                if row["state"] == KeyPerson.State.MANAGED:
                    self.town(row["child"])["managed"] += row["n"]
        # Entries and releases by day: the day observation started and the release day.
        events = (
            KeyPerson.objects.within(code)
            .filter(Q(period_start__lte=self.date_to) | Q(released_on__lte=self.date_to))
            .annotate(child=_child("area_id", code))
            .values("child", "period_start", "released_on")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in events:
            start, released, n = row["period_start"], row["released_on"], row["n"]
            if start <= self.date_to:
                self.cumulative["key_persons"] += n
                if self.in_range(start):
                    self.trend[start]["key_persons_new"] += n
                    self.town(row["child"])["key_persons_new"] += n
                if start == self.date_to:
                    self.today["key_persons_new"] += n
            if released and released <= self.date_to:
                self.cumulative["released"] += n
                if self.in_range(released):
                    self.trend[released]["released"] += n
                if released == self.date_to:
                    self.today["released"] += n
        open_states = (KeyPerson.State.PENDING, KeyPerson.State.MANAGED)
        self.sections["ledger"] = {
            "by_state": by_state,
            "open": sum(by_state[s] for s in open_states),
            "managed": by_state[KeyPerson.State.MANAGED],
            "by_category": dict(sorted(by_category.items(), key=lambda kv: -kv[1])),
            "by_measure": by_measure,
        }

    def monitoring(self):
        code, day = self.code, self.date_to
        end = day_start(day + datetime.timedelta(days=1))
        # States of the alerts raised up to `date_to`; the day of raising only for the range.
        alerts = (
            Alert.objects.within(code)
            .filter(raised_at__lt=end)
            .annotate(child=_child("area_id", code))
            .values("child", "state", "level", "kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        raised = (
            Alert.objects.within(code)
            .filter(raised_at__gte=day_start(self.date_from), raised_at__lt=end)
            .annotate(day=_day("raised_at"))
            .values("day", "level")
            .annotate(n=Count("id"))
            .order_by()
        )
        by_level = {str(level): 0 for level in Alert.Level.values}
        by_kind = dict.fromkeys(Alert.Kind.values, 0)
        by_state = dict.fromkeys(Alert.State.values, 0)
        new_by_level = {str(level): 0 for level in Alert.Level.values}
        for row in alerts:
            by_state[row["state"]] += row["n"]
            self.cumulative["alerts"] += row["n"]
            if row["state"] != Alert.State.CLOSED:
                by_level[str(row["level"])] += row["n"]
                by_kind[row["kind"]] += row["n"]
                if row["state"] == Alert.State.OPEN:
                    self.town(row["child"])["alerts_open"] += row["n"]
        for row in raised:
            when = _as_date(row["day"])
            if self.in_range(when):
                self.trend[when]["alerts"] += row["n"]
            if when == day:
                self.today["alerts"] += row["n"]
                new_by_level[str(row["level"])] += row["n"]
        positives = (
            Sample.objects.within(code)
            .filter(result=Sample.Result.POSITIVE, result_on__lte=day)
            .values("result_on")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in positives:
            self.cumulative["positives"] += row["n"]
            if self.in_range(row["result_on"]):
                self.trend[row["result_on"]]["positives"] += row["n"]
            if row["result_on"] == day:
                self.today["positives"] += row["n"]
        logs = (
            HealthLog.objects.within(code)
            .filter(date__gte=self.date_from, date__lte=day)
            .annotate(child=_child("area_id", code))
            .values("child", "date")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in logs:
            self.trend[row["date"]]["logs"] += row["n"]
            if row["date"] == day:
                self.today["logs"] += row["n"]
                self.town(row["child"])["logs"] += row["n"]
        # 未报 of `date_to` as monitoring counts it: managed persons without the slot's log.
        aggregates = {}
        managed = KeyPerson.objects.within(code).filter(
            state=KeyPerson.State.MANAGED, period_start__lte=day
        )
        for slot in Slot.values:
            logged = HealthLog.objects.filter(date=day, slot=slot, key_person=OuterRef("pk"))
            managed = managed.annotate(**{f"has_{slot}": Exists(logged)})
            aggregates[slot] = Count("pk", filter=Q(**{f"has_{slot}": False}))
        missing = (
            managed.annotate(child=_child("area_id", code))
            .values("child")
            .annotate(**aggregates)
            .order_by()
        )
        # A slot that has not opened yet has nobody missing, only everybody still to log:
        # None (shown as —), so the wall does not read "226 missing" at one in the morning.
        opened = [slot for slot in Slot.values if slot_open(slot, day)]
        for slot in Slot.values:
            if slot not in opened:
                self.today[f"missing_logs_{slot}"] = None
        for row in missing:
            for slot in opened:
                self.today[f"missing_logs_{slot}"] += row[slot]
                self.town(row["child"])["missing_logs"] += row[slot]
        self.today["reminded"] = MissedLog.objects.within(code).filter(date=day).count()
        self.sections["alerts"] = {
            "open": by_state[Alert.State.OPEN],
            "referred": by_state[Alert.State.REFERRED],
            "closed": by_state[Alert.State.CLOSED],
            "open_by_level": by_level,
            "open_by_kind": by_kind,
            "new_by_level": new_by_level,
        }

    def isolation(self):
        sites = list(
            with_occupancy(Site.objects.within(self.code).filter(active=True))
            .values("id", "name", "area_id", "capacity", "occupied")
            .order_by("area_id", "name")
        )
        capacity = sum(s["capacity"] for s in sites)
        occupied = sum(s["occupied"] for s in sites)
        self.sections["isolation"] = {
            "sites": len(sites),
            "capacity": capacity,
            "occupied": occupied,
            "free": max(0, capacity - occupied),
            "by_site": [
                {
                    "id": s["id"],
                    "name": s["name"],
                    "area": s["area_id"],
                    "capacity": s["capacity"],
                    "occupied": s["occupied"],
                }  # fmt: skip
                for s in sites
            ],
        }

    def reports(self):
        try:
            from fangkong.reporting.selectors import completeness, report_totals
        except ImportError:
            self.sections["reports"] = dict(NOT_AVAILABLE)
            return
        summary = completeness(area_code=self.code, date_from=self.date_from, date_to=self.date_to)
        day = (
            summary
            if self.date_from == self.date_to
            else completeness(area_code=self.code, date_from=self.date_to, date_to=self.date_to)
        )
        totals = report_totals(area_code=self.code, date=self.date_to)
        keys = ("expected", "submitted", "on_time", "late", "zero", "missing", "completeness",
                "timeliness")  # fmt: skip
        self.sections["reports"] = {
            "available": True,
            "today": {k: day.get(k) for k in keys},
            "range": {k: summary.get(k) for k in keys},
            "by_day": [_with_ratios(row) for row in summary.get("by_day", [])],
            "by_child": [_with_ratios(row) for row in summary.get("by_child", [])],
            "totals": totals,
        }

    def supplies(self):
        """Stock, issues and requests (supplies) and donations received and used, of the
        range; each module's own selector, a fixed number of queries."""
        for key, source in (("supplies", supplies_figures), ("donations", donations_figures)):
            found = source(area_code=self.code, date_from=self.date_from, date_to=self.date_to)
            found = {k: v for k, v in found.items() if k not in ("date_from", "date_to")}
            self.sections[key] = {"available": True, **plain(found)}

    def result(self) -> dict:
        area = self.areas[self.code]
        towns = []
        for child, row in sorted(self.towns.items()):
            info = self.areas.get(child)
            towns.append(
                {
                    "code": child,
                    "name": info["name"] if info else "",
                    "own": child == self.code,
                    **row,
                }
            )
        # Children without any figure still get a line: "zero" is a figure too.
        seen = {t["code"] for t in towns}
        for child, info in sorted(self.areas.items()):
            if child != self.code and child not in seen:
                towns.append(
                    {
                        "code": child,
                        "name": info["name"],
                        "own": False,
                        **dict.fromkeys(TOWN_KEYS, 0),
                    }  # fmt: skip
                )
        towns.sort(key=lambda t: (t["own"], t["code"]))
        return {
            "area": {
                "code": self.code,
                "name": area["name"],
                "level": area["level"],
                "path": ancestor_codes(self.code),
            },  # fmt: skip
            "date_from": self.date_from,
            "date_to": self.date_to,
            "generated_at": timezone.now().replace(microsecond=0),
            "today": self.today,
            "cumulative": self.cumulative,
            "trend": [{"date": day, **self.trend[day]} for day in self.days],
            "by_town": towns,
            "checkpoints": self.sections["checkpoints"],
            "pushes": self.sections["pushes"],
            "ledger": self.sections["ledger"],
            "alerts": self.sections["alerts"],
            "isolation": self.sections["isolation"],
            "reports": self.sections["reports"],
            "supplies": self.sections["supplies"],
            "donations": self.sections["donations"],
            "enterprises": dict(NOT_AVAILABLE),
        }


def _with_ratios(row: dict) -> dict:
    expected = row.get("expected") or 0
    row = {**row, "date": _iso(row["date"])} if "date" in row and row["date"] else dict(row)
    row["completeness"] = row.get("submitted", 0) / expected if expected else 0.0
    row["timeliness"] = row.get("on_time", 0) / expected if expected else 0.0
    return row


# -- the home page's "what needs my action today" ----------------------------------------------


def missing_today_queryset(*, user):
    """Persons under management in the user's scope missing a log of a slot of today whose
    deadline has passed (the morning's until the afternoon's closes)."""
    from fangkong.monitoring.services import missing_queryset, slot_windows

    if not user.is_authenticated or not user.scope_id:
        return KeyPerson.objects.none()
    now = timezone.localtime()
    today = now.date()
    closed = [s for s, w in slot_windows().items() if now.time() >= w.deadline]
    if not closed:
        return KeyPerson.objects.none()
    condition = Q()
    for slot in closed:
        condition |= Q(pk__in=missing_queryset(scope=user.scope_id, date=today, slot=slot))
    return KeyPerson.objects.filter(condition)


def release_due_queryset(*, user):
    """Persons in the user's scope whose period ended and who meet the release rules."""
    from fangkong.monitoring.selectors import release_due_ids

    if not user.is_authenticated or not user.scope_id:
        return KeyPerson.objects.none()
    return KeyPerson.objects.filter(pk__in=release_due_ids(user=user))
