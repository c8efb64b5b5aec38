"""Two-step sign-in: setting it up, signing in with a code or a backup code, turning it off,
and the admin and program pages closed to staff who signed in locally without it."""

import re
import time

import pytest
from django.contrib.auth.backends import ModelBackend
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from devboard.programs.models import Membership, Program
from devboard.twofactor import devices
from devboard.twofactor.views import PENDING
from tests.factories import authenticator_for, code_from, make_user, sign_in_with_second_factor


class InstitutionBackend(ModelBackend):
    """Stands in for the institution's single sign-on in these tests."""


INSTITUTION = f"{__name__}.InstitutionBackend"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def alice_on(alice):
    """Alice, with two-step sign-in on and a fresh set of backup codes."""
    device = authenticator_for(alice)
    codes = devices.new_backup_codes(alice)
    return device, codes


@pytest.fixture
def dana(db):
    """Directs a program, so she is staff; she signs in with a password."""
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    user = make_user("dana")
    program.add_member(user, Membership.Kind.DIRECTOR)
    user.refresh_from_db()
    return user


def password_step(client, username="alice", next_url=""):
    data = {"username": username, "password": "password"}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/" + (f"?next={next_url}" if next_url else ""), data)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# -- setting it up ---------------------------------------------------------------------------


def test_the_set_up_page_draws_the_qr_code_itself(alice_client):
    response = alice_client.get("/account/two-factor/set-up/")
    assert response.status_code == 200
    html = response.text
    assert re.search(r'<svg role="img" aria-label="QR code[^"]*"', html)
    assert "<img" not in html.split('<main id="main"')[1]  # no picture fetched from anywhere
    device = TOTPDevice.objects.get(user__username="alice", confirmed=False)
    assert devices.secret_for_typing(device) in html


def test_set_up_with_the_apps_code_turns_it_on_and_shows_backup_codes_once(alice_client, alice):
    alice_client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=alice)
    response = alice_client.post("/account/two-factor/set-up/", {"code": code_from(device)})
    assert response.status_code == 302 and response.url == "/account/two-factor/backup-codes/"
    assert devices.is_on(alice)

    page = alice_client.get(response.url).text
    codes = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert len(codes) == devices.BACKUP_CODE_COUNT
    assert all(code in page for code in codes)
    again = alice_client.get(response.url).text
    assert not any(code in again for code in codes)
    assert "10</strong> unused backup codes" in again


def test_set_up_with_a_wrong_code_explains_and_keeps_the_same_key(alice_client, alice):
    alice_client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=alice)
    response = alice_client.post("/account/two-factor/set-up/", {"code": wrong(code_from(device))})
    assert response.status_code == 200
    assert "That code did not match" in response.text
    assert devices.secret_for_typing(device) in response.text
    assert not devices.is_on(alice)


def test_the_two_factor_page_says_whether_it_is_on(alice_client, alice):
    assert "is <strong>off</strong>" in alice_client.get("/account/two-factor/").text
    authenticator_for(alice)
    assert "is <strong>on</strong>" in alice_client.get("/account/two-factor/").text


def test_the_account_page_has_a_two_step_sign_in_section(alice_client, alice):
    page = alice_client.get("/account/").text
    assert "Two-step sign-in" in page and "Off: your password alone signs you in." in page
    assert 'href="/account/two-factor/set-up/"' in page
    authenticator_for(alice)
    devices.new_backup_codes(alice)
    page = alice_client.get("/account/").text
    assert "You have 10 unused backup codes" in page and 'href="/account/two-factor/"' in page


