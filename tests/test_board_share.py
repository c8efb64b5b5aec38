"""Sharing one worksheet with someone on the board by a private link that expires and can be stopped."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from devboard.board.models import CheckIn, Share
from tests.factories import days_ago, make_agreement, make_member, make_worksheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(alice):
    worksheet = make_worksheet(alice, completed=True, title="Feedback on the ICU rotation")
    member = make_member(alice, name="Dr. Ada Advisor", roles=("advisor",))
    make_agreement(member, goals="Sharper presentations on rounds", i_need="Blunt feedback")
    return worksheet, member


def _make(client, worksheet, member, **extra):
    data = {"member": member.pk, "days": 30, **extra}
    return client.post(reverse("board:share", args=[worksheet.pk]), data)


def test_sharing_makes_a_private_link_that_expires(alice_client, shared):
    worksheet, member = shared
    response = _make(alice_client, worksheet, member, days=7)
    assert response.status_code == 302
    share = Share.objects.get()
    assert share.member == member and not share.with_agreement and len(share.token) >= 40
    assert abs(share.expires_at - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    page = alice_client.get(reverse("board:share", args=[worksheet.pk])).content.decode()
    assert share.private_path() in page and "Dr. Ada Advisor" in page


def test_the_link_is_listed_on_the_worksheet_with_its_expiry(alice_client, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=90)
    page = alice_client.get(worksheet.get_absolute_url()).content.decode()
    assert f"With Dr. Ada Advisor, until {share.expires_at:%-d %b %Y}" in page
    member_page = alice_client.get(member.get_absolute_url()).content.decode()
    assert "Feedback on the ICU rotation" in member_page and f"until {share.expires_at:%-d %b %Y}" in member_page


def test_the_shared_page_shows_the_worksheet_without_sign_in(client, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=30)
    response = client.get(share.private_path())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Feedback on the ICU rotation" in content and "What do strong interns do?" in content
    assert "Shared by Alice Ames with Dr. Ada Advisor" in content
    assert "Sharper presentations on rounds" not in content  # the agreement only when chosen
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert '<meta name="referrer" content="no-referrer">' in content
    assert "no-store" in response["Cache-Control"]


def test_the_agreement_is_shown_only_when_chosen(alice_client, shared):
    worksheet, member = shared
    _make(alice_client, worksheet, member, with_agreement="on")
    share = Share.objects.get()
    assert share.with_agreement
    alice_client.logout()
    content = alice_client.get(share.private_path()).content.decode()
    assert "Sharper presentations on rounds" in content and "Blunt feedback" in content


def test_the_shared_page_leaks_nothing_else_of_the_owner(client, alice, shared):
    worksheet, member = shared
    make_worksheet(alice, title="Should I leave academic medicine")
    other = make_member(alice, name="Dr. Secret Sponsor", roles=("sponsor",), email="secret@example.org")
    other.log_check_in(CheckIn(held_on=days_ago(1), discussed="The private check-in"))
    member.log_check_in(CheckIn(held_on=days_ago(2), discussed="What Ada and I said"))
    share = Share.create(worksheet=worksheet, member=member, days=30, with_agreement=True)
    content = client.get(share.private_path()).content.decode()
    for secret in (
        "Should I leave academic medicine",
        "Dr. Secret Sponsor",
        "secret@example.org",
        "The private check-in",
        "What Ada and I said",
        "alice@example.org",
    ):
        assert secret not in content, secret
    assert "/worksheets/" not in content and "/board/" not in content  # no way into the owner's pages


def test_an_expired_link_is_404(client, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=7)
    Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(share.private_path()).status_code == 404


def test_a_revoked_link_is_404(client, alice, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=7)
    assert client.get(share.private_path()).status_code == 200
    client.force_login(alice)
    response = client.post(reverse("board:share_revoke", args=[share.pk]))
    assert response.status_code == 302
    page = client.get(reverse("board:share", args=[worksheet.pk])).content.decode()
    client.logout()
    assert client.get(share.private_path()).status_code == 404
    assert "Links that no longer work" in page and "stopped" in page


def test_a_guessed_link_is_404(client, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=7)
    for guess in (share.token[:-1] + ("A" if share.token[-1] != "A" else "B"), "x", str(share.pk), share.token[:20]):
        assert client.get(reverse("shared", args=[guess])).status_code == 404


def test_a_deactivated_owners_links_stop_working(client, alice, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=7)
    alice.is_active = False
    alice.save()
    assert client.get(share.private_path()).status_code == 404


def test_only_someone_on_my_own_board_can_be_chosen(alice_client, charlie, shared):
    worksheet, _ = shared
    strangers_member = make_member(charlie, name="Charlie's mentor")
    response = _make(alice_client, worksheet, strangers_member)
    assert response.status_code == 200 and "member" in response.context["form"].errors
    assert not Share.objects.exists()


def test_a_missing_choice_says_what_to_do_and_keeps_the_rest(alice_client, shared):
    worksheet, _ = shared
    response = alice_client.post(reverse("board:share", args=[worksheet.pk]), {"days": 90, "with_agreement": "on"})
    content = response.content.decode()
    assert "Choose the person on your board this link is for." in content
    assert response.context["form"]["days"].value() == "90"
    assert content.count("<title>Error: ") == 1 and "Error: Error:" not in content
    # the same error summary as every other form: focused on load by error-summary.js, linking to the field
    assert '<div class="error-summary" data-error-summary' in content
    assert '<a href="#id_member">Choose the person on your board this link is for.</a>' in content


def test_a_link_lasts_only_7_30_or_90_days(alice_client, shared):
    worksheet, member = shared
    response = _make(alice_client, worksheet, member, days=365)
    assert "days" in response.context["form"].errors and not Share.objects.exists()


def test_a_stranger_cannot_share_or_revoke(charlie_client, shared):
    worksheet, member = shared
    share = Share.create(worksheet=worksheet, member=member, days=7)
    assert _make(charlie_client, worksheet, member).status_code == 404
    assert charlie_client.post(reverse("board:share_revoke", args=[share.pk])).status_code == 404
    share.refresh_from_db()
    assert share.is_live


def test_sharing_again_with_the_same_person_renews_the_one_link(alice_client, shared):
    worksheet, member = shared
    for _ in range(2):  # a double click, or sharing again later
        alice_client.post(reverse("board:share", args=[worksheet.pk]), {"member": member.pk, "days": 30})
    assert Share.objects.live().filter(worksheet=worksheet, member=member).count() == 1
