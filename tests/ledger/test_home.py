"""The ledger on the home page: what waits (panel) and persons under management (counter)."""

import re

from django.urls import reverse

from fangkong.ledger import services
from tests.ledger import helpers
from tests.ui.queries import queries_for


def figures(body):
    return dict(re.findall(r'data-figure="(\w+)">.*?badge text-bg-light">(\d+)<', body, re.S))


def counters(body):
    return dict(re.findall(r'data-counter="([^"]+)">.*?fk-stat-value">([\d,]+)<', body, re.S))


def test_the_village_sees_pushes_awaiting_receipt(client_for, users, tree):
    helpers.push(tree.grid)
    helpers.push(tree.village2)
    body = client_for(users.village).get(reverse("home")).content.decode()
    assert figures(body) == {"pending": "1"}
    assert f'href="{reverse("ledger:keyperson_mine")}"' in body


def test_the_command_sees_answered_and_overdue_pushes_and_managed_persons(client_for, users, tree):
    helpers.age(helpers.push(tree.grid), 20)
    answered = helpers.push(tree.village2)
    services.push_answer(actor=users.town, push=answered, answer="not_found", reason="无")
    helpers.key_person(tree.grid)
    body = client_for(users.command).get(reverse("home")).content.decode()
    assert figures(body) == {"answered": "1", "overdue": "1"}
    assert counters(body)[reverse("ledger:keyperson_list")] == "1"
    assert f'href="{reverse("ledger:policy_edit")}"' in body
    body = client_for(users.town).get(reverse("home")).content.decode()
    assert figures(body) == {"pending": "1", "answered": "1", "overdue": "1"}


def test_nothing_shows_without_the_roles(client_for, users, tree):
    helpers.push(tree.grid)
    body = client_for(users.norole).get(reverse("home")).content.decode()
    assert "/ledger/" not in body


def test_the_ledger_adds_three_queries_to_the_home_page(client_for, users, tree):
    client = client_for(users.town)
    helpers.push(tree.grid)
    few = queries_for(client, reverse("home"))
    for n in range(10):
        helpers.age(helpers.push(tree.grid, f"人{n}"), 20)
        helpers.key_person(tree.grid, f"管{n}")
    assert queries_for(client, reverse("home")) == few
