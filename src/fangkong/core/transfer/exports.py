"""The export engine: a list's rows, scoped and filtered like the page, into a workbook."""

import copy
from collections.abc import Callable
from urllib.parse import urlencode

from fangkong.core.models import AccessLog, Area
from fangkong.core.services import Origin, access_log_record
from fangkong.core.transfer.spec import Exporter
from fangkong.core.transfer.writer import write_export


def viewer_for(actor, scope: Area):
    """Whom the selectors scope the export to: the actor, narrowed to `scope` (inside the
    actor's own scope) when the command line asks for part of it."""
    if actor.scope_id == scope.code:
        return actor
    viewer = copy.copy(actor)
    viewer.scope = scope
    return viewer


def describe_filters(filters: dict) -> str:
    return urlencode(sorted((k, v) for k, v in filters.items() if v))[:200]


def export_workbook(
    exporter: Exporter,
    path,
    *,
    viewer,
    actor,
    scope: Area,
    filters: dict,
    reveal: bool,
    origin: Origin,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export to `path` and log it; returns the rows written.

    Raises FilterError for filters the list would refuse. The caller checks that `actor` may
    export (and reveal) before calling.
    """
    cleaned = exporter.clean_filters(viewer, filters)
    queryset = exporter.queryset(viewer, cleaned)
    # No transaction around the read: on SQLite it would hold the write lock for the whole
    # export. The entry is logged once the file is complete.
    count = write_export(
        path,
        title=exporter.label,
        columns=exporter.columns(reveal),
        rows=exporter.rows(queryset, reveal),
        progress=progress,
    )
    access_log_record(
        actor=actor,
        action=AccessLog.Action.EXPORT,
        area=scope,
        target_type=exporter.target_type or exporter.kind,
        target_label=describe_filters(filters),
        fields=",".join(exporter.reveal_fields) if reveal else "",
        row_count=count,
        origin=origin,
    )
    return count


def export_count(exporter: Exporter, *, viewer, filters: dict) -> int:
    return exporter.queryset(viewer, exporter.clean_filters(viewer, filters)).count()
