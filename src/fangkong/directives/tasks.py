"""Periodic work of the directives app (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.directives import services


@db_periodic_task(crontab(minute="*/15"))
def directive_reminders() -> None:
    # Acts only on directives due within FANGKONG_DIRECTIVE_REMIND_HOURS; a unit is reminded
    # at most once a day, so running often costs one query when nothing is due.
    services.directives_remind_due()
