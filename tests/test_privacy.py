"""The privacy promise, for every address in the project at once.

A person's worksheets and board are theirs alone: signed out, you are sent to sign in;
signed in as anyone else (a stranger, the director of the owner's program, staff, even a
superuser) an owned address answers 404 (or 405 to the wrong method, which is answered
before any lookup), so nothing leaks. The guard test fails when a
new address appears that is not classified here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devboard.board.models import CheckIn
from devboard.programs.models import Membership, Program

from .board_factory import days_ago, make_member
from .conftest import make_user, sign_in_with_second_factor
from .worksheet_factory import make_worksheet

pytestmark = pytest.mark.django_db

# Answer without sign-in: the landing page, sign-in (with its code step, and the admin's
# sign-in that leads to it) and password reset, and the two addresses that carry their own
# secret (the calendar feed, the invitation link).
PUBLIC = {
    "landing",
    "login",
    "login_code",
    "admin_login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "board:feed",
    "programs:welcome",
}
# Signed in, but about no one's private object: each shows the visitor's own things.
OWN = {
    "account",
    "account_end_session",
    "account_end_other_sessions",
    "account_delete",
    "password_change",
    "twofactor:two_factor",
    "twofactor:set_up",
    "twofactor:backup_codes",
    "twofactor:turn_off",
    "password_change_done",
    "roles:guide",
    "roles:needs",
    "roles:detail",
    "worksheets:list",
    "worksheets:new",
    "worksheets:examples",
    "worksheets:example",
    "board:board",
    "board:add",
    "board:calendar",
    "board:calendar_reset",
    "board:export",
    "board:export_csv",
    "board:export_json",
    "programs:index",
}
# Addresses of one person's worksheet or board: only the owner may open them.
OWNED = {
    "worksheets:detail",
    "worksheets:step",
    "worksheets:continue",
    "worksheets:print",
    "worksheets:duplicate",
    "worksheets:archive",
    "worksheets:restore",
    "board:member",
    "board:edit",
    "board:agreement",
    "board:check_in_new",
    "board:check_in_delete",
    "board:next_check_in",
    "board:status",
    "board:review",
    "board:conclude",
    "board:keep",
    "board:delete",
    "board:link_worksheet",
}
# A program's pages: only its directors.
DIRECTED = {
    "programs:dashboard",
    "programs:csv",
    "programs:members",
    "programs:invite",
    "programs:remove",
    "programs:resend",
}

# The admin's own addresses (tests/security/test_admin_view_on_site.py checks this one).
STAFF = {"admin_view_on_site"}


def all_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_address_is_classified():
    names = set(all_url_names())
    classified = PUBLIC | OWN | OWNED | DIRECTED | STAFF
    assert names - classified == set(), "classify the new addresses in tests/test_privacy.py"
    assert classified - names == set(), "these classified addresses no longer exist"


@pytest.fixture
def world(alice):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(alice, Membership.Kind.LEARNER)
    dana = make_user("dana")
    program.add_member(dana, Membership.Kind.DIRECTOR)
    worksheet = make_worksheet(alice, completed=True)
    member = make_member(alice, name="Dr. Private Person")
    check_in = member.log_check_in(CheckIn(held_on=days_ago(2), discussed="A private matter"))
    return {"program": program, "dana": dana, "worksheet": worksheet, "member": member, "check_in": check_in}


def owned_urls(world):
    w, m, c = world["worksheet"].pk, world["member"].pk, world["check_in"].pk
    urls = {
        "worksheets:detail": [w],
        "worksheets:step": [w, "problem"],
        "worksheets:continue": [w],
        "worksheets:print": [w],
        "worksheets:duplicate": [w],
        "worksheets:archive": [w],
        "worksheets:restore": [w],
        "board:check_in_delete": [m, c],
        "board:link_worksheet": [w],
    }
    return [reverse(name, args=urls.get(name, [m])) for name in sorted(OWNED)]


def directed_urls(world):
    slug = world["program"].slug
    membership = Membership.objects.get(program=world["program"], user__username="alice")
    args = {"programs:remove": [slug, membership.pk], "programs:resend": [slug, 1]}
    return [reverse(name, args=args.get(name, [slug])) for name in sorted(DIRECTED)]


def test_signed_out_visitors_are_sent_to_sign_in_everywhere_private(client, world):
    simple = [
        reverse(n)
        for n in sorted(OWN)
        if n not in {"roles:detail", "worksheets:example", "board:export_csv", "account_end_session"}
    ]
    for url in simple + owned_urls(world) + directed_urls(world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def outsiders(world, charlie):
    staff = make_user("stan", is_staff=True)
    root = make_user("root", is_staff=True, is_superuser=True)
    return {"stranger": charlie, "director of her program": world["dana"], "staff": staff, "superuser": root}


def test_nobody_but_the_owner_opens_a_worksheet_or_a_board(client, world, charlie):
    for who, user in outsiders(world, charlie).items():
        sign_in_with_second_factor(client, user)
        for url in owned_urls(world):
            # 405 (wrong method) is answered before any lookup, so it tells nothing either;
            # the method the address is for must answer 404.
            codes = {client.get(url).status_code, client.post(url).status_code}
            assert codes <= {404, 405} and 404 in codes, f"{who}: {url} answered {codes}"


def test_the_owner_opens_them(client, world, alice):
    client.force_login(alice)
    for url in owned_urls(world):
        assert client.get(url).status_code in (200, 302, 405), url


def test_only_directors_open_a_program(client, world, alice, charlie):
    for user in (alice, charlie):  # a member of the program, and an outsider
        client.force_login(user)
        for url in directed_urls(world):
            assert client.get(url).status_code in (403, 404, 405), url
            assert client.post(url).status_code in (403, 404, 405), url  # replaced by the access matrix
    sign_in_with_second_factor(client, world["dana"])
    assert client.get(reverse("programs:dashboard", args=[world["program"].slug])).status_code == 200


def test_a_director_sees_no_private_answer_on_the_program_pages(client, world):
    sign_in_with_second_factor(client, world["dana"])
    slug = world["program"].slug
    pages = (
        "".join(
            client.get(reverse(name, args=[slug])).content.decode()
            for name in ("programs:dashboard", "programs:members")
        )
        + client.get(reverse("programs:csv", args=[slug])).content.decode()
    )
    for private in (world["worksheet"].problem, world["worksheet"].next_step, "Dr. Private Person", "A private matter"):
        assert private not in pages
