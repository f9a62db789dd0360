"""Typed readers for environment settings.

Each reader fails loudly on a value it cannot parse: a typo in production configuration must
stop start-up, not silently fall back to a default.
"""

import json
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"environment variable {name} is required")
        return default
    return value


def env_optional(name: str) -> str:
    """An optional string whose absence means "feature off" (empty string)."""
    return os.environ.get(name, "").strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not an integer") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_time(name: str, default: str):
    """A datetime.time written HH:MM (24-hour), e.g. "16:00"."""
    import datetime

    value = env_str(name, default).strip()
    try:
        hours, minutes = value.split(":")
        if len(minutes) != 2 or not hours.isdigit() or not minutes.isdigit():
            raise ValueError
        return datetime.time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a time of day (HH:MM, e.g. 16:00)") from None


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of {sorted(choices)}")
    return value


def load_or_create_secrets(home: Path) -> dict[str, str]:
    """Secrets live in FANGKONG_HOME, created on first run and never committed.

    The field keys cannot change once data is written: losing them loses every encrypted ID
    number, so the file is created once and only read afterwards.
    """
    path = home / "secrets.json"
    if path.exists():
        data = json.loads(path.read_text())
    else:
        from cryptography.fernet import Fernet

        data = {
            "secret_key": secrets.token_urlsafe(50),
            "field_key": Fernet.generate_key().decode(),
            "hash_key": secrets.token_hex(32),
        }
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
    missing = {"secret_key", "field_key", "hash_key"} - data.keys()
    if missing:
        raise ConfigError(f"{path} lacks {sorted(missing)}")
    return data
