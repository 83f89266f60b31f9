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
        # Only a guard against a hang: a migrate on a busy shared machine takes minutes.
        timeout=900,
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


def test_it_collects_static_files_and_serves_pages_with_production_settings(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    collected = manage("collectstatic", "--noinput", **env)
    assert collected.returncode == 0, collected.stderr
    assert manage("migrate", "--verbosity", "0", **env).returncode == 0
    fetch = (
        "from django.test import Client; "
        "r = Client().get('/accounts/login/', secure=True); "
        "print(r.status_code, 'favicon' in r.text, r['Strict-Transport-Security'])"
    )
    page = manage("shell", "--verbosity", "0", "--command", fetch, **env)
    assert page.stdout.split() == [
        "200",
        "True",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
    ]
