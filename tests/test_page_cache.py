"""Whole pages kept until what they show changes (devboard/pagecache.py).

A page seen again costs the session and the person, nothing more; every change a person makes, or
a director makes to the guidance, shows on the very next view; nobody is ever shown a page kept
for someone else, or a form kept for another browser.
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devboard import pagecache
from devboard.board.models import BoardMember
from devboard.programs import figures
from roles.models import Role
from tests.factories import (
    make_agreement,
    make_member,
    make_program,
    make_user,
    make_worksheet,
    role,
    sign_in_with_second_factor,
)

# The session and the signed-in person: what every signed-in page reads before its view runs.
REQUEST_QUERIES = 2


def _seen_before(client) -> Client:
    """A browser that has been here before: it holds its CSRF cookie, as any second view does."""
    client.get(reverse("landing"))
    return client


def _queries(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen), response.content


@pytest.mark.parametrize("name", ["board", "worksheets", "member", "step", "guide", "landing"])
def test_a_page_seen_again_reads_only_the_session_and_the_person(alice_client, alice, name):
    member = make_member(alice, name="Dr. Kept")
    make_agreement(member)
    worksheet = make_worksheet(alice, completed=True, title="Grant trouble")
    url = {
        "board": reverse("board:board"),
        "worksheets": reverse("worksheets:list"),
        "member": reverse("board:member", args=[member.pk]),
        "step": reverse("worksheets:step", args=[worksheet.pk, "problem"]),
        "guide": reverse("roles:guide"),
        "landing": reverse("landing"),
    }[name]
    client = _seen_before(Client() if name == "landing" else alice_client)
    first, page = _queries(client, url)
    again, same = _queries(client, url)
    assert first > again
    assert again <= REQUEST_QUERIES and same == page


def test_adding_a_person_shows_on_the_board_at_once(alice_client, alice):
    make_member(alice, name="Dr. First")
    alice_client.get(reverse("board:board"))
    response = alice_client.post(
        reverse("board:add"),
        {"name": "Dr. Second", "email": "", "roles": [role("coach").pk], "status": "active"},
        follow=True,
    )
    assert b"Dr. Second" in response.content
    assert b"Dr. Second" in alice_client.get(reverse("board:board")).content


def test_a_check_in_and_an_agreement_show_on_the_member_page_at_once(alice_client, alice):
    member = make_member(alice)
    url = reverse("board:member", args=[member.pk])
    assert b"The grant aims" not in alice_client.get(url).content
    alice_client.post(
        reverse("board:check_in_new", args=[member.pk]),
        {"held_on": "2026-02-01", "format": "video", "discussed": "The grant aims", "my_next_step": "Send aims"},
    )
    assert b"The grant aims" in alice_client.get(url).content
    agreement = make_agreement(member, goals="Write the K award together")
    assert b"Write the K award together" in alice_client.get(url).content
    agreement.goals = "Publish the review"
    agreement.save()
    assert b"Publish the review" in alice_client.get(url).content


def test_a_deleted_person_leaves_the_board_at_once(alice_client, alice):
    member = make_member(alice, name="Dr. Leaving")
    assert b"Dr. Leaving" in alice_client.get(reverse("board:board")).content
    BoardMember.objects.get(pk=member.pk).delete()
    assert b"Dr. Leaving" not in alice_client.get(reverse("board:board")).content
    assert alice_client.get(reverse("board:member", args=[member.pk])).status_code == 404


def test_a_renamed_worksheet_shows_in_the_list_at_once(alice_client, alice):
    worksheet = make_worksheet(alice, title="Old title")
    assert b"Old title" in alice_client.get(reverse("worksheets:list")).content
    worksheet.title = "New title"
    worksheet.save()
    content = alice_client.get(reverse("worksheets:list")).content
    assert b"New title" in content and b"Old title" not in content


def test_a_guidance_edit_in_the_admin_shows_on_every_page_at_once(alice_client, alice):
    member = make_member(alice, roles=("coach",))
    pages = [reverse("roles:guide"), reverse("board:board"), reverse("board:member", args=[member.pk])]
    for url in pages:
        assert b"Thinking partner" not in alice_client.get(url).content
    coach = Role.objects.get(slug="coach")
    coach.name = "Thinking partner"
    coach.save()
    for url in pages:
        assert b"Thinking partner" in alice_client.get(url).content, url


def test_becoming_a_director_shows_the_program_link_at_once(alice_client, alice):
    program_link = f'href="{reverse("programs:index")}"'.encode()
    assert program_link not in alice_client.get(reverse("board:board")).content
    make_program(director=alice)
    assert program_link in alice_client.get(reverse("board:board")).content


def test_a_page_kept_for_one_person_is_never_shown_to_another(alice, charlie):
    alice_client, charlie_client = _seen_before(Client()), _seen_before(Client())
    alice_client.force_login(alice)
    charlie_client.force_login(charlie)
    make_member(alice, name="Dr. Alice's Mentor")
    make_member(charlie, name="Dr. Charlie's Coach")
    alice_client.get(reverse("board:board"))
    content = charlie_client.get(reverse("board:board")).content
    assert b"Charlie&#x27;s Coach" in content and b"Alice&#x27;s Mentor" not in content
    alice_member = BoardMember.objects.get(owner=alice)
    assert alice_client.get(reverse("board:member", args=[alice_member.pk])).status_code == 200
    assert charlie_client.get(reverse("board:member", args=[alice_member.pk])).status_code == 404


def _csrf_token(content: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()


def test_a_second_browser_gets_forms_that_post_from_it(alice):
    """The same person in two browsers: each page's forms carry that browser's CSRF token."""
    member = make_member(alice)
    url = reverse("board:member", args=[member.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(alice)
    second.force_login(alice)
    _seen_before(first), _seen_before(second)
    first.get(url), first.get(url)
    token = _csrf_token(second.get(url).content)
    response = second.post(
        reverse("board:status", args=[member.pk]), {"status": "paused", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "paused"


def test_a_message_shows_once_and_is_not_kept(alice_client, alice):
    alice_client.post(
        reverse("board:add"), {"name": "Dr. New", "email": "", "roles": [role("mentor").pk], "status": "active"}
    )
    assert b"Dr. New is on your board." in alice_client.get(reverse("board:board")).content
    assert b"Dr. New is on your board." not in alice_client.get(reverse("board:board")).content


def test_a_create_form_gets_a_new_one_time_token_every_time(alice_client):
    """A kept create form would hand out one token twice, and the second submit would add nothing."""
    tokens = {
        re.search(rb'name="once" value="([^"]+)"', alice_client.get(reverse("worksheets:new")).content).group(1)
        for _ in range(2)
    }
    assert len(tokens) == 2


def test_a_person_removed_from_another_board_changes_nothing_here(alice_client, alice):
    """A change to someone else's data moves only their stamp: this page stays kept."""
    make_member(alice)
    bob = make_user("bob")
    other = make_member(bob, name="Dr. Elsewhere")
    _seen_before(alice_client).get(reverse("board:board"))
    other.delete()
    again, _ = _queries(alice_client, reverse("board:board"))
    assert again <= REQUEST_QUERIES


