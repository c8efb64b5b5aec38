"""Roster sync: `manage.py sync_roster FILE --program SLUG [--dry-run] [--deactivate]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from devboard.board.models import BoardMember
from devboard.models import User
from devboard.programs import roster
from devboard.programs.models import Membership, Program, RosterRun
from tests.factories import make_member, make_user, make_worksheet, sign_in_with_second_factor
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db

HEADER = "external_id,email,name,kind\n"
ROSTER = HEADER + (
    "E100,alice@example.org,Alice Ames,learner\n"
    "E200,bo.park@example.org,Bo Park,learner\n"
    'E300,cam.ruiz@example.org,"Ruiz, Cam",faculty\n'
)


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def roster_file(tmp_path):
    def write(text: str, name: str = "roster.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def sync(path, *flags, program="im") -> str:
    out = io.StringIO()
    call_command("sync_roster", path, "--program", program, *flags, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Everything roster sync may touch, to compare before and after."""
    users = list(
        User.objects.order_by("pk").values_list(
            "username", "email", "first_name", "last_name", "external_id", "is_active"
        )
    )
    memberships = list(Membership.objects.order_by("pk").values_list("program_id", "user_id", "kind"))
    return users, memberships


def test_it_creates_people_and_memberships_and_reports_counts(program, alice, roster_file):
    out = sync(roster_file(ROSTER))
    assert "2 created, 1 updated, 0 unchanged, 0 removed from the program, 0 deactivated" in out
    bo = User.objects.get(external_id="E200")
    assert (bo.email, bo.first_name, bo.last_name, bo.username) == (
        "bo.park@example.org",
        "Bo",
        "Park",
        "bo.park@example.org",
    )
    assert not bo.has_usable_password()
    cam = User.objects.get(external_id="E300")
    assert (cam.first_name, cam.last_name) == ("Cam", "Ruiz")
    assert program.memberships.get(user=cam).kind == "faculty"
    alice.refresh_from_db()
    assert alice.external_id == "E100"  # linked by her email the first time, by the ID from now on
    assert program.memberships.get(user=alice).kind == "learner"


def test_a_dry_run_changes_nothing(program, alice, charlie, roster_file):
    program.add_member(charlie, Membership.Kind.FACULTY)
    before = snapshot()
    out = sync(roster_file(ROSTER), "--dry-run", "--deactivate")
    assert out.startswith("Dry run, nothing changed.")
    assert "2 created, 1 updated, 0 unchanged, 1 removed from the program, 1 deactivated" in out
    assert snapshot() == before
    assert not RosterRun.objects.exists()


def test_a_second_identical_run_changes_nothing(program, alice, charlie, roster_file):
    program.add_member(charlie, Membership.Kind.FACULTY)
    path = roster_file(ROSTER)
    sync(path, "--deactivate")
    after_first = snapshot()
    out = sync(path, "--deactivate")
    assert "0 created, 0 updated, 3 unchanged, 0 removed from the program, 0 deactivated" in out
    assert snapshot() == after_first


def test_someone_absent_from_the_roster_loses_the_membership_but_keeps_their_work(program, charlie, roster_file):
    program.add_member(charlie, Membership.Kind.FACULTY)
    worksheet = make_worksheet(charlie, completed=True)
    member = make_member(charlie, name="Dr. Kept")
    out = sync(roster_file(ROSTER))
    assert "1 removed from the program" in out
    assert not program.memberships.filter(user=charlie).exists()
    charlie.refresh_from_db()
    assert charlie.is_active  # without --deactivate nobody is turned off
    assert Worksheet.objects.filter(pk=worksheet.pk, owner=charlie).exists()
    assert BoardMember.objects.filter(pk=member.pk, owner=charlie).exists()


