"""Every board address, checked against every kind of visitor: a board is only ever its owner's."""

import pytest
from django.urls import reverse

from devboard.board import urls as board_routes
from devboard.board.models import BoardMember, CalendarFeed, CheckIn
from worksheets.models import Worksheet

from .board_factory import days_ago, make_member
from .conftest import make_user, sign_in_with_second_factor

# (url name, methods the owner is refused)
PRIVATE = [
    ("board:member", ["post"]),
    ("board:edit", []),
    ("board:agreement", []),
    ("board:check_in_new", []),
    ("board:check_in_delete", []),
    ("board:next_check_in", ["get"]),
    ("board:status", ["get"]),
    ("board:review", ["post"]),
    ("board:conclude", ["get"]),
    ("board:keep", ["get"]),
    ("board:delete", []),
    ("board:link_worksheet", ["get"]),
]
OWN_ONLY = ["board:board", "board:add", "board:calendar", "board:export", "board:export_json"]
POST_ONLY = ["board:calendar_reset"]
CSV = ["members", "check-ins", "worksheets"]
PUBLIC = ["board:feed"]


@pytest.fixture
def alices_board(alice):
    member = make_member(alice, name="Dr. Private Person")
    check_in = member.log_check_in(CheckIn(held_on=days_ago(1), discussed="A private matter"))
    worksheet = Worksheet.objects.create(owner=alice, problem="Mine")
    return member, check_in, worksheet


def _url(name, member, check_in, worksheet):
    if name == "board:check_in_delete":
        return reverse(name, args=[member.pk, check_in.pk])
    if name == "board:link_worksheet":
        return reverse(name, args=[worksheet.pk])
    return reverse(name, args=[member.pk])


def test_every_board_address_is_in_these_lists():
    names = {f"board:{p.name}" for p in board_routes.urlpatterns}
    listed = {name for name, _ in PRIVATE} | set(OWN_ONLY) | set(POST_ONLY) | set(PUBLIC) | {"board:export_csv"}
    assert names == listed


@pytest.mark.parametrize("name", [name for name, _ in PRIVATE])
def test_a_signed_out_visitor_is_sent_to_sign_in(client, alices_board, name):
    url = _url(name, *alices_board)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", OWN_ONLY + POST_ONLY)
def test_own_pages_need_sign_in(client, name):
    response = client.get(reverse(name)) if name not in POST_ONLY else client.post(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("what", CSV)
def test_exports_need_sign_in(client, what):
    response = client.get(reverse("board:export_csv", args=[what]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", [name for name, _ in PRIVATE])
@pytest.mark.parametrize("kind", ["stranger", "staff", "superuser"])
def test_nobody_else_reaches_a_member_not_even_staff(client, alices_board, name, kind):
    extra = {"stranger": {}, "staff": {"is_staff": True}, "superuser": {"is_staff": True, "is_superuser": True}}[kind]
    sign_in_with_second_factor(client, make_user(f"other-{kind}", **extra))
    url = _url(name, *alices_board)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"status": "paused", "member": alices_board[0].pk, "version": 1}).status_code in (404, 405)
    member = BoardMember.objects.get(pk=alices_board[0].pk)
    assert member.status == "active" and member.check_ins.count() == 1


def test_a_stranger_gets_404_not_405_on_a_members_pages(charlie_client, alices_board):
    member, check_in, worksheet = alices_board
    for name, _ in PRIVATE:
        url = _url(name, member, check_in, worksheet)
        method = (
            "post"
            if name in ("board:next_check_in", "board:status", "board:conclude", "board:keep", "board:link_worksheet")
            else "get"
        )
        assert getattr(charlie_client, method)(url).status_code == 404, name


@pytest.mark.parametrize("name, refused", PRIVATE)
def test_the_owner_is_refused_the_wrong_method(alice_client, alices_board, name, refused):
    url = _url(name, *alices_board)
    for method in refused:
        assert getattr(alice_client, method)(url).status_code == 405


def test_calendar_reset_rejects_get(alice_client):
    assert alice_client.get(reverse("board:calendar_reset")).status_code == 405


def test_a_strangers_board_and_exports_show_nothing_of_alices(charlie_client, alices_board):
    for url in [reverse("board:board"), reverse("board:export_json")] + [
        reverse("board:export_csv", args=[what]) for what in CSV
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
    ):
        assert not admin.site.is_registered(model)


def test_alices_program_director_gets_404_on_her_board(client, alices_board, alice):
    from devboard.programs.models import Membership, Program

    director = make_user("dana")
    program = Program.objects.create(name="Internal Medicine", slug="im")
    program.add_member(alice, Membership.Kind.LEARNER)
    program.add_member(director, Membership.Kind.DIRECTOR)
    sign_in_with_second_factor(client, director)
    member, check_in, worksheet = alices_board
    for name, _ in PRIVATE:
        url = _url(name, member, check_in, worksheet)
        method = (
            "post"
            if name in ("board:next_check_in", "board:status", "board:conclude", "board:keep", "board:link_worksheet")
            else "get"
        )
        assert getattr(client, method)(url).status_code == 404, name
    assert b"Dr. Private Person" not in client.get(reverse("board:board")).content
