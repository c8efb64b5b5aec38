"""The deployment files, checked without a Docker engine: what docker-compose resolves them to."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.test_settings import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")

APP_SERVICES = ("release", "web", "worker", "scheduler")


def compose(*files: str, **env) -> subprocess.CompletedProcess:
    args = [a for f in files for a in ("-f", f)]
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        ["docker-compose", *args, "config"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def production():
    result = compose("docker-compose.yml", SECRET_KEY="a-key-for-the-test")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_compose_refuses_to_start_without_a_secret_key():
    result = compose("docker-compose.yml")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_has_every_service_a_deployment_needs_and_restarts_them(production):
    assert set(production) == {"db", "redis", "release", "web", "proxy", "worker", "scheduler"}
    for name, service in production.items():
        expected = "no" if name == "release" else "unless-stopped"
        assert service["restart"] == expected, name


def test_migrate_runs_once_in_release_and_the_rest_waits_for_it(production):
    assert production["release"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "scheduler"):
        assert production[name]["depends_on"]["release"]["condition"] == "service_completed_successfully"
        assert "migrate" not in str(production[name].get("command", ""))
        assert "pip install" not in str(production[name].get("command", ""))


def test_only_the_proxy_publishes_a_port_and_web_checks_readiness(production):
    published = [name for name, service in production.items() if service.get("ports")]
    assert published == ["proxy"]
    assert "/readyz" in " ".join(production["web"]["healthcheck"]["test"])
    assert production["db"]["healthcheck"]


def test_the_production_file_mounts_no_source(production):
    for name in APP_SERVICES:
        assert not production[name].get("volumes"), name
        assert "build" in production[name]


def test_every_setting_in_the_readme_is_passed_to_the_app(production):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    names = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", "\n".join(first_cells)))
    assert {"SECRET_KEY", "EMAIL_PORT", "SESSION_HOURS", "LOG_LEVEL", "CONN_MAX_AGE"} <= names
    for service in APP_SERVICES:
        missing = names - set(production[service]["environment"])
        assert not missing, f"{service} lacks {sorted(missing)}"


def test_background_work_has_a_worker_and_an_hourly_scheduler(production):
    assert production["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert "send_reminders --enqueue" in " ".join(production["scheduler"]["command"])
    assert "sleep 3600" in " ".join(production["scheduler"]["command"])


def test_the_development_file_keeps_the_source_mounted():
    result = compose("docker-compose.yml", "docker-compose.dev.yml", SECRET_KEY="dev")
    assert result.returncode == 0, result.stderr
    web = yaml.safe_load(result.stdout)["services"]["web"]
    assert any(str(v).endswith(":/app:rw") or "/app" in str(v) for v in web["volumes"])
    assert web["environment"]["DEBUG"] == "true"


def test_the_image_runs_gunicorn_as_an_unprivileged_user_from_a_hashed_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim AS build" in dockerfile
    assert "--require-hashes" in dockerfile and "requirements.lock" in dockerfile
    assert re.search(r"^USER 10001", dockerfile, re.M)
    assert "collectstatic" in dockerfile
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py"]' in dockerfile
    lock = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([a-z0-9_.-]+)==", lock, re.M)
    assert {"django", "gunicorn", "psycopg", "redis"} <= set(pins)
    assert lock.count("--hash=sha256:") >= len(pins)


def test_the_image_leaves_local_state_and_the_virtualenv_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "staticfiles", "db.sqlite3", "*.egg-info"} <= set(ignored)


@pytest.mark.skipif(not shutil.which("hadolint") and not (ROOT / ".venv/bin/hadolint").exists(), reason="no hadolint")
def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(ROOT / ".venv/bin/hadolint")
    result = subprocess.run([hadolint, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_lock_file_pins_every_dependency_at_the_version_pyproject_asks_for():
    import tomllib

    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = (ROOT / "requirements.lock").read_text().lower()
    for requirement in wanted:
        name, version = re.sub(r"\[.*\]", "", requirement).lower().replace("_", "-").split("==")
        assert f"\n{name}=={version} " in lock, f"{requirement} is not in requirements.lock: run make lock"


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed")
def test_the_caddyfile_is_valid(tmp_path):
    # Debian's Caddy (2.6) predates the buffering options the image (2.10) has; check the rest.
    text = (ROOT / "deploy/Caddyfile").read_text()
    assert "request_buffers" in text and "response_buffers" in text
    older = tmp_path / "Caddyfile"
    older.write_text("\n".join(line for line in text.splitlines() if "_buffers" not in line))
    result = subprocess.run(
        ["caddy", "validate", "--config", str(older), "--adapter", "caddyfile"],
        env={**os.environ, "SITE_ADDRESS": ":8080"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
