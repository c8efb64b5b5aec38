"""The demo command: development only, idempotent, and showing each state a newcomer should see."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import override_settings

from devboard.board.models import WorksheetLink
from devboard.models import User
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=io.StringIO())


@override_settings(DEBUG=False)
def test_it_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG off"):
        load()
    assert not User.objects.filter(username="resident").exists()


@override_settings(DEBUG=True)
def test_the_three_demo_accounts_sign_in_with_the_demo_password(client):
    load()
    for username in ("resident", "faculty", "director"):
        assert client.login(request=HttpRequest(), username=username, password="devboard-demo"), username


@override_settings(DEBUG=True)
def test_the_resident_has_a_draft_and_a_completed_worksheet():
    load()
    worksheets = Worksheet.objects.filter(owner__username="resident")
    assert sorted(w.status for w in worksheets) == ["completed", "draft"]
    done = worksheets.get(status="completed")
    assert done.ranking()[0]["role"] == "mentor" and done.chosen_role.slug == "mentor"


@override_settings(DEBUG=True)
def test_the_faculty_worksheet_is_linked_to_someone_on_the_board():
    load()
    link = WorksheetLink.objects.get(worksheet__owner__username="faculty")
    assert link.member.name == "Jordan Lee" and link.role.slug == "coach"


@override_settings(DEBUG=True)
def test_loading_twice_adds_nothing():
    load()
    counts = (User.objects.count(), Worksheet.objects.count(), WorksheetLink.objects.count())
    load()
    assert (User.objects.count(), Worksheet.objects.count(), WorksheetLink.objects.count()) == counts


@override_settings(DEBUG=True)
def test_the_director_signs_in_with_a_printed_backup_code(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    codes = out.getvalue().split("load_demo makes new ones): ")[1].split()
    assert len(codes) == 10
    client.post("/accounts/login/", {"username": "director", "password": "devboard-demo", "next": "/admin/"})
    response = client.post("/accounts/login/code/", {"code": codes[0]})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(DEBUG=True)
def test_loading_the_demo_again_keeps_one_authenticator_for_the_director():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    load()
    load()
    assert TOTPDevice.objects.filter(user__username="director").count() == 1
