from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.accounts.roles import ROLES
from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm
from fangkong.directives import selectors, services
from fangkong.directives.forms import DirectiveForm, FeedbackForm, SentFilterForm
from fangkong.directives.models import Directive

VIEW = selectors.VIEW
SEND = selectors.SEND
SIGN = selectors.SIGN


def _sent(request, pk) -> Directive:
    return get_object_or_404(
        selectors.sent_queryset(user=request.user).select_related("area"), pk=pk
    )


def _received(request, pk):
    return get_object_or_404(
        selectors.received_queryset(user=request.user).select_related(
            "directive", "directive__area", "area", "signed_by"
        ),
        pk=pk,
    )


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- sender ---------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW, SEND)
def sent_list(request):
    form = SentFilterForm(request.GET or None)
    state = q = ""
    if form.is_bound and form.is_valid():
        state, q = form.cleaned_data["state"], form.cleaned_data["q"].strip()
    page = paginate(request, selectors.sent_list(user=request.user, state=state, q=q))
    return render(request, "directives/sent_list.html", {"page_obj": page, "form": form})


def _compose(request, directive=None):
    initial = {"kind": Directive.Kind.NOTICE}
    if directive is not None:
        initial = {
            "kind": directive.kind,
            "title": directive.title,
            "body": directive.body,
            "deadline": timezone.localtime(directive.deadline),
            "units": list(directive.recipients.values_list("area_id", flat=True)),
            "roles": directive.roles,
        }
    form = DirectiveForm(posted(request), request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            if directive is None:
                directive = services.directive_create(
                    actor=request.user, send=send, **form.service_kwargs()
                )
            else:
                directive = services.directive_update(
                    actor=request.user, directive=directive, send=send, **form.service_kwargs()
                )
        except ValidationError as exc:
            # The service names the resolved recipients "areas"; the form's field is "units".
            if hasattr(exc, "error_dict") and "areas" in exc.error_dict:
                exc.error_dict["units"] = exc.error_dict.pop("areas")
            add_service_errors(form, exc)
        else:
            if send:
                messages.success(
                    request, _("Directive %(number)s sent.") % {"number": directive.number}
                )
            else:
                messages.success(request, _("Draft saved."))
            return redirect("directives:detail", pk=directive.pk)
    chosen = set(form.data.getlist("units")) if form.is_bound else set(initial.get("units", []))
    return render(
        request,
        "directives/directive_form.html",
        {
            "form": form,
            "directive": directive,
            "chosen": chosen,
            "attachments": selectors.directive_attachments(directive) if directive else [],
            "max_mb": services.max_file_bytes() // 2**20,
        },
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, SEND)
def directive_create(request):
    if not request.user.scope_id:
        raise Http404
    return _compose(request)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, SEND)
def directive_edit(request, pk):
    directive = _sent(request, pk)
    if directive.state != Directive.State.DRAFT:
        raise Http404
    return _compose(request, directive)


@require_safe
@require_perm(VIEW, SEND)
def directive_detail(request, pk):
    directive = _sent(request, pk)
    recipients = selectors.recipient_status(directive)
    today = timezone.localdate()
    totals = {
        "all": len(recipients),
        "signed": sum(r.is_signed for r in recipients),
        "answered": sum(bool(r.feedback_count) for r in recipients),
        "overdue": sum(r.overdue for r in recipients),
        "lagging": sum(r.lagging and r.reminded_on != today for r in recipients),
    }
    show = request.GET.get("show", "")
    if show == "unsigned":
        recipients = [r for r in recipients if not r.is_signed]
    elif show == "unanswered":
        recipients = [r for r in recipients if not r.feedback_count]
    elif show == "overdue":
        recipients = [r for r in recipients if r.overdue]
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "recipients": recipients,
            "totals": totals,
            "show": show,
            "today": today,
            "attachments": selectors.directive_attachments(directive),
            "role_labels": [str(ROLES[r][0]) for r in directive.roles if r in ROLES],
        },
    )


