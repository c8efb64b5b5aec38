import datetime

from django.urls import reverse

from devboard.board.models import Agreement, next_meeting
from tests.factories import days_ago, make_agreement, make_member


def _data(**overrides):
    return {
        "goals": "Publish the education study",
        "i_bring": "Drafts on time",
        "i_need": "Honest feedback",
        "cadence": "monthly",
        "revisit_on": "2031-06-01",
        "done_when": "The paper is accepted",
        "version": 0,
        **overrides,
    }


def test_the_agreement_form_works(alice_client, alice):
    member = make_member(alice)
    response = alice_client.get(reverse("board:agreement", args=[member.pk]))
    assert response.status_code == 200
    assert b"What I bring" in response.content and b"How we will know it is done" in response.content


def test_recording_an_agreement_works_and_sets_the_next_check_in(alice_client, alice):
    member = make_member(alice)
    response = alice_client.post(reverse("board:agreement", args=[member.pk]), _data())
    assert response.status_code == 302
    agreement = Agreement.objects.get(member=member)
    assert agreement.goals == "Publish the education study" and agreement.version == 1
    member.refresh_from_db()
    assert member.next_check_in_on == next_meeting("monthly", days_ago(0))


def test_changing_the_cadence_moves_the_next_check_in(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, cadence="monthly")
    from devboard.board.models import CheckIn

    member.log_check_in(CheckIn(held_on=datetime.date(2026, 1, 10)))
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(cadence="weekly", version=1))
    member.refresh_from_db()
    assert member.next_check_in_on == datetime.date(2026, 1, 17)


def test_changing_the_cadence_leaves_a_date_set_by_hand(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, cadence="monthly")
    member.set_next_check_in(datetime.date(2031, 1, 1))
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(cadence="weekly", version=1))
    member.refresh_from_db()
    assert member.next_check_in_on == datetime.date(2031, 1, 1)


def test_editing_the_agreement_keeps_the_earlier_version(alice_client, alice):
    member = make_member(alice)
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(goals="First"))
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(goals="Second", version=1))
    agreement = Agreement.objects.get(member=member)
    assert agreement.goals == "Second" and agreement.version == 2
    assert [h.goals for h in agreement.history.order_by("history_date")] == ["First", "Second"]


def test_an_invalid_agreement_shows_the_error_beside_the_field(alice_client, alice):
    member = make_member(alice)
    response = alice_client.post(
        reverse("board:agreement", args=[member.pk]), _data(cadence="hourly", revisit_on="soon")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"cadence", "revisit_on"}
    assert b"Publish the education study" in response.content
    assert not Agreement.objects.exists()


def test_the_form_for_a_first_agreement_saves_as_it_is_served(alice_client, alice):
    member = make_member(alice)
    form = alice_client.get(reverse("board:agreement", args=[member.pk])).context["form"]
    data = _data(version=form["version"].value())
    assert alice_client.post(reverse("board:agreement", args=[member.pk]), data).status_code == 302


def test_the_member_page_shows_earlier_versions_of_the_agreement(alice_client, alice):
    member = make_member(alice)
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(goals="The first goals"))
    alice_client.post(reverse("board:agreement", args=[member.pk]), _data(goals="The revised goals", version=1))
    response = alice_client.get(member.get_absolute_url())
    assert b"Earlier versions (1)" in response.content
    assert b"The first goals" in response.content and b"The revised goals" in response.content
