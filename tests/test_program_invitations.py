"""Inviting people: CSV or typed addresses, a set-password link that works once and expires."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from devboard.models import User
from devboard.programs.models import Invitation, Membership, Program
from tests.factories import make_user, sign_in_with_second_factor

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana(program):
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(user, Membership.Kind.DIRECTOR)
    return user


@pytest.fixture
def dana_client(client, dana):
    sign_in_with_second_factor(client, dana)
    return client


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def invite_csv(client, text: str):
    return client.post("/program/im/members/invite/", {"csv_file": upload(text), "kind": "learner"}, follow=True)


def link_in(message) -> str:
    return re.search(r"https?://\S+/program/invitation/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_csv_upload_creates_accounts_memberships_and_emails(dana_client, program, settings):
    settings.SITE_URL = "https://devboard.example.org"
    response = invite_csv(
        dana_client,
        "name,email,role\nRiley Chen,riley@example.org,learner\nFarah Okafor,Farah@Example.org,Faculty\n",
    )
    assert response.status_code == 200
    assert "Invitation sent to 2 addresses." in response.text
    riley = User.objects.get(email="riley@example.org")
    assert (riley.first_name, riley.last_name) == ("Riley", "Chen")
    assert not riley.has_usable_password()
    farah = User.objects.get(email="farah@example.org")
    assert program.memberships.get(user=farah).kind == Membership.Kind.FACULTY
    assert program.memberships.get(user=riley).kind == Membership.Kind.LEARNER
    assert {m.state for m in program.memberships.exclude(kind="director")} == {"pending"}
    assert sorted(m.to[0] for m in mail.outbox) == ["farah@example.org", "riley@example.org"]
    message = next(m for m in mail.outbox if m.to == ["riley@example.org"])
    assert "Internal Medicine Residency" in message.subject
    assert link_in(message).startswith("https://devboard.example.org/program/invitation/")
    assert "Dana Morales" in message.body
    assert Invitation.objects.filter(program=program, user=riley, invited_by__username="dana").exists()


def test_bad_rows_are_reported_with_reasons_and_good_rows_kept(dana_client, program, alice):
    program.add_member(alice, Membership.Kind.LEARNER)
    response = invite_csv(
        dana_client,
        "\n".join(
            [
                "Good One,good@example.org,learner",
                "No Email,,learner",
                "Bad Email,not-an-address,faculty",
                "Wrong Role,wrong@example.org,director",
                "Too,few",
                "Twice,good@example.org,faculty",
                "Alice Again,alice@example.org,learner",
                "Good Two,two@example.org,faculty",
            ]
        ),
    )
    assert response.status_code == 200
    problems = {where: reason for where, _, reason in response.context["problems"]}
    assert problems == {
        "Line 2": "no email address",
        "Line 3": "“not-an-address” is not a valid email address",
        "Line 4": "the third column must be learner or faculty, not “director”",
        "Line 5": "expected 3 columns (name, email, learner or faculty), found 2",
        "Line 6": "this address is already listed (Line 1)",
        "Line 7": "already a member of this program",
    }
    assert "Not sent (6)" in response.text
    assert set(User.objects.filter(memberships__program=program).values_list("email", flat=True)) == {
        "good@example.org",
        "two@example.org",
        "alice@example.org",
        "dana@example.org",
    }
    assert len(mail.outbox) == 2
    assert not User.objects.filter(email="wrong@example.org").exists()


def test_typed_addresses_join_with_the_chosen_role(dana_client, program):
    response = dana_client.post(
        "/program/im/members/invite/",
        {"addresses": "Sam Lee <sam@example.org>, jo@example.org\nnope", "kind": "faculty"},
        follow=True,
    )
    assert response.status_code == 200
    assert User.objects.get(email="sam@example.org").first_name == "Sam"
    assert program.memberships.get(user__email="jo@example.org").kind == "faculty"
    assert [(w, r) for w, _, r in response.context["problems"]] == [
        ("Address 3", "“nope” is not a valid email address")
    ]


def test_an_empty_invitation_is_refused(dana_client):
    response = dana_client.post("/program/im/members/invite/", {"kind": "learner"})
    assert response.status_code == 400
    assert "Choose a CSV file or type at least one email address." in response.text
    assert "data-error-summary" in response.text and "<title>Error:" in response.text


def test_a_file_that_is_not_utf8_is_refused(dana_client):
    bad = SimpleUploadedFile("people.csv", "Zoë,zoe@example.org,learner".encode("utf-16"), content_type="text/csv")
    response = dana_client.post("/program/im/members/invite/", {"csv_file": bad, "kind": "learner"})
    assert response.status_code == 400
    assert "not UTF-8" in response.text
    assert not mail.outbox


def test_an_existing_account_gets_a_pending_membership_and_a_sign_in_link(dana_client, program, alice):
    response = invite_csv(dana_client, "Alice Ames,ALICE@example.org,learner")
    assert response.status_code == 200
    membership = program.memberships.get(user=alice)
    assert (membership.kind, membership.state) == ("learner", "pending")
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert "sign in as usual, then accept or decline" in mail.outbox[0].body
    assert "Choose a password" not in mail.outbox[0].body


def test_the_link_sets_the_password_and_signs_in(client, dana_client, program):
    invite_csv(dana_client, "Riley Chen,riley@example.org,learner")
    link = path_of(link_in(mail.outbox[0]))
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    riley = User.objects.get(email="riley@example.org")
    assert riley.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=riley).accepted_at is not None
    assert program.memberships.get(user=riley).state == "active"
    assert client.get("/worksheets/").status_code == 200


def test_the_link_works_only_once(client, dana_client):
    invite_csv(dana_client, "Riley Chen,riley@example.org,learner")
    link = path_of(link_in(mail.outbox[0]))
    client.logout()
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    assert client.get(link).status_code == 400
    response = client.post(link, {"new_password1": "another-passphrase-77", "new_password2": "another-passphrase-77"})
    assert response.status_code == 400
    assert "This link no longer works" in response.text
    assert User.objects.get(email="riley@example.org").check_password(NEW_PASSWORD)


def test_the_link_expires(client, dana_client, settings):
    invite_csv(dana_client, "Riley Chen,riley@example.org,learner")
    link = path_of(link_in(mail.outbox[0]))
    client.logout()
    long_ago = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    Invitation.objects.update(sent_at=F("sent_at") - long_ago)
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 400
    assert not User.objects.get(email="riley@example.org").has_usable_password()


def test_a_password_reset_token_is_not_an_invitation(client, dana_client):
    from django.contrib.auth.tokens import default_token_generator

    invite_csv(dana_client, "Riley Chen,riley@example.org,learner")
    riley = User.objects.get(email="riley@example.org")
    client.logout()
    assert client.get(f"/program/invitation/{default_token_generator.make_token(riley)}/").status_code == 400
    assert client.get("/program/invitation/%00/").status_code == 400


def test_a_director_can_send_an_invitation_again(dana_client, program):
    invite_csv(dana_client, "Riley Chen,riley@example.org,learner")
    invitation = Invitation.objects.get()
    response = dana_client.post(f"/program/im/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1]) != link_in(mail.outbox[0])
    members = dana_client.get("/program/im/members/").text
    assert "Invitation sent" in members


def test_the_members_page_lists_people_but_nothing_they_wrote(dana_client, program, alice):
    from worksheets.models import Worksheet

    program.add_member(alice, Membership.Kind.LEARNER)
    Worksheet.objects.create(owner=alice, problem="Something private about my rotation")
    text = dana_client.get("/program/im/members/").text
    assert "Alice Ames" in text and "alice@example.org" in text
    assert "Something private" not in text


def test_a_failed_email_is_reported_and_that_person_not_kept(dana_client, program, monkeypatch):
    from smtplib import SMTPException

    from devboard.programs import invitations

    real_send = invitations.send

    def flaky_send(invitation, token):
        if invitation.user.email == "bounce@example.org":
            raise SMTPException("mail server down")
        real_send(invitation, token)

    monkeypatch.setattr(invitations, "send", flaky_send)
    response = invite_csv(dana_client, "Ok Person,ok@example.org,learner\nBounce,bounce@example.org,learner")
    assert response.status_code == 200
    assert [(w, r) for w, _, r in response.context["problems"]] == [
        ("Line 2", "the email could not be sent; try again later")
    ]
    assert program.memberships.filter(user__email="ok@example.org").exists()
    assert not User.objects.filter(email="bounce@example.org").exists()


def test_the_members_page_finds_people_by_full_name(dana_client, program, alice):
    program.add_member(alice, Membership.Kind.LEARNER)
    page = dana_client.get("/program/im/members/", {"q": "alice ames"}).context["page"]
    assert [m.user for m in page.object_list] == [alice]


def test_the_members_page_makes_the_same_queries_at_any_size(dana_client, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program.add_member(make_user("m0"), Membership.Kind.LEARNER)
    dana_client.post("/program/im/members/invite/", {"addresses": "pending0@example.org", "kind": "learner"})
    with CaptureQueriesContext(connection) as small:
        dana_client.get("/program/im/members/", {"q": "m", "kind": "learner"})
    for i in range(1, 60):
        program.add_member(make_user(f"m{i}"), Membership.Kind.LEARNER)
    dana_client.post(
        "/program/im/members/invite/",
        {"addresses": ", ".join(f"p{i}@example.org" for i in range(20)), "kind": "learner"},
    )
    with CaptureQueriesContext(connection) as large:
        response = dana_client.get("/program/im/members/", {"q": "m", "kind": "learner"})
    assert response.context["page"].paginator.count > 50
    assert len(large) == len(small) <= 10, [q["sql"][:100] for q in large.captured_queries]


def test_the_members_list_shows_each_row_and_its_actions(
    dana_client, dana, program, django_capture_on_commit_callbacks
):
    """The rows are drawn by a tag (devboard/programs/templatetags/members.py): what the template showed."""
    riley = make_user("riley", first_name="Riley <b>", last_name="Chen", email="riley@example.org")
    active = program.add_member(riley, Membership.Kind.LEARNER)
    invite_csv(dana_client, "name,email,role\nFarah & O'Kafor,farah@example.org,learner\n")
    pending = Membership.objects.get(user__email="farah@example.org")
    invitation = pending.invitations.get()
    page = dana_client.get("/program/im/members/").text
    rows = {
        row.split('class="member-email">')[1].split("<")[0]: row for row in page.split('<li class="member-row">')[1:]
    }

    farah = rows["farah@example.org"]
    assert 'class="member-name">Farah &amp; O&#x27;Kafor</span>' in farah
    assert f"Invitation sent {invitation.sent_at:%-d %b %Y}" in farah
    assert (
        f'action="/program/im/invitations/{invitation.pk}/resend/"><input type="hidden" name="csrfmiddlewaretoken"'
        in farah
    )
    assert f'action="/program/im/members/{pending.pk}/remove/">' in farah and "Withdraw the invitation" in farah

    row = rows["riley@example.org"]
    assert 'class="member-name">Riley &lt;b&gt; Chen</span>' in row and "<b>" not in page.split("members-heading")[1]
    assert f"Member since {active.joined_at:%b %Y}" in row and "Send again" not in row
    assert f'action="/program/im/members/{active.pk}/remove/">' in row and "Remove from the program" in row
    assert "Actions" not in rows["dana@example.org"]  # no way to remove oneself from the row
