"""The guidance admin as a program director uses it: staff through a group, never a superuser."""

import pytest
from django.contrib import admin

from devboard.programs.models import Membership, Program
from roles.models import AnswerOption, AnswerRule, Need, NeedRule, Role
from tests.factories import make_user, sign_in_with_second_factor
from worksheets.models import Example, Worksheet

ROLE_FIELDS = (
    "name",
    "slug",
    "tagline",
    "order",
    "ideal_use",
    "style",
    "sayings",
    "pitfall",
    "learner_example",
    "faculty_example",
    "suggested_questions",
)
NEED_FIELDS = ("name", "slug", "order", "summary", "explanation", "sounds_like")


@pytest.fixture
def program(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def dana(program):
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(user, Membership.Kind.DIRECTOR)
    user.refresh_from_db()
    return user


@pytest.fixture
def dana_client(client, dana):
    sign_in_with_second_factor(client, dana)
    return client


def role_data(role: Role, **changes) -> dict:
    data = {f: getattr(role, f) for f in ROLE_FIELDS}
    if role.published:
        data["published"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def need_data(need: Need, rules: dict, published: bool = True) -> dict:
    """POST data for the need's change form; `rules` maps a role slug to its points, or None to delete the rule."""
    data = {f: getattr(need, f) for f in NEED_FIELDS}
    if published:
        data["published"] = "on"
    existing = list(need.rules.select_related("role"))
    forms = [(rule, rules.get(rule.role.slug, (rule.primary_points, rule.secondary_points))) for rule in existing]
    forms += [(None, points) for slug, points in rules.items() if slug not in {r.role.slug for r in existing}]
    new_roles = [slug for slug in rules if slug not in {r.role.slug for r in existing}]
    data.update(
        {
            "rules-TOTAL_FORMS": len(forms),
            "rules-INITIAL_FORMS": len(existing),
            "rules-MIN_NUM_FORMS": 0,
            "rules-MAX_NUM_FORMS": 1000,
        }
    )
    for i, (rule, points) in enumerate(forms):
        role = rule.role if rule else Role.objects.get(slug=new_roles[i - len(existing)])
        data.update(
            {
                f"rules-{i}-id": rule.pk if rule else "",
                f"rules-{i}-need": need.pk,
                f"rules-{i}-role": role.pk,
                f"rules-{i}-primary_points": points[0] if points else (rule.primary_points if rule else 0),
                f"rules-{i}-secondary_points": points[1] if points else (rule.secondary_points if rule else 0),
                f"rules-{i}-reason": rule.reason if rule else "A reason.",
            }
        )
        if points is None:
            data[f"rules-{i}-DELETE"] = "on"
    return data


# -- who gets in --------------------------------------------------------------


def test_a_director_is_staff_but_not_a_superuser(dana):
    assert dana.is_staff and not dana.is_superuser


def test_a_director_sees_the_guidance_and_examples_in_the_admin(dana_client):
    response = dana_client.get("/admin/")
    assert response.status_code == 200
    for url in (
        "/admin/roles/role/",
        "/admin/roles/need/",
        "/admin/roles/refiningquestion/",
        "/admin/worksheets/example/",
    ):
        assert url in response.text
        assert dana_client.get(url).status_code == 200, url
    assert "/admin/devboard/user/" not in response.text
    assert "/admin/auth/group/" not in response.text


def test_learners_and_faculty_cannot_open_the_admin(client, alice, charlie):
    for user in (alice, charlie):
        client.force_login(user)
        for url in ("/admin/", "/admin/roles/role/"):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith("/admin/login/"), url


def test_worksheets_boards_agreements_and_check_ins_are_not_in_the_admin():
    from django.apps import apps

    private = [Worksheet] + [
        apps.get_model("board", name)
        for name in (
            "BoardMember",
            "BoardRole",
            "Agreement",
            "CheckIn",
            "StatusChange",
            "WorksheetLink",
            "CalendarFeed",
            "Reminder",
        )
    ]
    for model in private:
        assert not admin.site.is_registered(model), model


def test_a_director_who_guesses_admin_urls_for_private_data_gets_nothing(dana_client, alice):
    worksheet = Worksheet.objects.create(owner=alice, problem="My private problem")
    for url in (
        "/admin/worksheets/worksheet/",
        f"/admin/worksheets/worksheet/{worksheet.pk}/change/",
        "/admin/board/boardmember/",
        "/admin/board/checkin/",
        "/admin/board/agreement/",
    ):
        response = dana_client.get(url)
        assert response.status_code == 404, url
        assert "My private problem" not in response.text


def test_only_superusers_browse_users_and_groups(client, dana_client, alice):
    for url in ("/admin/devboard/user/", f"/admin/devboard/user/{alice.pk}/change/", "/admin/auth/group/"):
        assert dana_client.get(url).status_code == 403, url
    root = make_user("root", is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, root)
    assert client.get("/admin/devboard/user/").status_code == 200


# -- editing guidance, and its history -----------------------------------------


def test_a_director_edits_a_pitfall_and_users_see_it_at_once(dana_client):
    coach = Role.objects.get(slug="coach")
    response = dana_client.post(
        f"/admin/roles/role/{coach.pk}/change/",
        role_data(coach, pitfall="Coaching can feel slow when a plain answer would do."),
    )
    assert response.status_code == 302
    assert "Coaching can feel slow when a plain answer would do." in dana_client.get("/roles/").text
    assert "Coaching can feel slow" in dana_client.get("/roles/coach/").text


def test_history_records_who_changed_what_and_the_previous_value(dana_client, dana):
    coach = Role.objects.get(slug="coach")
    old = coach.pitfall
    dana_client.post(f"/admin/roles/role/{coach.pk}/change/", role_data(coach, pitfall="A new pitfall."))
    latest = coach.history.latest()
    assert latest.history_user == dana
    assert latest.history_type == "~"
    assert latest.prev_record.pitfall == old
    page = dana_client.get(f"/admin/roles/role/{coach.pk}/history/")
    assert page.status_code == 200
    assert "dana" in page.text
    assert "A new pitfall." in page.text and old[:60] in page.text
    assert f"/admin/devboard/user/{dana.pk}/change/" not in page.text


def test_a_completed_worksheet_keeps_its_snapshot_after_a_guidance_edit(dana_client, alice):
    coach = Role.objects.get(slug="coach")
    snapshot = {"ranking": [{"role": "coach", "name": "Coach", "pitfall": coach.pitfall}]}
    worksheet = Worksheet.objects.create(
        owner=alice, status="completed", recommendation=snapshot, recommended_role=coach
    )
    dana_client.post(f"/admin/roles/role/{coach.pk}/change/", role_data(coach, pitfall="Rewritten."))
    worksheet.refresh_from_db()
    assert worksheet.recommendation == snapshot


def test_a_director_cannot_delete_roles_or_needs(dana_client):
    coach, access = Role.objects.get(slug="coach"), Need.objects.get(slug="access")
    assert dana_client.post(f"/admin/roles/role/{coach.pk}/delete/", {"post": "yes"}).status_code == 403
    assert dana_client.post(f"/admin/roles/need/{access.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Role.objects.filter(pk=coach.pk).exists() and Need.objects.filter(pk=access.pk).exists()


def test_the_preview_shows_the_role_as_users_will_see_it_even_unpublished(dana_client):
    advisor = Role.objects.get(slug="advisor")
    Role.objects.filter(pk=advisor.pk).update(published=False, pitfall="Draft pitfall text.")
    assert dana_client.get("/roles/advisor/").status_code == 404
    response = dana_client.get(f"/admin/roles/role/{advisor.pk}/preview/")
    assert response.status_code == 200
    assert "Draft pitfall text." in response.text
    assert "not published" in response.text
    assert f"/admin/roles/role/{advisor.pk}/preview/" in dana_client.get("/admin/roles/role/").text


def test_the_role_list_searches_and_filters(dana_client):
    response = dana_client.get("/admin/roles/role/", {"q": "vouches"})
    assert [r.slug for r in response.context["cl"].result_list] == ["sponsor"]
    Role.objects.filter(slug="coach").update(published=False)
    response = dana_client.get("/admin/roles/role/", {"published__exact": "0"})
    assert [r.slug for r in response.context["cl"].result_list] == ["coach"]


def test_publish_and_unpublish_actions_record_who_did_it(dana_client, dana):
    coach = Role.objects.get(slug="coach")
    response = dana_client.post("/admin/roles/role/", {"action": "unpublish", "_selected_action": [coach.pk]})
    assert response.status_code == 302
    coach.refresh_from_db()
    assert not coach.published
    assert coach.history.latest().history_user == dana
    assert "Coach" not in [r.name for r in Role.objects.published()]
    dana_client.post("/admin/roles/role/", {"action": "publish", "_selected_action": [coach.pk]})
    coach.refresh_from_db()
    assert coach.published


def test_a_director_curates_examples_with_history(dana_client, dana):
    example = Example.objects.first()
    response = dana_client.post("/admin/worksheets/example/", {"action": "unpublish", "_selected_action": [example.pk]})
    assert response.status_code == 302
    example.refresh_from_db()
    assert not example.published
    assert example.history.latest().history_user == dana
    assert dana_client.get(f"/admin/worksheets/example/{example.pk}/history/").status_code == 200


# -- the rule set must always recommend ---------------------------------------


def test_a_need_keeps_a_rule_that_points_to_a_role(dana_client):
    access = Need.objects.get(slug="access")
    response = dana_client.post(
        f"/admin/roles/need/{access.pk}/change/", need_data(access, {"sponsor": (0, 3), "mentor": (0, 1)})
    )
    assert response.status_code == 200
    assert "would recommend no role" in response.text
    assert NeedRule.objects.get(need=access, role__slug="sponsor").primary_points == 6


def test_deleting_every_rule_of_a_published_need_is_refused(dana_client):
    access = Need.objects.get(slug="access")
    response = dana_client.post(
        f"/admin/roles/need/{access.pk}/change/", need_data(access, {"sponsor": None, "mentor": None})
    )
    assert response.status_code == 200
    assert "would recommend no role" in response.text
    assert access.rules.count() == 2


def test_a_rule_pointing_only_to_an_unpublished_role_is_refused(dana_client):
    access = Need.objects.get(slug="access")
    Role.objects.filter(slug="mentor").update(published=False)
    response = dana_client.post(f"/admin/roles/need/{access.pk}/change/", need_data(access, {"sponsor": None}))
    assert response.status_code == 200
    assert "would recommend no role" in response.text


def test_a_change_that_keeps_one_positive_rule_is_saved_with_history(dana_client, dana):
    access = Need.objects.get(slug="access")
    response = dana_client.post(f"/admin/roles/need/{access.pk}/change/", need_data(access, {"sponsor": (5, 2)}))
    assert response.status_code == 302
    rule = NeedRule.objects.get(need=access, role__slug="sponsor")
    assert (rule.primary_points, rule.secondary_points) == (5, 2)
    record = rule.history.latest()
    assert record.history_user == dana and record.prev_record.primary_points == 6
    page = dana_client.get(f"/admin/roles/need/{access.pk}/change/")
    assert "primary points: 6 → 5" in page.text


def test_an_unpublished_need_may_have_no_rules_yet(dana_client):
    data = {
        "name": "Belonging",
        "slug": "belonging",
        "order": 9,
        "summary": "Feeling part of a community",
        "explanation": "You want to find your people.",
        "sounds_like": "Where do I fit?",
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    response = dana_client.post("/admin/roles/need/add/", data)
    assert response.status_code == 302
    need = Need.objects.get(slug="belonging")
    response = dana_client.post("/admin/roles/need/", {"action": "publish", "_selected_action": [need.pk]}, follow=True)
    assert "with no role to recommend" in response.text
    need.refresh_from_db()
    assert not need.published


def test_unpublishing_the_last_role_a_need_points_to_is_refused(dana_client):
    NeedRule.objects.filter(need__slug="access", role__slug="mentor").update(primary_points=0)
    sponsor = Role.objects.get(slug="sponsor")
    response = dana_client.post(f"/admin/roles/role/{sponsor.pk}/change/", role_data(sponsor, published=None))
    assert response.status_code == 200
    assert "Unpublishing Sponsor would leave Access with no role to recommend" in response.text
    sponsor.refresh_from_db()
    assert sponsor.published


def test_the_unpublish_action_checks_the_roles_together(dana_client):
    both = list(Role.objects.filter(slug__in=["sponsor", "mentor"]).values_list("pk", flat=True))
    response = dana_client.post("/admin/roles/role/", {"action": "unpublish", "_selected_action": both}, follow=True)
    assert "Access" in response.text and "with no role to recommend" in response.text
    assert Role.objects.filter(pk__in=both, published=True).count() == 2


def test_an_answer_rule_of_zero_points_is_refused(dana_client):
    option = AnswerOption.objects.get(question__slug="answers", slug="direct")
    rules = list(option.rules.select_related("role"))
    data = {
        "question": option.question_id,
        "slug": option.slug,
        "label": option.label,
        "order": option.order,
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": len(rules),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for i, rule in enumerate(rules):
        data.update(
            {
                f"rules-{i}-id": rule.pk,
                f"rules-{i}-option": option.pk,
                f"rules-{i}-role": rule.role_id,
                f"rules-{i}-points": 0 if i == 0 else rule.points,
                f"rules-{i}-reason": rule.reason,
            }
        )
    response = dana_client.post(f"/admin/roles/answeroption/{option.pk}/change/", data)
    assert response.status_code == 200
    assert "A rule of zero points changes nothing" in response.text
    assert AnswerRule.objects.get(pk=rules[0].pk).points == rules[0].points


def test_the_rule_overview_is_read_only_but_keeps_history(dana_client):
    rule = NeedRule.objects.get(need__slug="access", role__slug="sponsor")
    assert dana_client.get("/admin/roles/needrule/").status_code == 200
    assert dana_client.get(f"/admin/roles/needrule/{rule.pk}/history/").status_code == 200
    response = dana_client.post(f"/admin/roles/needrule/{rule.pk}/change/", {"primary_points": 0})
    assert response.status_code == 403
    assert dana_client.get("/admin/roles/needrule/add/").status_code == 403


# -- programs ---------------------------------------------------------------


def test_a_director_sees_only_their_own_program_in_the_admin(dana_client, program):
    other = Program.objects.create(name="Surgery Residency", slug="surgery")
    response = dana_client.get("/admin/programs/program/")
    assert "Internal Medicine Residency" in response.text and "Surgery Residency" not in response.text
    assert dana_client.get(f"/admin/programs/program/{program.pk}/change/").status_code == 200
    response = dana_client.get(f"/admin/programs/program/{other.pk}/change/")
    assert response.status_code == 302 and response.url == "/admin/"
    dana_client.post(f"/admin/programs/program/{other.pk}/change/", {"name": "Hijacked", "slug": "surgery"})
    other.refresh_from_db()
    assert other.name == "Surgery Residency"


def test_a_director_cannot_add_or_delete_programs(dana_client, program):
    assert dana_client.get("/admin/programs/program/add/").status_code == 403
    assert dana_client.post(f"/admin/programs/program/{program.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_new_published_need_without_rules_is_refused(dana_client):
    data = {
        "name": "Belonging",
        "slug": "belonging",
        "order": 9,
        "published": "on",
        "summary": "Feeling part of a community",
        "explanation": "You want to find your people.",
        "sounds_like": "Where do I fit?",
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    response = dana_client.post("/admin/roles/need/add/", data)
    assert response.status_code == 200
    assert "would recommend no role" in response.text
    assert not Need.objects.filter(slug="belonging").exists()


def test_the_shipped_guidance_has_a_first_history_record(db):
    for model in (Role, Need, NeedRule, AnswerRule, Example):
        assert model.history.filter(history_type="+").count() == model.objects.count(), model
