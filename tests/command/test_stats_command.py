"""`fangkong stats`: the same figures as the dashboard, as JSON or a table."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from fangkong.command.selectors import figures


def _run(*args) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def _plain(data: dict) -> dict:
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    data.pop("generated_at")
    return data


def test_it_prints_exactly_the_figures_as_json(tree, users, scenario):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=4)
    printed = json.loads(
        _run(
            "--from", start.isoformat(), "--to", today.isoformat(), "--area", "370305003", "--json"
        )
    )
    printed.pop("generated_at")
    expected = figures(area_code="370305003", date_from=start, date_to=today)
    assert printed == _plain(expected)
    assert printed["date_to"] == today.isoformat()


def test_it_defaults_to_today_and_the_district(tree, users, scenario, settings):
    settings.FANGKONG_DISTRICT_CODE = "370305"
    printed = json.loads(_run("--json"))
    assert printed["area"]["code"] == "370305"
    assert printed["date_from"] == printed["date_to"] == timezone.localdate().isoformat()


def test_it_prints_a_table_with_the_figures(tree, users, scenario):
    day = timezone.localdate().isoformat()
    text = _run("--date", day, "--area", "370305")
    data = figures(area_code="370305", date_from=timezone.localdate(), date_to=timezone.localdate())
    assert "370305" in text
    assert str(data["cumulative"]["persons"]) in text
    assert "辛店街道" in text


def test_it_runs_as_a_user_inside_their_scope_only(tree, users):
    assert json.loads(_run("--user", "town", "--json"))["area"]["code"] == "370305003"
    with pytest.raises(CommandError):
        _run("--user", "town", "--area", "370305001", "--json")
    with pytest.raises(CommandError):
        _run("--user", "village", "--json")


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2020-02-30"],
        ["--date", "yesterday"],
        ["--from", "2020-02-10", "--to", "2020-02-01"],
        ["--from", "2019-01-01", "--to", "2020-02-01"],
        ["--date", "2020-02-01", "--from", "2020-01-01"],
        ["--area", "999999"],
    ],
)
def test_it_refuses_bad_arguments(tree, args):
    with pytest.raises(CommandError):
        _run(*args)


def test_it_exits_non_zero_on_bad_arguments(tree, capsys):
    from fangkong.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["fangkong", "stats", "--date", "not-a-date"])
    assert exit_info.value.code != 0
