"""The home page's "what needs my action today" counters the command registers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.command.selectors import missing_today_queryset, release_due_queryset
from fangkong.monitoring.services import missing_queryset
from tests.command.conftest import load


@pytest.fixture(autouse=True)
def _slots_closed_early(settings):
    # Both slots closed a minute past midnight: today's missing logs count whatever the hour.
    settings.FANGKONG_LOG_SLOTS = "am=00:00-00:01,pm=00:01-00:02"


def test_it_counts_missing_logs_of_the_scope(tree, users):
    load(tree)
    today = timezone.localdate()
    for user, code in ((users.town, "370305003"), (users.village, "370305003001")):
        missing = set()
        for slot in ("am", "pm"):
            missing |= set(
                missing_queryset(scope=code, date=today, slot=slot).values_list("pk", flat=True)
            )
        assert set(missing_today_queryset(user=user).values_list("pk", flat=True)) == missing


def test_it_shows_the_counters_to_the_roles_that_act(client_for, users, tree):
    load(tree)
    body = client_for(users.village).get(reverse("home")).content.decode()
    assert reverse("monitoring:missing") in body
    assert reverse("monitoring:release_list") in body
    body = client_for(users.norole).get(reverse("home")).content.decode()
    assert reverse("monitoring:missing") not in body


def test_it_gives_nothing_to_a_user_without_scope(users):
    users.norole.scope = None
    assert not missing_today_queryset(user=users.norole).exists()
    assert not release_due_queryset(user=users.norole).exists()
