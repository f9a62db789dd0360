"""The kinds of import and export, each registered by its app's `transfer.py`."""

from django.http import Http404
from django.utils.module_loading import autodiscover_modules

from fangkong.core.transfer.spec import Exporter, Importer

_importers: dict[str, Importer] = {}
_exporters: dict[str, Exporter] = {}


def register(item):
    """Register an Importer or Exporter instance (or class, instantiated here); returns it."""
    if isinstance(item, type):
        item = item()
    if isinstance(item, Importer):
        table = _importers
    elif isinstance(item, Exporter):
        table = _exporters
    else:
        raise TypeError(f"{item!r} is neither an Importer nor an Exporter")
    if not item.kind or not item.permission:
        raise ValueError(f"{type(item).__name__} needs a kind and a permission")
    existing = table.get(item.kind)
    if existing is not None and type(existing) is not type(item):
        raise ValueError(f"{item.kind!r} is registered twice")
    table[item.kind] = item
    return item


def importer(kind: str) -> Importer:
    try:
        return _importers[kind]
    except KeyError:
        raise LookupError(f"no import of {kind!r}; known: {sorted(_importers)}") from None


def exporter(kind: str) -> Exporter:
    try:
        return _exporters[kind]
    except KeyError:
        raise LookupError(f"no export of {kind!r}; known: {sorted(_exporters)}") from None


def importer_or_404(kind: str) -> Importer:
    try:
        return importer(kind)
    except LookupError:
        raise Http404 from None


def exporter_or_404(kind: str) -> Exporter:
    try:
        return exporter(kind)
    except LookupError:
        raise Http404 from None


def importers() -> dict[str, Importer]:
    return dict(_importers)


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def autodiscover() -> None:
    """Import every installed app's `transfer` module, and core's own kinds."""
    autodiscover_modules("transfer")
    from fangkong.core.transfer import builtin  # noqa: F401
