"""The board page at any size: a bounded picture, up next capped, people listed 50 per status with the
rest a click away, and a search by name."""

import datetime

from django.urls import reverse, set_script_prefix

from devboard.board.models import SEAT_PEOPLE, BoardMember, attention_items, board_counts, up_next
from tests.factories import days_ago, make_agreement, make_check_in, make_member

BOARD = reverse("board:board")


def _seat(response, slug):
    return next(s for s in response.context["picture"]["seats"] if s["role"].slug == slug)


def test_a_crowded_seat_draws_the_first_people_and_counts_the_rest(alice_client, alice):
    for i in range(SEAT_PEOPLE + 3):
        make_member(alice, name=f"Prospect {i:02}", roles=("mentor",), status="prospective")
    make_member(alice, name="Zoe Active", roles=("mentor",))  # last by name, still covers the seat
    response = alice_client.get(BOARD)
    seat = _seat(response, "mentor")
    assert [m.name for m in seat["people"]] == [f"Prospect {i:02}" for i in range(SEAT_PEOPLE)]
    assert seat["more"] == 4 and seat["covered"]
    assert '<li class="seat-more">+4 more</li>' in response.content.decode()


def test_crowded_corners_and_the_band_across_are_bounded_too(alice_client, alice):
    for i in range(SEAT_PEOPLE + 2):
        make_member(alice, name=f"Both {i:02}", roles=("mentor", "sponsor"), status="paused")
        make_member(alice, name=f"Across {i:02}", roles=("mentor", "coach") if i % 2 else ("sponsor", "advisor"))
    picture = alice_client.get(BOARD).context["picture"]
    corner = picture["corners"][0]
    assert corner["name"] == "top-right" and len(corner["people"]) == SEAT_PEOPLE and corner["more"] == 2
    assert [a["member"].name for a in picture["across"]] == [f"Across {i:02}" for i in range(SEAT_PEOPLE)]
    assert picture["across_more"] == 2
    seats = {s["role"].slug: s for s in picture["seats"]}
    assert seats["mentor"]["covered"] and seats["advisor"]["covered"]  # by the active people across
    assert seats["sponsor"]["covered"]


def test_each_status_lists_its_first_50_and_links_to_the_rest(alice_client, alice):
    for i in range(55):
        make_member(alice, name=f"Active {i:02}")
    make_member(alice, name="Paula Paused", status="paused")
    response = alice_client.get(BOARD)
    content = response.content.decode()
    groups = {g["status"]: g for g in response.context["groups"]}
    assert [m.name for m in groups["active"]["people"]] == [f"Active {i:02}" for i in range(50)]
    assert "Active 50" not in content and "Paula Paused" in content
    assert 'href="?status=active#people">Show all 55 active' in content
    assert groups["paused"]["more_url"] == ""

    rest = alice_client.get(BOARD, {"status": "active", "page": 2})
    assert [g["status"] for g in rest.context["groups"]] == ["active"]
    assert [m.name for m in rest.context["groups"][0]["people"]] == [f"Active {i:02}" for i in range(50, 55)]
    assert "51–55 of 55" in rest.content.decode() and "Paula Paused</a>" not in rest.content.decode()


def test_the_people_can_be_found_by_name(alice_client, alice):
    make_member(alice, name="Dr. Lee Park")
    make_member(alice, name="Kim Leeson", status="prospective")
    make_member(alice, name="Sam Other")
    response = alice_client.get(BOARD, {"q": "lee"})
    listed = [m.name for g in response.context["groups"] for m in g["people"]]
    assert listed == ["Dr. Lee Park", "Kim Leeson"]
    assert "2 people match “lee”." in response.content.decode()
    # the picture still shows everyone
    assert [m.name for m in _seat(response, "mentor")["people"]] == ["Dr. Lee Park", "Kim Leeson", "Sam Other"]
    nobody = alice_client.get(BOARD, {"q": "zzz"}).content.decode()
    assert "No one on your board matches “zzz”." in nobody and 'value="zzz"' in nobody


