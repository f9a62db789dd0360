"""Contacts of a case or suspect, and the chain of their contacts."""

import re

from django.urls import reverse

from fangkong.ledger import services
from fangkong.ledger.models import Contact, KeyPerson
from tests import factories


def url(person):
    return reverse("ledger:person_contacts", args=[person.pk])


def link(source, contact, degree="close"):
    return services.contact_link(actor=None, source=source, contact=contact, degree=degree)


def test_it_links_a_registered_contact_and_enters_the_ledger(client_for, users, tree):
    case = factories.person(tree.grid, "病例")
    contact = factories.person(tree.grid2, "接触者")
    client = client_for(users.village)
    assert client.get(url(case)).status_code == 200
    response = client.post(
        url(case),
        {"contact": contact.pk, "degree": "close", "relation": "同事", "enter_ledger": "on"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().contact == contact
    kp = KeyPerson.objects.get(person=contact)
    assert kp.category.code == "close_contact" and kp.source == "contact_tracing"


def test_it_registers_a_new_contact(client_for, users, tree):
    case = factories.person(tree.grid, "病例")
    client = client_for(users.village)
    response = client.post(
        url(case),
        {
            "name": "新接触者",
            "id_number": factories.id_number(),
            "area": tree.grid.code,
            "degree": "secondary",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get().contact.name == "新接触者"
    assert not KeyPerson.objects.exists()


def test_bad_links_are_refused(client_for, users, tree):
    case = factories.person(tree.grid, "病例")
    contact = factories.person(tree.grid)
    client = client_for(users.village)
    assert client.post(url(case), {"contact": case.pk, "degree": "close"}).status_code == 400
    assert client.post(url(case), {"contact": contact.pk, "degree": "far"}).status_code == 400
    outside = factories.person(tree.other_village)
    assert client.post(url(case), {"contact": outside.pk, "degree": "close"}).status_code == 400
    assert client.post(url(case), {"contact": contact.pk, "degree": "close"}).status_code == 302
    assert client.post(url(case), {"contact": contact.pk, "degree": "close"}).status_code == 400
    assert Contact.objects.count() == 1


def test_the_chain_follows_contacts_of_contacts_within_depth_and_scope(client_for, users, tree):
    case = factories.person(tree.grid, "病例")
    c1 = factories.person(tree.grid, "一级")
    c2 = factories.person(tree.grid2, "二级")
    c3 = factories.person(tree.village2, "三级")
    c4 = factories.person(tree.grid, "四级")
    far = factories.person(tree.other_village, "外镇")
    link(case, c1)
    link(c1, c2, "secondary")
    link(c2, c3, "secondary")
    link(c3, c4, "secondary")
    link(c1, far, "secondary")
    link(c2, case)  # a loop back is not followed twice
    body = client_for(users.town).get(url(case)).content.decode()
    chain = re.findall(r'data-level="(\d)" data-contact="(\d+)"', body)
    assert chain == [("1", str(c1.pk)), ("2", str(c2.pk)), ("3", str(c3.pk))]
    assert "外镇" not in body
    # The village sees the links inside the village only.
    body = client_for(users.village).get(url(case)).content.decode()
    assert [c for _l, c in re.findall(r'data-level="(\d)" data-contact="(\d+)"', body)] == [
        str(c1.pk),
        str(c2.pk),
    ]


def test_permission_matrix(client_for, users, tree):
    case = factories.person(tree.grid)
    contact = factories.person(tree.grid)
    for who in ("outsider", "other_town", "norole"):
        client = client_for(getattr(users, who))
        assert client.get(url(case)).status_code == 404, who
        assert client.post(url(case), {"contact": contact.pk, "degree": "close"}).status_code == 404
    # The grid worker and the command read the chain but add nothing.
    for who in ("grid", "command"):
        client = client_for(getattr(users, who))
        body = client.get(url(case)).content.decode()
        assert 'data-testid="contact-form"' not in body
        assert client.post(url(case), {"contact": contact.pk, "degree": "close"}).status_code == 404
    assert not Contact.objects.exists()
