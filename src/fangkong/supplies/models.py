"""Supplies (物资保障): the catalogue, warehouses, stock, its ledger of movements, inbound and
outbound documents, lots for tracing, and units' requests.

Stock rows are the truth of what is on hand; every change writes a Movement in the same
transaction (the ledger sums to on_hand) and moves the lots (their remaining sums to on_hand
too). Quantities are Decimal with two places: litres may be fractional, countable items not.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet

ZERO = Decimal("0")
QUANTITY = {"max_digits": 14, "decimal_places": 2}


class Category(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("supply category")
        verbose_name_plural = _("supply categories")

    def __str__(self):
        return self.name


class Item(models.Model):
    """A catalogue entry, district-wide (no area): the same 口罩 in every warehouse."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("name"), max_length=100)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    # Whole quantities only (masks, bottles); litres of alcohol may be fractional.
    countable = models.BooleanField(_("countable"), default=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category__order", "order", "name", "specification"]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        constraints = [
            models.UniqueConstraint(fields=["name", "specification"], name="supply_item_unique")
        ]
        permissions = [
            ("issue_stock", _("Can move stock (inbound, issue, transfer, stocktake)")),
            ("import_supplies", _("Can import supplies")),
            ("export_supplies", _("Can export supplies")),
        ]

    def __str__(self):
        return f"{self.name}（{self.specification}）" if self.specification else self.name


