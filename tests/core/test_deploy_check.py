import os
import subprocess
import sys


def test_it_passes_check_deploy_in_production(tmp_path):
    env = {
        **os.environ,
        "FANGKONG_ENV": "production",
        "FANGKONG_HOME": str(tmp_path),
        "FANGKONG_ALLOWED_HOSTS": "fangkong.example.org",
    }
    env.pop("DATABASE_URL", None)
    # Set by the browser tests' fixture while Chromium runs; production never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "fangkong.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Secrets were generated into the data folder, not taken from the repository.
    assert (tmp_path / "secrets.json").exists()


def test_it_stops_on_a_malformed_setting(tmp_path):
    env = {**os.environ, "FANGKONG_HOME": str(tmp_path), "FANGKONG_PAGE_SIZE": "fifty"}
    result = subprocess.run(
        [sys.executable, "-m", "fangkong.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FANGKONG_PAGE_SIZE" in result.stderr


def test_it_stops_on_malformed_health_log_slots(tmp_path):
    env = {**os.environ, "FANGKONG_HOME": str(tmp_path), "FANGKONG_LOG_SLOTS": "am=6-10"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "fangkong.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FANGKONG_LOG_SLOTS" in result.stderr
