"""The program dashboard's figures, checked against counts worked out by hand.

Dates are relative to today: M is the last whole month (the month in progress never counts).
The fixture: program "im" has ten learners (l1..l10), three faculty (f1..f3) and a director,
all members for two years. In month M:
- l1..l6 each completed a worksheet naming access, recommended a sponsor; l1..l5 chose the
  sponsor, l6 chose a coach; l1 also started a second access worksheet;
- l7 started a draft naming clarity, with content expertise as another need (coach recommended);
- l8 started a draft naming content expertise (advisor recommended).
Nine months before M, f1 completed a worksheet naming wisdom. A stranger outside the program
named access in M too; they must never count.

Boards (since before M): l1..l6 and f1 have all four roles held by active members; l7 has a
sponsor and a coach active, a mentor and an advisor only prospective; l8 has an active mentor and
a concluded advisor. Check-ins: l1..l6 one each in M and l1 two more (8 by 6 people); l1 and l2
one each in the month before M (2 by 2 people); l3 one in the month in progress.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devboard.board.models import BoardMember, CheckIn
from devboard.models import User
from devboard.programs import figures
from devboard.programs.figures import SMALL_CELL, SUPPRESSED, Cell, Period, Row, Table, for_program, share
from devboard.programs.models import Membership, Program, month_start
from devboard.spreadsheet import safe_cell
from roles.models import Need, Role
from tests.factories import make_user, sign_in_with_second_factor
from worksheets.models import Worksheet

THIS_MONTH = month_start(timezone.localdate())
M = month_start(THIS_MONTH, -1)
BEFORE = month_start(M, -1)
MONTH_M = Period("m", "Month M", M, THIS_MONTH - datetime.timedelta(days=1))
TWO_MONTHS = Period("mm", "Two months", BEFORE, THIS_MONTH - datetime.timedelta(days=1))
LONG_AGO = timezone.now() - datetime.timedelta(days=730)


def day(month: datetime.date, n: int) -> datetime.datetime:
    return datetime.datetime.combine(month + datetime.timedelta(days=n - 1), datetime.time(12), tzinfo=datetime.UTC)


def worksheet(owner, need, when, *, recommended=None, chosen=None, completed=False, others=()):
    ws = Worksheet.objects.create(
        owner=owner,
        primary_need=Need.objects.get(slug=need),
        recommended_role=Role.objects.get(slug=recommended) if recommended else None,
        chosen_role=Role.objects.get(slug=chosen) if chosen else None,
        status=Worksheet.Status.COMPLETED if completed else Worksheet.Status.DRAFT,
        completed_at=when if completed else None,
    )
    ws.other_needs.set(Need.objects.filter(slug__in=others))
    Worksheet.objects.filter(pk=ws.pk).update(created_at=when)
    return ws


@pytest.fixture
def program(db):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    learners = [make_user(f"l{i}") for i in range(1, 11)]
    faculty = [make_user(f"f{i}") for i in range(1, 4)]
    for user in learners:
        program.add_member(user, Membership.Kind.LEARNER, since=LONG_AGO)
    for user in faculty:
        program.add_member(user, Membership.Kind.FACULTY, since=LONG_AGO)
    program.add_member(make_user("dana"), Membership.Kind.DIRECTOR, since=LONG_AGO)
    for i, user in enumerate(learners[:6], start=1):
        worksheet(
            user, "access", day(M, i), recommended="sponsor", chosen="sponsor" if i < 6 else "coach", completed=True
        )
    worksheet(learners[0], "access", day(M, 20), recommended="sponsor")
    worksheet(learners[6], "clarity", day(M, 10), recommended="coach", others=["content"])
    worksheet(learners[7], "content", day(M, 11), recommended="advisor")
    worksheet(faculty[0], "wisdom", day(month_start(M, -9), 1), recommended="mentor", chosen="mentor", completed=True)
    stranger = make_user("stranger")
    worksheet(stranger, "access", day(M, 5), recommended="sponsor", completed=True)

    roles = {r.slug: r for r in Role.objects.all()}
    all_four = list(roles.values())
    active, since = BoardMember.Status.ACTIVE, month_start(M, -3)
    boards = {}
    for user in [*learners[:6], faculty[0], stranger]:
        boards[user.username] = BoardMember.add(owner=user, roles=all_four, status=active, name="Dr. Board", on=since)
    BoardMember.add(owner=learners[6], roles=[roles["sponsor"], roles["coach"]], status=active, name="Dr. A", on=since)
    BoardMember.add(owner=learners[6], roles=[roles["mentor"], roles["advisor"]], name="Dr. Maybe", on=since)
    BoardMember.add(owner=learners[7], roles=[roles["mentor"]], status=active, name="Dr. M", on=since)
    BoardMember.add(
        owner=learners[7],
        roles=[roles["advisor"]],
        status=BoardMember.Status.CONCLUDED,
        afterwards=BoardMember.Afterwards.PEER,
        name="Dr. Done",
        on=since,
    )
    for name in ("l1", "l2", "l3", "l4", "l5", "l6", "l1", "l1", "stranger"):
        CheckIn.objects.create(member=boards[name], held_on=M + datetime.timedelta(days=14))
    for name in ("l1", "l2"):
        CheckIn.objects.create(member=boards[name], held_on=BEFORE + datetime.timedelta(days=2))
    CheckIn.objects.create(member=boards["l3"], held_on=THIS_MONTH)
    return program


@pytest.fixture
def dana_client(client, program):
    sign_in_with_second_factor(client, User.objects.get(username="dana"))
    return client


def table(tables, slug):
    found = next(t for t in tables if t.slug == slug)
    return {row.label: [cell.display for cell in row.cells] for row in found.rows}


def test_participation_counts_people_and_hides_the_learners_beside_a_small_faculty(program):
    figures_ = table(for_program(program, MONTH_M), "participation")
    assert figures_["Members"] == ["13", "100%"]
    # Faculty (3) is small; Learners would give it away as 13 - 10, so it is hidden too.
    assert figures_["Faculty"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Learners"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Started a worksheet"] == ["8", "62%"]
    assert figures_["Completed a worksheet"] == ["6", "46%"]
    assert figures_["Chose a role other than the one recommended"] == [SUPPRESSED, SUPPRESSED]


def test_needs_named_count_people_not_worksheets(program):
    figures_ = table(for_program(program, MONTH_M), "needs")
    # l1 named access twice: still six people.
    assert figures_["Access"] == ["6", SUPPRESSED]
    assert figures_["Clarity"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Content expertise"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Wisdom"] == [SUPPRESSED, SUPPRESSED]


def test_roles_recommended_and_chosen(program):
    figures_ = table(for_program(program, MONTH_M), "roles")
    assert figures_["Sponsor"] == ["6", "5"]
    assert figures_["Coach"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Mentor"] == [SUPPRESSED, SUPPRESSED]


def test_board_coverage_counts_roles_held_by_active_members_at_the_end_of_the_period(program):
    figures_ = table(for_program(program, MONTH_M), "coverage")
    assert figures_["Mentor"] == ["8", "62%"]
    assert figures_["Sponsor"] == ["8", "62%"]
    assert figures_["Coach"] == ["8", "62%"]
    assert figures_["Advisor"] == ["7", "54%"]
    # 7 hold all four, so "a mentor but not all four" would be 8 - 7 = 1: hidden.
    assert figures_["All 4 roles"] == [SUPPRESSED, SUPPRESSED]


def test_coverage_follows_the_board_as_it_was(program):
    """A role ended after the period does not change the period's figures."""
    from devboard.board.models import BoardRole

    BoardRole.objects.filter(member__owner__username="l1").update(ended_on=THIS_MONTH)
    assert table(for_program(program, MONTH_M), "coverage")["Mentor"] == ["8", "62%"]


