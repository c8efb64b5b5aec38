"""The landing page, sign-in and the role guide."""

import pytest
from django.core import mail
from django.http import HttpRequest

from roles.models import Need, Role

pytestmark = pytest.mark.django_db


def test_the_landing_page_is_public_and_invites_sign_in(client):
    html = client.get("/").content.decode()
    assert "personal board of directors" in html
    assert 'href="/accounts/login/"' in html


def test_sign_in_lands_on_my_worksheets(client, alice):
    r = client.post("/accounts/login/", {"username": "alice", "password": "password"})
    assert r.status_code == 302 and r.url == "/worksheets/"


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    r = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert "correct username and password" in r.content.decode()


def test_sign_out_needs_a_post_and_signs_out(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    alice_client.post("/accounts/logout/")
    assert alice_client.get("/worksheets/").status_code == 302


def test_password_reset_sends_a_working_link(client, alice):
    client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert "Choose a new password" in r.content.decode()
    r = client.post(
        r.redirect_chain[-1][0], {"new_password1": "a-long-new-pass-77", "new_password2": "a-long-new-pass-77"}
    )
    assert r.status_code == 302
    assert client.login(request=HttpRequest(), username="alice", password="a-long-new-pass-77")


def test_password_change_works(alice_client, alice):
    r = alice_client.post(
        "/accounts/password_change/",
        {"old_password": "password", "new_password1": "another-pass-9912", "new_password2": "another-pass-9912"},
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-pass-9912")


def test_the_role_guide_compares_the_four_roles(alice_client):
    html = alice_client.get("/roles/").content.decode()
    for role in Role.objects.all():
        for text in (role.name, role.pitfall, role.learner_example, role.faculty_example, role.saying_list()[0]):
            assert text.replace("'", "&#x27;") in html


def test_each_role_has_its_page(alice_client):
    for role in Role.objects.all():
        html = alice_client.get(f"/roles/{role.slug}/").content.decode()
        assert role.ideal_use.replace("'", "&#x27;") in html


def test_an_unpublished_role_is_hidden(alice_client):
    Role.objects.filter(slug="coach").update(published=False)
    assert alice_client.get("/roles/coach/").status_code == 404
    assert "/roles/coach/" not in alice_client.get("/roles/").content.decode()


def test_the_needs_page_explains_the_four_needs(alice_client):
    html = alice_client.get("/roles/needs/").content.decode()
    for need in Need.objects.all():
        assert need.explanation.replace("'", "&#x27;") in html
