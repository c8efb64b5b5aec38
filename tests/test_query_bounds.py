"""Every signed-in page makes the same number of queries with 1 item as with 50, and at most 10; the pages
that list what grows (the board, a member, the worksheet list, a program's members) read those tables a page
at a time."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    days_ago,
    make_agreement,
    make_check_in,
    make_member,
    make_user,
    sign_in_with_second_factor,
)
from tests.queries import get, is_unbounded, unbounded_reads

MOST = 10


@pytest.mark.parametrize(
    "sql, unbounded",
    [
        ('SELECT "board_checkin"."id" FROM "board_checkin" WHERE "board_checkin"."member_id" = 1', True),
        ('SELECT "board_checkin"."id" FROM "board_checkin" WHERE "board_checkin"."member_id" = 1 LIMIT 20', False),
        ('SELECT COUNT(*) AS "__count" FROM "board_checkin" WHERE "board_checkin"."member_id" = 1', False),
        ('SELECT "board_checkin"."member_id", COUNT(*) FROM "board_checkin" GROUP BY 1', True),
        # a LIMIT inside a subquery does not bound the rows of the outer query
        (
            'SELECT "board_boardmember"."id", (SELECT U0."held_on" FROM "board_checkin" U0 '
            'WHERE U0."member_id" = ("board_boardmember"."id") LIMIT 1) AS "last" FROM "board_boardmember"',
            True,
        ),
        ('SELECT "board_boardrole"."id" FROM "board_boardrole" WHERE "board_boardrole"."member_id" IN (1, 2)', False),
        # a table named inside a string is not read
        ("""SELECT "roles_role"."id" FROM "roles_role" WHERE "roles_role"."name" = 'FROM "board_checkin"'""", False),
        (
            'SELECT * FROM (SELECT "board_boardmember"."id" AS "col1", ROW_NUMBER() OVER (PARTITION BY '
            '"board_boardmember"."status" ORDER BY "board_boardmember"."name") AS "qual0" FROM "board_boardmember") '
            '"qualify" WHERE "qual0" <= 50',
            False,
        ),
        ('SELECT * FROM (SELECT "board_boardmember"."id" AS "col1" FROM "board_boardmember") "qualify"', True),
        ('UPDATE "board_boardmember" SET "name" = 1', False),
    ],
)
def test_the_helper_tells_a_bounded_read_from_an_unbounded_one(sql, unbounded):
    assert is_unbounded(sql) is unbounded


def _signed_in(user, second_factor: bool = False) -> Client:
    """Signed in with a password, as learners and faculty are; with the second factor as well, as program
    directors are on the program pages (django-otp then reads the device: one more query on every page)."""
    client = Client()
    if second_factor:
        return sign_in_with_second_factor(client, user)
    client.force_login(user)
    return client


def _compare(small_client, small_url, large_client, large_url):
    get(small_client, small_url)  # warm up what is read once per process, or counted once (program figures)
    get(large_client, large_url)
    small = get(small_client, small_url)
    large = get(large_client, large_url)
    assert len(large) == len(small) <= MOST, [q["sql"][:160] for q in large]
    return large


# -- the member page -----------------------------------------------------------------------------


def _member_with(owner, check_ins: int):
    member = make_member(owner, name=f"Dr. {check_ins} Check-ins", roles=("mentor", "coach"), on=days_ago(400))
    agreement = make_agreement(member, goals="First goals")
    agreement.goals = "Second goals"
    agreement.save_if_current(1, ["goals"])
    for day in range(check_ins):
        make_check_in(member, days=day + 1)
    member.set_status("paused", on=days_ago(5))
    return member


def test_the_member_page_makes_as_many_queries_with_50_check_ins_as_with_one(db):
    small, large = make_user("sam"), make_user("lara")
    one, fifty = _member_with(small, 1), _member_with(large, 50)
    _compare(_signed_in(small), one.get_absolute_url(), _signed_in(large), fifty.get_absolute_url())


def test_the_member_page_reads_its_check_ins_a_page_at_a_time(alice, alice_client):
    member = _member_with(alice, 3)
    assert unbounded_reads(get(alice_client, member.get_absolute_url())) == []


# -- the board -----------------------------------------------------------------------------------


def _board_of(owner, people: int):
    statuses = ["active", "prospective", "paused", "concluded"]
    for i in range(people):
        member = make_member(
            owner,
            name=f"Person {i:03}",
            roles=[("mentor",), ("mentor", "sponsor"), ("coach", "advisor", "mentor")][i % 3],
            status=statuses[i % 4],
            on=days_ago(400),
        )
        make_agreement(member, revisit_on=days_ago(i % 40))
        make_check_in(member, days=i % 300 + 1)


def test_the_board_makes_as_many_queries_with_50_people_as_with_one(db):
    small, large = make_user("sam"), make_user("lara")
    _board_of(small, 1)
    _board_of(large, 50)
    board = reverse("board:board")
    _compare(_signed_in(small), board, _signed_in(large), board)
    for url in (f"{board}?q=person", f"{board}?status=active&page=2"):
        _compare(_signed_in(small), url, _signed_in(large), url)


def test_the_board_reads_its_people_a_bounded_slice_at_a_time(alice, alice_client):
    _board_of(alice, 6)
    for query in ("", "?q=person", "?status=active"):
        assert unbounded_reads(get(alice_client, reverse("board:board") + query)) == []


# -- every signed-in page, with 1 and with 50 of everything ------------------------------------------

# 49: with the person who has n check-ins the board then holds 50 people, one group of board.json, which
# reads a board's whole history 50 people at a time (a few queries per group, to bound a worker's memory).
SMALL, LARGE = 1, 49


def _world_of(name: str, n: int) -> dict:
    """A person with n worksheets, n people on their board (one with n check-ins), one worksheet shared with
    and linked to n of them, and a program they direct with n learners who each have a worksheet."""
    from devboard.board.models import CalendarFeed, Share, WorksheetLink
    from devboard.programs.models import Membership
    from tests.factories import make_program, make_worksheet, role

    owner = make_user(name)
    worksheets = [make_worksheet(owner, completed=True, title=f"Worksheet {i}") for i in range(n)]
    draft = make_worksheet(owner, title="A draft")
    _board_of(owner, n)
    member = _member_with(owner, n)
    shared = worksheets[0]
    for person in list(owner.board_members.all()[:n]):
        Share.create(worksheet=shared, member=person, days=7)
        WorksheetLink.objects.get_or_create(worksheet=shared, member=person, role=role("advisor"))
    program = make_program(f"Program of {name}", f"program-{name}", director=owner)
    for i in range(n):
        learner = make_user(f"{name}-learner-{i}")
        program.add_member(learner, Membership.Kind.LEARNER)
        make_worksheet(learner, completed=True)
    return {
        "user": owner,
        "worksheet": shared.pk,
        "draft": draft.pk,
        "member": member.pk,
        "check_in": member.check_ins.first().pk,
        "program": program.slug,
        "feed": CalendarFeed.for_user(owner).token,
    }


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Both worlds once for the module; rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _world_of("small", SMALL), _world_of("large", LARGE)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _steps():
    from worksheets.models import STEP_SLUGS

    return [(f"worksheet step {slug}", "worksheets:step", ["worksheet", f"={slug}"]) for slug in STEP_SLUGS]


PAGES = [
    ("landing", "landing", []),
    ("accessibility", "accessibility", []),
    ("account", "account", []),
    ("password change", "password_change", []),
    ("password changed", "password_change_done", []),
    ("delete account", "account_delete", []),
    ("two-step sign-in", "twofactor:two_factor", []),
    ("linked sign-ins", "sso:linked", []),
    ("my invitations", "programs:my_invitations", []),
    ("role guide", "roles:guide", []),
    ("needs", "roles:needs", []),
    ("a role", "roles:detail", ["=coach"]),
    ("my worksheets", "worksheets:list", []),
    ("new worksheet", "worksheets:new", []),
    ("examples", "worksheets:examples", []),
    ("an example", "worksheets:example", ["=resident-rotation-feedback"]),
    ("worksheet", "worksheets:detail", ["worksheet"]),
    ("worksheet to print", "worksheets:print", ["worksheet"]),
    ("draft's first step", "worksheets:step", ["draft", "=problem"]),
    *_steps(),
    ("board", "board:board", []),
    ("add a person", "board:add", []),
    ("member", "board:member", ["member"]),
    ("edit a member", "board:edit", ["member"]),
    ("agreement", "board:agreement", ["member"]),
    ("new check-in", "board:check_in_new", ["member"]),
    ("delete a check-in", "board:check_in_delete", ["member", "check_in"]),
    ("review", "board:review", ["member"]),
    ("remove a member", "board:delete", ["member"]),
    ("share a worksheet", "board:share", ["worksheet"]),
    ("calendar", "board:calendar", []),
    ("exports", "board:export", []),
    ("members.csv", "board:export_csv", ["=members"]),
    ("check-ins.csv", "board:export_csv", ["=check-ins"]),
    ("worksheets.csv", "board:export_csv", ["=worksheets"]),
    ("board.json", "board:export_json", []),
    ("calendar feed", "board:feed", ["feed"]),
    ("program index", "programs:index", []),
    ("dashboard", "programs:dashboard", ["program"]),
    ("figures.csv", "programs:csv", ["program"]),
    ("program members", "programs:members", ["program"]),
]


def _url(world: dict, name: str, args: list) -> str:
    return reverse(name, args=[a[1:] if a.startswith("=") else world[a] for a in args])


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_makes_as_many_queries_with_50_as_with_1_and_at_most_10(worlds, settings, label, name, args):
    settings.PROGRAM_FIGURES_MAX_AGE = 86400  # program pages read the figures the worker counted
    small, large = worlds
    director = name.startswith("programs:")  # directors open the program pages with their second factor
    _compare(
        _signed_in(small["user"], director),
        _url(small, name, args),
        _signed_in(large["user"], director),
        _url(large, name, args),
    )


LISTS = [
    ("board", "board:board", []),
    ("member", "board:member", ["member"]),
    ("my worksheets", "worksheets:list", []),
    ("program members", "programs:members", ["program"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "name", "args"), LISTS, ids=[p[0] for p in LISTS])
def test_the_page_reads_what_grows_a_bounded_slice_at_a_time(worlds, label, name, args):
    _, large = worlds
    client = _signed_in(large["user"], second_factor=name.startswith("programs:"))
    assert unbounded_reads(get(client, _url(large, name, args))) == []
