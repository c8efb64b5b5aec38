"""The board page makes the same number of queries however many people are on it."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devboard.board.models import CheckIn
from tests.factories import days_ago, make_agreement, make_member

STATUSES = ["active", "prospective", "paused", "concluded"]


def _fill(owner, count):
    for i in range(count):
        member = make_member(
            owner,
            name=f"Person {i:03}",
            roles=("mentor", "coach") if i % 2 else ("sponsor",),
            status=STATUSES[i % 4],
            on=days_ago(400),
        )
        if member.status == "paused":
            member.status_changes.update(changed_on=days_ago(200))
        make_agreement(member, revisit_on=days_ago(i % 40))
        member.log_check_in(CheckIn(held_on=days_ago(i % 300 + 1)))


def _count(client) -> int:
    """The queries of the board built afresh: nothing kept (devboard/pagecache.py), not even the roles."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("board:board")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("sizes", [(1, 10), (1, 200)])
def test_the_board_page_query_count_does_not_grow_with_the_board(alice_client, alice, sizes):
    small, large = sizes
    _fill(alice, small)
    at_small = _count(alice_client)
    _fill(alice, large - small)
    assert _count(alice_client) == at_small


def test_the_board_page_reads_the_board_in_six_queries(alice_client, alice):
    _fill(alice, 20)
    with CaptureQueriesContext(connection) as ctx:
        alice_client.get(reverse("board:board"))
    board_reads = [
        q["sql"] for q in ctx.captured_queries if "board_board" in q["sql"] or 'FROM "roles_role"' in q["sql"]
    ]
    # the counts, the picture's first people per seat, up next, the first 50 people of each status
    # (with agreements, last check-in and dates as subqueries), their roles, the published roles
    assert len(board_reads) == 6


def test_the_page_at_200_people_makes_as_many_queries_as_at_one(client, alice, charlie, django_assert_num_queries):
    _fill(charlie, 1)
    client.force_login(charlie)
    expected = _count(client)
    _fill(alice, 200)
    client.force_login(alice)
    caches["pages"].clear()
    with django_assert_num_queries(expected):
        assert client.get(reverse("board:board")).status_code == 200
