"""Builders for the supplies tests."""

from decimal import Decimal

from fangkong.supplies import services
from fangkong.supplies.defaults import catalogue_seed
from fangkong.supplies.models import Category, Item, Lot, Movement, Stock, Warehouse


def catalogue() -> dict[str, Item]:
    # Data a migration seeds is gone after a transactional test flushed the database.
    catalogue_seed(Category, Item)
    return {item.name: item for item in Item.objects.all()}


def warehouse(area, name: str = "区物资储备库", **fields) -> Warehouse:
    return services.warehouse_create(actor=None, area=area, name=name, **fields)


def stock_in(warehouse, item, quantity, kind: str = "purchase", **fields):
    fields.setdefault("supplier", "淄博医药公司" if kind != "donation" else "")
    return services.inbound_create(
        actor=None,
        warehouse=warehouse,
        kind=kind,
        lines=[{"item": item, "quantity": Decimal(str(quantity))}],
        **fields,
    )


def issue(warehouse, area, item, quantity, **fields):
    fields.setdefault("unit_type", "village")
    fields.setdefault("unit_name", area.name)
    return services.issue_create(
        actor=fields.pop("actor", None),
        warehouse=warehouse,
        recipient_area=area,
        lines=[{"item": item, "quantity": Decimal(str(quantity))}],
        **fields,
    )


def on_hand(warehouse, item) -> Decimal:
    stock = Stock.objects.filter(warehouse=warehouse, item=item).first()
    return stock.on_hand if stock else Decimal(0)


def assert_books_balance() -> None:
    """The ledger and the lots both sum to on hand, for every stock row."""
    for stock in Stock.objects.all():
        moved = sum(
            Movement.objects.filter(warehouse=stock.warehouse, item=stock.item).values_list(
                "quantity", flat=True
            ),
            Decimal(0),
        )
        lots = sum(
            Lot.objects.filter(warehouse=stock.warehouse, item=stock.item).values_list(
                "remaining", flat=True
            ),
            Decimal(0),
        )
        assert moved == stock.on_hand, (stock, moved)
        assert lots == stock.on_hand, (stock, lots)
        last = (
            Movement.objects.filter(warehouse=stock.warehouse, item=stock.item)
            .order_by("-id")
            .first()
        )
        assert last is None or last.balance_after == stock.on_hand
