"""Every change to pushes and the key-person ledger.

The loop's guarantees live here: a push is handled once (its row is locked while it is
received or answered), a person has one open management period (a partial unique constraint
decides races the lock does not cover), every state change is a KeyPersonEvent with who, when
and why, and the inbox of whoever must act next is written in the same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import pii
from fangkong.core.models import Area
from fangkong.core.phone import normalize_phone
from fangkong.core.scope import ancestor_codes, is_within, require_within
from fangkong.inbox.models import Notification
from fangkong.inbox.services import (
    notification_notify,
    notifications_notify_many,
    notifications_resolve,
)
from fangkong.ledger.models import (
    Category,
    Contact,
    KeyPerson,
    KeyPersonEvent,
    Measure,
    Outbound,
    Policy,
    Push,
    RiskArea,
    TeamMember,
)
from fangkong.people.models import Person
from fangkong.people.services import ProtectedValues, person_create, person_protect

State = KeyPerson.State
# Which states a key person may move to from each state. Released is final: a new period is
# a new entry. A referral or a lost contact can come back under management.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.PENDING: frozenset({State.MANAGED, State.LOST}),
    State.MANAGED: frozenset({State.RELEASED, State.TRANSFERRED, State.REFERRED, State.LOST}),
    State.REFERRED: frozenset({State.MANAGED, State.TRANSFERRED}),
    State.LOST: frozenset({State.MANAGED}),
    State.TRANSFERRED: frozenset({State.MANAGED}),
    State.RELEASED: frozenset(),
}
# Leaving management for these needs a reason in the timeline.
REASON_REQUIRED = frozenset({State.TRANSFERRED, State.REFERRED, State.LOST})


def district_code(area: Area | str) -> str:
    code = area if isinstance(area, str) else area.code
    return code[:6]


def policy_for(area: Area | str) -> Policy:
    """The policy of the district `area` lies in, created with the defaults on first use."""
    code = district_code(area)
    policy, _created = Policy.objects.get_or_create(area_id=code)
    return policy


def policy_read(area: Area | str) -> Policy:
    """The policy of the district for reading: the stored row, or the defaults unsaved, so a
    page that only shows the policy writes nothing."""
    code = district_code(area)
    return Policy.objects.filter(area_id=code).first() or Policy(area_id=code)


def default_category(policy: Policy | None = None) -> Category:
    if policy is not None and policy.default_category_id and policy.default_category.active:
        return policy.default_category
    category = Category.objects.filter(active=True).first()
    if category is None:
        raise ValidationError({"category": _("No key-person category is configured")})
    return category


# Category codes (ledger.defaults) suggested for a pushed traveller by where they come from.
ORIGIN_CATEGORIES = (("42", "hubei"),)


def push_suggested_category(
    push: Push, *, by_code: dict | None = None, district_default=None
) -> Category:
    """What a received push most likely is: the push's own category, else by its origin
    (湖北 → 湖北/武汉返乡, another province → 省外返乡), else the district's default.

    A list page passes what it already holds: `by_code`, the active categories by code, and
    `district_default`, a function giving the district's default category (asked only when
    the origin decides nothing).
    """
    if push.category_id:
        return push.category
    if by_code is None:
        by_code = {c.code: c for c in Category.objects.filter(active=True)}
    origin = push.origin_region
    if origin:
        for prefix, code in ORIGIN_CATEGORIES:
            if origin.startswith(prefix) and code in by_code:
                return by_code[code]
        if origin[:2] != push.area_id[:2] and "other_province" in by_code:
            return by_code["other_province"]
    if district_default is not None:
        return district_default(push.area_id[:6])
    return default_category(policy_read(push.area_id))


def push_reasons(
    *, district: str, origin_region: str, flagged: bool, from_risk_area: bool = False
) -> list[str]:
    """Why the district's rules push a traveller (empty: they are not pushed)."""
    rules = PushRules(district=district, origin_regions=[origin_region])
    return rules.reasons(
        origin_region=origin_region, flagged=flagged, from_risk_area=from_risk_area
    )


