"""/healthz and /readyz: what a load balancer or orchestrator asks before sending traffic."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from tests.test_settings import ROOT


def test_healthz_answers_without_the_database_a_session_or_a_known_host(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"][0] == "database"


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_does_not_answer(client):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("cache down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["cache"]}


def test_probes_are_not_redirected_to_https_or_to_sign_in(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_database_cache_table_exists_after_migrate():
    cache.set("greeting", "hello", 30)
    assert cache.get("greeting") == "hello"


def _cache_in_a_new_process(code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.core.cache import cache; {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "devboard.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_redis_url_makes_one_cache_shared_by_every_process_and_sessions_cached():
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, settings.PAGE_CACHE)"
    )
    assert _cache_in_a_new_process(code, **redis).split() == [
        "devboard.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "True",  # kept pages' stamps are shared by every worker (devboard/pagecache.py)
    ]
    _cache_in_a_new_process("cache.set('devboard-test-shared', 'from another host', 30)", **redis)
    assert _cache_in_a_new_process("print(cache.get('devboard-test-shared'))", **redis) == "from another host"


def test_without_redis_the_cache_is_the_database_and_sessions_stay_there():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, settings.CACHES['pages']['BACKEND'])"
    )
    assert _cache_in_a_new_process(code).split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
        # kept pages in this process's memory: with DEBUG only, as one worker cannot tell another of a change
        "django.core.cache.backends.locmem.LocMemCache",
    ]
