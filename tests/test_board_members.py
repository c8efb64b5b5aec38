import datetime

from django.urls import reverse

from devboard.board.models import BoardMember, CheckIn
from tests.factories import days_ago, make_agreement, make_member, role
from worksheets.models import Worksheet


def _add(client, **overrides):
    data = {
        "name": "Dr. Sam Rivera",
        "email": "sam@example.org",
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


def test_an_empty_board_invites_to_fill_each_seat_rather_than_warning(alice_client):
    response = alice_client.get(reverse("board:board"))
    content = response.content.decode()
    assert "Your board is empty" in content
    for name in ("a mentor", "a sponsor", "a coach", "an advisor"):
        assert f"find {name}</a>" in content
    assert "Empty" not in content and "text-bg-warning" not in content


def test_the_board_shows_who_sits_where_and_links_open_seats_to_their_guide(alice_client, alice):
    make_member(alice, name="Dr. Mia Mentor", roles=("mentor",))
    response = alice_client.get(reverse("board:board"))
    seats = {s["role"].slug: s for s in response.context["picture"]["seats"]}
    assert seats["mentor"]["covered"] and [m.name for m in seats["mentor"]["people"]] == ["Dr. Mia Mentor"]
    assert not seats["coach"]["covered"] and seats["coach"]["people"] == []
    assert reverse("roles:detail", args=["coach"]).encode() in response.content
    assert reverse("roles:detail", args=["mentor"]).encode() not in response.content
    assert reverse("worksheets:new").encode() in response.content
    assert b'<span class="person-initials" aria-hidden="true">MM</span>' in response.content


def test_someone_in_two_seats_is_drawn_once(alice_client, alice):
    make_member(alice, name="Dr. Two Seats", roles=("mentor", "sponsor"))
    response = alice_client.get(reverse("board:board"))
    picture = response.content.decode().split('id="board-map"')[1].split("</ul>\n<p")[0]
    assert picture.count("Dr. Two Seats</span>") == 1
    assert "corner-top-right" in picture


def test_up_next_lists_due_check_ins_revisits_and_reviews_soonest_first(alice_client, alice):
    late = make_member(alice, name="Late Lee")
    late.set_next_check_in(days_ago(1))
    revisit = make_member(alice, name="Revisit Ray")
    make_agreement(revisit, revisit_on=days_ago(0))
    make_member(alice, name="Fine Fay")
    response = alice_client.get(reverse("board:board"))
    assert [(i["kind"], i["member"].name) for i in response.context["up_next"]] == [
        ("check_in", "Late Lee"),
        ("revisit", "Revisit Ray"),
    ]
    assert b"Check in with Late Lee" in response.content
    assert b"Revisit the goals with Revisit Ray" in response.content


def test_adding_a_person_works(alice_client, alice):
    response = _add(alice_client)
    member = BoardMember.objects.get(owner=alice)
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    assert member.status == "active" and member.email == "sam@example.org"
    assert [r.slug for r in member.current_roles()] == ["mentor", "sponsor"]
    assert member.status_changes.get().to_status == "active"


def test_adding_needs_a_name_and_a_role(alice_client):
    response = _add(alice_client, name="", roles=[])
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "roles"}
    assert not BoardMember.objects.exists()


def test_adding_asks_only_what_adding_needs(alice_client):
    form = alice_client.get(reverse("board:add")).context["form"]
    assert list(form.fields) == ["name", "email", "roles", "status"]


def test_adding_starts_a_relationship_as_prospective_or_active_only(alice_client):
    response = _add(alice_client, status="concluded")
    assert "status" in response.context["form"].errors
    assert not BoardMember.objects.exists()


def test_adding_errors_say_what_to_do(alice_client):
    response = _add(alice_client, name="", roles=[], email="nope")
    content = response.content.decode()
    assert "Enter their name, as you would address them." in content
    assert "Choose at least one role" in content
    assert "Enter an email address like name@example.org" in content


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


def test_a_next_check_in_date_that_does_not_exist_is_refused_on_the_page_keeping_what_was_typed(alice_client, alice):
    member = make_member(alice)
    member.set_next_check_in(datetime.date(2030, 1, 2))
    response = alice_client.post(reverse("board:next_check_in", args=[member.pk]), {"next_check_in_on": "31 Feb 2031"})
    html = response.content.decode()
    assert response.status_code == 400 and "<title>Error: " in html
    assert "data-error-summary" in html and '<a href="#id_next_check_in_on">' in html
    assert 'value="31 Feb 2031"' in html  # what was typed, to correct
    member.refresh_from_db()
    assert member.next_check_in_on == datetime.date(2030, 1, 2)


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


def test_a_prospective_persons_one_action_is_to_reach_out_with_the_worksheets_questions(alice_client, alice):
    from devboard.board.models import WorksheetLink
    from tests.factories import make_worksheet

    worksheet = make_worksheet(alice, completed=True)
    member = make_member(
        alice, name="Dr. Ada Advisor", roles=("advisor",), status="prospective", email="ada@example.org"
    )
    WorksheetLink.objects.create(worksheet=worksheet, member=member, role=role("advisor"))
    content = alice_client.get(member.get_absolute_url()).content.decode()
    assert "Reach out" in content and "What do strong interns do?" in content
    assert 'href="mailto:ada@example.org?subject=Would%20you%20be%20an%20advisor%20for%20me%3F&amp;body=' in content
    assert "Dear Dr. Ada Advisor," in content and "- What do strong interns do?" in content  # the message to copy
    assert content.count("btn-primary") == 1
    assert "Log a check-in</a>" not in content.split('id="more-heading"')[0]


def test_without_a_worksheet_reaching_out_suggests_the_guides_questions(alice_client, alice):
    member = make_member(alice, name="Jordan Lee", roles=("coach",), status="prospective")
    response = alice_client.get(member.get_absolute_url())
    content = response.content.decode()
    assert "Questions the guide suggests" in content
    assert role("coach").question_list()[0] in content
    assert "mailto:?" not in content and "Add their email" in content


def test_an_active_persons_one_action_is_to_log_a_check_in(alice_client, alice):
    member = make_member(alice, status="active")
    content = alice_client.get(member.get_absolute_url()).content.decode()
    assert content.count("btn-primary") == 1
    assert f'class="btn btn-primary btn-lg" href="{reverse("board:check_in_new", args=[member.pk])}"' in content


def test_a_paused_persons_one_action_is_to_resume_or_review(alice_client, alice):
    member = make_member(alice, status="active")
    member.set_status("paused")
    content = alice_client.get(member.get_absolute_url()).content.decode()
    assert "Resume or review" in content and content.count("btn-primary") == 1
    assert 'class="btn btn-primary" name="status" value="active">Resume</button>' in content


def test_removing_sits_in_a_separate_danger_zone_below_everything_else(alice_client, alice):
    member = make_member(alice)
    content = alice_client.get(member.get_absolute_url()).content.decode()
    danger = content.index('id="danger-heading"')
    assert content.index(reverse("board:delete", args=[member.pk])) > danger
    assert content.index('id="check-ins-heading"') < danger and content.index('id="arc-heading"') < danger


def test_the_next_check_in_comes_before_the_check_ins(alice_client, alice):
    member = make_member(alice)
    for n in (3, 2, 1):
        member.log_check_in(CheckIn(held_on=days_ago(n * 30), discussed=f"Talk {n}"))
    content = alice_client.get(member.get_absolute_url()).content.decode()
    assert content.index('id="next-check-in"') < content.index('id="check-ins"')
    assert content.index("Talk 1") < content.index("Talk 2") < content.index("Talk 3")  # newest first
