"""The suppression bypasses of issue 8 (V2), replayed: each one now recovers nothing.

(a) complement: Members and Learners shown, so Faculty = Members - Learners;
(b) start-date slicing: figures for days 12 and 13 January differ by one person;
(c) end-date slicing of check-ins reveals a count shown as "fewer than 5";
(d) remove and re-add: the CSV before and after is exactly one person's row;
(e) cross-program: inviting another program's member adds them silently, shows their name and
    "Joined", and moves the figures by one.
"""

import csv
import datetime
import io
import itertools
import random
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from devboard.board.models import BoardMember, CheckIn
from devboard.programs import figures
from devboard.programs.figures import SMALL_CELL, SUPPRESSED, Cell, Period, Row, Table
from devboard.programs.models import InvitationBatch, Membership, Program, month_start
from roles.models import Need, Role
from tests.factories import make_user, sign_in_with_second_factor
from worksheets.models import Worksheet

LONG_AGO = timezone.now() - datetime.timedelta(days=730)
THIS_MONTH = month_start(timezone.localdate())
M = month_start(THIS_MONTH, -1)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def started(user, need: str, day: datetime.date, role: str = "coach") -> Worksheet:
    ws = Worksheet.objects.create(
        owner=user,
        primary_need=Need.objects.get(slug=need),
        recommended_role=Role.objects.get(slug=role),
        chosen_role=Role.objects.get(slug=role),
        status=Worksheet.Status.COMPLETED,
        completed_at=noon(day),
    )
    Worksheet.objects.filter(pk=ws.pk).update(created_at=noon(day))
    return ws


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana(program):
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(user, Membership.Kind.DIRECTOR, since=LONG_AGO)
    return user


@pytest.fixture
def dana_client(client, dana):
    sign_in_with_second_factor(client, dana)
    return client


def cohort(program, learners: int, faculty: int = 0, prefix: str = "p"):
    people = []
    for i in range(learners + faculty):
        user = make_user(f"{prefix}{i}", first_name="Person", last_name=str(i))
        kind = Membership.Kind.LEARNER if i < learners else Membership.Kind.FACULTY
        program.add_member(user, kind, since=LONG_AGO)
        people.append(user)
    return people


def csv_values(response) -> dict:
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(r["Figure"], r["Item"], r["Measure"]): r["Value"] for r in rows}


def numbers(values: dict, figure: str, measure: str) -> dict[str, int | None]:
    return {item: int(v) if v.isdigit() else None for (f, item, m), v in values.items() if f == figure and m == measure}


# --- (a) complement --------------------------------------------------------------------------


def test_a_the_suppressed_faculty_count_cannot_be_worked_out_from_members_and_learners(dana_client, program):
    cohort(program, learners=6, faculty=2)
    for user in program.participants():
        started(user, "access", M)
    shown = numbers(csv_values(dana_client.get("/program/im/figures.csv")), "Participation", "People")
    assert shown["Members"] == 8
    assert shown["Faculty"] is None
    assert shown["Learners"] is None  # 8 - 6 would have given the faculty away


def check_no_single_hidden_cell(table: Table) -> None:
    """Whatever the counts, no column of the needs/roles tables has exactly one hidden cell."""
    for index in range(len(table.columns)):
        hidden = [r for r in table.rows if r.cells[index].suppressed]
        assert len(hidden) != 1 or all(r.cells[index].suppressed for r in table.rows)


