"""Reminders of missing reports: one per unit and day, to the village's submitters, by hand
or automatically in the hour before the deadline."""

import datetime

import pytest
from django.urls import reverse

from fangkong.inbox.models import Notification
from fangkong.reporting import services, tasks
from fangkong.reporting.models import Reminder
from tests.reporting.helpers import statuses, submit, village_user

pytestmark = pytest.mark.django_db


def due_notes():
    return Notification.objects.filter(kind=Notification.Kind.REPORT_DUE)


def test_it_reminds_each_missing_unit_once(tree, users, clock):
    other = village_user(tree.village2)
    submit(None, tree.other_village)
    sent = services.reminders_send(actor=users.command, area_code=tree.county.code, date=clock.day)
    assert sent == 2
    assert sorted(due_notes().values_list("user__username", flat=True)) == [
        "village",
        other.username,
    ]
    # Again, by hand or by the task: nothing more.
    assert (
        services.reminders_send(actor=users.command, area_code=tree.county.code, date=clock.day)
        == 0
    )
    assert (
        services.reminders_send(actor=users.command, area_code=tree.village.code, date=clock.day)
        == 0
    )
    assert due_notes().count() == 2 and Reminder.objects.count() == 2


def test_submitting_resolves_the_reminder(tree, users, clock):
    services.reminders_send(actor=None, area_code=tree.village.code, date=clock.day)
    note = due_notes().get()
    submit(users.village, tree.village)
    note.refresh_from_db()
    assert note.resolved_at is not None


def test_a_reminder_leads_to_the_units_form(tree, users, client_for, clock):
    services.reminders_send(actor=None, area_code=tree.village.code, date=clock.day)
    note = due_notes().get()
    response = client_for(users.village).get(reverse("reporting:due", args=[note.target_id]))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("reporting:unit_form", args=[tree.village.code]) + f"?date={clock.day}"
    )
    assert (
        client_for(users.other_town)
        .get(reverse("reporting:due", args=[note.target_id]))
        .status_code
        == 404
    )
    assert client_for(users.village).get(reverse("reporting:due", args=["x:y"])).status_code == 404


def test_the_automatic_reminder_runs_in_the_hour_before_the_deadline(tree, users, clock, settings):
    settings.FANGKONG_DISTRICT_CODE = tree.county.code
    settings.FANGKONG_REPORT_DEADLINE = datetime.time(16, 0)
    clock.set(14, 59)
    tasks.report_reminders.call_local()
    assert not Reminder.objects.exists()
    clock.set(15, 0)
    tasks.report_reminders.call_local()
    assert Reminder.objects.count() == 3  # the district's three villages
    count = due_notes().count()
    clock.set(15, 55)
    tasks.report_reminders.call_local()
    assert due_notes().count() == count
    clock.set(16, 0)
    assert services.reminders_due() == 0


def test_the_missing_page_lists_and_reminds(
    tree, users, client_for, clock, django_assert_max_num_queries
):
    submit(users.village, tree.village)
    client = client_for(users.command)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reporting:missing"))
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        f'data-unit="{tree.village2.code}"' in body
        and f'data-unit="{tree.village.code}"' not in body
    )
    response = client.post(
        reverse("reporting:remind", args=[tree.village2.code]), {"date": clock.day.isoformat()}
    )
    assert response.status_code == 302
    assert Reminder.objects.filter(area=tree.village2).exists()
    assert "data-reminded" in client.get(reverse("reporting:missing")).content.decode()
    client.post(
        reverse("reporting:remind", args=[tree.county.code]), {"date": clock.day.isoformat()}
    )
    assert set(Reminder.objects.values_list("area_id", flat=True)) == {
        tree.village2.code,
        tree.other_village.code,
    }


def test_the_missing_page_is_scoped(tree, users, client_for):
    body = client_for(users.town).get(reverse("reporting:missing")).content.decode()
    assert tree.village.code in body and tree.other_village.code not in body
    assert 'data-testid="remind"' not in body  # towns see, the command reminds


def test_remind_permission_matrix(tree, users, client_for, clock):
    url = reverse("reporting:remind", args=[tree.village.code])
    found = statuses(
        client_for,
        {
            "outsider": users.outsider,
            "other_town": users.other_town,
            "norole": users.norole,
            "town": users.town,
            "village": users.village,
        },
        url,
        method="post",
        data={"date": clock.day.isoformat()},
    )
    assert set(found.values()) == {404}
    assert not Reminder.objects.exists() and not due_notes().exists()
    assert client_for(users.command).post(url, {"date": "bad"}).status_code == 404
    assert client_for(users.command).post(url, {"date": clock.day.isoformat()}).status_code == 302
    assert Reminder.objects.count() == 1