def test_deactivate_turns_off_only_people_with_nothing_left(program, roster_file):
    other = Program.objects.create(name="Surgery", slug="surgery")
    leaver = make_user("leaver")
    elsewhere = make_user("elsewhere")
    program.add_member(leaver, Membership.Kind.LEARNER)
    program.add_member(elsewhere, Membership.Kind.LEARNER)
    other.add_member(elsewhere, Membership.Kind.LEARNER)
    make_worksheet(leaver)
    out = sync(roster_file(ROSTER), "--deactivate")
    assert "2 removed from the program, 1 deactivated" in out
    leaver.refresh_from_db()
    elsewhere.refresh_from_db()
    assert not leaver.is_active and elsewhere.is_active
    assert Worksheet.objects.filter(owner=leaver).exists()


def test_deactivate_keeps_people_who_sign_in_through_the_institution(program, roster_file, monkeypatch):
    leaver = make_user("leaver")
    program.add_member(leaver, Membership.Kind.LEARNER)
    monkeypatch.setattr(roster, "has_institution_sign_in", lambda user: user.pk == leaver.pk)
    out = sync(roster_file(ROSTER), "--deactivate")
    assert "1 removed from the program, 0 deactivated" in out
    leaver.refresh_from_db()
    assert leaver.is_active


def test_a_deactivated_person_back_on_the_roster_can_sign_in_again(program, roster_file):
    bo = make_user("bo", email="bo.park@example.org", external_id="E200", is_active=False)
    out = sync(roster_file(ROSTER))
    assert "1 updated" in out
    bo.refresh_from_db()
    assert bo.is_active


def test_directors_are_left_alone(program, roster_file):
    dana = make_user("dana", email="cam.ruiz@example.org")
    sam = make_user("sam")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    program.add_member(sam, Membership.Kind.DIRECTOR)
    sync(roster_file(ROSTER))
    assert program.is_directed_by(dana) and program.is_directed_by(sam)


def test_changes_on_the_roster_update_the_person_found_by_their_id(program, roster_file):
    sync(roster_file(ROSTER))
    bo = User.objects.get(external_id="E200")
    changed = ROSTER.replace(
        "E200,bo.park@example.org,Bo Park,learner", "E200,bo.park-lee@example.org,Bo Park-Lee,faculty"
    )
    out = sync(roster_file(changed, "changed.csv"))
    assert "0 created, 1 updated, 2 unchanged" in out
    bo.refresh_from_db()
    assert (bo.email, bo.last_name) == ("bo.park-lee@example.org", "Park-Lee")
    assert program.memberships.get(user=bo).kind == "faculty"
    assert User.objects.filter(external_id="E200").count() == 1


