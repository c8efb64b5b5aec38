"""Program pages at scale: the dashboard, its CSV and the program index read the figures the
worker counted (`ProgramFigures`), so a request costs the same few queries for 3 members or 2,000.

tests/settings.py counts figures afresh on every view; these tests put the production setting back.
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devboard.programs import figures
from devboard.programs.models import Membership, ProgramFigures, month_start
from roles.models import Need, Role
from tests.factories import make_program, make_user, sign_in_with_second_factor
from worksheets.models import Worksheet

LONG_AGO = timezone.now() - datetime.timedelta(days=730)
LAST_MONTH = month_start(timezone.localdate(), -1)
PAGES = ["/program/im/", "/program/im/figures.csv", "/program/"]
# Tables a page would read if it counted the figures itself.
ROWS = ('"worksheets_worksheet"', '"board_checkin"', '"board_boardrole"', '"board_statuschange"')


@pytest.fixture(autouse=True)
def production_ages(settings):
    settings.PROGRAM_FIGURES_REFRESH_AFTER = 600
    settings.PROGRAM_FIGURES_MAX_AGE = 86400


@pytest.fixture
def program(db):
    program = make_program()
    program.add_member(make_user("dana"), Membership.Kind.DIRECTOR, since=LONG_AGO)
    grow(program, 6)
    return program


@pytest.fixture
def dana_client(client, program):
    sign_in_with_second_factor(client, program.memberships.get(kind="director").user)
    return client


def grow(program, n: int, start: int = 0) -> None:
    """n more learners, members for two years, each with a worksheet completed last month."""
    for i in range(start, start + n):
        user = make_user(f"learner{i}")
        program.add_member(user, Membership.Kind.LEARNER, since=LONG_AGO)
        ws = Worksheet.objects.create(
            owner=user,
            primary_need=Need.objects.get(slug="wisdom"),
            recommended_role=Role.objects.get(slug="mentor"),
            chosen_role=Role.objects.get(slug="mentor"),
            status=Worksheet.Status.COMPLETED,
            completed_at=timezone.now(),
        )
        when = datetime.datetime.combine(LAST_MONTH, datetime.time(12), tzinfo=datetime.UTC)
        Worksheet.objects.filter(pk=ws.pk).update(created_at=when, completed_at=when)


def members_shown(response) -> str:
    tables = {t.slug: t for t in response.context["tables"]}
    return tables["participation"].row("members").cells[0].display


@pytest.mark.parametrize("url", PAGES)
def test_a_page_makes_the_same_few_queries_for_6_or_46_members(dana_client, program, url):
    dana_client.get(url)  # the first view of the month counts the figures
    with CaptureQueriesContext(connection) as small:
        assert dana_client.get(url).status_code == 200
    grow(program, 40, start=100)
    figures.refresh(program)  # what the worker does
    with CaptureQueriesContext(connection) as large:
        assert dana_client.get(url).status_code == 200
    assert len(small) == len(large) <= 8, [q["sql"][:100] for q in large.captured_queries]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_reads_no_worksheet_or_board_rows_once_the_figures_are_counted(dana_client, program, url):
    dana_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        dana_client.get(url)
    read = [q["sql"][:100] for q in queries.captured_queries if any(table in q["sql"] for table in ROWS)]
    assert read == []


def test_the_page_says_when_the_figures_were_counted(dana_client, program):
    response = dana_client.get("/program/im/")
    counted = timezone.localtime(ProgramFigures.objects.get(program=program).computed_at)
    assert f'Figures as of <time datetime="{counted.isoformat()}">{counted:%-d %B %Y, %H:%M}' in response.text
    assert "As of <time" in dana_client.get("/program/").text


def test_figures_from_the_worker_read_exactly_like_a_fresh_count(dana_client, program):
    grow(program, 2, start=100)  # 8 members: small cells and their complements to hide
    for period in dana_client.get("/program/im/").context["offered"]:
        shown = dana_client.get("/program/im/", {"period": period.key}).context["tables"]
        fresh = figures.for_program(program, period)
        assert [[(r.label, [c.display for c in r.cells]) for r in t.rows] for t in shown] == [
            [(r.label, [c.display for c in r.cells]) for r in t.rows] for t in fresh
        ]


def _minutes_pass(minutes: int) -> None:
    """The summary grows older, and the dashboard page kept for its director runs out (pagecache, `every`)."""
    ProgramFigures.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=minutes))
    caches["pages"].clear()


def test_old_figures_are_shown_and_counted_again_in_the_background_once(dana_client, program):
    assert members_shown(dana_client.get("/program/im/")) == "6"
    _minutes_pass(20)
    grow(program, 5, start=100)
    with mock.patch("devboard.programs.tasks.refresh_figures") as task:
        first = dana_client.get("/program/im/")
        assert members_shown(first) == "6"  # no waiting for the count
        assert dana_client.get("/program/im/").content == first.content
    task.enqueue.assert_called_once_with(program.pk)

    with CaptureQueriesContext(connection) as queued:
        dana_client.get("/program/im/")
    assert not [q for q in queued.captured_queries if q["sql"].startswith("UPDATE")]  # asks once, not each view

    ProgramFigures.objects.update(refresh_queued_at=None)  # the worker lost it
    _minutes_pass(20)
    dana_client.get("/program/im/")  # the test's task backend runs the refresh at once
    assert members_shown(dana_client.get("/program/im/")) == "11"


def test_figures_that_are_too_old_or_from_last_month_are_counted_before_answering(dana_client, program):
    dana_client.get("/program/im/")
    grow(program, 5, start=100)
    ProgramFigures.objects.update(computed_at=timezone.now() - datetime.timedelta(days=2))
    assert members_shown(dana_client.get("/program/im/")) == "11"

    grow(program, 5, start=200)
    ProgramFigures.objects.update(month=month_start(timezone.localdate(), -1))
    assert members_shown(dana_client.get("/program/im/")) == "16"


def test_a_change_in_the_guidance_is_counted_before_answering(dana_client, program):
    dana_client.get("/program/im/")
    Need.objects.create(slug="new-need", name="A new need", order=99)
    response = dana_client.get("/program/im/")
    needs = next(t for t in response.context["tables"] if t.slug == "needs")
    assert "A new need" in [row.label for row in needs.rows]
    assert ProgramFigures.objects.get(program=program).guidance == figures.guidance_key(*figures.guidance())


def test_the_scheduler_command_counts_every_program(program, capsys):
    other = make_program("Surgery", "surgery")
    call_command("refresh_figures")
    assert set(ProgramFigures.objects.values_list("program", flat=True)) == {program.pk, other.pk}
    ProgramFigures.objects.all().delete()
    call_command("refresh_figures", "--enqueue")  # the test's task backend runs each at once
    assert ProgramFigures.objects.count() == 2
    assert "Queued the figures of 2 program(s)" in capsys.readouterr().out


def test_the_workers_count_makes_the_same_queries_for_6_or_46_members(program):
    figures.refresh(program)  # the first count creates the row; later ones update it
    with CaptureQueriesContext(connection) as small:
        figures.refresh(program)
    grow(program, 40, start=100)
    with CaptureQueriesContext(connection) as large:
        figures.refresh(program)
    assert len(small) == len(large)


def test_the_workers_count_runs_without_postgresqls_jit_compiler(program, monkeypatch):
    """Compiling the people-figures query took PostgreSQL ~9 s at 2,000 members; running it 0.4 s."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    seen = []
    people_counts = figures.people_counts

    def noting_jit(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            seen.append(cursor.fetchone()[0])
        return people_counts(*args, **kwargs)

    monkeypatch.setattr(figures, "people_counts", noting_jit)
    figures.refresh(program)
    assert seen and set(seen) == {"off"}
