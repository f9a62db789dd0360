"""Background tasks of the ledger."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.ledger import services


@db_periodic_task(crontab(minute="*/10"))
def push_overdue_sweep() -> int:
    """Every ten minutes: tell the town and the command about pushes that became overdue.

    The service notifies each push once, so a sweep that runs twice or overlaps another
    writes nothing twice.
    """
    return services.push_notify_overdue()
