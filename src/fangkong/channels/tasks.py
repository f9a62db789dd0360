"""Background sending of channel deliveries, queued on commit by the services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from fangkong.channels import services


@db_task()
def delivery_send(delivery_id: int) -> None:
    """One attempt; a failure that has attempts left schedules the next after its backoff.

    The attempts are counted on the row, not by Huey, so a retry from the log, a resumed
    stalled delivery and the scheduled retries all share the same limit.
    """
    delivery = services.delivery_attempt(delivery_id)
    if delivery is None:
        return
    delay = services.retry_delay(delivery)
    if delay is not None:
        delivery_send.schedule((delivery_id,), delay=delay)


@db_periodic_task(crontab(minute="*/15"))
def deliveries_resume() -> int:
    """Every quarter hour: queue again the pending deliveries whose task was lost."""
    ids = services.deliveries_stalled()
    for pk in ids:
        delivery_send(pk)
    return len(ids)
