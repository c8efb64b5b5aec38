"""Every signed-in page makes the same number of queries with 1 item as with 50, and at most 10; the pages
that list what grows (the board, a member, the worksheet list, a program's members) read those tables a page
at a time."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import days_ago, make_agreement, make_check_in, make_member, make_user
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


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _compare(small_client, small_url, large_client, large_url):
    get(small_client, small_url)  # warm up whatever is read once per process
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
