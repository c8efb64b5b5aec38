"""Who may open what: every address × every kind of visitor × GET and POST, one exact status each.

The promise behind it: a person's worksheets and board are theirs alone. Signed out, every private
address sends you to sign in; signed in as anyone else (another learner, faculty, the director of the
owner's program, a director elsewhere, staff, even a superuser) an owned address answers 404, so nothing
leaks; a program's pages answer only its directors. A wrong method answers 405 before any look-up, so it
tells nothing either. `test_every_address_has_a_row` fails when an address is added without a row here.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devboard.accounts.models import SignIn
from devboard.board.models import CalendarFeed, CheckIn, Share
from devboard.programs.models import Invitation, InvitationBatch, Membership, Program
from devboard.sso.models import Identity
from tests.factories import days_ago, make_member, make_user, make_worksheet, sign_in_with_second_factor

PUBLIC = "public"  # answers without sign-in (the secret is in the address, or there is nothing private)
SIGNED_IN = "signed in"  # shows the visitor's own things: the same answer for everyone signed in
OWNED = "owned"  # one person's worksheet or board: the owner, and nobody else
DIRECTED = "directed"  # a program's pages: its directors only
DIRECTORS = "directors"  # the program index: any director; 403 for everyone else

VISITORS = [
    "anonymous",
    "owner",
    "second learner",
    "faculty",
    "director of the owner's program",
    "director of another program",
    "staff",
    "superuser",
]
STAFF = {"director of the owner's program", "director of another program", "staff", "superuser"}


@dataclass
class Route:
    access: str
    ok: dict  # method -> status when allowed
    args: list = field(default_factory=list)  # names of objects in the world (or literal strings)
    ok_for_staff: dict | None = None  # when it differs for staff, who have two-step sign-in on


ROUTES = {
    "landing": Route(PUBLIC, {"GET": 200}),
    "accessibility": Route(PUBLIC, {"GET": 200}),
    "login": Route(PUBLIC, {"GET": 200, "POST": 200}),
    "login_code": Route(PUBLIC, {"GET": 302, "POST": 302}),  # no password given yet: back to sign-in
    "admin_login": Route(PUBLIC, {"GET": 302, "POST": 302}),  # the one sign-in page, with its code step
    "password_reset": Route(PUBLIC, {"GET": 200, "POST": 200}),
    "password_reset_done": Route(PUBLIC, {"GET": 200}),
    "password_reset_confirm": Route(PUBLIC, {"GET": 200, "POST": 200}, ["=Mg", "=bad-token"]),
    "password_reset_complete": Route(PUBLIC, {"GET": 200}),
    "board:feed": Route(PUBLIC, {"GET": 200}, ["feed_token"]),
    "programs:invitation": Route(PUBLIC, {"GET": 400, "POST": 400}, ["=bad-token"]),  # a link that is not valid
    # Institutional sign-in: no provider is configured here, so the flows answer 404 (tests/test_sso_*.py
    # and tests/browser/sso/ run them against real providers).
    "sso:oidc_start": Route(PUBLIC, {"GET": 404}, ["=uni"]),
    "sso:oidc_callback": Route(PUBLIC, {"GET": 404}, ["=uni"]),
    "sso:saml_start": Route(PUBLIC, {"GET": 404}, ["=saml-0123456789"]),
    "sso:saml_acs": Route(PUBLIC, {"POST": 404}),
    "sso:saml_metadata": Route(PUBLIC, {"GET": 404}),
    "sso:discovery": Route(PUBLIC, {"GET": 200}),
    "sso:linked": Route(SIGNED_IN, {"GET": 200}),
    "sso:link": Route(SIGNED_IN, {"POST": 302}),  # an unknown provider: back to the account page
    "sso:unlink": Route(OWNED, {"POST": 302}, ["identity"]),
    "shared": Route(PUBLIC, {"GET": 200}, ["share_token"]),  # a private link: the secret is the address
    "logout": Route(SIGNED_IN, {"POST": 302}),
    "account": Route(SIGNED_IN, {"GET": 200}),
    "programs:my_invitations": Route(SIGNED_IN, {"GET": 200}),
    "programs:answer": Route(OWNED, {"POST": 302}, ["answer"]),  # only the invited person answers
    "account_end_session": Route(OWNED, {"POST": 302}, ["sign_in"]),
    "account_end_other_sessions": Route(SIGNED_IN, {"POST": 302}),
    "account_delete": Route(SIGNED_IN, {"GET": 200, "POST": 200}),  # without the password: the form's errors
    "password_change": Route(SIGNED_IN, {"GET": 200, "POST": 200}),
    "password_change_done": Route(SIGNED_IN, {"GET": 200}),
    "twofactor:two_factor": Route(SIGNED_IN, {"GET": 200}),
    "twofactor:set_up": Route(SIGNED_IN, {"GET": 200, "POST": 200}, ok_for_staff={"GET": 302, "POST": 302}),
    "twofactor:backup_codes": Route(SIGNED_IN, {"GET": 302, "POST": 302}, ok_for_staff={"GET": 200, "POST": 200}),
    "twofactor:turn_off": Route(SIGNED_IN, {"GET": 302, "POST": 302}, ok_for_staff={"GET": 200, "POST": 200}),
    "roles:guide": Route(SIGNED_IN, {"GET": 200}),
    "roles:needs": Route(SIGNED_IN, {"GET": 200}),
    "roles:detail": Route(SIGNED_IN, {"GET": 200}, ["=coach"]),
    "worksheets:list": Route(SIGNED_IN, {"GET": 200}),
    "worksheets:new": Route(SIGNED_IN, {"GET": 200, "POST": 200}),
    "worksheets:examples": Route(SIGNED_IN, {"GET": 200}),
    "worksheets:example": Route(SIGNED_IN, {"GET": 200}, ["example"]),
    "board:board": Route(SIGNED_IN, {"GET": 200}),
    "board:add": Route(SIGNED_IN, {"GET": 200, "POST": 200}),
    "board:calendar": Route(SIGNED_IN, {"GET": 200}),
    "board:calendar_reset": Route(SIGNED_IN, {"POST": 302}),
    "board:export": Route(SIGNED_IN, {"GET": 200}),
    "board:export_csv": Route(SIGNED_IN, {"GET": 200}, ["=members"]),
    "board:export_json": Route(SIGNED_IN, {"GET": 200}),
    "worksheets:detail": Route(OWNED, {"GET": 200}, ["worksheet"]),
    "worksheets:step": Route(OWNED, {"GET": 200, "POST": 200}, ["worksheet", "=problem"]),
    "worksheets:continue": Route(OWNED, {"GET": 302}, ["worksheet"]),
    "worksheets:print": Route(OWNED, {"GET": 200}, ["worksheet"]),
    "worksheets:duplicate": Route(OWNED, {"POST": 302}, ["worksheet"]),
    "worksheets:archive": Route(OWNED, {"POST": 302}, ["worksheet"]),
    "worksheets:restore": Route(OWNED, {"POST": 302}, ["worksheet"]),
    "board:member": Route(OWNED, {"GET": 200}, ["member"]),
    "board:edit": Route(OWNED, {"GET": 200, "POST": 200}, ["member"]),
    "board:agreement": Route(OWNED, {"GET": 200, "POST": 200}, ["member"]),
    "board:check_in_new": Route(OWNED, {"GET": 200, "POST": 200}, ["member"]),
    "board:check_in_delete": Route(OWNED, {"GET": 200, "POST": 302}, ["member", "check_in"]),
    "board:next_check_in": Route(OWNED, {"POST": 302}, ["member"]),
    "board:status": Route(OWNED, {"POST": 302}, ["member"]),
    "board:review": Route(OWNED, {"GET": 200}, ["member"]),
    "board:conclude": Route(OWNED, {"POST": 200}, ["member"]),
    "board:keep": Route(OWNED, {"POST": 302}, ["member"]),
    "board:delete": Route(OWNED, {"GET": 200, "POST": 302}, ["member"]),
    "board:link_worksheet": Route(OWNED, {"POST": 302}, ["worksheet"]),
    "board:share": Route(OWNED, {"GET": 200, "POST": 200}, ["worksheet"]),  # POST without a person: the errors
    "board:share_revoke": Route(OWNED, {"POST": 302}, ["share"]),
    "programs:index": Route(DIRECTORS, {"GET": 200}),
    "programs:dashboard": Route(DIRECTED, {"GET": 200}, ["program"]),
    "programs:csv": Route(DIRECTED, {"GET": 200}, ["program"]),
    "programs:members": Route(DIRECTED, {"GET": 200}, ["program"]),
    "programs:invite": Route(DIRECTED, {"POST": 400}, ["program"]),  # nobody to invite: the form's errors
    "programs:remove": Route(DIRECTED, {"POST": 302}, ["program", "membership"]),
    "programs:resend": Route(DIRECTED, {"POST": 302}, ["program", "invitation"]),
    "programs:batch": Route(DIRECTED, {"GET": 200}, ["program", "invitation_batch"]),
}


def expected(route: Route, visitor: str, method: str) -> int:
    if visitor == "anonymous" and route.access != PUBLIC:
        return 302  # to sign in, whatever the method
    if method not in route.ok:
        return 405
    if route.access in (PUBLIC, SIGNED_IN):
        return (route.ok_for_staff or route.ok)[method] if visitor in STAFF else route.ok[method]
    if route.access == OWNED:
        return route.ok[method] if visitor == "owner" else 404
    directors = {"director of the owner's program", "director of another program"}
    if route.access == DIRECTORS:
        return route.ok[method] if visitor in directors else 403
    return route.ok[method] if visitor == "director of the owner's program" else 404


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":  # the admin's own permissions: see test_admin_guidance.py
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


# Staff-only addresses outside the admin's namespace, each with tests of its own.
ADMIN_ROUTES = {"admin_view_on_site"}  # tests/security/test_admin_view_on_site.py


def test_every_address_has_a_row():
    names = set(_url_names()) - ADMIN_ROUTES
    assert names - set(ROUTES) == set(), "add the new addresses to ROUTES in tests/test_access.py"
    assert set(ROUTES) - names == set(), "these addresses no longer exist"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole matrix (like setUpTestData): each test's changes are rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        owner = make_user("alice", first_name="Alice", last_name="Ames")
        program = Program.objects.create(name="Internal Medicine Residency", slug="im")
        elsewhere = Program.objects.create(name="Surgery Residency", slug="surgery")
        visitors = {
            "owner": owner,
            "second learner": make_user("bob"),
            "faculty": make_user("fiona"),
            "director of the owner's program": make_user("dana"),
            "director of another program": make_user("sam"),
            "staff": make_user("stan", is_staff=True),
            "superuser": make_user("root", is_staff=True, is_superuser=True),
        }
        membership = program.add_member(owner, Membership.Kind.LEARNER)
        program.add_member(visitors["second learner"], Membership.Kind.LEARNER)
        program.add_member(visitors["faculty"], Membership.Kind.FACULTY)
        program.add_member(visitors["director of the owner's program"], Membership.Kind.DIRECTOR)
        elsewhere.add_member(visitors["director of another program"], Membership.Kind.DIRECTOR)
        member = make_member(owner, name="Dr. Private Person")
        # Invitations waiting for an answer: the owner's to another program, and a newcomer's to this one.
        waiting = Membership.objects.create(program=elsewhere, user=owner, kind="learner", state="pending")
        newcomer = make_user("nora")
        newcomer_membership = Membership.objects.create(program=program, user=newcomer, kind="learner", state="pending")
        worksheet = make_worksheet(owner, completed=True)
        share = Share.create(worksheet=worksheet, member=member, days=7)
        objects = {
            "program": program.slug,
            "membership": membership.pk,
            "invitation": Invitation.objects.create(
                program=program,
                user=newcomer,
                membership=newcomer_membership,
                email=newcomer.email,
                kind="learner",
                invited_by=visitors["director of the owner's program"],
            ).pk,
            "answer": Invitation.objects.create(
                program=elsewhere, user=owner, membership=waiting, email=owner.email, kind="learner"
            ).pk,
            "invitation_batch": InvitationBatch.objects.create(program=program, people=[]).pk,
            "worksheet": worksheet.pk,
            "share": share.pk,
            "share_token": share.token,
            "member": member.pk,
            "check_in": member.log_check_in(CheckIn(held_on=days_ago(2), discussed="A private matter")).pk,
            "feed_token": CalendarFeed.for_user(owner).token,
            "sign_in": SignIn.objects.create(user=owner, session_key="alice-on-another-browser").pk,
            "identity": Identity.objects.create(
                user=owner, protocol="oidc", provider="uni", provider_name="Uni", issuer="https://uni", subject="a"
            ).pk,
            "example": "resident-rotation-feedback",
        }
        try:
            yield visitors, objects
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


ROWS = [(name, visitor, method) for name in ROUTES for visitor in VISITORS for method in ("GET", "POST")]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "visitor", "method"), ROWS)
def test_access(client, world, name, visitor, method):
    visitors, objects = world
    route = ROUTES[name]
    url = reverse(name, args=[a[1:] if a.startswith("=") else objects[a] for a in route.args])
    if visitor in STAFF:  # staff sign in with their second factor, as the site requires of them
        sign_in_with_second_factor(client, visitors[visitor])
    elif visitor != "anonymous":
        client.force_login(visitors[visitor])
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == expected(route, visitor, method)
    if route.access in (SIGNED_IN, OWNED) and visitor == "owner" and response.status_code == 200:
        assert response["Cache-Control"] == "no-store, private"  # nothing private left in a shared cache
        assert "default-src 'self'" in response["Content-Security-Policy"]
    if response.status_code == 302 and visitor == "anonymous" and route.access != PUBLIC:
        assert response.url.startswith(reverse("login"))
