"""Excel import of persons; exports of the person and household lists.

Households in the import: a row with a 户号 joins the household of that number in the same
village (looked up inside the importer's scope). When there is none, the rows sharing the
number become a new household: its head is the row whose 与户主关系 is 户主 (or 本人), else the
first row; its address is the head's 住址, else the first address of its rows. Existing
households are joined as they are, never changed. A row without 户号 belongs to no household.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.db import analyze
from fangkong.core.models import Area
from fangkong.core.pinyin import search_key
from fangkong.core.regions import region_name
from fangkong.core.scope import is_within, scope_filter
from fangkong.core.transfer.bulk import existing_values, insert_with_history
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
from fangkong.people import selectors
from fangkong.people.forms import HouseholdFilterForm, PersonFilterForm
from fangkong.people.models import Household, Person, Sex
from fangkong.people.services import ProtectedValues, person_protect

HEAD_RELATIONS = ("户主", "本人")
RELATIONS = (
    "户主",
    "配偶",
    "子",
    "女",
    "父母",
    "祖父母",
    "孙子女",
    "兄弟姐妹",
    "儿媳",
    "女婿",
    "其他",
)
# Persons inserted per executemany.
WRITE_BATCH = 5000
# Imports of at least this many persons refresh the table statistics (0.1-0.2 s).
ANALYZE_AFTER = 5000
# Household numbers of one village looked up by number; with more, the village is read whole.
LOOKUP_CHUNK = 500


class PersonRow(NamedTuple):
    """One prepared row. A tuple, because large files are prepared in worker processes and
    tuples cross back faster than slotted objects (measured: 8 µs a row instead of 12)."""

    name: str
    name_pinyin: str
    area: str
    household: str
    relation: str
    address: str
    occupation: str
    workplace: str
    note: str
    # None when the ID number or phone is invalid.
    protected: ProtectedValues | None
    derived: dict


class PersonImporter(Importer):
    kind = "persons"
    label = gettext_lazy("Persons")
    permission = "people.import_people"
    target_type = "person"
    # Rows per `check`: one lookup of their ID-number hashes (SQLite's historical limit is
    # 999 parameters a query).
    batch_size = 900
    # `prepare` only reads the row and run.today.
    parallel = True
    columns = (
        Column(
            "name",
            "姓名",
            required=True,
            max_length=50,
            width=10,
            note=gettext_lazy("Full name as on the ID card."),
        ),
        Column(
            "id_number",
            "身份证号",
            required=True,
            width=22,
            aliases=("身份证号码", "公民身份号码"),
            note=gettext_lazy(
                "18-character citizen ID number. Sex, birth date and native "
                "region are taken from it."
            ),
        ),
        Column(
            "phone",
            "手机号",
            width=14,
            aliases=("手机号码", "联系电话", "电话"),
            note=gettext_lazy("Mobile number, or a landline with its area code."),
        ),
        Column(
            "area",
            "所属区划代码",
            required=True,
            width=18,
            note=gettext_lazy(
                "Statistics code of the village or community (12 digits) or "
                "code of the grid (15 digits) the person lives in; it must "
                "lie inside your area."
            ),
        ),
        Column("address", "住址", max_length=200, width=30, aliases=("现住址", "居住地址")),
        Column(
            "household",
            "户号",
            max_length=30,
            width=10,
            note=gettext_lazy(
                "Rows with the same household number in the same village "
                "form one household. An existing household of that number "
                "is joined; otherwise a new one is registered."
            ),
        ),
        Column(
            "relation",
            "与户主关系",
            max_length=20,
            width=12,
            choices=RELATIONS,
            strict=False,
            note=gettext_lazy(
                "Relation to the head of the household. The head's own row says so with "
                "the first choice of the list."
            ),
        ),
        Column("occupation", "职业", max_length=50, width=12),
        Column("workplace", "工作单位", max_length=100, width=20),
        Column("note", "备注", max_length=1000, width=20),
    )

    def prepare(self, run, values):
        errors = {}
        area = values["area"]
        if area and not area.isdigit():
            errors["area"] = _("An area code has digits only")
            area = ""
        protected, derived = None, {}
        try:
            protected, derived = person_protect(
                id_number=values["id_number"], phone=values["phone"], today=run.today
            )
        except ValidationError as exc:
            errors.update({key: " ".join(msgs) for key, msgs in exc.message_dict.items()})
        row = PersonRow(
            name=values["name"],
            name_pinyin=search_key(values["name"]),
            area=area,
            household=values["household"],
            relation=values["relation"],
            address=values["address"],
            occupation=values["occupation"],
            workplace=values["workplace"],
            note=values["note"],
            protected=protected,
            derived=derived,
        )
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        # Rows with an error arrive too: their area or ID number may be missing (None/"").
        areas = run.data.setdefault("areas", {})
        unknown = {row.area for _number, row in rows if row.area} - areas.keys()
        if unknown:
            areas.update(_area_verdicts(run.scope, unknown))
        seen = run.data.setdefault("seen", {})
        groups = run.data.setdefault("households", {})
        registered = existing_values(
            Person, "id_number_hash", [_digest(row) for _number, row in rows]
        )
        for number, row in rows:
            verdict = areas.get(row.area) if row.area else None
            if verdict:
                run.error(number, "area", verdict)
            digest = _digest(row)
            if digest:
                first = seen.setdefault(digest, number)
                if first != number:
                    run.error(
                        number,
                        "id_number",
                        _("The same ID number is already in row %(row)d") % {"row": first},
                    )
                elif digest in registered:
                    run.error(
                        number,
                        "id_number",
                        _("A person with this ID number is already registered"),
                    )
            if row.household and row.area:
                key = (row.area[:12], row.household)
                groups.setdefault(key, []).append(
                    _Member(number, row.area, row.name, row.relation, row.address)
                )

    def complete(self, run):
        groups = run.data.get("households") or {}
        existing = _existing_households(run.scope, groups)
        joined = run.data["joined_households"] = {}
        new = run.data["new_households"] = {}
        for key, members in groups.items():
            found = existing.get(key, [])
            if len(found) > 1:
                for member in members:
                    run.error(
                        member.number,
                        "household",
                        _("Several households of this village have the number %(number)s")
                        % {"number": key[1]},
                    )
            elif found:
                joined[key] = found[0]
            else:
                household = _new_household(run, key, members)
                if household is not None:
                    new[key] = household

    def write(self, run):
        reason = f"import {run.label}"
        household_ids = dict(run.data.get("joined_households") or {})
        new = run.data.get("new_households") or {}
        if new:
            created = insert_with_history(
                Household, list(new.values()), history_user=run.actor, reason=reason
            )
            household_ids.update(zip(new.keys(), created, strict=True))
        actor_id = run.actor.pk if run.actor is not None else None
        rows = run.rows
        for start in range(0, len(rows), WRITE_BATCH):
            batch = [
                _person_values(
                    row,
                    household_ids[(row.area[:12], row.household)] if row.household else None,
                    actor_id,
                )
                for _number, row in rows[start : start + WRITE_BATCH]
            ]
            insert_with_history(Person, batch, history_user=run.actor, reason=reason)
        if len(rows) >= ANALYZE_AFTER:
            # A bulk load: refresh the planner's statistics (see core.db.analyze).
            analyze(Person, Household)
        return len(rows)


class _Member(NamedTuple):
    """What deciding a new household needs of one of its rows."""

    number: int
    area: str
    name: str
    relation: str
    address: str


def _digest(row: PersonRow) -> str:
    return row.protected.id_number_hash if row.protected else ""


def _person_values(row: PersonRow, household_id, actor_id) -> dict:
    protected = row.protected
    derived = row.derived
    return {
        "area_id": row.area,
        "household_id": household_id,
        "name": row.name,
        "name_pinyin": row.name_pinyin,
        "id_number_encrypted": protected.id_number_encrypted,
        "id_number_hash": protected.id_number_hash,
        "id_number_masked": protected.id_number_masked,
        "phone_encrypted": protected.phone_encrypted,
        "phone_hash": protected.phone_hash,
        "phone_masked": protected.phone_masked,
        "sex": derived.get("sex", ""),
        "birth_date": derived.get("birth_date"),
        "native_region": derived.get("native_region", ""),
        "address": row.address,
        "relation": row.relation,
        "occupation": row.occupation,
        "workplace": row.workplace,
        "note": row.note,
        "created_by_id": actor_id,
    }


def _area_verdicts(scope: Area, codes: set[str]) -> dict[str, str | None]:
    """None for a village or grid inside the scope, else why the code cannot be used."""
    usable = set(
        Area.objects.within(scope)
        .filter(code__in=codes, level__gte=Area.Level.VILLAGE)
        .values_list("code", flat=True)
    )
    known = dict(Area.objects.filter(code__in=codes - usable).values_list("code", "level"))
    verdicts: dict[str, str | None] = {}
    for code in codes:
        if code in usable:
            verdicts[code] = None
        elif code not in known:
            verdicts[code] = _("Unknown area code %(code)s") % {"code": code}
        elif not is_within(code, scope.code):
            verdicts[code] = _("This area is outside your scope")
        else:
            verdicts[code] = _("Choose a village, community or grid")
    return verdicts


def _existing_households(scope: Area, groups: dict) -> dict[tuple, list[int]]:
    """Households of the scope that the file's (village, number) keys name, by key.

    Looked up village by village: a village with few numbers in the file by those numbers,
    one with many by reading its households (a village holds a few thousand at most), since
    a long IN list costs more to send than the rows it would spare.
    """
    by_village: dict[str, list[str]] = {}
    for village, number in groups:
        by_village.setdefault(village, []).append(number)
    found: dict[tuple, list[int]] = {}
    for village, numbers in sorted(by_village.items()):
        if len(village) != 12 or not village.isdigit():
            # Not a village: the row has an area error already.
            continue
        households = Household.objects.within(scope).filter(scope_filter("area", village))
        if len(numbers) <= LOOKUP_CHUNK:
            households = households.filter(number__in=numbers)
        for pk, area_id, number in households.values_list("pk", "area_id", "number").order_by("pk"):
            key = (area_id[:12], number)
            if key in groups:
                found.setdefault(key, []).append(pk)
    return found


def _new_household(run, key: tuple, members: list[_Member]) -> dict | None:
    heads = [member for member in members if member.relation in HEAD_RELATIONS]
    for member in heads[1:]:
        run.error(
            member.number,
            "relation",
            _("Household %(number)s has more than one head") % {"number": key[1]},
        )
    head = heads[0] if heads else members[0]
    address = head.address or next((m.address for m in members if m.address), "")
    if not address:
        run.error(
            head.number,
            "address",
            _("Household %(number)s is new and needs an address on its head's row")
            % {"number": key[1]},
        )
        return None
    return {"area_id": head.area, "number": key[1], "address": address, "head_name": head.name}


register(PersonImporter)


# Exports


def _sex_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Sex.choices}


class PersonExporter(Exporter):
    """The person list. Its first columns carry the import headers, so an unmasked export
    imports again (the extra columns are ignored)."""

    kind = "persons"
    label = gettext_lazy("Persons")
    permission = "people.export_people"
    target_type = "person"
    filter_form = PersonFilterForm
    reveal_fields = ("id_number", "phone")

    def queryset(self, user, filters):
        return selectors.person_list(
            user=user,
            q=filters.get("q") or "",
            area=filters.get("area") or "",
            sex=filters.get("sex") or "",
            age_min=filters.get("age_min"),
            age_max=filters.get("age_max"),
        )

    def columns(self, reveal):
        return [
            ExportColumn("姓名", "name", 10),
            ExportColumn("身份证号", "id_number", 22),
            ExportColumn("手机号", "phone", 14),
            ExportColumn("所属区划代码", "area_id", 18),
            ExportColumn("住址", "address", 30),
            ExportColumn("户号", "household__number", 10),
            ExportColumn("与户主关系", "relation", 10),
            ExportColumn("职业", "occupation", 12),
            ExportColumn("工作单位", "workplace", 20),
            ExportColumn("备注", "note", 20),
            ExportColumn("性别", "sex", 6),
            ExportColumn("出生日期", "birth_date", 12, "date"),
            ExportColumn("籍贯", "native_region", 20),
            ExportColumn("所属区划", "area__name", 20),
            ExportColumn("登记时间", "created_at", 20, "datetime"),
        ]

    def rows(self, queryset, reveal):
        fields = [
            "name",
            *identity_fields(reveal),
            "area_id",
            "address",
            "household__number",
            "relation",
            "occupation",
            "workplace",
            "note",
            "sex",
            "birth_date",
            "native_region",
            "area__name",
            "created_at",
        ]
        sexes = _sex_labels()
        regions: dict[str, str] = {}
        for row in queryset.values(*fields).iterator(chunk_size=self.chunk_size):
            identity_values(row, reveal)
            row["sex"] = sexes.get(row["sex"], "")
            code = row["native_region"]
            if code:
                name = regions.get(code)
                if name is None:
                    name = regions[code] = region_name(code)
                row["native_region"] = name
            yield row


class HouseholdExporter(Exporter):
    kind = "households"
    label = gettext_lazy("Households")
    permission = "people.export_people"
    target_type = "household"
    filter_form = HouseholdFilterForm

    def queryset(self, user, filters):
        return selectors.household_list(
            user=user, q=filters.get("q") or "", area=filters.get("area") or ""
        )

    def columns(self, reveal):
        return [
            ExportColumn("户号", "number", 10),
            ExportColumn("户主", "head_name", 10),
            ExportColumn("住址", "address", 30),
            ExportColumn("所属区划代码", "area_id", 18),
            ExportColumn("所属区划", "area__name", 20),
            ExportColumn("人数", "member_count", 6, "number"),
            ExportColumn("备注", "note", 20),
            ExportColumn("登记时间", "created_at", 20, "datetime"),
        ]

    def rows(self, queryset, reveal):
        keys = [column.key for column in self.columns(reveal)]
        return (
            queryset.annotate(member_count=Count("members"))
            .values(*keys)
            .iterator(chunk_size=self.chunk_size)
        )


register(PersonExporter)
register(HouseholdExporter)
