"""Every change to supplies: catalogue, warehouses, inbound, issue, transfer, stocktake,
thresholds, receipts and requests.

The guarantees live here. Every stock change locks its Stock rows (in item order, so two
documents over the same items cannot deadlock), checks the quantity against the locked row,
writes the new balance, one Movement with the balance after it, and moves the lots (FIFO) —
all in one transaction, so the ledger sums to on_hand and the lots' remaining does too. The
database's CheckConstraint (on_hand >= 0) is the last line: even a bug here cannot store a
negative stock. Every input is checked before anything is written; a refusal names the field
or the line and writes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.models import Area
from fangkong.core.numbers import plain
from fangkong.core.scope import is_within, require_within
from fangkong.inbox.models import Notification
from fangkong.inbox.services import (
    notification_notify,
    notification_send,
    notifications_notify_many,
    notifications_resolve,
)
from fangkong.supplies.models import (
    ZERO,
    Adjustment,
    Category,
    DailyIssue,
    Inbound,
    InboundLine,
    Item,
    Lot,
    LotUse,
    Movement,
    Outbound,
    OutboundLine,
    RequestLine,
    Stock,
    SupplyRequest,
    Warehouse,
)

VIEW = "supplies.view_stock"
WORK = "supplies.issue_stock"
REQUEST = "supplies.add_supplyrequest"
APPROVE = "supplies.approve_request"
CATALOGUE = "supplies.change_item"

MAX_QUANTITY = Decimal("999999999999.99")
CENT = Decimal("0.01")


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _today(day: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise _error("day", _("The date cannot be in the future"), "future")
    return day


def quantity_of(item: Item, value, *, allow_zero: bool = False) -> Decimal:
    """The value as a quantity of `item`, or ValueError with the reason (for any caller)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        quantity = Decimal(str(value).strip()) if value is not None else None
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise ValueError(_("Enter a number"))
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise ValueError(_("The quantity must be greater than zero"))
    if quantity > MAX_QUANTITY:
        raise ValueError(_("The quantity is too large"))
    if quantity != quantity.quantize(CENT):
        raise ValueError(_("Use at most two decimal places"))
    if item.countable and quantity != quantity.to_integral_value():
        raise ValueError(
            _("%(item)s is counted in whole %(unit)s") % {"item": item.name, "unit": item.unit}
        )
    return quantity.quantize(CENT)


