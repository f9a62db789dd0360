import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.models import Area
from fangkong.core.scope import is_within
from fangkong.core.web import require_perm
from fangkong.reporting import selectors, services
from fangkong.reporting.computed import computed_figures
from fangkong.reporting.form import COUNT_FIELDS, FIELDS
from fangkong.reporting.forms import (
    RangeForm,
    ReportForm,
    ReturnForm,
    SummaryForm,
    day_from,
    report_initial,
)
from fangkong.reporting.models import DailyReport

VIEW = "reporting.view_dailyreport"
SUBMIT = "reporting.submit_report"
REVIEW = "reporting.review_report"
REMIND = "reporting.remind_report"


def _day(request, source=None) -> datetime.date:
    day = day_from(source or request)
    if day is None:
        raise Http404
    return day


class _Posted:
    """day_from reads request.GET; a POST carries its date in the body."""

    def __init__(self, request):
        self.GET = request.POST


def _unit(request, code) -> Area:
    unit = selectors.unit_for_reporter(user=request.user, code=code)
    if unit is None:
        raise Http404
    return unit


def _report(request, pk) -> DailyReport:
    return get_object_or_404(
        selectors.report_queryset(user=request.user).select_related("area"), pk=pk
    )


def _scope_area(request, code: str = "") -> Area:
    code = code or request.user.scope_id or ""
    area = Area.objects.for_user(request.user).filter(code=code).first() if code else None
    if area is None:
        raise Http404
    return area


