"""Every change of the monitoring module: alerts, health logs (双测温两报告), follow-ups,
samples and results, missed-log reminders and release.

Rules decided here (see docs/monitoring.md):
- a health log is for a person under management, dated today or earlier (not before the
  observation started), for a slot that has opened; one per person, date and slot — a second
  report of the same slot is refused, except a staff correction that gives a reason;
- a fever raises a HIGH alert, symptoms without fever a NORMAL one; a positive result the
  HIGHEST, told to the town's handlers and to the command;
- release needs `release_check` to find nothing missing (period over, the last two days fully
  reported and normal, no open alert, a negative test where the category asks for one).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.accounts.models import User
from fangkong.core.models import Area
from fangkong.core.scope import require_within
from fangkong.inbox.models import Notification
from fangkong.inbox.services import (
    notification_notify,
    notification_send,
    notifications_resolve,
    notifications_send_many,
    users_responsible,
)
from fangkong.ledger import services as ledger
from fangkong.ledger.models import KeyPerson
from fangkong.monitoring.models import Alert, FollowUp, HealthLog, MissedLog, Sample, Slot

MANAGED = KeyPerson.State.MANAGED
TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
# Symptom codes stored in HealthLog.symptoms, in the order the chips show them.
SYMPTOMS = {
    "cough": gettext_lazy("cough"),
    "sore_throat": gettext_lazy("sore throat"),
    "fatigue": gettext_lazy("fatigue"),
    "breath": gettext_lazy("short of breath"),
    "muscle": gettext_lazy("muscle aches"),
    "diarrhoea": gettext_lazy("diarrhoea"),
    "smell_taste": gettext_lazy("loss of smell or taste"),
    "other": gettext_lazy("other symptoms"),
}
DEFAULT_SLOTS = "am=06:00-10:00,pm=14:00-18:00"
_SLOT_RE = re.compile(r"^(am|pm)=(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class SlotWindow:
    """When a slot opens (logs for it are accepted from then) and its deadline (after it, a
    person without a log is reminded)."""

    slot: str
    opens: datetime.time
    deadline: datetime.time

    @property
    def label(self) -> str:
        return str(Slot(self.slot).label)


def slot_windows() -> dict[str, SlotWindow]:
    """FANGKONG_LOG_SLOTS, e.g. "am=06:00-10:00,pm=14:00-18:00"."""
    raw = getattr(settings, "FANGKONG_LOG_SLOTS", DEFAULT_SLOTS) or DEFAULT_SLOTS
    windows = {}
    for part in str(raw).replace(" ", "").split(","):
        match = _SLOT_RE.match(part)
        if not match:
            raise ValueError(f"FANGKONG_LOG_SLOTS: cannot read {part!r} (am=06:00-10:00)")
        slot, h1, m1, h2, m2 = match.groups()
        opens, deadline = datetime.time(int(h1), int(m1)), datetime.time(int(h2), int(m2))
        if deadline <= opens:
            raise ValueError(f"FANGKONG_LOG_SLOTS: {slot} closes before it opens")
        windows[slot] = SlotWindow(slot, opens, deadline)
    if set(windows) != set(Slot.values):
        raise ValueError("FANGKONG_LOG_SLOTS must define am and pm")
    return windows


def current_slot(now: datetime.datetime | None = None) -> str:
    """The slot a log taken now belongs to: the afternoon once it has opened."""
    local = timezone.localtime(now or timezone.now()).time()
    return Slot.AFTERNOON if local >= slot_windows()[Slot.AFTERNOON].opens else Slot.MORNING


def slot_open(slot: str, date: datetime.date, now: datetime.datetime | None = None) -> bool:
    local = timezone.localtime(now or timezone.now())
    if date != local.date():
        return date < local.date()
    return local.time() >= slot_windows()[slot].opens


def parse_temperature(value) -> Decimal:
    """34.0–43.0 °C with at most one decimal; anything else is a ValidationError."""
    text = str(value if value is not None else "").strip().replace("，", ".").replace(",", ".")
    try:
        temperature = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"temperature": _("Enter the temperature as a number, e.g. 36.5")}, code="invalid"
        ) from None
    if not temperature.is_finite():
        raise ValidationError({"temperature": _("Enter the temperature as a number, e.g. 36.5")})
    if temperature != temperature.quantize(Decimal("0.1")):
        raise ValidationError({"temperature": _("Enter the temperature with one decimal")})
    if not TEMPERATURE_MIN <= temperature <= TEMPERATURE_MAX:
        raise ValidationError(
            {"temperature": _("The temperature must be between 34.0 and 43.0 °C")},
            code="out_of_range",
        )
    return temperature.quantize(Decimal("0.1"))


def parse_symptoms(values) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.split(",") if v]
    codes = [str(v).strip() for v in values or () if str(v).strip()]
    unknown = [code for code in codes if code not in SYMPTOMS]
    if unknown:
        raise ValidationError({"symptoms": _("Unknown symptom: %(code)s") % {"code": unknown[0]}})
    # Stored in the chips' order, once each.
    return [code for code in SYMPTOMS if code in codes]


def symptom_labels(stored: str) -> list[str]:
    return [str(SYMPTOMS.get(code, code)) for code in stored.split(",") if code]


def is_fever(temperature: Decimal) -> bool:
    return Decimal(temperature) >= Decimal(str(settings.FANGKONG_FEVER_THRESHOLD))


@transaction.atomic(savepoint=False)
def alert_raise(
    *,
    area: Area | str,
    kind: str,
    level: int,
    subject_name: str,
    key_person: KeyPerson | None = None,
    detail: str = "",
    temperature: Decimal | None = None,
    source_type: str = "",
    source_id: str | int = "",
) -> Alert:
    """Raise an alert and tell the doctors and the town who handle alerts for `area`."""
    alert = Alert(
        area_id=area if isinstance(area, str) else area.code,
        kind=kind,
        level=level,
        subject_name=subject_name,
        key_person=key_person,
        detail=detail[:300],
        temperature=temperature,
        source_type=source_type,
        source_id=str(source_id),
    )
    alert.full_clean()
    alert.save()
    title = _("%(kind)s: %(name)s") % {"kind": alert.get_kind_display(), "name": subject_name}
    if temperature is not None:
        title = f"{title} {temperature} °C"
    notification_notify(
        area=alert.area_id,
        permission="monitoring.handle_alert",
        kind=Notification.Kind.ALERT,
        title=title,
        body=detail,
        target_type="alert",
        target_id=alert.pk,
    )
    return alert


def _alert_for_update(alert: Alert, actor) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    require_within(actor, alert.area_id)
    return alert


@transaction.atomic
def alert_refer(
    *, actor, alert: Alert, referred_to: str, referred_at: datetime.datetime | None = None
) -> Alert:
    """The person was sent to a fever clinic: where and when."""
    alert = _alert_for_update(alert, actor)
    if alert.state == Alert.State.CLOSED:
        raise ValidationError(_("This alert is closed"), code="closed")
    if not referred_to.strip():
        raise ValidationError({"referred_to": _("Say where the person was referred")})
    referred_at = referred_at or timezone.now()
    if referred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"referred_at": _("The time cannot be in the future")})
    alert.state = Alert.State.REFERRED
    alert.referred_to = referred_to.strip()
    alert.referred_at = referred_at
    alert.handled_by = actor
    alert.full_clean()
    alert.save()
    return alert


@transaction.atomic
def alert_record_outcome(*, actor, alert: Alert, outcome: str, note: str = "") -> Alert:
    """The clinic's verdict closes the alert. Excluded: the person stays (or comes back) under
    observation; suspected or confirmed: the key person is referred to hospital."""
    alert = _alert_for_update(alert, actor)
    if alert.state == Alert.State.CLOSED:
        raise ValidationError(_("This alert is closed"), code="closed")
    if outcome not in Alert.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome")})
    note = note.strip()
    if outcome == Alert.Outcome.OTHER and not note:
        raise ValidationError({"outcome_note": _("Say what the outcome was")})
    key_person = alert.key_person
    if key_person is not None:
        label = Alert.Outcome(outcome).label
        reason = f"{alert.get_kind_display()}: {label}" + (f" ({note})" if note else "")
        if outcome in (Alert.Outcome.SUSPECTED, Alert.Outcome.CONFIRMED):
            if key_person.state != KeyPerson.State.REFERRED:
                ledger.keyperson_transition(
                    actor=actor,
                    key_person=key_person,
                    to_state=KeyPerson.State.REFERRED,
                    reason=reason,
                )
        elif outcome == Alert.Outcome.EXCLUDED and key_person.state == KeyPerson.State.REFERRED:
            ledger.keyperson_transition(
                actor=actor, key_person=key_person, to_state=MANAGED, reason=reason
            )
    alert.outcome = outcome
    alert.outcome_note = note
    alert.state = Alert.State.CLOSED
    alert.closed_at = timezone.now()
    alert.handled_by = actor
    alert.full_clean()
    alert.save()
    notifications_resolve(target_type="alert", target_id=alert.pk)
    return alert


@transaction.atomic
def alert_close(*, actor, alert: Alert, note: str) -> Alert:
    """Close without a clinic's verdict (a re-measured normal temperature, a typing error)."""
    alert = _alert_for_update(alert, actor)
    if alert.state == Alert.State.CLOSED:
        raise ValidationError(_("This alert is closed"), code="closed")
    if not note.strip():
        raise ValidationError({"outcome_note": _("Say why the alert is closed")})
    alert.state = Alert.State.CLOSED
    alert.outcome_note = note.strip()
    alert.closed_at = timezone.now()
    alert.handled_by = actor
    alert.save()
    notifications_resolve(target_type="alert", target_id=alert.pk)
    return alert


