from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class ProtectedIdentity(models.Model):
    """ID number and phone held the way Person holds them: Fernet token, keyed hash, mask.

    For records of people who are not (yet) in the registry: a traveller at a checkpoint, a
    push waiting for its village, a self-registration. Fill them from
    `people.services.person_protect`.
    """

    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_identity(self, protected) -> None:
        """Copy a people.services.ProtectedValues onto this record."""
        for name, value in protected._asdict().items():
            setattr(self, name, value)


class Household(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    number = models.CharField(_("household number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # History is read by object (`id`, indexed) and date; an index on every copied foreign
    # key would only slow down the bulk loads (see core.transfer.bulk).
    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["area"])
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["area", "id"], name="household_area_id")]

    def __str__(self):
        return f"{self.head_name} · {self.address}"


class Person(models.Model):
    """A resident or traveller. ID number and phone are held only encrypted (DESIGN §4.3)."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    name = models.CharField(_("name"), max_length=50)
    # "zhangsan zs": full pinyin and initials, searched by prefix from the list's search box.
    name_pinyin = models.CharField(_("name pinyin"), max_length=200, blank=True, editable=False)

    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)

    # Derived from the ID number when there is one; entered by hand otherwise.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    native_region = models.CharField(_("native region"), max_length=6, blank=True)

    address = models.CharField(_("address"), max_length=200, blank=True)
    relation = models.CharField(_("relation to head"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # As for Household: the history's copies of the foreign keys are not indexed.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "name_pinyin"],
        no_db_index=["area", "household", "created_by"],
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [
            ("reveal_pii", _("Can reveal full ID numbers and phone numbers")),
            ("import_people", _("Can import households and persons")),
            ("export_people", _("Can export households and persons")),
        ]
        indexes = [
            models.Index(fields=["area", "id"], name="person_area_id"),
            models.Index(fields=["id_number_hash"], name="person_id_hash"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
            models.Index(fields=["name"], name="person_name"),
        ]
        constraints = [
            # One person per ID number: the hash makes the encrypted value unique.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="person_unique_id_number",
            )
        ]

    def __str__(self):
        return self.name
