from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.briefings import content, document, selectors, services
from fangkong.briefings.forms import EditForm, FilterForm, GenerateForm
from fangkong.briefings.models import Briefing
from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm

VIEW, ADD, CHANGE = selectors.VIEW, selectors.ADD, selectors.CHANGE
APPROVE, PUBLISH = selectors.APPROVE, selectors.PUBLISH
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _briefing(request, pk) -> Briefing:
    briefing = selectors.briefing_for(user=request.user, pk=pk)
    if briefing is None:
        raise Http404
    return briefing


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_safe
@require_perm(VIEW)
def briefing_list(request):
    form = FilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
    page = paginate(request, selectors.briefing_list(user=request.user, **filters))
    return render(
        request,
        "briefings/briefing_list.html",
        {"page_obj": page, "form": form, "can_generate": request.user.has_perm(ADD)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, ADD)
def briefing_generate(request):
    if not request.user.scope_id:
        raise Http404
    form = GenerateForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            briefing, created = services.briefing_generate(
                actor=request.user, date=form.cleaned_data["date"], area=form.cleaned_data["area"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(
                    request, _("Briefing %(number)s generated.") % {"number": briefing.number}
                )
            else:
                messages.info(request, _("That day's briefing already exists."))
            return redirect("briefings:detail", pk=briefing.pk)
    return render(
        request,
        "briefings/briefing_generate.html",
        {"form": form},
        status=form_status(request, form),
    )


@require_safe
@require_perm(VIEW)
def briefing_detail(request, pk):
    briefing = _briefing(request, pk)
    user = request.user
    return render(
        request,
        "briefings/briefing_detail.html",
        {
            "briefing": briefing,
            "sections": content.numbered(briefing.sections),
            "columns": content.TABLE_COLUMNS,
            "rows": content.table_rows(briefing.figures),
            "date_text": content.chinese_date(briefing.date),
            "can_change": briefing.is_draft and user.has_perm(CHANGE),
            "can_approve": briefing.is_draft and user.has_perm(APPROVE),
            "can_publish": briefing.state == Briefing.State.APPROVED and user.has_perm(PUBLISH),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, CHANGE)
def briefing_edit(request, pk):
    briefing = _briefing(request, pk)
    if not briefing.is_draft:
        raise Http404
    form = EditForm(posted(request), briefing=briefing)
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_update(actor=request.user, briefing=briefing, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Briefing saved."))
            return redirect("briefings:detail", pk=pk)
    return render(
        request,
        "briefings/briefing_edit.html",
        {"form": form, "briefing": briefing},
        status=form_status(request, form),
    )


def _act(request, pk, service, done: str):
    briefing = _briefing(request, pk)
    try:
        service(actor=request.user, briefing=briefing)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, done)
    return redirect("briefings:detail", pk=pk)


@require_POST
@require_perm(VIEW, CHANGE)
def briefing_regenerate(request, pk):
    return _act(request, pk, services.briefing_regenerate, _("Briefing regenerated."))


@require_POST
@require_perm(VIEW, APPROVE)
def briefing_approve(request, pk):
    return _act(request, pk, services.briefing_approve, _("Briefing approved."))


@require_POST
@require_perm(VIEW, PUBLISH)
def briefing_publish(request, pk):
    return _act(request, pk, services.briefing_publish, _("Briefing published."))


def docx_response(briefing) -> HttpResponse:
    response = HttpResponse(document.build(briefing), content_type=DOCX)
    # RFC 6266 filename*=utf-8''… for the Chinese file name.
    response["Content-Disposition"] = content_disposition_header(True, document.filename(briefing))
    return response


@require_safe
@require_perm(VIEW)
def briefing_download(request, pk):
    return docx_response(_briefing(request, pk))
