"""Periodic work of the monitoring module (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.monitoring import services


@db_periodic_task(crontab(minute="*/10"))
def missed_log_reminders() -> None:
    # Every ten minutes: a slot whose deadline has passed is swept; persons reminded already
    # are skipped (MissedLog rows), so the runs after the first only catch newcomers.
    services.missed_log_sweep()
