"""Pages of the push loop and the key-person ledger: thin, the rules are in services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.models import Area
from fangkong.core.scope import scope_filter
from fangkong.core.web import paginate, require_perm
from fangkong.ledger import selectors, services
from fangkong.ledger.forms import (
    CategoryForm,
    ContactForm,
    KeyPersonEntryForm,
    KeyPersonFilterForm,
    MeasureForm,
    OutboundFilterForm,
    PolicyForm,
    PushAnswerForm,
    PushFilterForm,
    PushReceiveForm,
    PushRedirectForm,
    ReasonForm,
    RiskAreaForm,
    TeamMemberForm,
    TransitionForm,
    category_choices,
    is_district_admin,
)
from fangkong.ledger.models import Category, KeyPerson, Push, RiskArea, TeamMember
from fangkong.people import selectors as people_selectors
from fangkong.people.services import person_create

VIEW_PUSH = "ledger.view_push"
RECEIVE = "ledger.receive_push"
RESOLVE = "ledger.resolve_push"
VIEW_KP = "ledger.view_keyperson"
PERSON_SEARCH_LIMIT = 10
PENDING_PAGE_SIZE = 20


def _district(user) -> str:
    """The district whose policy the user works under."""
    scope = user.scope_id or ""
    return scope[:6] if len(scope) >= 6 else settings.FANGKONG_DISTRICT_CODE


# -- pushes ------------------------------------------------------------------------------------


def _push(request, pk):
    return get_object_or_404(selectors.push_queryset(user=request.user), pk=pk)


class _ReceiveDefaults:
    """What the receive forms of one page share, computed once for the page."""

    def __init__(self, pushes):
        self.categories = category_choices()
        self.policies: dict[str, Category] = {}
        self.by_code: dict[str, Category] | None = None
        villages = sorted({p.area_id[:12] for p in pushes})
        self.areas: dict[str, list] = {v: [] for v in villages}
        if villages:
            condition = Q()
            for village in villages:
                condition |= scope_filter("code", village)
            for code, name in (
                Area.objects.filter(condition).order_by("code").values_list("code", "name")
            ):
                self.areas[code[:12]].append((code, name))

    def category(self, push: Push) -> Category:
        if push.category_id:
            return push.category
        if self.by_code is None:
            self.by_code = {c.code: c for c in Category.objects.filter(active=True)}
        return services.push_suggested_category(
            push, by_code=self.by_code, district_default=self._district_default
        )

    def _district_default(self, district: str) -> Category:
        if district not in self.policies:
            self.policies[district] = services.default_category(services.policy_read(district))
        return self.policies[district]

    def form(self, push: Push, data=None) -> PushReceiveForm:
        return PushReceiveForm(
            data,
            push=push,
            category=self.category(push),
            categories=self.categories,
            areas=self.areas.get(push.area_id[:12]),
        )


@require_safe
@require_perm(VIEW_PUSH, RECEIVE)
def push_pending(request):
    # Each card carries two forms (about 15 ms to render): 20 a page keeps it quick on a phone.
    page_obj = paginate(request, selectors.push_pending(user=request.user), PENDING_PAGE_SIZE)
    defaults = _ReceiveDefaults(list(page_obj))
    for push in page_obj:
        push.receive_form = defaults.form(push)
        push.answer_form = PushAnswerForm(push=push)
    return render(request, "ledger/push_pending.html", {"page_obj": page_obj})


def _push_page(request, push, *, receive_form=None, answer_form=None, status=200):
    user = request.user
    refused = [f for f in (receive_form, answer_form) if f is not None and f.errors]
    context = {
        "push": push,
        "history": selectors.push_history(push, user=user),
        # Shown at the top: the refused form may no longer be offered (already handled).
        "errors": [e for f in refused for errors in f.errors.values() for e in errors],
    }
    if push.state == Push.State.PENDING and user.has_perm(RECEIVE):
        context["receive_form"] = receive_form or _ReceiveDefaults([push]).form(push)
        context["answer_form"] = answer_form or PushAnswerForm(push=push)
    if push.is_open and user.has_perm(RESOLVE):
        context["close_form"] = ReasonForm()
    key_person = KeyPerson.objects.filter(push=push).only("pk").first()
    context["key_person"] = key_person if user.has_perm(VIEW_KP) else None
    return render(request, "ledger/push_detail.html", context, status=status)


@require_safe
@require_perm(VIEW_PUSH)
def push_detail(request, pk):
    return _push_page(request, _push(request, pk))


def _back(request, push):
    if request.POST.get("back") == "pending":
        return redirect("ledger:push_pending")
    return redirect("ledger:push_detail", pk=push.pk)


@require_POST
@require_perm(VIEW_PUSH, RECEIVE)
def push_receive(request, pk):
    push = _push(request, pk)
    form = _ReceiveDefaults([push]).form(push, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            key_person = services.push_receive(
                actor=request.user,
                push=push,
                category=data["category"],
                measure=data["measure"],
                area=data["area"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s received into the ledger.") % {"name": key_person.person.name},
            )
            return _back(request, push)
    push.refresh_from_db()
    return _push_page(request, push, receive_form=form, status=400)


@require_POST
@require_perm(VIEW_PUSH, RECEIVE)
def push_answer(request, pk):
    push = _push(request, pk)
    form = PushAnswerForm(request.POST, push=push)
    if form.is_valid():
        try:
            services.push_answer(
                actor=request.user,
                push=push,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "reason")
        else:
            messages.success(request, _("Answer sent to the town and the command."))
            return _back(request, push)
    push.refresh_from_db()
    return _push_page(request, push, answer_form=form, status=400)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_PUSH, RESOLVE)
def push_redirect(request, pk):
    push = _push(request, pk)
    form = PushRedirectForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.push_redirect(
                actor=request.user,
                push=push,
                area=form.cleaned_data["area"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Push redirected to %(area)s.") % {"area": new.area.name})
            return redirect("ledger:push_detail", pk=new.pk)
    return render(
        request,
        "ledger/push_redirect.html",
        {"push": push, "form": form},
        status=form_status(request, form),
    )


@require_POST
@require_perm(VIEW_PUSH, RESOLVE)
def push_close(request, pk):
    push = _push(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.push_close(actor=request.user, push=push, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, "reason")
        else:
            messages.success(request, _("Push closed."))
            return redirect("ledger:push_open")
    for error in form.errors.get("reason", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("ledger:push_detail", pk=push.pk)


@require_safe
@require_perm(VIEW_PUSH, RESOLVE)
def push_open(request):
    form = PushFilterForm(request.GET or None, user=request.user)
    pushes = selectors.push_open(user=request.user)
    if form.is_bound:
        if form.is_valid():
            pushes = selectors.push_open(user=request.user, **form.cleaned_data)
        else:
            pushes = pushes.none()
    return render(
        request,
        "ledger/push_list.html",
        {"form": form, "page_obj": paginate(request, pushes), "overdue": False},
    )


@require_safe
@require_perm(VIEW_PUSH, RESOLVE)
def push_overdue(request):
    pushes = selectors.push_overdue(user=request.user)
    policy = services.policy_read(_district(request.user))
    return render(
        request,
        "ledger/push_list.html",
        {
            "form": None,
            "page_obj": paginate(request, pushes),
            "overdue": True,
            "hours": policy.receipt_overdue_hours,
        },
    )


# -- outbound ----------------------------------------------------------------------------------


@require_safe
@require_perm("ledger.view_outbound")
def outbound_list(request):
    form = OutboundFilterForm(request.GET or None)
    rows = selectors.outbound_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            rows = selectors.outbound_list(user=request.user, **form.cleaned_data)
        else:
            rows = rows.none()
    return render(
        request, "ledger/outbound_list.html", {"form": form, "page_obj": paginate(request, rows)}
    )


@require_POST
@require_perm("ledger.view_outbound", "ledger.change_outbound")
def outbound_sent(request, pk):
    outbound = get_object_or_404(selectors.outbound_list(user=request.user), pk=pk)
    try:
        services.outbound_mark_sent(actor=request.user, outbound=outbound)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as sent."))
    return redirect("ledger:outbound_list")


# -- key persons -------------------------------------------------------------------------------


def _keyperson(request, pk):
    return get_object_or_404(selectors.keyperson_queryset(user=request.user), pk=pk)


def _keyperson_list(request, *, mine: bool):
    form = KeyPersonFilterForm(request.GET or None, user=request.user)
    people = selectors.keyperson_list(user=request.user, state="open" if mine else "", mine=mine)
    if form.is_bound:
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
            if mine:
                filters.setdefault("state", "open")
            people = selectors.keyperson_list(user=request.user, mine=mine, **filters)
        else:
            people = people.none()
    return render(
        request,
        "ledger/keyperson_list.html",
        {"form": form, "page_obj": paginate(request, people), "mine": mine},
    )


@require_safe
@require_perm(VIEW_KP)
def keyperson_list(request):
    return _keyperson_list(request, mine=False)


@require_safe
@require_perm(VIEW_KP)
def keyperson_mine(request):
    return _keyperson_list(request, mine=True)


def _keyperson_page(request, key_person, *, transition_form=None, measure_form=None, status=200):
    user = request.user
    allowed = services.TRANSITIONS.get(key_person.state, frozenset()) - {KeyPerson.State.RELEASED}
    context = {
        "kp": key_person,
        "events": list(selectors.keyperson_events(key_person)),
        "team": selectors.keyperson_team(key_person),
        "sources": list(selectors.contact_sources(user=user, person=key_person.person)),
        "today": timezone.localdate(),
    }
    if user.has_perm("ledger.transition_keyperson") and allowed:
        form = transition_form or TransitionForm()
        form.fields["to_state"].choices = [
            (value, label) for value, label in form.fields["to_state"].choices if value in allowed
        ]
        context["transition_form"] = form
    if user.has_perm("ledger.change_keyperson") and key_person.is_open:
        context["measure_form"] = measure_form or MeasureForm(
            initial={"measure": key_person.measure}
        )
    if key_person.push_id and user.has_perm(VIEW_PUSH):
        context["push"] = key_person.push
    return render(request, "ledger/keyperson_detail.html", context, status=status)


@require_safe
@require_perm(VIEW_KP)
def keyperson_detail(request, pk):
    return _keyperson_page(request, _keyperson(request, pk))


@require_POST
@require_perm(VIEW_KP, "ledger.transition_keyperson")
def keyperson_transition(request, pk):
    key_person = _keyperson(request, pk)
    # Bound without the per-state narrowing: an illegal target reaches the service, which
    # refuses it with its own message.
    form = TransitionForm(request.POST)
    form.fields["to_state"].choices = [(v, lbl) for v, lbl in KeyPerson.State.choices]
    if form.is_valid():
        try:
            services.keyperson_transition(
                actor=request.user,
                key_person=key_person,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "to_state")
        else:
            messages.success(request, _("State changed."))
            return redirect("ledger:keyperson_detail", pk=key_person.pk)
    key_person.refresh_from_db()
    return _keyperson_page(request, key_person, transition_form=form, status=400)


@require_POST
@require_perm(VIEW_KP, "ledger.change_keyperson")
def keyperson_measure(request, pk):
    key_person = _keyperson(request, pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            services.keyperson_change_measure(
                actor=request.user,
                key_person=key_person,
                measure=form.cleaned_data["measure"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "measure")
        else:
            messages.success(request, _("Measure changed."))
            return redirect("ledger:keyperson_detail", pk=key_person.pk)
    return _keyperson_page(request, key_person, measure_form=form, status=400)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_KP, "ledger.change_teammember")
def keyperson_team(request, pk):
    key_person = _keyperson(request, pk)
    form = TeamMemberForm(posted(request), key_person=key_person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_member_set(
                actor=request.user,
                key_person=key_person,
                role=data["role"],
                user=data["user"],
                name=data["name"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team updated."))
            return redirect("ledger:keyperson_team", pk=key_person.pk)
    return render(
        request,
        "ledger/keyperson_team.html",
        {"kp": key_person, "team": selectors.keyperson_team(key_person), "form": form},
        status=form_status(request, form),
    )


@require_POST
@require_perm(VIEW_KP, "ledger.change_teammember")
def keyperson_team_remove(request, pk, member):
    key_person = _keyperson(request, pk)
    member = get_object_or_404(TeamMember.objects.filter(key_person=key_person), pk=member)
    services.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("Team updated."))
    return redirect("ledger:keyperson_team", pk=key_person.pk)


def _entry_person(request, data):
    if data["person"] is not None:
        return data["person"]
    return person_create(
        actor=request.user,
        area=data["area"],
        name=data["name"],
        id_number=data["id_number"],
        phone=data["phone"],
        address=data["address"],
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW_KP, "ledger.add_keyperson")
def keyperson_create(request):
    """Manual entry, or household investigation with ?source=investigation."""
    investigation = (request.POST or request.GET).get("source") == "investigation"
    form = KeyPersonEntryForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key_person = _enter(request, data, investigation)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s entered in the ledger.") % {"name": key_person.person.name}
            )
            return redirect("ledger:keyperson_detail", pk=key_person.pk)
    return render(
        request,
        "ledger/keyperson_form.html",
        {"form": form, "investigation": investigation},
        status=form_status(request, form),
    )


def _enter(request, data, investigation: bool):
    from django.db import transaction

    with transaction.atomic():
        person = _entry_person(request, data)
        category = data["category"]
        return services.keyperson_create(
            actor=request.user,
            person=person,
            area=data["area"] if data["person"] is None else None,
            category=category,
            measure=data["measure"] or category.default_measure,
            source=(KeyPerson.Source.INVESTIGATION if investigation else KeyPerson.Source.MANUAL),
            period_start=data["period_start"],
            origin=data["origin"],
            note=data["note"],
            reason=_("Household investigation") if investigation else _("Manual entry"),
        )


@require_safe
@require_perm("people.view_person")
def person_search(request):
    """Registered persons matching a full ID number, phone or name (htmx), to pick one."""
    text = request.GET.get("q", "").strip()
    field = request.GET.get("field", "person")
    if field not in ("person", "contact"):
        raise Http404
    results = []
    # One Chinese character narrows enough (a surname); one letter of pinyin does not.
    if len(text) >= (2 if text.isascii() else 1):
        results = list(
            people_selectors.person_list(user=request.user, q=text)[:PERSON_SEARCH_LIMIT]
        )
    return render(
        request,
        "ledger/partials/person_results.html",
        {"results": results, "q": text, "field": field},
    )


# -- contacts ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm("people.view_person", "ledger.view_contact")
def person_contacts(request, pk):
    person = get_object_or_404(people_selectors.person_queryset(user=request.user), pk=pk)
    can_add = request.user.has_perm("ledger.add_contact")
    if request.method == "POST" and not can_add:
        raise Http404
    form = ContactForm(posted(request), user=request.user) if can_add else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _link(request, person, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact linked."))
            return redirect("ledger:person_contacts", pk=person.pk)
    return render(
        request,
        "ledger/person_contacts.html",
        {
            "person": person,
            "chain": selectors.contact_chain(user=request.user, person=person),
            "sources": list(selectors.contact_sources(user=request.user, person=person)),
            "form": form,
            "depth": selectors.CHAIN_DEPTH,
        },
        status=form_status(request, form) if form is not None else 200,
    )


def _link(request, source, data):
    from django.db import transaction

    with transaction.atomic():
        contact = data["contact"] or person_create(
            actor=request.user,
            area=data["area"],
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
        )
        return services.contact_link(
            actor=request.user,
            source=source,
            contact=contact,
            degree=data["degree"],
            relation=data["relation"],
            last_contact_on=data["last_contact_on"],
            note=data["note"],
            enter_ledger=data["enter_ledger"],
        )


# -- configuration -----------------------------------------------------------------------------


def _district_admin(request):
    if not is_district_admin(request.user, settings.FANGKONG_DISTRICT_CODE):
        raise Http404


@require_http_methods(["GET", "POST"])
@require_perm("ledger.change_policy")
def policy_edit(request):
    if not request.user.scope_id:
        raise Http404
    policy = services.policy_read(_district(request.user))
    initial = {
        "push_from_other_provinces": policy.push_from_other_provinces,
        "push_from_risk_areas": policy.push_from_risk_areas,
        "push_flagged": policy.push_flagged,
        "receipt_overdue_hours": policy.receipt_overdue_hours,
        "default_category": policy.default_category_id,
    }
    form = PolicyForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_for(policy.area_id)
            services.policy_update(actor=request.user, policy=policy, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("ledger:policy_edit")
    return render(
        request,
        "ledger/policy_form.html",
        {"form": form, "policy": policy},
        status=form_status(request, form),
    )


@require_safe
@require_perm("ledger.view_category", "ledger.change_category")
def category_list(request):
    _district_admin(request)
    return render(request, "ledger/category_list.html", {"categories": selectors.category_list()})


@require_http_methods(["GET", "POST"])
@require_perm("ledger.view_category", "ledger.add_category")
def category_create(request):
    _district_admin(request)
    form = CategoryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("ledger:category_list")
    return render(
        request,
        "ledger/category_form.html",
        {"form": form, "category": None},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm("ledger.view_category", "ledger.change_category")
def category_edit(request, pk):
    _district_admin(request)
    category = get_object_or_404(Category, pk=pk)
    initial = {
        "code": category.code,
        "name": category.name,
        "observation_days": category.observation_days,
        "default_measure": category.default_measure,
        "requires_negative_test": category.requires_negative_test,
        "order": category.order,
        "active": category.active,
    }
    form = CategoryForm(posted(request), initial=initial, category=category)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code")
        try:
            services.category_save(actor=request.user, category=category, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("ledger:category_list")
    return render(
        request,
        "ledger/category_form.html",
        {"form": form, "category": category},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm("ledger.view_riskarea", "ledger.add_riskarea")
def riskarea_list(request):
    _district_admin(request)
    form = RiskAreaForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.riskarea_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Risk area listed."))
            return redirect("ledger:riskarea_list")
    return render(
        request,
        "ledger/riskarea_list.html",
        {"form": form, "risk_areas": selectors.riskarea_list()},
        status=form_status(request, form),
    )


@require_POST
@require_perm("ledger.view_riskarea", "ledger.change_riskarea")
def riskarea_deactivate(request, pk):
    _district_admin(request)
    risk_area = get_object_or_404(RiskArea, pk=pk)
    services.riskarea_deactivate(actor=request.user, risk_area=risk_area)
    messages.success(request, _("Risk area removed from the list."))
    return redirect("ledger:riskarea_list")
