"""devboard started as production starts it: DEBUG off, JSON logs, gunicorn with gunicorn.conf.py."""

import json
import socket
import time

import pytest

from tests.production import gunicorn, manage, production_database, production_env

pytestmark = pytest.mark.production

SIGNED_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from devboard.models import User
user = User.objects.create_user("riley", "riley@example.org", "a-long-passphrase-42", first_name="Riley")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(user.pk, session.session_key)
"""


@pytest.fixture(scope="module")
def database_url():
    with production_database() as url:
        yield url


@pytest.fixture(scope="module")
def server(database_url):
    with gunicorn(production_env(database_url)) as server:
        yield server


@pytest.fixture(scope="module")
def server_without_database(database_url):
    unreachable = database_url.replace(":5432/", ":1/") if ":5432/" in database_url else "postgres://u@127.0.0.1:1/x"
    with gunicorn(production_env(unreachable)) as server:
        yield server


def json_lines(server) -> list[dict]:
    return [json.loads(line) for line in server.log_lines()]


def test_readyz_answers_200_when_the_database_and_cache_answer(server):
    status, _, body = server.get("/readyz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_with_the_database_unreachable_readyz_fails_and_healthz_still_answers(server_without_database):
    status, _, body = server_without_database.get("/readyz")
    assert status == 503
    assert "database" in json.loads(body)["failed"]
    assert server_without_database.get("/healthz")[0] == 200


def test_three_idle_connections_do_not_stall_a_request(server):
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3)]
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert server.get("/healthz", timeout=5)[0] == 200
        assert time.monotonic() - started < 1
    finally:
        for conn in idle:
            conn.close()


def test_a_request_writes_one_json_line_with_its_id_user_and_timing_and_no_names(database_url, server):
    env = production_env(database_url)
    user_id, session_key = manage(env, "shell", "-c", SIGNED_IN).splitlines()[-1].split()
    status, headers, _ = server.get(
        "/worksheets/", headers={"Cookie": f"sessionid={session_key}", "X-Request-ID": "trace-4711"}
    )
    assert status == 200
    assert headers["X-Request-ID"] == "trace-4711"
    time.sleep(0.2)
    lines = json_lines(server)  # every line parses, gunicorn's own included
    access = [line for line in lines if line.get("request_id") == "trace-4711"]
    assert len(access) == 1
    line = access[0]
    assert line["logger"] == "gunicorn.access" and line["level"] == "INFO"
    assert line["time"].endswith("Z")
    assert (line["user_id"], line["path"], line["method"], line["status"]) == (int(user_id), "/worksheets/", "GET", 200)
    assert isinstance(line["duration_ms"], float)
    text = "\n".join(server.log_lines())
    assert "riley" not in text.lower()


def test_a_request_id_is_made_when_none_is_sent_and_probes_are_not_logged(server):
    _, headers, _ = server.get("/accounts/login/")
    request_id = headers["X-Request-ID"]
    assert len(request_id) == 32
    server.get("/healthz")
    server.get("/readyz")
    time.sleep(0.2)
    paths = [line.get("path") for line in json_lines(server)]
    assert "/accounts/login/" in paths
    assert "/healthz" not in paths and "/readyz" not in paths


def test_an_error_is_one_line_and_a_burst_of_them_is_cut_short(server_without_database):
    for _ in range(20):
        status, _, body = server_without_database.get("/")
        assert status == 500
    time.sleep(0.2)
    lines = json_lines(server_without_database)
    errors = [line for line in lines if line.get("message") == "Internal Server Error: /"]
    assert 1 <= len(errors) <= 2 * 5  # at most five of a kind per minute in each of the 2 workers
    assert "Traceback" in errors[0]["traceback"] and "OperationalError" in errors[0]["traceback"]
    assert errors[0]["request_id"]
    assert len([line for line in lines if line.get("path") == "/"]) == 20  # every request still logged


def test_a_graceful_reload_drops_no_request(server):
    import signal
    import threading

    outcomes = []
    stop = time.monotonic() + 4

    def keep_asking():
        while time.monotonic() < stop:
            try:
                outcomes.append(server.get("/accounts/login/", timeout=30)[0])
            except OSError as error:
                outcomes.append(repr(error))

    clients = [threading.Thread(target=keep_asking) for _ in range(3)]
    for client in clients:
        client.start()
    time.sleep(1)
    server.process.send_signal(signal.SIGHUP)  # new workers start, old ones finish what they hold
    for client in clients:
        client.join()
    assert outcomes and set(outcomes) == {200}, [o for o in outcomes if o != 200][:5]
