"""The account page: password, signed-in browsers, my data, my security events, deleting the account."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from devboard.accounts.models import AuditEvent, SignIn
from devboard.board.models import Agreement, BoardMember, CalendarFeed, CheckIn
from devboard.models import User
from devboard.programs.models import Membership, Program
from tests.factories import days_ago, make_agreement, make_member, make_user, make_worksheet
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"


def sign_in(username="alice", password="password", user_agent=FIREFOX, ip="203.0.113.5") -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = browser.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def test_the_name_in_the_menu_leads_to_the_account_page(alice_client):
    page = alice_client.get(reverse("worksheets:list")).content.decode()
    assert f'href="{reverse("account")}">Alice Ames</a>' in page


def test_it_shows_the_sections(alice_client):
    page = alice_client.get(reverse("account")).content.decode()
    for heading in ("Password", "Where I am signed in", "My data", "Recent security events", "Delete my account"):
        assert heading in page
    assert reverse("password_change") in page and reverse("board:export") in page


def test_it_lists_where_i_am_signed_in(alice):
    laptop = sign_in()
    sign_in(user_agent=IPHONE, ip="198.51.100.7")
    page = laptop.get(reverse("account")).content.decode()
    assert "Firefox on Linux" in page and "This browser" in page
    assert "Safari on iPhone" in page and "198.51.100.7" in page


def test_i_can_sign_out_another_browser(alice):
    laptop, phone = sign_in(), sign_in(user_agent=IPHONE)
    other = SignIn.objects.get(user_agent=IPHONE)
    response = laptop.post(reverse("account_end_session", args=[other.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("board:board")).status_code == 302  # sent to sign in
    assert laptop.get(reverse("board:board")).status_code == 200
    assert AuditEvent.objects.filter(user=alice, kind="session_ended").exists()


def test_i_can_sign_out_every_other_browser(alice):
    laptop, phone, tablet = sign_in(), sign_in(user_agent=IPHONE), sign_in(ip="198.51.100.9")
    laptop.post(reverse("account_end_other_sessions"))
    assert phone.get(reverse("board:board")).status_code == 302
    assert tablet.get(reverse("board:board")).status_code == 302
    assert laptop.get(reverse("board:board")).status_code == 200
    assert SignIn.objects.filter(user=alice).count() == 1


def test_i_cannot_sign_out_someone_elses_browser(alice, charlie):
    sign_in()
    theirs = SignIn.objects.get(user=alice)
    stranger = sign_in("charlie")
    assert stranger.post(reverse("account_end_session", args=[theirs.pk])).status_code == 404
    assert SignIn.objects.filter(pk=theirs.pk).exists()


def test_signing_out_forgets_the_browser(alice):
    laptop = sign_in()
    laptop.post(reverse("logout"))
    assert not SignIn.objects.filter(user=alice).exists()


@override_settings(SESSION_IDLE_MINUTES=60)
def test_a_browser_left_alone_is_signed_out(alice):
    laptop = sign_in()
    session = laptop.session
    session["last_seen"] = time.time() - 61 * 60
    session.save()
    response = laptop.get(reverse("board:board"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert laptop.get(reverse("board:board")).status_code == 302
    assert AuditEvent.objects.filter(user=alice, kind="session_expired").exists()


@override_settings(SESSION_IDLE_MINUTES=60)
def test_activity_keeps_the_sign_in(alice):
    laptop = sign_in()
    session = laptop.session
    session["last_seen"] = time.time() - 59 * 60
    session.save()
    assert laptop.get(reverse("board:board")).status_code == 200
    assert laptop.session["last_seen"] > time.time() - 60


def test_changing_the_password_signs_out_the_other_browsers_and_is_recorded(alice):
    laptop, phone = sign_in(), sign_in(user_agent=IPHONE)
    response = laptop.post(
        reverse("password_change"),
        {"old_password": "password", "new_password1": "a-long-new-pass-77", "new_password2": "a-long-new-pass-77"},
    )
    assert response.status_code == 302 and response.url == reverse("account")
    assert laptop.get(reverse("account")).status_code == 200
    assert phone.get(reverse("account")).status_code == 302
    assert list(SignIn.objects.filter(user=alice).values_list("session_key", flat=True)) == [laptop.session.session_key]
    assert AuditEvent.objects.filter(user=alice, kind="password_changed").exists()


def test_i_see_my_own_security_events_only(alice, charlie):
    Client(REMOTE_ADDR="192.0.2.44").post(reverse("login"), {"username": "alice", "password": "wrong"})
    Client(REMOTE_ADDR="192.0.2.99").post(reverse("login"), {"username": "charlie", "password": "wrong"})
    page = sign_in().get(reverse("account")).content.decode()
    assert "Sign-in failed" in page and "192.0.2.44" in page
    assert "192.0.2.99" not in page


# -- deleting the account ------------------------------------------------------


@pytest.fixture
def alices_things(alice):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(alice, Membership.Kind.LEARNER)
    worksheet = make_worksheet(alice, completed=True)
    member = make_member(alice, name="Dr. Private Person")
    make_agreement(member, goals="Private goals")
    member.log_check_in(CheckIn(held_on=days_ago(2), discussed="A private matter"))
    feed = CalendarFeed.for_user(alice)
    return {"program": program, "worksheet": worksheet, "member": member, "feed": feed}


def test_deleting_needs_the_password(alice, alices_things):
    laptop = sign_in()
    response = laptop.post(reverse("account_delete"), {"confirmation": "not-my-password"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists() and Worksheet.objects.filter(owner=alice).exists()


def test_deleting_removes_everything_of_mine(alice, alices_things, charlie):
    charlies = make_worksheet(charlie)
    laptop, phone = sign_in(), sign_in(user_agent=IPHONE)
    response = laptop.post(reverse("account_delete"), {"confirmation": "password"})
    assert response.status_code == 302 and response.url == reverse("landing")
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Worksheet.objects.filter(pk=alices_things["worksheet"].pk).exists()
    assert not BoardMember.objects.filter(pk=alices_things["member"].pk).exists()
    assert not Agreement.objects.exists() and not Agreement.history.exists()
    assert not CheckIn.objects.exists()
    assert not CalendarFeed.objects.filter(pk=alices_things["feed"].pk).exists()
    assert not Membership.objects.filter(user_id=alice.pk).exists()
    assert Worksheet.objects.filter(pk=charlies.pk).exists()
    # Both browsers are signed out, and the feed's address no longer answers.
    assert laptop.get(reverse("board:board")).status_code == 302
    assert phone.get(reverse("board:board")).status_code == 302
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert Client().get(reverse("board:feed", args=[alices_things["feed"].token])).status_code == 404


def test_deleting_leaves_an_audit_entry_without_personal_text(alice, alices_things):
    sign_in().post(reverse("account_delete"), {"confirmation": "password"})
    event = AuditEvent.objects.get(kind="account_deleted")
    assert event.user is None and event.user_ref == alice.pk
    text = f"{event.details} {event.path}"
    for personal in ("alice", "Alice", "Ames", "example.org", "Private"):
        assert personal not in text


def test_an_account_without_a_password_confirms_with_its_username(db):
    sso_only = make_user("sam")
    sso_only.set_unusable_password()
    sso_only.save()
    browser = Client()
    browser.force_login(sso_only)
    assert "Type sam to confirm" in browser.get(reverse("account_delete")).content.decode()
    assert browser.post(reverse("account_delete"), {"confirmation": "someone"}).status_code == 200
    browser.post(reverse("account_delete"), {"confirmation": "sam"})
    assert not User.objects.filter(username="sam").exists()
