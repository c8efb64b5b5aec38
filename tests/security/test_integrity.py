"""Integrity under real use: no lost worksheet update, no duplicate from a double submit, sane
dates, and a feed that never fails."""

import datetime
import threading
from functools import partial

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from devboard.board.models import Agreement, BoardMember, CalendarFeed, CheckIn
from roles.models import Role
from tests.factories import make_agreement, make_member, make_worksheet
from worksheets.models import Worksheet

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a real database server")


@pytest.fixture
def guidance(transactional_db):
    """Tests that commit (threads) flush the tables afterwards; put back what the data migrations ship."""
    from django.apps import apps

    from roles import guidance as shipped_guidance
    from worksheets import content

    shipped_guidance.load(apps)
    content.load(apps)


def step_url(worksheet, step):
    return reverse("worksheets:step", args=[worksheet.pk, step])


# -- worksheet versions ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_step_saved_from_a_stale_tab_is_refused_and_keeps_the_typed_text(alice, alice_client):
    worksheet = make_worksheet(alice, problem="The first version of the problem.")
    worksheet.ideal_outcome = "The first outcome."
    worksheet.step = "need"
    worksheet.save()
    opened_at = worksheet.version  # both tabs opened here
    first = alice_client.post(
        step_url(worksheet, "problem"), {"problem": "Rewritten in tab one.", "version": opened_at}
    )
    assert first.status_code == 302
    second = alice_client.post(
        step_url(worksheet, "outcome"), {"ideal_outcome": "Typed in tab two.", "version": opened_at}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "saved in another tab or window" in page
    assert "Typed in tab two." in page  # nothing typed is lost
    assert "What is saved now for this step" in page and "The first outcome." in page
    worksheet.refresh_from_db()
    # Tab one's acknowledged save survives; tab two's older copy of the problem did not overwrite it.
    assert worksheet.problem == "Rewritten in tab one." and worksheet.ideal_outcome == "The first outcome."


@pytest.mark.django_db
def test_the_same_step_saved_one_after_the_other_from_two_tabs_is_refused(alice, alice_client):
    worksheet = make_worksheet(alice, problem="Original")
    opened_at = worksheet.version
    alice_client.post(step_url(worksheet, "problem"), {"problem": "Tab one", "version": opened_at})
    response = alice_client.post(step_url(worksheet, "problem"), {"problem": "Tab two", "version": opened_at})
    assert response.status_code == 200 and "saved in another tab" in response.content.decode()
    assert Worksheet.objects.get().problem == "Tab one"


@pytest.mark.django_db
def test_saving_again_after_the_warning_replaces_on_purpose(alice, alice_client):
    worksheet = make_worksheet(alice, problem="Original")
    alice_client.post(step_url(worksheet, "problem"), {"problem": "Tab one", "version": 1})
    refused = alice_client.post(step_url(worksheet, "problem"), {"problem": "Tab two", "version": 1})
    rearmed = refused.context["worksheet"].version
    assert f'name="version" value="{rearmed}"' in refused.content.decode()
    again = alice_client.post(step_url(worksheet, "problem"), {"problem": "Tab two", "version": rearmed})
    assert again.status_code == 302 and Worksheet.objects.get().problem == "Tab two"


@pytest.mark.django_db
def test_a_save_without_a_version_does_not_overwrite(alice, alice_client):
    worksheet = make_worksheet(alice, problem="Original")
    response = alice_client.post(step_url(worksheet, "problem"), {"problem": "From nowhere"})
    assert response.status_code == 200
    assert Worksheet.objects.get().problem == "Original"


def _in_threads(*calls):
    """Run the calls at the same moment, each on its own connection; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_different_steps_at_the_same_moment_lose_nothing_acknowledged(guidance, alice):
    for _ in range(5):
        worksheet = make_worksheet(alice, problem="Original problem")
        worksheet.ideal_outcome, worksheet.step = "Original outcome", "need"
        worksheet.save()
        tab_one, tab_two = _signed_in(alice), _signed_in(alice)
        version = worksheet.version
        one, two = _in_threads(
            partial(tab_one.post, step_url(worksheet, "problem"), {"problem": "New problem", "version": version}),
            partial(tab_two.post, step_url(worksheet, "outcome"), {"ideal_outcome": "New outcome", "version": version}),
        )
        worksheet.refresh_from_db()
        assert sorted([one.status_code, two.status_code]) == [200, 302]  # one saved, one refused
        assert (worksheet.problem == "New problem") is (one.status_code == 302)
        assert (worksheet.ideal_outcome == "New outcome") is (two.status_code == 302)


# -- double submits -----------------------------------------------------------------------


def _new_worksheet(client, token):
    return client.post(reverse("worksheets:new"), {"problem": "Only once, please.", "once": token})


def _new_member(client, token):
    roles = [Role.objects.get(slug="coach").pk]
    return client.post(reverse("board:add"), {"name": "Dr. Once", "roles": roles, "status": "active", "once": token})


def _new_check_in(member):
    def post(client, token):
        data = {"held_on": datetime.date.today().isoformat(), "format": "video", "discussed": "Once", "once": token}
        return client.post(reverse("board:check_in_new", args=[member.pk]), data)

    return post


TOKEN = "a-one-time-token-from-the-form-0123456789"


def _created(kind, alice):
    return {
        "worksheet": Worksheet.objects.filter(owner=alice),
        "member": BoardMember.objects.filter(owner=alice, name="Dr. Once"),
        "check-in": CheckIn.objects.filter(member__owner=alice, discussed="Once"),
    }[kind]


def _post_for(kind, alice):
    if kind == "worksheet":
        return _new_worksheet
    if kind == "member":
        return _new_member
    return _new_check_in(make_member(alice, name="Dr. Regular"))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["worksheet", "member", "check-in"])
def test_a_form_sent_twice_creates_one_and_the_second_lands_on_it(kind, alice, alice_client):
    post = _post_for(kind, alice)
    first, second = post(alice_client, TOKEN), post(alice_client, TOKEN)
    assert _created(kind, alice).count() == 1
    assert first.status_code == second.status_code == 302 and second.url == first.url


@pytest.mark.django_db
def test_each_fresh_form_creates_its_own(alice_client, alice):
    page = alice_client.get(reverse("worksheets:new")).content.decode()
    token = page.split('name="once" value="', 1)[1].split('"', 1)[0]
    other = alice_client.get(reverse("worksheets:new")).content.decode().split('name="once" value="', 1)[1][:40]
    assert not other.startswith(token)
    _new_worksheet(alice_client, token)
    _new_worksheet(alice_client, other.split('"', 1)[0])
    assert Worksheet.objects.filter(owner=alice).count() == 2


@pytest.mark.django_db
def test_a_token_is_one_persons_only(alice, charlie, alice_client):
    _new_worksheet(alice_client, TOKEN)
    response = _new_worksheet(_signed_in(charlie), TOKEN)
    assert Worksheet.objects.filter(owner=charlie).count() == 1
    assert response.url != reverse("worksheets:step", args=[Worksheet.objects.get(owner=alice).pk, "outcome"])


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["worksheet", "member", "check-in"])
def test_a_double_submit_at_the_same_moment_creates_one(kind, guidance, alice):
    post = _post_for(kind, alice)
    for n in range(5):
        token = f"{TOKEN}-{n}"
        tabs = [_signed_in(alice), _signed_in(alice)]
        responses = _in_threads(*(partial(post, tab, token) for tab in tabs))
        assert [r.status_code for r in responses] == [302, 302]
        assert responses[0].url == responses[1].url
    assert _created(kind, alice).count() == 5


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31", "2101-01-01"])
def test_board_dates_are_kept_between_1900_and_2100(day, alice, alice_client):
    member = make_member(alice)
    response = alice_client.post(
        reverse("board:agreement", args=[member.pk]), {"goals": "Typed goals", "cadence": "monthly", "revisit_on": day}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a date between 1900 and 2100." in page and "Typed goals" in page
    assert not Agreement.objects.exists()

    response = alice_client.post(reverse("board:next_check_in", args=[member.pk]), {"next_check_in_on": day})
    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    member.refresh_from_db()
    assert member.next_check_in_on != datetime.date.fromisoformat(day)

    data = {
        "held_on": datetime.date.today().isoformat(),
        "format": "video",
        "discussed": "Typed",
        "next_check_in_on": day,
    }
    response = alice_client.post(reverse("board:check_in_new", args=[member.pk]), data)
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_the_worksheet_due_date_is_kept_between_1900_and_2100(alice, alice_client):
    worksheet = make_worksheet(alice, completed=True)
    data = {"next_step": "Email her.", "next_step_due": "9999-12-31", "version": worksheet.version}
    response = alice_client.post(step_url(worksheet, "next"), data)
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    assert "Email her." in response.content.decode()


@pytest.mark.django_db
def test_date_fields_say_the_range_before_anything_is_typed(alice, alice_client):
    member = make_member(alice)
    worksheet = make_worksheet(alice, completed=True)
    pages = [
        reverse("board:agreement", args=[member.pk]),
        reverse("board:check_in_new", args=[member.pk]),
        step_url(worksheet, "next"),
    ]
    for url in pages:
        page = alice_client.get(url).content.decode()
        # Dates are typed as text (no date picker to carry min and max), so the hint states the range.
        assert "For example, 5 Dec 2026. Years 1900 to 2100." in page, url


@pytest.mark.django_db
def test_a_date_typed_as_the_hint_shows_is_refused_out_of_range_naming_it(alice, alice_client):
    member = make_member(alice)
    data = {"goals": "Typed goals", "cadence": "monthly", "revisit_on": "31 Dec 2101", "version": 0}
    response = alice_client.post(reverse("board:agreement", args=[member.pk]), data)
    page = response.content.decode()
    assert "Enter a date between 1900 and 2100." in page and "Typed goals" in page
    assert not Agreement.objects.exists()


# -- the calendar feed -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1), datetime.date.today()])
def test_the_feed_never_fails_on_a_stored_date(day, alice, client):
    member = make_member(alice)
    make_agreement(member, revisit_on=day)
    BoardMember.objects.filter(pk=member.pk).update(next_check_in_on=day)  # as if stored before the forms checked
    feed = CalendarFeed.for_user(alice)
    response = client.get(reverse("board:feed", args=[feed.token]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert body.rstrip().endswith(b"END:VCALENDAR")


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["%00", "abc%00def", "%C0%AF", "x" * 500, "a" * 43])
def test_a_malformed_or_unknown_feed_address_is_404(token, client):
    assert client.get(f"/board/calendar/{token}.ics").status_code == 404
