"""Requests (物资申请): a unit asks, the town or the district decides line by line and issues
from a warehouse in one step; both sides hear of it in their inbox."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.inbox.models import Notification
from fangkong.supplies import selectors, services
from fangkong.supplies.models import Outbound, RequestLine, SupplyRequest
from tests import factories
from tests.supplies import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(users, items):
    return services.request_create(
        actor=users.village,
        unit_type="village",
        purpose="防疫值守",
        lines=[
            {"item": items["一次性口罩"], "quantity": 500},
            {"item": items["84消毒液"], "quantity": 20},
        ],
    )


def _decisions(request, *values):
    lines = list(request.lines.order_by("id"))
    return {
        line.pk: {"approved": approved, "reason": reason}
        for line, (approved, reason) in zip(lines, values, strict=True)
    }


def test_it_sends_a_villages_request_to_its_town(asked, users, tree):
    assert asked.approver_area_id == tree.town.code
    assert asked.unit_name == tree.village.name
    notes = Notification.objects.filter(target_type="supply_request", target_id=str(asked.pk))
    assert list(notes.values_list("user_id", "kind")) == [(users.town.pk, "supply_request")]
    assert list(selectors.to_approve(user=users.town)) == [asked]
    assert not selectors.to_approve(user=users.other_town).exists()


def test_it_sends_a_towns_request_to_the_district(users, items, tree):
    request = services.request_create(
        actor=users.town,
        unit_type="town",
        purpose="补充库存",
        lines=[{"item": items["防护服"], "quantity": 50}],
    )
    assert request.approver_area_id == tree.county.code
    assert not selectors.can_decide(users.town, request)
    assert selectors.can_decide(users.command, request)


def test_it_refuses_bad_requests(users, items):
    with pytest.raises(ValidationError) as caught:
        services.request_create(
            actor=users.village,
            unit_type="village",
            purpose="",
            lines=[{"item": items["N95口罩"], "quantity": 1}],
        )
    assert "purpose" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.request_create(
            actor=users.village,
            unit_type="village",
            purpose="x",
            lines=[{"item": items["N95口罩"], "quantity": "0.5"}],
        )
    assert "第1行" in caught.value.message_dict["lines"][0]
    with pytest.raises(ValidationError) as caught:
        services.request_create(
            actor=users.command,
            unit_type="other",
            purpose="x",
            lines=[{"item": items["N95口罩"], "quantity": 1}],
        )
    assert "area" in caught.value.message_dict
    assert not SupplyRequest.objects.exists()


def test_it_approves_partly_with_reasons_and_issues_in_one_step(
    asked, users, items, town_store, tree
):
    helpers.stock_in(town_store, items["一次性口罩"], 1000)
    helpers.stock_in(town_store, items["84消毒液"], 5)
    with pytest.raises(ValidationError) as caught:
        services.request_decide(
            actor=users.town, request=asked, decisions=_decisions(asked, (300, ""), (5, "库存不足"))
        )
    assert "第1行" in caught.value.message_dict["lines"][0]
    with pytest.raises(ValidationError) as caught:
        services.request_decide(
            actor=users.town, request=asked, decisions=_decisions(asked, (600, ""), (5, "x"))
        )
    assert "不能超过" in caught.value.message_dict["lines"][0]
    assert not RequestLine.objects.filter(approved__isnull=False).exists()
    decided = services.request_decide(
        actor=users.town,
        request=asked,
        decisions=_decisions(asked, (500, ""), (5, "库存不足")),
        warehouse=town_store,
        receiver_name="村委王主任",
    )
    assert decided.status == SupplyRequest.Status.ISSUED
    outbound = Outbound.objects.get(request=asked)
    assert outbound.recipient_area_id == tree.village.code and outbound.receiver_name
    assert helpers.on_hand(town_store, items["84消毒液"]) == 0
    told = Notification.objects.filter(user=users.village, target_type="supply_request")
    assert told.count() == 1
    # The approver's notification is done.
    assert not Notification.objects.filter(
        user=users.town, target_type="supply_request", resolved_at__isnull=True
    ).exists()
    with pytest.raises(ValidationError):
        services.request_decide(
            actor=users.town, request=asked, decisions=_decisions(asked, (1, ""), (1, ""))
        )


def test_it_keeps_the_decision_when_the_issue_is_short(asked, users, items, town_store):
    helpers.stock_in(town_store, items["一次性口罩"], 10)
    with pytest.raises(ValidationError) as caught:
        services.request_decide(
            actor=users.town,
            request=asked,
            decisions=_decisions(asked, (500, ""), (20, "")),
            warehouse=town_store,
        )
    assert "一次性口罩" in caught.value.message_dict["lines"][0]
    asked.refresh_from_db()
    # Nothing half done: still awaiting a decision.
    assert asked.status == SupplyRequest.Status.SUBMITTED
    decided = services.request_decide(
        actor=users.town, request=asked, decisions=_decisions(asked, (0, "无库存"), (0, "无库存"))
    )
    assert decided.status == SupplyRequest.Status.REJECTED
    with pytest.raises(ValidationError):
        services.request_issue(actor=users.town, request=asked, warehouse=town_store)


def test_it_refuses_a_decision_from_the_wrong_town(asked, users):
    with pytest.raises(ValidationError):
        services.request_decide(
            actor=users.other_town, request=asked, decisions=_decisions(asked, (1, "x"), (1, "x"))
        )


def test_it_cancels_only_while_waiting(asked, users):
    with pytest.raises(ValidationError):
        services.request_cancel(actor=users.other_town, request=asked)
    services.request_cancel(actor=users.village, request=asked)
    asked.refresh_from_db()
    assert asked.status == SupplyRequest.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.request_cancel(actor=users.village, request=asked)


def test_it_runs_the_flow_through_the_pages(client_for, users, items, town_store, tree):
    helpers.stock_in(town_store, items["一次性口罩"], 1000)
    village = client_for(users.village)
    response = village.post(
        reverse("supplies:request_create"),
        {
            "unit_type": "village",
            "purpose": "",
            "item": [items["一次性口罩"].pk],
            "quantity": ["200"],
        },
    )
    assert response.status_code == 400
    response = village.post(
        reverse("supplies:request_create"),
        {"unit_type": "village", "purpose": "卡口值守", "item": [items["一次性口罩"].pk],
         "quantity": ["200"]},
    )  # fmt: skip
    assert response.status_code == 302
    request = SupplyRequest.objects.get()
    url = reverse("supplies:request_detail", args=[request.pk])
    assert village.post(url, {}).status_code == 404
    town = client_for(users.town)
    line = request.lines.get()
    page = town.get(url)
    assert page.status_code == 200 and page.context["decide_form"] is not None
    response = town.post(url, {f"approved_{line.pk}": "150", f"reason_{line.pk}": ""})
    assert response.status_code == 400 and response.context["line_errors"]
    response = town.post(url, {f"approved_{line.pk}": "150", f"reason_{line.pk}": "分批发放"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SupplyRequest.Status.PARTLY
    response = town.post(
        reverse("supplies:request_issue", args=[request.pk]), {"warehouse": town_store.pk}
    )
    request.refresh_from_db()
    assert request.status == SupplyRequest.Status.ISSUED
    assert helpers.on_hand(town_store, items["一次性口罩"]) == 850
    listing = village.get(reverse("supplies:request_list"))
    assert [r.pk for r in listing.context["page_obj"]] == [request.pk]
    for who in ("other_town", "outsider", "norole", "grid"):
        assert client_for(getattr(users, who)).get(url).status_code == 404


def test_it_shows_a_town_its_villages_requests_only(client_for, users, items, tree):
    mine = services.request_create(
        actor=users.village,
        unit_type="village",
        purpose="x",
        lines=[{"item": items["N95口罩"], "quantity": 1}],
    )
    other_staff = factories.user("yy", tree.other_village, "village_staff")
    services.request_create(
        actor=other_staff,
        unit_type="village",
        purpose="y",
        lines=[{"item": items["N95口罩"], "quantity": 1}],
    )
    response = client_for(users.town).get(reverse("supplies:request_list") + "?status=todo")
    assert [r.pk for r in response.context["page_obj"]] == [mine.pk]
    response = client_for(users.command).get(reverse("supplies:request_list"))
    assert len(response.context["page_obj"]) == 2


def test_it_pins_the_request_list_queries(client_for, users, items, django_assert_max_num_queries):
    for n in range(8):
        services.request_create(
            actor=users.village,
            unit_type="village",
            purpose=f"第{n}次",
            lines=[
                {"item": items["N95口罩"], "quantity": 1},
                {"item": items["护目镜"], "quantity": 1},
            ],
        )
    client = client_for(users.town)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("supplies:request_list"))
    assert len(response.context["page_obj"]) == 8
