from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.models import AccessLog, Area


@dataclass(frozen=True)
class Origin:
    """Where a request came from, recorded with every access to personal data."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def command_line(cls) -> "Origin":
        return cls(ip_address=None, user_agent="fangkong command line")


@transaction.atomic
def access_log_record(
    *,
    actor,
    action: str,
    area: Area | str,
    target_type: str,
    target_id: str = "",
    target_label: str = "",
    fields: str = "",
    row_count: int = 0,
    origin: Origin,
) -> AccessLog:
    """One audit entry. `actor` None is the command line: the entry names it in the
    language the command runs in, since there is no user to name."""
    entry = AccessLog(
        actor=actor,
        actor_name=str(actor) if actor is not None else str(_("command line")),
        action=action,
        area_id=area if isinstance(area, str) else area.code,
        target_type=target_type,
        target_id=str(target_id),
        target_label=target_label[:200],
        fields=fields,
        row_count=row_count,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent[:300],
    )
    entry.full_clean()
    entry.save()
    return entry
