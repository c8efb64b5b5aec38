"""Invitations, memberships and the program export leave ids (never names or addresses) in the audit log."""

import pytest
from django.test import Client

from devboard.accounts.models import AuditEvent
from devboard.programs.models import Invitation, InvitationBatch, Membership, Program
from tests.factories import make_user, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana_client(program):
    dana = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    return sign_in_with_second_factor(Client(), dana)


def kinds(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def test_an_invitation_accepted_then_removed_is_recorded(dana_client, program, alice):
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    invitation = Invitation.objects.get(user=alice)
    sent = AuditEvent.objects.get(kind="invitation_sent")
    assert sent.user.username == "dana"
    assert sent.details == {
        "program": program.pk,
        "invitation": invitation.pk,
        "membership": invitation.membership_id,
        "batch": InvitationBatch.objects.get().pk,
    }

    alice_browser = Client()
    alice_browser.force_login(alice)
    alice_browser.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "accept"})
    assert kinds(user=alice, kind__in=["invitation_accepted", "membership_added"]) == [
        "invitation_accepted",
        "membership_added",
    ]

    membership = program.memberships.get(user=alice)
    dana_client.post(f"/program/im/members/{membership.pk}/remove/")
    removed = AuditEvent.objects.get(kind="membership_removed")
    assert removed.details == {"program": program.pk, "membership": membership.pk, "account": alice.pk}

    text = str(list(AuditEvent.objects.values_list("details", "path")))
    for personal in ("alice@example.org", "Alice", "Ames", "Internal Medicine"):
        assert personal not in text


def test_a_declined_invitation_is_recorded(dana_client, alice):
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    invitation = Invitation.objects.get(user=alice)
    alice_browser = Client()
    alice_browser.force_login(alice)
    alice_browser.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "decline"})
    assert kinds(user=alice, kind="invitation_declined") == ["invitation_declined"]


def test_the_program_figures_export_is_recorded(dana_client, program):
    response = dana_client.get("/program/im/figures.csv")
    if response.status_code == 302:  # the current period may not be offered yet: take the first one offered
        response = dana_client.get(response.url.replace("/im/?", "/im/figures.csv?"))
    event = AuditEvent.objects.filter(kind="export").last()
    assert event is not None and event.details["what"] == "program-figures" and event.details["program"] == program.pk
