"""Checkpoints (卡口) and what their staff register: vehicles and every person in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet
from fangkong.people.models import Person, ProtectedIdentity


class Checkpoint(models.Model):
    class Level(models.IntegerChoices):
        COUNTY = 1, _("level 1: county border")
        TOWN = 2, _("level 2: town")
        VILLAGE = 3, _("level 3: village")
        COMPOUND = 4, _("level 4: residential compound")

    class Kind(models.TextChoices):
        HIGHWAY_EXIT = "highway_exit", _("highway exit")
        NATIONAL_ROAD = "national_road", _("national or provincial road")
        RAILWAY_STATION = "railway_station", _("railway station")
        AIRPORT = "airport", _("airport")
        ROAD = "road", _("road")
        VILLAGE_ENTRANCE = "village_entrance", _("village entrance")
        COMPOUND_GATE = "compound_gate", _("compound gate")

    # The town, village or grid it stands in: its registrations are in that scope.
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="checkpoints"
    )
    # Part of the signed QR code of the pre-fill page; bumped to invalidate printed codes.
    qr_version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["level", "area_id", "name"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self):
        return self.name


class Shift(models.Model):
    """A duty shift of a checkpoint (早班 08:00–16:00); registrations are counted per shift."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="shifts")
    name = models.CharField(_("name"), max_length=20)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        ordering = ["checkpoint_id", "starts"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    PASS = "pass", _("passed")
    TURNED_BACK = "turned_back", _("turned back")
    FEVER_REFERRAL = "fever_referral", _("referred to fever clinic")
    CENTRALIZED = "centralized", _("centralized observation")


class VehicleCheck(models.Model):
    """One vehicle (or pedestrian group) checked at a checkpoint, with all its occupants."""

    class VehicleKind(models.TextChoices):
        CAR = "car", _("car")
        TRUCK = "truck", _("truck")
        BUS = "bus", _("bus")
        MOTORCYCLE = "motorcycle", _("motorcycle or e-bike")
        ON_FOOT = "on_foot", _("on foot")

    class Direction(models.TextChoices):
        IN = "in", _("entering")
        OUT = "out", _("leaving")

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.PROTECT, related_name="checks"
    )
    # The checkpoint's area, copied so scoped queries need no join.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.SET_NULL
    )
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    # The day of the shift (an overnight shift's early hours count to the day it started):
    # counts are per checkpoint, shift and this day.
    duty_date = models.DateField(_("duty day"))
    plate = models.CharField(_("plate"), max_length=10, blank=True)
    # Where the plate is registered (鲁C → 山东省淄博市), derived from the plate.
    plate_region = models.CharField(_("plate region"), max_length=50, blank=True)
    vehicle_kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.IN
    )
    # True when every occupant was turned back.
    turned_back = models.BooleanField(_("vehicle turned back"), default=False)
    # A phone's retry of the same submission carries the same key and is stored once.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("vehicle check")
        verbose_name_plural = _("vehicle checks")
        permissions = [
            ("import_registrations", _("Can import checkpoint registrations")),
            ("export_registrations", _("Can export checkpoint registrations")),
        ]
        indexes = [
            models.Index(fields=["area", "checked_at"], name="vehiclecheck_area_at"),
            models.Index(fields=["checkpoint", "duty_date"], name="vehiclecheck_cp_day"),
            # The command's figures count live only the days not yet aggregated and the rows
            # recorded since the last run (command.selectors.Source.unsettled).
            models.Index(fields=["duty_date"], name="vehiclecheck_day"),
            models.Index(fields=["created_at"], name="vehiclecheck_created"),
        ]

    def __str__(self):
        return self.plate or str(self.pk)


class Registration(ProtectedIdentity):
    """一问一测一告知六登记 for one person of a vehicle check."""

    vehicle = models.ForeignKey(VehicleCheck, on_delete=models.CASCADE, related_name="occupants")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    checked_at = models.DateTimeField(_("checked at"))
    is_driver = models.BooleanField(_("driver"), default=False)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    native_region = models.CharField(_("native region"), max_length=6, blank=True)
    # 问: the last 14 days.
    origin = models.CharField(_("coming from"), max_length=200)
    origin_region = models.CharField(_("origin region code"), max_length=12, blank=True)
    travel_history = models.CharField(_("travel in the last 14 days"), max_length=300, blank=True)
    from_risk_area = models.BooleanField(_("been in a risk area"), default=False)
    case_contact = models.BooleanField(_("contact with cases"), default=False)
    # 测.
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    # 告知.
    notice_given = models.BooleanField(_("health notice handed over"), default=False)
    # Where to: an area of the district (then pushed there) or an address elsewhere.
    destination_area = models.ForeignKey(
        Area,
        verbose_name=_("destination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination_address = models.CharField(_("destination address"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    # Staff may flag a person for a push whatever the rules say.
    flagged = models.BooleanField(_("flagged for push"), default=False)
    pushed = models.BooleanField(_("pushed"), default=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["area", "checked_at"], name="registration_area_at")]

    def __str__(self):
        return self.name


class Prefill(ProtectedIdentity):
    """What a traveller entered on their own phone from the checkpoint's QR code, waiting for
    the staff to confirm it and take the temperatures.

    The whole entry (every occupant) is one encrypted JSON document; the first occupant's
    identifiers are also held the ProtectedIdentity way, so staff can find the entry by the
    ID number on the card as well as by its code. Expires after a day.
    """

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.CASCADE, related_name="prefills"
    )
    # The checkpoint's area: staff who see the checkpoint see its pre-filled entries.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    # Short, unambiguous, shown to the traveller (and as a QR code) to show the staff.
    code = models.CharField(_("code"), max_length=8, unique=True)
    plate = models.CharField(_("plate"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=50)
    occupant_count = models.PositiveSmallIntegerField(_("persons"), default=1)
    data_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    used_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    vehicle = models.OneToOneField(
        VehicleCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="prefill"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pre-filled entry")
        verbose_name_plural = _("pre-filled entries")
        indexes = [models.Index(fields=["area", "created_at"], name="prefill_area_at")]

    def __str__(self):
        return self.code