class PushRules:
    """The district's push rules read once for several travellers (the people of a vehicle):
    the policy in one query, the risk areas covering their origins in another."""

    def __init__(self, *, district: str, origin_regions=()):
        self.district = district
        self.policy = policy_read(district)
        self.asked = {
            code for region in origin_regions if region for code in ancestor_codes(region)
        }
        self.risk: set[str] = set()
        if self.asked and self.policy.push_from_risk_areas:
            self.risk = set(
                RiskArea.objects.filter(active=True, region_code__in=self.asked).values_list(
                    "region_code", flat=True
                )
            )

    def reasons(self, *, origin_region: str, flagged: bool, from_risk_area: bool = False):
        policy, district = self.policy, self.district
        reasons = []
        if policy.push_from_other_provinces and origin_region and origin_region[:2] != district[:2]:
            reasons.append("other_province")
        if policy.push_from_risk_areas and (from_risk_area or self._in_risk_area(origin_region)):
            reasons.append("risk_area")
        if policy.push_flagged and flagged:
            reasons.append("flagged")
        return reasons

    def _in_risk_area(self, origin_region: str) -> bool:
        if not origin_region:
            return False
        covering = ancestor_codes(origin_region)
        if origin_region not in self.asked:
            return RiskArea.objects.filter(active=True, region_code__in=covering).exists()
        return not self.risk.isdisjoint(covering)


def _check_destination(area: Area, district: str | None) -> None:
    if area.level < Area.Level.VILLAGE:
        raise ValidationError({"area": _("Choose a village, community or grid")})
    if district and not is_within(area.code, district):
        raise ValidationError({"area": _("The destination is outside the district")})


@transaction.atomic
def push_create(*, actor, **fields) -> Push:
    """A person expected at `area` (a village or grid; inside `district` when given); the
    fields are those of _unsaved_push."""
    return pushes_create(actor=actor, pushes=[fields])[0]


@transaction.atomic(savepoint=False)
def pushes_create(*, actor, pushes: list[dict]) -> list[Push]:
    """Several pushes at once (the travellers of one vehicle): each checked, then one insert
    for the pushes and one for their notifications. Without a savepoint of its own: any
    error aborts the caller's whole transaction, which is what a registration wants."""
    rows = [_unsaved_push(actor=actor, **fields) for fields in pushes]
    if not rows:
        return []
    Push.objects.bulk_create(rows)
    notifications_notify_many(
        permission="ledger.receive_push",
        nearest=True,
        messages=[
            {
                "area": push.area,
                "kind": (
                    Notification.Kind.SELF_REGISTRATION
                    if push.source == Push.Source.SELF_REGISTRATION
                    else Notification.Kind.PUSH
                ),
                "title": _("%(name)s is expected at %(area)s")
                % {"name": push.name, "area": push.area.name},
                "body": push.origin,
                "target_type": "push",
                "target_id": push.pk,
            }
            for push in rows
        ],
    )
    return rows


def _unsaved_push(
    *,
    actor,
    area: Area,
    source: str,
    name: str,
    protected: ProtectedValues,
    derived: dict,
    arrived_at: datetime.datetime,
    district: str | None = None,
    origin: str = "",
    origin_region: str = "",
    address: str = "",
    reasons: list[str] | tuple = (),
    category: Category | None = None,
    source_type: str = "",
    source_id: str | int = "",
    note: str = "",
) -> Push:
    _check_destination(area, district)
    push = Push(
        area=area,
        source=source,
        name=name.strip(),
        sex=derived.get("sex", ""),
        birth_date=derived.get("birth_date"),
        native_region=derived.get("native_region", ""),
        origin=origin,
        origin_region=origin_region,
        address=address,
        arrived_at=arrived_at,
        reasons=",".join(reasons),
        category=category,
        source_type=source_type,
        source_id=str(source_id),
        note=note,
        created_by=actor,
    )
    push.set_identity(protected)
    # The related rows come in as objects the caller holds: checking that they exist would
    # cost a query each on every checkpoint registration that pushes.
    push.full_clean(exclude=["area", "created_by", "category", "redirected_from"])
    return push


