"""The board panel inside worksheet pages, and linking a worksheet's chosen role to someone on the board."""

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from devboard.board.models import WorksheetLink
from tests.factories import make_member, role
from worksheets.models import Worksheet


def _render(worksheet, user) -> str:
    request = RequestFactory().get(worksheet.get_absolute_url())
    request.user = user
    return Template("{% load board %}{% board_panel worksheet %}").render(
        Context({"worksheet": worksheet, "request": request, "csrf_token": "token"})
    )


def test_the_panel_names_the_members_who_hold_the_recommended_role(alice):
    make_member(alice, name="Coach Carter", roles=("coach",))
    make_member(alice, name="Paused Pat", roles=("coach",), status="paused")
    make_member(alice, name="Mentor Mo", roles=("mentor",))
    make_member(alice, name="Former Fran", roles=("coach",), status="concluded")
    worksheet = Worksheet.objects.create(owner=alice, recommended_role=role("coach"))
    html = _render(worksheet, alice)
    assert "Already on your board as a coach" in html
    assert "Coach Carter" in html and "Paused Pat" in html and "(paused)" in html
    assert "Mentor Mo" not in html.split("Already on your board")[1].split("</p>")[0]
    assert "Former Fran" not in html


def test_the_panel_says_when_nobody_holds_the_role(alice):
    worksheet = Worksheet.objects.create(owner=alice, recommended_role=role("sponsor"))
    assert "Nobody on your board holds the sponsor role yet" in _render(worksheet, alice)


def test_the_panel_offers_to_link_or_add_for_the_chosen_role(alice):
    make_member(alice, name="Dr. Someone", roles=("mentor",))
    worksheet = Worksheet.objects.create(owner=alice, recommended_role=role("coach"), chosen_role=role("advisor"))
    html = _render(worksheet, alice)
    assert reverse("board:link_worksheet", args=[worksheet.pk]) in html
    assert "Dr. Someone" in html
    assert f"{reverse('board:add')}?worksheet={worksheet.pk}" in html
    assert "Add a new prospective advisor" in html


def test_the_panel_shows_nothing_to_anyone_but_the_owner(alice, charlie):
    make_member(alice, name="Secret Sam", roles=("coach",))
    worksheet = Worksheet.objects.create(owner=alice, recommended_role=role("coach"))
    assert "Secret Sam" not in _render(worksheet, charlie)


def test_linking_the_chosen_role_to_a_member_works(alice_client, alice):
    member = make_member(alice, roles=("mentor",))
    worksheet = Worksheet.objects.create(owner=alice, chosen_role=role("sponsor"))
    response = alice_client.post(reverse("board:link_worksheet", args=[worksheet.pk]), {"member": member.pk})
    assert response.status_code == 302 and response.url == worksheet.get_absolute_url()
    assert [r.slug for r in member.current_roles()] == ["mentor", "sponsor"]
    assert WorksheetLink.objects.get().member == member
    # Linking twice changes nothing.
    alice_client.post(reverse("board:link_worksheet", args=[worksheet.pk]), {"member": member.pk})
    assert WorksheetLink.objects.count() == 1


def test_linking_goes_back_to_a_safe_page_only(alice_client, alice):
    member = make_member(alice)
    worksheet = Worksheet.objects.create(owner=alice, chosen_role=role("coach"))
    url = reverse("board:link_worksheet", args=[worksheet.pk])
    step = reverse("worksheets:step", args=[worksheet.pk, "recommendation"])
    assert alice_client.post(url, {"member": member.pk, "next": step}).url == step
    assert (
        alice_client.post(url, {"member": member.pk, "next": "https://evil.example"}).url
        == worksheet.get_absolute_url()
    )


def test_linking_someone_elses_member_is_refused(alice_client, alice, charlie):
    theirs = make_member(charlie)
    worksheet = Worksheet.objects.create(owner=alice, chosen_role=role("coach"))
    alice_client.post(reverse("board:link_worksheet", args=[worksheet.pk]), {"member": theirs.pk})
    assert not WorksheetLink.objects.exists()
    assert [r.slug for r in theirs.current_roles()] == ["mentor"]


def test_linking_without_a_chosen_role_changes_nothing(alice_client, alice):
    member = make_member(alice)
    worksheet = Worksheet.objects.create(owner=alice)
    alice_client.post(reverse("board:link_worksheet", args=[worksheet.pk]), {"member": member.pk})
    assert not WorksheetLink.objects.exists()


def test_linking_on_someone_elses_worksheet_is_404(charlie_client, alice, charlie):
    mine = make_member(charlie)
    worksheet = Worksheet.objects.create(owner=alice, chosen_role=role("coach"))
    assert (
        charlie_client.post(reverse("board:link_worksheet", args=[worksheet.pk]), {"member": mine.pk}).status_code
        == 404
    )
