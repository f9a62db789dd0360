"""Excel import of historical checkpoint ledgers; export of the registration list.

The paper and Excel ledgers of early 2020 have one row per person. Rows of one vehicle share
the checkpoint, the time and the plate, and become one vehicle check with its occupants (a row
without a plate is a pedestrian on their own). Historical rows are a record of what was done
then: they create no push, alert or outbound notice (those were handled at the time), and a
fever row keeps the outcome the ledger wrote. Importing the same vehicle twice (same
checkpoint, time and plate as one already stored) is refused.
"""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.checkpoints import selectors
from fangkong.checkpoints.forms import RegistrationFilterForm, registration_filter_kwargs
from fangkong.checkpoints.models import Checkpoint, Outcome, Registration, VehicleCheck
from fangkong.checkpoints.plates import parse_plate
from fangkong.checkpoints.regions import resolve_region
from fangkong.checkpoints.services import (
    check_destination,
    district_code,
    parse_temperature,
    shift_at,
)
from fangkong.core.db import analyze
from fangkong.core.models import Area
from fangkong.core.scope import scope_filter
from fangkong.core.transfer.bulk import insert, reserve_ids
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import (
    Column,
    ExportColumn,
    Exporter,
    Importer,
    RowInvalid,
    identity_fields,
    identity_values,
)
from fangkong.people.models import Person
from fangkong.people.services import ProtectedValues, person_protect

OUTCOMES = {
    "放行": Outcome.PASS,
    "劝返": Outcome.TURNED_BACK,
    "移交发热门诊": Outcome.FEVER_REFERRAL,
    "集中留观": Outcome.CENTRALIZED,
}
OUTCOME_LABELS = {value: label for label, value in OUTCOMES.items()}
KINDS = {
    "小客车": VehicleCheck.VehicleKind.CAR,
    "货车": VehicleCheck.VehicleKind.TRUCK,
    "客车": VehicleCheck.VehicleKind.BUS,
    "摩托车/电动车": VehicleCheck.VehicleKind.MOTORCYCLE,
    "步行": VehicleCheck.VehicleKind.ON_FOOT,
}
KIND_LABELS = {value: label for label, value in KINDS.items()}
YES = ("是", "有", "Y", "y", "1", "√")
NO = ("否", "无", "N", "n", "0", "")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)
# Registrations inserted per statement batch.
WRITE_BATCH = 5000
ANALYZE_AFTER = 5000


class Row(NamedTuple):
    """One prepared row (a tuple: large files are prepared in worker processes)."""

    checked_at: datetime.datetime | None
    checkpoint: str
    plate: str
    plate_region: str
    vehicle_kind: str
    is_driver: bool
    name: str
    protected: ProtectedValues | None
    derived: dict
    origin: str
    origin_region: str
    travel_history: str
    from_risk_area: bool
    case_contact: bool
    temperature: object
    notice_given: bool
    destination: str
    outcome: str
    note: str


def _parse_moment(text: str) -> datetime.datetime:
    text = text.strip().replace("：", ":")
    for fmt in DATETIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    try:
        return timezone.make_aware(datetime.datetime.fromisoformat(text))
    except ValueError:
        raise ValidationError(_("Write the time as 2020-02-03 14:25")) from None


def _yes_no(text: str) -> bool | None:
    if text in YES:
        return True
    if text in NO:
        return False
    return None


