"""What a board shows to others: nothing. (Status codes for every address are in test_access.py.)"""

import pytest
from django.urls import reverse

from devboard.board.models import CalendarFeed, CheckIn
from tests.factories import days_ago, make_member
from worksheets.models import Worksheet


@pytest.fixture
def alices_board(alice):
    member = make_member(alice, name="Dr. Private Person")
    check_in = member.log_check_in(CheckIn(held_on=days_ago(1), discussed="A private matter"))
    worksheet = Worksheet.objects.create(owner=alice, problem="Mine")
    return member, check_in, worksheet


def test_a_strangers_board_and_exports_show_nothing_of_alices(charlie_client, alices_board):
    for url in [reverse("board:board"), reverse("board:export_json")] + [
        reverse("board:export_csv", args=[what]) for what in ("members", "check-ins", "worksheets")
    ]:
        response = charlie_client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Dr. Private Person" not in body
        assert b"A private matter" not in body


def test_the_feed_is_public_only_by_its_secret(client, alices_board, alice):
    feed = CalendarFeed.for_user(alice)
    assert client.get(reverse("board:feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("board:feed", args=["not-the-token"])).status_code == 404


def test_the_board_is_not_in_the_admin():
    from django.contrib import admin

    from devboard.board import models

    for model in (
        models.BoardMember,
        models.Agreement,
        models.CheckIn,
        models.StatusChange,
        models.BoardRole,
        models.CalendarFeed,
        models.Reminder,
        models.WorksheetLink,
        models.Share,
    ):
        assert not admin.site.is_registered(model)