@pytest.fixture
def director(db, settings, alice):
    settings.PROGRAM_FIGURES_REFRESH_AFTER = 600  # figures from the summary the worker keeps, as in production
    settings.PROGRAM_FIGURES_MAX_AGE = 86400
    dana = make_user("dana", first_name="Dana")
    program = make_program(director=dana, alice="learner")
    client = _seen_before(Client())
    sign_in_with_second_factor(client, dana)
    return client, program


@pytest.mark.parametrize("view", ["programs:dashboard", "programs:members", "programs:index"])
def test_a_directors_page_seen_again_reads_only_the_session_and_the_person(director, view):
    client, program = director
    url = reverse(view) if view == "programs:index" else reverse(view, args=[program.slug])
    client.get(url)  # the month's first view counts the figures
    caches["pages"].clear()
    first, content = _queries(client, url)
    again, same = _queries(client, url)
    assert first > again
    assert again <= REQUEST_QUERIES and same == content


def test_a_renamed_member_and_a_new_one_show_on_the_members_page_at_once(director, alice):
    client, program = director
    url = reverse("programs:members", args=[program.slug])
    assert b"Alice Ames" in client.get(url).content
    alice.first_name = "Alicia"
    alice.save()
    assert b"Alicia Ames" in client.get(url).content
    program.add_member(make_user("newcomer", first_name="Nadia", last_name="New"), "learner")
    assert b"Nadia New" in client.get(url).content


def test_new_figures_from_the_worker_show_on_the_dashboard_at_once(director, alice):
    client, program = director
    url = reverse("programs:dashboard", args=[program.slug])
    client.get(url)  # the month's first view counts the figures
    before = client.get(url).content
    assert client.get(url).content == before  # kept
    figures.refresh(program)  # what the worker does: a new summary
    assert b"as of" in client.get(url).content and client.get(url).content != before


@pytest.mark.parametrize("url", ["/admin/roles/role/", "/admin/programs/program/", "/admin/programs/membership/"])
def test_an_admin_list_seen_again_reads_only_the_session_and_the_person(director, url):
    client, _ = director
    first, content = _queries(client, url)
    again, same = _queries(client, url)
    assert first > again
    assert again <= REQUEST_QUERIES and same == content


def test_an_admin_list_shows_an_edit_at_once(director):
    client, program = director
    assert b"Thinking partner" not in client.get("/admin/roles/role/").content
    coach = Role.objects.get(slug="coach")
    coach.name = "Thinking partner"
    coach.save()
    assert b"Thinking partner" in client.get("/admin/roles/role/").content
    assert b"Renamed residency" not in client.get("/admin/programs/program/").content
    program.name = "Renamed residency"
    program.save()
    assert b"Renamed residency" in client.get("/admin/programs/program/").content