def test_bad_rows_are_reported_by_line_number_and_nothing_changes(program, alice, charlie, roster_file):
    program.add_member(charlie, Membership.Kind.FACULTY)
    before = snapshot()
    bad = HEADER + (
        "E100,alice@example.org,Alice Ames,learner\n"
        ",nobody@example.org,No Id,learner\n"
        "E500,not-an-email,Bad Email,faculty\n"
        "E600,six@example.org,Six,resident\n"
        "E100,again@example.org,Again,learner\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 problem\\(s\\) in .*nothing was changed"):
        call_command("sync_roster", roster_file(bad), "--program", "im", stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    assert "line 3: the external ID is missing" in report
    assert "line 4: 'not-an-email' is not an email address" in report
    assert "line 5: kind must be learner or faculty, not 'resident'" in report
    assert "line 6: external ID E100 is also on line 2" in report
    assert snapshot() == before
    run = RosterRun.objects.get()
    assert not run.applied and "line 5" in run.problems


def test_an_email_that_belongs_to_someone_else_is_a_problem(program, roster_file):
    make_user("other", email="bo.park@example.org", external_id="X9")
    before = snapshot()
    with pytest.raises(CommandError, match="1 problem"):
        sync(roster_file(ROSTER))
    assert snapshot() == before


def test_a_roster_with_missing_columns_or_nobody_is_refused(program, alice, roster_file):
    program.add_member(alice, Membership.Kind.LEARNER)
    with pytest.raises(CommandError):
        sync(roster_file("id,mail\nE1,a@example.org\n"))
    with pytest.raises(CommandError):
        sync(roster_file(HEADER))
    assert program.memberships.filter(user=alice).exists()


def test_an_unknown_program_or_file_is_a_clear_error(program, roster_file):
    with pytest.raises(CommandError, match="No program 'nope'. Programs: im."):
        sync(roster_file(ROSTER), program="nope")
    with pytest.raises(CommandError, match="No such file"):
        sync("/nonexistent/roster.csv")


def test_headers_are_forgiving_and_excel_bom_is_fine(program, roster_file):
    text = "\ufeffExternal ID,Email,Name,Kind\nE1,One@Example.org,One Person,Faculty\n"
    out = sync(roster_file(text))
    assert "1 created" in out
    assert User.objects.get(external_id="E1").email == "one@example.org"


def test_each_run_is_recorded_and_shown_read_only_in_the_admin(client, program, roster_file):
    path = roster_file(ROSTER)
    sync(path)
    sync(path)
    first, second = RosterRun.objects.order_by("ran_at")
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.created, second.unchanged, second.file_name) == (0, 3, "roster.csv")

    root = make_user("root", is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, root)
    page = client.get("/admin/programs/rosterrun/")
    assert page.status_code == 200 and "roster.csv" in page.text
    assert client.get(f"/admin/programs/rosterrun/{first.pk}/change/").status_code == 200
    assert client.post(f"/admin/programs/rosterrun/{first.pk}/change/", {"created": 99}).status_code == 403
    assert client.get("/admin/programs/rosterrun/add/").status_code == 403
    assert client.post(f"/admin/programs/rosterrun/{first.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RosterRun.objects.get(pk=first.pk).created == 3


def test_a_director_sees_only_their_own_programs_runs(client, program, roster_file):
    other = Program.objects.create(name="Surgery", slug="surgery")
    sync(roster_file(ROSTER))
    sync(roster_file(ROSTER, "surgery.csv"), program="surgery")
    dana = make_user("dana")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    sign_in_with_second_factor(client, dana)
    page = client.get("/admin/programs/rosterrun/").text
    assert "roster.csv" in page and "surgery.csv" not in page
    assert client.get(f"/admin/programs/rosterrun/{other.roster_runs.get().pk}/change/").status_code == 302


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Dana Morales", ("Dana", "Morales")),
        ("Morales, Dana", ("Dana", "Morales")),
        ("Cher", ("Cher", "")),
        ("Mary Ann  de la Cruz", ("Mary Ann de la", "Cruz")),
        ("", ("", "")),
    ],
)
def test_names_are_split_into_first_and_last(name, expected):
    assert roster.split_name(name) == expected


def test_an_unchanged_roster_costs_the_same_queries_however_long(program, roster_file):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_second_run(count: int, slug: str) -> int:
        Program.objects.create(name=slug, slug=slug)
        rows = "".join(f"{slug}{i},{slug}{i}@example.org,Person {i},learner\n" for i in range(count))
        path = roster_file(HEADER + rows, f"{slug}.csv")
        sync(path, program=slug)
        with CaptureQueriesContext(connection) as queries:
            sync(path, program=slug)
        return len(queries)

    assert queries_for_second_run(3, "short") == queries_for_second_run(30, "long")


def test_memberships_added_and_removed_are_in_the_audit_log_but_not_for_a_dry_run(program, charlie, roster_file):
    from devboard.accounts.models import AuditEvent

    program.add_member(charlie, Membership.Kind.FACULTY)
    sync(roster_file(ROSTER), "--dry-run")
    assert not AuditEvent.objects.filter(details__by="roster").exists()
    sync(roster_file(ROSTER))
    added = AuditEvent.objects.filter(kind="membership_added", details__by="roster")
    assert added.count() == 3 and all(e.details["program"] == program.pk for e in added)
    removed = AuditEvent.objects.get(kind="membership_removed", details__by="roster")
    assert removed.details["account"] == charlie.pk


def test_someone_invited_who_is_on_the_roster_becomes_a_member(program, alice, roster_file):
    Membership.objects.create(program=program, user=alice, kind="learner", state=Membership.State.PENDING)
    out = sync(roster_file(ROSTER))
    assert "2 created, 1 updated" in out
    assert program.memberships.get(user=alice).state == Membership.State.ACTIVE
