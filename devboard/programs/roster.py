"""Roster sync: a program's learners and faculty follow the institution's roster (a CSV file).

`read()` turns the file into rows and problems (no database); `sync()` applies the rows to one
program in a single transaction. Any problem, in the file or against existing accounts, means
nothing changes: a half-applied roster would strip people of their membership by mistake.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from devboard import audit

from .models import Membership, Program, RosterRun

COLUMNS = ("external_id", "email", "name", "kind")
KINDS = {"learner": Membership.Kind.LEARNER, "faculty": Membership.Kind.FACULTY}
MAX_ID = 100


@dataclass(frozen=True)
class Row:
    line: int
    external_id: str
    email: str
    first_name: str
    last_name: str
    kind: str


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Result:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name)) for name in ("created", "updated", "unchanged", "removed", "deactivated")
        }


def _column(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def split_name(name: str) -> tuple[str, str]:
    """ "Dana Morales" and "Morales, Dana" both give ("Dana", "Morales")."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (last, "")


def read(text: str) -> tuple[list[Row], list[Problem]]:
    """The roster's rows, and what is wrong with the file, each problem with its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        return [], [Problem(1, "the file is empty; the first line must name the columns " + ", ".join(COLUMNS))]
    reader.fieldnames = [_column(name or "") for name in reader.fieldnames]
    missing = [c for c in COLUMNS if c not in reader.fieldnames]
    if missing:
        return [], [Problem(1, "missing column(s) " + ", ".join(missing) + "; expected " + ", ".join(COLUMNS))]

    rows, problems = [], []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        values = {c: (record.get(c) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        found = []
        external_id, email, kind = values["external_id"], values["email"].lower(), values["kind"].lower()
        if not external_id:
            found.append("the external ID is missing")
        elif len(external_id) > MAX_ID:
            found.append(f"the external ID is longer than {MAX_ID} characters")
        elif external_id in seen_ids:
            found.append(f"external ID {external_id} is also on line {seen_ids[external_id]}")
        try:
            validate_email(email)
        except ValidationError:
            found.append(f"{values['email']!r} is not an email address" if email else "the email is missing")
        else:
            if email in seen_emails:
                found.append(f"{email} is also on line {seen_emails[email]}")
        if kind not in KINDS:
            found.append(f"kind must be learner or faculty, not {values['kind']!r}")
        if found:
            problems.extend(Problem(line, message) for message in found)
            continue
        seen_ids[external_id] = seen_emails[email] = line
        first, last = split_name(values["name"])
        rows.append(Row(line, external_id, email, first[:150], last[:150], KINDS[kind]))
    if not rows and not problems:
        problems.append(Problem(1, "the roster lists nobody; refusing to remove everyone from the program"))
    return rows, problems


def has_institution_sign_in(user) -> bool:
    identities = getattr(user, "identities", None)  # devboard/sso's Identity, when installed
    return identities is not None and identities.exists()


def _nothing_left(user) -> bool:
    """No membership and no institutional sign-in: nothing keeps the account in use (superusers are kept)."""
    return (
        user.is_active
        and not user.is_superuser
        and not user.memberships.open().exists()
        and not has_institution_sign_in(user)
    )


def _username_for(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _find(row: Row, by_id: dict):
    """The account the row is about, or None for a new person; raises ValueError when it is ambiguous."""
    User = get_user_model()
    if row.external_id in by_id:
        return by_id[row.external_id]
    by_email = list(User.objects.filter(email__iexact=row.email)[:2])
    if len(by_email) > 1:
        raise ValueError(f"several accounts use {row.email}; set the right one's institution ID in the admin")
    if by_email and by_email[0].external_id:
        raise ValueError(f"{row.email} belongs to the account with external ID {by_email[0].external_id}")
    return by_email[0] if by_email else None


def _add_membership(program: Program, user, kind: str) -> None:
    membership = Membership.objects.create(program=program, user=user, kind=kind)
    audit.record("membership_added", user=user, program=program.pk, membership=membership.pk, by="roster")


def _apply_row(program: Program, row: Row, result: Result, by_id: dict, memberships: dict):
    User = get_user_model()
    user = _find(row, by_id)
    if user is None:
        user = User(
            username=_username_for(row.email),
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            external_id=row.external_id,
        )
        user.set_unusable_password()
        user.save()
        _add_membership(program, user, row.kind)
        result.created.append(row.email)
        return user

    wanted = {"external_id": row.external_id, "email": row.email, "is_active": True}
    if row.first_name or row.last_name:
        wanted.update(first_name=row.first_name, last_name=row.last_name)
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        user.save(update_fields=changed)

    membership = memberships.get(user.pk)
    if membership is None:
        _add_membership(program, user, row.kind)
        changed.append("membership")
    elif membership.kind != row.kind and membership.kind != Membership.Kind.DIRECTOR:
        # A director stays a director: the roster speaks for learners and faculty only.
        membership.kind = row.kind
        membership.save(update_fields=["kind"])
        changed.append("kind")
    if membership is not None and membership.is_pending:
        # An invitation not yet answered: the institution's roster settles it (consent is for manual invitations).
        membership.activate()
        membership.save(update_fields=["state", "joined_at", "counts_from"])
        changed.append("state")
    (result.updated if changed else result.unchanged).append(row.email)
    return user


def sync(program: Program, rows: list[Row], *, deactivate: bool = False, dry_run: bool = False) -> Result:
    """Make the program's learners and faculty exactly the roster's people.

    People on the roster are created or brought up to date; learners and faculty absent from it
    lose this program's membership (their worksheets and board stay theirs); with `deactivate`,
    those left with no membership and no institutional sign-in can no longer sign in.
    Directors are never changed. A dry run, or any problem, rolls everything back.
    """
    result = Result()
    with transaction.atomic():
        # Looked up once, so an unchanged roster costs no query per person.
        by_id = {
            u.external_id: u for u in get_user_model().objects.filter(external_id__in=[r.external_id for r in rows])
        }
        memberships = {m.user_id: m for m in Membership.objects.open().filter(program=program)}
        on_roster = set()
        for row in rows:
            try:
                on_roster.add(_apply_row(program, row, result, by_id, memberships).pk)
            except ValueError as error:  # raised before the row changed anything
                result.problems.append(Problem(row.line, str(error)))

        gone = (
            Membership.objects.open()
            .filter(program=program, kind__in=Membership.PARTICIPANT_KINDS)
            .exclude(user_id__in=on_roster)
            .select_related("user")
        )
        for membership in gone:
            user = membership.user
            audit.record(
                "membership_removed", program=program.pk, membership=membership.pk, account=user.pk, by="roster"
            )
            membership.remove()  # kept as history until the month ends, so no figure moves
            result.removed.append(user.email or user.username)
            if deactivate and _nothing_left(user):
                user.is_active = False
                user.save(update_fields=["is_active"])
                result.deactivated.append(user.email or user.username)

        if dry_run or result.problems:
            transaction.set_rollback(True)
    return result


def record(program: Program, file_name: str, result: Result, *, deactivate: bool) -> RosterRun:
    applied = not result.problems
    counts = result.counts() if applied else {}
    return RosterRun.objects.create(
        program=program,
        file_name=file_name[:255],
        deactivate=deactivate,
        applied=applied,
        problems="\n".join(str(p) for p in result.problems),
        **counts,
    )
