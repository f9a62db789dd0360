"""The figures of a daily report the system already knows, computed from live data.

Read from the ledger, monitoring and checkpoint models directly: these are counts over
indexed columns, one query per source whatever the data size. `supplies_used` is not computed
(there is no supplies module yet): the village enters it.
"""

import datetime

from django.db.models import Count, Q

from fangkong.checkpoints.models import Outcome, Registration, VehicleCheck
from fangkong.core.forms import day_start
from fangkong.ledger.models import KeyPerson, KeyPersonEvent, Measure, Push
from fangkong.monitoring.models import Alert
from fangkong.reporting.form import COMPUTED_KEYS

FEVER_KINDS = (Alert.Kind.FEVER, Alert.Kind.CHECKPOINT_FEVER)
# States a management period ends in.
ENDED = (
    KeyPerson.State.RELEASED,
    KeyPerson.State.TRANSFERRED,
    KeyPerson.State.REFERRED,
    KeyPerson.State.LOST,
)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return day_start(day), day_start(day + datetime.timedelta(days=1))


def computed_figures(*, area_code: str, date: datetime.date) -> dict[str, int]:
    """{field key: figure} of the unit `area_code` (and everything under it) on `date`."""
    start, end = day_bounds(date)
    figures = dict.fromkeys(COMPUTED_KEYS, 0)

    figures["pushes_received"] = (
        Push.objects.within(area_code)
        .filter(state=Push.State.RECEIVED, handled_at__gte=start, handled_at__lt=end)
        .count()
    )
    # Entering management is the state event to "managed", whether the entry was created
    # managed or a pending one was received.
    figures["new_returnees"] = (
        KeyPersonEvent.objects.within(area_code)
        .filter(
            kind=KeyPersonEvent.Kind.STATE,
            to_state=KeyPerson.State.MANAGED,
            at__gte=start,
            at__lt=end,
        )
        .values("key_person_id")
        .distinct()
        .count()
    )
    # Under management on `date`: entered by then, and still managed or left after that day
    # (so a past day's report computes the same figure as on the day).
    under = (
        KeyPerson.objects.within(area_code)
        .filter(period_start__lte=date, created_at__lt=end)
        .filter(Q(state=KeyPerson.State.MANAGED) | Q(state__in=ENDED, state_changed_at__gte=end))
        .aggregate(
            home=Count("id", filter=Q(measure=Measure.HOME_ISOLATION)),
            central=Count("id", filter=Q(measure=Measure.CENTRAL_ISOLATION)),
        )
    )
    figures["home_observation"] = under["home"]
    figures["centralized_observation"] = under["central"]
    figures["fever_referrals"] = (
        Alert.objects.within(area_code)
        .filter(kind__in=FEVER_KINDS, raised_at__gte=start, raised_at__lt=end)
        .count()
    )
    figures["checkpoint_vehicles"] = (
        VehicleCheck.objects.within(area_code).filter(duty_date=date).count()
    )
    persons = (
        Registration.objects.within(area_code)
        .filter(vehicle__duty_date=date)
        .aggregate(n=Count("id"), back=Count("id", filter=Q(outcome=Outcome.TURNED_BACK)))
    )
    figures["checkpoint_persons"] = persons["n"]
    figures["turned_back"] = persons["back"]
    return figures
