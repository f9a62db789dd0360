"""The periodic sweep tells the command about newly overdue pushes, once each."""

import datetime

from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger import services, tasks
from fangkong.ledger.models import Policy
from tests.ledger import helpers


def overdue_notes():
    return Notification.objects.filter(kind="push_overdue")


def test_it_notifies_the_command_once_per_overdue_push(users, tree):
    old = helpers.age(helpers.push(tree.grid, "旧"), 13)
    helpers.age(helpers.push(tree.grid, "新"), 1)
    assert tasks.push_overdue_sweep.call_local() == 1
    users_told = set(overdue_notes().values_list("user__username", flat=True))
    assert "command" in users_told and "outsider" not in users_told
    assert set(overdue_notes().values_list("target_id", flat=True)) == {str(old.pk)}
    before = overdue_notes().count()
    assert tasks.push_overdue_sweep.call_local() == 0
    assert overdue_notes().count() == before


def test_it_follows_the_district_policy_and_skips_handled_pushes(users, tree):
    Policy.objects.update_or_create(area_id="370305", defaults={"receipt_overdue_hours": 48})
    push = helpers.age(helpers.push(tree.grid), 30)
    assert services.push_notify_overdue() == 0
    later = timezone.now() + datetime.timedelta(hours=20)
    services.push_receive(actor=users.village, push=push)
    assert services.push_notify_overdue(now=later) == 0
    other = helpers.age(helpers.push(tree.grid2), 30)
    assert services.push_notify_overdue(now=later) == 1
    assert overdue_notes().filter(target_id=str(other.pk)).exists()


def test_receiving_resolves_the_overdue_notice(users, tree):
    push = helpers.age(helpers.push(tree.grid), 13)
    services.push_notify_overdue()
    services.push_receive(actor=users.village, push=push)
    assert not overdue_notes().filter(resolved_at__isnull=True).exists()
