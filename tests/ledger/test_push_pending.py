"""The village's 待接收 list: one-tap receive and answer."""

import re

from django.urls import reverse

from fangkong.inbox.models import Notification
from fangkong.ledger.models import KeyPerson, Push
from tests.ledger import helpers
from tests.ui.queries import queries_for

URL = reverse("ledger:push_pending")


def receive_url(push):
    return reverse("ledger:push_receive", args=[push.pk])


def answer_url(push):
    return reverse("ledger:push_answer", args=[push.pk])


def test_it_lists_pending_pushes_in_scope_oldest_first(client_for, users, tree):
    new = helpers.push(tree.grid, "新")
    old = helpers.age(helpers.push(tree.village, "旧"), 5)
    helpers.push(tree.village2, "别村")
    received = helpers.push(tree.grid, "已收")
    from fangkong.ledger import services

    services.push_receive(actor=users.village, push=received)
    body = client_for(users.village).get(URL).content.decode()
    ids = re.findall(r'data-testid="push" data-id="(\d+)"|data-id="(\d+)" data-testid="push"', body)
    ids = [a or b for a, b in ids]
    assert ids == [str(old.pk), str(new.pk)]


def test_the_receive_form_is_prefilled_with_category_measure_and_grid(client_for, users, tree):
    push = helpers.push(tree.grid)
    body = client_for(users.village).get(URL).content.decode()
    category = helpers.category("hubei")
    assert f'<option value="{category.pk}" selected>' in body
    assert f'<option value="{tree.grid.code}" selected>' in body
    assert f'value="{category.default_measure}" selected' in body
    assert push.id_number_masked in body


def test_one_tap_receives_into_the_ledger(client_for, users, tree):
    push = helpers.push(tree.village)
    category = helpers.category("other_province")
    response = client_for(users.village).post(
        receive_url(push),
        {
            "category": category.pk,
            "measure": "health_monitoring",
            "area": tree.grid2.code,
            "back": "pending",
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    key_person = KeyPerson.objects.get(push=push)
    assert key_person.area_id == tree.grid2.code
    assert key_person.category == category and key_person.measure == "health_monitoring"
    assert Push.objects.get(pk=push.pk).state == Push.State.RECEIVED


def test_receiving_twice_is_refused_and_creates_one_entry(client_for, users, tree):
    push = helpers.push(tree.grid)
    data = {"category": helpers.category().pk, "measure": "home_isolation", "area": tree.grid.code}
    client = client_for(users.village)
    assert client.post(receive_url(push), data).status_code == 302
    response = client.post(receive_url(push), data)
    assert response.status_code == 400
    assert "data-form-errors" in response.content.decode()
    assert KeyPerson.objects.count() == 1


def test_a_grid_outside_the_push_village_is_refused(client_for, users, tree):
    push = helpers.push(tree.grid)
    data = {"category": helpers.category().pk, "measure": "home_isolation", "area": tree.grid3.code}
    response = client_for(users.town).post(receive_url(push), data)
    assert response.status_code == 400
    assert not KeyPerson.objects.exists()


def test_an_answer_escalates_and_needs_a_reason(client_for, users, tree):
    push = helpers.push(tree.grid)
    client = client_for(users.village)
    response = client.post(answer_url(push), {"answer": "not_found", "reason": "  "})
    assert response.status_code == 400
    assert Push.objects.get(pk=push.pk).state == Push.State.PENDING
    response = client.post(
        answer_url(push), {"answer": "wrong_address", "reason": "门牌不存在", "back": "pending"}
    )
    assert response.status_code == 302
    push.refresh_from_db()
    assert push.state == Push.State.ANSWERED and push.answer_reason == "门牌不存在"
    assert set(
        Notification.objects.filter(kind="push_answered").values_list("user__username", flat=True)
    ) == {"town", "command"}


def test_a_bad_answer_choice_is_refused(client_for, users, tree):
    push = helpers.push(tree.grid)
    response = client_for(users.village).post(answer_url(push), {"answer": "gone", "reason": "x"})
    assert response.status_code == 400
    assert Push.objects.get(pk=push.pk).state == Push.State.PENDING


def test_permission_matrix(client_for, users, tree):
    push = helpers.push(tree.grid)
    data = {"category": helpers.category().pk, "measure": "home_isolation", "area": tree.grid.code}
    # Outsider, wrong scope, right scope without the role (grid worker: view only, norole).
    for who in ("outsider", "other_town", "norole", "grid"):
        client = client_for(getattr(users, who))
        assert client.post(receive_url(push), data).status_code == 404, who
        assert (
            client.post(answer_url(push), {"answer": "not_found", "reason": "x"}).status_code == 404
        )
        if who != "other_town":
            assert client.get(URL).status_code == 404, who
    assert client_for(users.other_town).get(URL).status_code == 200
    assert push.id_number_masked not in client_for(users.other_town).get(URL).content.decode()
    # The command reads pushes but does not receive them.
    assert client_for(users.command).get(URL).status_code == 404
    assert not KeyPerson.objects.exists()
    assert client_for(users.town).post(receive_url(push), data).status_code == 302


def test_the_list_costs_the_same_for_few_or_many(
    client_for, users, tree, django_assert_max_num_queries
):
    client = client_for(users.village)
    helpers.push(tree.grid)
    few = queries_for(client, URL)
    for n in range(12):
        helpers.push(tree.grid if n % 2 else tree.grid2, f"人{n}")
    helpers.push(tree.village, "带类别", category=helpers.category("overseas"))
    with django_assert_max_num_queries(few):
        many = queries_for(client, URL)
    assert many == few
