"""Who an institutional sign-in is: find, link or create the devboard account behind it.

The rules (docs/sso.md tells them to administrators):
- an identity (issuer + subject) already linked signs in to its account, whatever its email now is;
- a new identity is linked to an existing account only when the person is signed in and asks
  for it, or when its address is one a director invited and that account has never been used;
- otherwise a new account is created, unless another account already uses the address:
  then the sign-in is refused (with advice), so a second provider cannot take an account over.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from devboard.models import User
from devboard.programs.models import Invitation, Membership

from .models import Identity, InstitutionMembership, ProgramRule


@dataclass(frozen=True)
class Assertion:
    """What a provider told us about the person, after the protocol checks passed."""

    protocol: str
    provider: str  # slug
    provider_name: str
    issuer: str
    subject: str
    email: str = ""
    email_verified: bool = True
    first_name: str = ""
    last_name: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


class SignInRefused(Exception):
    """The sign-in worked at the institution but cannot be accepted here; the message says why."""


def _username_for(assertion: Assertion) -> str:
    base = (assertion.email.split("@")[0] if assertion.email else assertion.subject)[:120] or "member"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _invited_unused_account(assertion: Assertion) -> User | None:
    """The account a director's invitation created for this address, if nobody has used it yet."""
    if not assertion.email or not assertion.email_verified:
        return None
    candidates = User.objects.filter(email__iexact=assertion.email, last_login__isnull=True, identities__isnull=True)
    for user in candidates:
        if not user.has_usable_password() and Invitation.objects.usable().filter(user=user).exists():
            return user
    return None


@transaction.atomic
def account_for(assertion: Assertion, *, linking: User | None = None) -> User:
    identity = (
        Identity.objects.select_related("user").filter(issuer=assertion.issuer, subject=assertion.subject).first()
    )
    if linking is not None:
        if identity is not None and identity.user_id != linking.pk:
            raise SignInRefused(
                f"This {assertion.provider_name} sign-in already belongs to another devboard account, so it "
                "cannot be linked to yours."
            )
        user = linking
    elif identity is not None:
        user = identity.user
    else:
        user = _invited_unused_account(assertion)
        if user is not None:
            for invitation in Invitation.objects.usable().filter(user=user).select_related("membership"):
                invitation.accept()
        elif assertion.email and User.objects.filter(email__iexact=assertion.email).exists():
            raise SignInRefused(
                f"A devboard account already uses {assertion.email}. Sign in the way you usually do, then link "
                f"{assertion.provider_name} from your account page."
            )
        else:
            user = User(username=_username_for(assertion), email=assertion.email)
            user.set_unusable_password()
    if not user.is_active and user.pk:
        raise SignInRefused(
            "This devboard account is disabled. Ask your program director if you think it should not be."
        )
    _update_profile(user, assertion)
    if identity is None:
        identity = Identity(user=user, protocol=assertion.protocol, issuer=assertion.issuer, subject=assertion.subject)
    identity.provider, identity.provider_name = assertion.provider, assertion.provider_name
    identity.email = assertion.email
    identity.last_sign_in = timezone.now()
    identity.save()
    apply_program_rules(user, assertion)
    return user


def _update_profile(user: User, assertion: Assertion) -> None:
    """Names and address follow the institution; an address another account uses is left alone."""
    if assertion.first_name or assertion.last_name:
        user.first_name, user.last_name = assertion.first_name[:150], assertion.last_name[:150]
    changed = assertion.email and assertion.email.lower() != user.email.lower()
    if changed and not User.objects.filter(email__iexact=assertion.email).exclude(pk=user.pk).exists():
        user.email = assertion.email
    user.save()


def apply_program_rules(user: User, assertion: Assertion) -> None:
    """Memberships from the institution follow its attributes: added, changed or removed at each sign-in.

    Memberships a director made by hand are never changed here.
    """
    wanted: dict[int, str] = {}
    rules = list(ProgramRule.objects.select_related("program"))
    for rule in rules:
        # Faculty wins when two rules of one program match.
        matches = rule.value in assertion.attributes.get(rule.attribute, ())
        if matches and wanted.get(rule.program_id) != ProgramRule.Kind.FACULTY:
            wanted[rule.program_id] = rule.kind
    memberships = Membership.objects.open().filter(user=user).select_related("from_institution", "program")
    current = {m.program_id: m for m in memberships}
    programs = {rule.program_id: rule.program for rule in rules}
    for program_id, kind in wanted.items():
        membership = current.get(program_id)
        if membership is None:
            # The institution vouches for the person: an active membership, not a pending invitation.
            membership = programs[program_id].add_member(user, kind)
            InstitutionMembership.objects.create(membership=membership)
        elif _is_from_institution(membership) and membership.kind != kind:
            membership.kind = kind
            membership.save(update_fields=["kind"])
    for program_id, membership in current.items():
        if program_id not in wanted and _is_from_institution(membership):
            membership.remove()


def _is_from_institution(membership: Membership) -> bool:
    try:
        return membership.from_institution is not None
    except InstitutionMembership.DoesNotExist:
        return False
