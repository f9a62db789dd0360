"""Pre-aggregation of the command's figures (docs/stats.md, "Aggregation").

`figures_aggregate` moves an aggregation (through, as_of) forward: it adds to DailyFigure the
source rows that the new position settles and the old one did not, so a run counts every row
once whatever how often it runs: the rows of the newly closed days, and the rows of earlier
days recorded late (an offline checkpoint phone syncing the day after) since the last run.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.command.models import Aggregation, DailyFigure
from fangkong.command.selectors import AREA_KEYS, CHECKPOINT_PREFIX, SOURCES
from fangkong.core.models import Area
from fangkong.core.scope import CODE_LENGTHS, scope_filter

# Rows written in the last minutes may still sit in an open transaction, invisible to the
# run; they are left to the live count (and the next run) by settling only older ones.
SETTLE_MARGIN = datetime.timedelta(minutes=5)


def _roots(area_code: str | None) -> list[str]:
    if area_code is None:
        return list(Area.objects.filter(parent__isnull=True).values_list("code", flat=True))
    if not Area.objects.filter(code=area_code).exists():
        raise ValidationError({"area": _("Unknown area")})
    # Nested aggregations would count the rows below the inner root twice.
    nested = Aggregation.objects.exclude(area_id=area_code).filter(
        scope_filter("area", area_code)
        | Q(area_id__in=[area_code[:n] for n in CODE_LENGTHS if n < len(area_code)])
    )
    if nested.exists():
        raise ValidationError({"area": _("Another aggregation already covers this area")})
    return [area_code]


def figures_aggregate(
    *, date: datetime.date | None = None, area_code: str | None = None, rebuild: bool = False
) -> dict:
    """Settle every source row of a day up to `date` (default: yesterday; today is never
    closed) recorded more than SETTLE_MARGIN ago, under `area_code` (default: every root of
    the area tree). `rebuild` drops the rows and counts from scratch. Returns, per root, the
    number of DailyFigure rows written."""
    today = timezone.localdate()
    date = date or today - datetime.timedelta(days=1)
    if date >= today:
        raise ValidationError({"date": _("Only days before today can be closed")})
    as_of = timezone.now() - SETTLE_MARGIN
    return {code: _aggregate(code, date, as_of, rebuild) for code in _roots(area_code)}


@transaction.atomic
def _aggregate(root: str, through: datetime.date, as_of: datetime.datetime, rebuild: bool):
    aggregation = Aggregation.objects.select_for_update().filter(area_id=root).first()
    if rebuild and aggregation is not None:
        DailyFigure.objects.within(root).delete()
        aggregation.delete()
        aggregation = None
    if aggregation is not None:
        # Never move back: a second run with an earlier day or clock settles nothing new.
        through = max(through, aggregation.through)
        as_of = max(as_of, aggregation.as_of)
    delta: dict[tuple[str, datetime.date, str], int] = defaultdict(int)
    for source in SOURCES:
        condition = source.settled(through, as_of)
        if aggregation is not None:
            condition &= source.unsettled(aggregation.through, aggregation.as_of, through)
        for area_id, day, checkpoint_id, counts in source.rows(condition, root):
            # Every area from the row's own up to the root holds the count of its subtree.
            codes = [area_id[:n] for n in CODE_LENGTHS if len(root) <= n <= len(area_id)]
            for key, value in counts.items():
                for code in codes:
                    if key in AREA_KEYS:
                        delta[code, day, key] += value
                    if checkpoint_id is not None:
                        delta[code, day, f"{CHECKPOINT_PREFIX}{checkpoint_id}.{key}"] += value
    written = _add(root, delta)
    Aggregation.objects.update_or_create(
        area_id=root, defaults={"through": through, "as_of": as_of}
    )
    return written


def _add(root: str, delta: dict) -> int:
    if not delta:
        return 0
    days = sorted({day for _code, day, _key in delta})
    existing = {
        (f.area_id, f.date, f.key): f
        for f in DailyFigure.objects.within(root).filter(date__in=days)
    }
    changed, new = [], []
    for (code, day, key), value in delta.items():
        figure = existing.get((code, day, key))
        if figure is None:
            new.append(DailyFigure(area_id=code, date=day, key=key, value=value))
        else:
            figure.value += value
            changed.append(figure)
    DailyFigure.objects.bulk_update(changed, ["value"], batch_size=2000)
    DailyFigure.objects.bulk_create(new, batch_size=2000)
    return len(changed) + len(new)
