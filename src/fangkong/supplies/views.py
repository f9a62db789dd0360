"""Supplies pages: warehouses and their stock, the ledger, documents, receipts, requests and
the catalogue. Each reads through a scoped selector and writes through one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fangkong.core.forms import add_service_errors, form_status, posted
from fangkong.core.web import paginate, require_perm
from fangkong.supplies import forms as f
from fangkong.supplies import selectors, services
from fangkong.supplies.models import Inbound, Item, Outbound, SupplyRequest

VIEW = services.VIEW
WORK = services.WORK
REQUEST = services.REQUEST
APPROVE = services.APPROVE
ITEMS = "supplies.view_item"


def _warehouse(request, pk):
    return get_object_or_404(selectors.warehouse_queryset(user=request.user), pk=pk)


def _split_errors(form, exc: ValidationError) -> list[str]:
    """Put the service's field errors on the form; return the line errors, which the page
    shows beside the lines."""
    if not hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
        return []
    messages_by_field = exc.message_dict
    lines = messages_by_field.pop("lines", [])
    if messages_by_field:
        add_service_errors(form, ValidationError(messages_by_field))
    return lines


# -- warehouses and stock --------------------------------------------------------------------


@require_safe
@require_perm(VIEW)
def warehouse_list(request):
    warehouses = list(selectors.warehouse_list(user=request.user))
    return render(
        request,
        "supplies/warehouse_list.html",
        {"warehouses": warehouses, "can_work": request.user.has_perm(WORK)},
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK, "supplies.add_warehouse")
def warehouse_create(request):
    if not request.user.scope_id or len(request.user.scope_id) > 9:
        raise Http404
    form = f.WarehouseForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Warehouse saved."))
            return redirect("supplies:warehouse_detail", pk=warehouse.pk)
    return render(
        request,
        "supplies/warehouse_form.html",
        {"form": form},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK, "supplies.change_warehouse")
def warehouse_edit(request, pk):
    warehouse = _warehouse(request, pk)
    initial = {k: getattr(warehouse, k) for k in ("name", "keeper", "phone", "address", "active")}
    form = f.WarehouseForm(posted(request), user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.warehouse_update(actor=request.user, warehouse=warehouse, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Warehouse saved."))
            return redirect("supplies:warehouse_detail", pk=warehouse.pk)
    return render(
        request,
        "supplies/warehouse_form.html",
        {"form": form, "warehouse": warehouse},
        status=form_status(request, form),
    )


@require_safe
@require_perm(VIEW)
def warehouse_detail(request, pk):
    warehouse = _warehouse(request, pk)
    rows = selectors.stock_rows(warehouse=warehouse)
    return render(
        request,
        "supplies/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "rows": rows,
            "low_count": sum(row["is_low"] for row in rows),
            "inbounds": selectors.inbounds(user=request.user, warehouse=warehouse)[:10],
            "outbounds": selectors.outbounds(user=request.user, warehouse=warehouse)[:10],
            "can_work": request.user.has_perm(WORK),
        },
    )


DOCUMENT_KINDS = ("inbound", "issue", "transfer")


@require_safe
@require_perm(VIEW)
def warehouse_documents(request, pk):
    warehouse = _warehouse(request, pk)
    kind = request.GET.get("kind", "issue")
    if kind not in DOCUMENT_KINDS:
        kind = "issue"
    if kind == "inbound":
        rows = selectors.inbounds(user=request.user, warehouse=warehouse)
    else:
        rows = selectors.outbounds(user=request.user, warehouse=warehouse, kind=kind)
    return render(
        request,
        "supplies/warehouse_documents.html",
        {
            "warehouse": warehouse,
            "kind": kind,
            "kinds": DOCUMENT_KINDS,
            "page_obj": paginate(request, rows.order_by("-day", "-id")),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW)
def item_ledger(request, pk, item):
    warehouse = _warehouse(request, pk)
    item = get_object_or_404(Item, pk=item)
    form = f.ThresholdForm(posted(request))
    if request.method == "POST":
        if not request.user.has_perm(WORK):
            raise Http404
        if form.is_valid():
            try:
                services.threshold_set(
                    actor=request.user,
                    warehouse=warehouse,
                    item=item,
                    threshold=form.cleaned_data["threshold"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="threshold")
            else:
                messages.success(request, _("Threshold saved."))
                return redirect("supplies:item_ledger", pk=warehouse.pk, item=item.pk)
    page = paginate(request, selectors.ledger(warehouse=warehouse, item=item))
    stock = selectors.stock_of(warehouse=warehouse, item=item)
    if stock is not None and not form.is_bound:
        form = f.ThresholdForm(initial={"threshold": stock.low_threshold.normalize()})
    return render(
        request,
        "supplies/item_ledger.html",
        {
            "warehouse": warehouse,
            "item": item,
            "stock": stock,
            "page_obj": page,
            "form": form,
            "can_work": request.user.has_perm(WORK),
        },
        status=form_status(request, form),
    )


# -- documents -------------------------------------------------------------------------------


def _document(request, pk, *, form, template, action, with_price=False, extra=None):
    """A document form with lines: the header form plus rows of item and quantity."""
    warehouse = extra["warehouse"]
    lines, rows = (
        f.posted_lines(request.POST, with_price=with_price)
        if request.method == "POST"
        else ([], [])
    )
    line_errors = []
    more = request.method == "POST" and "more" in request.POST
    if request.method == "POST" and not more and form.is_valid():
        try:
            result = action(form.cleaned_data, lines)
        except ValidationError as exc:
            line_errors = _split_errors(form, exc)
        else:
            return result
    context = {
        "form": form,
        "warehouse": warehouse,
        "rows": f.blank_rows(rows, f.row_count(rows, more)),
        "item_options": f.item_options(),
        "line_errors": line_errors,
        "with_price": with_price,
        **(extra or {}),
    }
    if more:
        # Only more rows were asked for: show the form again as typed, without errors.
        form.errors.clear()
    failed = request.method == "POST" and not more and (form.errors or line_errors)
    return render(request, template, context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK)
def inbound_create(request, pk):
    warehouse = _warehouse(request, pk)
    form = f.InboundForm(posted(request), initial={"kind": Inbound.Kind.PURCHASE})

    def action(data, lines):
        inbound = services.inbound_create(
            actor=request.user, warehouse=warehouse, lines=lines, **data
        )
        messages.success(request, _("Inbound %(number)s saved.") % {"number": inbound.number})
        return redirect("supplies:inbound_detail", pk=inbound.pk)

    return _document(
        request,
        pk,
        form=form,
        template="supplies/inbound_form.html",
        action=action,
        with_price=True,
        extra={"warehouse": warehouse},
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK)
def issue_create(request, pk):
    warehouse = _warehouse(request, pk)
    form = f.IssueForm(posted(request), warehouse=warehouse)

    def action(data, lines):
        outbound = services.issue_create(
            actor=request.user, warehouse=warehouse, lines=lines, **data
        )
        messages.success(request, _("Issue %(number)s saved.") % {"number": outbound.number})
        return redirect("supplies:outbound_detail", pk=outbound.pk)

    return _document(
        request,
        pk,
        form=form,
        template="supplies/issue_form.html",
        action=action,
        extra={"warehouse": warehouse},
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK)
def transfer_create(request, pk):
    warehouse = _warehouse(request, pk)
    form = f.TransferForm(posted(request), user=request.user, warehouse=warehouse)

    def action(data, lines):
        outbound = services.transfer_create(
            actor=request.user, warehouse=warehouse, lines=lines, **data
        )
        messages.success(request, _("Transfer %(number)s saved.") % {"number": outbound.number})
        return redirect("supplies:outbound_detail", pk=outbound.pk)

    return _document(
        request,
        pk,
        form=form,
        template="supplies/transfer_form.html",
        action=action,
        extra={"warehouse": warehouse},
    )


@require_http_methods(["GET", "POST"])
@require_perm(VIEW, WORK)
def adjustment_create(request, pk):
    warehouse = _warehouse(request, pk)
    form = f.AdjustmentForm(posted(request), initial={"item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.adjustment_create(
                actor=request.user, warehouse=warehouse, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Stocktake saved."))
            return redirect("supplies:item_ledger", pk=warehouse.pk, item=adjustment.item_id)
    return render(
        request,
        "supplies/adjustment_form.html",
        {"form": form, "warehouse": warehouse},
        status=form_status(request, form),
    )


@require_safe
@require_perm(VIEW)
def inbound_detail(request, pk):
    inbound = get_object_or_404(
        selectors.inbounds(user=request.user).select_related("created_by"), pk=pk
    )
    return render(
        request,
        "supplies/inbound_detail.html",
        {"inbound": inbound, "lines": selectors.inbound_lines(inbound)},
    )


def _outbound(request, pk) -> Outbound:
    return get_object_or_404(selectors.outbound_queryset(user=request.user), pk=pk)


@require_safe
@require_perm(ITEMS)
def outbound_detail(request, pk):
    outbound = _outbound(request, pk)
    issuer = (
        request.user.has_perm(WORK)
        and selectors.warehouse_queryset(user=request.user)
        .filter(pk=outbound.warehouse_id)
        .exists()
    )
    return render(
        request,
        "supplies/outbound_detail.html",
        {
            "outbound": outbound,
            "lines": selectors.outbound_lines(outbound),
            "trace": selectors.lot_trace(outbound=outbound) if issuer else [],
            "issuer": issuer,
            "can_confirm": selectors.can_confirm(request.user, outbound),
            "sign_form": f.SignForm(initial={"receiver_name": outbound.receiver_name}),
        },
    )


@require_safe
@require_perm(ITEMS)
def outbound_receipt(request, pk):
    outbound = _outbound(request, pk)
    if outbound.kind != Outbound.Kind.ISSUE:
        raise Http404
    return render(
        request,
        "supplies/receipt.html",
        {"outbound": outbound, "lines": selectors.outbound_lines(outbound)},
    )


@require_POST
@require_perm(VIEW, WORK)
def outbound_sign(request, pk):
    outbound = get_object_or_404(selectors.outbounds(user=request.user), pk=pk)
    form = f.SignForm(request.POST)
    if form.is_valid():
        try:
            services.outbound_sign(
                actor=request.user,
                outbound=outbound,
                receiver_name=form.cleaned_data["receiver_name"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Receipt recorded."))
            return redirect("supplies:outbound_detail", pk=outbound.pk)
    else:
        messages.error(request, _("Name the person who signed"))
    return redirect("supplies:outbound_detail", pk=outbound.pk)


@require_POST
@require_perm(ITEMS)
def outbound_confirm(request, pk):
    outbound = _outbound(request, pk)
    if not selectors.can_confirm(request.user, outbound):
        raise Http404
    try:
        services.outbound_confirm(actor=request.user, outbound=outbound)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt confirmed."))
    return redirect("supplies:outbound_detail", pk=outbound.pk)


@require_safe
@require_perm(REQUEST)
def received_list(request):
    page = paginate(request, selectors.received_outbounds(user=request.user))
    return render(request, "supplies/received_list.html", {"page_obj": page})


# -- requests --------------------------------------------------------------------------------


def _request(request, pk) -> SupplyRequest:
    return get_object_or_404(selectors.request_queryset(user=request.user), pk=pk)


@require_safe
@require_perm("supplies.view_supplyrequest")
def request_list(request):
    form = f.RequestFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.request_list(user=request.user, status=status))
    return render(
        request,
        "supplies/request_list.html",
        {"page_obj": page, "form": form, "can_ask": request.user.has_perm(REQUEST)},
    )


@require_http_methods(["GET", "POST"])
@require_perm(REQUEST)
def request_create(request):
    if not request.user.scope_id or services.approver_code(request.user.scope_id[:12]) is None:
        raise Http404
    form = f.RequestForm(posted(request))
    lines, rows = f.posted_lines(request.POST) if request.method == "POST" else ([], [])
    line_errors = []
    more = request.method == "POST" and "more" in request.POST
    if request.method == "POST" and not more and form.is_valid():
        try:
            supply_request = services.request_create(
                actor=request.user, lines=lines, **form.cleaned_data
            )
        except ValidationError as exc:
            line_errors = _split_errors(form, exc)
        else:
            messages.success(request, _("Request submitted."))
            return redirect("supplies:request_detail", pk=supply_request.pk)
    if more:
        form.errors.clear()
    failed = request.method == "POST" and not more and (form.errors or line_errors)
    return render(
        request,
        "supplies/request_form.html",
        {
            "form": form,
            "rows": f.blank_rows(rows, f.row_count(rows, more)),
            "item_options": f.item_options(),
            "line_errors": line_errors,
        },
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@require_perm("supplies.view_supplyrequest")
def request_detail(request, pk):
    supply_request = _request(request, pk)
    lines = list(supply_request.lines.select_related("item"))
    can_decide = selectors.can_decide(request.user, supply_request)
    decide_form = issue_form = None
    line_errors = []
    if can_decide and supply_request.status == SupplyRequest.Status.SUBMITTED:
        decide_form = f.DecisionForm(posted(request), user=request.user)
        if request.method == "POST" and decide_form.is_valid():
            decisions = {
                line.pk: {
                    "approved": request.POST.get(f"approved_{line.pk}"),
                    "reason": request.POST.get(f"reason_{line.pk}", ""),
                }
                for line in lines
            }
            try:
                services.request_decide(
                    actor=request.user,
                    request=supply_request,
                    decisions=decisions,
                    **decide_form.cleaned_data,
                )
            except ValidationError as exc:
                line_errors = exc.messages
            else:
                messages.success(request, _("Decision saved."))
                return redirect("supplies:request_detail", pk=supply_request.pk)
    elif request.method == "POST":
        raise Http404
    if can_decide and supply_request.status in (
        SupplyRequest.Status.APPROVED,
        SupplyRequest.Status.PARTLY,
    ):
        issue_form = f.IssueRequestForm(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supplies/request_detail.html",
        {
            "req": supply_request,
            "lines": lines,
            "decide_form": decide_form,
            "issue_form": issue_form,
            "line_errors": line_errors,
            "posted": request.POST if request.method == "POST" else {},
            "outbounds": list(supply_request.outbounds.all()),
            "can_cancel": supply_request.status == SupplyRequest.Status.SUBMITTED
            and request.user.has_perm(REQUEST)
            and supply_request.area_id.startswith(request.user.scope_id),
        },
        status=status,
    )


@require_POST
@require_perm("supplies.view_supplyrequest", APPROVE)
def request_issue(request, pk):
    supply_request = _request(request, pk)
    if not selectors.can_decide(request.user, supply_request):
        raise Http404
    form = f.IssueRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose the warehouse to issue from"))
        return redirect("supplies:request_detail", pk=supply_request.pk)
    try:
        services.request_issue(actor=request.user, request=supply_request, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Supplies issued."))
    return redirect("supplies:request_detail", pk=supply_request.pk)


@require_POST
@require_perm(REQUEST)
def request_cancel(request, pk):
    supply_request = _request(request, pk)
    try:
        services.request_cancel(actor=request.user, request=supply_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Request cancelled."))
    return redirect("supplies:request_detail", pk=supply_request.pk)


# -- catalogue -------------------------------------------------------------------------------


@require_safe
@require_perm(ITEMS)
def item_list(request):
    q = request.GET.get("q", "").strip()[:50]
    editor = selectors.can_edit_catalogue(request.user)
    items = selectors.catalogue(q=q, show_inactive=editor)
    return render(request, "supplies/item_list.html", {"items": items, "q": q, "can_edit": editor})


def _item_form(request, item=None):
    if not selectors.can_edit_catalogue(request.user):
        raise Http404
    initial = {"countable": True, "active": True}
    if item is not None:
        initial = {
            k: getattr(item, k)
            for k in ("category", "name", "specification", "unit", "countable", "active")
        }
    form = f.ItemForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if item is None:
                active = data.pop("active")
                item = services.item_create(actor=request.user, **data)
                if not active:
                    services.item_update(actor=request.user, item=item, active=False)
            else:
                services.item_update(actor=request.user, item=item, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("supplies:item_list")
    return render(
        request,
        "supplies/item_form.html",
        {"form": form, "item": item},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
@require_perm(ITEMS, "supplies.add_item")
def item_create(request):
    return _item_form(request)


@require_http_methods(["GET", "POST"])
@require_perm(ITEMS, "supplies.change_item")
def item_edit(request, pk):
    if not selectors.can_edit_catalogue(request.user):
        raise Http404
    return _item_form(request, get_object_or_404(Item, pk=pk))
