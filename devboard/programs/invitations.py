"""Inviting people into a program: create or find the account, add the membership, email a link.

The link sets a password. It is signed with the user's current password hash and
last login, so it stops working once used, and it expires after
`settings.PASSWORD_RESET_TIMEOUT` like a reset link.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from devboard.models import User

from .models import Invitation, Program


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "devboard.programs.invitations.InvitationTokenGenerator"


invitation_token = InvitationTokenGenerator()


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("programs:welcome", args=[uid, invitation_token.make_token(user)])
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class Person:
    """One row to invite, already cleaned: a valid address and a participant kind (learner or faculty)."""

    where: str  # "Line 3" or "Address 2", to point at the row in reports
    name: str
    email: str
    kind: str


def _new_username(email: str) -> str:
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def invite(program: Program, person: Person, invited_by: User) -> Invitation:
    """Add the person to the program (creating their account if needed) and email them."""
    user = User.objects.filter(email__iexact=person.email).order_by("pk").first()
    if user is None:
        first, last = _split_name(person.name)
        user = User(username=_new_username(person.email), email=person.email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    program.add_member(user, person.kind)
    invitation = Invitation.objects.create(program=program, user=user, kind=person.kind, invited_by=invited_by)
    send(invitation)
    return invitation


def send(invitation: Invitation) -> None:
    user = invitation.user
    context = {
        "invitation": invitation,
        "user": user,
        "program": invitation.program,
        "director": invitation.invited_by,
        # Someone who already signed in before needs no new password, only the news.
        "link": None if user.has_usable_password() else set_password_url(user),
        "days": link_days(),
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject=f"You are invited to {invitation.program} on devboard",
        message=render_to_string("programs/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