def test_each_step_is_in_the_security_events(client, alice):
    from devboard.accounts.models import AuditEvent

    client.force_login(alice)
    client.get("/account/two-factor/set-up/")
    client.post("/account/two-factor/set-up/", {"code": code_from(TOTPDevice.objects.get(user=alice))})
    codes = devices.new_backup_codes(alice)
    client.logout()
    password_step(client)
    client.post("/accounts/login/code/", {"code": wrong(code_from(authenticator_for(alice)))})
    client.post("/accounts/login/code/", {"code": codes[0]})
    client.post("/account/two-factor/turn-off/", {"code": codes[1]})
    kinds = list(AuditEvent.objects.filter(user=alice).order_by("at", "pk").values_list("kind", flat=True))
    assert [k for k in kinds if k not in ("sign_in", "sign_out")] == [
        "two_factor_on",
        "code_refused",
        "backup_code_used",
        "two_factor_off",
    ]
    events = client.get("/account/").text
    assert "Signed in with a backup code" in events and "Two-step sign-in turned off" in events


# -- signing in ----------------------------------------------------------------------------


def test_without_two_factor_the_password_signs_in(client, alice):
    response = password_step(client)
    assert response.status_code == 302 and response.url == "/worksheets/"
    assert signed_in(client)


def test_with_two_factor_the_password_leads_to_the_code_page_not_in(client, alice_on):
    response = password_step(client, next_url="/board/")
    assert response.status_code == 302 and response.url == "/accounts/login/code/"
    assert not signed_in(client)
    assert client.get("/board/").status_code == 302
    assert "Two-step sign-in" in client.get("/accounts/login/code/").text


