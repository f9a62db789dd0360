"""A push's page: facts, actions for whoever may act, and its history of redirects."""

import re

from django.urls import reverse

from fangkong.ledger import services
from tests.ledger import helpers


def url(push):
    return reverse("ledger:push_detail", args=[push.pk])


def test_it_shows_the_redirect_history(client_for, users, tree):
    push = helpers.push(tree.village, "张三")
    services.push_answer(actor=users.village, push=push, answer="wrong_address", reason="不在本村")
    new = services.push_redirect(actor=users.town, push=push, area=tree.grid3, reason="在乙烯")
    body = client_for(users.town).get(url(new)).content.decode()
    assert re.findall(r'data-push="(\d+)"', body) == [str(push.pk), str(new.pk)]
    assert "不在本村" in body and "在乙烯" in body
    # The village of the first push sees only its own part of the chain.
    body = client_for(users.village).get(url(push)).content.decode()
    assert re.findall(r'data-push="(\d+)"', body) == [str(push.pk)]


def test_it_offers_receive_and_answer_to_the_village_only_while_pending(client_for, users, tree):
    push = helpers.push(tree.grid)
    body = client_for(users.village).get(url(push)).content.decode()
    assert 'data-testid="receive-form"' in body and 'data-testid="answer-form"' in body
    body = client_for(users.grid).get(url(push)).content.decode()
    assert 'data-testid="receive-form"' not in body
    body = client_for(users.command).get(url(push)).content.decode()
    assert 'data-testid="receive-form"' not in body and 'data-testid="redirect"' in body
    key_person = services.push_receive(actor=users.village, push=push)
    body = client_for(users.village).get(url(push)).content.decode()
    assert 'data-testid="receive-form"' not in body
    assert reverse("ledger:keyperson_detail", args=[key_person.pk]) in body


def test_permission_matrix(client_for, users, tree):
    push = helpers.push(tree.grid)
    for who in ("outsider", "other_town", "norole"):
        assert client_for(getattr(users, who)).get(url(push)).status_code == 404, who
    assert client_for(users.grid).get(url(helpers.push(tree.grid2))).status_code == 404
    for who in ("grid", "village", "town", "command"):
        assert client_for(getattr(users, who)).get(url(push)).status_code == 200, who