# -- health logs ------------------------------------------------------------------------------


def _managed_key_person(key_person: KeyPerson) -> KeyPerson:
    # The row lock orders two reports of the same person (staff and link at once).
    key_person = (
        KeyPerson.objects.select_for_update().select_related("person").get(pk=key_person.pk)
    )
    if key_person.state != MANAGED:
        message = _("%(name)s is not under management (%(state)s)") % {
            "name": key_person.person.name,
            "state": key_person.get_state_display(),
        }
        raise ValidationError({"key_person": ValidationError(message, code="not_managed")})
    return key_person


@transaction.atomic
def healthlog_record(
    *,
    actor,
    key_person: KeyPerson,
    slot: str,
    temperature,
    symptoms=(),
    date: datetime.date | None = None,
    note: str = "",
    via: str = HealthLog.Via.STAFF,
    correction_reason: str = "",
    now: datetime.datetime | None = None,
) -> HealthLog:
    """Record one slot's temperature and symptoms; raise an alert on fever or symptoms.

    A slot already reported is refused, unless staff correct it with a reason: the log is
    updated, its first values kept in the note.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    date = date or today
    temperature = parse_temperature(temperature)
    codes = parse_symptoms(symptoms)
    if slot not in Slot.values:
        raise ValidationError({"slot": _("Choose the morning or afternoon slot")})
    if date > today:
        raise ValidationError({"date": _("The date cannot be in the future")}, code="future")
    if not slot_open(slot, date, now):
        raise ValidationError(
            {"slot": _("The %(slot)s slot has not opened yet") % {"slot": Slot(slot).label}},
            code="future",
        )
    if actor is not None:
        require_within(actor, key_person.area_id)
    key_person = _managed_key_person(key_person)
    if date < key_person.period_start:
        raise ValidationError({"date": _("The observation had not started on that date")})
    existing = HealthLog.objects.filter(key_person=key_person, date=date, slot=slot).first()
    correction_reason = correction_reason.strip()
    if existing is not None:
        if via != HealthLog.Via.STAFF or not correction_reason:
            message = _("The %(slot)s slot of %(date)s is already reported (%(value)s °C)") % {
                "slot": Slot(slot).label,
                "date": date,
                "value": existing.temperature,
            }
            raise ValidationError({"slot": ValidationError(message, code="duplicate")})
        return _healthlog_correct(
            actor, key_person, existing, temperature, codes, note, correction_reason
        )
    log = HealthLog(
        key_person=key_person,
        area_id=key_person.area_id,
        date=date,
        slot=slot,
        temperature=temperature,
        symptoms=",".join(codes),
        note=note.strip()[:300],
        via=via,
        recorded_by=actor,
    )
    log.full_clean(exclude=["key_person", "area"])
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ValidationError(
            {"slot": _("This slot was reported a moment ago")}, code="duplicate"
        ) from None
    _alert_for_log(key_person, log)
    return log


def _healthlog_correct(actor, key_person, log, temperature, codes, note, reason) -> HealthLog:
    was_abnormal = is_fever(log.temperature) or bool(log.symptoms)
    before = f"{log.temperature} °C {log.symptoms}".strip()
    log.temperature = temperature
    log.symptoms = ",".join(codes)
    log.note = "\n".join(filter(None, [note.strip(), _("was %(value)s") % {"value": before}]))[:300]
    log.correction_reason = reason[:200]
    log.corrected_at = timezone.now()
    log.recorded_by = actor
    log.save()
    if not was_abnormal:
        _alert_for_log(key_person, log)
    return log


def _alert_for_log(key_person: KeyPerson, log: HealthLog) -> Alert | None:
    labels = "、".join(symptom_labels(log.symptoms))
    where = f"{log.date} {log.get_slot_display()}"
    if is_fever(log.temperature):
        kind, level = Alert.Kind.FEVER, Alert.Level.HIGH
    elif log.symptoms:
        kind, level = Alert.Kind.SYMPTOMS, Alert.Level.NORMAL
    else:
        return None
    return alert_raise(
        area=key_person.area_id,
        kind=kind,
        level=level,
        subject_name=key_person.person.name,
        key_person=key_person,
        detail=f"{where} {labels}".strip(),
        temperature=log.temperature,
        source_type="health_log",
        source_id=log.pk,
    )


# -- follow-ups -------------------------------------------------------------------------------


@transaction.atomic
def followup_create(
    *,
    actor,
    key_person: KeyPerson,
    kind: str,
    visited_on: datetime.date,
    notice_delivered: bool = False,
    findings: str = "",
) -> FollowUp:
    """The first follow-up delivers the 健康告知书; later visits need a first one."""
    if actor is not None:
        require_within(actor, key_person.area_id)
    key_person = _managed_key_person(key_person)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date cannot be in the future")})
    if visited_on < key_person.period_start:
        raise ValidationError({"visited_on": _("The observation had not started on that date")})
    has_first = key_person.follow_ups.filter(kind=FollowUp.Kind.FIRST).exists()
    if kind == FollowUp.Kind.FIRST:
        if has_first:
            raise ValidationError({"kind": _("The first follow-up is already recorded")})
        if not notice_delivered:
            raise ValidationError(
                {"notice_delivered": _("The first follow-up delivers the health notice")}
            )
    elif kind == FollowUp.Kind.LATER:
        if not has_first:
            raise ValidationError({"kind": _("Record the first follow-up first")})
    else:
        raise ValidationError({"kind": _("Choose the kind of follow-up")})
    follow_up = FollowUp(
        key_person=key_person,
        area_id=key_person.area_id,
        kind=kind,
        visited_on=visited_on,
        notice_delivered=notice_delivered,
        findings=findings.strip(),
        recorded_by=actor,
    )
    follow_up.full_clean(exclude=["key_person", "area"])
    follow_up.save()
    return follow_up


# -- samples and results ----------------------------------------------------------------------


@transaction.atomic
def sample_create(
    *,
    actor,
    key_person: KeyPerson,
    sample_no: str,
    sampled_on: datetime.date,
    kind: str = "",
    batch: str = "",
    lab: str = "",
) -> Sample:
    if actor is not None:
        require_within(actor, key_person.area_id)
    key_person = KeyPerson.objects.select_for_update().get(pk=key_person.pk)
    if not key_person.is_open and key_person.state != KeyPerson.State.REFERRED:
        raise ValidationError({"key_person": _("The person is no longer under management")})
    sample_no = sample_no.strip()
    if not sample_no:
        raise ValidationError({"sample_no": _("This field is required.")})
    if sampled_on > timezone.localdate():
        raise ValidationError({"sampled_on": _("The date cannot be in the future")})
    if Sample.objects.filter(sample_no=sample_no).exists():
        raise ValidationError({"sample_no": _("This sample number is already recorded")})
    sample = Sample(
        key_person=key_person,
        area_id=key_person.area_id,
        sample_no=sample_no,
        sampled_on=sampled_on,
        kind=kind.strip(),
        batch=batch.strip(),
        lab=lab.strip(),
        recorded_by=actor,
    )
    sample.full_clean(exclude=["key_person", "area"])
    try:
        with transaction.atomic():
            sample.save()
    except IntegrityError:
        raise ValidationError({"sample_no": _("This sample number is already recorded")}) from None
    return sample


RESULTS = (Sample.Result.NEGATIVE, Sample.Result.POSITIVE, Sample.Result.INVALID)


@transaction.atomic
def sample_record_result(
    *, actor, sample: Sample, result: str, result_on: datetime.date, lab: str = ""
) -> Sample:
    """Enter the lab's answer; a positive one raises the highest alert."""
    sample = (
        Sample.objects.select_for_update().select_related("key_person__person").get(pk=sample.pk)
    )
    if actor is not None:
        require_within(actor, sample.area_id)
    problems = result_problems(sample, result, result_on)
    if problems:
        raise ValidationError(problems)
    return result_apply(sample, result, result_on, lab)


