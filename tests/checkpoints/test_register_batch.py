"""A vehicle's pushes are written together: one insert for the pushes, one question for who
receives them, one insert for the notifications; each village still gets its own."""

import datetime

import pytest

from fangkong.checkpoints.models import Registration
from fangkong.inbox.models import Notification
from fangkong.ledger.models import Push, RiskArea
from tests import factories
from tests.checkpoints.conftest import occupant, register

pytestmark = pytest.mark.django_db


def test_it_notifies_each_destination_village_once(
    users, staff, checkpoint, tree, django_assert_max_num_queries
):
    other_village = factories.user("yixi", tree.village2, "village_staff")
    people = [
        occupant(name="甲", destination_area=tree.grid.code),
        occupant(name="乙", destination_area=tree.grid2.code),
        occupant(name="丙", destination_area=tree.grid3.code),
        occupant(name="丁", origin="山东省淄博市临淄区", destination_area=tree.grid.code),
    ]
    for person in people:
        person["id_number"] = factories.id_number("420106")
    # Constant whatever the number of persons: no query per push or notification (one asks
    # which notification channels forward them).
    with django_assert_max_num_queries(15):
        vehicle = register(staff, checkpoint, *people)
    assert vehicle.created
    assert [r.pushed for r in Registration.objects.order_by("id")] == [True, True, True, False]
    assert Push.objects.count() == 3
    notified = Notification.objects.filter(kind=Notification.Kind.PUSH)
    by_user = {}
    for notification in notified:
        by_user.setdefault(notification.user_id, []).append(notification.area_id)
    assert sorted(by_user[users.village.pk]) == sorted([tree.grid.code, tree.grid2.code])
    assert by_user[other_village.pk] == [tree.grid3.code]
    pushes = {p.pk for p in Push.objects.all()}
    assert {int(n.target_id) for n in notified} == pushes


def test_it_pushes_the_one_person_from_a_risk_area(users, staff, checkpoint, tree):
    RiskArea.objects.create(
        region_code="370102", name="历下区", level="high", listed_on=datetime.date(2020, 2, 1)
    )
    people = [
        occupant(name="甲", origin="山东省济南市历下区", destination_area=tree.grid.code),
        occupant(name="乙", origin="山东省淄博市张店区", destination_area=tree.grid.code),
    ]
    register(staff, checkpoint, *people)
    pushed = dict(Registration.objects.values_list("name", "pushed"))
    assert pushed == {"甲": True, "乙": False}
    assert Push.objects.get().reasons == "risk_area"


def test_it_replays_a_stored_check_after_the_checkpoint_closed(users, staff, checkpoint):
    first = register(staff, checkpoint, idempotency_key="k-1")
    checkpoint.is_open = False
    checkpoint.save()
    again = register(staff, checkpoint, idempotency_key="k-1")
    assert not again.created and again.pk == first.pk
    with pytest.raises(Exception) as refused:
        register(staff, checkpoint, idempotency_key="k-2")
    assert "checkpoint" in refused.value.message_dict
