"""The briefing pages: archive, generate, detail, edit, regenerate, approve, publish, download."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.briefings.models import Briefing, BriefingCounter
from tests.briefings.conftest import generate

DENIED = ("outsider", "other_town", "norole", "village", "grid")


def _status(client_for, user, url, method="get", data=None):
    return getattr(client_for(user), method)(url, data or {}).status_code


def _rows():
    return list(Briefing.objects.order_by("pk").values())


def test_it_lists_briefings_of_the_scope(client_for, users, draft, published):
    response = client_for(users.command).get(reverse("briefings:list"))
    assert response.status_code == 200
    assert {b.pk for b in response.context["page_obj"]} == {draft.pk, published.pk}
    # A town reads its own published briefings only.
    response = client_for(users.town).get(reverse("briefings:list"))
    assert [b.pk for b in response.context["page_obj"]] == [published.pk]
    for who in ("outsider", "other_town"):
        response = client_for(getattr(users, who)).get(reverse("briefings:list"))
        assert response.status_code == 200
        assert list(response.context["page_obj"]) == []
    for who in ("norole", "village", "grid"):
        assert _status(client_for, getattr(users, who), reverse("briefings:list")) == 404


def test_it_searches_the_archive(client_for, users, tree):
    today = timezone.localdate()
    old = generate(users.command, tree.county, today - datetime.timedelta(days=5))
    new = generate(users.command, tree.county, today)
    url = reverse("briefings:list")
    client = client_for(users.command)

    def found(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {b.pk for b in response.context["page_obj"]}

    assert found(q="第2期") == {new.pk}
    assert found(q="第1期") == {old.pk}
    assert found(q="卡口查控") == {old.pk, new.pk}
    assert found(q="没有这段话") == set()
    assert found(date_from=today.isoformat()) == {new.pk}
    assert found(date_to=(today - datetime.timedelta(days=1)).isoformat()) == {old.pk}
    response = client.get(url, {"date_from": today.isoformat(), "date_to": "2020-01-01"})
    assert response.status_code == 400


def test_it_pins_the_list_queries(client_for, users, tree, django_assert_max_num_queries):
    today = timezone.localdate()
    for days in range(6):
        generate(users.command, tree.county, today - datetime.timedelta(days=days))
    client = client_for(users.command)
    client.get(reverse("briefings:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("briefings:list"))
    assert len(response.context["page_obj"]) == 6


def test_it_generates_a_briefing_once_a_day(client_for, users, tree):
    url = reverse("briefings:generate")
    client = client_for(users.command)
    assert client.get(url).status_code == 200
    data = {"date": timezone.localdate().isoformat(), "area": tree.county.code}
    first = client.post(url, data)
    briefing = Briefing.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse(
        "briefings:detail", args=[briefing.pk]
    )
    second = client.post(url, data)
    assert second["Location"] == first["Location"]
    assert Briefing.objects.count() == 1 and briefing.sequence == 1


@pytest.mark.parametrize(
    "data",
    [
        {"date": "", "area": "370305"},
        {"date": "2020-13-01", "area": "370305"},
        {"date": "2999-01-01", "area": "370305"},
        {"date": "2020-02-01", "area": "370302"},
    ],
)
def test_it_refuses_bad_generate_input(client_for, users, data):
    response = client_for(users.command).post(reverse("briefings:generate"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Briefing.objects.exists() and not BriefingCounter.objects.exists()


def test_it_hides_generate_from_readers(client_for, users, tree):
    url = reverse("briefings:generate")
    data = {"date": timezone.localdate().isoformat(), "area": tree.town.code}
    for who in ("town", "other_town", "norole", "village", "grid"):
        assert _status(client_for, getattr(users, who), url) == 404, who
        assert _status(client_for, getattr(users, who), url, "post", data) == 404, who
    # Another district's command may generate its own, never one of ours.
    assert _status(client_for, users.outsider, url, "post", data) == 400
    assert not Briefing.objects.exists() and not BriefingCounter.objects.exists()


def test_it_shows_a_briefing_with_its_figures(client_for, users, draft):
    response = client_for(users.command).get(reverse("briefings:detail", args=[draft.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert draft.number in body and draft.office in body
    for section in draft.sections:
        assert section["text"] in body
    assert response.context["rows"][-1][0] == "合计"
    assert response.context["can_change"] and response.context["can_approve"]
    assert not response.context["can_publish"]


def test_it_shows_a_town_its_published_briefing_only(client_for, users, tree, draft, published):
    assert _status(client_for, users.town, reverse("briefings:detail", args=[published.pk])) == 200
    town_draft = generate(users.command, tree.town, published.date - datetime.timedelta(days=1))
    for pk in (draft.pk, town_draft.pk):
        assert _status(client_for, users.town, reverse("briefings:detail", args=[pk])) == 404
    for who in DENIED:
        for pk in (draft.pk, published.pk):
            url = reverse("briefings:detail", args=[pk])
            assert _status(client_for, getattr(users, who), url) == 404, (who, pk)


def test_it_edits_the_sections_of_a_draft(client_for, users, draft):
    url = reverse("briefings:edit", args=[draft.pk])
    client = client_for(users.command)
    assert client.get(url).status_code == 200
    data = {s["key"]: s["text"] for s in draft.sections}
    data.update(overall="全区疫情形势总体平稳。", office="综合协调组", report_to="市指挥部",
                send_to="各成员单位", copies="25")  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sections[0]["text"] == "全区疫情形势总体平稳。"
    assert (draft.office, draft.copies) == ("综合协调组", 25)


@pytest.mark.parametrize(
    "change", [{"overall": ""}, {"office": ""}, {"copies": "0"}, {"copies": "很多"}]
)
def test_it_refuses_bad_edits(client_for, users, draft, change):
    data = {s["key"]: s["text"] for s in draft.sections}
    data.update(office=draft.office, report_to="", send_to="", copies="")
    data.update(change)
    before = _rows()
    response = client_for(users.command).post(reverse("briefings:edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert set(change) & set(response.context["form"].errors)
    assert _rows() == before


def test_it_runs_draft_approved_published(client_for, users, draft):
    client = client_for(users.command)
    assert client.post(reverse("briefings:regenerate", args=[draft.pk])).status_code == 302
    assert client.post(reverse("briefings:approve", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Briefing.State.APPROVED
    # Approved: nothing to edit or regenerate any more.
    assert client.get(reverse("briefings:edit", args=[draft.pk])).status_code == 404
    before = _rows()
    client.post(reverse("briefings:regenerate", args=[draft.pk]))
    assert _rows() == before
    assert client.post(reverse("briefings:publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Briefing.State.PUBLISHED
    before = _rows()
    for name in ("regenerate", "approve", "publish"):
        client.post(reverse(f"briefings:{name}", args=[draft.pk]))
    assert (
        client.post(reverse("briefings:edit", args=[draft.pk]), {"office": "改"}).status_code == 404
    )
    assert _rows() == before


@pytest.mark.parametrize("name", ["edit", "regenerate", "approve", "publish"])
def test_it_hides_the_office_actions(client_for, users, draft, published, name):
    before = _rows()
    for pk in (draft.pk, published.pk):
        url = reverse(f"briefings:{name}", args=[pk])
        for who in ("town", *DENIED):
            assert _status(client_for, getattr(users, who), url, "post", {"office": "改"}) == 404
    assert _rows() == before


def test_it_downloads_the_word_file(client_for, users, draft, published):
    response = client_for(users.command).get(reverse("briefings:download", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"PK")
    url = reverse("briefings:download", args=[published.pk])
    assert _status(client_for, users.town, url) == 200
    assert _status(client_for, users.town, reverse("briefings:download", args=[draft.pk])) == 404
    for who in DENIED:
        assert _status(client_for, getattr(users, who), url) == 404, who
