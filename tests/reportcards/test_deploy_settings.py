"""Production settings pass Django's deployment checklist and refuse to run without a key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    ignored = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set it
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(DJANGO_SETTINGS_MODULE="reportcards.settings_production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="reportcards.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="reportcards.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
