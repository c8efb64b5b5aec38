"""seed_scale: development only, the figures asked for, the named accounts, the same data every time."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from devboard.board.models import BoardMember, CheckIn
from devboard.models import User
from devboard.programs import figures
from devboard.programs.models import Membership, Program
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db(transaction=False)

SMALL = {
    "users": 60,
    "worksheets": 400,
    "boards": 12,
    "members": 150,
    "check_ins": 900,
    "programs": 5,
    "big_board": 40,
    "big_program": 20,
    "board_owner_worksheets": 30,
}


def seed(**figures) -> str:
    out = io.StringIO()
    call_command("seed_scale", stdout=out, **{**SMALL, **figures})
    return out.getvalue()


@override_settings(DEBUG=False)
def test_it_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG off"):
        seed()
    assert not User.objects.filter(username="scale-board").exists()


@override_settings(DEBUG=True)
def test_it_writes_the_figures_it_is_given():
    seed()
    assert User.objects.filter(username__startswith="scale-").count() == 60
    assert Worksheet.objects.count() == 400
    assert BoardMember.objects.count() == 150
    assert BoardMember.objects.values("owner").distinct().count() == 12
    assert CheckIn.objects.count() == 900
    assert Program.objects.count() == 5
    statuses = set(Worksheet.objects.values_list("status", flat=True))
    assert statuses == {"draft", "completed"} and Worksheet.objects.archived().exists()
    assert Worksheet.objects.filter(status="completed").exclude(recommendation={}).exists()


@override_settings(DEBUG=True)
def test_the_named_accounts_sign_in_and_hold_what_the_issue_describes(client):
    seed()
    for username in ("scale-board", "scale-director", "scale-resident"):
        assert client.login(username=username, password="devboard-demo"), username
    owner = User.objects.get(username="scale-board")
    assert owner.board_members.count() == 40 and owner.worksheets.count() == 30
    assert owner.board_members.annotate(n=Count("check_ins")).filter(n=100).exists()
    resident = User.objects.get(username="scale-resident")
    assert resident.board_members.count() == 10 and resident.worksheets.count() == 5
    director = User.objects.get(username="scale-director")
    directed = Program.objects.directed_by(director)
    assert directed.count() == 3 and director.is_staff
    big = Program.objects.get(slug="scale-big")
    assert big in directed
    assert big.memberships.filter(kind__in=Membership.PARTICIPANT_KINDS).count() == 20


@override_settings(DEBUG=True)
def test_the_big_programs_members_count_in_its_figures():
    """The dashboard at scale measures real figures: members settle as if added through the app."""
    seed()
    big = Program.objects.get(slug="scale-big")
    period = figures.candidate_periods()[1]  # the last 3 whole months
    members = figures.participation(figures.count(big, period, [], []))
    settled = big.memberships.filter(kind__in=Membership.PARTICIPANT_KINDS, counts_from__lt=period.until).count()
    assert members.row("members").cells[0].value == settled > 10


@override_settings(DEBUG=True)
def test_new_objects_get_fresh_ids_after_the_seed(alice):
    seed()
    worksheet = Worksheet.objects.create(owner=alice)
    assert worksheet.pk > Worksheet.objects.exclude(pk=worksheet.pk).order_by("-pk").first().pk


def _content() -> list:
    return [
        sorted(User.objects.filter(username__startswith="scale-").values_list("username", "first_name", "last_name")),
        sorted(
            Worksheet.objects.values_list("owner__username", "title", "status", "step", "created_at", "archived_at")
        ),
        sorted(BoardMember.objects.values_list("owner__username", "name", "status", "next_check_in_on")),
        sorted(CheckIn.objects.values_list("member__name", "held_on", "discussed")),
    ]


@override_settings(DEBUG=True)
def test_the_same_figures_give_the_same_data_and_a_second_run_keeps_it():
    seed()
    first = _content()
    assert "already here" in seed()
    assert _content() == first
    User.objects.filter(username__startswith="scale-").delete()
    Program.objects.all().delete()
    seed()
    assert _content() == first