@pytest.mark.parametrize("seed", range(40))
def test_a_no_subtraction_recovers_a_hidden_cell_for_any_counts(seed):
    rng = random.Random(seed)
    learners, faculty = rng.randint(0, 30), rng.randint(0, 30)
    members = learners + faculty
    start = rng.randint(0, members)
    done = rng.randint(0, members)
    differed = rng.randint(0, start)
    counts = {
        "members": members,
        "learners": learners,
        "faculty": faculty,
        "started": start,
        "completed": done,
        "differed": differed,
    }
    needs = [Need(pk=i, name=f"Need {i}", slug=f"n{i}") for i in range(4)]
    roles = [Role(pk=i, name=f"Role {i}", slug=f"r{i}", published=True) for i in range(4)]
    holds = sorted(rng.randint(0, members) for _ in range(5))
    for i in range(4):
        counts[f"main-{i}"] = rng.randint(0, 12)
        counts[f"other-{i}"] = rng.randint(0, 12)
        counts[f"recommended-{i}"] = rng.randint(0, 12)
        counts[f"chosen-{i}"] = rng.randint(0, 12)
        counts[f"holds-{i}"] = holds[i + 1]
    counts["holds-all"] = holds[0]
    tables = figures._tables(counts, needs, roles)
    part = tables["participation"]
    row = {r.key: r for r in part.rows}
    # Members = Learners + Faculty: never exactly one of the three hidden.
    assert sum(row[k].suppressed for k in ("members", "learners", "faculty")) != 1
    # A shown part of a shown whole leaves a difference of 0 or at least 5.
    pairs = [("members", k) for k in ("learners", "faculty", "started", "completed")] + [("started", "differed")]
    for whole, part_key in pairs:
        if not row[whole].suppressed and not row[part_key].suppressed:
            rest = row[whole].cells[0].value - row[part_key].cells[0].value
            assert rest == 0 or rest >= SMALL_CELL, (whole, part_key, counts)
    # Percentages are hidden with their counts.
    for r in part.rows:
        assert r.cells[0].suppressed == r.cells[1].suppressed
    for slug in ("needs", "roles"):
        check_no_single_hidden_cell(tables[slug])
    coverage = tables["coverage"]
    every = coverage.row("all")
    for r in coverage.rows:
        if r is not every and not r.suppressed and not every.suppressed:
            rest = r.cells[0].value - every.cells[0].value
            assert rest == 0 or rest >= SMALL_CELL


# --- (b) and (c): only whole periods ------------------------------------------------------


@pytest.mark.parametrize("url", ["/program/im/", "/program/im/figures.csv"])
def test_b_c_day_slicing_is_refused(dana_client, program, url):
    cohort(program, learners=30)
    first = dana_client.get(url, {"start": "2026-01-12", "end": "2026-03-31"})
    second = dana_client.get(url, {"start": "2026-01-13", "end": "2026-03-31"})
    if url.endswith(".csv"):
        assert first.status_code == second.status_code == 302  # back to the page, which says why
    else:
        assert "Figures cover whole periods only" in first.text
        assert first.context["period"] == second.context["period"] == first.context["offered"][0]


def test_b_c_periods_are_whole_months_and_never_the_month_in_progress():
    for today in (
        datetime.date(2026, 7, 3),
        datetime.date(2026, 8, 31),
        datetime.date(2027, 1, 1),
        datetime.date(2026, 11, 26),
    ):
        for period in figures.candidate_periods(today):
            assert period.start.day == 1
            assert period.until.day == 1
            assert period.until <= month_start(today)
    assert [p.key for p in figures.candidate_periods(datetime.date(2026, 7, 3))] == [
        "last-3-months",
        "last-12-months",
        "last-year",
    ]
    this_year = figures.candidate_periods(datetime.date(2026, 11, 26))[0]
    assert (this_year.start, this_year.end) == (datetime.date(2026, 7, 1), datetime.date(2026, 10, 31))


def test_b_a_period_one_person_away_from_another_is_not_offered(program):
    """This academic year so far (Jul-Oct) and the last 3 months (Aug-Oct) differ by July alone:
    one person's worksheet there would be laid bare by comparing the two, so the second is refused."""
    today = datetime.date(2026, 11, 20)
    people = cohort(program, learners=12)
    for user in people[:8]:
        started(user, "access", datetime.date(2026, 9, 10))
    started(people[11], "wisdom", datetime.date(2026, 7, 14))
    offered, refused = figures.offered_periods(program, today)
    keys = [p.key for p in offered]
    assert "this-year" in keys
    assert "last-3-months" not in keys
    assert "differs from" in refused["last-3-months"]

    # With five people active in July, the comparison hides in a crowd and both are offered.
    for user in people[:4]:
        started(user, "content", datetime.date(2026, 7, 20))
    offered, _ = figures.offered_periods(program, today)
    assert {"this-year", "last-3-months"} <= {p.key for p in offered}


def test_c_a_small_month_of_check_ins_is_hidden_in_every_offered_period(dana_client, program):
    people = cohort(program, learners=10)
    for user in people[:3]:
        member = BoardMember.add(owner=user, roles=[Role.objects.get(slug="coach")], status="active", name="C")
        CheckIn.objects.create(member=member, held_on=M + datetime.timedelta(days=3))
    for period in dana_client.get("/program/im/").context["offered"]:
        values = csv_values(dana_client.get("/program/im/figures.csv", {"period": period.key}))
        assert values[("Check-ins logged per month", f"{M:%B %Y}", "Check-ins")] == SUPPRESSED


