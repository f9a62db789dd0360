from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm
from fangkong.ledger.models import KeyPerson
from fangkong.monitoring import forms, links, selectors, services
from fangkong.monitoring.models import Alert, HealthLog, Slot
from fangkong.monitoring.notice import release_notice_docx

VIEW_LOGS = "monitoring.view_healthlog"
VIEW_KEYPERSON = "ledger.view_keyperson"


def _key_person(request, pk) -> KeyPerson:
    return get_object_or_404(selectors.keyperson_queryset(user=request.user), pk=pk)


# -- the day's logs (phone page) ----------------------------------------------------------


@require_safe
@require_perm(VIEW_LOGS, "monitoring.add_healthlog")
def log_today(request):
    form = forms.TodayFilterForm(request.GET or None, user=request.user)
    slot, area, q = services.current_slot(), "", ""
    if form.is_bound and form.is_valid():
        slot = form.cleaned_data["slot"] or slot
        area, q = form.cleaned_data["area"], form.cleaned_data["q"]
    persons = selectors.managed_list(user=request.user, area=area, q=q)
    if form.is_bound and not form.is_valid():
        persons = persons.none()
    page_obj = paginate(request, persons)
    today = timezone.localdate()
    logs = selectors.logs_by_person(key_person_ids=[kp.pk for kp in page_obj], date=today)
    cards = [_card(kp, logs.get(kp.pk, {}), slot) for kp in page_obj]
    return render(
        request,
        "monitoring/log_today.html",
        {
            "form": form,
            "page_obj": page_obj,
            "cards": cards,
            "slot": slot,
            "slot_label": Slot(slot).label,
            "today": today,
            "symptoms": services.SYMPTOMS.items(),
        },
    )


def _card(key_person, logs: dict, slot: str, form=None, saved=None) -> dict:
    return {
        "kp": key_person,
        "am": logs.get(Slot.MORNING),
        "pm": logs.get(Slot.AFTERNOON),
        "current": logs.get(slot),
        "am_fever": bool(logs.get(Slot.MORNING))
        and services.is_fever(logs[Slot.MORNING].temperature),
        "pm_fever": bool(logs.get(Slot.AFTERNOON))
        and services.is_fever(logs[Slot.AFTERNOON].temperature),
        "slot": slot,
        "form": form,
        "saved": saved,
    }