def test_up_next_shows_the_ten_most_pressing_and_counts_the_others(alice_client, alice):
    for i in range(12):
        make_member(alice, name=f"Late {i:02}").set_next_check_in(days_ago(20 - i))
    response = alice_client.get(BOARD)
    items = response.context["up_next"]
    assert [i["member"].name for i in items] == [f"Late {i:02}" for i in range(10)]
    assert "And 2 more after these." in response.content.decode()


def test_up_next_and_its_count_say_in_sql_what_each_member_says_in_python(alice):
    today = days_ago(0)
    for i in range(24):
        member = make_member(
            alice, name=f"Person {i:02}", status=["active", "prospective", "paused"][i % 3], on=days_ago(400)
        )
        if member.status == "paused":
            member.status_changes.update(changed_on=days_ago(60 + 10 * i))
        if i % 4:
            make_agreement(member, revisit_on=days_ago(i * 3 - 20))
        if i % 5:
            make_check_in(member, days=i * 15 + 1)
        member.set_next_check_in(today + datetime.timedelta(days=i - 6))
        if i % 7 == 0:
            member.mark_reviewed(on=days_ago(i * 10))
    soon = today + datetime.timedelta(days=14)
    members = list(BoardMember.objects.for_owner(alice).for_board_page())
    expected = sorted(
        (item for m in members for item in attention_items(m, today, soon)),
        key=lambda item: (not item["due"], item["on"] or today, item["member"].name),
    )
    assert {i["kind"] for i in expected} == {"check_in", "revisit", "review"}
    owned = BoardMember.objects.for_owner(alice)
    assert board_counts(owned, today)["up_next"] == len(expected)
    found = up_next(owned, today, limit=len(expected))
    assert [(i["kind"], i["member"].pk) for i in found] == [(i["kind"], i["member"].pk) for i in expected]
    assert [(i["kind"], i["member"].pk) for i in up_next(owned, today)] == [
        (i["kind"], i["member"].pk) for i in expected[:10]
    ]


def test_each_row_names_the_person_their_roles_and_their_check_ins(alice_client, alice):
    today = datetime.date.today()
    ann = make_member(
        alice, name="Ann <b>Lee</b> & Co", roles=("mentor", "coach"), title="Chief", institution="St. Elsewhere"
    )
    make_check_in(ann, days=40)
    BoardMember.objects.filter(pk=ann.pk).update(next_check_in_on=today - datetime.timedelta(days=2))
    make_member(alice, name="Ben Later", roles=("advisor",), status="prospective")
    make_member(alice, name="Cleo Done", roles=("sponsor",), status="concluded", on=datetime.date(2025, 3, 4))
    content = alice_client.get(BOARD).content.decode()

    row = content[content.index(f'class="fw-semibold" href="/board/{ann.pk}/"') :].split("</li>")[0]
    assert ">Ann &lt;b&gt;Lee&lt;/b&gt; &amp; Co</a>" in row and "<b>Lee</b>" not in content
    assert "· Chief, St. Elsewhere</span>" in row
    assert row.index("role-mentor") < row.index("role-coach")  # in the guide's order
    due = today - datetime.timedelta(days=2)
    assert f'Next check-in {due.day} {due:%b %Y} <span class="badge text-bg-danger">due</span>' in row
    last = today - datetime.timedelta(days=40)
    assert f"Last {last.day} {last:%b %Y}" in row

    rows = content[content.index('id="people-heading"') :]
    ben = rows[rows.index(">Ben Later</a>") :].split("</li>")[0]
    assert "role-advisor" in ben and "due" not in ben and "Last" not in ben
    cleo = rows[rows.index(">Cleo Done</a>") :].split("</li>")[0]
    assert "A valued peer · was sponsor · until Mar 2025" in cleo and "role-chip" not in cleo


def test_a_persons_address_carries_the_prefix_the_site_is_served_under(alice):
    ann = make_member(alice, name="Ann Lee")
    assert ann.get_absolute_url() == f"/board/{ann.pk}/"
    set_script_prefix("/devboard/")  # as gunicorn behind a proxy at /devboard/ sets it for each request
    try:
        assert ann.get_absolute_url() == f"/devboard/board/{ann.pk}/"
    finally:
        set_script_prefix("/")
    assert ann.get_absolute_url() == f"/board/{ann.pk}/"
