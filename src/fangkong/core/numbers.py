"""Numbers as people write them in ledgers, certificates and briefings (plain Python: used by
services, documents and templates alike)."""

from decimal import Decimal


def plain(value: Decimal) -> str:
    """12.00 -> "12", 1.50 -> "1.5": a quantity without the zeros a DecimalField keeps."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped(value: Decimal) -> str:
    """77894 -> "77 894" (thin groups as in official briefings), 1.50 -> "1.5"."""
    whole, _dot, frac = f"{value:f}".partition(".")
    frac = frac.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + (f".{frac}" if frac else "")


def money(value: Decimal) -> str:
    """5366200 -> "5,366,200.00": yuan as finance offices print them (the zh_Hans locale
    groups no digits)."""
    return f"{value:,.2f}"
