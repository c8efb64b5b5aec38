"""Institutional sign-in through OpenID Connect, against real providers on loopback."""

import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from devboard.models import User
from devboard.programs.models import Invitation, Membership, Program
from devboard.sso.models import Identity
from tests.factories import make_user

from ..support import assert_accessible, sign_in
from .conftest import sign_in_at

pytestmark = pytest.mark.browser


def sso_sign_in(page, live_server, button: str, idp_username: str | None):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {button}").click()
    if idp_username:  # None: the provider still knows the browser and sends it straight back
        sign_in_at(page, idp_username)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_first_sign_in_creates_one_account_and_a_new_email_keeps_it(page, live_server, oidc_sites, axe):
    uni, _ = oidc_sites
    sub = uni.person("rosa", email="rosa@uni.example", given_name="Rosa", family_name="Diaz")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Sign in with Test University")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in with Other Hospital")).to_be_visible()
    assert_accessible(page, axe)

    sso_sign_in(page, live_server, "Test University", "rosa")
    expect(page).to_have_url(re.compile(r"/worksheets/$"))
    expect(page.get_by_role("link", name="Rosa Diaz")).to_be_visible()
    rosa = User.objects.get()
    assert (rosa.email, rosa.first_name, rosa.has_usable_password()) == ("rosa@uni.example", "Rosa", False)
    assert list(rosa.identities.values_list("issuer", "subject")) == [(uni.issuer, sub)]

    sign_out(page)
    uni.person("rosa", email="rosa.diaz@uni.example")
    sso_sign_in(page, live_server, "Test University", None)
    expect(page).to_have_url(re.compile(r"/worksheets/$"))
    assert User.objects.count() == 1
    rosa.refresh_from_db()
    assert rosa.email == "rosa.diaz@uni.example"

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("listitem").filter(has_text="Test University")).to_contain_text("rosa.diaz@uni.example")
    assert_accessible(page, axe)


def test_a_second_provider_with_the_same_email_does_not_take_the_account_over(page, live_server, oidc_sites):
    uni, other = oidc_sites
    uni.person("sam", email="sam@shared.example", given_name="Sam", family_name="Uni")
    other.person("intruder", email="sam@shared.example", given_name="Not", family_name="Sam")
    sso_sign_in(page, live_server, "Test University", "sam")
    expect(page).to_have_url(re.compile(r"/worksheets/$"))
    sign_out(page)

    sso_sign_in(page, live_server, "Other Hospital", "intruder")
    expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("already uses sam@shared.example")
    page.goto(f"{live_server.url}/worksheets/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert User.objects.count() == 1
    assert Identity.objects.get().issuer == uni.issuer


def test_a_person_disabled_at_the_institution_loses_access_at_the_next_refresh(page, live_server, oidc_sites, settings):
    uni, _ = oidc_sites
    settings.SSO_REFRESH_SECONDS = 2
    uni.person("dana", email="dana@uni.example", given_name="Dana", family_name="Ng")
    sso_sign_in(page, live_server, "Test University", "dana")
    expect(page).to_have_url(re.compile(r"/worksheets/$"))
    time.sleep(2.1)
    page.goto(f"{live_server.url}/board/")  # still active: the silent refresh lets her through
    expect(page).to_have_url(re.compile(r"/board/$"))

    uni.person("dana", is_active=False)
    time.sleep(2.1)
    page.goto(f"{live_server.url}/board/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("Your Test University sign-in has ended")).to_be_visible()
    page.goto(f"{live_server.url}/board/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _tamper(url: str, name: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    query[name] = [query[name][0][:-4] + "abcd"]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


@pytest.mark.parametrize("where", ["state", "nonce"])
def test_a_tampered_state_or_nonce_is_refused(page, live_server, oidc_sites, where):
    uni, _ = oidc_sites
    uni.person("tess", email="tess@uni.example")

    def tamper_on_the_way_to_the_provider(route):
        # The provider echoes the state back and puts the nonce in the ID token it signs.
        response = route.fetch(max_redirects=0)
        headers = {**response.headers, "location": _tamper(response.headers["location"], where)}
        route.fulfill(response=response, headers=headers)

    page.route("**/sso/oidc/uni/start/**", tamper_on_the_way_to_the_provider)
    sso_sign_in(page, live_server, "Test University", "tess")
    expect(page.get_by_role("heading", name="Sign-in did not work")).to_be_visible()
    page.goto(f"{live_server.url}/worksheets/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert not User.objects.exists()


def test_a_signed_in_person_links_their_institution_from_the_account_page(page, live_server, oidc_sites, axe):
    uni, _ = oidc_sites
    local = make_user("lee", first_name="Lee", last_name="Park")
    uni.person("lpark", email="lee.park@uni.example", given_name="Lee", family_name="Park")
    sign_in(page, live_server, "lee")
    page.get_by_role("link", name="Lee Park").click()  # my account
    expect(page.get_by_text("No institutional sign-in is linked yet.")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Link Test University").click()
    sign_in_at(page, "lpark")
    expect(page).to_have_url(re.compile(r"/account/#linked-sign-ins$"))
    expect(page.get_by_role("button", name="Unlink Test University")).to_be_visible()
    sign_out(page)

    sso_sign_in(page, live_server, "Test University", None)
    expect(page.get_by_role("link", name="Lee Park")).to_be_visible()
    assert User.objects.count() == 1
    assert Identity.objects.get().user == local


def test_an_invited_address_signing_in_for_the_first_time_gets_its_invitation(page, live_server, oidc_sites):
    uni, _ = oidc_sites
    program = Program.objects.create(name="Internal Medicine", slug="im")
    invited = User.objects.create(username="ivy@uni.example", email="ivy@uni.example")
    invited.set_unusable_password()
    invited.save()
    pending = Membership.objects.create(
        program=program, user=invited, kind=Membership.Kind.LEARNER, state=Membership.State.PENDING
    )
    Invitation.objects.create(
        program=program, user=invited, membership=pending, email=invited.email, kind=Membership.Kind.LEARNER
    )
    uni.person("ivy", email="IVY@uni.example", given_name="Ivy", family_name="Lopez")

    sso_sign_in(page, live_server, "Test University", "ivy")
    expect(page.get_by_role("link", name="Ivy Lopez")).to_be_visible()
    assert User.objects.count() == 1
    assert Identity.objects.get().user == invited
    assert Invitation.objects.get().accepted_at is not None
    pending.refresh_from_db()
    assert pending.state == Membership.State.ACTIVE