def test_signing_in_with_the_apps_code(client, alice, alice_on):
    device, _ = alice_on
    password_step(client, next_url="/board/")
    response = client.post("/accounts/login/code/", {"code": code_from(device)})
    assert response.status_code == 302 and response.url == "/board/"
    assert signed_in(client)
    assert client.get("/board/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, alice_on):
    device, _ = alice_on
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": wrong(code_from(device))})
    assert response.status_code == 200
    assert "That code did not work" in response.text
    assert not signed_in(client)


def test_codes_tried_too_fast_after_a_wrong_one_are_held_back(client, alice_on):
    device, _ = alice_on
    password_step(client)
    client.post("/accounts/login/code/", {"code": wrong(code_from(device))})
    response = client.post("/accounts/login/code/", {"code": code_from(device)})
    assert "Too many wrong codes in a row. Wait" in response.text
    assert not signed_in(client)


def test_an_apps_code_works_only_once(client, alice_on):
    device, _ = alice_on
    code = code_from(device)
    password_step(client)
    client.post("/accounts/login/code/", {"code": code})
    client.logout()
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 200 and not signed_in(client)


def test_a_backup_code_signs_in_once(client, alice, alice_on):
    _, codes = alice_on
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": codes[0].upper()})
    assert response.status_code == 302 and signed_in(client)
    assert "You have 9 left" in client.get(response.url).text

    client.logout()
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": codes[0]})
    assert response.status_code == 200 and "That code did not work" in response.text
    assert not signed_in(client)
    assert devices.backup_codes_left(alice) == 9


def test_the_code_step_expires(client, alice_on):
    device, _ = alice_on
    password_step(client)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": int(time.time()) - 3600}
    session.save()
    response = client.post("/accounts/login/code/", {"code": code_from(device)})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert not signed_in(client)


def test_the_code_page_without_a_password_first_goes_to_sign_in(client, alice_on):
    response = client.get("/accounts/login/code/")
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_a_wrong_password_never_reaches_the_code_step(client, alice_on):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert PENDING not in client.session


# -- new backup codes, turning it off -------------------------------------------------------


def test_new_backup_codes_need_a_code_and_replace_the_old_ones(alice_client, alice, alice_on):
    device, old = alice_on
    response = alice_client.post("/account/two-factor/backup-codes/", {"code": "000000"})
    assert response.status_code == 200 and "That code did not work" in response.text
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = alice_client.post("/account/two-factor/backup-codes/", {"code": code_from(device)})
    assert response.status_code == 302
    new = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    page = alice_client.get(response.url).text
    assert all(code in page for code in new)


def test_turning_it_off_needs_a_code(alice_client, alice, alice_on):
    device, codes = alice_on
    response = alice_client.post("/account/two-factor/turn-off/", {"code": wrong(code_from(device))})
    assert response.status_code == 200 and "That code did not work" in response.text
    assert devices.is_on(alice)

    response = alice_client.post("/account/two-factor/turn-off/", {"code": codes[3]})
    assert response.status_code == 302
    assert not devices.is_on(alice)
    assert devices.backup_codes_left(alice) == 0
    alice_client.logout()
    assert password_step(alice_client).url == "/worksheets/"


# -- staff ---------------------------------------------------------------------------------


def test_local_staff_cannot_open_the_admin_without_the_second_factor(client, dana):
    authenticator_for(dana)
    client.force_login(dana)
    for url in ("/admin/", "/admin/roles/role/", "/program/", "/program/im/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"/accounts/login/code/?next={url.replace('/', '%2F')}", url


def test_local_staff_without_a_device_are_sent_to_set_it_up(client, dana):
    client.force_login(dana)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/account/two-factor/set-up/?next=%2Fadmin%2F"
    assert "need two-step sign-in before they open the admin" in client.get(response.url).text


def test_a_superuser_is_held_back_too(client, db):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/devboard/user/").url.startswith("/account/two-factor/set-up/")


def test_staff_signing_in_with_password_and_code_reach_the_admin(client, dana):
    device = authenticator_for(dana)
    response = password_step(client, "dana", next_url="/admin/")
    assert response.url == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": code_from(device)})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/program/im/").status_code == 200


def test_staff_without_a_device_go_from_the_password_to_set_up(client, dana):
    response = password_step(client, "dana", next_url="/program/")
    assert response.url == "/account/two-factor/set-up/?next=%2Fprogram%2F"
    client.get(response.url)
    device = TOTPDevice.objects.get(user=dana)
    response = client.post(response.url, {"code": code_from(device)})
    assert response.url == "/account/two-factor/backup-codes/?next=%2Fprogram%2F"
    assert 'href="/program/"' in client.get(response.url).text
    assert client.get("/program/").status_code == 200


def test_a_signed_in_staff_member_confirms_with_a_code_before_the_admin(client, dana):
    device = authenticator_for(dana)
    client.force_login(dana)  # e.g. signed in before setting it up on another computer
    response = client.get("/accounts/login/code/?next=/admin/")
    assert "To open this page, confirm it is you" in response.text
    response = client.post("/accounts/login/code/?next=/admin/", {"code": code_from(device)})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_sign_in_page_leads_to_the_two_step_one(client, dana):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/admin/"


def test_learners_keep_their_pages_without_two_factor(alice_client):
    for url in ("/worksheets/", "/board/", "/roles/"):
        assert alice_client.get(url).status_code == 200


def test_staff_reach_their_own_pages_without_the_second_factor(client, dana):
    client.force_login(dana)
    assert client.get("/worksheets/").status_code == 200


def test_an_invitation_link_stays_open(client, dana):
    response = client.get("/program/welcome/abc/def/")
    assert response.status_code != 302 or not response.url.startswith("/account/two-factor/")


def test_staff_signed_in_through_the_institution_are_not_asked_again(client, dana, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, INSTITUTION]
    settings.SSO_AUTHENTICATION_BACKENDS = [INSTITUTION]
    client.force_login(dana, backend=INSTITUTION)
    assert client.get("/admin/").status_code == 200


def test_the_test_helper_really_passes_the_second_factor(client, dana):
    sign_in_with_second_factor(client, dana)
    assert client.get("/admin/").status_code == 200


def test_backup_codes_always_hold_a_letter_so_they_are_never_taken_for_an_apps_code(alice, monkeypatch):
    made = iter(["23456723", "abcdefgh", *(f"code{n:04d}" for n in range(20))])
    monkeypatch.setattr(StaticToken, "random_token", staticmethod(lambda: next(made)))
    codes = devices.new_backup_codes(alice)
    assert "23456723" not in codes and codes[0] == "abcdefgh" and len(codes) == 10
