"""The programs admin stays bounded at any size and shows a director only their own programs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devboard.models import User
from devboard.programs.models import Membership, Program
from tests.factories import make_user, sign_in_with_second_factor


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana(program):
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(user, Membership.Kind.DIRECTOR)
    return user


def grow(program, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        program.add_member(make_user(f"m{i}"), Membership.Kind.LEARNER)


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", "password")


@pytest.mark.parametrize(
    "url",
    ["/admin/programs/program/", "/admin/programs/membership/", "/admin/programs/membership/?kind=learner"],
)
@pytest.mark.parametrize("who", ["root", "dana"])
def test_changelists_make_the_same_queries_at_any_size(client, program, dana, root, url, who):
    sign_in_with_second_factor(client, root if who == "root" else dana)
    grow(program, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(program, 60, start=1)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small) <= 12, [q["sql"][:100] for q in large.captured_queries]


def test_the_program_change_page_has_no_membership_inline(client, program, root):
    grow(program, 60)
    sign_in_with_second_factor(client, root)
    html = client.get(f"/admin/programs/program/{program.pk}/change/").text
    assert "m59" not in html
    assert "memberships-TOTAL_FORMS" not in html


def test_a_director_sees_only_their_programs_members_and_no_pending_invitations(client, program, dana):
    other = Program.objects.create(name="Surgery Residency", slug="surgery")
    other.add_member(make_user("stranger", first_name="Sam", last_name="Stranger"), Membership.Kind.LEARNER)
    invited = make_user("invited", first_name="Ivy", last_name="Invited")
    Membership.objects.create(program=program, user=invited, kind="learner", state=Membership.State.PENDING)
    sign_in_with_second_factor(client, dana)
    html = client.get("/admin/programs/membership/").text
    assert "Stranger" not in html and "Surgery Residency" not in html
    assert "Ivy" not in html  # the account name behind a pending invitation


def test_deleting_a_membership_in_the_admin_keeps_the_history(client, program, root):
    user = make_user("riley")
    membership = program.add_member(user, Membership.Kind.LEARNER)
    Membership.objects.filter(pk=membership.pk).update(counts_from="2020-01-01")
    sign_in_with_second_factor(client, root)
    client.post(f"/admin/programs/membership/{membership.pk}/delete/", {"post": "yes"})
    membership.refresh_from_db()
    assert membership.left_at is not None


def audit_trail(kind: str) -> list[tuple]:
    from devboard.accounts.models import AuditEvent

    return [
        (e.user.username, e.details["program"], e.details["membership"])
        for e in AuditEvent.objects.filter(kind=kind).order_by("pk")
    ]


def test_memberships_added_changed_and_removed_in_the_admin_are_in_the_audit_log(client, program, root):
    riley = make_user("riley", first_name="Riley", last_name="Chen")
    sign_in_with_second_factor(client, root)
    added = client.post("/admin/programs/membership/add/", {"program": program.pk, "user": riley.pk, "kind": "learner"})
    assert added.status_code == 302
    membership = program.memberships.get(user=riley)
    assert audit_trail("membership_added") == [("root", program.pk, membership.pk)]

    change_url = f"/admin/programs/membership/{membership.pk}/change/"
    client.post(change_url, {"kind": "learner"})  # saved unchanged: nothing to record
    assert audit_trail("membership_changed") == []
    client.post(change_url, {"kind": "faculty"})
    assert audit_trail("membership_changed") == [("root", program.pk, membership.pk)]
    from devboard.accounts.models import AuditEvent

    changed = AuditEvent.objects.get(kind="membership_changed")
    assert changed.details["changed"] == ["kind"] and changed.details["membership_kind"] == "faculty"

    client.post(f"/admin/programs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert audit_trail("membership_removed") == [("root", program.pk, membership.pk)]
    assert "Riley" not in str([e.details for e in AuditEvent.objects.all()])


def test_removing_memberships_in_bulk_in_the_admin_records_each(client, program, root):
    members = [program.add_member(make_user(f"m{i}"), Membership.Kind.LEARNER) for i in range(2)]
    sign_in_with_second_factor(client, root)
    client.post(
        "/admin/programs/membership/",
        {"action": "delete_selected", "_selected_action": [m.pk for m in members], "post": "yes"},
    )
    assert sorted(audit_trail("membership_removed")) == sorted(("root", program.pk, m.pk) for m in members)


def test_a_membership_cannot_be_moved_to_another_program_or_person_in_the_admin(client, program, root):
    surgery = Program.objects.create(name="Surgery Residency", slug="surgery")
    riley, sam = make_user("riley"), make_user("sam")
    membership = program.add_member(riley, Membership.Kind.LEARNER)
    sign_in_with_second_factor(client, root)
    client.post(
        f"/admin/programs/membership/{membership.pk}/change/",
        {"program": surgery.pk, "user": sam.pk, "kind": "learner"},
    )
    membership.refresh_from_db()
    assert (membership.program, membership.user) == (program, riley)


def test_the_memberships_list_is_in_name_order_whatever_the_kind(client, program, dana):
    """By name, so a director finds someone at once; it used to put the program and kind first."""
    for username, first, last, kind in [
        ("zed.abbott", "Zed", "Abbott", Membership.Kind.FACULTY),
        ("amy.young", "Amy", "Young", Membership.Kind.LEARNER),
        ("bo.carter", "Bo", "Carter", Membership.Kind.LEARNER),
    ]:
        program.add_member(make_user(username, first_name=first, last_name=last), kind)
    sign_in_with_second_factor(client, dana)
    page = client.get("/admin/programs/membership/").content.decode()
    names = [">zed.abbott<", ">bo.carter<", ">dana<", ">amy.young<"]  # the user column shows the username
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