def result_problems(sample: Sample, result: str, result_on) -> dict[str, str]:
    """Why a result cannot be entered for `sample` (empty: it can); shared with the import."""
    if result not in RESULTS:
        return {"result": _("Choose negative, positive or invalid")}
    if sample.result != Sample.Result.PENDING:
        if sample.result == result:
            return {"result": _("This result is already recorded")}
        return {
            "result": _("The sample already has the result %(result)s")
            % {"result": sample.get_result_display()}
        }
    if result_on is None:
        return {"result_on": _("This field is required.")}
    if result_on > timezone.localdate():
        return {"result_on": _("The date cannot be in the future")}
    if result_on < sample.sampled_on:
        return {"result_on": _("The result cannot be dated before the sampling")}
    return {}


def result_apply(sample: Sample, result: str, result_on, lab: str = "") -> Sample:
    sample.result = result
    sample.result_on = result_on
    if lab.strip():
        sample.lab = lab.strip()[:100]
    sample.save(update_fields=["result", "result_on", "lab"])
    if result == Sample.Result.POSITIVE:
        alert_positive(sample)
    return sample


def alert_positive(sample: Sample) -> Alert:
    """A positive result: the highest alert to the alert handlers (doctors, town) and to the
    command, who hold no handling permission but must know at once."""
    key_person = sample.key_person
    alert = alert_raise(
        area=sample.area_id,
        kind=Alert.Kind.POSITIVE,
        level=Alert.Level.HIGHEST,
        subject_name=key_person.person.name,
        key_person=key_person,
        detail=_("Sample %(number)s (%(lab)s) sampled %(date)s")
        % {"number": sample.sample_no, "lab": sample.lab or "—", "date": sample.sampled_on},
        source_type="sample",
        source_id=sample.pk,
    )
    command = (
        users_responsible(area=sample.area_id, permission="monitoring.view_alert")
        .filter(scope_id__in=[sample.area_id[:n] for n in (2, 4, 6)])
        .exclude(notifications__target_type="alert", notifications__target_id=str(alert.pk))
    )
    notification_send(
        users=list(command),
        area=sample.area_id,
        kind=Notification.Kind.ALERT,
        title=_("%(kind)s: %(name)s")
        % {"kind": alert.get_kind_display(), "name": alert.subject_name},
        body=alert.detail,
        target_type="alert",
        target_id=alert.pk,
    )
    return alert


