"""Settings come from the environment, and refuse what would be unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-c", "import devboard.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_debug_is_off_and_a_secret_key_is_required_by_default():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_with_a_real_key_it_starts_with_debug_off_on_sqlite():
    result = load_settings(SECRET_KEY="a-real-and-long-secret-key-for-this-test")
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_the_development_key_is_refused_when_debug_is_off():
    result = load_settings(SECRET_KEY="insecure-devboard-development-key")
    assert "Set a real SECRET_KEY" in result.stderr


def test_debug_on_runs_without_a_key():
    assert load_settings(DEBUG="true").stdout.split()[0] == "True"


@pytest.mark.parametrize("value", ["yes", "1", "on", ""])
def test_debug_accepts_only_true_or_false(value):
    result = load_settings(DEBUG=value, SECRET_KEY="x" * 40)
    assert "DEBUG must be true or false" in result.stderr


def test_database_url_switches_to_postgresql():
    result = load_settings(DEBUG="true", DATABASE_URL="postgres://u:p@db.example:5432/devboard")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_pages_load_nothing_from_another_site(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "https://" not in html and "http://" not in html
