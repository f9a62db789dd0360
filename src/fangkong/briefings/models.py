"""工作简报: one numbered briefing per area and day, generated from the command's figures."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class Briefing(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    # The issuing area: the district, or a town for its own briefing.
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    date = models.DateField(_("date"))
    # 第N期: per area and year of `date`, from BriefingCounter under its row lock.
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    office = models.CharField(_("issuing office"), max_length=100)
    report_to = models.CharField(_("report to"), max_length=300, blank=True)
    send_to = models.CharField(_("send to"), max_length=300, blank=True)
    copies = models.PositiveIntegerField(_("copies printed"), null=True, blank=True)
    # [{"key", "heading", "text"}] in document order; the office edits "text" while a draft.
    sections = models.JSONField(_("sections"), default=list)
    # figures() of the day as it was at generation, so a published briefing never changes.
    figures = models.JSONField(_("figures"), default=dict, encoder=DjangoJSONEncoder)
    # The sections' text in one column, for the archive's search.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        permissions = [
            ("approve_briefing", _("Can approve briefings")),
            ("publish_briefing", _("Can publish briefings")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["area", "date"], name="briefing_area_date_unique"),
            models.UniqueConstraint(
                fields=["area", "year", "sequence"], name="briefing_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.area_id} {self.number}"

    @property
    def number(self) -> str:
        return f"第{self.sequence}期"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class BriefingCounter(models.Model):
    """The last number given per area and year; its row is the lock of numbering."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="briefing_counter_unique")
        ]

    def __str__(self):
        return f"{self.area_id} {self.year}: {self.last}"
