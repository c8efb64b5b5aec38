"""V3 and V5: guessing passwords and flooding password-reset emails are throttled."""

import hashlib

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from devboard import throttle
from devboard.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(browser: Client, url: str, password: str, username: str = "alice"):
    return browser.post(url, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_from_that_address(alice):
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(browser, "/accounts/login/", "wrong")
    response = attempt(browser, "/accounts/login/", "password")  # the right one, too late
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused for 15 minutes" in page
    assert reverse("password_reset") in page
    assert "_auth_user_id" not in browser.session


def test_the_admin_signs_in_through_the_same_throttled_page(alice):
    alice.is_staff = True
    alice.save()
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(browser, "/accounts/login/", "wrong")
    # The admin's own sign-in is only a way to the site's: it never checks a password itself.
    assert attempt(browser, "/admin/login/", "password").status_code == 302
    assert "_auth_user_id" not in browser.session
    assert attempt(browser, "/accounts/login/?next=/admin/", "password").status_code == 429


def test_four_wrong_passwords_do_not(alice):
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(4):
        attempt(browser, "/accounts/login/", "wrong")
    assert attempt(browser, "/accounts/login/", "password").status_code == 302


def test_the_lockout_is_for_that_username_from_that_address(alice, charlie):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(attacker, "/accounts/login/", "wrong")
    # Alice, from the hospital network, still signs in; so does Charlie from the attacker's address.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "/accounts/login/", "password").status_code == 302
    assert attempt(attacker, "/accounts/login/", "password", username="charlie").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(alice):
    from axes.models import AccessAttempt
    from django.utils import timezone

    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(browser, "/accounts/login/", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert attempt(browser, "/accounts/login/", "password").status_code == 302


def test_failures_and_the_lockout_are_recorded(alice):
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(browser, "/accounts/login/", "wrong")
    events = AuditEvent.objects.filter(user=alice)
    assert events.filter(kind="sign_in_failed").count() == 5
    locked = events.get(kind="locked_out")
    assert locked.ip == "203.0.113.5"
    assert "wrong" not in str(locked.details)


def test_a_typed_password_never_lands_in_the_log(db):
    attempt(Client(), "/accounts/login/", "whatever", username="correct-horse-battery")
    event = AuditEvent.objects.get(kind="sign_in_failed")
    assert event.user is None and "correct-horse" not in f"{event.details}{event.path}"


# -- password reset --------------------------------------------------------------------------


def ask_reset(email: str, ip: str = "203.0.113.5"):
    return Client(REMOTE_ADDR=ip).post(reverse("password_reset"), {"email": email})


def test_reset_emails_are_limited_per_address(alice):
    responses = [ask_reset("alice@example.org") for _ in range(15)]
    assert len(mail.outbox) == 3
    # The same answer every time: nobody learns whether the limit was reached.
    assert {r.status_code for r in responses} == {302}
    assert {r.url for r in responses} == {reverse("password_reset_done")}
    assert AuditEvent.objects.filter(user=alice, kind="password_reset_throttled").count() == 12


def test_the_limit_holds_whatever_the_case_or_the_address_used(alice):
    for n in range(6):
        ask_reset("ALICE@example.org" if n % 2 else "alice@example.org", ip=f"203.0.113.{n}")
    assert len(mail.outbox) == 3


def test_the_limit_is_per_account_too(alice):
    for _ in range(3):
        ask_reset("alice@example.org")
    throttle.reset(f"password-reset:address:{hashlib.sha256(b'alice@example.org').hexdigest()}")
    ask_reset("alice@example.org")
    assert len(mail.outbox) == 3


def test_other_addresses_are_not_held_back(alice, charlie):
    for _ in range(5):
        ask_reset("alice@example.org")
    ask_reset("charlie@example.org")
    assert mail.outbox[-1].to == ["charlie@example.org"]