def test_check_ins_per_month_with_small_months_suppressed(program):
    figures_ = table(for_program(program, TWO_MONTHS), "checkins")
    assert figures_ == {
        f"{BEFORE:%B %Y}": [SUPPRESSED, SUPPRESSED],
        f"{M:%B %Y}": ["8", "6"],
    }


def test_a_wider_period_takes_in_older_worksheets(program):
    year = Period("y", "Year", month_start(M, -11), MONTH_M.end)
    tables = for_program(program, year)
    assert tables[0].row("started").cells[0].value == 9
    figures_ = table(tables, "participation")
    # 13 members - 9 who started = 4 who did not: a small count, so "started" is hidden.
    assert figures_["Started a worksheet"] == [SUPPRESSED, SUPPRESSED]
    assert figures_["Completed a worksheet"] == ["7", "54%"]


def test_the_figures_under_the_suppression_hold_the_true_counts(program):
    roles = next(t for t in for_program(program, MONTH_M) if t.slug == "roles")
    coach = next(r for r in roles.rows if r.label == "Coach")
    assert [c.value for c in coach.cells] == [1, 1]


@pytest.mark.parametrize(
    "cell, shown",
    [
        (Cell(0, 0), SUPPRESSED),
        (Cell(4, 4), SUPPRESSED),
        (Cell(5, 5), "5"),
        (share(4, 10), SUPPRESSED),
        (share(5, 10), "50%"),
        (Cell(40, 4), SUPPRESSED),  # forty check-ins by four people still single people out
        (Cell(40, 40, protected=True), SUPPRESSED),
    ],
)
def test_small_cells_show_as_fewer_than_five(cell, shown):
    assert SMALL_CELL == 5
    assert cell.display == shown


# --- chart scaling ---------------------------------------------------------------------------


