"""Invitations under abuse and accident: races, floods, odd program names, old links."""

import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from devboard.models import User
from devboard.programs import invitations
from devboard.programs.invitations import Person
from devboard.programs.models import Invitation, Membership, Program
from tests.factories import make_user, sign_in_with_second_factor


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


def link_path(message) -> str:
    return re.search(r"/program/invitation/\S+/", message.body).group(0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_invitations_of_one_address_at_once_make_one_account_and_no_error():
    program = Program.objects.create(name="Internal Medicine Residency", slug="race")
    dana = make_user("dana-race")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    for attempt in range(5):
        email = f"race{attempt}@example.org"
        barrier = threading.Barrier(2)
        errors = []

        def invite_once(email=email, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                invitations.invite(program, Person("", "Riley Chen", email, "learner"), dana)
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=invite_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert User.objects.filter(email__iexact=email).count() == 1
        assert program.memberships.filter(user__email=email, left_at__isnull=True).count() == 1
        # Only the latest link works.
        assert Invitation.objects.usable().filter(user__email=email).count() == 1


def test_the_database_refuses_a_second_account_for_one_address(db):
    from django.db import IntegrityError, transaction

    make_user("riley")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="riley-2", email="RILEY@example.org")


def invite(client, addresses: str):
    """Send a list from the members page and read the batch page it leads to."""
    response = client.post("/program/im/members/invite/", {"addresses": addresses, "kind": "learner"}, follow=True)
    assert re.fullmatch(r"/program/im/members/invitations/\d+/", response.redirect_chain[-1][0])
    return response


def test_an_address_gets_at_most_three_invitations_a_day(dana_client, program):
    for _ in range(3):  # invited, withdrawn, invited again: each one an email to the same person
        invite(dana_client, "riley@example.org")
        membership = program.memberships.open().get(user__email="riley@example.org")
        dana_client.post(f"/program/im/members/{membership.pk}/remove/")
    response = invite(dana_client, "riley@example.org")
    assert [(w, r) for w, _, r in response.context["problems"]] == [
        ("Address 1", "this address has had 3 invitations today; try again tomorrow")
    ]
    assert "No invitation was sent." in response.text
    assert "This address has had 3 invitations today; try again tomorrow" in response.text
    assert len(mail.outbox) == 3
    assert not program.memberships.open().filter(user__email="riley@example.org").exists()


def test_the_address_limit_holds_across_programs(dana_client, program):
    for slug in ("cardio", "renal", "neuro"):
        other = Program.objects.create(name=f"Program {slug}", slug=slug)
        other.add_member(make_user(f"director-{slug}"), Membership.Kind.DIRECTOR)
        invitations.invite(other, Person("", "", "riley@example.org", "learner"), None)
    response = invite(dana_client, "riley@example.org")
    assert "This address has had 3 invitations today" in response.text
    assert len(mail.outbox) == 3


def test_a_director_is_limited_per_hour(dana_client, program, monkeypatch):
    monkeypatch.setattr(invitations, "PER_DIRECTOR_PER_HOUR", 2)
    response = invite(dana_client, "a@example.org, b@example.org, c@example.org")
    assert len(mail.outbox) == 2
    assert [w for w, _, _ in response.context["problems"]] == ["Address 3"]
    assert "Invitation sent to 2 addresses." in response.text
    assert "You have sent 2 invitations this hour; send the rest in an hour" in response.text
    assert not program.memberships.filter(user__email="c@example.org").exists()


def test_send_again_is_limited_too(dana_client, program):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    for _ in range(3):
        invitation = Invitation.objects.usable().get()
        response = dana_client.post(f"/program/im/invitations/{invitation.pk}/resend/", follow=True)
    assert "Not sent to riley@example.org" in response.text
    assert len(mail.outbox) == 3


def test_a_program_name_with_a_line_break_still_sends_invitations(dana_client, program):
    Program.objects.filter(pk=program.pk).update(name="Internal Medicine\nResidency")
    response = invite(dana_client, "riley@example.org")
    assert response.status_code == 200
    assert "Invitation sent to 1 address." in response.text
    assert mail.outbox[0].subject == "You are invited to Internal Medicine Residency on devboard"


@pytest.mark.parametrize("name", ["Internal\nMedicine", "Internal\r\nMedicine", "Internal\u2028Medicine"])
def test_a_program_name_cannot_hold_a_line_break(program, name):
    program.name = name
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert "Write the name on one line." in str(refused.value)


def test_the_admin_refuses_a_name_with_a_line_break(client, program):
    admin = User.objects.create_superuser("root", "root@example.org", "password")
    sign_in_with_second_factor(client, admin)
    response = client.post(
        f"/admin/programs/program/{program.pk}/change/", {"name": "Internal\nMedicine", "slug": "im"}
    )
    assert response.status_code == 200
    assert "Write the name on one line." in response.text


def test_a_link_stops_working_when_the_invitation_is_sent_again(dana_client, program, client):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    first = link_path(mail.outbox[0])
    invitation = Invitation.objects.usable().get()
    dana_client.post(f"/program/im/invitations/{invitation.pk}/resend/")
    second = link_path(mail.outbox[1])
    client.logout()
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_a_link_stops_working_when_the_invitation_is_withdrawn(dana_client, program, client):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    link = link_path(mail.outbox[0])
    membership = program.memberships.get(user__email="riley@example.org")
    response = dana_client.post(f"/program/im/members/{membership.pk}/remove/", follow=True)
    assert "The invitation to riley@example.org is withdrawn" in response.text
    client.logout()
    response = client.get(link)
    assert response.status_code == 400
    assert "This link no longer works" in response.text


def test_a_set_password_page_opened_before_the_withdrawal_cannot_join(dana_client, program):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    link = link_path(mail.outbox[0])
    client = Client()  # the invited person's browser
    assert client.get(link).status_code == 200  # the page is open in the invited person's browser
    membership = program.memberships.get(user__email="riley@example.org")
    dana_client.post(f"/program/im/members/{membership.pk}/remove/")
    password = "a-long-unusual-passphrase-42"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 400 and "This link no longer works" in response.text
    riley = User.objects.get(email="riley@example.org")
    assert not riley.has_usable_password()
    assert not program.memberships.filter(user=riley).exists()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def alice_browser(db):
    """Someone who already has an account and is signed in elsewhere."""
    alice = make_user("alice", first_name="Alice", last_name="Ames")
    browser = Client()
    browser.force_login(alice)
    return browser


def test_an_existing_account_cannot_answer_an_invitation_sent_again(dana_client, program, alice_browser):
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    old = Invitation.objects.get()
    old_link = link_path(mail.outbox[0])
    dana_client.post(f"/program/im/invitations/{old.pk}/resend/")
    new = Invitation.objects.exclude(pk=old.pk).get()
    assert alice_browser.get(old_link).status_code == 400
    assert alice_browser.post(f"/program/invitations/{old.pk}/answer/", {"answer": "accept"}).status_code == 404
    assert program.memberships.get(user__username="alice").state == "pending"
    assert [i.pk for i in alice_browser.get("/program/invitations/").context["invitations"]] == [new.pk]
    alice_browser.post(f"/program/invitations/{new.pk}/answer/", {"answer": "accept"})
    assert program.memberships.get(user__username="alice").state == "active"


def test_an_existing_account_cannot_answer_a_withdrawn_invitation(dana_client, program, alice_browser):
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    invitation = Invitation.objects.get()
    link = link_path(mail.outbox[0])
    dana_client.post(f"/program/im/members/{invitation.membership_id}/remove/")
    assert alice_browser.get(link).status_code == 400
    assert alice_browser.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "accept"}).status_code == 404
    assert alice_browser.get("/program/invitations/").context["invitations"] == []
    assert not program.memberships.filter(user__username="alice").exists()


