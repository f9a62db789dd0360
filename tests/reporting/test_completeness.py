"""Completeness and timeliness over 1 200 villages × 90 days agree with a brute-force count,
in a constant number of queries; report_totals sums the day's reports."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from fangkong.core.models import Area
from fangkong.core.transfer import bulk
from fangkong.reporting.models import DailyReport
from fangkong.reporting.selectors import completeness, report_totals

pytestmark = pytest.mark.django_db

TOWNS, VILLAGES, DAYS = 12, 100, 90


@pytest.fixture
def district(tree):
    """12 more towns of 100 villages each under 临淄区, and 90 days of random reports."""
    rng = random.Random(20200210)
    towns = [
        Area(code=f"370305{100 + t}", name=f"测试镇{t}", level=Area.Level.TOWN, parent=tree.county)
        for t in range(TOWNS)
    ]
    Area.objects.bulk_create(towns)
    villages = [
        Area(
            code=f"{town.code}{v + 1:03d}",
            name=f"{town.name}村{v}",
            level=Area.Level.VILLAGE,
            parent=town,
        )
        for town in towns
        for v in range(VILLAGES)
    ]
    Area.objects.bulk_create(villages, batch_size=2000)
    last = timezone.localdate() - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=DAYS - 1)
    submitted_at = timezone.now()
    rows, truth = [], []
    for village in villages:
        for offset in range(DAYS):
            day = first + datetime.timedelta(days=offset)
            roll = rng.random()
            if roll < 0.2:
                continue  # missing
            late = roll > 0.8
            zero = rng.random() < 0.3
            figure = 0 if zero else rng.randint(0, 5)
            rows.append(
                {
                    "area_id": village.code,
                    "date": day,
                    "submitted_at": submitted_at,
                    "late": late,
                    "is_zero": zero,
                    "supplies_used": figure,
                    "new_returnees": figure,
                }
            )
            truth.append((village.code, day, late, zero, figure))
    # The project's bulk insert (executemany on SQLite, COPY on PostgreSQL): bulk_create spent
    # 15 s compiling the SQL of these 86 000 rows.
    bulk.insert(DailyReport, rows)
    units = [v.code for v in villages] + [
        tree.village.code,
        tree.village2.code,
        tree.other_village.code,
    ]
    return {"units": units, "truth": truth, "first": first, "last": last, "towns": towns}


def brute(units, truth, code, first, last):
    mine = [t for t in truth if t[0].startswith(code) and first <= t[1] <= last]
    expected = sum(1 for u in units if u.startswith(code)) * ((last - first).days + 1)
    submitted = len(mine)
    on_time = sum(1 for t in mine if not t[2])
    return {
        "expected": expected,
        "submitted": submitted,
        "on_time": on_time,
        "late": submitted - on_time,
        "zero": sum(1 for t in mine if t[3]),
        "missing": expected - submitted,
        "completeness": submitted / expected if expected else 0.0,
        "timeliness": on_time / expected if expected else 0.0,
    }


def test_it_matches_a_brute_force_count(district, tree, django_assert_num_queries):
    units, truth = district["units"], district["truth"]
    first, last = district["first"], district["last"]
    assert len(units) >= 1200
    with django_assert_num_queries(4):
        figures = completeness(area_code=tree.county.code, date_from=first, date_to=last)
    want = brute(units, truth, tree.county.code, first, last)
    assert {k: figures[k] for k in want} == pytest.approx(want)

    per_day = Counter(t[1] for t in truth)
    on_time_day = Counter(t[1] for t in truth if not t[2])
    assert len(figures["by_day"]) == DAYS
    for row in figures["by_day"]:
        day = datetime.date.fromisoformat(row["date"])
        assert row == {
            "date": row["date"],
            "expected": len(units),
            "submitted": per_day[day],
            "on_time": on_time_day[day],
        }

    children = {row["code"]: row for row in figures["by_child"]}
    assert set(children) == {
        tree.town.code,
        tree.other_town.code,
        *(t.code for t in district["towns"]),
    }
    for code, row in children.items():
        child = brute(units, truth, code, first, last)
        assert (row["expected"], row["submitted"], row["on_time"]) == (
            child["expected"],
            child["submitted"],
            child["on_time"],
        ), code


def test_a_town_a_village_and_a_shorter_range_match_too(district, django_assert_num_queries):
    units, truth = district["units"], district["truth"]
    first = district["last"] - datetime.timedelta(days=9)
    last = district["last"]
    town = district["towns"][3].code
    with django_assert_num_queries(4):
        figures = completeness(area_code=town, date_from=first, date_to=last)
    want = brute(units, truth, town, first, last)
    assert {k: figures[k] for k in want} == pytest.approx(want)
    assert len(figures["by_child"]) == VILLAGES
    for row in figures["by_child"]:
        child = brute(units, truth, row["code"], first, last)
        assert (row["expected"], row["submitted"], row["on_time"]) == (
            child["expected"],
            child["submitted"],
            child["on_time"],
        )
    village = f"{town}042"
    figures = completeness(area_code=village, date_from=first, date_to=last)
    want = brute(units, truth, village, first, last)
    assert {k: figures[k] for k in want} == pytest.approx(want)
    assert figures["by_child"] == []


def test_report_totals_sum_the_days_reports(district, tree, django_assert_num_queries):
    truth, day = district["truth"], district["last"]
    with django_assert_num_queries(1):
        totals = report_totals(area_code=tree.county.code, date=day)
    expected = sum(t[4] for t in truth if t[1] == day)
    assert totals["supplies_used"] == expected and totals["new_returnees"] == expected
    assert totals["turned_back"] == 0
    town = district["towns"][0].code
    assert report_totals(area_code=town, date=day)["supplies_used"] == sum(
        t[4] for t in truth if t[1] == day and t[0].startswith(town)
    )


def test_nothing_expected_gives_zero_ratios(tree):
    day = timezone.localdate()
    figures = completeness(
        area_code=tree.far_town.code, date_from=day, date_to=day - datetime.timedelta(days=1)
    )
    assert figures["expected"] == 0 and figures["completeness"] == 0 and figures["timeliness"] == 0
