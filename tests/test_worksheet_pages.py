"""Worksheet pages around the flow: list, detail, print, duplicate, archive, examples; and who may see them."""

import pytest

from tests.factories import make_worksheet
from worksheets.models import Example, Worksheet

pytestmark = pytest.mark.django_db


def test_the_list_shows_drafts_and_completed_apart(alice_client, alice):
    make_worksheet(alice, title="Draft one")
    make_worksheet(alice, title="Done one", completed=True)
    html = alice_client.get("/worksheets/").content.decode()
    drafts, completed = html.split('id="completed-heading"')
    assert "Draft one" in drafts and "Done one" in completed


def test_the_list_shows_only_my_worksheets(alice_client, charlie):
    make_worksheet(charlie, title="Charlie's secret")
    assert "Charlie&#x27;s secret" not in alice_client.get("/worksheets/").content.decode()


def test_the_list_query_count_does_not_grow_with_rows(alice_client, alice, django_assert_max_num_queries):
    for _ in range(3):
        make_worksheet(alice, completed=True)
    with django_assert_max_num_queries(8):
        alice_client.get("/worksheets/")


def test_detail_shows_the_worksheet(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    html = alice_client.get(f"/worksheets/{w.pk}/").content.decode()
    assert "Completed" in html and "Ask a senior resident." in html


def test_print_view_holds_the_whole_worksheet(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    html = alice_client.get(f"/worksheets/{w.pk}/print/").content.decode()
    for text in (w.problem, w.ideal_outcome, "Advisor", "What do strong interns do?", "Ask a senior resident."):
        assert text in html


def test_duplicate_makes_an_editable_draft_copy(alice_client, alice):
    w = make_worksheet(alice, completed=True, title="Original")
    w.other_needs.set([w.primary_need])
    r = alice_client.post(f"/worksheets/{w.pk}/duplicate/")
    copy = Worksheet.objects.exclude(pk=w.pk).get()
    assert r.url == f"/worksheets/{copy.pk}/step/problem/"
    assert copy.title == "Copy of Original" and copy.status == "draft" and copy.owner == alice
    assert copy.problem == w.problem and copy.chosen_role == w.chosen_role
    assert list(copy.other_needs.all()) == list(w.other_needs.all())
    assert copy.reached("next")


def test_archive_and_restore(alice_client, alice):
    w = make_worksheet(alice, title="Old one")
    alice_client.post(f"/worksheets/{w.pk}/archive/")
    w.refresh_from_db()
    assert w.is_archived
    html = alice_client.get("/worksheets/").content.decode()
    assert 'id="archived-heading"' in html and "Old one" in html.split('id="archived-heading"')[1]
    alice_client.post(f"/worksheets/{w.pk}/restore/")
    w.refresh_from_db()
    assert not w.is_archived


@pytest.mark.parametrize("action", ["duplicate", "archive", "restore"])
def test_changing_actions_reject_get(alice_client, alice, action):
    w = make_worksheet(alice)
    assert alice_client.get(f"/worksheets/{w.pk}/{action}/").status_code == 405


OWNED_URLS = ["/", "/print/", "/continue/", "/step/problem/", "/step/outcome/"]


@pytest.mark.parametrize("suffix", OWNED_URLS)
def test_another_persons_worksheet_is_404(charlie_client, alice, suffix):
    w = make_worksheet(alice, completed=True)
    assert charlie_client.get(f"/worksheets/{w.pk}{suffix}").status_code == 404


@pytest.mark.parametrize("action", ["duplicate", "archive", "restore"])
def test_another_person_cannot_change_my_worksheet(charlie_client, alice, action):
    w = make_worksheet(alice, completed=True)
    assert charlie_client.post(f"/worksheets/{w.pk}/{action}/").status_code == 404
    assert Worksheet.objects.count() == 1 and not Worksheet.objects.get().is_archived


def test_another_person_cannot_post_to_my_steps(charlie_client, alice):
    w = make_worksheet(alice)
    r = charlie_client.post(f"/worksheets/{w.pk}/step/problem/", {"problem": "hijacked"})
    assert r.status_code == 404
    w.refresh_from_db()
    assert w.problem != "hijacked"


@pytest.mark.parametrize(
    "url", ["/worksheets/", "/worksheets/new/", "/worksheets/examples/", "/roles/", "/roles/coach/", "/roles/needs/"]
)
def test_pages_require_sign_in(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r.url.startswith("/accounts/login/?next=")


def test_a_worksheet_requires_sign_in(client, alice):
    w = make_worksheet(alice)
    r = client.get(f"/worksheets/{w.pk}/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_examples_are_listed_and_readable(alice_client):
    html = alice_client.get("/worksheets/examples/").content.decode()
    examples = list(Example.objects.published())
    assert len(examples) == 2
    assert {e.audience for e in examples} == {"learner", "faculty"}
    for example in examples:
        assert example.title in html
        page = alice_client.get(example.get_absolute_url()).content.decode()
        assert example.next_step in page


def test_an_unpublished_example_is_hidden(alice_client):
    example = Example.objects.first()
    example.published = False
    example.save()
    assert example.title not in alice_client.get("/worksheets/examples/").content.decode()
    assert alice_client.get(example.get_absolute_url()).status_code == 404