def test_a_link_stops_working_when_the_invitation_is_removed_in_the_admin(dana_client, program):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    link = link_path(mail.outbox[0])
    membership = program.memberships.get(user__email="riley@example.org")
    root = User.objects.create_superuser("root", "root@example.org", "password")
    admin = Client()
    sign_in_with_second_factor(admin, root)
    admin.post(f"/admin/programs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert Client().get(link).status_code == 400


def test_a_new_account_can_decline(dana_client, program, client):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    link = link_path(mail.outbox[0])
    client.logout()
    response = client.post(link, {"answer": "decline"})
    assert "Invitation declined" in response.text
    assert not program.memberships.filter(user__email="riley@example.org").exists()
    assert client.get(link).status_code == 400


def test_the_database_keeps_only_a_digest_of_the_link(dana_client, program):
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    token = link_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_digest
    assert len(invitation.token_digest) == 64


def test_invitations_and_membership_changes_are_in_the_audit_log(dana_client, program):
    from django.test import Client

    from devboard.accounts.models import AuditEvent

    client = Client()
    dana_client.post("/program/im/members/invite/", {"addresses": "riley@example.org", "kind": "learner"})
    sent = AuditEvent.objects.get(kind="invitation_sent")
    assert sent.user.username == "dana" and sent.details["program"] == program.pk
    link = link_path(mail.outbox[0])
    client.logout()
    client.post(
        link, {"new_password1": "a-long-unusual-passphrase-42", "new_password2": "a-long-unusual-passphrase-42"}
    )
    riley = User.objects.get(email="riley@example.org")
    assert AuditEvent.objects.get(kind="invitation_accepted").user == riley
    added = AuditEvent.objects.get(kind="membership_added")
    assert added.details["membership"] == program.memberships.get(user=riley).pk
    membership = program.memberships.get(user=riley)
    dana_client.post(f"/program/im/members/{membership.pk}/remove/")
    removed = AuditEvent.objects.get(kind="membership_removed")
    assert (removed.user.username, removed.details["membership"]) == ("dana", membership.pk)
    assert "riley@example.org" not in str([e.details for e in AuditEvent.objects.all()])