def test_b_a_refused_period_asked_for_by_name_says_why(dana_client, program, monkeypatch):
    monkeypatch.setattr(
        figures,
        "offered_periods",
        lambda p, today=None: (
            figures.candidate_periods(today)[:1],
            {"last-year": "Last academic year is not shown: it differs."},
        ),
    )
    response = dana_client.get("/program/im/", {"period": "last-year"})
    assert response.status_code == 400
    assert "Last academic year is not shown" in response.text


# --- (d) remove and re-add ----------------------------------------------------------------


def test_d_removing_and_re_adding_someone_changes_nothing_shown(dana_client, program):
    client = Client()
    people = cohort(program, learners=9)
    for user in people:
        started(user, "access" if user != people[0] else "wisdom", M)
    target = people[0]
    before = [
        dana_client.get("/program/im/figures.csv", {"period": p.key}).content
        for p in dana_client.get("/program/im/").context["offered"]
    ]

    membership = program.memberships.get(user=target)
    assert dana_client.post(f"/program/im/members/{membership.pk}/remove/").status_code == 302
    after_removal = [
        dana_client.get("/program/im/figures.csv", {"period": p.key}).content
        for p in dana_client.get("/program/im/").context["offered"]
    ]
    assert after_removal == before

    dana_client.post("/program/im/members/invite/", {"addresses": target.email, "kind": "learner"})
    invitation_link = re.search(r"/program/invitation/\S+/", mail.outbox[-1].body).group(0)
    client.force_login(target)
    client.get(invitation_link)
    pending = target.invitations.filter(answered_at__isnull=True, revoked_at__isnull=True).get()
    client.post(f"/program/invitations/{pending.pk}/answer/", {"answer": "accept"})
    after_re_adding = [
        dana_client.get("/program/im/figures.csv", {"period": p.key}).content
        for p in dana_client.get("/program/im/").context["offered"]
    ]
    assert after_re_adding == before
    # The membership carries on as if never interrupted: one open membership, counted as before.
    membership = program.memberships.get(user=target, left_at__isnull=True)
    assert membership.state == "active"
    assert membership.counts_from == month_start(timezone.localdate(LONG_AGO), 2)


def test_d_a_removed_person_counts_until_the_end_of_the_month_they_left(program):
    (person,) = cohort(program, learners=1)
    membership = program.memberships.get(user=person)
    membership.remove()
    membership.refresh_from_db()
    assert membership.counts_until == month_start(timezone.localdate(), 1)
    assert not program.participants().filter(pk=person.pk).exists()


def test_d_someone_added_today_counts_only_after_a_full_calendar_month(program):
    (person,) = cohort(program, learners=1)
    membership = program.memberships.get(user=person)
    membership.activate()
    membership.save()
    assert membership.counts_from == month_start(timezone.localdate(), 2)


# --- (e) cross-program invitation -------------------------------------------------------------


@pytest.fixture
def other_program_member(db):
    surgery = Program.objects.create(name="Surgery Residency", slug="surgery")
    alice = make_user("alice", first_name="Alice", last_name="Ames")
    surgery.add_member(alice, Membership.Kind.LEARNER, since=LONG_AGO)
    started(alice, "wisdom", M)
    return alice


def result_text(response, address: str) -> str:
    main = response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return main.replace(address, "ADDRESS")


def test_e_inviting_an_existing_account_reads_exactly_like_a_new_address(dana_client, program, other_program_member):
    cohort(program, learners=9)
    figures_before = dana_client.get("/program/im/figures.csv").content
    pages = []
    for address in ("alice@example.org", "nobody@example.org"):
        sent = dana_client.post("/program/im/members/invite/", {"addresses": f"Someone <{address}>", "kind": "learner"})
        assert sent.status_code == 302
        pages.append(sent.url)
    # Both lists sent at the same minute, so the page's "sent on" line cannot tell them apart either.
    InvitationBatch.objects.update(created_at=timezone.now())
    existing, new = (dana_client.get(url) for url in pages)
    assert "Invitation sent to 1 address." in existing.text
    assert result_text(existing, "alice@example.org") == result_text(new, "nobody@example.org")
    assert "Alice" not in existing.text and "Ames" not in existing.text and "Joined" not in existing.text
    members = dana_client.get("/program/im/members/", {"state": "pending"}).text
    assert "Alice" not in members and "Ames" not in members
    assert members.count("Invitation sent") == 2
    # Nothing of hers counts, not even her membership.
    assert dana_client.get("/program/im/figures.csv").content == figures_before
    assert program.memberships.get(user=other_program_member).state == "pending"


