"""/api/v1/briefings/: the scoped archive, one briefing, its Word file."""

from django.urls import reverse
from rest_framework.test import APIClient


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_lists_briefings_of_the_scope(users, draft, published, django_assert_max_num_queries):
    client = _api(users.command)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-briefing-list"))
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {draft.pk, published.pk}
    town = _api(users.town).get(reverse("api-briefing-list")).json()["results"]
    assert [row["id"] for row in town] == [published.pk]
    assert _api(users.other_town).get(reverse("api-briefing-list")).json()["results"] == []
    assert _api(users.norole).get(reverse("api-briefing-list")).status_code == 404


def test_it_shows_one_briefing_with_its_figures(users, draft):
    response = _api(users.command).get(reverse("api-briefing-detail", args=[draft.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["number"] == draft.number
    assert data["figures"]["today"] == draft.figures["today"]
    assert [s["key"] for s in data["sections"]] == [s["key"] for s in draft.sections]
    for who in ("town", "other_town", "outsider", "norole", "village"):
        client = _api(getattr(users, who))
        assert client.get(reverse("api-briefing-detail", args=[draft.pk])).status_code == 404


def test_it_downloads_the_word_file(users, draft, published):
    url = reverse("api-briefing-download", args=[published.pk])
    response = _api(users.town).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    for who in ("other_town", "outsider", "norole", "village"):
        assert _api(getattr(users, who)).get(url).status_code == 404
    assert (
        _api(users.town).get(reverse("api-briefing-download", args=[draft.pk])).status_code == 404
    )


def test_it_refuses_writes(users, draft):
    client = _api(users.command)
    url = reverse("api-briefing-detail", args=[draft.pk])
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(url, {"office": "改"}).status_code == 405
    draft.refresh_from_db()
    assert draft.office != "改"
