"""The town's and the command's open pushes: redirect, close, overdue."""

import re

from django.urls import reverse

from fangkong.ledger import services
from fangkong.ledger.models import Policy, Push
from tests.ledger import helpers
from tests.ui.queries import queries_for

URL = reverse("ledger:push_open")
OVERDUE = reverse("ledger:push_overdue")


def ids(body):
    return re.findall(r'<tr data-id="(\d+)"', body)


def test_it_lists_pending_and_answered_pushes_of_the_scope(client_for, users, tree):
    pending = helpers.push(tree.grid)
    answered = helpers.push(tree.village2)
    services.push_answer(actor=users.town, push=answered, answer="not_found", reason="无此人")
    received = helpers.push(tree.grid)
    services.push_receive(actor=users.village, push=received)
    helpers.push(tree.other_village)
    body = client_for(users.town).get(URL).content.decode()
    assert ids(body) == [str(pending.pk), str(answered.pk)]
    body = client_for(users.command).get(URL + "?state=answered").content.decode()
    assert ids(body) == [str(answered.pk)]
    body = client_for(users.command).get(URL).content.decode()
    assert len(ids(body)) == 3


def test_it_filters_by_id_number_through_the_hash(client_for, users, tree):
    number = "420106198001010016"
    from fangkong.core.idcard import make_id_number

    number = make_id_number("420106", __import__("datetime").date(1980, 1, 1), 1)
    wanted = helpers.push(tree.grid, "甲", id_number=number)
    helpers.push(tree.grid, "乙")
    body = client_for(users.command).get(URL, {"q": number}).content.decode()
    assert ids(body) == [str(wanted.pk)]


def test_redirect_moves_an_answered_push_to_another_village(client_for, users, tree):
    push = helpers.push(tree.village)
    services.push_answer(actor=users.village, push=push, answer="wrong_address", reason="不在")
    client = client_for(users.town)
    redirect_url = reverse("ledger:push_redirect", args=[push.pk])
    assert client.get(redirect_url).status_code == 200
    response = client.post(redirect_url, {"area": tree.village2.code, "reason": ""})
    assert response.status_code == 400
    response = client.post(redirect_url, {"area": tree.other_village.code, "reason": "x"})
    assert response.status_code == 400  # outside the town
    response = client.post(redirect_url, {"area": tree.village2.code, "reason": "住乙烯社区"})
    assert response.status_code == 302
    push.refresh_from_db()
    assert push.state == Push.State.REDIRECTED
    new = Push.objects.get(redirected_from=push)
    assert new.area_id == tree.village2.code and new.state == Push.State.PENDING
    assert new.id_number_hash == push.id_number_hash


def test_close_needs_an_answered_push_and_a_reason(client_for, users, tree):
    push = helpers.push(tree.grid)
    client = client_for(users.command)
    close_url = reverse("ledger:push_close", args=[push.pk])
    client.post(close_url, {"reason": "重复"})
    assert Push.objects.get(pk=push.pk).state == Push.State.PENDING
    services.push_answer(actor=users.village, push=push, answer="not_found", reason="无")
    client.post(close_url, {"reason": ""})
    assert Push.objects.get(pk=push.pk).state == Push.State.ANSWERED
    assert client.post(close_url, {"reason": "已离开本区"}).status_code == 302
    assert Push.objects.get(pk=push.pk).state == Push.State.CLOSED


def test_overdue_lists_pending_pushes_older_than_the_policy(client_for, users, tree):
    old = helpers.age(helpers.push(tree.grid, "旧"), 13)
    helpers.age(helpers.push(tree.grid, "新"), 2)
    answered = helpers.age(helpers.push(tree.grid, "答"), 30)
    services.push_answer(actor=users.village, push=answered, answer="not_found", reason="无")
    client = client_for(users.command)
    assert ids(client.get(OVERDUE).content.decode()) == [str(old.pk)]
    Policy.objects.update_or_create(area_id="370305", defaults={"receipt_overdue_hours": 1})
    assert len(ids(client.get(OVERDUE).content.decode())) == 2
    assert ids(client_for(users.outsider).get(OVERDUE).content.decode()) == []


def test_permission_matrix(client_for, users, tree):
    push = helpers.push(tree.grid)
    services.push_answer(actor=users.village, push=push, answer="not_found", reason="无")
    for who in ("norole", "village", "grid"):
        client = client_for(getattr(users, who))
        for page in (URL, OVERDUE, reverse("ledger:push_redirect", args=[push.pk])):
            assert client.get(page).status_code == 404, (who, page)
    for who in ("outsider", "other_town"):
        client = client_for(getattr(users, who))
        assert push.name not in client.get(URL).content.decode()
        assert client.get(reverse("ledger:push_redirect", args=[push.pk])).status_code == 404
        client.post(reverse("ledger:push_close", args=[push.pk]), {"reason": "x"})
        assert Push.objects.get(pk=push.pk).state == Push.State.ANSWERED


def test_the_lists_cost_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.command)
    helpers.age(helpers.push(tree.grid), 20)
    few, few_overdue = queries_for(client, URL), queries_for(client, OVERDUE)
    for n in range(10):
        helpers.age(helpers.push(tree.village2, f"人{n}"), 20)
    assert queries_for(client, URL) == few
    assert queries_for(client, OVERDUE) == few_overdue
