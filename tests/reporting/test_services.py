"""The report's rules, at the service level: computed figures, corrections, zero reports,
one report a day, lateness, review, changes after acceptance and their history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.inbox.models import Notification
from fangkong.ledger.models import Measure
from fangkong.ledger.services import push_receive
from fangkong.monitoring.services import alert_raise
from fangkong.reporting import services
from fangkong.reporting.computed import computed_figures
from fangkong.reporting.models import DailyReport, Revision, TownSummary
from tests.checkpoints.conftest import checkpoint, occupant, register  # noqa: F401
from tests.ledger import helpers as ledger
from tests.reporting.helpers import submit, yesterday, zeros

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(tree, users, checkpoint):  # noqa: F811
    """Today in 太公社区: a push received, a key person under home and one under centralized
    isolation, a fever alert, a vehicle of two at a checkpoint of the village (one turned
    back); and the same elsewhere, which must not count."""
    push = ledger.push(tree.grid, "甲")
    push_receive(actor=users.village, push=push, measure=Measure.HOME_ISOLATION)
    ledger.key_person(tree.village, "乙", measure=Measure.CENTRAL_ISOLATION)
    ledger.key_person(tree.other_village, "丙", measure=Measure.HOME_ISOLATION)
    alert_raise(area=tree.grid, kind="fever", level=1, subject_name="甲")
    alert_raise(area=tree.grid, kind="symptoms", level=2, subject_name="甲")
    from fangkong.checkpoints.services import checkpoint_create

    village_point = checkpoint_create(
        actor=None, area=tree.village, name="太公社区卡口", level=3, kind="village_entrance"
    )
    register(None, village_point, occupant(), occupant(outcome="turned_back"))
    register(None, checkpoint, occupant())  # the town's checkpoint: not the village's
    return tree


def test_it_computes_the_figures_from_live_data(live):
    figures = computed_figures(area_code=live.village.code, date=timezone.localdate())
    assert figures == {
        "new_returnees": 2,
        "home_observation": 1,
        "centralized_observation": 1,
        "fever_referrals": 1,
        "checkpoint_vehicles": 1,
        "checkpoint_persons": 2,
        "turned_back": 1,
        "pushes_received": 1,
    }
    assert computed_figures(area_code=live.village.code, date=yesterday()) == dict.fromkeys(
        figures, 0
    )


def test_a_report_keeps_the_computed_figures_and_each_correction_with_its_reason(live, users):
    report = submit(
        users.village,
        live.village,
        new_returnees=2,
        home_observation=1,
        centralized_observation=1,
        fever_referrals=1,
        checkpoint_vehicles=1,
        checkpoint_persons=3,
        turned_back=1,
        pushes_received=1,
        supplies_used=40,
        reasons={"checkpoint_persons": "一人未登记，已补录纸质表"},
        narrative="正常",
    )
    assert report.checkpoint_persons == 3 and report.supplies_used == 40
    assert report.computed["checkpoint_persons"] == 2
    assert report.corrections == {
        "checkpoint_persons": {"computed": 2, "value": 3, "reason": "一人未登记，已补录纸质表"}
    }
    assert report.status == DailyReport.Status.SUBMITTED
    assert list(report.revisions.values_list("action", flat=True)) == ["submitted"]
    # The town is asked to review it.
    assert Notification.objects.filter(
        user=users.town, kind="report_review", target_id=str(report.pk)
    ).exists()


def test_a_correction_without_a_reason_is_refused(live, users):
    with pytest.raises(ValidationError) as error:
        submit(users.village, live.village, pushes_received=5)
    assert "pushes_received_reason" in error.value.message_dict
    assert not DailyReport.objects.exists()


def test_figures_left_out_take_the_computed_value(live, users):
    report = services.report_submit(
        actor=users.village, area=live.village, date=timezone.localdate(), values={}
    )
    assert report.pushes_received == 1 and report.corrections == {}


def test_a_zero_report_counts_as_submitted(tree, users):
    report = services.report_zero_submit(
        actor=users.village, area=tree.village, date=timezone.localdate()
    )
    assert report.is_zero and all(getattr(report, key) == 0 for key in zeros())
    assert DailyReport.objects.count() == 1
    with pytest.raises(ValidationError):
        services.report_zero_submit(
            actor=users.village, area=tree.village, date=timezone.localdate()
        )


def test_a_zero_report_is_refused_when_the_system_knows_of_figures(live, users):
    with pytest.raises(ValidationError):
        services.report_zero_submit(
            actor=users.village, area=live.village, date=timezone.localdate()
        )
    assert not DailyReport.objects.exists()


def test_a_report_cannot_be_submitted_twice(tree, users):
    submit(users.village, tree.village)
    with pytest.raises(ValidationError) as error:
        submit(users.village, tree.village, narrative="again")
    assert "date" in error.value.message_dict
    assert DailyReport.objects.count() == 1


def test_late_reports_are_accepted_and_marked_late(tree, users, clock):
    assert submit(users.village, tree.village, date=yesterday()).late
    clock.set(15, 59)
    assert not submit(users.village, tree.village).late
    clock.set(16, 1)
    assert submit(None, tree.village2).late


def test_bad_units_and_dates_are_refused(tree, users):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for area, date, actor in (
        (tree.village, tomorrow, users.village),
        (tree.town, timezone.localdate(), users.town),
        (tree.grid, timezone.localdate(), users.village),
        (tree.other_village, timezone.localdate(), users.village),
    ):
        with pytest.raises(ValidationError):
            submit(actor, area, date=date)
    with pytest.raises(ValidationError) as error:
        submit(users.village, tree.village, supplies_used=-1)
    assert "supplies_used" in error.value.message_dict
    assert not DailyReport.objects.exists()


def test_the_town_returns_the_village_corrects_the_town_accepts(tree, users):
    report = submit(users.village, tree.village, narrative="初稿")
    with pytest.raises(ValidationError):
        services.report_return(actor=users.town, report=report, comment=" ")
    services.report_return(actor=users.town, report=report, comment="物资数量漏报")
    report.refresh_from_db()
    assert report.status == DailyReport.Status.RETURNED
    assert Notification.objects.filter(
        user=users.village, kind="report_returned", target_id=str(report.pk)
    ).exists()
    assert not Notification.objects.filter(kind="report_review", resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.report_accept(actor=users.town, report=report)

    services.report_update(
        actor=users.village,
        report=report,
        values={**zeros(), "supplies_used": 3},
        narrative="改稿",
    )
    report.refresh_from_db()
    assert report.status == DailyReport.Status.SUBMITTED and report.supplies_used == 3
    assert not report.late  # timeliness is that of the first submission
    services.report_accept(actor=users.town, report=report)
    report.refresh_from_db()
    assert report.status == DailyReport.Status.ACCEPTED
    assert list(report.revisions.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
    ]
    resubmitted = report.revisions.get(action="resubmitted")
    assert resubmitted.changes == {"supplies_used": [0, 3], "narrative": ["初稿", "改稿"]}


def test_a_change_after_acceptance_needs_a_reason_and_is_kept(tree, users):
    report = submit(users.village, tree.village)
    services.report_accept(actor=users.town, report=report)
    with pytest.raises(ValidationError) as error:
        services.report_update(
            actor=users.village, report=report, values={**zeros(), "supplies_used": 9}
        )
    assert "reason" in error.value.message_dict
    services.report_update(
        actor=users.village,
        report=report,
        values={**zeros(), "supplies_used": 9},
        reason="补报消毒液用量",
    )
    change = Revision.objects.get(action="changed")
    assert change.reason == "补报消毒液用量" and change.changes == {"supplies_used": [0, 9]}
    report.refresh_from_db()
    assert report.status == DailyReport.Status.ACCEPTED and report.supplies_used == 9


def test_out_of_scope_reviews_are_refused(tree, users):
    report = submit(users.village, tree.village)
    with pytest.raises(ValidationError):
        services.report_accept(actor=users.other_town, report=report)
    with pytest.raises(ValidationError):
        services.report_return(actor=users.other_town, report=report, comment="x")
    report.refresh_from_db()
    assert report.status == DailyReport.Status.SUBMITTED


def test_the_town_summary_totals_its_villages(tree, users):
    submit(users.village, tree.village, supplies_used=4)
    submit(None, tree.village2, supplies_used=6)
    with pytest.raises(ValidationError):
        services.summary_submit(actor=users.town, area=tree.town, date=timezone.localdate())
    summary = services.summary_submit(
        actor=users.town, area=tree.town, date=timezone.localdate(), narrative="全镇平稳"
    )
    assert summary.totals["supplies_used"] == 10
    assert (summary.expected, summary.submitted) == (2, 2)
    again = services.summary_submit(
        actor=users.town, area=tree.town, date=timezone.localdate(), narrative="更新"
    )
    assert again.pk == summary.pk and TownSummary.objects.count() == 1
    with pytest.raises(ValidationError):
        services.summary_submit(
            actor=users.other_town, area=tree.town, date=timezone.localdate(), narrative="x"
        )
    with pytest.raises(ValidationError):
        services.summary_submit(
            actor=users.town, area=tree.village, date=timezone.localdate(), narrative="x"
        )
