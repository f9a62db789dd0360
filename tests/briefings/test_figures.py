"""The briefing shows the figures the dashboard shows for the same day and scope, and keeps
them once generated."""

import datetime

import pytest
from django.utils import timezone

from fangkong.briefings import content, services
from fangkong.command.selectors import figures
from fangkong.ledger.models import KeyPerson
from tests.briefings.conftest import generate
from tests.command.conftest import load


def _without_clock(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "generated_at"}


@pytest.mark.parametrize("area", ["county", "town"])
def test_it_holds_the_figures_of_the_dashboard(users, tree, area):
    load(tree)
    area = getattr(tree, area)
    today = timezone.localdate()
    briefing = generate(users.command, area, today)
    expected = services.snapshot(area_code=area.code, date=today)
    assert _without_clock(briefing.figures) == _without_clock(expected)
    # The snapshot is figures() itself, dates written as ISO text.
    live = figures(area_code=area.code, date_from=today, date_to=today)
    assert briefing.figures["today"] == live["today"]
    assert briefing.figures["ledger"]["managed"] == live["ledger"]["managed"]
    assert briefing.figures["date_to"] == today.isoformat()


def test_it_writes_the_figures_into_the_text_and_table(users, tree):
    load(tree)
    today = timezone.localdate()
    briefing = generate(users.command, tree.county, today)
    data = figures(area_code=tree.county.code, date_from=today, date_to=today)
    text = {s["key"]: s["text"] for s in briefing.sections}
    assert f"人员{data['today']['persons']}人" in text["checkpoints"]
    assert f"目前在管{data['ledger']['managed']}人" in text["key_persons"]
    assert f"上报体温记录{data['today']['logs']}条" in text["monitoring"]
    rows = content.table_rows(briefing.figures)
    towns = [t for t in data["by_town"]]
    assert [r[0] for r in rows[:-1]] == [
        f"{t['name']}（本级）" if t["own"] else t["name"] for t in towns
    ]
    for row, town in zip(rows, towns, strict=False):
        assert row[1:5] == [
            str(town["persons"]),
            str(town["pushes"]),
            str(town["managed"]),
            str(town["alerts_open"]),
        ]
    assert rows[-1][:5] == [
        "合计",
        str(data["today"]["persons"]),
        str(data["today"]["pushes"]),
        str(data["ledger"]["managed"]),
        str(data["alerts"]["open"]),
    ]


def test_it_keeps_the_figures_of_a_published_briefing(users, tree):
    load(tree)
    today = timezone.localdate()
    briefing = generate(users.command, tree.county, today)
    services.briefing_approve(actor=users.command, briefing=briefing)
    services.briefing_publish(actor=users.command, briefing=briefing)
    kept = briefing.figures
    KeyPerson.objects.within(tree.county.code).filter(state=KeyPerson.State.MANAGED).update(
        state=KeyPerson.State.RELEASED, released_on=today - datetime.timedelta(days=1)
    )
    briefing.refresh_from_db()
    assert briefing.figures == kept
    assert (
        figures(area_code=tree.county.code, date_from=today, date_to=today)["ledger"]["managed"]
        != kept["ledger"]["managed"]
        or kept["ledger"]["managed"] == 0
    )
