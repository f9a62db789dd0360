"""The reporting home, the completeness overview and a report's page with its history."""

import pytest
from django.urls import reverse

from fangkong.reporting import services
from tests.reporting.helpers import statuses, submit, village_user, yesterday, zeros

pytestmark = pytest.mark.django_db


def test_home_shows_the_scopes_units_today(tree, users, client_for, django_assert_max_num_queries):
    submit(users.village, tree.village)
    client = client_for(users.town)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("reporting:home"))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'data-unit="{tree.village.code}"' in body and tree.other_village.code not in body
    assert page.context["figures"]["submitted"] == 1
    # The town reviews; it does not fill a village's report, so it gets no button for it.
    fill = reverse("reporting:unit_form", args=[tree.village2.code])
    assert fill not in body
    village2_staff = village_user(tree.village2)
    assert fill in client_for(village2_staff).get(reverse("reporting:home")).content.decode()


def test_the_overview_shows_completeness_per_town(
    tree, users, client_for, django_assert_max_num_queries
):
    submit(users.village, tree.village, date=yesterday())
    submit(users.village, tree.village)
    client = client_for(users.command)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("reporting:overview"))
    assert page.status_code == 200
    children = {row["code"]: row for row in page.context["figures"]["by_child"]}
    assert children[tree.town.code]["submitted"] == 2
    assert children[tree.town.code]["expected"] == 14  # two villages, seven days
    assert children[tree.other_town.code]["submitted"] == 0
    query = f"?date_from={yesterday()}&date_to={yesterday()}&area={tree.town.code}"
    page = client.get(reverse("reporting:overview") + query)
    assert [row["code"] for row in page.context["figures"]["by_child"]] == [
        tree.village.code,
        tree.village2.code,
    ]
    assert page.context["figures"]["late"] == 1


def test_the_overview_refuses_bad_ranges_and_foreign_areas(tree, users, client_for):
    client = client_for(users.town)
    base = reverse("reporting:overview")
    assert client.get(base + "?date_from=2020-02-10&date_to=2020-02-01").status_code == 400
    assert client.get(base + "?date_from=2018-01-01&date_to=2020-01-01").status_code == 400
    assert client.get(base + f"?area={tree.other_town.code}").status_code == 400


def test_the_report_page_shows_figures_corrections_and_history(tree, users, client_for):
    report = services.report_submit(
        actor=users.village,
        area=tree.village,
        date=yesterday(),
        values={**zeros(), "pushes_received": 2},
        reasons={"pushes_received": "外地转来两人"},
    )
    services.report_return(actor=users.town, report=report, comment="请核实")
    page = client_for(users.town).get(reverse("reporting:report_detail", args=[report.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "外地转来两人" in body and "请核实" in body
    assert 'data-action="submitted"' in body and 'data-action="returned"' in body


def test_report_page_permission_matrix(tree, users, client_for):
    report = submit(users.village, tree.village)
    url = reverse("reporting:report_detail", args=[report.pk])
    denied = statuses(
        client_for,
        {"outsider": users.outsider, "other_town": users.other_town, "norole": users.norole},
        url,
    )
    assert set(denied.values()) == {404}
    allowed = statuses(
        client_for, {"village": users.village, "town": users.town, "command": users.command}, url
    )
    assert set(allowed.values()) == {200}
    # Only the town gets the review buttons.
    assert 'data-testid="accept"' in client_for(users.town).get(url).content.decode()
    assert 'data-testid="accept"' not in client_for(users.command).get(url).content.decode()


def test_list_pages_hide_everything_without_the_role(tree, users, client_for):
    for name in ("reporting:home", "reporting:overview", "reporting:missing"):
        assert client_for(users.norole).get(reverse(name)).status_code == 404
        assert client_for(users.grid).get(reverse(name)).status_code == 404


def test_pages_render_their_sentences_filled_in(tree, users, client_for, clock):
    from fangkong.reporting.services import summary_submit

    submit(users.village, tree.village)
    summary_submit(actor=users.town, area=tree.town, date=clock.day, narrative="全镇平稳")
    pages = [
        (users.village, reverse("reporting:home")),
        (
            users.village,
            reverse("reporting:unit_form", args=[tree.village.code]) + f"?date={yesterday()}",
        ),
        (users.town, reverse("reporting:review", args=[tree.town.code])),
        (users.command, reverse("reporting:overview")),
        (users.command, reverse("reporting:missing")),
    ]
    for user, url in pages:
        body = client_for(user).get(url).content.decode()
        assert "%(" not in body, url
    body = client_for(users.command).get(reverse("reporting:overview")).content.decode()
    assert "全镇平稳" in body