@require_safe
@require_perm(VIEW)
def home(request):
    """Today at a glance for the user's scope: every unit and its report."""
    today = timezone.localdate()
    scope = _scope_area(request)
    board = selectors.day_board(code=scope.code, date=today)
    for row in board:
        # Only the village's own staff fill its report; the town reviews and reminds.
        row["can_fill"] = is_within(request.user.scope_id or "", row["unit"].code)
    figures = selectors.completeness(area_code=scope.code, date_from=today, date_to=today)
    town = scope if scope.level == Area.Level.TOWN else None
    return render(
        request,
        "reporting/home.html",
        {
            "scope": scope,
            "today": today,
            "deadline": selectors.deadline(today),
            "pending": selectors.is_pending(today),
            "board": board,
            "figures": figures,
            "town": town,
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, SUBMIT)
def unit_form(request, code):
    """The village's report of a day (today by default): new, returned for correction, or
    submitted (a change of an accepted one asks for a reason)."""
    unit = _unit(request, code)
    day = _day(request, _Posted(request) if request.method == "POST" else None)
    report = selectors.report_of(code=unit.code, date=day)
    if report is None:
        computed = computed_figures(area_code=unit.code, date=day)
        form = ReportForm(posted(request), computed=computed)
    else:
        computed = report.computed
        form = ReportForm(
            posted(request),
            computed=computed,
            needs_reason=report.status == DailyReport.Status.ACCEPTED,
            initial=report_initial(report),
        )
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                report = services.report_submit(
                    actor=request.user, area=unit, date=day, **form.service_kwargs()
                )
                messages.success(request, _("Daily report submitted."))
            else:
                services.report_update(
                    actor=request.user,
                    report=report,
                    reason=form.cleaned_data.get("reason", ""),
                    **form.service_kwargs(),
                )
                messages.success(request, _("Daily report saved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("reporting:report_detail", pk=report.pk)
    return render(
        request,
        "reporting/unit_form.html",
        {
            "unit": unit,
            "day": day,
            "today": timezone.localdate(),
            "report": report,
            "form": form,
            "deadline": selectors.deadline(day),
            "can_zero": report is None and not any(computed.values()),
        },
        status=form_status(request, form),
    )


@require_POST
@require_perm(VIEW, SUBMIT)
def unit_zero(request, code):
    unit = _unit(request, code)
    day = _day(request, _Posted(request))
    try:
        report = services.report_zero_submit(actor=request.user, area=unit, date=day)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(reverse("reporting:unit_form", kwargs={"code": unit.code}) + f"?date={day}")
    messages.success(request, _("Zero report submitted."))
    return redirect("reporting:report_detail", pk=report.pk)


@require_safe
@require_perm(VIEW)
def due(request, pk):
    """Where a "report due" notification leads: the unit's form for that day."""
    code, _sep, raw = pk.partition(":")
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None
    unit = _unit(request, code)
    if request.user.has_perm(SUBMIT):
        return redirect(reverse("reporting:unit_form", kwargs={"code": unit.code}) + f"?date={day}")
    town = unit.parent_id or unit.code
    return redirect(reverse("reporting:review", kwargs={"code": town}) + f"?date={day}")


@require_safe
@require_perm(VIEW)
def report_detail(request, pk):
    report = _report(request, pk)
    figures = [
        {
            "field": field,
            "value": getattr(report, field.key),
            "computed": (report.computed or {}).get(field.key),
            "correction": (report.corrections or {}).get(field.key),
        }
        for field in COUNT_FIELDS
    ]
    user = request.user
    reviewable = (
        user.has_perm(REVIEW)
        and report.status == DailyReport.Status.SUBMITTED
        and (user.scope.level < Area.Level.VILLAGE if user.scope_id else False)
    )
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "figures": figures,
            "fields": FIELDS,
            "revisions": selectors.revisions_of(report),
            "return_form": ReturnForm(),
            "reviewable": reviewable,
            "editable": user.has_perm(SUBMIT),
            "labels": {f.key: f.label for f in FIELDS},
        },
    )


@require_POST
@require_perm(VIEW, REVIEW)
def report_return(request, pk):
    report = _report(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                actor=request.user, report=report, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report returned to the village."))
            return redirect(_review_url(report))
    return render(
        request,
        "reporting/return_form.html",
        {"report": report, "form": form},
        status=400,
    )


@require_POST
@require_perm(VIEW, REVIEW)
def report_accept(request, pk):
    report = _report(request, pk)
    try:
        services.report_accept(actor=request.user, report=report)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(request, _("Report accepted."))
    return redirect(_review_url(report))


def _review_url(report) -> str:
    town = report.area.parent_id or report.area_id
    return reverse("reporting:review", kwargs={"code": town}) + f"?date={report.date}"


def _town(request, code) -> Area:
    town = selectors.town_in_scope(user=request.user, code=code)
    if town is None:
        raise Http404
    return town


@require_safe
@require_perm(VIEW, REVIEW)
def review(request, code):
    """A town's villages × their report of a day, with the town's summary."""
    town = _town(request, code)
    day = _day(request)
    summary = selectors.summary_of(code=town.code, date=day)
    initial = {"narrative": summary.narrative, "problems": summary.problems} if summary else {}
    return _review_page(request, town, day, SummaryForm(initial=initial), summary)


def _review_page(request, town, day, form, summary, status=200):
    return render(
        request,
        "reporting/review.html",
        {
            "town": town,
            "day": day,
            "today": timezone.localdate(),
            "board": selectors.day_board(code=town.code, date=day),
            "pending": selectors.is_pending(day),
            "totals": selectors.report_totals(area_code=town.code, date=day),
            "labels": [(f.key, f.label) for f in COUNT_FIELDS],
            "figures": selectors.completeness(area_code=town.code, date_from=day, date_to=day),
            "summary": summary,
            "summary_form": form,
            "return_form": ReturnForm(),
        },
        status=status,
    )


@require_POST
@require_perm(VIEW, REVIEW)
def summary(request, code):
    town = _town(request, code)
    day = _day(request, _Posted(request))
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.summary_submit(
                actor=request.user,
                area=town,
                date=day,
                narrative=form.cleaned_data["narrative"],
                problems=form.cleaned_data["problems"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Town summary submitted."))
            return redirect(
                reverse("reporting:review", kwargs={"code": town.code}) + f"?date={day}"
            )
    return _review_page(
        request, town, day, form, selectors.summary_of(code=town.code, date=day), status=400
    )


@require_safe
@require_perm(VIEW)
def overview(request):
    """Completeness and timeliness of the scope's children over a date range."""
    form = RangeForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "reporting/overview.html", {"form": form}, status=400)
    data = form.cleaned_data
    area = _scope_area(request, data.get("area") or "")
    figures = selectors.completeness(
        area_code=area.code, date_from=data["date_from"], date_to=data["date_to"]
    )
    for row in figures["by_child"]:
        expected = row["expected"]
        row["completeness"] = row["submitted"] / expected if expected else 0
        row["timeliness"] = row["on_time"] / expected if expected else 0
    return render(
        request,
        "reporting/overview.html",
        {
            "form": form,
            "area": area,
            "figures": figures,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "totals": selectors.report_totals(area_code=area.code, date=data["date_to"]),
            "labels": [(f.key, f.label) for f in COUNT_FIELDS],
            "summaries": selectors.summaries_of(code=area.code, date=data["date_to"]),
        },
    )


@require_safe
@require_perm(VIEW)
def missing(request):
    """The units of the scope without a report of the day, with reminders."""
    day = _day(request)
    area = _scope_area(request, request.GET.get("area", "").strip())
    board = [row for row in selectors.day_board(code=area.code, date=day) if not row["report"]]
    return render(
        request,
        "reporting/missing.html",
        {
            "area": area,
            "day": day,
            "today": timezone.localdate(),
            "rows": board,
            "deadline": selectors.deadline(day),
            "can_remind": request.user.has_perm(REMIND),
        },
    )


@require_POST
@require_perm(VIEW, REMIND)
def remind(request, code):
    """Remind the unit `code`, or every unit without a report under it."""
    area = _scope_area(request, code)
    day = _day(request, _Posted(request))
    sent = services.reminders_send(actor=request.user, area_code=area.code, date=day)
    if sent:
        messages.success(request, _("%(count)d units reminded.") % {"count": sent})
    else:
        messages.info(request, _("Nobody to remind: reports are in or reminders were sent."))
    back = request.POST.get("back", "")
    target = reverse("reporting:missing") + f"?date={day}"
    if back.isdigit():
        target += f"&area={back}"
    return redirect(target)
