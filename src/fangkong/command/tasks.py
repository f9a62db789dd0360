"""Periodic work of the command (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.command import services


@db_periodic_task(crontab(minute="20"))
def figures_aggregate() -> None:
    # Hourly: the first run after midnight closes yesterday, the others settle rows of
    # closed days recorded late (offline phones syncing) so the live part stays small.
    services.figures_aggregate()
