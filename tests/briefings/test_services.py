"""Numbering, the draft → approved → published flow and the immutability of what is approved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.briefings import services
from fangkong.briefings.models import Briefing, BriefingCounter
from tests.briefings.conftest import generate


def _day(offset):
    return timezone.localdate() - datetime.timedelta(days=offset)


def test_it_numbers_briefings_per_area_and_year(users, tree):
    first = generate(users.command, tree.county, _day(3))
    second = generate(users.command, tree.county, _day(2))
    town = generate(users.command, tree.town, _day(2))
    third = generate(users.command, tree.county, _day(1))
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert town.sequence == 1
    assert third.number == "第3期"


def test_it_starts_again_at_one_in_a_new_year(users, tree):
    old = generate(users.command, tree.county, datetime.date(2020, 12, 31))
    new = generate(users.command, tree.county, datetime.date(2021, 1, 1))
    assert (old.year, old.sequence) == (2020, 1)
    assert (new.year, new.sequence) == (2021, 1)


def test_it_gives_a_day_one_briefing_and_one_number(users, tree):
    first, created = services.briefing_generate(actor=users.command, area=tree.county, date=_day(0))
    again, created_again = services.briefing_generate(
        actor=users.command, area=tree.county, date=_day(0)
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Briefing.objects.count() == 1
    assert BriefingCounter.objects.get(area=tree.county).last == 1


def test_it_defaults_to_the_actor_scope_and_its_office(users, tree):
    briefing = generate(users.command)
    assert briefing.area_id == tree.county.code
    assert briefing.office == f"{tree.county.name}新冠肺炎疫情防控指挥部办公室"
    assert briefing.report_to and briefing.send_to
    assert briefing.state == Briefing.State.DRAFT


def test_it_carries_the_office_lines_over_to_the_next_briefing(users, tree):
    first = generate(users.command, tree.county, _day(1))
    services.briefing_update(
        actor=users.command,
        briefing=first,
        texts={},
        office="临淄区疫情防控指挥部综合组",
        report_to="市指挥部",
        send_to="各镇街",
        copies=30,
    )
    second = generate(users.command, tree.county, _day(0))
    assert (second.office, second.report_to, second.send_to, second.copies) == (
        "临淄区疫情防控指挥部综合组",
        "市指挥部",
        "各镇街",
        30,
    )


def test_it_leaves_out_sections_whose_figures_are_not_available(draft):
    keys = [s["key"] for s in draft.sections]
    assert keys[:4] == ["overall", "checkpoints", "key_persons", "monitoring"]
    assert "reports" in keys
    assert "supplies" not in keys and "enterprises" not in keys
    assert all(s["text"] for s in draft.sections)


@pytest.mark.parametrize(
    ("who", "area"),
    [("outsider", "county"), ("other_town", "town"), ("town", "county")],
)
def test_it_refuses_areas_outside_the_scope(users, tree, who, area):
    with pytest.raises(ValidationError) as exc:
        services.briefing_generate(
            actor=getattr(users, who), area=getattr(tree, area), date=_day(0)
        )
    assert "area" in exc.value.message_dict
    assert not Briefing.objects.exists() and not BriefingCounter.objects.exists()


def test_it_refuses_a_day_to_come(users, tree):
    with pytest.raises(ValidationError) as exc:
        generate(users.command, tree.county, _day(-1))
    assert "date" in exc.value.message_dict
    assert not Briefing.objects.exists()


def test_it_lets_the_office_edit_a_draft(users, draft):
    services.briefing_update(
        actor=users.command,
        briefing=draft,
        texts={"overall": "改写后的总体情况。"},
        office="综合协调组",
        report_to="市指挥部",
        send_to="区领导",
    )
    draft.refresh_from_db()
    assert draft.sections[0]["text"] == "改写后的总体情况。"
    assert "改写后的总体情况" in draft.search_text
    assert draft.office == "综合协调组"


@pytest.mark.parametrize(
    ("texts", "office", "field"),
    [({"overall": "  "}, "办公室", "overall"), ({}, " ", "office")],
)
def test_it_refuses_an_empty_section_or_office(users, draft, texts, office, field):
    before = Briefing.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError) as exc:
        services.briefing_update(
            actor=users.command,
            briefing=draft,
            texts=texts,
            office=office,
            report_to="",
            send_to="",
        )
    assert field in exc.value.message_dict
    after = Briefing.objects.get(pk=draft.pk)
    assert (after.sections, after.office) == (before.sections, before.office)


def test_it_regenerates_a_draft_from_the_figures(users, draft):
    services.briefing_update(
        actor=users.command,
        briefing=draft,
        texts={"overall": "改写"},
        office=draft.office,
        report_to="",
        send_to="",
    )
    services.briefing_regenerate(actor=users.command, briefing=draft)
    draft.refresh_from_db()
    assert draft.sections[0]["text"] != "改写"
    assert draft.sequence == 1


def test_it_publishes_only_what_was_approved(users, draft):
    with pytest.raises(ValidationError):
        services.briefing_publish(actor=users.command, briefing=draft)
    services.briefing_approve(actor=users.command, briefing=draft)
    briefing = services.briefing_publish(actor=users.command, briefing=draft)
    assert briefing.state == Briefing.State.PUBLISHED
    assert briefing.published_by == users.command and briefing.approved_by == users.command


def test_it_never_changes_a_published_briefing(users, tree, published):
    before = Briefing.objects.values().get(pk=published.pk)
    calls = [
        lambda: services.briefing_regenerate(actor=users.command, briefing=published),
        lambda: services.briefing_approve(actor=users.command, briefing=published),
        lambda: services.briefing_publish(actor=users.command, briefing=published),
        lambda: services.briefing_update(
            actor=users.command,
            briefing=published,
            texts={"overall": "改"},
            office="改",
            report_to="",
            send_to="",
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "state" in exc.value.message_dict
    # Generating the day again hands back the published briefing as it was.
    again = generate(users.command, tree.town, published.date)
    assert again.pk == published.pk
    assert Briefing.objects.values().get(pk=published.pk) == before
