"""Bulk invitations run in the background: the director's request returns at once with a
progress page, nobody is dropped, and sending the same list again invites nobody twice."""

import os
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from devboard.models import User
from devboard.programs.models import Invitation, InvitationBatch, Membership, Program
from tests.factories import make_user, sign_in_with_second_factor
from tests.test_settings import ROOT


def people_csv(count: int, start: int = 0) -> SimpleUploadedFile:
    rows = "".join(f"Person {i},person{i}@example.org,learner\n" for i in range(start, start + count))
    return SimpleUploadedFile("people.csv", ("name,email,kind\n" + rows).encode(), content_type="text/csv")


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana_client(client, program):
    dana = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    sign_in_with_second_factor(client, dana)
    return client


def send_list(client, upload):
    return client.post("/program/im/members/invite/", {"csv_file": upload, "kind": "learner"})


def test_a_list_goes_to_a_progress_page_that_survives_a_reload(dana_client, program):
    response = send_list(dana_client, people_csv(3))
    batch = InvitationBatch.objects.get()
    assert response.status_code == 302
    assert response.url == f"/program/im/members/invitations/{batch.pk}/"
    page = dana_client.get(response.url)
    assert "Invitation sent to 3 addresses." in page.text
    assert "Invitation sent to 3 addresses." in dana_client.get(response.url).text  # and again after a reload
    assert dana_client.get(response.url + "?format=json").json() == {
        "total": 3,
        "processed": 3,
        "invited": 3,
        "skipped": 0,
        "failed": 0,
        "finished": True,
    }


def test_a_list_still_running_shows_its_counts_and_polls(dana_client, program):
    batch = InvitationBatch.objects.create(
        program=program,
        people=[{"where": "Line 2", "name": "A", "email": "a@example.org", "kind": "learner"}] * 4,
        invited=1,
        failures=[["Line 3", "b@example.org", "the email could not be sent; try again later"]],
    )
    page = dana_client.get(f"/program/im/members/invitations/{batch.pk}/")
    assert 'data-poll="/program/im/members/invitations/' in page.text
    assert '<progress id="invitation-bar" class="w-100" max="4" value="2">' in page.text
    assert "b@example.org" in page.text and "The email could not be sent" in page.text


def test_the_same_list_sent_twice_invites_nobody_twice(dana_client, program):
    send_list(dana_client, people_csv(5))
    send_list(dana_client, people_csv(7))  # five of them again, two new
    assert Invitation.objects.count() == 7
    assert len(mail.outbox) == 7
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"person{i}@example.org" for i in range(7))


def test_someone_who_joined_while_the_list_waited_is_skipped_not_reinvited(dana_client, program):
    from devboard.programs.tasks import invite_batch

    batch = InvitationBatch.objects.create(
        program=program, people=[{"where": "Line 2", "name": "Riley", "email": "riley@example.org", "kind": "learner"}]
    )
    program.add_member(make_user("riley"), Membership.Kind.LEARNER)
    invite_batch.call(batch.pk)
    batch.refresh_from_db()
    assert (batch.invited, batch.skipped, batch.finished_at is not None) == (0, 1, True)
    assert mail.outbox == []


def test_a_stopped_worker_resumes_where_it_left_off(dana_client, program):
    from devboard.programs.tasks import invite_batch

    rows = [{"where": f"Line {i}", "name": f"P {i}", "email": f"p{i}@example.org", "kind": "learner"} for i in range(6)]
    dana = User.objects.get(username="dana")
    batch = InvitationBatch.objects.create(program=program, sent_by=dana, people=rows, invited=4)  # 4 were done
    invite_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.invited == 6 and batch.processed == 6
    assert sorted(m.to[0] for m in mail.outbox) == ["p4@example.org", "p5@example.org"]


def test_a_thousand_people_are_all_invited_with_the_immediate_backend(dana_client, program):
    started = time.monotonic()
    response = send_list(dana_client, people_csv(1000))
    elapsed = time.monotonic() - started
    batch = InvitationBatch.objects.get()
    assert (batch.invited, batch.failures, batch.finished_at is not None) == (1000, [], True)
    assert program.memberships.filter(kind="learner").count() == 1000
    assert len(mail.outbox) == 1000
    assert response.status_code == 302
    print(f"1,000 rows, immediate backend: {elapsed:.2f} s")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the worker needs a shared database"
)
def test_a_thousand_people_return_at_once_and_a_worker_invites_them_all(transactional_db, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    dana = make_user("dana")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    sign_in_with_second_factor(client, dana)
    started = time.monotonic()
    response = send_list(client, people_csv(1000))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 2, f"the request took {elapsed:.2f} s"
    batch = InvitationBatch.objects.get()
    assert client.get(response.url + "?format=json").json()["processed"] == 0

    test_database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "LOG_", "DJANGO_"))}
    env = {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": "a-real-and-long-secret-key-for-this-test",
        "DATABASE_URL": test_database,
        "EMAIL_BACKEND": "console",
        "TASKS_BACKEND": "database",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    batch.refresh_from_db()
    assert (batch.invited, batch.failures, batch.finished_at is not None) == (1000, [], True)
    assert User.objects.filter(email__startswith="person").count() == 1000
    assert worker.stdout.count("\nTo: person") + worker.stdout.startswith("To: person") == 1000
    assert "Invitation sent to 1000 addresses." in client.get(response.url).text
