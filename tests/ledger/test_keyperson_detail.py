"""A key person's page: timeline, state transitions (illegal ones refused), measure."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from fangkong.ledger.models import KeyPerson, KeyPersonEvent
from tests.ledger import helpers


def url(kp, name="keyperson_detail"):
    return reverse(f"ledger:{name}", args=[kp.pk])


def test_it_shows_the_timeline_of_events(client_for, users, tree):
    push = helpers.push(tree.grid, "张三")
    from fangkong.ledger import services

    kp = services.push_receive(actor=users.village, push=push)
    client = client_for(users.village)
    client.post(url(kp, "keyperson_transition"), {"to_state": "referred", "reason": "发热转诊"})
    client.post(url(kp, "keyperson_transition"), {"to_state": "managed", "reason": "排除"})
    body = client.get(url(kp)).content.decode()
    timeline = body[body.index('data-testid="timeline"') :]
    assert re.findall(r'data-to="(\w*)"', timeline) == ["managed", "referred", "managed"]
    assert "发热转诊" in timeline and 'data-testid="transition-form"' in body
    assert reverse("ledger:push_detail", args=[push.pk]) in body


def test_an_illegal_transition_is_refused_with_a_chinese_message(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    client = client_for(users.village)
    response = client.post(url(kp, "keyperson_transition"), {"to_state": "pending", "reason": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("zh-hans"):
        message = gettext("A person %(from)s cannot become %(to)s") % {
            "from": KeyPerson.State.MANAGED.label,
            "to": KeyPerson.State.PENDING.label,
        }
    assert 'data-field-error="to_state"' in body and message in body
    assert KeyPerson.objects.get(pk=kp.pk).state == "managed"
    # Release goes through the release list, not this form.
    response = client.post(url(kp, "keyperson_transition"), {"to_state": "released"})
    assert response.status_code == 400
    # Leaving management needs a reason.
    response = client.post(url(kp, "keyperson_transition"), {"to_state": "lost", "reason": ""})
    assert response.status_code == 400
    assert KeyPerson.objects.get(pk=kp.pk).state == "managed"
    assert KeyPersonEvent.objects.filter(key_person=kp).count() == 1


def test_the_form_offers_only_legal_targets(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    body = client_for(users.village).get(url(kp)).content.decode()
    form = body[body.index('data-testid="transition-form"') :]
    form = form[: form.index("</form>")]
    assert set(re.findall(r'<option value="(\w+)"', form)) == {"transferred", "referred", "lost"}


def test_the_measure_changes_with_an_event(client_for, users, tree):
    kp = helpers.key_person(tree.grid, measure="home_isolation")
    client = client_for(users.village)
    response = client.post(
        url(kp, "keyperson_measure"), {"measure": "central_isolation", "reason": "升级"}
    )
    assert response.status_code == 302
    kp.refresh_from_db()
    assert kp.measure == "central_isolation"
    assert KeyPersonEvent.objects.filter(key_person=kp, kind="measure").exists()
    assert client.post(url(kp, "keyperson_measure"), {"measure": "nonsense"}).status_code == 400


def test_permission_matrix(client_for, users, tree):
    kp = helpers.key_person(tree.grid)
    for who in ("outsider", "other_town", "norole"):
        client = client_for(getattr(users, who))
        assert client.get(url(kp)).status_code == 404, who
        assert (
            client.post(
                url(kp, "keyperson_transition"), {"to_state": "lost", "reason": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(url(kp, "keyperson_measure"), {"measure": "central_isolation"}).status_code
            == 404
        )
    # The grid worker and the command read but do not change.
    for who in ("grid", "command"):
        client = client_for(getattr(users, who))
        body = client.get(url(kp)).content.decode()
        assert 'data-testid="transition-form"' not in body
        response = client.post(url(kp, "keyperson_transition"), {"to_state": "lost", "reason": "x"})
        assert response.status_code == 404
    assert KeyPerson.objects.get(pk=kp.pk).state == "managed"
    assert client_for(users.grid).get(url(helpers.key_person(tree.grid2, "乙"))).status_code == 404
