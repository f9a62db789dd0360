"""Donations (爱心捐赠): donors, what they gave (money and goods), where the goods went into
stock, how the money was used, and what the public disclosure (捐赠公示) shows of it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet

ZERO = Decimal("0")
PUBLIC_ANONYMOUS = "爱心人士"


class Donor(models.Model):
    """An enterprise, organisation or person who gave. Contact details are personal data:
    the phone is held encrypted beside its keyed hash and mask, and never shown publicly."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        ORGANISATION = "organisation", _("organisation")
        INDIVIDUAL = "individual", _("individual")

    # The unit that registered the donor; its donations may be received anywhere below it.
    area = models.ForeignKey(Area, verbose_name=_("registered by"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    # Shown as 爱心人士 on the public page, whatever the kind.
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # An individual's consent to show the name publicly; without it the name is masked.
    disclose_name = models.BooleanField(_("consents to publishing the name"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], no_db_index=["area"])
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        permissions = [
            ("import_donations", _("Can import donations")),
            ("export_donations", _("Can export donations and donors")),
        ]
        indexes = [models.Index(fields=["area", "kind"], name="donor_area_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "credit_code"],
                condition=~models.Q(credit_code=""),
                name="donor_credit_code_unique",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def public_name(self) -> str:
        return public_name(self.kind, self.name, self.anonymous, self.disclose_name)


def public_name(kind: str, name: str, anonymous: bool, disclose_name: bool) -> str:
    """What the public page says of a donor: 爱心人士 when anonymous; an enterprise's or
    organisation's name; a person's name only with consent, else its first character."""
    if anonymous:
        return PUBLIC_ANONYMOUS
    if kind != Donor.Kind.INDIVIDUAL or disclose_name:
        return name
    return (name or "")[:1] + "**"


class Channel(models.TextChoices):
    BANK = "bank", _("bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CASH = "cash", _("cash")
    RED_CROSS = "red_cross", _("Red Cross account")
    CHARITY = "charity", _("charity federation account")
    OTHER = "other", _("other")


class Designation(models.TextChoices):
    UNDESIGNATED = "undesignated", _("undesignated")
    DESIGNATED = "designated", _("designated")


class Donation(models.Model):
    """One donation: a money part, a goods part (lines), or both."""

    # The receiving district or town.
    area = models.ForeignKey(Area, verbose_name=_("receiving unit"), on_delete=models.PROTECT)
    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="donations"
    )
    # 临捐〔2026〕12号: from the receiving unit's counter for the year received.
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40)
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    designation = models.CharField(
        _("designation"),
        max_length=12,
        choices=Designation.choices,
        default=Designation.UNDESIGNATED,
    )
    # What a designated donation is for (定向用途), as the donor stated it.
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Sum of the lines' estimated values, kept here so lists and totals read one row.
    goods_value = models.DecimalField(
        _("goods value (yuan)"), max_digits=14, decimal_places=2, default=ZERO
    )
    goods_lines = models.PositiveIntegerField(_("goods lines"), default=0)
    # Set once the goods went into stock; the lines are then fixed.
    warehouse = models.ForeignKey(
        "supplies.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inbound = models.ForeignKey(
        "supplies.Inbound",
        verbose_name=_("inbound record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    goods_received_at = models.DateTimeField(_("goods received"), null=True, blank=True)
    # Sum of the disbursements from the money part.
    money_used = models.DecimalField(
        _("used (yuan)"), max_digits=14, decimal_places=2, default=ZERO
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["area", "donor", "warehouse", "inbound", "created_by"],
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        indexes = [models.Index(fields=["area", "received_on"], name="donation_area_received")]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sequence"], name="donation_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="donation_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(money_used__lte=models.F("amount")),
                name="donation_used_within_amount",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def has_money(self) -> bool:
        return self.amount > 0

    @property
    def has_goods(self) -> bool:
        return self.goods_lines > 0

    @property
    def goods_received(self) -> bool:
        return self.goods_received_at is not None

    @property
    def balance(self) -> Decimal:
        return self.amount - self.money_used


class NumberCounter(models.Model):
    """The last number given per receiving unit and year; its row is the lock of numbering."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="donation_counter_unique")
        ]

    def __str__(self):
        return f"{self.area_id} {self.year}: {self.last}"


class DonationLine(models.Model):
    """One kind of goods in a donation, with the donor's or the office's estimated value."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="lines")
    # The donation's area, so goods totals are scoped without a join.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    item = models.ForeignKey(
        "supplies.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    value = models.DecimalField(
        _("estimated value (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["donation_id", "id"]
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        indexes = [models.Index(fields=["area", "item"], name="donationline_area_item")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="donationline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="donationline_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.item_id} × {self.quantity}"


class Disbursement(models.Model):
    """Money paid out of a donation (拨付/使用), with what for and who approved it."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="disbursements")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    paid_on = models.DateField(_("date"))
    approved_by = models.CharField(_("approved by"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [models.Index(fields=["area", "paid_on"], name="disbursement_area_paid")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="disbursement_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.donation_id}: {self.amount}"
