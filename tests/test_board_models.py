import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from devboard.board.models import (
    Agreement,
    BoardMember,
    BoardRole,
    Cadence,
    CheckIn,
    StatusChange,
    add_months,
    board_coverage,
    next_meeting,
)
from roles.models import Role
from tests.factories import days_ago, make_agreement, make_member, role

D = datetime.date


@pytest.mark.parametrize(
    "cadence, after, expected",
    [
        (Cadence.WEEKLY, D(2026, 1, 1), D(2026, 1, 8)),
        (Cadence.FORTNIGHTLY, D(2026, 1, 1), D(2026, 1, 15)),
        (Cadence.MONTHLY, D(2026, 1, 31), D(2026, 2, 28)),
        (Cadence.MONTHLY, D(2028, 1, 31), D(2028, 2, 29)),
        (Cadence.BIMONTHLY, D(2026, 11, 15), D(2027, 1, 15)),
        (Cadence.QUARTERLY, D(2026, 12, 1), D(2027, 3, 1)),
        (Cadence.TWICE_A_YEAR, D(2026, 8, 31), D(2027, 2, 28)),
        (Cadence.AS_NEEDED, D(2026, 1, 1), None),
    ],
)
def test_the_cadence_gives_the_next_meeting_date(cadence, after, expected):
    assert next_meeting(cadence, after) == expected


def test_adding_months_crosses_years():
    assert add_months(D(2026, 12, 15), 14) == D(2028, 2, 15)


def test_adding_a_member_starts_their_history(alice):
    member = make_member(alice, roles=("mentor", "sponsor"), status="prospective", on=days_ago(3))
    assert [r.slug for r in member.current_roles()] == ["mentor", "sponsor"]
    change = member.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_on) == ("", "prospective", days_ago(3))


def test_a_member_added_as_concluded_keeps_their_past_roles(alice):
    member = make_member(alice, status="concluded")
    assert member.current_roles() == []
    assert [br.role.slug for br in member.past_roles()] == ["mentor"]
    assert member.afterwards == "peer" and member.concluded_on is not None


@pytest.mark.parametrize(
    "start, allowed",
    [("prospective", ["active"]), ("active", ["paused"]), ("paused", ["active"]), ("concluded", [])],
)
def test_status_transitions_follow_the_rules(alice, start, allowed):
    member = make_member(alice, status=start)
    assert member.allowed_transitions() == allowed


def test_a_status_change_is_recorded_with_its_date_not_overwritten(alice):
    member = make_member(alice, status="prospective", on=days_ago(30))
    member.set_status("active", on=days_ago(20))
    member.set_status("paused", on=days_ago(10))
    history = [(c.from_status, c.to_status, c.changed_on) for c in member.status_changes.all()]
    assert history == [
        ("", "prospective", days_ago(30)),
        ("prospective", "active", days_ago(20)),
        ("active", "paused", days_ago(10)),
    ]


def test_an_impossible_transition_is_refused(alice):
    member = make_member(alice, status="prospective")
    with pytest.raises(ValidationError):
        member.set_status("paused")
    with pytest.raises(ValidationError):
        member.set_status("concluded")
    member.refresh_from_db()
    assert member.status == "prospective"
    assert member.status_changes.count() == 1


def test_concluding_records_the_date_what_they_become_and_ends_the_roles(alice):
    member = make_member(alice, roles=("coach",), on=days_ago(100))
    member.conclude(afterwards="former_colleague", signs=["goal_met"], note="We met the goal.", on=days_ago(1))
    member.refresh_from_db()
    assert member.status == "concluded"
    assert member.concluded_on == days_ago(1)
    assert member.get_afterwards_display() == "A former colleague"
    assert member.closing_sign_labels() == ["The goal we set out to reach has been met"]
    assert member.current_roles() == []
    past = member.past_roles()[0]
    assert (past.started_on, past.ended_on) == (days_ago(100), days_ago(1))
    assert member.status_changes.last().to_status == "concluded"


def test_a_concluded_relationship_cannot_be_concluded_twice(alice):
    member = make_member(alice, status="concluded")
    with pytest.raises(ValidationError):
        member.conclude(afterwards="peer", signs=[])


