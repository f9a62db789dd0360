"""Two staff of one unit pressing 签收 at the same moment: one receipt (PostgreSQL: SQLite
serialises every write, so there is no race to lose). Two directives sent at once: two
numbers."""

import threading

import pytest
from django.db import connection, connections

from fangkong.directives import services
from fangkong.directives.models import Directive
from tests import factories
from tests.directives import helpers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent writers)"
    ),
]


def _race(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_a_unit_signs_once_under_concurrency(users, tree):
    staff = [users.village] + [
        factories.user(f"staff{n}", tree.village, "village_staff") for n in range(3)
    ]
    directive = helpers.directive(users.command, [tree.village])
    unit = helpers.recipient(directive, tree.village)
    results, errors = _race(4, lambda i: services.recipient_sign(actor=staff[i], recipient=unit))
    assert len(results) == 1, errors
    assert len(errors) == 3 and all("signed_at" in e.message_dict for e in errors)
    unit.refresh_from_db()
    assert unit.signed_by_id == results[0].signed_by.pk


def test_concurrent_sends_take_distinct_numbers(users, tree):
    drafts = [
        helpers.directive(users.command, [tree.town], send=False, title=f"通知{n}")
        for n in range(4)
    ]
    results, errors = _race(
        4, lambda i: services.directive_send(actor=users.command, directive=drafts[i])
    )
    assert not errors, errors
    numbers = set(Directive.objects.values_list("sequence", flat=True))
    assert numbers == {1, 2, 3, 4}
