"""Periodic work of the reporting app (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.reporting import services


@db_periodic_task(crontab(minute="*/5"))
def report_reminders() -> None:
    # Every five minutes; only the runs in the hour before the deadline act, and units
    # reminded already (Reminder rows) are skipped, so every unit gets one reminder a day.
    services.reminders_due()