def _lines(lines, *, field: str = "lines", with_price: bool = False) -> list[dict]:
    """Check every line and gather every error, naming the line; merge repeated items."""
    lines = list(lines or [])
    if not lines:
        raise _error(field, _("Add at least one line"), "required")
    errors, checked = [], []
    for number, line in enumerate(lines, start=1):
        item = line.get("item")
        if not isinstance(item, Item):
            errors.append(_("Line %(line)d: choose an item") % {"line": number})
            continue
        if not item.active:
            errors.append(
                _("Line %(line)d: %(item)s is no longer in the catalogue")
                % {"line": number, "item": item}
            )
            continue
        try:
            quantity = quantity_of(item, line.get("quantity"))
        except ValueError as exc:
            errors.append(_("Line %(line)d: %(reason)s") % {"line": number, "reason": str(exc)})
            continue
        price = line.get("unit_price")
        if with_price and price not in (None, ""):
            try:
                price = Decimal(str(price))
                if price < 0 or price != price.quantize(CENT) or price >= Decimal("1e10"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors.append(
                    _("Line %(line)d: the unit price must be a non-negative amount")
                    % {"line": number}
                )
                continue
        else:
            price = None
        checked.append(
            {
                "item": item,
                "quantity": quantity,
                "unit_price": price,
                "source_line": str(line.get("source_line") or "")[:40],
            }
        )
    if errors:
        raise ValidationError({field: errors})
    return checked


def _merged(lines: list[dict]) -> list[dict]:
    merged: dict[int, dict] = {}
    for line in lines:
        if line["item"].pk in merged:
            merged[line["item"].pk]["quantity"] += line["quantity"]
        else:
            merged[line["item"].pk] = dict(line)
    return list(merged.values())


# -- stock primitives -------------------------------------------------------------------------


def _lock_stocks(warehouse: Warehouse, item_ids) -> dict[int, Stock]:
    """The Stock rows of these items in the warehouse, created if missing, locked."""
    item_ids = sorted(set(item_ids))
    Stock.objects.bulk_create(
        [Stock(warehouse=warehouse, item_id=pk, area_id=warehouse.area_id) for pk in item_ids],
        ignore_conflicts=True,
    )
    rows = (
        Stock.objects.select_for_update()
        .filter(warehouse=warehouse, item_id__in=item_ids)
        .order_by("item_id")
    )
    return {stock.item_id: stock for stock in rows}


class _Mover:
    """Applies changes to locked stock rows and collects the ledger rows and notices."""

    def __init__(self, *, actor, day: datetime.date):
        self.actor = actor
        self.day = day
        self.movements: list[Movement] = []
        self.notices: list[dict] = []
        self.changed: list[Stock] = []
        self.issued: dict[tuple[int, int], tuple[str, Decimal]] = {}

    def move(self, stock: Stock, quantity: Decimal, kind: str, doc_type: str, doc_id: int):
        balance = stock.on_hand + quantity
        if balance < 0:
            raise ValidationError(
                {
                    "lines": _(
                        "Only %(on_hand)s %(unit)s of %(item)s on hand, cannot take %(quantity)s"
                    )
                    % {
                        "on_hand": plain(stock.on_hand),
                        "unit": stock.item.unit,
                        "item": stock.item,
                        "quantity": plain(-quantity),
                    }
                },
                code="short",
            )
        stock.on_hand = balance
        if stock not in self.changed:
            self.changed.append(stock)
        self.movements.append(
            Movement(
                warehouse_id=stock.warehouse_id,
                item_id=stock.item_id,
                area_id=stock.area_id,
                kind=kind,
                quantity=quantity,
                balance_after=balance,
                document_type=doc_type,
                document_id=doc_id,
                actor=self.actor,
                day=self.day,
            )
        )
        if kind == Movement.Kind.ISSUE:
            key = (stock.warehouse_id, stock.item_id)
            area, total = self.issued.get(key, (stock.area_id, ZERO))
            self.issued[key] = (area, total - quantity)

    def finish(self, warehouses: dict[int, Warehouse]):
        for stock in self.changed:
            if stock.low_threshold > 0 and stock.on_hand < stock.low_threshold:
                if not stock.low:
                    stock.low = True
                    self.notices.append(_low_notice(stock, warehouses[stock.warehouse_id]))
            else:
                stock.low = False
            stock.save(update_fields=["on_hand", "low", "updated_at"])
        Movement.objects.bulk_create(self.movements)
        for (warehouse_id, item_id), (area, quantity) in self.issued.items():
            _daily_issue_add(warehouse_id, item_id, area, self.day, quantity)
        if self.notices:
            notifications_notify_many(permission=WORK, nearest=True, messages=self.notices)


def _daily_issue_add(warehouse_id, item_id, area_id, day, quantity) -> None:
    # An upsert through the unique key: the stock row lock already serialises issues of the
    # same warehouse and item, so create-then-update cannot race here.
    updated = DailyIssue.objects.filter(warehouse_id=warehouse_id, item_id=item_id, day=day).update(
        quantity=F("quantity") + quantity
    )
    if not updated:
        DailyIssue.objects.create(
            warehouse_id=warehouse_id, item_id=item_id, area_id=area_id, day=day, quantity=quantity
        )


def _low_notice(stock: Stock, warehouse: Warehouse) -> dict:
    return {
        "area": warehouse.area_id,
        "kind": Notification.Kind.LOW_STOCK,
        "title": _("Low stock: %(item)s at %(warehouse)s")
        % {"item": stock.item, "warehouse": warehouse.name},
        "body": _("%(on_hand)s %(unit)s on hand, below the threshold of %(threshold)s")
        % {
            "on_hand": plain(stock.on_hand),
            "unit": stock.item.unit,
            "threshold": plain(stock.low_threshold),
        },
        "target_type": "supply_warehouse",
        "target_id": warehouse.pk,
    }


def _lots_take(stock: Stock, quantity: Decimal) -> list[tuple[Lot, Decimal]]:
    """Take `quantity` from the oldest lots first (the stock row is already locked)."""
    taken, left = [], quantity
    lots = (
        Lot.objects.select_for_update()
        .filter(warehouse_id=stock.warehouse_id, item_id=stock.item_id, remaining__gt=0)
        .order_by("id")
    )
    for lot in lots:
        share = min(lot.remaining, left)
        lot.remaining -= share
        lot.save(update_fields=["remaining"])
        taken.append((lot, share))
        left -= share
        if left == 0:
            break
    if left > 0:
        # The lots and the stock disagree: refuse rather than issue untraceable goods.
        raise ValidationError(
            {"lines": _("The lots of %(item)s do not cover the stock") % {"item": stock.item}}
        )
    return taken


def _warehouse_in_scope(actor, warehouse: Warehouse, field: str = "warehouse") -> Warehouse:
    warehouse = Warehouse.objects.get(pk=warehouse.pk)
    if actor is not None and not is_within(warehouse.area_id, actor.scope_id):
        raise _error(field, _("This warehouse is outside your scope"), "scope")
    if not warehouse.active:
        raise _error(field, _("This warehouse is closed"), "inactive")
    return warehouse


# -- catalogue and warehouses -----------------------------------------------------------------


def _require_district(actor) -> None:
    # The catalogue is one for the whole district: only district-level staff edit it.
    if actor is not None and (not actor.scope_id or len(actor.scope_id) > 6):
        raise _error("name", _("Only district staff edit the catalogue"), "scope")


@transaction.atomic
def category_create(*, actor, name: str, order: int = 0) -> Category:
    _require_district(actor)
    category = Category(name=(name or "").strip(), order=order)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def item_create(
    *,
    actor,
    category: Category,
    name: str,
    unit: str,
    specification: str = "",
    countable: bool = True,
    order: int = 0,
) -> Item:
    _require_district(actor)
    item = Item(
        category=category,
        name=(name or "").strip(),
        unit=(unit or "").strip(),
        specification=(specification or "").strip(),
        countable=countable,
        order=order,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_update(*, actor, item: Item, **fields) -> Item:
    _require_district(actor)
    item = Item.objects.select_for_update().get(pk=item.pk)
    allowed = {"category", "name", "unit", "specification", "countable", "active", "order"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    if "countable" in fields and fields["countable"] and not item.countable:
        # Making it countable would strand fractional stock already held.
        fractional = [
            value
            for value in Stock.objects.filter(item=item).values_list("on_hand", flat=True)
            if value != value.to_integral_value()
        ]
        if fractional:
            raise _error(
                "countable", _("Fractional stock is held: it cannot become countable"), "held"
            )
    for key, value in fields.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    item.full_clean()
    item.save()
    return item


def _warehouse_area(actor, area: Area) -> Area:
    if area.level not in (Area.Level.COUNTY, Area.Level.TOWN):
        raise _error("area", _("A warehouse belongs to the district or a town"), "level")
    require_within(actor, area.code)
    return area


@transaction.atomic
def warehouse_create(
    *, actor, area: Area, name: str, keeper: str = "", phone: str = "", address: str = ""
) -> Warehouse:
    _warehouse_area(actor, area)
    warehouse = Warehouse(
        area=area,
        name=(name or "").strip(),
        keeper=(keeper or "").strip(),
        phone=(phone or "").strip(),
        address=(address or "").strip(),
    )
    warehouse.full_clean()
    warehouse.save()
    return warehouse


@transaction.atomic
def warehouse_update(*, actor, warehouse: Warehouse, **fields) -> Warehouse:
    warehouse = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    require_within(actor, warehouse.area_id)
    allowed = {"name", "keeper", "phone", "address", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    for key, value in fields.items():
        setattr(warehouse, key, value.strip() if isinstance(value, str) else value)
    warehouse.full_clean()
    warehouse.save()
    return warehouse


@transaction.atomic
def threshold_set(*, actor, warehouse: Warehouse, item: Item, threshold) -> Stock:
    warehouse = _warehouse_in_scope(actor, warehouse)
    try:
        value = quantity_of(item, threshold, allow_zero=True)
    except ValueError as exc:
        raise _error("low_threshold", str(exc)) from None
    stock = _lock_stocks(warehouse, [item.pk])[item.pk]
    stock.low_threshold = value
    # A new threshold starts a new watch: already below it, it is noticed right away.
    was_low = stock.low
    stock.low = value > 0 and stock.on_hand < value
    stock.save(update_fields=["low_threshold", "low", "updated_at"])
    if stock.low and not was_low:
        stock.item = item
        notifications_notify_many(
            permission=WORK, nearest=True, messages=[_low_notice(stock, warehouse)]
        )
    return stock


# -- inbound ---------------------------------------------------------------------------------


INBOUND_KINDS = {k.value for k in Inbound.Kind}


@transaction.atomic
def inbound_create(
    *,
    actor,
    warehouse: Warehouse,
    kind: str,
    lines: list[dict],
    supplier: str = "",
    invoice_no: str = "",
    document_no: str = "",
    source_type: str = "",
    source_id: str = "",
    note: str = "",
    day: datetime.date | None = None,
) -> Inbound:
    """Goods arriving at a warehouse: a purchase, an allocation from a higher level (the
    issuing body in `supplier`) or a donation (`source_type`/`source_id` name it in the
    donations app). Each line becomes a lot."""
    if kind not in INBOUND_KINDS:
        raise _error("kind", _("Choose purchase, allocation or donation"), "invalid")
    warehouse = _warehouse_in_scope(actor, warehouse)
    day = _today(day)
    supplier = (supplier or "").strip()
    if kind == Inbound.Kind.PURCHASE and not supplier:
        raise _error("supplier", _("Name the supplier"), "required")
    if kind == Inbound.Kind.ALLOCATION and not supplier:
        raise _error("supplier", _("Name the issuing body"), "required")
    checked = _lines(lines, with_price=kind == Inbound.Kind.PURCHASE)
    inbound = Inbound(
        area_id=warehouse.area_id,
        warehouse=warehouse,
        kind=kind,
        supplier=supplier,
        invoice_no=(invoice_no or "").strip(),
        document_no=(document_no or "").strip(),
        source_type=(source_type or "").strip(),
        source_id=str(source_id or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
        day=day,
    )
    inbound.full_clean()
    inbound.save()
    rows = InboundLine.objects.bulk_create(
        [
            InboundLine(
                inbound=inbound,
                item=line["item"],
                quantity=line["quantity"],
                unit_price=line["unit_price"],
                source_line=line["source_line"],
            )
            for line in checked
        ]
    )
    if any(row.pk is None for row in rows):  # SQLite before 3.35 returns no keys
        rows = list(inbound.lines.order_by("id"))
    stocks = _lock_stocks(warehouse, [line.item_id for line in rows])
    mover = _Mover(actor=actor, day=day)
    for row, line in zip(rows, checked, strict=True):
        stock = stocks[row.item_id]
        stock.item = line["item"]
        mover.move(stock, row.quantity, kind, "inbound", inbound.pk)
    Lot.objects.bulk_create(
        [
            Lot(
                warehouse=warehouse,
                item_id=row.item_id,
                area_id=warehouse.area_id,
                origin_kind=kind,
                inbound_line=row,
                source_type=inbound.source_type,
                source_id=inbound.source_id,
                source_line=row.source_line,
                received=row.quantity,
                remaining=row.quantity,
            )
            for row in rows
        ]
    )
    mover.finish({warehouse.pk: warehouse})
    return inbound


# -- outbound --------------------------------------------------------------------------------


def _take(mover, stocks, outbound, rows, kind):
    """Move the rows out of the locked stocks and consume their lots; the lot shares."""
    uses, shares = [], []
    for row in rows:
        stock = stocks[row.item_id]
        stock.item = row.item
        mover.move(stock, -row.quantity, kind, "outbound", outbound.pk)
        for lot, share in _lots_take(stock, row.quantity):
            uses.append(LotUse(lot=lot, outbound_line=row, quantity=share))
            shares.append((row, lot, share))
    LotUse.objects.bulk_create(uses)
    return shares


UNIT_TYPES = {k.value for k in Outbound.UnitType}


@transaction.atomic
def issue_create(
    *,
    actor,
    warehouse: Warehouse,
    recipient_area: Area,
    unit_name: str,
    unit_type: str,
    lines: list[dict],
    receiver_name: str = "",
    note: str = "",
    request: SupplyRequest | None = None,
    day: datetime.date | None = None,
) -> Outbound:
    """Goods issued to a unit (出库): stock, ledger, daily totals and lots in one go; refused
    whole, naming the item, when any line exceeds what is on hand."""
    warehouse = _warehouse_in_scope(actor, warehouse)
    day = _today(day)
    if recipient_area is None:
        raise _error("recipient_area", _("Choose the receiving area"), "required")
    if not is_within(recipient_area.code, warehouse.area_id):
        raise _error("recipient_area", _("The unit must lie inside the warehouse's area"), "scope")
    unit_name = (unit_name or "").strip() or recipient_area.name
    if unit_type not in UNIT_TYPES:
        raise _error("unit_type", _("Choose the unit type"), "required")
    checked = _merged(_lines(lines))
    outbound = Outbound(
        area_id=warehouse.area_id,
        warehouse=warehouse,
        kind=Outbound.Kind.ISSUE,
        recipient_area=recipient_area,
        unit_name=unit_name,
        unit_type=unit_type,
        request=request,
        receiver_name=(receiver_name or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
        day=day,
    )
    outbound.full_clean()
    outbound.save()
    rows = _outbound_lines(outbound, checked)
    stocks = _lock_stocks(warehouse, [row.item_id for row in rows])
    mover = _Mover(actor=actor, day=day)
    _take(mover, stocks, outbound, rows, Movement.Kind.ISSUE)
    mover.finish({warehouse.pk: warehouse})
    return outbound


def _outbound_lines(outbound, checked) -> list[OutboundLine]:
    rows = OutboundLine.objects.bulk_create(
        [
            OutboundLine(outbound=outbound, item=line["item"], quantity=line["quantity"])
            for line in checked
        ]
    )
    if any(row.pk is None for row in rows):
        rows = list(outbound.lines.select_related("item").order_by("id"))
    return rows


@transaction.atomic
def transfer_create(
    *,
    actor,
    warehouse: Warehouse,
    to_warehouse: Warehouse,
    lines: list[dict],
    note: str = "",
    day: datetime.date | None = None,
) -> Outbound:
    """Out of one warehouse and into another in one transaction; the lots travel with
    their origin, so donated goods stay traceable after a transfer."""
    warehouse = _warehouse_in_scope(actor, warehouse)
    if to_warehouse is None:
        raise _error("to_warehouse", _("Choose the receiving warehouse"), "required")
    to_warehouse = _warehouse_in_scope(actor, to_warehouse, "to_warehouse")
    if to_warehouse.pk == warehouse.pk:
        raise _error("to_warehouse", _("Choose another warehouse"), "same")
    day = _today(day)
    checked = _merged(_lines(lines))
    outbound = Outbound(
        area_id=warehouse.area_id,
        warehouse=warehouse,
        kind=Outbound.Kind.TRANSFER,
        to_warehouse=to_warehouse,
        unit_name=to_warehouse.name,
        note=(note or "").strip(),
        created_by=actor,
        day=day,
    )
    outbound.full_clean()
    outbound.save()
    rows = _outbound_lines(outbound, checked)
    item_ids = [row.item_id for row in rows]
    # Both warehouses' rows, always in warehouse order: two opposite transfers cannot deadlock.
    first, second = sorted([warehouse, to_warehouse], key=lambda w: w.pk)
    locked = {first.pk: _lock_stocks(first, item_ids), second.pk: _lock_stocks(second, item_ids)}
    mover = _Mover(actor=actor, day=day)
    shares = _take(mover, locked[warehouse.pk], outbound, rows, Movement.Kind.TRANSFER_OUT)
    into = locked[to_warehouse.pk]
    for row in rows:
        stock = into[row.item_id]
        stock.item = row.item
        mover.move(stock, row.quantity, Movement.Kind.TRANSFER_IN, "outbound", outbound.pk)
    Lot.objects.bulk_create(
        [
            Lot(
                warehouse=to_warehouse,
                item_id=row.item_id,
                area_id=to_warehouse.area_id,
                origin_kind=lot.origin_kind,
                inbound_line_id=lot.inbound_line_id,
                source_type=lot.source_type,
                source_id=lot.source_id,
                source_line=lot.source_line,
                parent=lot,
                received=share,
                remaining=share,
            )
            for row, lot, share in shares
        ]
    )
    mover.finish({warehouse.pk: warehouse, to_warehouse.pk: to_warehouse})
    return outbound


@transaction.atomic
def adjustment_create(
    *,
    actor,
    warehouse: Warehouse,
    item: Item,
    counted,
    reason: str,
    day: datetime.date | None = None,
) -> Adjustment:
    """A stocktake (盘点): the counted quantity replaces the book's, with a reason."""
    warehouse = _warehouse_in_scope(actor, warehouse)
    day = _today(day)
    if item is None:
        raise _error("item", _("Choose an item"), "required")
    try:
        counted = quantity_of(item, counted, allow_zero=True)
    except ValueError as exc:
        raise _error("counted", str(exc)) from None
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason for the adjustment"), "required")
    stock = _lock_stocks(warehouse, [item.pk])[item.pk]
    stock.item = item
    difference = counted - stock.on_hand
    if difference == 0:
        raise _error("counted", _("The count matches the stock: nothing to adjust"), "same")
    adjustment = Adjustment(
        area_id=warehouse.area_id,
        warehouse=warehouse,
        item=item,
        counted=counted,
        quantity=difference,
        reason=reason,
        created_by=actor,
        day=day,
    )
    adjustment.full_clean()
    adjustment.save()
    mover = _Mover(actor=actor, day=day)
    mover.move(stock, difference, Movement.Kind.ADJUSTMENT, "adjustment", adjustment.pk)
    if difference < 0:
        LotUse.objects.bulk_create(
            LotUse(lot=lot, adjustment=adjustment, quantity=share)
            for lot, share in _lots_take(stock, -difference)
        )
    else:
        Lot.objects.create(
            warehouse=warehouse,
            item=item,
            area_id=warehouse.area_id,
            origin_kind="adjustment",
            source_type="adjustment",
            source_id=str(adjustment.pk),
            received=difference,
            remaining=difference,
        )
    mover.finish({warehouse.pk: warehouse})
    return adjustment


@transaction.atomic
def outbound_sign(*, actor, outbound: Outbound, receiver_name: str, signed_at=None) -> Outbound:
    """Record the paper receipt: who signed for the goods and when."""
    outbound = Outbound.objects.select_for_update().get(pk=outbound.pk)
    require_within(actor, outbound.area_id)
    if outbound.kind != Outbound.Kind.ISSUE:
        raise _error("receiver_name", _("Only an issue has a receipt"), "kind")
    receiver_name = (receiver_name or "").strip()
    if not receiver_name:
        raise _error("receiver_name", _("Name the person who signed"), "required")
    signed_at = signed_at or timezone.now()
    if signed_at > timezone.now() + datetime.timedelta(minutes=5):
        raise _error("signed_at", _("The date cannot be in the future"), "future")
    outbound.receiver_name = receiver_name[:50]
    outbound.signed_at = signed_at
    outbound.save(update_fields=["receiver_name", "signed_at"])
    return outbound


@transaction.atomic
def outbound_confirm(*, actor, outbound: Outbound) -> Outbound:
    """The receiving unit confirms in the system that the goods arrived, once."""
    outbound = Outbound.objects.select_for_update().get(pk=outbound.pk)
    if outbound.kind != Outbound.Kind.ISSUE:
        raise _error("confirmed_at", _("Only an issue is confirmed by its unit"), "kind")
    if actor is not None and not is_within(outbound.recipient_area_id, actor.scope_id):
        raise _error("confirmed_at", _("Only the receiving unit confirms receipt"), "scope")
    now = timezone.now()
    won = Outbound.objects.filter(pk=outbound.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, confirmed_by=actor
    )
    if not won:
        raise _error("confirmed_at", _("Receipt was already confirmed"), "confirmed")
    outbound.confirmed_at, outbound.confirmed_by = now, actor
    notifications_resolve(target_type="supply_outbound", target_id=outbound.pk)
    return outbound


# -- requests --------------------------------------------------------------------------------


def approver_code(code: str) -> str | None:
    """Who decides a unit's request: its town for anything below a town, the district for a
    town; nobody above (the district holds the stock itself)."""
    if len(code) > 9:
        return code[:9]
    if len(code) == 9:
        return code[:6]
    return None


@transaction.atomic
def request_create(
    *,
    actor,
    unit_name: str = "",
    unit_type: str,
    purpose: str,
    lines: list[dict],
    area: Area | None = None,
) -> SupplyRequest:
    """A unit asks for supplies; the approver's supplies staff are notified."""
    area = area or (actor.scope if actor is not None else None)
    if area is None:
        raise _error("area", _("You have no scope to ask from"), "scope")
    require_within(actor, area.code)
    approver = approver_code(area.code[:12])
    if approver is None:
        raise _error("area", _("The district does not ask itself: issue from its stock"), "level")
    if unit_type not in UNIT_TYPES:
        raise _error("unit_type", _("Choose the unit type"), "required")
    purpose = (purpose or "").strip()
    if not purpose:
        raise _error("purpose", _("Say what the supplies are for"), "required")
    checked = _merged(_lines(lines))
    request = SupplyRequest(
        area=area,
        unit_name=(unit_name or "").strip() or area.name,
        unit_type=unit_type,
        purpose=purpose,
        approver_area_id=approver,
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    RequestLine.objects.bulk_create(
        RequestLine(request=request, item=line["item"], quantity=line["quantity"])
        for line in checked
    )
    notification_notify(
        area=approver,
        permission=APPROVE,
        nearest=True,
        kind=Notification.Kind.SUPPLY_REQUEST,
        title=_("Supply request from %(unit)s") % {"unit": request.unit_name},
        body=purpose[:200],
        target_type="supply_request",
        target_id=request.pk,
    )
    return request


def _request_for_decision(actor, request) -> SupplyRequest:
    request = SupplyRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None and (
        not actor.has_perm(APPROVE) or not is_within(request.approver_area_id, actor.scope_id)
    ):
        raise _error("status", _("You cannot decide this request"), "scope")
    return request


@transaction.atomic
def request_decide(
    *,
    actor,
    request: SupplyRequest,
    decisions: dict,
    note: str = "",
    warehouse: Warehouse | None = None,
    receiver_name: str = "",
) -> SupplyRequest:
    """Approve each line fully, partly or not at all (`decisions`: line pk -> {"approved",
    "reason"}); a cut needs a reason. With `warehouse`, the approved lines are issued from it
    in the same transaction."""
    request = _request_for_decision(actor, request)
    if request.status != SupplyRequest.Status.SUBMITTED:
        raise _error("status", _("This request has already been decided"), "decided")
    lines = list(request.lines.select_related("item"))
    errors = []
    for number, line in enumerate(lines, start=1):
        decision = decisions.get(line.pk) or decisions.get(str(line.pk))
        if decision is None:
            errors.append(_("Line %(line)d: decide this line") % {"line": number})
            continue
        try:
            approved = quantity_of(line.item, decision.get("approved"), allow_zero=True)
        except ValueError as exc:
            errors.append(_("Line %(line)d: %(reason)s") % {"line": number, "reason": str(exc)})
            continue
        if approved > line.quantity:
            errors.append(
                _("Line %(line)d: approve at most the %(quantity)s asked for")
                % {"line": number, "quantity": plain(line.quantity)}
            )
            continue
        reason = (decision.get("reason") or "").strip()
        if approved < line.quantity and not reason:
            errors.append(_("Line %(line)d: give the reason for approving less") % {"line": number})
            continue
        line.approved, line.reason = approved, reason[:200]
    if errors:
        raise ValidationError({"lines": errors})
    RequestLine.objects.bulk_update(lines, ["approved", "reason"])
    if all(line.approved == 0 for line in lines):
        request.status = SupplyRequest.Status.REJECTED
    elif all(line.approved == line.quantity for line in lines):
        request.status = SupplyRequest.Status.APPROVED
    else:
        request.status = SupplyRequest.Status.PARTLY
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = (note or "").strip()[:200]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notifications_resolve(target_type="supply_request", target_id=request.pk)
    if warehouse is not None and request.status != SupplyRequest.Status.REJECTED:
        return request_issue(
            actor=actor, request=request, warehouse=warehouse, receiver_name=receiver_name
        )
    _tell_requester(request)
    return request


@transaction.atomic
def request_issue(
    *, actor, request: SupplyRequest, warehouse: Warehouse, receiver_name: str = ""
) -> SupplyRequest:
    """Issue the approved lines of a request from `warehouse` (one outbound)."""
    request = _request_for_decision(actor, request)
    if request.status not in (SupplyRequest.Status.APPROVED, SupplyRequest.Status.PARTLY):
        raise _error("status", _("Only an approved request can be issued"), "state")
    if warehouse is None:
        raise _error("warehouse", _("Choose the warehouse to issue from"), "required")
    lines = [
        {"item": line.item, "quantity": line.approved}
        for line in request.lines.select_related("item")
        if line.approved
    ]
    issue_create(
        actor=actor,
        warehouse=warehouse,
        recipient_area=request.area,
        unit_name=request.unit_name,
        unit_type=request.unit_type,
        lines=lines,
        receiver_name=receiver_name,
        request=request,
    )
    request.status = SupplyRequest.Status.ISSUED
    request.issued_at = timezone.now()
    request.save(update_fields=["status", "issued_at"])
    _tell_requester(request)
    return request


@transaction.atomic
def request_cancel(*, actor, request: SupplyRequest) -> SupplyRequest:
    request = SupplyRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None and not is_within(request.area_id, actor.scope_id):
        raise _error("status", _("Only the asking unit cancels its request"), "scope")
    if request.status != SupplyRequest.Status.SUBMITTED:
        raise _error("status", _("Only a request awaiting approval can be cancelled"), "state")
    request.status = SupplyRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    notifications_resolve(target_type="supply_request", target_id=request.pk)
    return request


def _tell_requester(request: SupplyRequest) -> None:
    if request.requested_by_id is None:
        return
    titles = {
        SupplyRequest.Status.APPROVED: _("Supply request approved"),
        SupplyRequest.Status.PARTLY: _("Supply request partly approved"),
        SupplyRequest.Status.REJECTED: _("Supply request rejected"),
        SupplyRequest.Status.ISSUED: _("Supplies issued for your request"),
    }
    notification_send(
        users=[request.requested_by_id],
        area=request.area_id,
        kind=Notification.Kind.SUPPLY_REQUEST,
        title=titles[request.status],
        body=request.decision_note or request.purpose[:200],
        target_type="supply_request",
        target_id=request.pk,
    )
