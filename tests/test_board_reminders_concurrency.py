"""Two reminder runs at once, in separate processes on PostgreSQL: each reminder goes out exactly once."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.factories import days_ago, make_member, make_user
from tests.test_settings import ROOT

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs a database shared between processes"
)


def start_run() -> subprocess.Popen:
    test_database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "LOG_", "DJANGO_"))}
    env = {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": "a-real-and-long-secret-key-for-this-test",
        "DATABASE_URL": test_database,
        "EMAIL_BACKEND": "console",  # each email printed: counted below
        "LOG_FORMAT": "json",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_reminders"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_runs_send_each_reminder_exactly_once_and_log_no_failure(transactional_db):
    from django.apps import apps

    from roles import guidance

    guidance.load(apps)  # the roles a board member holds; earlier transactional tests flushed them
    owners = [make_user(f"owner{i}") for i in range(40)]
    for owner in owners:
        make_member(owner, name="Dr. Due").set_next_check_in(days_ago(1))
        make_member(owner, name="Dr. Also Due").set_next_check_in(days_ago(2))
    runs = [start_run() for _ in range(3)]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], results
    recipients = [line for out, _ in results for line in out.splitlines() if line.startswith("To: ")]
    assert sorted(recipients) == sorted(f"To: {owner.email}" for owner in owners)
    summaries = [out.strip().splitlines()[-1] for out, _ in results]
    assert sum(int(s.split()[1]) for s in summaries) == 80
    assert all(s.endswith("0 email(s) failed.") for s in summaries)
    assert not any(err.strip() for _, err in results)
    from devboard.board.models import Reminder

    assert Reminder.objects.filter(sent_at__isnull=False).count() == 80