def chart(rows, *, chart="bars", columns=(0, 1)):
    return Table("t", "T", "", ["A", "B"], [Row(label, cells) for label, cells in rows], columns, chart)


def test_grouped_bars_share_one_axis():
    """Coach recommended 8 and chosen 7: the chosen bar is shorter, whatever the other rows hold."""
    table_ = chart([("Coach", [Cell(8, 8), Cell(7, 7)]), ("Sponsor", [Cell(20, 20), Cell(7, 7)])])
    coach, sponsor = table_.bars()
    assert coach["bars"][1]["length"] < coach["bars"][0]["length"]
    assert coach["bars"][1]["length"] == sponsor["bars"][1]["length"]
    assert table_.axis_max() == 20
    assert coach["bars"][0]["length"] == 40.0


def test_percentage_bars_sit_on_a_0_to_100_axis():
    table_ = chart(
        [("Mentor", [Cell(9, 9), share(72, 100)]), ("Coach", [Cell(5, 5), share(40, 100)])],
        chart="percent",
        columns=(1,),
    )
    mentor, coach = table_.bars()
    assert mentor["bars"][0]["length"] == 72
    assert coach["bars"][0]["length"] == 40
    assert [t["label"] for t in table_.ticks()] == ["0%", "25%", "50%", "75%", "100%"]


def test_a_suppressed_value_never_sets_the_axis():
    table_ = chart([("A", [Cell(3, 3), Cell(8, 8)]), ("B", [Cell(6, 6), Cell(5, 5)])])
    assert table_.axis_max() == 8
    assert table_.bars()[0]["bars"][0]["length"] == 0


@pytest.mark.parametrize("n, top", [(0, 0), (1, 1), (3, 4), (7, 8), (9, 10), (13, 20), (38, 40), (41, 50), (260, 400)])
def test_the_axis_ends_on_a_round_number(n, top):
    assert figures.nice_ceiling(n) == top


def test_ticks_mark_quarters_of_the_axis():
    table_ = chart([("A", [Cell(38, 38), Cell(10, 10)])])
    assert [t["value"] for t in table_.ticks()] == [0, 10, 20, 30, 40]


# --- the page and the CSV --------------------------------------------------------------------


def test_the_page_shows_whole_periods_only(dana_client):
    response = dana_client.get("/program/im/")
    assert response.status_code == 200
    period = response.context["period"]
    assert period.start.day == 1
    assert period.end < THIS_MONTH  # the month in progress is left out
    assert (period.end + datetime.timedelta(days=1)).day == 1
    assert "fewer than 5" in response.text


def test_the_page_offers_whole_periods_to_choose_from(dana_client):
    response = dana_client.get("/program/im/")
    keys = [p.key for p in response.context["offered"]]
    assert "last-3-months" in keys
    assert response.context["period"].key == keys[0]
    assert '<option value="last-3-months"' in response.text


def test_the_page_never_prints_a_suppressed_count(dana_client):
    html = dana_client.get("/program/im/", {"period": "last-3-months"}).text
    assert '<td class="text-end">3</td>' not in html  # faculty
    assert '<td class="text-end">10</td>' not in html  # learners, which would give the faculty away
    assert '<td class="text-end">1</td>' not in html
    assert '<span class="bar-value">1</span>' not in html
    assert '<td class="text-end text-body-secondary">fewer than 5</td>' in html


def test_the_page_has_tiles_a_funnel_and_tables_behind_show_table(dana_client):
    response = dana_client.get("/program/im/", {"period": "last-3-months"})
    html = response.text
    assert [t.label for t in response.context["tiles"]] == [
        "Members",
        "Started a worksheet",
        "Completed a worksheet",
        "Someone in every role",
    ]
    assert 'class="funnel list-unstyled"' in html
    assert html.count("Show table") == 5
    assert html.count("<table") == 5  # every table stays in the page for screen readers


def test_the_role_charts_carry_each_roles_icon_and_colour(dana_client):
    html = dana_client.get("/program/im/", {"period": "last-3-months"}).text
    for figure in ("roles", "coverage"):
        chart = html[html.index(f'<section class="figure figure-{figure}"') :]
        chart = chart[: chart.index("</section>")]
        for slug in ("mentor", "sponsor", "coach", "advisor"):
            assert f'<span class="role-text role-{slug}"><svg class="role-icon"' in chart, (figure, slug)
    needs = html[html.index('<section class="figure figure-needs"') :]
    assert "role-icon" not in needs[: needs.index("</section>")]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "9999-12-01", "end": "9999-12-31"},
        {"start": "2026-01-12", "end": "2026-03-31"},
        {"start": "not-a-date"},
    ],
)
def test_chosen_dates_are_refused_with_a_message_never_a_500(dana_client, query):
    response = dana_client.get("/program/im/", query)
    assert response.status_code == 200
    assert "Figures cover whole periods only, not chosen dates." in response.text
    assert response.context["period"] == response.context["offered"][0]


