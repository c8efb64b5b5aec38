"""My worksheets with hundreds of them: a page of each section, search by title, a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_worksheet
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db


def _many(owner, count: int, *, start: int = 0, completed: bool = False, archived: bool = False, **fields):
    """`count` worksheets, the lowest number saved most recently."""
    now = timezone.now()
    made = []
    for i in range(start, start + count):
        w = make_worksheet(owner, title=f"{'Done' if completed else 'Draft'} {i:03}", completed=completed, **fields)
        made.append(w.pk)
        Worksheet.objects.filter(pk=w.pk).update(
            updated_at=now - datetime.timedelta(minutes=i), archived_at=now if archived else None
        )
    return made


def _drafts_section(html: str) -> str:
    return html.split('id="drafts-heading"')[1].split('id="completed-heading"')[0]


def test_the_drafts_show_twenty_at_a_time_newest_first(alice_client, alice):
    _many(alice, 25)
    html = alice_client.get("/worksheets/").content.decode()
    drafts = _drafts_section(html)
    assert "Draft 000" in drafts and "Draft 019" in drafts and "Draft 020" not in drafts
    assert "1–20 of 25" in drafts and "?drafts=2" in drafts

    second = _drafts_section(alice_client.get("/worksheets/?drafts=2").content.decode())
    assert "Draft 020" in second and "Draft 024" in second and "Draft 019" not in second
    assert "21–25 of 25" in second


def test_each_section_keeps_its_own_page(alice_client, alice):
    _many(alice, 25)
    _many(alice, 25, completed=True)
    html = alice_client.get("/worksheets/?drafts=2").content.decode()
    drafts, completed = html.split('id="completed-heading"')
    assert "Draft 020" in drafts.split('id="drafts-heading"')[1]
    assert "Done 000" in completed and "Done 020" not in completed
    assert "drafts=2&amp;completed=2" in completed  # the next page of completed keeps the drafts' page


def test_a_page_number_out_of_range_or_not_a_number_shows_a_real_page(alice_client, alice):
    _many(alice, 25)
    assert "Draft 020" in _drafts_section(alice_client.get("/worksheets/?drafts=99").content.decode())
    assert "Draft 000" in _drafts_section(alice_client.get("/worksheets/?drafts=abc").content.decode())


def test_search_finds_worksheets_by_title_in_every_section(alice_client, alice):
    make_worksheet(alice, title="Fellowship applications")
    make_worksheet(alice, title="Choosing a fellowship", completed=True)
    make_worksheet(alice, title="Promotion dossier", completed=True)
    make_worksheet(alice, title="", problem="Which fellowship would suit my family?")
    _many(alice, 1, start=900, archived=True, problem="x")
    html = alice_client.get("/worksheets/", {"q": "fellowship"}).content.decode()
    assert "Fellowship applications" in html and "Choosing a fellowship" in html
    assert "Which fellowship would suit" in html  # untitled: the list shows its problem, so search does too
    assert "Promotion dossier" not in html
    assert 'value="fellowship"' in html  # what was typed stays in the box


def test_a_search_with_no_result_says_so(alice_client, alice):
    make_worksheet(alice, title="Promotion dossier")
    html = alice_client.get("/worksheets/", {"q": "sabbatical"}).content.decode()
    assert "No drafts match “sabbatical”" in html and "Promotion dossier" not in html


def test_search_never_finds_another_persons_worksheets(alice_client, charlie):
    make_worksheet(charlie, title="Charlie's fellowship")
    assert "Charlie" not in alice_client.get("/worksheets/", {"q": "fellowship"}).content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/worksheets/").status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_as_many_queries_for_fifty_worksheets_as_for_one(alice_client, alice):
    _many(alice, 1)
    _many(alice, 1, start=500, completed=True)
    _many(alice, 1, start=800, archived=True)
    one = _queries(alice_client)
    _many(alice, 49, start=1)
    _many(alice, 49, start=501, completed=True)
    _many(alice, 49, start=801, archived=True)
    assert _queries(alice_client) == one <= 10
