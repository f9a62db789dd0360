from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scope import ScopedQuerySet


class AreaQuerySet(ScopedQuerySet):
    scope_field = "code"


class Area(models.Model):
    """A node of the division tree, keyed by its statistics code at significant length."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")
        TOWN = 4, _("town")
        VILLAGE = 5, _("village")
        GRID = 6, _("grid")

    code = models.CharField(_("code"), max_length=15, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Lower-case pinyin without tones and its initials, so "xd" or "xindian" find 辛店街道.
    pinyin = models.CharField(_("pinyin"), max_length=400, blank=True)
    initials = models.CharField(_("initials"), max_length=100, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            models.Index(fields=["parent", "code"], name="area_parent_code"),
            models.Index(fields=["name"], name="area_name"),
            models.Index(fields=["initials"], name="area_initials"),
        ]

    def __str__(self):
        return self.name

    @property
    def statistics_code(self) -> str:
        """The 12-digit code as published; grids have none of their own."""
        return self.code.ljust(12, "0") if len(self.code) <= 12 else self.code


class AccessLog(models.Model):
    """Who saw or took personal data, when and from where (个人信息保护法 audit trail).

    Written explicitly by the services that reveal, export or import personal data, never by
    a signal, so the row describes the business action rather than a database write.
    """

    class Action(models.TextChoices):
        REVEAL = "reveal", _("reveal")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # None for the command line (run by whoever operates the server) and for a deleted user;
    # actor_name then says which.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.CharField(_("object id"), max_length=50, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    fields = models.CharField(_("fields"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("client"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["area", "at"], name="accesslog_area_at")]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.target_type} {self.target_id}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundJob(models.Model):
    """A unit of background work (import or export) whose progress a page polls."""

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    # What the running job is doing now ("validating", "writing"), shown beside the bar.
    phase = models.CharField(_("phase"), max_length=16, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The requester's language (messages and sheets are written in it by the worker) and
    # origin (recorded in the access log entry the job writes).
    language = models.CharField(_("language"), max_length=16, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("client"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class ImportJob(BackgroundJob):
    """An uploaded workbook and what became of it."""

    # Deleted once the job has run: the upload holds ID numbers in clear.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    created_rows = models.PositiveIntegerField(_("created"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    error_file = models.FileField(_("error sheet"), upload_to="imports/errors/%Y/%m/", blank=True)
    # The first errors ({"row", "column", "message"}) for the job page; all are in error_file.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class ExportJob(BackgroundJob):
    """An export of one list within the requester's scope, written in batches to a file."""

    # The list filters as submitted, replayed by the task against the same scoped selector.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    reveal = models.BooleanField(_("unmasked"), default=False)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.kind} #{self.pk}"
