"""The village's daily report page: pre-filled, a correction asks for a reason, the one-tap
zero report, a second submission refused, corrections of returned and accepted reports."""

import pytest
from django.urls import reverse

from fangkong.reporting import services
from fangkong.reporting.models import DailyReport, Revision
from tests.ledger import helpers as ledger
from tests.reporting.helpers import statuses, submit, zeros

pytestmark = pytest.mark.django_db


def url(unit, day=None):
    return reverse("reporting:unit_form", args=[unit.code]) + (f"?date={day}" if day else "")


def form_data(day, **values):
    data = {**zeros(), "narrative": "", "problems": "", "date": day.isoformat()}
    data.update(values)
    return data


def test_it_prefills_the_computed_figures(tree, users, client_for):
    ledger.key_person(tree.grid, "甲")
    page = client_for(users.village).get(url(tree.village))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["new_returnees"].value() == 1 and form["home_observation"].value() == 1
    body = page.content.decode()
    assert 'data-computed="1"' in body
    # The system knows of figures today: no zero report offered.
    assert 'data-testid="zero"' not in body


def test_it_submits_and_records_a_correction(tree, users, client_for, clock):
    client = client_for(users.village)
    response = client.post(
        url(tree.village),
        form_data(clock.day, supplies_used=12, narrative="卡口24小时值守"),
    )
    report = DailyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    assert report.supplies_used == 12 and report.narrative == "卡口24小时值守"
    assert not report.late


def test_a_changed_computed_figure_without_a_reason_is_refused(tree, users, client_for, clock):
    response = client_for(users.village).post(
        url(tree.village), form_data(clock.day, pushes_received=3)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["pushes_received_reason"]
    assert not DailyReport.objects.exists()
    response = client_for(users.village).post(
        url(tree.village),
        form_data(clock.day, pushes_received=3, pushes_received_reason="电话通知的三人"),
    )
    assert response.status_code == 302
    assert DailyReport.objects.get().corrections["pushes_received"]["computed"] == 0


def test_bad_input_writes_nothing(tree, users, client_for, clock):
    client = client_for(users.village)
    assert (
        client.post(url(tree.village), form_data(clock.day, supplies_used="x")).status_code == 400
    )
    assert client.post(url(tree.village), form_data(clock.day, supplies_used=-2)).status_code == 400
    assert client.get(url(tree.village, "2999-01-01")).status_code == 404
    assert not DailyReport.objects.exists()


def test_the_zero_report_is_one_tap(tree, users, client_for, clock):
    client = client_for(users.village)
    assert 'data-testid="zero"' in client.get(url(tree.village)).content.decode()
    response = client.post(
        reverse("reporting:unit_zero", args=[tree.village.code]), {"date": clock.day.isoformat()}
    )
    assert response.status_code == 302
    report = DailyReport.objects.get()
    assert report.is_zero
    # Twice: refused, still one report.
    client.post(
        reverse("reporting:unit_zero", args=[tree.village.code]), {"date": clock.day.isoformat()}
    )
    assert DailyReport.objects.count() == 1


def test_a_submitted_report_is_not_submitted_again_but_changed(tree, users, client_for, clock):
    report = submit(users.village, tree.village, narrative="一")
    client = client_for(users.village)
    page = client.get(url(tree.village))
    assert 'data-testid="report-status"' in page.content.decode()
    response = client.post(url(tree.village), form_data(clock.day, narrative="二"))
    assert response.status_code == 302
    assert DailyReport.objects.count() == 1
    report.refresh_from_db()
    assert report.narrative == "二"
    assert Revision.objects.filter(action="changed").exists()


def test_an_accepted_report_changes_only_with_a_reason(tree, users, client_for, clock):
    report = submit(users.village, tree.village)
    services.report_accept(actor=users.town, report=report)
    client = client_for(users.village)
    response = client.post(url(tree.village), form_data(clock.day, supplies_used=2))
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    response = client.post(
        url(tree.village), form_data(clock.day, supplies_used=2, reason="漏报口罩")
    )
    assert response.status_code == 302
    assert Revision.objects.get(action="changed").reason == "漏报口罩"


def test_permission_matrix(tree, users, client_for, clock):
    who = {
        "outsider": users.outsider,
        "other_town": users.other_town,
        "norole": users.norole,
        "town": users.town,
        "command": users.command,
        "grid": users.grid,
    }
    assert set(statuses(client_for, who, url(tree.village)).values()) == {404}
    assert set(
        statuses(client_for, who, url(tree.village), "post", form_data(clock.day)).values()
    ) == {404}
    zero = reverse("reporting:unit_zero", args=[tree.village.code])
    assert set(
        statuses(client_for, who, zero, "post", {"date": clock.day.isoformat()}).values()
    ) == {404}
    assert not DailyReport.objects.exists()
    assert client_for(users.village).get(url(tree.village)).status_code == 200
    # Not a reporting unit, or another village: 404.
    assert client_for(users.village).get(url(tree.grid)).status_code == 404
    assert client_for(users.village).get(url(tree.village2)).status_code == 404