class Warehouse(models.Model):
    # District or town level; never changed after creation (stock rows copy it).
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    keeper = models.CharField(_("keeper"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_id", "name"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="warehouse_name_unique")
        ]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """What one warehouse holds of one item: the row every change locks."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocks")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    # The warehouse's area, copied so scoped figures need no join.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    on_hand = models.DecimalField(_("on hand"), default=ZERO, **QUANTITY)
    low_threshold = models.DecimalField(_("low-stock threshold"), default=ZERO, **QUANTITY)
    # Below the threshold since the last notice: set when it falls below (one notice per
    # crossing), cleared when stock is back at or above it.
    low = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["warehouse_id", "item_id"]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item"], name="stock_unique"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="stock_not_negative"),
            models.CheckConstraint(
                condition=models.Q(low_threshold__gte=0), name="stock_threshold_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["area", "item"], name="stock_area_item")]

    def __str__(self):
        return f"{self.warehouse_id}/{self.item_id}: {self.on_hand}"


class Inbound(models.Model):
    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase")
        ALLOCATION = "allocation", _("allocation")
        DONATION = "donation", _("donation")

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="inbounds"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Purchase: the supplier; allocation: the issuing body (市应急管理局); donation: the donor
    # as the donations app names it (no personal data).
    supplier = models.CharField(_("supplier / issuing body"), max_length=200, blank=True)
    invoice_no = models.CharField(_("invoice no."), max_length=60, blank=True)
    document_no = models.CharField(_("document no."), max_length=60, blank=True)
    # Where the goods came from in another app ("donation", "17"); strings, no import.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    day = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbound")
        verbose_name_plural = _("inbounds")
        indexes = [models.Index(fields=["source_type", "source_id"], name="inbound_source")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"RK{self.pk:06d}"


class InboundLine(models.Model):
    inbound = models.ForeignKey(Inbound, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The feeding app's line ("donation line 42"), for tracing back.
    source_line = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("inbound line")
        verbose_name_plural = _("inbound lines")

    def __str__(self):
        return f"{self.item_id} × {self.quantity}"


class Outbound(models.Model):
    """An issue to a unit (with its signed receipt) or a transfer to another warehouse."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("issue")
        TRANSFER = "transfer", _("stock transfer")

    class UnitType(models.TextChoices):
        CHECKPOINT = "checkpoint", _("checkpoint")
        VILLAGE = "village", _("village / community")
        HOSPITAL = "hospital", _("hospital")
        ISOLATION = "isolation", _("isolation site")
        ENTERPRISE = "enterprise", _("enterprise")
        TOWN = "town", _("town")
        OTHER = "other", _("other")

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="outbounds"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Issue: the receiving unit.
    recipient_area = models.ForeignKey(
        Area,
        verbose_name=_("recipient area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    unit_type = models.CharField(
        _("unit type"), max_length=12, choices=UnitType.choices, blank=True
    )
    # Transfer: the receiving warehouse.
    to_warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("to warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    request = models.ForeignKey(
        "SupplyRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbounds",
    )
    receiver_name = models.CharField(_("receiver"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("received"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    day = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound")
        verbose_name_plural = _("outbounds")
        indexes = [
            models.Index(fields=["recipient_area", "day"], name="outbound_recipient_day"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"{'CK' if self.kind == self.Kind.ISSUE else 'DB'}{self.pk:06d}"


class OutboundLine(models.Model):
    outbound = models.ForeignKey(Outbound, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbound line")
        verbose_name_plural = _("outbound lines")

    def __str__(self):
        return f"{self.item_id} × {self.quantity}"


class Adjustment(models.Model):
    """A stocktake correction (盘点调整) of one item, with its mandatory reason."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    counted = models.DecimalField(_("counted"), **QUANTITY)
    quantity = models.DecimalField(_("difference"), **QUANTITY)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    day = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stocktake adjustment")
        verbose_name_plural = _("stocktake adjustments")

    def __str__(self):
        return f"{self.item_id} {self.quantity:+}"


class Lot(models.Model):
    """Goods of one inbound line (or a transfer's share of a lot) in one warehouse, consumed
    first in first out, so every unit issued can be traced to where it came from."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="lots")
    item = models.ForeignKey(Item, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    # Where it originally came from; a transferred lot keeps its origin's.
    origin_kind = models.CharField(max_length=12)
    inbound_line = models.ForeignKey(
        InboundLine, null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    source_line = models.CharField(max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    received = models.DecimalField(**QUANTITY)
    remaining = models.DecimalField(**QUANTITY)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(remaining__gte=0), name="lot_not_negative")
        ]
        indexes = [
            models.Index(fields=["warehouse", "item", "id"], name="lot_fifo"),
            models.Index(fields=["source_type", "source_id"], name="lot_source"),
        ]

    def __str__(self):
        return f"lot {self.pk}: {self.remaining}/{self.received}"


class LotUse(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="uses")
    # One of the two: an outbound line (issue or transfer) or a stocktake that took it.
    outbound_line = models.ForeignKey(
        OutboundLine, null=True, blank=True, on_delete=models.PROTECT, related_name="lot_uses"
    )
    adjustment = models.ForeignKey(
        Adjustment, null=True, blank=True, on_delete=models.PROTECT, related_name="lot_uses"
    )
    quantity = models.DecimalField(**QUANTITY)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.lot_id} → {self.quantity}"


class Movement(models.Model):
    """The ledger: one row per change of one stock row, with the balance after it."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase")
        ALLOCATION = "allocation", _("allocation")
        DONATION = "donation", _("donation")
        ISSUE = "issue", _("issue")
        TRANSFER_OUT = "transfer_out", _("transfer out")
        TRANSFER_IN = "transfer_in", _("transfer in")
        ADJUSTMENT = "adjustment", _("stocktake adjustment")

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    balance_after = models.DecimalField(_("balance"), **QUANTITY)
    # "inbound", "outbound" or "adjustment", and its key.
    document_type = models.CharField(max_length=12)
    document_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    day = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        indexes = [
            models.Index(fields=["warehouse", "item", "id"], name="movement_ledger"),
            models.Index(fields=["area", "day"], name="movement_area_day"),
        ]

    def __str__(self):
        return f"{self.kind} {self.quantity:+} → {self.balance_after}"

    @property
    def document_number(self) -> str:
        prefix = {"inbound": "RK", "adjustment": "PD"}.get(self.document_type)
        if prefix is None:
            prefix = "CK" if self.kind == self.Kind.ISSUE else "DB"
        return f"{prefix}{self.document_id:06d}"


class DailyIssue(models.Model):
    """Issued quantity per warehouse, item and day, kept in the issue's transaction so the
    7-day consumption costs one indexed read whatever the ledger's length."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    day = models.DateField()
    quantity = models.DecimalField(default=ZERO, **QUANTITY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "day", "item"], name="daily_issue_unique")
        ]
        indexes = [models.Index(fields=["area", "day"], name="daily_issue_area_day")]

    def __str__(self):
        return f"{self.warehouse_id}/{self.item_id} {self.day}: {self.quantity}"


class SupplyRequest(models.Model):
    """物资申请: a unit asks; the town (for its villages) or the district decides per line."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting approval")
        APPROVED = "approved", _("approved")
        PARTLY = "partly", _("partly approved")
        REJECTED = "rejected", _("rejected")
        ISSUED = "issued", _("issued")
        CANCELLED = "cancelled", _("cancelled")

    # The asking unit.
    area = models.ForeignKey(
        Area, verbose_name=_("unit area"), on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField(_("unit"), max_length=100)
    unit_type = models.CharField(_("unit type"), max_length=12, choices=Outbound.UnitType.choices)
    purpose = models.TextField(_("purpose"))
    # Who decides: the town above a village, the district above a town.
    approver_area = models.ForeignKey(
        Area, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supply request")
        verbose_name_plural = _("supply requests")
        permissions = [("approve_request", _("Can approve supply requests"))]
        indexes = [
            models.Index(fields=["area", "status"], name="supply_request_area_status"),
            models.Index(fields=["approver_area", "status"], name="supply_request_approver"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"SQ{self.pk:06d}"


class RequestLine(models.Model):
    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("requested"), **QUANTITY)
    approved = models.DecimalField(_("approved quantity"), null=True, blank=True, **QUANTITY)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")

    def __str__(self):
        return f"{self.item_id} × {self.quantity}"
