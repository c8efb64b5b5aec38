"""The program dashboard's figures, checked against counts worked out by hand.

The fixture: program "im" has six learners (l1..l6), three faculty (f1..f3) and a
director. In March 2026:
- l1..l5 each completed a worksheet naming access, recommended a sponsor;
  l1..l4 chose the sponsor, l5 chose a coach; l1 also started a second access worksheet;
- l6 started a draft naming clarity, with content expertise as another need.
In 2025, f1 completed a worksheet naming wisdom (outside the default test period).
A stranger outside the program named access in March too; they must never count.

Boards today: l1..l4 and f1 have all four roles held by active members; l5 has
a sponsor and a coach active, and a mentor and an advisor only prospective; l6 has
an active mentor and a concluded advisor. The stranger has all four. Check-ins:
l1..l5 one each in March 2026 and l1 two more (7 by 5 people); l1 and l2 one each
in February (2 by 2 people).
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from devboard.board.models import BoardMember, CheckIn
from devboard.models import User
from devboard.programs.figures import SMALL_CELL, SUPPRESSED, Cell, Period, for_program, share
from devboard.programs.models import Membership, Program
from devboard.spreadsheet import safe_cell
from roles.models import Need, Role
from tests.factories import make_user, sign_in_with_second_factor
from worksheets.models import Worksheet

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T16:00:00").replace(tzinfo=datetime.UTC)


def worksheet(owner, need, day, *, recommended=None, chosen=None, completed=False, others=()):
    ws = Worksheet.objects.create(
        owner=owner,
        primary_need=Need.objects.get(slug=need),
        recommended_role=Role.objects.get(slug=recommended) if recommended else None,
        chosen_role=Role.objects.get(slug=chosen) if chosen else None,
        status=Worksheet.Status.COMPLETED if completed else Worksheet.Status.DRAFT,
        completed_at=at(day) if completed else None,
    )
    ws.other_needs.set(Need.objects.filter(slug__in=others))
    Worksheet.objects.filter(pk=ws.pk).update(created_at=at(day))
    return ws


@pytest.fixture
def program(db):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    learners = [make_user(f"l{i}") for i in range(1, 7)]
    faculty = [make_user(f"f{i}") for i in range(1, 4)]
    for user in learners:
        program.add_member(user, Membership.Kind.LEARNER)
    for user in faculty:
        program.add_member(user, Membership.Kind.FACULTY)
    director = make_user("dana")
    program.add_member(director, Membership.Kind.DIRECTOR)
    for i, user in enumerate(learners[:5], start=1):
        worksheet(
            user,
            "access",
            f"2026-03-0{i}",
            recommended="sponsor",
            chosen="sponsor" if i < 5 else "coach",
            completed=True,
        )
    worksheet(learners[0], "access", "2026-03-20", recommended="sponsor")
    worksheet(learners[5], "clarity", "2026-03-10", recommended="coach", others=["content"])
    worksheet(faculty[0], "wisdom", "2025-06-01", recommended="mentor", chosen="mentor", completed=True)
    stranger = make_user("stranger")
    worksheet(stranger, "access", "2026-03-05", recommended="sponsor", completed=True)

    roles = {r.slug: r for r in Role.objects.all()}
    all_four = list(roles.values())
    active = BoardMember.Status.ACTIVE
    boards = {}
    for user in [*learners[:4], faculty[0], stranger]:
        boards[user.username] = BoardMember.add(owner=user, roles=all_four, status=active, name="Dr. Board")
    boards["l5"] = BoardMember.add(
        owner=learners[4], roles=[roles["sponsor"], roles["coach"]], status=active, name="Dr. A"
    )
    BoardMember.add(owner=learners[4], roles=[roles["mentor"], roles["advisor"]], name="Dr. Maybe")
    BoardMember.add(owner=learners[5], roles=[roles["mentor"]], status=active, name="Dr. M")
    BoardMember.add(
        owner=learners[5],
        roles=[roles["advisor"]],
        status=BoardMember.Status.CONCLUDED,
        afterwards=BoardMember.Afterwards.PEER,
        name="Dr. Done",
    )
    for name in ("l1", "l2", "l3", "l4", "l5", "l1", "l1", "stranger"):
        CheckIn.objects.create(member=boards[name], held_on=datetime.date(2026, 3, 15))
    for name in ("l1", "l2"):
        CheckIn.objects.create(member=boards[name], held_on=datetime.date(2026, 2, 3))
    CheckIn.objects.create(member=boards["l3"], held_on=datetime.date(2026, 4, 1))
    return program


@pytest.fixture
def dana_client(client, program):
    sign_in_with_second_factor(client, User.objects.get(username="dana"))
    return client


def table(tables, slug):
    found = next(t for t in tables if t.slug == slug)
    return {row.label: [cell.display for cell in row.cells] for row in found.rows}


def test_participation_counts_people_in_the_period(program):
    figures = table(
        for_program(program, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))), "participation"
    )
    assert figures["Members"] == ["9", "100%"]
    assert figures["Learners"] == ["6", "67%"]
    assert figures["Faculty"] == [SUPPRESSED, SUPPRESSED]
    assert figures["Started a worksheet"] == ["6", "67%"]
    assert figures["Completed a worksheet"] == ["5", "56%"]
    assert figures["Chose a role other than the one recommended"] == [SUPPRESSED, SUPPRESSED]


def test_needs_named_count_people_not_worksheets(program):
    figures = table(for_program(program, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))), "needs")
    # l1 named access twice: still five people.
    assert figures["Access"] == ["5", SUPPRESSED]
    assert figures["Clarity"] == [SUPPRESSED, SUPPRESSED]
    assert figures["Content expertise"] == [SUPPRESSED, SUPPRESSED]
    assert figures["Wisdom"] == [SUPPRESSED, SUPPRESSED]


def test_roles_recommended_and_chosen(program):
    figures = table(for_program(program, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))), "roles")
    assert figures["Sponsor"] == ["5", SUPPRESSED]
    assert figures["Coach"] == [SUPPRESSED, SUPPRESSED]
    assert figures["Mentor"] == [SUPPRESSED, SUPPRESSED]


def test_board_coverage_counts_roles_held_by_active_members_today(program):
    figures = table(for_program(program, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))), "coverage")
    assert figures == {
        "Mentor": ["6", "67%"],
        "Sponsor": ["6", "67%"],
        "Coach": ["6", "67%"],
        "Advisor": ["5", "56%"],
        "All 4 roles": ["5", "56%"],
    }


def test_check_ins_per_month_with_small_months_suppressed(program):
    figures = table(for_program(program, Period(datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))), "checkins")
    assert figures == {
        "February 2026": [SUPPRESSED, SUPPRESSED],
        "March 2026": ["7", "5"],
    }


def test_a_wider_period_takes_in_older_worksheets(program):
    figures = table(
        for_program(program, Period(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))), "participation"
    )
    assert figures["Started a worksheet"] == ["7", "78%"]
    assert figures["Completed a worksheet"] == ["6", "67%"]


def test_the_figures_under_the_suppression_hold_the_true_counts(program):
    tables = for_program(program, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)))
    roles = next(t for t in tables if t.slug == "roles")
    sponsor = next(r for r in roles.rows if r.label == "Sponsor")
    assert [c.value for c in sponsor.cells] == [5, 4]


@pytest.mark.parametrize(
    "cell, shown",
    [
        (Cell(0, 0), SUPPRESSED),
        (Cell(4, 4), SUPPRESSED),
        (Cell(5, 5), "5"),
        (share(4, 10), SUPPRESSED),
        (share(5, 10), "50%"),
        (Cell(40, 4), SUPPRESSED),  # forty check-ins by four people still single people out
    ],
)
def test_small_cells_show_as_fewer_than_five(cell, shown):
    assert SMALL_CELL == 5
    assert cell.display == shown


def test_the_page_shows_figures_for_the_chosen_dates(dana_client):
    response = dana_client.get("/program/im/", MARCH)
    assert response.status_code == 200
    text = response.text
    assert "1 March 2026" in text and "31 March 2026" in text
    figures = table(response.context["tables"], "participation")
    assert figures["Started a worksheet"] == ["6", "67%"]
    assert "fewer than 5" in text


def test_the_page_never_prints_a_suppressed_count(dana_client):
    response = dana_client.get("/program/im/", MARCH)
    html = response.text
    # Faculty (3) and the one person who chose a coach must not appear as numbers in any cell.
    assert '<td class="text-end">3</td>' not in html
    assert '<td class="text-end">1</td>' not in html
    assert '<span class="bar-value">1</span>' not in html
    assert '<td class="text-end text-body-secondary">fewer than 5</td>' in html


def test_a_reversed_date_range_is_refused_and_the_default_period_shown(dana_client):
    response = dana_client.get("/program/im/", {"start": "2026-04-01", "end": "2026-03-01"})
    assert response.status_code == 200
    assert "The start date must be on or before the end date." in response.text
    assert response.context["period"] == Period.default()


def test_the_default_period_is_the_last_twelve_months():
    period = Period.default()
    today = timezone.localdate()
    assert period.end == today
    assert period.start.day == 1
    assert len(period.months()) == 12


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_same_figures(dana_client):
    response = dana_client.get("/program/im/figures.csv", MARCH)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="im-figures-2026-03-01-to-2026-03-31.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    value = {(r["Figure"], r["Item"], r["Measure"]): r["Value"] for r in rows}
    assert value[("Participation", "Members", "People")] == "9"
    assert value[("Participation", "Started a worksheet", "People")] == "6"
    assert value[("Needs named", "Access", "As the main need")] == "5"
    assert value[("Roles recommended and chosen", "Sponsor", "Recommended")] == "5"
    assert rows[0]["From"] == "2026-03-01" and rows[0]["To"] == "2026-03-31"


def test_the_csv_suppresses_small_counts(dana_client):
    rows = read_csv(dana_client.get("/program/im/figures.csv", MARCH))
    value = {(r["Figure"], r["Item"], r["Measure"]): r["Value"] for r in rows}
    assert value[("Participation", "Faculty", "People")] == "fewer than 5"
    assert value[("Roles recommended and chosen", "Sponsor", "Chosen")] == "fewer than 5"
    assert value[("Roles recommended and chosen", "Coach", "Chosen")] == "fewer than 5"
    numbers = [int(r["Value"]) for r in rows if r["Value"].isdigit()]
    assert numbers and min(numbers) >= 5


@pytest.mark.parametrize(
    "raw, safe",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Internal Medicine", "Internal Medicine"),
        ("fewer than 5", "fewer than 5"),
        ("", ""),
    ],
)
def test_spreadsheet_formulas_are_defused(raw, safe):
    assert safe_cell(raw) == safe


def test_the_csv_defuses_formulas_in_names_curated_by_anyone(dana_client, program):
    program.name = "=cmd|'/c calc'!A1"
    program.save()
    Need.objects.filter(slug="access").update(name="@Access")
    rows = read_csv(dana_client.get("/program/im/figures.csv", MARCH))
    assert {r["Program"] for r in rows} == {"'=cmd|'/c calc'!A1"}
    assert any(r["Item"] == "'@Access" for r in rows)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_the_dashboard_query_count_does_not_grow_with_the_program(dana_client, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        dana_client.get("/program/im/", MARCH)
    for i in range(5):
        user = make_user(f"extra{i}")
        program.add_member(user, Membership.Kind.LEARNER)
        worksheet(user, "wisdom", "2026-03-12", recommended="mentor", chosen="mentor", completed=True)
        member = BoardMember.add(
            owner=user, roles=list(Role.objects.all()), status=BoardMember.Status.ACTIVE, name="Dr. X"
        )
        CheckIn.objects.create(member=member, held_on=datetime.date(2026, 3, 20))
    with CaptureQueriesContext(connection) as after:
        response = dana_client.get("/program/im/", MARCH)
    assert table(response.context["tables"], "needs")["Wisdom"] == ["5", SUPPRESSED]
    assert len(after) == len(before)


def test_a_range_longer_than_five_years_is_refused(dana_client):
    response = dana_client.get("/program/im/", {"start": "2000-01-01", "end": "2026-03-31"})
    assert "Choose a range of five years or less." in response.text
    assert response.context["period"] == Period.default()


def test_the_demo_program_shows_real_figures_and_one_suppressed_cell(client, db):
    from devboard.programs import demo
    from tests.factories import make_user as _make_user

    users = {n: _make_user(n) for n in ("resident", "faculty", "director")}
    demo.create(users)
    sign_in_with_second_factor(client, users["director"])
    html = client.get("/program/internal-medicine/").content.decode()
    assert "fewer than 5" in html  # the rare need and the rare choice stay hidden
    # 30 cohort members + resident + faculty
    assert '<th scope="row" class="fw-normal">Members</th><td class="text-end">32</td>' in html
