"""The person page shows the person's ledger periods and their timeline."""

import re

from django.urls import reverse

from fangkong.ledger import services
from tests import factories
from tests.ledger import helpers
from tests.ui.queries import queries_for


def url(person):
    return reverse("people:person_detail", args=[person.pk])


def test_it_shows_the_periods_with_their_timeline(client_for, users, tree):
    person = factories.person(tree.grid, "张三")
    first = helpers.key_person(tree.grid, person=person)
    services.keyperson_transition(actor=None, key_person=first, to_state="lost", reason="走失")
    second = helpers.key_person(tree.grid, person=person, category=helpers.category("fever"))
    body = client_for(users.village).get(url(person)).content.decode()
    assert re.findall(r'data-period="(\d+)"', body) == [str(second.pk), str(first.pk)]
    assert "走失" in body
    assert 'data-testid="ledger-periods"' in body


def test_it_hides_the_section_without_the_ledger_permission(client_for, users, tree):
    from django.contrib.auth.models import Permission

    reader = factories.user("reader", tree.town)
    reader.user_permissions.add(
        Permission.objects.get(codename="view_person", content_type__app_label="people")
    )
    person = factories.person(tree.grid, "张三")
    helpers.key_person(tree.grid, person=person)
    response = client_for(reader).get(url(person))
    assert response.status_code == 200
    assert 'data-testid="ledger-periods"' not in response.content.decode()


def test_the_section_costs_at_most_two_queries(client_for, users, tree):
    client = client_for(users.village)
    plain = factories.person(tree.grid, "无台账")
    base = queries_for(client, url(plain))
    person = factories.person(tree.grid, "有台账")
    kp = helpers.key_person(tree.grid, person=person)
    for reason in ("a", "b", "c"):
        services.keyperson_change_measure(
            actor=None,
            key_person=kp,
            measure="central_isolation" if reason != "b" else "home_isolation",
            reason=reason,
        )
    assert queries_for(client, url(person)) <= base + 1
