from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger import services as ledger
from fangkong.monitoring import services, tasks
from fangkong.monitoring.models import MissedLog
from tests import factories
from tests.monitoring.conftest import key_person
from tests.ui.queries import queries_for

URL = reverse("monitoring:missing")


def log(kp, slot):
    return services.healthlog_record(actor=None, key_person=kp, slot=slot, temperature="36.5")


def test_it_lists_who_has_not_reported_a_slot(client_for, users, tree):
    done, missing = key_person(tree.grid, "已报"), key_person(tree.grid, "未报人")
    released = key_person(tree.grid, "已解")
    ledger.keyperson_transition(actor=None, key_person=released, to_state="lost", reason="x")
    key_person(tree.other_grid, "外镇人")
    log(done, "am")
    response = client_for(users.village).get(URL + "?slot=am")
    body = response.content.decode()
    assert "未报人" in body and "已报" not in body and "已解" not in body and "外镇人" not in body
    assert response.context["tabs"][0]["count"] == 1
    assert response.context["tabs"][1]["count"] == 2
    assert [kp.pk for kp in response.context["page_obj"]] == [missing.pk]


def test_the_page_costs_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.town)
    key_person(tree.grid, "甲")
    few = queries_for(client, URL)
    for n in range(10):
        key_person(tree.grid2 if n % 2 else tree.village2, f"乙{n}")
    assert queries_for(client, URL) == few


def test_permission_matrix(client, users, kp):
    for user in (users.outsider, users.other_town, users.norole):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code in (200, 404)
        assert "王五" not in response.content.decode()
    client.force_login(users.command)
    assert "王五" in client.get(URL + "?slot=am").content.decode()


def test_reminders_go_to_the_grid_worker_once_per_person_slot_and_day(users, tree):
    a, b = key_person(tree.grid, "甲"), key_person(tree.grid, "乙")
    village_only = key_person(tree.grid2, "丙")
    log(a, "am")
    today = timezone.localdate()
    assert services.missed_log_remind(date=today, slot="am") == 2
    grid_note = Notification.objects.get(user=users.grid, kind="missed_log")
    assert "乙" in grid_note.body and "甲" not in grid_note.body
    # Nobody holds the permission at the second grid: its village is told.
    assert Notification.objects.get(user=users.village, kind="missed_log").body == "丙"
    assert services.missed_log_remind(date=today, slot="am") == 0
    assert Notification.objects.filter(kind="missed_log").count() == 2
    assert set(MissedLog.objects.values_list("key_person_id", flat=True)) == {b.pk, village_only.pk}


def test_the_reminder_costs_a_constant_number_of_queries(users, tree):
    today = timezone.localdate()
    key_person(tree.grid, "甲")
    with CaptureQueriesContext(connection) as few:
        services.missed_log_remind(date=today, slot="am")
    for n in range(12):
        key_person([tree.grid, tree.grid2, tree.village2][n % 3], f"乙{n}")
    factories.user("grid_b", tree.grid2, "grid_worker")
    with CaptureQueriesContext(connection) as many:
        services.missed_log_remind(date=today, slot="pm")
    # bulk inserts of notifications are one per area; the reads do not grow.
    reads = [q for q in many.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    reads_few = [q for q in few.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == len(reads_few)


def test_the_periodic_task_sweeps_slots_past_their_deadline(users, tree):
    key_person(tree.grid, "甲")
    tasks.missed_log_reminders.call_local()
    assert MissedLog.objects.count() == 2  # both test slots close at 00:01 and 00:02