def _locked_push(push: Push) -> Push:
    return Push.objects.select_for_update().get(pk=push.pk)


def _already_handled(push: Push) -> ValidationError:
    return ValidationError(
        _("This push was already handled (%(state)s)") % {"state": push.get_state_display()},
        code="already_handled",
    )


@transaction.atomic
def push_receive(
    *,
    actor,
    push: Push,
    category: Category | None = None,
    measure: str = "",
    area: Area | None = None,
    period_start: datetime.date | None = None,
    note: str = "",
) -> KeyPerson:
    """The village confirms the person is there: they enter the ledger under management.

    The push row is locked, so of two staff confirming at once the second waits and is told
    it was already received; the person is found in the registry by ID number or registered.
    """
    push = _locked_push(push)
    require_within(actor, push.area_id)
    if push.state != Push.State.PENDING:
        raise _already_handled(push)
    area = area or push.area
    if area.code[:12] != push.area_id[:12]:
        raise ValidationError({"area": _("Choose the push's village or one of its grids")})
    person = _person_for_push(actor, push, area)
    category = category or push_suggested_category(push)
    start = period_start or timezone.localtime(push.arrived_at).date()
    key_person = keyperson_create(
        actor=actor,
        person=person,
        area=area,
        category=category,
        measure=measure or category.default_measure,
        source=(
            KeyPerson.Source.SELF_REGISTRATION
            if push.source == Push.Source.SELF_REGISTRATION
            else KeyPerson.Source.CHECKPOINT
        ),
        period_start=start,
        origin=push.origin,
        note=note,
        push=push,
        reason=_("Push received"),
    )
    push.state = Push.State.RECEIVED
    push.handled_at = timezone.now()
    push.handled_by = actor
    push.save(update_fields=["state", "handled_at", "handled_by"])
    notifications_resolve(target_type="push", target_id=push.pk)
    return key_person


def _person_for_push(actor, push: Push, area: Area) -> Person:
    if push.id_number_hash:
        person = Person.objects.filter(id_number_hash=push.id_number_hash).first()
        if person is not None:
            return person
    return person_create(
        actor=None,
        area=area,
        name=push.name,
        id_number=pii.decrypt(push.id_number_encrypted) if push.id_number_encrypted else "",
        phone=pii.decrypt(push.phone_encrypted) if push.phone_encrypted else "",
        address=push.address,
    )


@transaction.atomic
def push_answer(*, actor, push: Push, answer: str, reason: str) -> Push:
    """The village cannot receive the person (not found, wrong address): the town and the
    command take it over."""
    push = _locked_push(push)
    require_within(actor, push.area_id)
    if push.state != Push.State.PENDING:
        raise _already_handled(push)
    push.state = Push.State.ANSWERED
    push.answer = answer
    push.answer_reason = reason.strip()
    push.handled_at = timezone.now()
    push.handled_by = actor
    if not push.answer_reason:
        raise ValidationError({"answer_reason": _("Say why the person cannot be received")})
    push.full_clean()
    push.save()
    notifications_resolve(target_type="push", target_id=push.pk)
    notification_notify(
        area=push.area_id,
        permission="ledger.resolve_push",
        kind=Notification.Kind.PUSH_ANSWERED,
        title=_("%(name)s could not be received: %(answer)s")
        % {"name": push.name, "answer": push.get_answer_display()},
        body=push.answer_reason,
        target_type="push",
        target_id=push.pk,
    )
    return push


