import json

import pytest

from fangkong.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    load_or_create_secrets,
)


def test_it_reads_typed_values(monkeypatch):
    monkeypatch.setenv("FK_INT", "12")
    monkeypatch.setenv("FK_BOOL", "yes")
    monkeypatch.setenv("FK_LIST", "a, b,,c")
    assert env_int("FK_INT", 1) == 12
    assert env_bool("FK_BOOL", False) is True
    assert env_list("FK_LIST", []) == ["a", "b", "c"]
    assert env_int("FK_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("reader", "value"),
    [(lambda: env_int("FK_X", 1), "twelve"), (lambda: env_bool("FK_X", True), "maybe")],
)
def test_it_fails_loudly_on_bad_values(monkeypatch, reader, value):
    monkeypatch.setenv("FK_X", value)
    with pytest.raises(ConfigError, match="FK_X"):
        reader()


def test_it_requires_what_has_no_default(monkeypatch):
    monkeypatch.delenv("FK_REQUIRED", raising=False)
    with pytest.raises(ConfigError, match="FK_REQUIRED"):
        env_str("FK_REQUIRED")


def test_it_limits_choices(monkeypatch):
    monkeypatch.setenv("FK_ENV", "staging")
    with pytest.raises(ConfigError):
        env_choice("FK_ENV", "development", {"development", "production"})


def test_it_creates_secrets_once_and_private(tmp_path):
    first = load_or_create_secrets(tmp_path)
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert load_or_create_secrets(tmp_path) == first
    assert set(first) == {"secret_key", "field_key", "hash_key"}


def test_it_refuses_an_incomplete_secrets_file(tmp_path):
    (tmp_path / "secrets.json").write_text(json.dumps({"secret_key": "x"}))
    with pytest.raises(ConfigError, match="field_key"):
        load_or_create_secrets(tmp_path)
