"""The command's figures are read from the other modules' tables (selectors.figures). The one
table of its own holds figures pre-aggregated per area and day, for a province whose live
aggregates would grow with its 60 000 villages (bench/dashboard_stats.py); its Meta carries
the permission that opens the dashboard and the figures API."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class DailyFigure(models.Model):
    """One figure (`key`, e.g. "persons") of one area and day."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    date = models.DateField(_("date"))
    key = models.CharField(_("figure"), max_length=40)
    value = models.BigIntegerField(_("value"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "date", "key"]
        default_permissions = ()
        permissions = [("view_dashboard", _("Can view the command dashboard and figures"))]
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["area", "date", "key"], name="dailyfigure_unique")
        ]

    def __str__(self):
        return f"{self.area_id} {self.date} {self.key}={self.value}"


class Aggregation(models.Model):
    """How far the DailyFigure rows under `area` (the root of one aggregation) reach: they
    count exactly the source rows of a day up to `through` that were recorded up to `as_of`.
    figures() counts everything else live, so the sum is the live count (docs/stats.md)."""

    area = models.OneToOneField(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, primary_key=True
    )
    through = models.DateField(_("aggregated through"))
    as_of = models.DateTimeField(_("rows recorded up to"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("figure aggregation")
        verbose_name_plural = _("figure aggregations")

    def __str__(self):
        return f"{self.area_id} through {self.through} as of {self.as_of:%Y-%m-%d %H:%M}"
