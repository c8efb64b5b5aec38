"""Test data in one place: people, programs with a director, worksheets, board members, check-ins."""

import datetime

from django.utils import timezone

from devboard.board.models import Agreement, BoardMember, CheckIn
from devboard.models import User
from devboard.programs.models import Membership, Program
from roles.models import Need, Role
from worksheets.models import Worksheet


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def make_user(username: str, **extra) -> User:
    user = User(username=username, **{"email": f"{username}@example.org", **extra})
    user.set_password("password")
    user.save()
    return user


def make_program(name: str = "Internal Medicine Residency", slug: str = "im", *, director=None, **members) -> Program:
    """A program, optionally with its director and members given as username=kind."""
    program = Program.objects.create(name=name, slug=slug)
    if director is not None:
        program.add_member(director, Membership.Kind.DIRECTOR)
    for username, kind in members.items():
        program.add_member(User.objects.get(username=username), kind)
    return program


def make_worksheet(owner, *, completed: bool = False, **fields) -> Worksheet:
    """A draft, or with completed=True an advisor worksheet for a content-expertise need."""
    fields.setdefault("problem", "I keep getting middling feedback on the ICU rotation.")
    if not completed:
        return Worksheet.objects.create(owner=owner, **fields)
    questions = fields.pop("questions", "What do strong interns do?")
    return Worksheet.create_completed(
        owner=owner,
        ideal_outcome="Strong evaluations next block.",
        primary_need=Need.objects.get(slug="content"),
        answers={"answers": "direct"},
        role=Role.objects.get(slug="advisor"),
        questions=questions,
        next_step="Ask a senior resident.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
        **fields,
    )


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


def make_check_in(member, days: int = 1, discussed: str = "How the month went") -> CheckIn:
    return member.log_check_in(CheckIn(held_on=days_ago(days), discussed=discussed))


def authenticator_for(user):
    """A confirmed authenticator app for `user`, as if they had set up two-step sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_from(device) -> str:
    """The code `device`'s app shows right now."""
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in_with_second_factor(client, user):
    """Sign `user` in as if through password and code: what staff need for the admin and program pages."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client
