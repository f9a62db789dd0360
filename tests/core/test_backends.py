import json
import os
import subprocess
import sys

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
cache.set("fangkong-probe", "ok", 5)
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "huey": type(HUEY).__name__,
    "cache": settings.CACHES["default"]["BACKEND"],
    "roundtrip": cache.get("fangkong-probe"),
}))
"""


def probe(tmp_path, **env):
    full = {**os.environ, "FANGKONG_HOME": str(tmp_path), **env}
    full.pop("FANGKONG_ENV", None)
    for name in ("DATABASE_URL", "REDIS_URL"):
        if name not in env:
            full.pop(name, None)
    full["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=full, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_runs_embedded_by_default(tmp_path):
    found = probe(tmp_path)
    assert found["db"] == "django.db.backends.sqlite3"
    assert found["huey"] == "SqliteHuey"
    assert found["roundtrip"] == "ok"
    assert (tmp_path / "secrets.json").exists()


def test_it_switches_huey_and_cache_to_redis(tmp_path):
    found = probe(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert found["huey"] == "RedisHuey"
    assert found["cache"].endswith("RedisCache")
    assert found["roundtrip"] == "ok"  # a real round trip through the local Redis


def test_it_switches_to_postgresql(tmp_path):
    found = probe(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres")
    assert found["db"] == "django.db.backends.postgresql"
