"""Inviting people into a program: find or create the account, a pending membership, an email.

`invite()` handles one person and is what every path calls (the members page, a bulk upload,
a background task). The membership stays pending, and nothing of the person counts, until they
accept after signing in; a brand-new account accepts by setting its password through the link.
What the director sees afterwards is the same for a new and an existing address.

The link carries a random token (only its digest is stored). It works until it is used, the
invitation is sent again or withdrawn, the membership is removed, or `PASSWORD_RESET_TIMEOUT` passes.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from devboard.models import User

from .models import Invitation, Membership, Program

# How many invitations one address may receive in a day, and one director may send in an hour.
PER_ADDRESS_PER_DAY = 3
PER_DIRECTOR_PER_HOUR = 1000


class TooMany(Exception):
    """A rate limit was reached; the message says which and when to try again."""


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('programs:invitation', args=[token])}"


@dataclass(frozen=True)
class Person:
    """One row to invite, already cleaned: a valid address and a participant kind (learner or faculty)."""

    where: str  # "Line 3" or "Address 2", to point at the row in reports
    name: str
    email: str
    kind: str


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def _new_username(email: str) -> str:
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def account_for(person: Person) -> User:
    """The one account for this address, created (without a usable password) if there is none.

    Two invitations of one address at the same moment meet on the unique address constraint:
    the loser of the race reads the winner's account instead of failing or making a second one.
    """
    for _ in range(3):
        user = User.objects.filter(email__iexact=person.email).order_by("pk").first()
        if user is not None:
            return user
        first, last = _split_name(person.name)
        user = User(username=_new_username(person.email), email=person.email, first_name=first, last_name=last)
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
            return user
        except IntegrityError:
            continue  # someone else created it (or took the username) just now; look again
    raise IntegrityError(f"Could not find or create one account for {person.email}")


def _count(key: str, limit: int, seconds: int, message: str) -> None:
    cache.add(key, 0, seconds)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        n = 1
    if n > limit:
        raise TooMany(message)


def check_rate(email: str, invited_by: User) -> None:
    """Count this invitation against the address and the director; raise TooMany beyond the limits."""
    _count(
        f"invitations:address:{email.lower()}",
        PER_ADDRESS_PER_DAY,
        86400,
        f"this address has had {PER_ADDRESS_PER_DAY} invitations today; try again tomorrow",
    )
    if invited_by is None:  # manage.py make_director: an operator, not a director
        return
    _count(
        f"invitations:director:{invited_by.pk}",
        PER_DIRECTOR_PER_HOUR,
        3600,
        f"you have sent {PER_DIRECTOR_PER_HOUR} invitations this hour; send the rest in an hour",
    )


@transaction.atomic
def invite(program: Program, person: Person, invited_by: User) -> Invitation:
    """Invite one person: a pending membership and an email. Raises TooMany past the rate limits.

    The views record it in the audit log.
    """
    check_rate(person.email, invited_by)
    user = account_for(person)
    membership = Membership.objects.select_for_update().filter(program=program, user=user, left_at__isnull=True).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    program=program, user=user, kind=person.kind, state=Membership.State.PENDING
                )
        except IntegrityError:  # a simultaneous invitation created it
            membership = Membership.objects.select_for_update().get(program=program, user=user, left_at__isnull=True)
    if membership.is_pending and membership.kind != person.kind:
        membership.kind = person.kind
        membership.save(update_fields=["kind"])
    invitation = Invitation(
        program=program,
        user=user,
        membership=membership,
        email=person.email,
        name=person.name,
        kind=membership.kind,
        invited_by=invited_by,
    )
    if membership.is_pending:
        membership.invitations.filter(answered_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token = invitation.new_token()
        invitation.save()
        send(invitation, token)
    else:
        # Already a member (the form refuses this; a race can still get here): nothing to send.
        invitation.answered_at = invitation.accepted_at = timezone.now()
        invitation.save()
    return invitation


def send_again(old: Invitation, invited_by: User) -> Invitation:
    """A new link for the same pending membership; the old link stops working."""
    person = Person("", old.name, old.email or old.user.email, old.kind)
    return invite(old.program, person, invited_by)


def send(invitation: Invitation, token: str) -> None:
    user = invitation.user
    context = {
        "invitation": invitation,
        "user": user,
        "program_name": one_line(invitation.program.name),
        "director": invitation.invited_by,
        "new_account": not user.has_usable_password(),
        "link": invitation_url(token),
        "days": link_days(),
    }
    send_mail(
        subject=f"You are invited to {one_line(invitation.program.name)} on devboard",
        message=render_to_string("programs/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def one_line(text: str) -> str:
    """Names go into email headers, where a line break is refused."""
    return " ".join(text.split())
