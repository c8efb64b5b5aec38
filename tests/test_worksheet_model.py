"""The worksheet's step transitions, without a request: what a save does to the worksheet."""

import pytest

from roles.models import Need, RefiningQuestion, Role
from tests.factories import make_worksheet
from worksheets.models import STEP_SLUGS, Worksheet

pytestmark = pytest.mark.django_db


def _through_need(owner, need_slug="wisdom") -> Worksheet:
    w = make_worksheet(owner)
    w.save_step("problem")
    w.ideal_outcome = "A clear path."
    w.save_step("outcome")
    w.primary_need = Need.objects.get(slug=need_slug)
    return w


def test_saving_a_step_moves_the_draft_on(alice):
    w = make_worksheet(alice)
    assert w.save_step("problem") == "outcome"
    w.refresh_from_db()
    assert w.step == "outcome" and not w.is_completed


def test_the_need_step_makes_the_recommendation(alice):
    w = _through_need(alice, "access")
    assert w.save_step("need", other_needs=[Need.objects.get(slug="clarity")]) == "refine"
    w.refresh_from_db()
    assert w.recommended_role.slug == "sponsor"
    assert [n.slug for n in w.other_needs.all()] == ["clarity"]


def test_the_refine_step_is_skipped_while_no_question_is_published(alice):
    RefiningQuestion.objects.update(published=False)
    w = _through_need(alice)
    assert w.save_step("need", other_needs=[]) == "recommendation"
    w.refresh_from_db()
    assert w.step == "recommendation"


def test_saving_the_last_step_completes_the_worksheet(alice):
    w = make_worksheet(alice, completed=True)
    w.status, w.completed_at, w.step = Worksheet.Status.DRAFT, None, STEP_SLUGS[-1]
    assert w.save_step("next") is None
    assert w.is_completed and w.completed_at is not None


def test_a_new_role_replaces_questions_left_as_suggested(alice):
    w = _through_need(alice)
    w.save_step("need", other_needs=[])
    mentor, coach = Role.objects.get(slug="mentor"), Role.objects.get(slug="coach")
    w.chosen_role = mentor
    w.save_step("recommendation", previous_role_id=None)
    w.questions_to_ask = "\n".join(w.chosen_snapshot()["questions"])
    w.save()
    w.chosen_role = coach
    w.save_step("recommendation", previous_role_id=mentor.pk)
    assert w.question_list() == w.chosen_snapshot()["questions"]
    assert w.question_list() == coach.question_list()


def test_resaving_the_same_role_keeps_suggested_questions(alice):
    w = make_worksheet(alice, completed=True, questions=None)
    before = w.question_list()
    assert before
    w.save_step("recommendation", previous_role_id=w.chosen_role_id)
    w.refresh_from_db()
    assert w.question_list() == before


def test_a_new_role_keeps_questions_the_person_wrote(alice):
    w = make_worksheet(alice, completed=True)  # questions written by hand
    w.chosen_role = Role.objects.get(slug="coach")
    w.save_step("recommendation", previous_role_id=Role.objects.get(slug="advisor").pk)
    assert w.questions_to_ask == "What do strong interns do?"


def test_duplicate_makes_a_draft_copy_and_leaves_the_original(alice):
    original = make_worksheet(alice, completed=True)
    copy = original.duplicate()
    original.refresh_from_db()
    assert copy.pk != original.pk and original.is_completed
    assert copy.status == Worksheet.Status.DRAFT and copy.title.startswith("Copy of")
    assert copy.problem == original.problem and copy.chosen_role == original.chosen_role


def test_archive_and_restore(alice):
    w = make_worksheet(alice)
    w.archive()
    assert list(Worksheet.objects.for_owner(alice).archived()) == [w]
    w.restore()
    assert list(Worksheet.objects.for_owner(alice).active()) == [w]


def test_for_owner_leaves_out_other_peoples_worksheets(alice, charlie):
    mine = make_worksheet(alice)
    make_worksheet(charlie)
    assert list(Worksheet.objects.for_owner(alice)) == [mine]
