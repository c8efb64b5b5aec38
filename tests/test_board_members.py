from django.urls import reverse

from devboard.board.models import BoardMember
from tests.factories import days_ago, make_agreement, make_member, role
from worksheets.models import Worksheet


def _add(client, **overrides):
    data = {
        "name": "Dr. Sam Rivera",
        "email": "sam@example.org",
        "title": "Associate Professor",
        "institution": "Surgery",
        "connection": "Met on the wards.",
        "roles": [role("mentor").pk, role("sponsor").pk],
        "status": "active",
        **overrides,
    }
    return client.post(reverse("board:add"), data)


def test_the_board_page_works(alice_client, alice):
    make_member(alice, name="Dr. Visible")
    response = alice_client.get(reverse("board:board"))
    assert response.status_code == 200
    assert b"Dr. Visible" in response.content
    assert b"My board" in response.content


def test_an_empty_board_invites_to_add_people(alice_client):
    response = alice_client.get(reverse("board:board"))
    assert b"Your board is empty" in response.content
    assert response.content.count(b"Empty</span>") == 4


def test_the_board_shows_coverage_and_links_empty_roles_to_their_guide(alice_client, alice):
    make_member(alice, roles=("mentor",))
    response = alice_client.get(reverse("board:board"))
    coverage = {c["role"].slug: c for c in response.context["coverage"]}
    assert len(coverage["mentor"]["active"]) == 1 and coverage["coach"]["active"] == []
    assert reverse("roles:detail", args=["coach"]).encode() in response.content
    assert reverse("roles:detail", args=["mentor"]).encode() not in response.content
    assert reverse("worksheets:new").encode() in response.content


def test_the_board_lists_who_is_overdue_and_whose_goals_need_a_revisit(alice_client, alice):
    late = make_member(alice, name="Late Lee")
    late.set_next_check_in(days_ago(1))
    revisit = make_member(alice, name="Revisit Ray")
    make_agreement(revisit, revisit_on=days_ago(0))
    make_member(alice, name="Fine Fay")
    response = alice_client.get(reverse("board:board"))
    assert [m.name for m in response.context["overdue"]] == ["Late Lee"]
    assert [m.name for m in response.context["revisit_due"]] == ["Revisit Ray"]


def test_adding_a_person_works(alice_client, alice):
    response = _add(alice_client)
    member = BoardMember.objects.get(owner=alice)
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    assert member.status == "active" and member.institution == "Surgery"
    assert [r.slug for r in member.current_roles()] == ["mentor", "sponsor"]
    assert member.status_changes.get().to_status == "active"


def test_adding_needs_a_name_and_a_role(alice_client):
    response = _add(alice_client, name="", roles=[])
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "roles"}
    assert not BoardMember.objects.exists()


def test_adding_a_concluded_relationship_needs_what_they_became(alice_client):
    response = _add(alice_client, status="concluded")
    assert "afterwards" in response.context["form"].errors
    response = _add(alice_client, status="concluded", afterwards="former_colleague")
    assert BoardMember.objects.get().get_afterwards_display() == "A former colleague"


def test_the_member_page_works(alice_client, alice):
    member = make_member(alice, name="Dr. Page", title="Professor")
    response = alice_client.get(member.get_absolute_url())
    assert response.status_code == 200
    assert b"Dr. Page" in response.content and b"Professor" in response.content
    assert b"Added as active" in response.content


def test_editing_a_member_works_and_keeps_role_history(alice_client, alice):
    member = make_member(alice, roles=("mentor",), on=days_ago(10))
    response = alice_client.post(
        reverse("board:edit", args=[member.pk]),
        {"name": "Dr. Renamed", "roles": [role("coach").pk], "version": member.version},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Dr. Renamed" and member.version == 2
    assert [r.slug for r in member.current_roles()] == ["coach"]
    assert [br.role.slug for br in member.past_roles()] == ["mentor"]


def test_the_edit_form_shows_errors_beside_the_fields(alice_client, alice):
    member = make_member(alice)
    response = alice_client.post(reverse("board:edit", args=[member.pk]), {"name": "", "email": "nope", "version": 1})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email", "roles"}
    assert b'id="error_1_id_name"' in response.content or b"invalid-feedback" in response.content


def test_a_concluded_members_edit_form_has_no_roles(alice_client, alice):
    member = make_member(alice, status="concluded")
    response = alice_client.get(reverse("board:edit", args=[member.pk]))
    assert "roles" not in response.context["form"].fields
    alice_client.post(reverse("board:edit", args=[member.pk]), {"name": "Still Here", "version": 1})
    member.refresh_from_db()
    assert member.name == "Still Here" and member.current_roles() == []


def test_changing_status_works(alice_client, alice):
    member = make_member(alice, status="prospective")
    response = alice_client.post(reverse("board:status", args=[member.pk]), {"status": "active"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "active"
    assert member.status_changes.count() == 2


def test_a_status_not_allowed_from_here_changes_nothing(alice_client, alice):
    member = make_member(alice, status="prospective")
    alice_client.post(reverse("board:status", args=[member.pk]), {"status": "concluded"})
    member.refresh_from_db()
    assert member.status == "prospective"


def test_setting_the_next_check_in_by_hand_works(alice_client, alice):
    member = make_member(alice)
    alice_client.post(reverse("board:next_check_in", args=[member.pk]), {"next_check_in_on": "2030-01-02"})
    member.refresh_from_db()
    assert str(member.next_check_in_on) == "2030-01-02" and member.next_check_in_by_hand


def test_removing_needs_a_confirmation(alice_client, alice):
    member = make_member(alice, name="Dr. Gone")
    response = alice_client.get(reverse("board:delete", args=[member.pk]))
    assert response.status_code == 200 and b"cannot be recovered" in response.content
    assert BoardMember.objects.exists()
    response = alice_client.post(reverse("board:delete", args=[member.pk]))
    assert response.status_code == 302 and response.url == reverse("board:board")
    assert not BoardMember.objects.exists()


def test_adding_from_a_worksheet_prefills_the_chosen_role_and_links_it(alice_client, alice):
    worksheet = Worksheet.objects.create(
        owner=alice, problem="Overwhelmed", chosen_role=role("coach"), recommended_role=role("coach")
    )
    url = reverse("board:add") + f"?worksheet={worksheet.pk}"
    response = alice_client.get(url)
    assert response.context["form"].initial["roles"] == [role("coach").pk]
    alice_client.post(url, {"name": "Coach Kim", "roles": [role("coach").pk], "status": "prospective"})
    member = BoardMember.objects.get()
    assert member.status == "prospective"
    assert member.worksheet_links.get().worksheet == worksheet


def test_adding_from_someone_elses_worksheet_is_404(charlie_client, alice):
    worksheet = Worksheet.objects.create(owner=alice, chosen_role=role("coach"))
    assert charlie_client.get(reverse("board:add") + f"?worksheet={worksheet.pk}").status_code == 404


def test_adding_from_a_worksheet_that_is_not_a_number_is_404(alice_client):
    assert alice_client.get(reverse("board:add") + "?worksheet=abc").status_code == 404
