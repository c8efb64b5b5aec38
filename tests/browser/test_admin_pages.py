"""Every admin page a program director uses, in Chromium: axe finds nothing at 1280 and 390 px
(normal and error states), and no page scrolls sideways at 320 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devboard.programs.models import Membership, Program, RosterRun
from devboard.sso.models import ProgramRule
from roles.models import AnswerOption, AnswerRule, Need, NeedRule, RefiningQuestion, Role
from tests.factories import authenticator_for, make_user
from worksheets.models import Example

from .support import sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 700}


@pytest.fixture
def director(transactional_db):
    dana = make_user("dana", first_name="Dana", last_name="Morales")
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    program.add_member(make_user("riley", first_name="Riley", last_name="Chen"), Membership.Kind.LEARNER)
    ProgramRule.objects.create(program=program, attribute="groups", value="im-residents", kind="learner")
    RosterRun.objects.create(program=program, file_name="im-roster.csv", created=12, ran_at=timezone.now())
    authenticator_for(dana)  # directors sign in with a password and a code
    return dana


class Findings:
    """What axe and the 320 px check found, page after page, so one run shows every problem at once."""

    def __init__(self, page, axe, base: str):
        self.page, self.axe, self.base, self.found, self.checked = page, axe, base, [], []

    def check(self, path: str | None = None):
        if path is not None:
            response = self.page.goto(f"{self.base}{path}")
            assert response.status == 200, f"{path} answered {response.status}"
        url = self.page.url.removeprefix(self.base)
        self.checked.append(url)
        for size in (DESKTOP, PHONE):
            self.page.set_viewport_size(size)
            results = self.axe.run(self.page)
            for violation in results.response["violations"]:
                nodes = violation["nodes"]
                targets = ", ".join(" ".join(node["target"]) for node in nodes[:3])
                self.found.append(f"{url} at {size['width']}px: {violation['id']} ({len(nodes)}) {targets}")
        self.page.set_viewport_size(NARROW)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            self.found.append(f"{url} at 320px: scrolls sideways by {overflow}px")
        self.page.set_viewport_size(DESKTOP)

    def assert_none(self):
        assert not self.found, f"{len(self.found)} problems on {len(self.checked)} pages:\n" + "\n".join(self.found)


@pytest.fixture
def findings(page, live_server, axe, director):
    sign_in(page, live_server, "dana")
    return Findings(page, axe, live_server.url)


def test_the_admin_wears_devboards_colours_and_typeface(findings):
    findings.page.goto(f"{findings.base}/admin/")
    header = findings.page.locator("#header")
    expect(header).to_have_css("background-color", "rgb(11, 61, 117)")  # the navy bar of every other page
    expect(header.get_by_role("link", name="devboard")).to_be_visible()
    assert findings.page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Source Sans 3"')
    findings.page.goto(f"{findings.base}/admin/roles/role/add/")
    expect(findings.page.locator("input[name=_save]")).to_have_css("background-color", "rgb(11, 61, 117)")


def test_the_admin_lists_and_empty_forms_a_director_uses_are_accessible(findings):
    for path in (
        "/admin/",
        "/admin/roles/",
        "/admin/worksheets/",
        "/admin/programs/",
        "/admin/roles/role/",
        "/admin/roles/role/?published__exact=1",
        "/admin/roles/role/?q=coach",
        "/admin/roles/need/",
        "/admin/roles/refiningquestion/",
        "/admin/roles/answeroption/",
        "/admin/roles/needrule/",
        "/admin/roles/answerrule/",
        "/admin/worksheets/example/",
        "/admin/programs/program/",
        "/admin/programs/membership/",
        "/admin/programs/rosterrun/",
        "/admin/roles/role/add/",
        "/admin/roles/need/add/",
        "/admin/roles/refiningquestion/add/",
        "/admin/roles/answeroption/add/",
        "/admin/worksheets/example/add/",
        "/admin/password_change/",
    ):
        findings.check(path)
    findings.assert_none()


def test_the_admin_records_and_their_inlines_are_accessible(findings):
    coach, need = Role.objects.get(slug="coach"), Need.objects.get(slug="clarity")
    question = RefiningQuestion.objects.first()
    option = AnswerOption.objects.filter(rules__isnull=False).first()
    example = Example.objects.first()
    program = Program.objects.get(slug="im")
    for path in (
        f"/admin/roles/role/{coach.pk}/change/",
        f"/admin/roles/role/{coach.pk}/preview/",
        f"/admin/roles/need/{need.pk}/change/",
        f"/admin/roles/refiningquestion/{question.pk}/change/",
        f"/admin/roles/answeroption/{option.pk}/change/",
        f"/admin/roles/needrule/{NeedRule.objects.first().pk}/change/",
        f"/admin/roles/answerrule/{AnswerRule.objects.first().pk}/change/",
        f"/admin/worksheets/example/{example.pk}/change/",
        f"/admin/programs/program/{program.pk}/change/",
        f"/admin/programs/membership/{Membership.objects.get(user__username='riley').pk}/change/",
        f"/admin/programs/rosterrun/{RosterRun.objects.get().pk}/change/",
        f"/admin/worksheets/example/{example.pk}/delete/",
        f"/admin/roles/answeroption/{option.pk}/delete/",
    ):
        findings.check(path)

    # A saved change: the list with its message, then the history of who changed what.
    findings.page.goto(f"{findings.base}/admin/roles/role/{coach.pk}/change/")
    findings.page.get_by_label("Pitfall").fill("A coach asks even when a quick answer would do; say so early.")
    findings.page.get_by_role("button", name="Save", exact=True).click()
    expect(findings.page.get_by_text("was changed successfully")).to_be_visible()
    findings.check()
    findings.check(f"/admin/roles/role/{coach.pk}/history/")
    findings.check(f"/admin/roles/role/{coach.pk}/history/{coach.history.latest().history_id}/")

    # Deleting several examples at once asks first.
    findings.page.goto(f"{findings.base}/admin/worksheets/example/")
    findings.page.locator("input[name=_selected_action]").first.check()
    findings.page.locator("select[name=action]").select_option("delete_selected")
    findings.page.get_by_role("button", name="Go").click()
    expect(findings.page.get_by_role("heading", name="Delete multiple objects")).to_be_visible()
    findings.check()
    findings.assert_none()


def test_admin_forms_with_errors_are_accessible(findings):
    page = findings.page
    coach, need = Role.objects.get(slug="coach"), Need.objects.get(slug="clarity")
    option = AnswerOption.objects.filter(rules__isnull=False).first()

    page.goto(f"{findings.base}/admin/roles/role/{coach.pk}/change/")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    findings.check()

    page.goto(f"{findings.base}/admin/roles/need/{need.pk}/change/")
    page.locator("select[name$='-role']").first.select_option("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    findings.check()

    page.goto(f"{findings.base}/admin/roles/answeroption/{option.pk}/change/")
    page.locator("input[name$='-points']").first.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    findings.check()

    page.goto(f"{findings.base}/admin/roles/role/")
    page.locator("input[name$='-order']").first.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    findings.check()

    page.goto(f"{findings.base}/admin/password_change/")
    page.get_by_label("Old password").fill("not-my-password")
    page.locator("#id_new_password1").fill("a-long-and-unusual-passphrase-42")
    page.locator("#id_new_password2").fill("a-different-passphrase-entirely")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    findings.check()
    findings.assert_none()
