"""Every page of the product, in its normal, error and empty states: axe finds nothing at 1280 and 390 px,
and nothing scrolls sideways at 320 px.

The list of pages is the access matrix's (tests/test_access.py ROUTES): `test_every_page_is_swept` fails
when an address that answers GET with a page is neither visited here nor named in NOT_PAGES, and each
visit checks that it reached the address it claims. One test per area keeps one browser page and one
set of data for all the states of that area (the live server's tables are flushed after each test).
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AxeResults
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from devboard.accounts.models import SignIn
from devboard.board.models import CheckIn, Share, WorksheetLink
from devboard.programs.models import Invitation, InvitationBatch, Membership
from devboard.sso.config import OIDCProvider
from devboard.sso.models import Identity
from roles.models import Need, Role
from tests.factories import (
    authenticator_for,
    days_ago,
    make_agreement,
    make_check_in,
    make_member,
    make_program,
    make_user,
    make_worksheet,
    sign_in_with_second_factor,
)
from tests.test_access import ROUTES
from worksheets.models import Worksheet

from .support import DESKTOP, NARROW, PHONE_390

# Addresses in ROUTES that answer GET with something other than a page of their own, and why.
NOT_PAGES = {
    "admin_login": "redirects to the one sign-in page",
    "worksheets:continue": "redirects to the step to continue at",
    "board:feed": "a calendar file (text/calendar)",
    "board:export_csv": "a CSV file",
    "board:export_json": "a JSON file",
    "programs:csv": "a CSV file",
    "sso:oidc_start": "redirects to an institution's sign-in (tests/browser/sso/ with real providers)",
    "sso:oidc_callback": "back from an institution's sign-in (tests/browser/sso/)",
    "sso:saml_start": "redirects to an institution's sign-in (tests/browser/sso/)",
    "sso:saml_metadata": "XML for the institution's identity provider",
}

# area -> the addresses its test visits
AREAS = {
    "public": ["landing", "accessibility", "sso:discovery"],
    "sign_in": ["login", "login_code"],
    "password_reset": ["password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"],
    "account": [
        "account",
        "account_delete",
        "password_change",
        "password_change_done",
        "sso:linked",
        "programs:my_invitations",
    ],
    "two_factor": ["twofactor:two_factor", "twofactor:set_up", "twofactor:backup_codes", "twofactor:turn_off"],
    "empty": ["worksheets:list", "board:board", "board:calendar", "board:export"],
    "guide": ["roles:guide", "roles:needs", "roles:detail", "worksheets:examples", "worksheets:example"],
    "worksheets": ["worksheets:list", "worksheets:new", "worksheets:step", "worksheets:detail", "worksheets:print"],
    "board": ["board:board", "board:add", "board:calendar", "board:export"],
    "members": [
        "board:member",
        "board:next_check_in",
        "board:edit",
        "board:agreement",
        "board:check_in_new",
        "board:check_in_delete",
        "board:review",
        "board:conclude",
        "board:delete",
    ],
    "sharing": ["board:share", "shared"],
    "program": ["programs:index", "programs:dashboard", "programs:members", "programs:batch"],
    "invitation": ["programs:invitation"],
    "errors": ["404", "403", "400", "sso failed"],
}
# Pages that answer for an address of their own rather than being one (an error, a failed sign-in).
NOT_ROUTES = ("404", "403", "400", "sso failed")


def test_every_page_is_swept():
    pages = {name for name, route in ROUTES.items() if "GET" in route.ok}
    swept = {name for names in AREAS.values() for name in names} - set(NOT_ROUTES)
    assert pages - swept - set(NOT_PAGES) == set(), "visit these pages in tests/browser/test_every_page.py"
    assert set(NOT_PAGES) <= pages and not set(NOT_PAGES) & swept


class Sweep:
    """Checks the page as it stands, collecting every finding so one run shows them all."""

    def __init__(self, page, live_server, axe, area):
        page.set_default_timeout(5000)
        self.page, self.url, self.axe, self.area = page, live_server.url, axe, area
        self.found: list[str] = []
        self.reached: set[str] = set()

    def go(self, path: str):
        return self.page.goto(self.url + path)

    def check(self, state: str, route: str) -> None:
        page = self.page
        try:
            reached = resolve(urlsplit(page.url).path).view_name
        except Resolver404:
            reached = "404"
        if route not in NOT_ROUTES:
            assert reached == route, f"{state}: expected {route}, reached {reached} ({page.url})"
        self.reached.add(route)
        if state.endswith("error"):
            assert page.title().startswith("Error: "), f"{state}: {page.title()}"
            summary = page.evaluate(SUMMARY)
            if summary:
                self.found.append(f"{state} ({page.url}): {summary}")
        for size in (DESKTOP, PHONE_390):
            page.set_viewport_size(size)
            if size is PHONE_390:  # and what is folded away: open every disclosure for this run
                page.evaluate("document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; })")
            results = self.run_axe()
            if results.violations_count:
                self.found.append(f"{state} ({page.url}) at {size['width']}px:\n{results.generate_report()}")
        page.set_viewport_size(NARROW)
        wide = page.evaluate(WIDEST)
        if wide:
            self.found.append(f"{state} ({page.url}) scrolls sideways at 320px: {wide}")
        page.set_viewport_size(DESKTOP)

    def run_axe(self) -> AxeResults:
        """axe.run, with axe put into the page once per page rather than once per run (it is large)."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(self.axe.axe_script)
        return AxeResults(self.page.evaluate("axe.run(document, {resultTypes: ['violations']})"))

    def done(self) -> None:
        assert not self.found, "\n\n".join(self.found)
        assert self.reached == set(AREAS[self.area]), set(AREAS[self.area]) ^ self.reached