@require_POST
@require_perm(VIEW_LOGS, "monitoring.add_healthlog")
def log_save(request, pk):
    key_person = _key_person(request, pk)
    form = forms.HealthLogForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.healthlog_record(
                actor=request.user,
                key_person=key_person,
                slot=data["slot"],
                temperature=data["temperature"],
                symptoms=data["symptoms"],
                note=data["note"],
                via=HealthLog.Via.STAFF,
                correction_reason=data["correction_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="temperature")
    slot = request.POST.get("slot") if request.POST.get("slot") in Slot.values else "am"
    logs = selectors.logs_by_person(key_person_ids=[key_person.pk], date=timezone.localdate())
    card = _card(
        key_person, logs.get(key_person.pk, {}), slot, form=None if saved else form, saved=saved
    )
    context = {"card": card, "symptoms": services.SYMPTOMS.items()}
    if request.htmx:
        # htmx swaps only 2xx answers: the refused card comes back with its errors as 200.
        return render(request, "monitoring/partials/log_card.html", context)
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect(f"{reverse('monitoring:log_today')}?slot={slot}")
    return render(request, "monitoring/log_form.html", context, status=400)


# -- "未报" -------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_LOGS)
def missing(request):
    form = forms.TodayFilterForm(request.GET or None, user=request.user)
    slot, area = services.current_slot(), ""
    if form.is_bound and form.is_valid():
        slot = form.cleaned_data["slot"] or slot
        area = form.cleaned_data["area"]
    today = timezone.localdate()
    persons = selectors.missing_list(user=request.user, date=today, slot=slot, area=area)
    if form.is_bound and not form.is_valid():
        persons = persons.none()
    counts = selectors.missing_counts(user=request.user, date=today, area=area)
    windows = services.slot_windows()
    tabs = [
        {"slot": s, "label": Slot(s).label, "count": counts[s], "deadline": windows[s].deadline}
        for s in Slot.values
    ]
    return render(
        request,
        "monitoring/missing.html",
        {
            "form": form,
            "page_obj": paginate(request, persons),
            "slot": slot,
            "tabs": tabs,
            "today": today,
            "area": area,
        },
    )


# -- a key person's monitoring page --------------------------------------------------------


@require_safe
@require_perm(VIEW_LOGS, VIEW_KEYPERSON)
def keyperson_monitoring(request, pk):
    key_person = _key_person(request, pk)
    link = qr = None
    if key_person.state == KeyPerson.State.MANAGED and request.user.has_perm(
        "monitoring.add_healthlog"
    ):
        link = request.build_absolute_uri(
            reverse("monitoring:health_link", args=[links.link_token(key_person)])
        )
        qr = links.qr_svg(link)
    problems = (
        services.release_check(key_person=key_person)
        if key_person.state == KeyPerson.State.MANAGED
        else []
    )
    return render(
        request,
        "monitoring/keyperson.html",
        {
            "kp": key_person,
            "days": selectors.recent_logs(key_person),
            "link": link,
            "qr": qr,
            "follow_ups": list(selectors.followups_of(key_person)),
            "samples": list(key_person.samples.all()),
            "alerts": list(key_person.alerts.all()),
            "problems": problems,
            "release_form": forms.ReleaseForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_LOGS, "monitoring.add_followup")
def followup_create(request, pk):
    key_person = _key_person(request, pk)
    form = forms.FollowUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(actor=request.user, key_person=key_person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("monitoring:keyperson", pk=key_person.pk)
    return render(
        request,
        "monitoring/form.html",
        {"form": form, "kp": key_person, "title": _("Record a follow-up")},
        status=form_status(request, form),
    )


# -- samples ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm("monitoring.view_sample", "monitoring.add_sample")
def sample_create(request, pk):
    key_person = _key_person(request, pk)
    form = forms.SampleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sample_create(actor=request.user, key_person=key_person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sample recorded."))
            return redirect("monitoring:keyperson", pk=key_person.pk)
    return render(
        request,
        "monitoring/form.html",
        {"form": form, "kp": key_person, "title": _("Record a sample")},
        status=form_status(request, form),
    )


@require_safe
@require_perm("monitoring.view_sample")
def sample_list(request):
    form = forms.SampleFilterForm(request.GET or None)
    samples = selectors.sample_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            samples = selectors.sample_list(user=request.user, **form.cleaned_data)
        else:
            samples = samples.none()
    return render(
        request,
        "monitoring/sample_list.html",
        {"form": form, "page_obj": paginate(request, samples)},
    )


@require_http_methods(["GET", "POST"])
@require_perm("monitoring.view_sample", "monitoring.change_sample")
def sample_result(request, pk):
    sample = get_object_or_404(selectors.sample_queryset(user=request.user), pk=pk)
    form = forms.ResultForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sample_record_result(actor=request.user, sample=sample, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="result")
        else:
            messages.success(request, _("Result recorded."))
            return redirect("monitoring:keyperson", pk=sample.key_person_id)
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "kp": sample.key_person,
            "title": _("Result of sample %(number)s") % {"number": sample.sample_no},
        },
        status=form_status(request, form),
    )


# -- alerts -------------------------------------------------------------------------------


@require_safe
@require_perm("monitoring.view_alert")
def alert_list(request):
    form = forms.AlertFilterForm(request.GET or None)
    alerts = selectors.alert_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            alerts = selectors.alert_list(user=request.user, **form.cleaned_data)
        else:
            alerts = alerts.none()
    return render(
        request, "monitoring/alert_list.html", {"form": form, "page_obj": paginate(request, alerts)}
    )


def _alert(request, pk) -> Alert:
    return get_object_or_404(selectors.alert_queryset(user=request.user), pk=pk)


def _alert_page(request, alert, status=200, **forms_given):
    context = {
        "alert": alert,
        "refer_form": forms.ReferForm(),
        "outcome_form": forms.OutcomeForm(),
        "close_form": forms.CloseForm(),
    }
    context.update(forms_given)
    return render(request, "monitoring/alert_detail.html", context, status=status)


@require_safe
@require_perm("monitoring.view_alert")
def alert_detail(request, pk):
    return _alert_page(request, _alert(request, pk))


def _alert_action(request, pk, form_class, form_name, action, done):
    alert = _alert(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(alert, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, default_field=next(iter(form.fields)))
        else:
            messages.success(request, done)
            return redirect("monitoring:alert_detail", pk=alert.pk)
    return _alert_page(request, alert, status=400, **{form_name: form})


@require_POST
@require_perm("monitoring.view_alert", "monitoring.handle_alert")
def alert_refer(request, pk):
    return _alert_action(
        request,
        pk,
        forms.ReferForm,
        "refer_form",
        lambda alert, data: services.alert_refer(
            actor=request.user,
            alert=alert,
            referred_to=data["referred_to"],
            referred_at=data["referred_at"],
        ),
        _("Referral recorded."),
    )


@require_POST
@require_perm("monitoring.view_alert", "monitoring.handle_alert")
def alert_outcome(request, pk):
    return _alert_action(
        request,
        pk,
        forms.OutcomeForm,
        "outcome_form",
        lambda alert, data: services.alert_record_outcome(
            actor=request.user, alert=alert, outcome=data["outcome"], note=data["outcome_note"]
        ),
        _("Outcome recorded; the alert is closed."),
    )


@require_POST
@require_perm("monitoring.view_alert", "monitoring.handle_alert")
def alert_close(request, pk):
    return _alert_action(
        request,
        pk,
        forms.CloseForm,
        "close_form",
        lambda alert, data: services.alert_close(
            actor=request.user, alert=alert, note=data["outcome_note"]
        ),
        _("Alert closed."),
    )


# -- release ------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW_LOGS, VIEW_KEYPERSON)
def release_list(request):
    ids = selectors.release_due_ids(user=request.user)
    page_obj = Paginator(ids, settings.FANGKONG_PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.keypersons_by_ids(list(page_obj.object_list))
    return render(request, "monitoring/release_list.html", {"page_obj": page_obj})


@require_POST
@require_perm(VIEW_KEYPERSON, "ledger.release_keyperson")
def release_confirm(request, pk):
    key_person = _key_person(request, pk)
    form = forms.ReleaseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        key_person = services.release_confirm(
            actor=request.user, key_person=key_person, reason=reason
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring:keyperson", pk=key_person.pk)
    messages.success(
        request,
        _("%(name)s released; notice %(number)s.")
        % {"name": key_person.person.name, "number": key_person.release_notice_no},
    )
    return redirect("monitoring:keyperson", pk=key_person.pk)


@require_safe
@require_perm(VIEW_KEYPERSON)
def release_notice(request, pk):
    key_person = _key_person(request, pk)
    if key_person.state != KeyPerson.State.RELEASED or not key_person.release_notice_no:
        raise Http404
    response = HttpResponse(
        release_notice_docx(key_person),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"release-notice-{key_person.release_notice_no}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the personal link (public) ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def health_link(request, token):
    key_person = links.key_person_for_token(token)
    if key_person is None:
        return render(request, "monitoring/link_invalid.html", status=404)
    form = forms.SelfLogForm(posted(request), initial={"slot": services.current_slot()})
    saved = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.healthlog_record(
                actor=None,
                key_person=key_person,
                slot=data["slot"],
                temperature=data["temperature"],
                symptoms=data["symptoms"],
                via=HealthLog.Via.SELF,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="temperature")
        else:
            form = forms.SelfLogForm(initial={"slot": services.current_slot()})
    today = timezone.localdate()
    logs = selectors.logs_by_person(key_person_ids=[key_person.pk], date=today).get(
        key_person.pk, {}
    )
    slots = [
        {
            "slot": s,
            "label": Slot(s).label,
            "log": logs.get(s),
            "open": services.slot_open(s, today),
        }
        for s in Slot.values
    ]
    return render(
        request,
        "monitoring/health_link.html",
        {
            "first_name": links.first_name(key_person.person.name),
            "slots": slots,
            "form": form,
            "saved": saved,
            "today": today,
            "symptoms": services.SYMPTOMS.items(),
        },
        status=400 if request.method == "POST" and saved is None else 200,
    )