@transaction.atomic
def push_redirect(*, actor, push: Push, area: Area, reason: str) -> Push:
    """Send an open push to the right village; the new push starts pending there."""
    push = _locked_push(push)
    require_within(actor, push.area_id)
    require_within(actor, area.code)
    if not push.is_open:
        raise _already_handled(push)
    if area.code == push.area_id:
        raise ValidationError({"area": _("Choose another village or grid")})
    if not reason.strip():
        raise ValidationError({"reason": _("This field is required.")})
    push.state = Push.State.REDIRECTED
    push.handled_at = timezone.now()
    push.handled_by = actor
    push.answer_reason = "\n".join(filter(None, [push.answer_reason, reason.strip()]))
    push.save(update_fields=["state", "handled_at", "handled_by", "answer_reason"])
    notifications_resolve(target_type="push", target_id=push.pk)
    new = push_create(
        actor=actor,
        area=area,
        source=Push.Source.REDIRECT,
        name=push.name,
        protected=ProtectedValues(
            **{name: getattr(push, name) for name in ProtectedValues._fields}
        ),
        derived={
            "sex": push.sex,
            "birth_date": push.birth_date,
            "native_region": push.native_region,
        },
        arrived_at=push.arrived_at,
        district=district_code(push.area_id),
        origin=push.origin,
        origin_region=push.origin_region,
        address=push.address,
        reasons=push.reasons.split(",") if push.reasons else (),
        category=push.category,
        source_type=push.source_type,
        source_id=push.source_id,
        note=reason.strip(),
    )
    new.redirected_from = push
    new.save(update_fields=["redirected_from"])
    return new


@transaction.atomic
def push_close(*, actor, push: Push, reason: str) -> Push:
    """End an answered push that no village will receive (left the district, duplicate)."""
    push = _locked_push(push)
    require_within(actor, push.area_id)
    if push.state != Push.State.ANSWERED:
        raise _already_handled(push)
    if not reason.strip():
        raise ValidationError({"reason": _("This field is required.")})
    push.state = Push.State.CLOSED
    push.handled_at = timezone.now()
    push.handled_by = actor
    push.answer_reason = "\n".join(filter(None, [push.answer_reason, reason.strip()]))
    push.save(update_fields=["state", "handled_at", "handled_by", "answer_reason"])
    notifications_resolve(target_type="push", target_id=push.pk)
    return push


@transaction.atomic(savepoint=False)
def outbound_create(
    *,
    area: Area | str,
    name: str,
    protected: ProtectedValues,
    destination: str,
    passed_at: datetime.datetime,
    destination_region: str = "",
    origin: str = "",
    reasons: list[str] | tuple = (),
    source_type: str = "",
    source_id: str | int = "",
) -> Outbound:
    """A traveller bound for somewhere outside the district, for the 协查 list."""
    outbound = Outbound(
        area_id=area if isinstance(area, str) else area.code,
        name=name.strip(),
        destination=destination.strip(),
        destination_region=destination_region,
        origin=origin,
        passed_at=passed_at,
        reasons=",".join(reasons),
        source_type=source_type,
        source_id=str(source_id),
    )
    outbound.set_identity(protected)
    outbound.full_clean()
    outbound.save()
    return outbound


def _event(key_person: KeyPerson, *, actor, kind: str, reason: str = "", **fields):
    return KeyPersonEvent.objects.create(
        key_person=key_person,
        area_id=key_person.area_id,
        kind=kind,
        actor=actor,
        actor_name=str(actor) if actor is not None else _("system"),
        reason=reason,
        **fields,
    )


def period_end(start: datetime.date, category: Category) -> datetime.date:
    """Last day of observation: day 1 is the day of arrival, so 14 days end on day 14."""
    return start + datetime.timedelta(days=category.observation_days - 1)