# The error summary of a refused form: there, focused as the page loads, each link leading to its field.
SUMMARY = """() => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return "no error summary";
  if (document.activeElement !== summary) return `the focus is on ${document.activeElement.tagName}, not the summary`;
  const broken = [...summary.querySelectorAll("a")].filter(
    (a) => !a.getAttribute("href").startsWith("#") || !document.getElementById(a.getAttribute("href").slice(1)));
  return broken.length ? "summary links that lead to no field: " + broken.map((a) => a.textContent).join(", ") : "";
}"""


# The elements that stick out past the right edge at the current width, for a useful failure message.
WIDEST = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return "";
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && box.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join(".");
      out.push(`${name} right=${Math.round(box.right)}`);
    }
  }
  return `scrollWidth ${root.scrollWidth} > ${root.clientWidth}: ` + out.slice(0, 8).join(", ");
}"""


def submit(page, button: str) -> None:
    """Press a form's button with the browser's own checks off, so the server's messages show."""
    page.evaluate("document.querySelectorAll('form').forEach((form) => { form.noValidate = true; })")
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def enter(page, live_server, user, second_factor: bool = False) -> None:
    """Signed in without the sign-in pages (those have a test of their own here)."""
    client = Client()
    if second_factor:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture
def world(transactional_db):
    """Riley, a resident with a bit of everything; Nell, new and empty; Dana, who directs two programs."""
    riley = make_user("riley", first_name="Riley", last_name="Chen")
    nell = make_user("nell", first_name="Nell", last_name="Novak")
    dana = make_user("dana", first_name="Dana", last_name="Morales", is_staff=True)
    authenticator_for(dana)
    program = make_program(director=dana, riley="learner", nell="learner")
    empty_program = make_program("Surgery Residency", "surgery", director=dana)
    elsewhere = make_program("Pediatrics Residency", "peds")
    waiting = Membership.objects.create(program=elsewhere, user=riley, kind="learner", state="pending")
    Invitation.objects.create(program=elsewhere, user=riley, membership=waiting, email=riley.email, kind="learner")

    done = make_worksheet(riley, completed=True, title="Presentations on rounds")
    draft = make_worksheet(riley, title="Feedback on nights")
    at_need = Worksheet.objects.create(
        owner=riley, title="Which research project", problem="Two projects, time for one.", ideal_outcome="Pick one."
    )
    at_need.step = "need"
    at_need.save()
    archived = make_worksheet(riley, title="An old worry")
    archived.archived_at = timezone.now()
    archived.save()

    prospective = make_member(
        riley, name="Dr. Ada Ames", roles=("advisor",), status="prospective", email="ada@x.org", on=days_ago(30)
    )
    active = make_member(riley, name="Dr. Miriam Alvarez-Fernández", roles=("mentor", "sponsor"), on=days_ago(100))
    active.email = "alexandra.konstantinopoulou-fitzwilliam@cardiothoracic-surgery.university-hospital.example.org"
    active.save()
    make_agreement(active, goals="A first-author paper by June", revisit_on=days_ago(5))  # due: on "Up next"
    check_in = make_check_in(active, days=20, discussed="Which journal first")
    make_check_in(active, days=50)
    active.set_next_check_in(days_ago(2))
    paused = make_member(riley, name="Sam Park", roles=("coach",), on=days_ago(100))
    paused.set_status("paused", on=days_ago(10))
    concluded = make_member(riley, name="Dr. Old Friend", roles=("coach",), on=days_ago(300))
    concluded.conclude(afterwards="peer", signs=[], note="We met our goal.", on=days_ago(3))
    WorksheetLink.objects.create(worksheet=done, member=prospective, role=Role.objects.get(slug="advisor"))
    share = Share.create(worksheet=done, member=active, days=30, with_agreement=True)
    SignIn.objects.create(user=riley, session_key="riley-on-another-browser")
    Identity.objects.create(
        user=riley, protocol="oidc", provider="uni", provider_name="State University", issuer="https://uni", subject="r"
    )
    batch = InvitationBatch.objects.create(
        program=program,
        people=[{"where": "Line 2", "name": "Kim Ito", "email": "kim@example.org", "kind": "learner"}],
        refused=[["Line 3", "not-an-address", "not an email address"]],
        failures=[["Line 4", "lee@example.org", "the email could not be sent; try again later"]],
        invited=1,
        finished_at=timezone.now(),
    )
    for i in range(6):  # enough people that the dashboard shows figures, not "fewer than 5"
        person = make_user(f"p{i}", first_name="Participant", last_name=str(i))
        program.add_member(person, Membership.Kind.LEARNER)
        make_worksheet(person, completed=True)
        make_check_in(make_member(person, name="Dr. S", roles=("advisor",), on=days_ago(60)), days=10)
    return SimpleNamespace(
        riley=riley,
        nell=nell,
        dana=dana,
        program=program,
        empty_program=empty_program,
        done=done,
        draft=draft,
        at_need=at_need,
        prospective=prospective,
        active=active,
        paused=paused,
        concluded=concluded,
        check_in=check_in,
        share=share,
        batch=batch,
    )