def test_a_removed_authenticator_ends_the_second_factor_at_once(director):
    """The device a session passed its code on is kept between requests, but not past its removal."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client, _ = director
    assert client.get("/admin/roles/role/").status_code == 200
    assert client.get("/admin/roles/role/").status_code == 200
    TOTPDevice.objects.all().delete()
    response = client.get("/admin/roles/role/")
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:set_up"))


def test_what_is_kept_of_the_second_factor_holds_no_secret(director):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client, _ = director
    client.get("/admin/roles/role/")
    client.get("/admin/roles/role/")
    secret = TOTPDevice.objects.get().key
    kept = b"".join(caches["pages"]._cache.values())  # the test cache: this process's memory
    assert kept and secret.encode() not in kept and bytes.fromhex(secret) not in kept


def test_a_restart_with_a_new_institution_name_shows_it_on_kept_pages(alice_client, alice, settings):
    from devboard import pagecache

    url = reverse("board:board")
    alice_client.get(url)
    settings.INSTITUTION_NAME = "Riverside School of Medicine"
    pagecache._code_stamp.cache_clear()  # a restart: each process works its stamp out once
    try:
        assert b"Riverside School of Medicine" in alice_client.get(url).content
    finally:
        pagecache._code_stamp.cache_clear()


def test_a_change_made_where_no_page_is_kept_still_reaches_the_kept_pages(alice_client, alice, settings):
    """The task worker keeps no page, but what it changes must show on the web's kept pages."""
    member = make_member(alice, name="Dr. Before")
    url = reverse("board:board")
    alice_client.get(url)
    settings.PAGE_CACHE = False  # the worker's process
    member.name = "Dr. After"
    member.save()
    settings.PAGE_CACHE = True
    assert b"Dr. After" in alice_client.get(url).content


def _signed_in_with_password(username: str = "alice") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "password"})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "devboard.sso.backends.LocalPasswordBackend"
    return _seen_before(client)


def test_the_signed_in_person_is_kept_and_a_kept_page_reads_only_the_session(alice):
    client = _signed_in_with_password()
    url = reverse("roles:guide")
    client.get(url)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    assert [q["sql"] for q in seen.captured_queries if "devboard_user" in q["sql"]] == []
    assert len(seen) <= 1  # the session (kept in Redis too, where REDIS_URL is set)


def test_a_deactivated_account_is_signed_out_at_once(alice):
    client = _signed_in_with_password()
    assert client.get(reverse("board:board")).status_code == 200
    alice.is_active = False
    alice.save()
    response = client.get(reverse("board:board"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_saving_a_kept_person_keeps_their_password(alice):
    from devboard.sso.backends import LocalPasswordBackend

    backend = LocalPasswordBackend()
    backend.get_user(alice.pk)
    kept = backend.get_user(alice.pk)  # as the next request gets them
    assert "password" in kept.get_deferred_fields()
    kept.first_name = "Alicia"
    kept.save()
    alice.refresh_from_db()
    assert alice.first_name == "Alicia" and alice.check_password("password")
    assert kept.password == alice.password  # read from the database when asked for


def test_what_is_kept_of_a_signed_in_person_holds_no_password_hash(alice):
    client = _signed_in_with_password()
    client.get(reverse("roles:guide"))
    client.get(reverse("roles:guide"))
    kept = b"".join(caches["pages"]._cache.values())
    assert kept and alice.password.encode() not in kept


def _trips(client, url: str, monkeypatch) -> list[str]:
    """The calls a page seen again makes to the kept pages' cache: each is a round trip to Redis."""
    cache, calls, inside = caches["pages"], [], []

    def counting(name: str):
        real = getattr(cache, name)

        def counted(*args, **kwargs):
            if inside:
                return real(*args, **kwargs)
            calls.append(name)
            inside.append(name)  # in memory, get_many is made of gets: only the outer call is a trip
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return counted

    with monkeypatch.context() as patch:
        for name in ("get", "get_many", "add", "set", "set_many"):
            patch.setattr(cache, name, counting(name))
        assert client.get(url).status_code == 200
    return calls


def test_a_kept_page_reads_all_its_stamps_in_one_round_trip(director, alice, monkeypatch):
    """A staff member's kept page read the person's stamp, the device's and the page's in three trips."""
    client, _ = director
    client.get("/admin/roles/role/")
    assert _trips(client, "/admin/roles/role/", monkeypatch) == ["get_many", "get", "get", "get"]
    person = _signed_in_with_password()
    person.get(reverse("board:board"))
    assert _trips(person, reverse("board:board"), monkeypatch) == ["get_many", "get", "get"]


def test_stamps_held_for_a_request_move_with_a_change_it_makes_and_end_with_it(alice):
    seen = {}

    def view(request):
        seen["before"] = pagecache.stamps([("user", alice.pk)])
        alice.first_name = "Alicia"
        alice.save()  # moves the stamp, within this request
        seen["after"] = pagecache.stamps([("user", alice.pk)])
        return HttpResponse()

    pagecache.stamps_middleware(view)(RequestFactory().get("/"))
    assert seen["after"] != seen["before"]
    alice.save()  # another process, after the request: nothing is held any more
    assert pagecache.stamps([("user", alice.pk)]) not in (seen["before"], seen["after"])
