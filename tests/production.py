"""Helpers that run devboard as production does: DEBUG off, JSON logs, gunicorn with the
repository's gunicorn.conf.py, on loopback, against a database of its own."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECRET_KEY = secrets.token_urlsafe(40)  # one per test run, so sessions made by manage.py work


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, **extra) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_", "LOG_", "REDIS_"))}
    return {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_HOST": "127.0.0.1",  # never contacted by these tests
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


@contextlib.contextmanager
def production_database():
    """A fresh, migrated database next to the test database: PostgreSQL when the suite runs on
    it (as CI does), otherwise a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parsed = dj_database_url.parse(url)
        name = f"{parsed['NAME']}_production"
        admin = psycopg.connect(
            host=parsed["HOST"],
            port=parsed["PORT"],
            user=parsed["USER"],
            password=parsed["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        database_url = url.rsplit("/", 1)[0] + f"/{name}"
        try:
            env = production_env(database_url)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            yield database_url
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = f"sqlite:///{tmp}/production.sqlite3"
            env = production_env(database_url)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            yield database_url


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, headers: dict | None = None, timeout: float = 10):
        """(status, headers, body) of a GET; error statuses are returned, not raised."""
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


@contextlib.contextmanager
def gunicorn(env: dict, *args: str):
    """gunicorn -c gunicorn.conf.py on a free loopback port, stopped (and waited for) after."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gunicorn.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", *args],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = Server(process, port, log)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if server.get("/healthz", timeout=1)[0] == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + log.read_text())
                time.sleep(0.2)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