class RegistrationImporter(Importer):
    kind = "checkpoint-registrations"
    label = gettext_lazy("Checkpoint registrations")
    permission = "checkpoints.import_registrations"
    target_type = "checkpoint_registration"
    batch_size = 900
    parallel = True
    # 济南先行区's three months were 236 549 rows.
    max_rows = 300_000
    columns = (
        Column(
            "checked_at",
            "日期时间",
            required=True,
            width=18,
            aliases=("登记时间", "时间"),
            note=gettext_lazy("When the person was checked, such as 2020-02-03 14:25."),
        ),
        Column(
            "checkpoint",
            "卡口",
            required=True,
            max_length=100,
            width=18,
            aliases=("卡口名称",),
            note=gettext_lazy("Name of a checkpoint of your area, as set up in Fangkong."),
        ),
        Column(
            "plate",
            "车牌号",
            width=12,
            aliases=("车牌", "车牌号码"),
            note=gettext_lazy(
                "Rows with the same checkpoint, time and plate are one vehicle. Empty for a "
                "pedestrian."
            ),
        ),
        Column(
            "vehicle_kind",
            "车辆类型",
            width=12,
            choices=tuple(KINDS),
            note=gettext_lazy("A car when empty and there is a plate; on foot without one."),
        ),
        Column("is_driver", "驾驶员", width=8, choices=("是", "否"), strict=False),
        Column("name", "姓名", required=True, max_length=50, width=10),
        Column(
            "id_number",
            "身份证号",
            required=True,
            width=22,
            aliases=("身份证号码", "公民身份号码"),
        ),
        Column("phone", "手机号", width=14, aliases=("手机号码", "联系电话", "电话")),
        Column(
            "origin",
            "来自",
            required=True,
            max_length=200,
            width=20,
            aliases=("从何处来", "来源地"),
            note=gettext_lazy("Province, city and county, such as 湖北省武汉市武昌区."),
        ),
        Column("travel_history", "14天行程", max_length=300, width=20, aliases=("旅居史", "行程")),
        Column(
            "from_risk_area",
            "到过中高风险地区",
            width=10,
            choices=("是", "否"),
            strict=False,
        ),
        Column("case_contact", "接触病例", width=10, choices=("是", "否"), strict=False),
        Column(
            "temperature",
            "体温",
            required=True,
            width=8,
            note=gettext_lazy("°C with one decimal, 34.0 to 43.0."),
        ),
        Column("notice_given", "已告知", width=8, choices=("是", "否"), strict=False),
        Column(
            "destination",
            "去往",
            max_length=200,
            width=24,
            aliases=("到何处去", "目的地"),
            note=gettext_lazy(
                "The code or exact name of a village or grid of the district, or an address "
                "outside it."
            ),
        ),
        Column(
            "outcome",
            "处置结果",
            required=True,
            width=12,
            choices=tuple(OUTCOMES),
            aliases=("处置情况", "处理结果"),
        ),
        Column("note", "备注", max_length=300, width=20),
    )

    def prepare(self, run, values):
        errors = {}
        checked_at = None
        try:
            checked_at = _parse_moment(values["checked_at"])
            if checked_at.date() > run.today:
                errors["checked_at"] = _("The time cannot be in the future")
        except ValidationError as exc:
            errors["checked_at"] = exc.messages[0]
        plate, plate_region = "", ""
        if values["plate"]:
            try:
                parsed = parse_plate(values["plate"])
                plate, plate_region = parsed.number, parsed.region_name
            except ValidationError as exc:
                errors["plate"] = exc.messages[0]
        kind = KINDS.get(values["vehicle_kind"]) or (
            VehicleCheck.VehicleKind.CAR if values["plate"] else VehicleCheck.VehicleKind.ON_FOOT
        )
        protected, derived = None, {}
        try:
            protected, derived = person_protect(
                id_number=values["id_number"], phone=values["phone"], today=run.today
            )
        except ValidationError as exc:
            errors.update({key: " ".join(msgs) for key, msgs in exc.message_dict.items()})
        temperature = None
        try:
            temperature = parse_temperature(values["temperature"])
        except ValidationError as exc:
            errors["temperature"] = exc.messages[0]
        flags = {}
        for key in ("is_driver", "from_risk_area", "case_contact", "notice_given"):
            flag = _yes_no(values[key])
            if flag is None:
                errors[key] = _("Write 是 or 否")
            flags[key] = bool(flag)
        row = Row(
            checked_at=checked_at,
            checkpoint=values["checkpoint"],
            plate=plate,
            plate_region=plate_region,
            vehicle_kind=kind,
            name=values["name"],
            protected=protected,
            derived=derived,
            origin=values["origin"],
            origin_region=resolve_region(values["origin"]),
            travel_history=values["travel_history"],
            temperature=temperature,
            destination=values["destination"],
            outcome=OUTCOMES.get(values["outcome"], ""),
            note=values["note"],
            **flags,
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        checkpoints = run.data.setdefault("checkpoints", None)
        if checkpoints is None:
            checkpoints = run.data["checkpoints"] = _checkpoints_by_name(run.scope)
        destinations = run.data.setdefault("destinations", {})
        unknown = {row.destination for _n, row in rows if row.destination} - destinations.keys()
        if unknown:
            destinations.update(_destination_verdicts(unknown))
        vehicles = run.data.setdefault("vehicles", {})
        for number, row in rows:
            point = checkpoints.get(row.checkpoint)
            if point is None:
                run.error(
                    number,
                    "checkpoint",
                    _("No checkpoint of your area is named %(name)s") % {"name": row.checkpoint},
                )
            elif point == "ambiguous":
                run.error(
                    number,
                    "checkpoint",
                    _("Several checkpoints of your area are named %(name)s")
                    % {"name": row.checkpoint},
                )
            if row.destination:
                verdict = destinations[row.destination]
                if isinstance(verdict, str):
                    run.error(number, "destination", verdict)
            if isinstance(point, int) and row.checked_at is not None:
                key = (point, row.checked_at, row.plate or f"#{number}")
                members = vehicles.setdefault(key, [])
                members.append(number)

    def complete(self, run):
        """Vehicles already stored, and the same person twice in one vehicle."""
        vehicles = run.data.get("vehicles") or {}
        if not vehicles:
            return
        moments = [key[1] for key in vehicles]
        stored = set(
            VehicleCheck.objects.filter(
                checkpoint_id__in={key[0] for key in vehicles},
                checked_at__gte=min(moments),
                checked_at__lte=max(moments),
            )
            .exclude(plate="")
            .values_list("checkpoint_id", "checked_at", "plate")
        )
        if not stored:
            return
        for key, numbers in vehicles.items():
            if key in stored:
                for number in numbers:
                    run.error(
                        number,
                        "plate",
                        _("This vehicle is already registered at this checkpoint and time"),
                    )

    def write(self, run):
        checkpoints = {
            c.pk: c
            for c in Checkpoint.objects.filter(
                pk__in={v for v in run.data["checkpoints"].values() if isinstance(v, int)}
            ).prefetch_related("shifts")
        }
        shifts = {pk: list(c.shifts.all()) for pk, c in checkpoints.items()}
        destinations = run.data.get("destinations") or {}
        by_number = dict(run.rows)
        groups = run.data["vehicles"]
        known = _known_persons([_digest(row) for _n, row in run.rows])
        vehicle_ids = reserve_ids(VehicleCheck, len(groups))
        actor_id = run.actor.pk if run.actor is not None else None
        vehicle_rows, registration_rows = [], []
        for vehicle_id, ((checkpoint_id, checked_at, _plate), numbers) in zip(
            vehicle_ids, groups.items(), strict=True
        ):
            members = [by_number[n] for n in numbers]
            first = members[0]
            shift, duty_date = shift_at(shifts[checkpoint_id], checked_at)
            if first.vehicle_kind != VehicleCheck.VehicleKind.ON_FOOT and not any(
                m.is_driver for m in members
            ):
                drivers = {0}
            else:
                drivers = {i for i, m in enumerate(members) if m.is_driver}
            area_id = checkpoints[checkpoint_id].area_id
            vehicle_rows.append(
                {
                    "id": vehicle_id,
                    "checkpoint_id": checkpoint_id,
                    "area_id": area_id,
                    "shift_id": shift.pk if shift else None,
                    "duty_date": duty_date,
                    "checked_at": checked_at,
                    "plate": first.plate,
                    "plate_region": first.plate_region,
                    "vehicle_kind": first.vehicle_kind,
                    "direction": VehicleCheck.Direction.IN,
                    "turned_back": all(m.outcome == Outcome.TURNED_BACK for m in members),
                    "idempotency_key": None,
                    "recorded_by_id": actor_id,
                }
            )
            for index, row in enumerate(members):
                registration_rows.append(
                    _registration_values(
                        row,
                        vehicle_id=vehicle_id,
                        area_id=area_id,
                        checked_at=checked_at,
                        is_driver=index in drivers,
                        destination=destinations.get(row.destination) if row.destination else None,
                        person_id=known.get(_digest(row)),
                    )
                )
        insert(VehicleCheck, vehicle_rows)
        for start in range(0, len(registration_rows), WRITE_BATCH):
            insert(Registration, registration_rows[start : start + WRITE_BATCH])
        if len(registration_rows) >= ANALYZE_AFTER:
            analyze(VehicleCheck, Registration)
        return len(registration_rows)


def _digest(row: Row) -> str:
    return row.protected.id_number_hash if row.protected else ""


def _registration_values(row: Row, **fields) -> dict:
    protected = row.protected
    destination = fields.pop("destination")
    return {
        "vehicle_id": fields["vehicle_id"],
        "area_id": fields["area_id"],
        "checked_at": fields["checked_at"],
        "is_driver": fields["is_driver"],
        "person_id": fields["person_id"],
        "name": row.name,
        "sex": row.derived.get("sex", ""),
        "birth_date": row.derived.get("birth_date"),
        "native_region": row.derived.get("native_region", ""),
        "id_number_encrypted": protected.id_number_encrypted,
        "id_number_hash": protected.id_number_hash,
        "id_number_masked": protected.id_number_masked,
        "phone_encrypted": protected.phone_encrypted,
        "phone_hash": protected.phone_hash,
        "phone_masked": protected.phone_masked,
        "origin": row.origin,
        "origin_region": row.origin_region,
        "travel_history": row.travel_history,
        "from_risk_area": row.from_risk_area,
        "case_contact": row.case_contact,
        "temperature": row.temperature,
        "notice_given": row.notice_given,
        "destination_area_id": destination.code if isinstance(destination, Area) else None,
        "destination_address": "" if isinstance(destination, Area) else row.destination,
        "outcome": row.outcome,
        "flagged": False,
        # Historical rows: pushes were made at the time, outside Fangkong.
        "pushed": False,
        "note": row.note,
    }


def _checkpoints_by_name(scope: Area) -> dict[str, int | str]:
    found: dict[str, int | str] = {}
    for pk, name in Checkpoint.objects.within(scope).values_list("pk", "name"):
        found[name] = "ambiguous" if name in found else pk
    return found


def _destination_verdicts(texts: set[str]) -> dict[str, Area | str | None]:
    """An Area for a code or exact name of a village or grid of the district; None for an
    address outside it; an error message otherwise."""
    district = district_code()
    codes = {t for t in texts if t.isdigit()}
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    names = texts - codes
    by_name: dict[str, Area | None] = {}
    if names:
        for area in Area.objects.filter(scope_filter("code", district), name__in=names).filter(
            level__gte=Area.Level.VILLAGE
        ):
            # The same name twice (two 第1网格) cannot be told apart: the code must say.
            by_name[area.name] = None if area.name in by_name else area
    verdicts: dict[str, Area | str | None] = {}
    for text in texts:
        if text in codes:
            try:
                verdicts[text] = check_destination(text, "", by_code)[0]
            except ValidationError as exc:
                verdicts[text] = exc.messages[0]
        elif text in by_name:
            verdicts[text] = by_name[text] or _(
                "Several villages or grids are named %(name)s: write the code"
            ) % {"name": text}
        else:
            # An address; historical rows keep it as written, even inside the district.
            verdicts[text] = None
    return verdicts


def _known_persons(digests) -> dict[str, int]:
    digests = sorted({d for d in digests if d})
    found: dict[str, int] = {}
    for start in range(0, len(digests), 900):
        part = digests[start : start + 900]
        found.update(
            Person.objects.filter(id_number_hash__in=part).values_list("id_number_hash", "pk")
        )
    return found


register(RegistrationImporter)


class RegistrationExporter(Exporter):
    """The registration list, one row a person; its first columns are the import's."""

    kind = "checkpoint-registrations"
    label = gettext_lazy("Checkpoint registrations")
    permission = "checkpoints.export_registrations"
    target_type = "checkpoint_registration"
    filter_form = RegistrationFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.registration_list(user=user, **registration_filter_kwargs(filters))

    def columns(self, reveal):
        return [
            ExportColumn("日期时间", "checked_at", 18, "datetime"),
            ExportColumn("卡口", "vehicle__checkpoint__name", 18),
            ExportColumn("车牌号", "vehicle__plate", 12),
            ExportColumn("车辆类型", "vehicle_kind", 10),
            ExportColumn("驾驶员", "driver", 6),
            ExportColumn("姓名", "name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("来自", "origin", 20),
            ExportColumn("14天行程", "travel_history", 20),
            ExportColumn("到过中高风险地区", "risk", 8),
            ExportColumn("接触病例", "contact", 8),
            ExportColumn("体温", "temperature", 8, "number"),
            ExportColumn("已告知", "notice", 8),
            ExportColumn("去往", "destination", 24),
            ExportColumn("处置结果", "outcome", 12),
            ExportColumn("备注", "note", 20),
            ExportColumn("已推送", "pushed_text", 8),
            ExportColumn("车辆归属地", "vehicle__plate_region", 14),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "checked_at",
            "vehicle__checkpoint__name",
            "vehicle__plate",
            "vehicle__vehicle_kind",
            "vehicle__plate_region",
            "is_driver",
            "name",
            *identity_fields(reveal),
            "origin",
            "travel_history",
            "from_risk_area",
            "case_contact",
            "temperature",
            "notice_given",
            "destination_area_id",
            "destination_area__name",
            "destination_address",
            "outcome",
            "note",
            "pushed",
        ]
        yes, no = "是", "否"
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal)
            row["vehicle_kind"] = KIND_LABELS.get(row["vehicle__vehicle_kind"], "")
            row["driver"] = yes if row["is_driver"] else no
            row["risk"] = yes if row["from_risk_area"] else no
            row["contact"] = yes if row["case_contact"] else no
            row["notice"] = yes if row["notice_given"] else no
            row["pushed_text"] = yes if row["pushed"] else no
            row["temperature"] = float(row["temperature"])
            # The code, so an export imports again into the same village.
            row["destination"] = row["destination_area_id"] or row["destination_address"]
            row["outcome"] = OUTCOME_LABELS.get(row["outcome"], row["outcome"])
            yield row


register(RegistrationExporter)
