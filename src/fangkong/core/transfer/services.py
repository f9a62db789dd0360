"""Import and export jobs: created by the pages, run by a Huey task or inline.

Running a job is idempotent: the first runner moves it from pending to running in one UPDATE,
and any later call (a retried task, a second worker) finds nothing to do.
"""

import logging
import os
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.core.models import ExportJob, ImportJob, JobStatus
from fangkong.core.scope import is_within
from fangkong.core.services import Origin
from fangkong.core.transfer import registry
from fangkong.core.transfer.exports import export_count, export_workbook
from fangkong.core.transfer.imports import ImportResult, import_workbook
from fangkong.core.transfer.reader import WorkbookError
from fangkong.core.transfer.writer import error_sheet_bytes, export_filename

logger = logging.getLogger(__name__)

# Errors listed on the job page; the error sheet has all of them.
ERRORS_SHOWN = 200


def max_upload_bytes() -> int:
    return settings.FANGKONG_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message() -> str:
    return _("The file is larger than %(mb)d MB.") % {"mb": settings.FANGKONG_MAX_UPLOAD_MB}


def _origin_fields(origin: Origin) -> dict:
    return {"ip_address": origin.ip_address, "user_agent": origin.user_agent[:300]}


def _origin(job) -> Origin:
    return Origin(ip_address=job.ip_address, user_agent=job.user_agent)


def _claim(model, job_id: int):
    if not model.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING
    ):
        return None
    return model.objects.select_related("created_by", "area").get(pk=job_id)


def _may_still(job, permission: str) -> bool:
    """The requester may still do this: active, permitted, and the job inside their scope."""
    user = job.created_by
    return (
        user is not None
        and user.is_active
        and user.has_perm(permission)
        and is_within(job.area_id, user.scope_id)
    )


def _finish(model, job, **fields) -> None:
    fields.setdefault("finished_at", timezone.now())
    model.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


# Imports


@transaction.atomic
def import_job_create(
    *, actor, kind: str, upload, origin: Origin, total_rows: int = 0
) -> ImportJob:
    importer = registry.importer(kind)
    if not actor.has_perm(importer.permission) or actor.scope_id is None:
        raise PermissionDenied
    if upload.size > max_upload_bytes():
        raise WorkbookError(too_large_message())
    job = ImportJob(
        kind=kind,
        area_id=actor.scope_id,
        created_by=actor,
        original_name=os.path.basename(upload.name)[:255],
        total_rows=total_rows,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        **_origin_fields(origin),
    )
    # Stored under a random name: the user's file name is only shown, never used as a path.
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    return job


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a pending import job; returns it, or None if it was not pending."""
    job = _claim(ImportJob, job_id)
    if job is None:
        return None
    importer = registry.importer(job.kind)

    def progress(phase, done, total):
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, processed_rows=done, total_rows=total
        )

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if not _may_still(job, importer.permission):
                _finish(
                    ImportJob,
                    job,
                    status=JobStatus.FAILED,
                    phase="",
                    message=_("You may no longer import into this area."),
                )
                return job
            with job.file.open("rb") as fh:
                result = import_workbook(
                    importer,
                    fh,
                    actor=job.created_by,
                    scope=job.area,
                    origin=_origin(job),
                    label=job.original_name,
                    progress=progress,
                )
        except WorkbookError as exc:
            _finish(ImportJob, job, status=JobStatus.FAILED, phase="", message=str(exc))
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _finish(
                ImportJob,
                job,
                status=JobStatus.FAILED,
                phase="",
                message=_("The import stopped on an unexpected error; nothing was saved."),
            )
        else:
            _record_result(job, result)
        finally:
            _discard_upload(job)
    return job


def _record_result(job: ImportJob, result: ImportResult) -> None:
    if result.errors:
        name = f"{uuid.uuid4().hex}.xlsx"
        job.error_file.save(name, ContentFile(error_sheet_bytes(result.errors)), save=False)
        _finish(
            ImportJob,
            job,
            status=JobStatus.FAILED,
            phase="",
            total_rows=result.total_rows,
            processed_rows=result.total_rows,
            error_count=len(result.errors),
            errors=[e.as_dict() for e in result.errors[:ERRORS_SHOWN]],
            error_file=job.error_file.name,
            message=ngettext(
                "%(n)d error found; nothing was imported. Correct the file and upload it again.",
                "%(n)d errors found; nothing was imported. Correct the file and upload it again.",
                len(result.errors),
            )
            % {"n": len(result.errors)},
        )
    else:
        _finish(
            ImportJob,
            job,
            status=JobStatus.DONE,
            phase="",
            total_rows=result.total_rows,
            processed_rows=result.total_rows,
            created_rows=result.created,
            message=ngettext("%(n)d row imported.", "%(n)d rows imported.", result.created)
            % {"n": result.created},
        )


def _discard_upload(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_job_start(job: ImportJob, *, inline: bool) -> None:
    """Run now (a small file, for instant feedback) or queue for the worker after commit."""
    if inline:
        import_job_run(job.pk)
        job.refresh_from_db()
        return
    from fangkong.core import tasks

    transaction.on_commit(lambda: tasks.import_job_run(job.pk))


# Exports


@transaction.atomic
def export_job_create(
    *, actor, kind: str, filters: dict, reveal: bool, origin: Origin
) -> ExportJob:
    """Raises PermissionDenied, or FilterError for filters the list itself would refuse."""
    exporter = registry.exporter(kind)
    if not actor.has_perm(exporter.permission) or actor.scope_id is None:
        raise PermissionDenied
    if reveal and not exporter.can_reveal(actor):
        raise PermissionDenied
    kept = {k: str(v) for k, v in filters.items() if k in exporter.filter_names() and v}
    exporter.clean_filters(actor, kept)
    job = ExportJob.objects.create(
        kind=kind,
        area_id=actor.scope_id,
        created_by=actor,
        filters=kept,
        reveal=reveal,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        **_origin_fields(origin),
    )
    from fangkong.core import tasks

    transaction.on_commit(lambda: tasks.export_job_run(job.pk))
    return job


def export_job_run(job_id: int) -> ExportJob | None:
    job = _claim(ExportJob, job_id)
    if job is None:
        return None
    exporter = registry.exporter(job.kind)
    actor = job.created_by
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if not _may_still(job, exporter.permission) or (
            job.reveal and not exporter.can_reveal(actor)
        ):
            _finish(
                ExportJob,
                job,
                status=JobStatus.FAILED,
                message=_("You may no longer export this list."),
            )
            return job
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            total = export_count(exporter, viewer=actor, filters=job.filters)
            ExportJob.objects.filter(pk=job.pk).update(total_rows=total, phase="writing")

            def progress(done):
                ExportJob.objects.filter(pk=job.pk).update(processed_rows=done)

            count = export_workbook(
                exporter,
                path,
                viewer=actor,
                actor=actor,
                scope=job.area,
                filters=job.filters,
                reveal=job.reveal,
                origin=_origin(job),
                progress=progress,
            )
            with open(path, "rb") as fh:
                job.file.save(export_filename(exporter.label), File(fh), save=False)
        except Exception:
            logger.exception("export job %s failed", job.pk)
            _finish(
                ExportJob,
                job,
                status=JobStatus.FAILED,
                phase="",
                message=_("The export stopped on an unexpected error."),
            )
        else:
            _finish(
                ExportJob,
                job,
                status=JobStatus.DONE,
                phase="",
                file=job.file.name,
                total_rows=count,
                processed_rows=count,
                message=ngettext("%(n)d row exported.", "%(n)d rows exported.", count)
                % {"n": count},
            )
        finally:
            os.unlink(path)
    return job
