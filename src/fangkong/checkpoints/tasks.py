"""Background tasks of the checkpoints module."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.checkpoints.services import prefill_purge


@db_periodic_task(crontab(minute="7"))
def prefills_purge() -> None:
    # Pre-filled entries hold ID numbers of travellers who may never have arrived: they go
    # a day after they were made (new entries also sweep them; this covers quiet nights).
    prefill_purge()
