import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger import services
from fangkong.ledger.models import KeyPerson, Push
from fangkong.people.models import Person
from fangkong.people.services import person_protect
from tests import factories


def make_push(area, name="李四", **fields):
    protected, derived = person_protect(
        id_number=factories.id_number("420106"), phone="13912345678"
    )
    fields.setdefault("arrived_at", timezone.now())
    return services.push_create(
        actor=None,
        area=area,
        source=Push.Source.CHECKPOINT,
        name=name,
        protected=protected,
        derived=derived,
        district="370305",
        origin="湖北省武汉市",
        origin_region="420106",
        reasons=["other_province"],
        **fields,
    )


def test_it_notifies_the_village_and_receives_into_the_ledger(users, tree):
    push = make_push(tree.grid)
    assert Notification.objects.filter(user=users.village, kind="push").count() == 1
    assert not Notification.objects.filter(user=users.town).exists()
    key_person = services.push_receive(actor=users.village, push=push)
    assert key_person.state == KeyPerson.State.MANAGED
    assert key_person.area_id == tree.grid.code
    assert key_person.period_end - key_person.period_start == datetime.timedelta(days=13)
    assert Person.objects.get(pk=key_person.person_id).id_number_hash == push.id_number_hash
    push.refresh_from_db()
    assert push.state == Push.State.RECEIVED
    assert Notification.objects.get(user=users.village).resolved_at is not None
    assert list(key_person.events.values_list("to_state", flat=True)) == ["managed"]


def test_it_refuses_a_second_receipt(users, tree):
    push = make_push(tree.grid)
    services.push_receive(actor=users.village, push=push)
    with pytest.raises(ValidationError):
        services.push_receive(actor=users.village, push=push)
    assert KeyPerson.objects.count() == 1


def test_it_escalates_an_answer_to_town_and_command(users, tree):
    push = make_push(tree.village)
    services.push_answer(actor=users.village, push=push, answer="not_found", reason="无此人")
    kinds = set(
        Notification.objects.filter(kind="push_answered").values_list("user__username", flat=True)
    )
    assert kinds == {"town", "command"}
    new = services.push_redirect(
        actor=users.town, push=push, area=tree.village2, reason="住在乙烯社区"
    )
    assert new.state == Push.State.PENDING and new.redirected_from_id == push.pk


def test_it_refuses_illegal_transitions(users, tree):
    push = make_push(tree.grid)
    key_person = services.push_receive(actor=users.village, push=push)
    with pytest.raises(ValidationError):
        services.keyperson_transition(
            actor=users.village, key_person=key_person, to_state="pending"
        )
    services.keyperson_transition(
        actor=users.village, key_person=key_person, to_state="lost", reason="电话不通"
    )
    released = services.keyperson_release(
        actor=users.village,
        key_person=services.keyperson_transition(
            actor=users.village, key_person=key_person, to_state="managed", reason="找到"
        ),
        released_on=timezone.localdate(),
    )
    assert released.release_notice_no.endswith("-000001")
    with pytest.raises(ValidationError):
        services.keyperson_transition(
            actor=users.village, key_person=released, to_state="managed", reason="x"
        )


def test_it_suggests_the_category_by_origin(users, tree):
    from fangkong.ledger.models import Category

    hubei = make_push(tree.grid)  # origin 420106
    assert services.push_receive(actor=users.village, push=hubei).category.code == "hubei"
    protected, derived = person_protect(id_number=factories.id_number("310115"), phone="")
    shanghai = services.push_create(
        actor=None,
        area=tree.grid,
        source=Push.Source.CHECKPOINT,
        name="沪客",
        protected=protected,
        derived=derived,
        arrived_at=timezone.now(),
        origin="上海市浦东新区",
        origin_region="310115",
    )
    assert services.push_suggested_category(shanghai).code == "other_province"
    Category.objects.filter(code="other_province").update(active=False)
    assert services.push_suggested_category(shanghai) == services.default_category()