@transaction.atomic
def keyperson_create(
    *,
    actor,
    person: Person,
    category: Category,
    measure: str,
    source: str,
    period_start: datetime.date,
    area: Area | None = None,
    state: str = State.MANAGED,
    origin: str = "",
    note: str = "",
    push: Push | None = None,
    reason: str = "",
) -> KeyPerson:
    """Enter a person in the ledger (pending or under management)."""
    area = area or person.area
    require_within(actor, area.code)
    if area.level < Area.Level.VILLAGE:
        raise ValidationError({"area": _("Choose a village, community or grid")})
    if state not in (State.PENDING, State.MANAGED):
        raise ValidationError({"state": _("A new entry is awaiting receipt or under management")})
    if period_start > timezone.localdate():
        raise ValidationError({"period_start": _("The date cannot be in the future")})
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure")})
    if KeyPerson.objects.filter(person=person, state__in=[State.PENDING, State.MANAGED]).exists():
        raise _already_managed()
    key_person = KeyPerson(
        person=person,
        area=area,
        category=category,
        measure=measure,
        state=state,
        source=source,
        push=push,
        origin=origin,
        period_start=period_start,
        period_end=period_end(period_start, category),
        state_changed_at=timezone.now(),
        note=note,
        created_by=actor,
    )
    key_person.full_clean(exclude=["push"])
    try:
        with transaction.atomic():
            key_person.save()
    except IntegrityError:
        # Another entry for the same person was committed between the check and the insert.
        raise _already_managed() from None
    _event(key_person, actor=actor, kind=KeyPersonEvent.Kind.STATE, to_state=state, reason=reason)
    return key_person


def _already_managed() -> ValidationError:
    return ValidationError(
        {"person": _("This person is already in the ledger awaiting receipt or under management")},
    )


@transaction.atomic
def keyperson_transition(
    *, actor, key_person: KeyPerson, to_state: str, reason: str = ""
) -> KeyPerson:
    """Move a key person to another state, refusing moves the ledger does not allow.

    Release goes through `keyperson_release`, which records the notice; monitoring's release
    service checks the period, the logs and the test before calling it.
    """
    if to_state == State.RELEASED:
        raise ValidationError({"state": _("Release a person from the release list")})
    return _transition(actor=actor, key_person=key_person, to_state=to_state, reason=reason)