@pytest.mark.parametrize("value", ["9999-12", "nonsense", "", "%00", "x" * 5000])
def test_an_unknown_period_is_a_clear_message(dana_client, value):
    response = dana_client.get("/program/im/", {"period": value})
    assert response.status_code == 400
    assert '<a href="#period">There are no figures for that period. Choose one' in response.text  # the error summary
    assert "<title>Error:" in response.text


def test_the_csv_of_a_refused_period_goes_back_to_the_page(dana_client):
    response = dana_client.get("/program/im/figures.csv", {"start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 302
    assert response.url.startswith("/program/im/?")


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_same_figures(dana_client):
    response = dana_client.get("/program/im/figures.csv", {"period": "last-3-months"})
    period = response.wsgi_request and dana_client.get("/program/im/", {"period": "last-3-months"}).context["period"]
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="im-figures-{period.start:%Y-%m}-to-{period.end:%Y-%m}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    value = {(r["Figure"], r["Item"], r["Measure"]): r["Value"] for r in rows}
    assert value[("Participation", "Members", "People")] == "13"
    assert value[("Participation", "Started a worksheet", "People")] == "8"
    assert value[("Needs named", "Access", "As the main need")] == "6"
    assert value[("Roles recommended and chosen", "Sponsor", "Recommended")] == "6"
    assert rows[0]["Period"] == "The last 3 whole months"
    assert rows[0]["From"] == str(period.start) and rows[0]["To"] == str(period.end)


def test_the_csv_suppresses_small_counts_and_their_complements(dana_client):
    rows = read_csv(dana_client.get("/program/im/figures.csv", {"period": "last-3-months"}))
    value = {(r["Figure"], r["Item"], r["Measure"]): r["Value"] for r in rows}
    assert value[("Participation", "Faculty", "People")] == "fewer than 5"
    assert value[("Participation", "Learners", "People")] == "fewer than 5"
    assert value[("Roles recommended and chosen", "Coach", "Chosen")] == "fewer than 5"
    numbers = [int(r["Value"].rstrip("%")) for r in rows if r["Value"].rstrip("%").isdigit() and "%" not in r["Value"]]
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
    Program.objects.filter(pk=program.pk).update(name="=cmd|'/c calc'!A1")
    Need.objects.filter(slug="access").update(name="@Access")
    rows = read_csv(dana_client.get("/program/im/figures.csv", {"period": "last-3-months"}))
    assert {r["Program"] for r in rows} == {"'=cmd|'/c calc'!A1"}
    assert any(r["Item"] == "'@Access" for r in rows)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def grow(program, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        user = make_user(f"extra{i}")
        program.add_member(user, Membership.Kind.LEARNER, since=LONG_AGO)
        worksheet(user, "wisdom", day(M, 12), recommended="mentor", chosen="mentor", completed=True)
        member = BoardMember.add(
            owner=user, roles=list(Role.objects.all()), status=BoardMember.Status.ACTIVE, name="Dr. X", on=BEFORE
        )
        CheckIn.objects.create(member=member, held_on=M + datetime.timedelta(days=19))


@pytest.mark.parametrize(
    "url", ["/program/im/?period=last-3-months", "/program/im/figures.csv?period=last-3-months", "/program/"]
)
def test_the_query_count_does_not_grow_with_the_program(dana_client, program, url, settings):
    settings.PROGRAM_FIGURES_MAX_AGE = 86400  # pages read the figures the worker counted
    dana_client.get(url)  # the first view of the month counts them
    with CaptureQueriesContext(connection) as before:
        dana_client.get(url)
    grow(program, 30)
    figures.refresh(program)  # the worker counts again
    with CaptureQueriesContext(connection) as after:
        response = dana_client.get(url)
    assert response.status_code == 200
    assert len(after) == len(before) <= 10, [q["sql"][:120] for q in after.captured_queries]


def test_the_wider_program_shows_the_new_members(dana_client, program):
    grow(program, 5)
    response = dana_client.get("/program/im/", {"period": "last-3-months"})
    assert table(response.context["tables"], "needs")["Wisdom"] == ["5", SUPPRESSED]


def test_the_demo_program_shows_real_figures_and_a_suppressed_cell(client, db):
    from devboard.programs import demo

    users = {n: make_user(n) for n in ("resident", "faculty", "director")}
    demo.create(users)
    sign_in_with_second_factor(client, users["director"])
    response = client.get("/program/internal-medicine/", {"period": "last-12-months"})
    assert response.status_code == 200
    assert "fewer than 5" in response.text  # the rare need and the rare choice stay hidden
    # 30 cohort members + resident + faculty
    assert table(response.context["tables"], "participation")["Members"] == ["32", "100%"]