@require_POST
@require_perm(VIEW, SEND)
def directive_send(request, pk):
    directive = _sent(request, pk)
    try:
        directive = services.directive_send(actor=request.user, directive=directive)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect("directives:edit", pk=pk)
    messages.success(request, _("Directive %(number)s sent.") % {"number": directive.number})
    return redirect("directives:detail", pk=pk)


@require_POST
@require_perm(VIEW, SEND)
def directive_close(request, pk):
    directive = _sent(request, pk)
    try:
        services.directive_close(actor=request.user, directive=directive)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("Directive closed."))
    return redirect("directives:detail", pk=pk)


@require_POST
@require_perm(VIEW, SEND)
def directive_remind(request, pk):
    directive = _sent(request, pk)
    try:
        count = services.directive_remind_laggards(actor=request.user, directive=directive)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        if count:
            messages.success(request, _("%(count)d units reminded.") % {"count": count})
        else:
            messages.info(request, _("Every unit that lags behind was reminded today already."))
    return redirect("directives:detail", pk=pk)


@require_POST
@require_perm(VIEW, SEND)
def recipient_remind(request, pk):
    from fangkong.directives.models import Recipient

    recipient = get_object_or_404(
        Recipient.objects.filter(directive__in=selectors.sent_queryset(user=request.user)), pk=pk
    )
    try:
        reminded = services.recipient_remind(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        if reminded:
            messages.success(request, _("Unit reminded."))
        else:
            messages.info(request, _("This unit needs no reminder today."))
    return redirect("directives:detail", pk=recipient.directive_id)


@require_POST
@require_perm(VIEW, SEND)
def attachment_remove(request, pk):
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if (
        attachment is None
        or not selectors.sent_queryset(user=request.user)
        .filter(pk=attachment.directive_id)
        .exists()
    ):
        raise Http404
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("directives:edit", pk=attachment.directive_id)


# -- recipient ------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW, SIGN)
def received_list(request):
    show = request.GET.get("show", "")
    if show not in selectors.RECEIVED_FILTERS:
        show = ""
    page = paginate(request, selectors.received_list(user=request.user, show=show))
    counts = {
        "unsigned": selectors.to_sign(user=request.user).count(),
    }
    return render(
        request,
        "directives/received_list.html",
        {"page_obj": page, "show": show, "counts": counts, "now": timezone.now()},
    )


def _received_page(request, recipient, form=None, status=200):
    return render(
        request,
        "directives/received_detail.html",
        {
            "recipient": recipient,
            "directive": recipient.directive,
            "attachments": selectors.directive_attachments(recipient.directive),
            "feedbacks": list(selectors.feedbacks_of(recipient)),
            "below": selectors.units_below(user=request.user, recipient=recipient),
            "form": form or FeedbackForm(),
            "max_mb": services.max_file_bytes() // 2**20,
            "can_act": recipient.directive.state == Directive.State.SENT,
        },
        status=status,
    )


@require_safe
@require_perm(VIEW, SIGN)
def received_detail(request, pk):
    return _received_page(request, _received(request, pk))


@require_POST
@require_perm(VIEW, SIGN)
def received_sign(request, pk):
    recipient = _received(request, pk)
    try:
        services.recipient_sign(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("Signed."))
    return redirect("directives:received_detail", pk=pk)


@require_POST
@require_perm(VIEW, SIGN)
def received_feedback(request, pk):
    recipient = _received(request, pk)
    form = FeedbackForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.feedback_submit(
                actor=request.user,
                recipient=recipient,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Feedback submitted."))
            return redirect("directives:received_detail", pk=pk)
    return _received_page(request, recipient, form, status=400)


# -- files ----------------------------------------------------------------------------------


@require_safe
@require_perm(VIEW)
def attachment_download(request, pk):
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # FileResponse writes the Chinese name as RFC 6266 filename*=utf-8''…
    return FileResponse(handle, as_attachment=True, filename=attachment.name)
