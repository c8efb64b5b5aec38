"""Settings come from the environment, and refuse what would be unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(*, show: str = "s.DEBUG, s.DATABASES['default']['ENGINE']", **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BEHIND_PROXY")
        and not k.startswith(("EMAIL_", "LOG_", "SECURE_"))
    }
    return subprocess.run(
        [sys.executable, "-c", f"import devboard.settings as s; print({show})"],
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
    result = load_settings(SECRET_KEY="a-real-and-long-secret-key-for-this-test", EMAIL_HOST="smtp.example.org")
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


PRODUCTION = {"SECRET_KEY": "a-real-and-long-secret-key-for-this-test"}


def test_with_debug_off_and_no_mail_server_it_refuses_to_start():
    result = load_settings(**PRODUCTION)
    assert result.returncode != 0
    assert "No mail server: set EMAIL_HOST" in result.stderr
    assert "EMAIL_BACKEND=console" in result.stderr


def test_printing_emails_to_the_log_is_a_choice_made_on_purpose():
    result = load_settings(show="s.EMAIL_BACKEND", EMAIL_BACKEND="console", **PRODUCTION)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_a_mail_server_sends_by_smtp_with_its_settings():
    result = load_settings(
        show="s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="25",
        EMAIL_USE_TLS="false",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "25", "False"]


def test_make_run_prints_emails_because_debug_is_on():
    result = load_settings(show="s.EMAIL_BACKEND", DEBUG="true")
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_log_format_is_json_in_production_text_with_debug_and_nothing_else():
    assert load_settings(show="s.LOG_FORMAT", EMAIL_HOST="x", **PRODUCTION).stdout.strip() == "json"
    assert load_settings(show="s.LOG_FORMAT", DEBUG="true").stdout.strip() == "text"
    assert "LOG_FORMAT must be json or text" in load_settings(LOG_FORMAT="xml", DEBUG="true").stderr


def test_https_switches_come_from_the_environment():
    result = load_settings(
        show="s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER",
        DEBUG="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_SSL_REDIRECT="true",
        BEHIND_PROXY="true",
    )
    assert result.stdout.strip() == "31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_proxy_header_is_not_trusted_unless_behind_a_proxy():
    result = load_settings(show="getattr(s, 'SECURE_PROXY_SSL_HEADER', None)", DEBUG="true")
    assert result.stdout.strip() == "None"


def test_check_deploy_is_clean_with_the_production_https_settings():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SECURE_", "DJANGO_"))}
    env = {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": "k3Qv-8zLr0pX2mN7yT5wB1cF9hJ4dS6gA0eU3iO8lK2qW7rE5tY1uI9oP4aS6dF8",
        "EMAIL_HOST": "smtp.example.org",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "BEHIND_PROXY": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_load_nothing_from_another_site(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "https://" not in html and "http://" not in html


def test_without_redis_and_debug_no_page_is_kept():
    """Several workers, each with its own memory, would show a page another worker saw change."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="devboard.settings",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        DEBUG="false",
        EMAIL_BACKEND="console",
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.PAGE_CACHE)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
