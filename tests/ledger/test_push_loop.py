"""A push can't vanish: every push ends received, redirected or closed, and the command
sees every open one. Two staff confirming the same push create one ledger entry."""

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fangkong.ledger import selectors, services
from fangkong.ledger.models import KeyPerson, Push
from tests import factories
from tests.ledger import helpers

FINAL = {Push.State.RECEIVED, Push.State.REDIRECTED, Push.State.CLOSED}


def assert_nothing_lost(users):
    open_for_command = set(selectors.push_open(user=users.command).values_list("pk", flat=True))
    for push in Push.objects.all():
        if push.state in FINAL:
            assert push.pk not in open_for_command
            if push.state == Push.State.RECEIVED:
                assert KeyPerson.objects.filter(push=push).exists()
            if push.state == Push.State.REDIRECTED:
                assert Push.objects.filter(redirected_from=push).exists()
        else:
            assert push.is_open and push.pk in open_for_command, push


def test_random_handling_never_loses_a_push(users, tree):
    rng = random.Random(20200123)
    villages = [tree.grid, tree.grid2, tree.village, tree.village2, tree.grid3]
    for n in range(20):
        helpers.push(rng.choice(villages), f"人{n}")
    actors = {"village": users.village, "town": users.town, "command": users.command}
    for _step in range(80):
        push = rng.choice(list(Push.objects.all()))
        action = rng.choice(["receive", "answer", "redirect", "close", "nothing"])
        try:
            if action == "receive":
                services.push_receive(actor=actors["town"], push=push)
            elif action == "answer":
                services.push_answer(
                    actor=actors["town"], push=push, answer="not_found", reason="查无此人"
                )
            elif action == "redirect":
                target = rng.choice(villages)
                services.push_redirect(
                    actor=actors["command"], push=push, area=target, reason="转派"
                )
            elif action == "close":
                services.push_close(actor=actors["command"], push=push, reason="已离开")
        except ValidationError:
            pass
        assert_nothing_lost(users)
    # Everything still open ends: received where pending, closed where answered.
    for push in selectors.push_open(user=users.command):
        if push.state == Push.State.PENDING:
            try:
                services.push_receive(actor=users.town, push=push)
            except ValidationError:
                # The person already has an open period from another push: answer it.
                services.push_answer(actor=users.town, push=push, answer="not_found", reason="重复")
                services.push_close(actor=users.command, push=push, reason="重复推送")
        else:
            services.push_close(actor=users.command, push=push, reason="结案")
    assert_nothing_lost(users)
    assert not selectors.push_open(user=users.command).exists()


def test_illegal_moves_are_refused(users, tree):
    push = helpers.push(tree.grid)
    with pytest.raises(ValidationError):
        services.push_close(actor=users.command, push=push, reason="x")  # not answered
    with pytest.raises(ValidationError):
        services.push_answer(actor=users.village, push=push, answer="not_found", reason="")
    with pytest.raises(ValidationError):
        services.push_redirect(actor=users.town, push=push, area=tree.grid, reason="x")
    with pytest.raises(ValidationError):
        # Outside the actor's scope.
        services.push_receive(actor=users.other_town, push=push)
    assert Push.objects.get(pk=push.pk).state == Push.State.PENDING


def test_two_staff_confirming_one_after_the_other_create_one_entry(users, tree):
    push = helpers.push(tree.grid)
    stale = Push.objects.get(pk=push.pk)  # what the second browser loaded
    services.push_receive(actor=users.village, push=push)
    with pytest.raises(ValidationError) as refused:
        services.push_receive(actor=users.town, push=stale)
    assert refused.value.code == "already_handled"
    assert KeyPerson.objects.count() == 1


def test_a_second_push_of_a_managed_person_is_refused_on_receipt(users, tree):
    number = factories.id_number("420106")
    first = helpers.push(tree.grid, id_number=number)
    second = helpers.push(tree.grid2, id_number=number)
    services.push_receive(actor=users.village, push=first)
    with pytest.raises(ValidationError):
        services.push_receive(actor=users.village, push=second)
    assert Push.objects.get(pk=second.pk).state == Push.State.PENDING
    assert KeyPerson.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_at_once_create_one_entry(users, tree):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the sequential test covers SQLite")
    push = helpers.push(tree.grid)
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm(actor):
        try:
            stale = Push.objects.get(pk=push.pk)
            barrier.wait(timeout=10)
            services.push_receive(actor=actor, push=stale)
            outcomes.append("received")
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(u,)) for u in (users.village, users.town)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already_handled", "received"]
    assert KeyPerson.objects.filter(push=push).count() == 1
    assert KeyPerson.objects.count() == 1
