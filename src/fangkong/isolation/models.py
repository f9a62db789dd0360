"""Centralized isolation sites (集中隔离点): rooms, transfers, stays and daily services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet
from fangkong.ledger.models import KeyPerson


class Site(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "name"]
        verbose_name = _("isolation site")
        verbose_name_plural = _("isolation sites")

    def __str__(self):
        return self.name


class Room(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("room"), max_length=20)
    beds = models.PositiveSmallIntegerField(_("beds"), default=1)
    in_service = models.BooleanField(_("in service"), default=True)

    class Meta:
        ordering = ["site_id", "number"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="room_unique")]

    def __str__(self):
        return self.number


class Transfer(models.Model):
    """专人专车、一人一车、一运一消毒: one person driven to a site."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="transfers")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="transfers")
    # The site's area.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    pickup_address = models.CharField(_("picked up at"), max_length=200)
    vehicle_plate = models.CharField(_("vehicle"), max_length=10)
    driver = models.CharField(_("driver"), max_length=50)
    escort = models.CharField(_("escort"), max_length=50, blank=True)
    departed_at = models.DateTimeField(_("departed"))
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    disinfected = models.BooleanField(_("vehicle disinfected"), default=False)
    disinfected_at = models.DateTimeField(_("disinfected at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-departed_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.key_person_id} → {self.site_id}"


class Stay(models.Model):
    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="stays")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stays")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="stays")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checkout_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    # The transfer that brought the person, when it was recorded.
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stays",
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        indexes = [
            # Occupancy: the open stays of a site or a room.
            models.Index(
                fields=["site", "room"],
                condition=models.Q(checked_out_at__isnull=True),
                name="stay_open_by_room",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key_person"],
                condition=models.Q(checked_out_at__isnull=True),
                name="stay_one_open_per_person",
            )
        ]

    def __str__(self):
        return f"{self.key_person_id} @ {self.site_id}"


class DailyService(models.Model):
    """The six daily service items for one person on one day."""

    # The six items, in the order the sites' daily sheets list them.
    ITEMS = (
        "temperature_taken",
        "info_sheet",
        "heating",
        "meals",
        "health_care",
        "psychological",
    )

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="services")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    date = models.DateField(_("date"))
    temperature_taken = models.BooleanField(_("temperature taken"), default=False)
    info_sheet = models.BooleanField(_("information sheet"), default=False)
    heating = models.BooleanField(_("heating"), default=False)
    meals = models.BooleanField(_("meals"), default=False)
    health_care = models.BooleanField(_("health care"), default=False)
    psychological = models.BooleanField(_("psychological support"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "stay_id"]
        verbose_name = _("daily service")
        verbose_name_plural = _("daily services")
        constraints = [
            models.UniqueConstraint(fields=["stay", "date"], name="dailyservice_one_per_day")
        ]

    def __str__(self):
        return f"{self.stay_id} {self.date}"
