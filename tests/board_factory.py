"""Small helpers for the board tests: people on a board, in a given state."""

import datetime

from django.utils import timezone

from devboard.board.models import Agreement, BoardMember
from roles.models import Role


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def make_member(owner, name: str = "Dr. Mentor", roles=("mentor",), status="active", on=None, **details) -> BoardMember:
    return BoardMember.add(
        owner=owner,
        roles=[role(slug) for slug in roles],
        status=status,
        afterwards="peer" if status == "concluded" else "",
        on=on or timezone.localdate(),
        name=name,
        **details,
    )


def make_agreement(member, cadence="monthly", **fields) -> Agreement:
    agreement = Agreement.objects.create(member=member, cadence=cadence, **fields)
    member.agreement = agreement
    return agreement


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