# -- missed logs ("未报") and reminders -------------------------------------------------------


def missing_queryset(*, scope: Area | str | None, date: datetime.date, slot: str):
    """Key persons under management in `scope` (None: everywhere) without a log of `slot` on
    `date`: one query, whatever the number of persons (NOT EXISTS on the unique index)."""
    logged = HealthLog.objects.filter(key_person=OuterRef("pk"), date=date, slot=slot)
    queryset = KeyPerson.objects.filter(state=MANAGED, period_start__lte=date)
    if scope is not None:
        queryset = queryset.within(scope)
    return queryset.filter(~Exists(logged))


@transaction.atomic
def missed_log_remind(*, date: datetime.date, slot: str, scope: Area | str | None = None) -> int:
    """Record the persons of `scope` who missed `slot` on `date` and tell their grid worker,
    or their village where no grid worker holds the permission: one notification per user
    and area listing the persons not reminded before. Idempotent per person, slot and day
    (a MissedLog row each); a constant number of queries. Returns persons newly reminded."""
    reminded = MissedLog.objects.filter(key_person=OuterRef("pk"), date=date, slot=slot)
    missing = list(
        missing_queryset(scope=scope, date=date, slot=slot)
        .filter(~Exists(reminded))
        .values_list("pk", "area_id", "person__name")
        .order_by("area_id", "pk")
    )
    if not missing:
        return 0
    MissedLog.objects.bulk_create(
        [
            MissedLog(key_person_id=pk, area_id=area, date=date, slot=slot)
            for pk, area, _n in missing
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    by_area: dict[str, list[str]] = {}
    for _pk, area, name in missing:
        by_area.setdefault(area, []).append(name)
    holders = _log_holders(set(by_area))
    label = Slot(slot).label
    rows = []
    for area, names in by_area.items():
        users = _nearest(holders, area)
        if not users:
            continue
        shown = "、".join(names[:20]) + ("…" if len(names) > 20 else "")
        title = _("%(count)d persons missed the %(slot)s log of %(date)s") % {
            "count": len(names),
            "slot": label,
            "date": date,
        }
        rows.append((users, area, title, shown))
    # One insert for every area's notice (and one look for channels forwarding them).
    notifications_send_many(
        messages=[
            {
                "users": users,
                "area": area,
                "kind": Notification.Kind.MISSED_LOG,
                "title": title,
                "body": shown,
                "url": f"/monitoring/missing/?slot={slot}&area={area}",
                "target_type": "missed_log",
                "target_id": f"{date}:{slot}",
            }
            for users, area, title, shown in rows
        ]
    )
    return len(missing)


def _log_holders(areas: set[str]) -> dict[str, list]:
    """Active users holding monitoring.add_healthlog scoped to one of the villages or grids
    of `areas`, by scope code: one query."""
    codes = {code[:n] for code in areas for n in (12, 15) if len(code) >= n}
    holders: dict[str, list] = {}
    users = (
        User.objects.filter(is_active=True, scope_id__in=codes)
        .filter(
            groups__permissions__codename="add_healthlog",
            groups__permissions__content_type__app_label="monitoring",
        )
        .distinct()
    )
    for user in users:
        holders.setdefault(user.scope_id, []).append(user)
    return holders


def _nearest(holders: dict[str, list], area: str) -> list:
    for n in (15, 12):
        if len(area) >= n and holders.get(area[:n]):
            return holders[area[:n]]
    return []


def missed_log_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic task's work: remind every slot of today whose deadline has passed."""
    local = timezone.localtime(now or timezone.now())
    counts = {}
    for slot, window in slot_windows().items():
        if local.time() >= window.deadline:
            counts[slot] = missed_log_remind(date=local.date(), slot=slot)
    return counts


# -- release ----------------------------------------------------------------------------------

# Days before today whose logs must all be there and normal (both slots each day).
RELEASE_LOG_DAYS = 2
# A negative test counts if sampled this many days before the period's end, or later.
RELEASE_TEST_DAYS = 3


def release_check(*, key_person: KeyPerson, today: datetime.date | None = None) -> list[str]:
    """Why `key_person` cannot be released today (an empty list: they can)."""
    today = today or timezone.localdate()
    problems = []
    if key_person.state != MANAGED:
        return [_("The person is not under management")]
    if key_person.period_end >= today:
        problems.append(
            _("The observation period ends on %(date)s") % {"date": key_person.period_end}
        )
    days = [today - datetime.timedelta(days=n) for n in range(RELEASE_LOG_DAYS, 0, -1)]
    logs = {
        (log.date, log.slot): log
        for log in key_person.health_logs.filter(date__gte=days[0], date__lte=today)
    }
    missing = [
        f"{d} {Slot(s).label}"
        for d in days
        if d >= key_person.period_start  # days before the observation cannot be reported
        for s in Slot.values
        if (d, s) not in logs
    ]
    if missing:
        problems.append(_("Health logs missing: %(slots)s") % {"slots": "、".join(missing)})
    abnormal = [log for log in logs.values() if is_fever(log.temperature) or log.symptoms]
    if abnormal:
        problems.append(
            _("Abnormal health logs: %(logs)s")
            % {
                "logs": "、".join(
                    f"{log.date} {log.get_slot_display()} {log.temperature} °C" for log in abnormal
                )
            }
        )
    if key_person.alerts.exclude(state=Alert.State.CLOSED).exists():
        problems.append(_("An alert about the person is still open"))
    if key_person.category.requires_negative_test and not _negative_test(key_person).exists():
        problems.append(
            _("A negative nucleic-acid result sampled on %(date)s or later is needed")
            % {"date": key_person.period_end - datetime.timedelta(days=RELEASE_TEST_DAYS - 1)}
        )
    return problems


def _negative_test(key_person: KeyPerson):
    """Negative samples that count for release: sampled in the period's last days or later."""
    since = key_person.period_end - datetime.timedelta(days=RELEASE_TEST_DAYS - 1)
    return Sample.objects.filter(
        key_person=key_person, result=Sample.Result.NEGATIVE, sampled_on__gte=since
    )


@transaction.atomic
def release_confirm(
    *, actor, key_person: KeyPerson, today: datetime.date | None = None, reason: str = ""
) -> KeyPerson:
    """Release a person the checks allow: the ledger records it and numbers the notice."""
    today = today or timezone.localdate()
    key_person = (
        KeyPerson.objects.select_for_update()
        .select_related("category", "person")
        .get(pk=key_person.pk)
    )
    if actor is not None:
        require_within(actor, key_person.area_id)
    problems = release_check(key_person=key_person, today=today)
    if problems:
        raise ValidationError(problems, code="not_releasable")
    return ledger.keyperson_release(
        actor=actor,
        key_person=key_person,
        released_on=today,
        reason=reason.strip() or _("Observation completed"),
    )
