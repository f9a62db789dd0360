"""Pages of imports and exports: thin, the work is in `services`.

Every page needs the permission of its kind and a scope; a job is visible to its creator only.
Anything else answers 404.
"""

from pathlib import PurePath
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from fangkong.core.models import ExportJob, ImportJob
from fangkong.core.transfer import registry, services
from fangkong.core.transfer.exports import export_count
from fangkong.core.transfer.forms import XLSX_TYPE, ExportOptionsForm, ImportUploadForm
from fangkong.core.transfer.reader import peek_row_count
from fangkong.core.transfer.spec import FilterError
from fangkong.core.transfer.writer import template_bytes
from fangkong.core.web import client_origin, require_perm

RECENT_JOBS = 10
# Multipart overhead allowed above the file size limit before the body is refused unread.
MULTIPART_SLACK = 64 * 1024


def _with_perm(request, permission, view, *args, **kwargs):
    """Run `view` behind core.web.require_perm for a permission known only per kind."""
    return require_perm(permission)(view)(request, *args, **kwargs)


def _scoped(request):
    if not request.user.scope_id:
        raise Http404


def _import_page(request, importer, form, status=200, refused=""):
    jobs = (
        ImportJob.objects.filter(created_by=request.user, kind=importer.kind)
        .only(
            "pk",
            "kind",
            "status",
            "phase",
            "original_name",
            "created_at",
            "total_rows",
            "processed_rows",
            "created_rows",
            "error_count",
            "finished_at",
        )
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )
    context = {
        "importer": importer,
        "form": form,
        "refused": refused,
        "jobs": jobs,
        "max_mb": settings.FANGKONG_MAX_UPLOAD_MB,
        "sync_max_rows": settings.FANGKONG_IMPORT_SYNC_MAX_ROWS,
    }
    return render(request, "core/transfer/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@csrf_exempt
def import_page(request, kind):
    # CSRF is checked below, after the size check: the middleware would read the whole
    # multipart body (and write it to disk) before a too-large upload could be refused.
    importer = registry.importer_or_404(kind)
    return _with_perm(request, importer.permission, _import_view, importer)


@csrf_protect
def _import_view(request, importer):
    _scoped(request)
    if request.method != "POST":
        return _import_page(request, importer, ImportUploadForm())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > services.max_upload_bytes() + MULTIPART_SLACK:
        return _import_page(
            request, importer, ImportUploadForm(), status=413, refused=services.too_large_message()
        )
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, importer, form, status=400)
    upload = form.cleaned_data["file"]
    rows = peek_row_count(upload)
    job = services.import_job_create(
        actor=request.user,
        kind=importer.kind,
        upload=upload,
        origin=client_origin(request),
        total_rows=rows or 0,
    )
    inline = rows is not None and rows <= settings.FANGKONG_IMPORT_SYNC_MAX_ROWS
    services.import_job_start(job, inline=inline)
    return redirect("transfer:import_job", pk=job.pk)


@require_GET
@login_required
def template_download(request, kind):
    importer = registry.importer_or_404(kind)
    return _with_perm(request, importer.permission, _template, importer)


def _template(request, importer):
    _scoped(request)
    name = _("%(label)s import template") % {"label": importer.label}
    response = HttpResponse(template_bytes(importer), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response


def _own_job(request, model, pk):
    return get_object_or_404(model.objects.select_related("area"), pk=pk, created_by=request.user)


@require_GET
@login_required
def import_job(request, pk):
    job = _own_job(request, ImportJob, pk)
    importer = registry.importer_or_404(job.kind)
    return _with_perm(request, importer.permission, _job_page, "import", job, importer=importer)


def _job_page(request, direction, job, **context):
    """The job page, or only its progress panel when htmx polls it."""
    partial = "_" if request.htmx else ""
    template = f"core/transfer/{partial}{direction}_job.html"
    return render(request, template, {"job": job, **context})


@require_GET
@login_required
def import_errors(request, pk):
    job = _own_job(request, ImportJob, pk)
    importer = registry.importer_or_404(job.kind)
    return _with_perm(request, importer.permission, _import_errors, job)


def _import_errors(request, job):
    if not job.error_file:
        raise Http404
    stem = PurePath(job.original_name).stem or job.kind
    name = _("%(name)s errors") % {"name": stem}
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=f"{name}.xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def export_start(request, kind):
    exporter = registry.exporter_or_404(kind)
    return _with_perm(request, exporter.permission, _export_start, exporter)


def _export_start(request, exporter):
    """GET (the list's Export button, with the list's filters) shows what will be exported
    and, to users who may reveal, the "unmasked" option; the POST of that form starts the job.

    Starting is a POST, not the GET itself: an export writes an access-log entry in the
    user's name, which a prefetched or forged link must not do.
    """
    _scoped(request)
    user = request.user
    filters = {k: v for k in exporter.filter_names() if (v := request.GET.get(k, ""))}
    try:
        count = export_count(exporter, viewer=user, filters=filters)
    except FilterError as exc:
        return HttpResponseBadRequest(
            _("The list filters are not valid: %(errors)s") % {"errors": exc}
        )
    if request.method == "POST":
        options = ExportOptionsForm(request.POST)
        if not options.is_valid():
            return HttpResponseBadRequest(_("Start the export from its form."))
        try:
            job = services.export_job_create(
                actor=user,
                kind=exporter.kind,
                filters=filters,
                reveal=options.cleaned_data["unmasked"],
                origin=client_origin(request),
            )
        except PermissionDenied:
            raise Http404 from None
        return redirect("transfer:export_job", pk=job.pk)
    return render(
        request,
        "core/transfer/export.html",
        {
            "exporter": exporter,
            "count": count,
            "filters": _filter_labels(exporter, filters),
            "query": urlencode(filters),
            "options": ExportOptionsForm(),
            "can_reveal": exporter.can_reveal(user),
        },
    )


def _filter_labels(exporter, filters: dict) -> list[tuple[str, str]]:
    """(label, value) of each filter as the list's form names them."""
    fields = exporter.filter_form.base_fields if exporter.filter_form else {}
    shown = []
    for name, value in filters.items():
        field = fields.get(name)
        choices = dict(getattr(field, "choices", None) or ())
        label = field.label if field is not None and field.label else name
        shown.append((str(label), str(choices.get(value, value))))
    return shown


@require_GET
@login_required
def export_job(request, pk):
    job = _own_job(request, ExportJob, pk)
    exporter = registry.exporter_or_404(job.kind)
    return _with_perm(request, exporter.permission, _job_page, "export", job, exporter=exporter)


@require_GET
@login_required
def export_download(request, pk):
    job = _own_job(request, ExportJob, pk)
    exporter = registry.exporter_or_404(job.kind)
    return _with_perm(request, exporter.permission, _export_download, exporter, job)


def _export_download(request, exporter, job):
    if not job.file or (job.reveal and not exporter.can_reveal(request.user)):
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=PurePath(job.file.name).name
    )


@require_GET
@login_required
def job_list(request):
    kinds = [*registry.importers().values(), *registry.exporters().values()]
    if not any(request.user.has_perm(kind.permission) for kind in kinds):
        raise Http404
    imports = ImportJob.objects.filter(created_by=request.user).order_by("-created_at", "-id")
    exports = list(
        ExportJob.objects.filter(created_by=request.user).order_by("-created_at", "-id")[:20]
    )
    exporters = registry.exporters()
    for job in exports:
        job.label = exporters[job.kind].label if job.kind in exporters else job.kind
    return render(
        request, "core/transfer/job_list.html", {"imports": imports[:20], "exports": exports}
    )