def test_the_database_refuses_a_concluded_member_without_an_end_date(alice):
    member = make_member(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMember.objects.filter(pk=member.pk).update(status="concluded")


def test_the_database_refuses_an_unknown_status(alice):
    member = make_member(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMember.objects.filter(pk=member.pk).update(status="retired")


def test_role_changes_keep_the_old_roles_with_their_dates(alice):
    member = make_member(alice, roles=("mentor",), on=days_ago(50))
    member.set_roles([role("sponsor"), role("mentor")], on=days_ago(20))
    member.set_roles([role("sponsor")], on=days_ago(5))
    assert [r.slug for r in member.current_roles()] == ["sponsor"]
    rows = {(br.role.slug, br.started_on, br.ended_on) for br in BoardRole.objects.filter(member=member)}
    assert rows == {("mentor", days_ago(50), days_ago(5)), ("sponsor", days_ago(20), None)}


def test_a_role_taken_up_again_starts_a_new_period(alice):
    member = make_member(alice, roles=("mentor",), on=days_ago(50))
    member.set_roles([], on=days_ago(40))
    member.set_roles([role("mentor")], on=days_ago(10))
    assert BoardRole.objects.filter(member=member, role__slug="mentor").count() == 2


def test_a_role_is_held_at_most_once_at_a_time(alice):
    member = make_member(alice, roles=("mentor",))
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardRole.objects.create(member=member, role=role("mentor"), started_on=days_ago(0))
    assert member.add_role(role("mentor")) is False
    assert member.add_role(role("coach")) is True


def test_logging_a_check_in_sets_the_next_date_from_the_cadence(alice):
    member = make_member(alice)
    make_agreement(member, cadence=Cadence.MONTHLY)
    member.log_check_in(CheckIn(held_on=D(2026, 3, 10)))
    assert member.next_check_in_on == D(2026, 4, 10)
    assert member.next_check_in_by_hand is False


def test_a_date_set_by_hand_wins_until_the_next_check_in(alice):
    member = make_member(alice)
    make_agreement(member, cadence=Cadence.WEEKLY)
    member.log_check_in(CheckIn(held_on=D(2026, 3, 10)), next_on=D(2026, 5, 1))
    assert (member.next_check_in_on, member.next_check_in_by_hand) == (D(2026, 5, 1), True)
    member.log_check_in(CheckIn(held_on=D(2026, 3, 20)))
    assert (member.next_check_in_on, member.next_check_in_by_hand) == (D(2026, 3, 27), False)


def test_clearing_a_hand_set_date_goes_back_to_the_cadence(alice):
    member = make_member(alice)
    make_agreement(member, cadence=Cadence.FORTNIGHTLY)
    member.log_check_in(CheckIn(held_on=D(2026, 3, 1)))
    member.set_next_check_in(D(2026, 6, 1))
    assert member.next_check_in_by_hand
    member.set_next_check_in(None)
    member.refresh_from_db()
    assert (member.next_check_in_on, member.next_check_in_by_hand) == (D(2026, 3, 15), False)


def test_without_an_agreement_there_is_no_next_date_from_the_cadence(alice):
    member = make_member(alice)
    member.log_check_in(CheckIn(held_on=days_ago(1)))
    assert member.next_check_in_on is None


def test_as_needed_leaves_the_next_date_open(alice):
    member = make_member(alice)
    make_agreement(member, cadence=Cadence.AS_NEEDED)
    member.log_check_in(CheckIn(held_on=days_ago(1)))
    assert member.next_check_in_on is None


def test_overdue_and_revisit_are_only_for_open_relationships(alice):
    today = days_ago(0)
    active = make_member(alice, name="Active")
    make_agreement(active, revisit_on=days_ago(1))
    active.set_next_check_in(days_ago(2))
    paused = make_member(alice, name="Paused", status="paused")
    make_agreement(paused, revisit_on=days_ago(1))
    paused.set_next_check_in(days_ago(2))
    assert active.is_check_in_overdue(today) and active.is_revisit_due(today)
    assert not paused.is_check_in_overdue(today) and not paused.is_revisit_due(today)
    assert list(BoardMember.objects.check_in_due(today)) == [active]
    assert list(BoardMember.objects.revisit_due(today)) == [active]


def test_a_long_silence_prompts_a_review(alice):
    member = make_member(alice, on=days_ago(400))
    member.log_check_in(CheckIn(held_on=days_ago(200)))
    reasons = member.review_reasons(days_ago(0))
    assert len(reasons) == 1 and "not checked in since" in reasons[0]


def test_a_long_pause_prompts_a_review(alice):
    member = make_member(alice, on=days_ago(400))
    member.set_status("paused", on=days_ago(100))
    assert "paused since" in member.review_reasons(days_ago(0))[0]


def test_a_recent_review_quiets_the_prompt(alice):
    member = make_member(alice, on=days_ago(400))
    member.set_status("paused", on=days_ago(100))
    member.mark_reviewed(on=days_ago(10))
    assert member.review_reasons(days_ago(0)) == []


def test_a_healthy_relationship_is_not_prompted(alice):
    member = make_member(alice)
    member.log_check_in(CheckIn(held_on=days_ago(10)))
    assert member.review_reasons(days_ago(0)) == []


def test_coverage_counts_only_active_members_as_covering_a_role(alice):
    make_member(alice, name="A", roles=("mentor", "sponsor"))
    make_member(alice, name="B", roles=("coach",), status="prospective")
    make_member(alice, name="C", roles=("advisor",), status="concluded")
    members = list(BoardMember.objects.for_owner(alice).for_board_page())
    coverage = {c["role"].slug: c for c in board_coverage(members, list(Role.objects.published()))}
    assert [m.name for m in coverage["mentor"]["active"]] == ["A"]
    assert [m.name for m in coverage["sponsor"]["active"]] == ["A"]
    assert coverage["coach"]["active"] == [] and [m.name for m in coverage["coach"]["others"]] == ["B"]
    assert coverage["advisor"]["active"] == [] and coverage["advisor"]["others"] == []


def test_agreement_changes_are_kept_in_its_history(alice):
    member = make_member(alice)
    agreement = make_agreement(member, goals="First goals")
    agreement.goals = "Revised goals"
    agreement.save_if_current(1, ["goals"])
    assert [h.goals for h in agreement.history.order_by("history_date")] == ["First goals", "Revised goals"]


def test_removing_a_member_removes_their_records(alice):
    member = make_member(alice)
    make_agreement(member)
    member.log_check_in(CheckIn(held_on=days_ago(1)))
    member.delete()
    assert not CheckIn.objects.exists() and not Agreement.objects.exists() and not StatusChange.objects.exists()
    assert not Agreement.history.exists()


def test_deleting_the_user_leaves_no_agreement_history(alice):
    make_agreement(make_member(alice), goals="Private goals")
    alice.delete()
    assert not Agreement.history.exists()


def test_every_owned_kind_reaches_only_its_owners_rows(alice, charlie):
    from devboard.board.models import Agreement, BoardRole, CheckIn, StatusChange, WorksheetLink
    from tests.factories import make_agreement, make_check_in, make_member, make_worksheet

    for owner in (alice, charlie):
        member = make_member(owner, name=f"Someone of {owner.username}")
        make_agreement(member)
        make_check_in(member)
    for model in (BoardRole, StatusChange, Agreement, CheckIn):
        rows = model.objects.for_owner(alice)
        assert rows.exists() and {row.member.owner for row in rows} == {alice}, model.__name__
    assert not WorksheetLink.objects.for_owner(alice).exists()
    from devboard.board.models import Share

    for owner in (alice, charlie):
        Share.create(
            worksheet=make_worksheet(owner), member=make_member(owner, name=f"Reader of {owner.username}"), days=7
        )
    assert {s.worksheet.owner for s in Share.objects.for_owner(alice)} == {alice}


def test_initials_leave_titles_out(alice):
    from devboard.board.models import BoardMember

    assert BoardMember(name="Dr. Miriam Alvarez").initials() == "MA"
    assert BoardMember(name="Jordan").initials() == "J"
    assert BoardMember(name="prof. ada de la cruz").initials() == "AC"
    assert BoardMember(name="Dr.").initials() == "D"


def test_the_board_picture_draws_each_person_once(alice):
    from devboard.board.models import board_seats

    make_member(alice, name="Mia", roles=("mentor",))
    make_member(alice, name="Both", roles=("mentor", "sponsor"))
    make_member(alice, name="Across", roles=("mentor", "coach"), status="prospective")
    make_member(alice, name="Three", roles=("sponsor", "coach", "advisor"), status="paused")
    make_member(alice, name="Gone", roles=("advisor",), status="concluded")
    picture = board_seats(BoardMember.objects.for_owner(alice), list(Role.objects.published()))
    seats = {s["role"].slug: s for s in picture["seats"]}
    assert [m.name for m in seats["mentor"]["people"]] == ["Mia"]
    assert seats["mentor"]["covered"] and seats["sponsor"]["covered"]  # Both is active in the corner
    assert not seats["coach"]["covered"] and seats["coach"]["held"]  # only prospective and paused people
    assert not seats["advisor"]["covered"] and seats["advisor"]["held"]
    assert [(c["name"], [m.name for m in c["people"]]) for c in picture["corners"]] == [("top-right", ["Both"])]
    assert [a["member"].name for a in picture["across"]] == ["Across", "Three"]
    drawn = [m.name for s in picture["seats"] for m in s["people"]]
    drawn += [m.name for c in picture["corners"] for m in c["people"]] + [a["member"].name for a in picture["across"]]
    assert sorted(drawn) == ["Across", "Both", "Mia", "Three"]


def test_up_next_puts_what_is_due_first_then_what_is_coming(alice):
    from devboard.board.models import up_next

    today = days_ago(0)
    soon = make_member(alice, name="Soon")
    soon.set_next_check_in(today + datetime.timedelta(days=5))
    later = make_member(alice, name="Later")
    later.set_next_check_in(today + datetime.timedelta(days=40))
    late = make_member(alice, name="Late")
    late.set_next_check_in(days_ago(3))
    paused = make_member(alice, name="Paused", status="active")
    paused.set_status("paused", on=days_ago(100))
    items = [(i["kind"], i["member"].name, i["due"]) for i in up_next(BoardMember.objects.for_owner(alice), today)]
    assert items == [("check_in", "Late", True), ("review", "Paused", True), ("check_in", "Soon", False)]
