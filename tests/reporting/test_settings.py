"""FANGKONG_REPORT_DEADLINE is read as a time of day; a malformed value stops start-up."""

import datetime

import pytest

from fangkong.env import ConfigError, env_time


def test_it_reads_the_deadline(monkeypatch):
    monkeypatch.delenv("FANGKONG_REPORT_DEADLINE", raising=False)
    assert env_time("FANGKONG_REPORT_DEADLINE", "16:00") == datetime.time(16, 0)
    monkeypatch.setenv("FANGKONG_REPORT_DEADLINE", "09:30")
    assert env_time("FANGKONG_REPORT_DEADLINE", "16:00") == datetime.time(9, 30)


@pytest.mark.parametrize("value", ["16", "16:0", "25:00", "16:60", "4pm", "16:00:00", "ab:cd"])
def test_it_refuses_a_malformed_deadline(monkeypatch, value):
    monkeypatch.setenv("FANGKONG_REPORT_DEADLINE", value)
    with pytest.raises(ConfigError):
        env_time("FANGKONG_REPORT_DEADLINE", "16:00")
