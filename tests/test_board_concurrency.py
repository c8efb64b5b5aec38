"""Two tabs on the same member or agreement: the second, stale save is refused and keeps what was typed."""

import pytest
from django.urls import reverse

from devboard.board.models import Agreement, BoardMember, StaleEdit
from tests.factories import make_agreement, make_member, role


def _member_post(client, member, name, version):
    return client.post(
        reverse("board:edit", args=[member.pk]),
        {
            "name": name,
            "connection": f"Typed in the tab that saved {name}",
            "roles": [role("mentor").pk],
            "version": version,
        },
    )


def test_a_stale_member_save_is_refused_and_keeps_the_typed_text(alice_client, alice):
    member = make_member(alice, name="Original")
    opened_at = member.version
    assert _member_post(alice_client, member, "First tab", opened_at).status_code == 302
    response = _member_post(alice_client, member, "Second tab", opened_at)
    assert response.status_code == 200
    assert b"changed in another tab" in response.content
    assert b'value="Second tab"' in response.content
    assert b"Typed in the tab that saved Second tab" in response.content
    assert b"What is saved now" in response.content
    member.refresh_from_db()
    assert member.name == "First tab"


def test_after_the_warning_saving_again_replaces_on_purpose(alice_client, alice):
    member = make_member(alice)
    _member_post(alice_client, member, "First tab", 1)
    response = _member_post(alice_client, member, "Second tab", 1)
    rearmed = response.context["form"].data["version"]
    assert rearmed == 2
    assert _member_post(alice_client, member, "Second tab", rearmed).status_code == 302
    assert BoardMember.objects.get().name == "Second tab"


def test_a_stale_agreement_save_is_refused_and_keeps_the_typed_text(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, goals="Original goals")
    url = reverse("board:agreement", args=[member.pk])
    assert alice_client.post(url, {"goals": "From tab one", "cadence": "monthly", "version": 1}).status_code == 302
    response = alice_client.post(url, {"goals": "From tab two", "cadence": "weekly", "version": 1})
    assert response.status_code == 200
    assert b"changed in another tab" in response.content
    assert b"From tab two" in response.content
    agreement = Agreement.objects.get()
    assert agreement.goals == "From tab one" and agreement.cadence == "monthly"


def test_two_tabs_recording_the_first_agreement_do_not_overwrite_each_other(alice_client, alice):
    member = make_member(alice)
    url = reverse("board:agreement", args=[member.pk])
    assert alice_client.post(url, {"goals": "Tab one", "cadence": "monthly", "version": 0}).status_code == 302
    response = alice_client.post(url, {"goals": "Tab two", "cadence": "monthly", "version": 0})
    assert response.status_code == 200 and b"Tab two" in response.content
    assert Agreement.objects.get().goals == "Tab one"


def test_two_tabs_creating_the_first_agreement_at_the_same_moment_meet_as_a_stale_save(alice):
    member = make_member(alice)
    # Both requests found no agreement; the first to reach the database wins.
    tab_one = Agreement(member=member, goals="Tab one", version=0)
    tab_two = Agreement(member=member, goals="Tab two", version=0)
    tab_one.save_version(0, previous_cadence=None)
    with pytest.raises(StaleEdit):
        tab_two.save_version(0, previous_cadence=None)
    assert Agreement.objects.get().goals == "Tab one"
