"""Import and export jobs: idempotent runs, Huey tasks, failures that leave nothing behind."""

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from fangkong.core import tasks
from fangkong.core.models import AccessLog, ExportJob, ImportJob, JobStatus
from fangkong.core.transfer import services
from fangkong.people.models import Person
from fangkong.people.transfer import PersonExporter, PersonImporter
from tests import factories
from tests.transfer.workbooks import person_row, workbook


def pending_import(tree, user, rows):
    job = ImportJob(kind="persons", area=user.scope, created_by=user, original_name="a.xlsx")
    job.file.save("a.xlsx", ContentFile(workbook(rows)), save=False)
    job.save()
    return job


def test_the_task_runs_a_job_once(tree, users):
    job = pending_import(tree, users.town, [person_row(tree.grid)])
    tasks.import_job_run(job.pk)
    tasks.import_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_rows, job.processed_rows) == ("done", 1, 1)
    assert Person.objects.count() == 1
    assert AccessLog.objects.filter(action="import").count() == 1
    assert services.import_job_run(job.pk) is None


def test_a_job_whose_creator_lost_the_permission_writes_nothing(tree, users):
    job = pending_import(tree, users.town, [person_row(tree.grid)])
    users.town.groups.clear()
    services.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message
    assert not Person.objects.exists()
    assert not job.file


def test_a_job_outside_the_creators_new_scope_writes_nothing(tree, users):
    job = pending_import(tree, users.town, [person_row(tree.grid)])
    users.town.scope = tree.other_town
    users.town.save()
    services.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not Person.objects.exists()


def test_an_unexpected_error_fails_the_job_and_rolls_back(tree, users, monkeypatch):
    def explode(self, run):
        Person.objects.create(area=tree.grid, name="半途")
        raise RuntimeError("disk full")

    monkeypatch.setattr(PersonImporter, "write", explode)
    job = pending_import(tree, users.town, [person_row(tree.grid)])
    services.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message
    assert "disk" not in job.message
    assert not Person.objects.exists()
    assert not AccessLog.objects.exists()
    assert not job.file


def test_an_export_job_runs_once_and_logs_once(tree, users):
    factories.person(tree.grid)
    job = ExportJob.objects.create(kind="persons", area=tree.town, created_by=users.town)
    tasks.export_job_run(job.pk)
    tasks.export_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows) == ("done", 1, 1)
    assert job.file.name.endswith(".xlsx")
    assert AccessLog.objects.filter(action="export").count() == 1


def test_a_failed_export_leaves_no_file_and_no_log(tree, users, monkeypatch):
    def broken(self, queryset, reveal):
        yield {"name": "x"}
        raise RuntimeError("lost connection")

    monkeypatch.setattr(PersonExporter, "rows", broken)
    job = ExportJob.objects.create(kind="persons", area=tree.town, created_by=users.town)
    services.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert not AccessLog.objects.exists()


def test_an_unmasked_export_is_refused_once_the_reveal_permission_is_gone(tree, users):
    job = ExportJob.objects.create(
        kind="persons", area=tree.town, created_by=users.town, reveal=True
    )
    users.town.groups.clear()
    users.town.user_permissions.add(Permission.objects.get(codename="export_people"))
    services.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
