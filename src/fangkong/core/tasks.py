"""Background tasks of core: thin wrappers queued with transaction.on_commit.

Each task only names a job; the service claims it (pending -> running) so a retried or
duplicated task does nothing.
"""

from huey.contrib.djhuey import db_task

from fangkong.core.transfer import services


@db_task()
def import_job_run(job_id: int) -> None:
    services.import_job_run(job_id)


@db_task()
def export_job_run(job_id: int) -> None:
    services.export_job_run(job_id)