def _transition(*, actor, key_person: KeyPerson, to_state: str, reason: str) -> KeyPerson:
    key_person = KeyPerson.objects.select_for_update().get(pk=key_person.pk)
    require_within(actor, key_person.area_id)
    allowed = TRANSITIONS.get(key_person.state, frozenset())
    if to_state not in allowed:
        raise ValidationError(
            {
                "state": _("A person %(from)s cannot become %(to)s")
                % {
                    "from": key_person.get_state_display(),
                    "to": State(to_state).label if to_state in State.values else to_state,
                }
            },
            code="illegal_transition",
        )
    reason = reason.strip()
    if to_state in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Say why")})
    if (
        to_state == State.MANAGED
        and KeyPerson.objects.filter(
            person_id=key_person.person_id, state__in=[State.PENDING, State.MANAGED]
        )
        .exclude(pk=key_person.pk)
        .exists()
    ):
        raise _already_managed()
    from_state = key_person.state
    key_person.state = to_state
    key_person.state_changed_at = timezone.now()
    key_person.save(update_fields=["state", "state_changed_at"])
    _event(
        key_person,
        actor=actor,
        kind=KeyPersonEvent.Kind.STATE,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    return key_person


@transaction.atomic
def keyperson_release(
    *, actor, key_person: KeyPerson, released_on: datetime.date, reason: str = ""
) -> KeyPerson:
    """Record the release and give it its notice number (district-year-sequence)."""
    key_person = _transition(
        actor=actor, key_person=key_person, to_state=State.RELEASED, reason=reason
    )
    prefix = f"{district_code(key_person.area_id)}-{released_on.year}-"
    # Notice numbers run per district and year: the district's policy row is the lock that
    # keeps two releases from taking the same number.
    policy = policy_for(key_person.area_id)
    Policy.objects.select_for_update().filter(pk=policy.pk).first()
    last = (
        KeyPerson.objects.filter(release_notice_no__startswith=prefix)
        .order_by("-release_notice_no")
        .values_list("release_notice_no", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    key_person.released_on = released_on
    key_person.release_notice_no = f"{prefix}{number:06d}"
    key_person.link_version += 1
    key_person.save(update_fields=["released_on", "release_notice_no", "link_version"])
    notifications_resolve(target_type="key_person", target_id=key_person.pk)
    return key_person


@transaction.atomic
def keyperson_change_measure(
    *, actor, key_person: KeyPerson, measure: str, reason: str
) -> KeyPerson:
    key_person = KeyPerson.objects.select_for_update().get(pk=key_person.pk)
    require_within(actor, key_person.area_id)
    if not key_person.is_open:
        raise ValidationError({"measure": _("The person is no longer under management")})
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure")})
    if measure == key_person.measure:
        return key_person
    previous = key_person.get_measure_display()
    key_person.measure = measure
    key_person.save(update_fields=["measure"])
    _event(
        key_person,
        actor=actor,
        kind=KeyPersonEvent.Kind.MEASURE,
        reason=f"{previous} → {key_person.get_measure_display()}: {reason.strip()}".rstrip(": "),
    )
    return key_person


# -- overdue pushes --------------------------------------------------------------------------


def overdue_condition(*, now: datetime.datetime, scope: str | None = None):
    """Q selecting pending pushes older than their district's `receipt_overdue_hours`.

    Districts differ in their policy, so the cutoff is one OR-term per district that has a
    policy row, and the default for the rest; one query answers any scope.
    """
    from django.db.models import Q

    from fangkong.core.scope import scope_filter

    default_hours = Policy._meta.get_field("receipt_overdue_hours").default
    policies = Policy.objects.all()
    if scope:
        # Policies of districts under the scope, or of the scope's own district.
        policies = policies.filter(scope_filter("area", scope) | Q(area_id=scope[:6]))
    condition = Q()
    covered = Q()
    for code, hours in policies.values_list("area_id", "receipt_overdue_hours"):
        district = scope_filter("area", code)
        condition |= district & Q(created_at__lt=now - datetime.timedelta(hours=hours))
        covered |= district
    rest = Q(created_at__lt=now - datetime.timedelta(hours=default_hours))
    if covered:
        rest &= ~covered
    return Q(state=Push.State.PENDING) & (condition | rest)


def push_notify_overdue(*, now: datetime.datetime | None = None) -> int:
    """Tell the town and the command about pushes that became overdue; each push once.

    Idempotent and safe to run twice at once: a push is claimed by the conditional update
    of its `overdue_notified_at`, and only the run that claimed it writes the notification.
    """
    now = now or timezone.now()
    candidates = list(
        Push.objects.filter(overdue_condition(now=now), overdue_notified_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    told = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = Push.objects.filter(
                pk=pk, state=Push.State.PENDING, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            push = Push.objects.select_related("area").get(pk=pk)
            notification_notify(
                area=push.area_id,
                permission="ledger.resolve_push",
                kind=Notification.Kind.PUSH_OVERDUE,
                title=_("%(name)s has not been received by %(area)s")
                % {"name": push.name, "area": push.area.name},
                body=push.origin,
                target_type="push",
                target_id=push.pk,
            )
            told += 1
    return told


# -- outbound 协查 ------------------------------------------------------------------------------


@transaction.atomic
def outbound_mark_sent(*, actor, outbound: Outbound) -> Outbound:
    """The 协查 notice went to the destination's authorities."""
    outbound = Outbound.objects.select_for_update().get(pk=outbound.pk)
    require_within(actor, outbound.area_id)
    if outbound.sent_at is not None:
        raise ValidationError(_("This notice was already marked as sent"), code="already_sent")
    outbound.sent_at = timezone.now()
    outbound.sent_by = actor
    outbound.save(update_fields=["sent_at", "sent_by"])
    return outbound


# -- self-registration (返乡登记) ----------------------------------------------------------------

# How far back a returning resident may date their arrival.
SELF_REGISTRATION_MAX_DAYS = 30


@transaction.atomic
def selfregistration_submit(
    *,
    district: str,
    area: Area,
    name: str,
    id_number: str,
    phone: str,
    origin: str,
    arrived_on: datetime.date,
    address: str = "",
    origin_region: str = "",
    today: datetime.date | None = None,
) -> Push | None:
    """A returning resident's own registration: a push awaiting the village's confirmation.

    Answers the same way whether or not the person is known: a repeat of a registration
    still awaiting the village returns None and writes nothing, so the public page can tell
    nothing about existing records.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    if not id_number.strip():
        errors["id_number"] = [_("This field is required.")]
    if not phone.strip():
        errors["phone"] = [_("This field is required.")]
    if arrived_on > today:
        errors["arrived_on"] = [_("The date cannot be in the future")]
    elif arrived_on < today - datetime.timedelta(days=SELF_REGISTRATION_MAX_DAYS):
        errors["arrived_on"] = [
            _("Register within %(days)d days of arrival; older arrivals are entered by the village")
            % {"days": SELF_REGISTRATION_MAX_DAYS}
        ]
    if area.level != Area.Level.VILLAGE or not is_within(area.code, district):
        errors["area"] = [_("Choose a village or community of this district")]
    protected = derived = None
    if id_number.strip() and phone.strip():
        try:
            protected, derived = person_protect(id_number=id_number, phone=phone, today=today)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if Push.objects.filter(
        id_number_hash=protected.id_number_hash,
        area_id=area.code,
        state=Push.State.PENDING,
        source=Push.Source.SELF_REGISTRATION,
    ).exists():
        return None
    from fangkong.core.forms import day_start

    return push_create(
        actor=None,
        area=area,
        source=Push.Source.SELF_REGISTRATION,
        name=name,
        protected=protected,
        derived=derived,
        arrived_at=day_start(arrived_on),
        district=district,
        origin=origin.strip(),
        origin_region=origin_region,
        address=address.strip(),
        reasons=["self"],
    )


# -- key persons: team, contacts ---------------------------------------------------------------


@transaction.atomic
def team_member_set(
    *, actor, key_person: KeyPerson, role: str, name: str = "", phone: str = "", user=None
) -> TeamMember:
    """Put someone in one role of a key person's 五包一 team (replacing who held it)."""
    key_person = KeyPerson.objects.select_for_update().get(pk=key_person.pk)
    require_within(actor, key_person.area_id)
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Choose a role")})
    if user is not None:
        # A member with an account sees the person under "my persons": only someone whose
        # scope covers the person may be chosen.
        if not user.is_active or not is_within(key_person.area_id, user.scope_id):
            raise ValidationError({"user": _("This account cannot see the person")})
        name = name.strip() or user.display_name
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give a name or choose an account")})
    phone = phone.strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    member, created = TeamMember.objects.update_or_create(
        key_person=key_person,
        role=role,
        defaults={"area_id": key_person.area_id, "user": user, "name": name, "phone": phone},
    )
    member.full_clean()
    _event(
        key_person,
        actor=actor,
        kind=KeyPersonEvent.Kind.TEAM,
        reason=f"{member.get_role_display()}: {name}",
    )
    return member


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember) -> None:
    key_person = KeyPerson.objects.select_for_update().get(pk=member.key_person_id)
    require_within(actor, key_person.area_id)
    label = f"{member.get_role_display()}: {member.name}"
    TeamMember.objects.filter(pk=member.pk).delete()
    _event(
        key_person,
        actor=actor,
        kind=KeyPersonEvent.Kind.TEAM,
        reason=_("%(member)s removed") % {"member": label},
    )


CONTACT_CATEGORIES = {
    Contact.Degree.CLOSE: "close_contact",
    Contact.Degree.SECONDARY: "secondary_contact",
}


@transaction.atomic
def contact_link(
    *,
    actor,
    source: Person,
    contact: Person,
    degree: str,
    relation: str = "",
    last_contact_on: datetime.date | None = None,
    note: str = "",
    enter_ledger: bool = False,
) -> Contact:
    """Record that `contact` met `source` (a case, a suspect or a contact); optionally enter
    the contact in the ledger under the contact category of its degree."""
    require_within(actor, contact.area_id)
    require_within(actor, source.area_id)
    if source.pk == contact.pk:
        raise ValidationError({"contact": _("A person cannot be their own contact")})
    if degree not in Contact.Degree.values:
        raise ValidationError({"degree": _("Choose a degree")})
    today = timezone.localdate()
    if last_contact_on and last_contact_on > today:
        raise ValidationError({"last_contact_on": _("The date cannot be in the future")})
    if Contact.objects.filter(source=source, contact=contact).exists():
        raise ValidationError({"contact": _("This contact is already linked")})
    link = Contact(
        source=source,
        contact=contact,
        area_id=contact.area_id,
        degree=degree,
        relation=relation.strip(),
        last_contact_on=last_contact_on,
        note=note.strip(),
        created_by=actor,
    )
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError({"contact": _("This contact is already linked")}) from None
    if (
        enter_ledger
        and not KeyPerson.objects.filter(
            person=contact, state__in=[State.PENDING, State.MANAGED]
        ).exists()
    ):
        category = Category.objects.filter(code=CONTACT_CATEGORIES[degree], active=True).first()
        category = category or default_category(policy_read(contact.area_id))
        keyperson_create(
            actor=actor,
            person=contact,
            category=category,
            measure=category.default_measure,
            source=KeyPerson.Source.CONTACT_TRACING,
            # Observation counts from the last contact (DESIGN: 14 days after exposure).
            period_start=last_contact_on or today,
            origin=source.name,
            reason=_("Contact of %(name)s") % {"name": source.name},
        )
    return link


# -- configuration -----------------------------------------------------------------------------

CATEGORY_FIELDS = (
    "name",
    "observation_days",
    "default_measure",
    "requires_negative_test",
    "order",
    "active",
)


@transaction.atomic
def category_save(*, actor, category: Category | None = None, code: str = "", **fields) -> Category:
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    if category is None:
        category = Category(code=code)
    else:
        category = Category.objects.select_for_update().get(pk=category.pk)
    for name, value in fields.items():
        setattr(category, name, value.strip() if isinstance(value, str) else value)
    if category.observation_days is not None and not 1 <= category.observation_days <= 60:
        raise ValidationError({"observation_days": _("Between 1 and 60 days")})
    category.full_clean()
    category.save()
    return category


POLICY_FIELDS = (
    "push_from_other_provinces",
    "push_from_risk_areas",
    "push_flagged",
    "receipt_overdue_hours",
    "default_category",
)


@transaction.atomic
def policy_update(*, actor, policy: Policy, **fields) -> Policy:
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    require_within(actor, policy.area_id)
    for name, value in fields.items():
        setattr(policy, name, value)
    if not 1 <= policy.receipt_overdue_hours <= 168:
        raise ValidationError({"receipt_overdue_hours": _("Between 1 and 168 hours")})
    if policy.default_category is not None and not policy.default_category.active:
        raise ValidationError({"default_category": _("Choose an active category")})
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def riskarea_create(
    *, actor, region_code: str, name: str, level: str, listed_on: datetime.date | None = None
) -> RiskArea:
    region_code = region_code.strip()
    if not region_code.isdigit() or len(region_code) not in (2, 4, 6, 9, 12):
        raise ValidationError({"region_code": _("A statistics code of 2, 4, 6, 9 or 12 digits")})
    listed_on = listed_on or timezone.localdate()
    if listed_on > timezone.localdate():
        raise ValidationError({"listed_on": _("The date cannot be in the future")})
    if RiskArea.objects.filter(region_code=region_code, active=True).exists():
        raise ValidationError({"region_code": _("This region is already listed")})
    risk = RiskArea(region_code=region_code, name=name.strip(), level=level, listed_on=listed_on)
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def riskarea_deactivate(*, actor, risk_area: RiskArea) -> RiskArea:
    risk_area = RiskArea.objects.select_for_update().get(pk=risk_area.pk)
    if risk_area.active:
        risk_area.active = False
        risk_area.save(update_fields=["active"])
    return risk_area