@pytest.fixture
def sweep(page, live_server, axe, request):
    area = request.node.callspec.params["area"]
    return Sweep(page, live_server, axe, area)


@pytest.mark.parametrize("area", list(AREAS))
def test_every_page(page, live_server, world, sweep, area):
    globals()[f"visit_{area}"](page, live_server, world, sweep)
    sweep.done()


def visit_public(page, live_server, w, s):
    s.go("/")
    expect(page.get_by_role("heading", name="New to devboard?")).to_be_visible()  # how to get an account
    s.check("landing", "landing")
    s.go("/accessibility/")
    s.check("accessibility statement", "accessibility")
    s.go("/sso/choose/")
    s.check("institutional sign-in", "sso:discovery")


def visit_sign_in(page, live_server, w, s):
    s.go("/accounts/login/")
    s.check("sign in", "login")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill("wrong")
    submit(page, "Sign in")
    s.check("sign in error", "login")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("password")
    submit(page, "Sign in")
    page.wait_for_url("**/accounts/login/code/")
    s.check("sign-in code", "login_code")
    page.get_by_label("Code").fill("000000")
    submit(page, "Continue")
    s.check("sign-in code error", "login_code")


def visit_password_reset(page, live_server, w, s):
    s.go("/accounts/password_reset/")
    s.check("password reset", "password_reset")
    page.get_by_label("Email").fill("not an address")
    submit(page, "Send the link")
    s.check("password reset error", "password_reset")
    page.get_by_label("Email").fill("riley@example.org")
    submit(page, "Send the link")
    s.check("password reset sent", "password_reset_done")
    s.go("/accounts/reset/Mg/bad-token/")
    s.check("password reset link no longer valid", "password_reset_confirm")
    s.go(re.search(r"/accounts/reset/\S+", mail.outbox[0].body).group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    s.check("new password", "password_reset_confirm")
    page.locator("#id_new_password1").fill("a-brand-new-pass-42")
    page.locator("#id_new_password2").fill("not the same one")
    submit(page, "Save password")
    s.check("new password error", "password_reset_confirm")
    page.locator("#id_new_password1").fill("a-brand-new-pass-42")
    page.locator("#id_new_password2").fill("a-brand-new-pass-42")
    submit(page, "Save password")
    s.check("new password saved", "password_reset_complete")


def visit_account(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go("/account/")
    s.check("account", "account")
    s.go("/account/delete/")
    s.check("delete my account", "account_delete")
    submit(page, "Delete my account")
    s.check("delete my account error", "account_delete")
    s.go("/accounts/password_change/")
    s.check("change password", "password_change")
    submit(page, "Change password")
    s.check("change password error", "password_change")
    s.go("/accounts/password_change/done/")
    s.check("password changed", "password_change_done")
    s.go("/account/sso/")
    s.check("linked sign-ins", "sso:linked")
    s.go("/program/invitations/")
    s.check("my invitations", "programs:my_invitations")


def visit_two_factor(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go("/account/two-factor/")
    s.check("two-step sign-in, off", "twofactor:two_factor")
    s.go("/account/two-factor/set-up/")
    s.check("set up two-step sign-in", "twofactor:set_up")
    page.get_by_label("Code from the app").fill("000000")
    submit(page, "Turn on two-step sign-in")
    s.check("set up two-step sign-in error", "twofactor:set_up")
    page.context.clear_cookies()
    enter(page, live_server, w.dana, second_factor=True)
    s.go("/account/two-factor/")
    s.check("two-step sign-in, on", "twofactor:two_factor")
    s.go("/account/two-factor/backup-codes/")
    s.check("backup codes", "twofactor:backup_codes")
    s.go("/account/two-factor/turn-off/")
    s.check("turn off two-step sign-in", "twofactor:turn_off")


def visit_empty(page, live_server, w, s):
    enter(page, live_server, w.nell)
    for path, route in (
        ("/worksheets/", "worksheets:list"),
        ("/board/", "board:board"),
        ("/board/calendar/", "board:calendar"),
        ("/board/export/", "board:export"),
    ):
        s.go(path)
        if route == "board:calendar":
            assert page.get_by_label("Your private calendar address").input_value().endswith(".ics")
        s.check(f"{route}, empty", route)


def visit_guide(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go("/roles/")
    s.check("role guide", "roles:guide")
    s.go("/roles/needs/")
    s.check("needs", "roles:needs")
    for slug in ("mentor", "sponsor", "coach", "advisor"):
        s.go(f"/roles/{slug}/")
        s.check(f"role {slug}", "roles:detail")
    page.set_viewport_size(PHONE_390)
    page.get_by_role("button", name="Show navigation").click()
    s.check("a role, the phone's menu open", "roles:detail")
    s.go("/worksheets/examples/")
    s.check("examples", "worksheets:examples")
    page.locator("main a[href^='/worksheets/examples/']").first.click()
    s.check("an example", "worksheets:example")


def visit_worksheets(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go("/worksheets/")
    s.check("worksheet list", "worksheets:list")
    s.go("/worksheets/?q=nothing-by-this-title")
    s.check("worksheet list, nothing found", "worksheets:list")
    s.go("/worksheets/new/")
    s.check("new worksheet", "worksheets:new")
    submit(page, "Save and continue")
    s.check("new worksheet error", "worksheets:new")
    base = f"/worksheets/{w.done.pk}/step"
    for step in ("problem", "outcome", "need", "refine", "questions", "next", "recommendation"):
        s.go(f"{base}/{step}/")
        s.check(f"step {step}", "worksheets:step")
    page.get_by_label("Mentor").check()
    expect(page.get_by_role("heading", name=re.compile("may not fit"))).to_be_visible()
    s.check("step recommendation, another role chosen", "worksheets:step")
    for step in ("problem", "outcome", "next"):
        s.go(f"{base}/{step}/")
        page.locator("main textarea").first.fill("")
        submit(page, "Save and finish" if step == "next" else "Save and continue")
        s.check(f"step {step} error", "worksheets:step")
    s.go(f"/worksheets/{w.at_need.pk}/step/need/")
    submit(page, "Save and continue")
    s.check("step need error", "worksheets:step")
    s.go(f"/worksheets/{w.done.pk}/")
    s.check("completed worksheet", "worksheets:detail")
    s.go(f"/worksheets/{w.draft.pk}/")
    s.check("draft worksheet", "worksheets:detail")
    s.go(f"/worksheets/{w.done.pk}/print/")
    s.check("print view", "worksheets:print")


def visit_board(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go("/board/")
    s.check("board", "board:board")
    s.go("/board/?q=nobody-by-this-name")
    s.check("board, nobody found", "board:board")
    s.go("/board/?status=paused")
    s.check("board, the paused", "board:board")
    s.go(f"/board/add/?worksheet={w.done.pk}")
    s.check("add a person for a worksheet", "board:add")
    s.go("/board/add/")
    s.check("add a person", "board:add")
    submit(page, "Add to my board")
    s.check("add a person error", "board:add")
    s.go("/board/calendar/")
    s.check("calendar", "board:calendar")
    s.go("/board/export/")
    s.check("export", "board:export")


def visit_members(page, live_server, w, s):
    enter(page, live_server, w.riley)
    for member in (w.prospective, w.active, w.paused, w.concluded):
        s.go(f"/board/{member.pk}/")
        s.check(f"member, {member.status}", "board:member")
    m = w.active.pk
    s.go(f"/board/{m}/")
    page.get_by_text("Change the date").click()
    page.get_by_role("textbox", name="Next check-in").fill("31 Feb")
    submit(page, "Save the date")
    s.check("the next check-in date error", "board:next_check_in")
    s.go(f"/board/{m}/edit/")
    s.check("edit a person", "board:edit")
    page.get_by_label("Name").fill("")
    submit(page, "Save")
    s.check("edit a person error", "board:edit")
    s.go(f"/board/{m}/agreement/")
    s.check("agreement", "board:agreement")
    page.get_by_label("When we revisit the goals").fill("31 Feb")
    submit(page, "Save the agreement")
    s.check("agreement error", "board:agreement")
    s.go(f"/board/{m}/check-ins/new/")
    s.check("log a check-in", "board:check_in_new")
    page.get_by_label("Date").fill("")
    submit(page, "Log the check-in")
    s.check("log a check-in error", "board:check_in_new")
    s.go(f"/board/{m}/check-ins/{w.check_in.pk}/delete/")
    s.check("delete a check-in", "board:check_in_delete")
    s.go(f"/board/{m}/review/")
    s.check("review", "board:review")
    submit(page, "Conclude the relationship")
    s.check("conclude error", "board:conclude")
    s.go(f"/board/{m}/delete/")
    s.check("remove a person", "board:delete")


def visit_sharing(page, live_server, w, s):
    enter(page, live_server, w.riley)
    s.go(f"/board/worksheet/{w.done.pk}/share/")
    s.check("share", "board:share")
    submit(page, "Make the link")
    s.check("share error", "board:share")
    page.context.clear_cookies()
    s.go(w.share.private_path())
    s.check("the shared page", "shared")


def visit_program(page, live_server, w, s):
    enter(page, live_server, w.dana, second_factor=True)
    student = make_user("pat", first_name="Pat", last_name="Quinn")
    w.program.add_member(student, Membership.Kind.LEARNER)
    Worksheet.create_completed(
        owner=student,
        problem="p",
        ideal_outcome="o",
        primary_need=Need.objects.get(slug="access"),
        answers={"doors": "yes"},
        next_step="n",
        next_step_due=days_ago(-3),
    )
    make_member(student, name="Dr. S", roles=("sponsor",)).log_check_in(CheckIn(held_on=days_ago(3)))
    s.go("/program/")
    s.check("programs", "programs:index")
    s.go("/program/im/")
    s.check("dashboard", "programs:dashboard")
    for toggle in page.locator("button.table-toggle:visible").all():
        toggle.click()
    expect(page.get_by_role("button", name=re.compile("^Hide table")).first).to_be_visible()
    s.check("dashboard, tables shown", "programs:dashboard")
    s.go("/program/im/?period=nonsense")
    s.check("dashboard error", "programs:dashboard")
    s.go("/program/surgery/")
    s.check("dashboard, empty", "programs:dashboard")
    s.go("/program/im/members/")
    s.check("members", "programs:members")
    s.go("/program/im/members/?q=nobody-by-this-name")
    s.check("members, none found", "programs:members")
    s.go(f"/program/im/members/invitations/{w.batch.pk}/")
    s.check("invitation batch", "programs:batch")


def visit_invitation(page, live_server, w, s):
    newcomer = make_user("newcomer", first_name="Nia", last_name="Obi")
    newcomer.set_unusable_password()
    newcomer.save()
    membership = Membership.objects.create(program=w.program, user=newcomer, kind="learner", state="pending")
    invitation = Invitation(program=w.program, user=newcomer, membership=membership, email=newcomer.email)
    token = invitation.new_token()
    invitation.kind = "learner"
    invitation.save()
    s.go(f"/program/invitation/{token}/")
    s.check("invitation", "programs:invitation")
    page.locator("#id_new_password1").fill("a-brand-new-pass-42")
    page.locator("#id_new_password2").fill("not the same one")
    submit(page, "Set my password and join")
    s.check("invitation error", "programs:invitation")
    submit(page, "No thanks, decline the invitation")
    expect(page.get_by_role("heading").first).to_be_visible()
    s.check("invitation declined", "programs:invitation")
    s.go("/program/invitation/not-a-real-token/")
    s.check("invitation link not valid", "programs:invitation")
    riley_invited = Invitation(program=w.empty_program, user=w.riley, email=w.riley.email, kind="learner")
    riley_invited.membership = Membership.objects.create(
        program=w.empty_program, user=w.riley, kind="learner", state="pending"
    )
    token = riley_invited.new_token()
    riley_invited.save()
    enter(page, live_server, w.nell)
    s.go(f"/program/invitation/{token}/")
    assert page.title().startswith("This invitation"), page.title()
    s.check("invitation for another account", "programs:invitation")


def visit_errors(page, live_server, w, s):
    enter(page, live_server, w.riley)
    response = s.go("/worksheets/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We can't find that page")).to_be_visible()
    s.check("not found", "404")
    response = s.go("/program/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="This page is not open to your account")).to_be_visible()
    s.check("not allowed", "403")
    page.context.clear_cookies()
    s.go("/accounts/login/")
    page.context.clear_cookies()  # the form's CSRF cookie is gone, as after a very long pause: refused
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill("password")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        submit(page, "Sign in")
    assert refused.value.status == 403
    s.check("sign-in refused without its cookie", "403")
    page.context.clear_cookies()

    # A request for a host devboard does not serve, as a proxy might pass it on: Chromium will not send
    # another Host header, so the page Django answers is handed to the browser at this address.
    refused = Client().get("/accessibility/", headers={"host": "evil.example"})
    answer = {"status": refused.status_code, "headers": dict(refused.headers), "body": refused.content}
    page.route("**/accessibility/", lambda route: route.fulfill(**answer))
    response = s.go("/accessibility/")
    page.unroute("**/accessibility/")
    assert response.status == 400
    expect(page.get_by_role("heading", name="devboard could not understand that request")).to_be_visible()
    s.check("request not understood", "400")

    # An institution's sign-in whose answer cannot be trusted (a forged state)
    here = live_server.url + "/accessibility/"
    uni = OIDCProvider("uni", "State University", "https://uni.example", "c", "s", **dict.fromkeys(ENDPOINTS, here))
    with override_settings(SSO_OIDC_PROVIDERS=[uni]):
        s.go("/sso/oidc/uni/start/")  # the institution's page is stood in for by one of ours
        response = s.go("/sso/oidc/uni/callback/?code=a-code&state=forged")
        assert response.status == 400
        expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
        s.check("institutional sign-in failed", "sso failed")


ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_endpoint")