def test_e_searching_for_the_accounts_name_finds_nothing(dana_client, program, other_program_member):
    dana_client.post(
        "/program/im/members/invite/", {"addresses": "a.ames@example.org, alice@example.org", "kind": "learner"}
    )
    page = dana_client.get("/program/im/members/", {"q": "Ames"})
    assert [m.invite_email for m in page.context["page"].object_list] == ["a.ames@example.org"]


def test_e_after_accepting_she_counts_only_once_settled(dana_client, program, other_program_member):
    client = Client()
    cohort(program, learners=9)
    figures_before = dana_client.get("/program/im/figures.csv").content
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    client.force_login(other_program_member)
    invitation = other_program_member.invitations.get(program=program)
    assert "Internal Medicine Residency" in client.get("/program/invitations/").text
    client.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "accept"})
    membership = program.memberships.get(user=other_program_member)
    assert membership.state == "active"
    assert membership.counts_from == month_start(timezone.localdate(), 2)
    assert dana_client.get("/program/im/figures.csv").content == figures_before
    assert "Alice Ames" in dana_client.get("/program/im/members/").text  # a member now, by her choice


def test_e_declining_removes_the_pending_membership(program, dana_client, other_program_member):
    client = Client()
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    invitation = other_program_member.invitations.get(program=program)
    client.force_login(other_program_member)
    response = client.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "decline"})
    assert response.status_code == 302
    assert not program.memberships.filter(user=other_program_member).exists()


def test_e_nobody_else_can_answer_an_invitation(program, dana_client, other_program_member):
    client = Client()
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    invitation = other_program_member.invitations.get(program=program)
    client.force_login(make_user("mallory"))
    assert client.post(f"/program/invitations/{invitation.pk}/answer/", {"answer": "accept"}).status_code == 404
    assert program.memberships.get(user=other_program_member).state == "pending"
    link = re.search(r"/program/invitation/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(link)
    assert response.status_code == 403
    assert "another account" in response.text
    assert "Alice" not in response.text


def test_e_the_email_link_asks_an_existing_account_to_sign_in_first(program, dana_client, other_program_member):
    client = Client()
    dana_client.post("/program/im/members/invite/", {"addresses": "alice@example.org", "kind": "learner"})
    link = re.search(r"/program/invitation/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(other_program_member)
    assert client.get(link).url == "/program/invitations/"


def test_every_pair_of_offered_periods_differs_by_nobody_or_enough_people(program):
    today = datetime.date(2026, 11, 20)
    people = cohort(program, learners=15)
    rng = random.Random(7)
    for user in people:
        for _ in range(2):
            started(
                user,
                rng.choice(["access", "clarity"]),
                datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 680)),
            )
    offered, _ = figures.offered_periods(program, today)
    for p, q in itertools.combinations(offered, 2):
        days = figures._gaps(p, q)
        active = {
            w.owner_id
            for w in Worksheet.objects.filter(owner__in=people)
            if any(
                lo <= timezone.localdate(w.created_at) < hi
                or (w.completed_at and lo <= timezone.localdate(w.completed_at) < hi)
                for lo, hi in days
            )
        }
        assert len(active) == 0 or len(active) >= SMALL_CELL, (p.key, q.key, len(active))


def test_cells_and_rows_protect_together():
    row = Row("Faculty", [Cell(30, 30), figures.share(30, 60)])
    row.protect()
    assert [c.display for c in row.cells] == [SUPPRESSED, SUPPRESSED]


def test_period_spans_read_naturally():
    assert Period("a", "", datetime.date(2026, 7, 1), datetime.date(2026, 10, 31)).span() == "July to October 2026"
    assert (
        Period("a", "", datetime.date(2025, 11, 1), datetime.date(2026, 10, 31)).span()
        == "November 2025 to October 2026"
    )
    assert Period("a", "", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)).span() == "March 2026"
