"""The sign-in page with institutional providers, LOCAL_LOGIN, and the provider settings."""

import pytest

from devboard.sso.config import OIDCProvider, SSOConfigError, oidc_providers
from tests.factories import make_user

pytestmark = pytest.mark.django_db

UNI = OIDCProvider(
    slug="uni", name="Test University", issuer="https://idp.uni.example", client_id="c", client_secret="s"
)


def test_without_providers_the_page_offers_only_local_sign_in(client):
    response = client.get("/accounts/login/")
    assert b"Sign in with" not in response.content
    assert b'name="password"' in response.content


def test_institution_buttons_come_before_the_local_form(client, settings):
    settings.SSO_OIDC_PROVIDERS = [UNI]
    html = client.get("/accounts/login/").content.decode()
    assert html.index("Sign in with Test University") < html.index('name="password"')
    assert 'href="/sso/oidc/uni/start/"' in html


def test_local_login_false_hides_the_form_and_refuses_passwords(client, settings):
    settings.SSO_OIDC_PROVIDERS = [UNI]
    settings.LOCAL_LOGIN = False
    make_user("alice")
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with Test University" in html
    assert 'name="password"' not in html
    response = client.post("/accounts/login/", {"username": "alice", "password": "password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_superusers_keep_a_break_glass_local_sign_in(client, settings):
    settings.SSO_OIDC_PROVIDERS = [UNI]
    settings.LOCAL_LOGIN = False
    make_user("root", is_superuser=True, is_staff=True)
    assert 'name="password"' in client.get("/accounts/login/?local=1").content.decode()
    response = client.post("/accounts/login/?local=1", {"username": "root", "password": "password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_start_of_an_unknown_provider_is_404(client):
    assert client.get("/sso/oidc/nowhere/start/").status_code == 404


def test_providers_are_read_from_the_environment():
    env = {
        "OIDC_PROVIDERS": "entra, okta",
        "OIDC_ENTRA_NAME": "Example Health",
        "OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
        "OIDC_ENTRA_CLIENT_ID": "id",
        "OIDC_ENTRA_CLIENT_SECRET": "secret",
        "OIDC_OKTA_NAME": "Example University",
        "OIDC_OKTA_ISSUER": "https://example.okta.com",
        "OIDC_OKTA_CLIENT_ID": "id2",
        "OIDC_OKTA_CLIENT_SECRET": "secret2",
        "OIDC_OKTA_SCOPES": "openid email profile groups",
    }
    entra, okta = oidc_providers(env)
    assert (entra.slug, entra.issuer, entra.scopes) == (
        "entra",
        "https://login.microsoftonline.com/tenant/v2.0",
        "openid email profile",
    )
    assert okta.scopes == "openid email profile groups"
    assert oidc_providers({}) == []


def test_a_provider_missing_its_secret_is_a_clear_error():
    with pytest.raises(SSOConfigError, match="OIDC_UNI_CLIENT_SECRET"):
        oidc_providers(
            {"OIDC_PROVIDERS": "uni", "OIDC_UNI_NAME": "U", "OIDC_UNI_ISSUER": "https://u", "OIDC_UNI_CLIENT_ID": "c"}
        )


def test_the_linked_sign_ins_page_needs_a_sign_in(client):
    assert client.get("/account/sso/").status_code == 302


def test_the_discovery_page_lists_every_institution(client, settings):
    settings.SSO_OIDC_PROVIDERS = [UNI]
    page = client.get("/sso/choose/").content.decode()
    assert "Choose your institution" in page
    assert 'href="/sso/oidc/uni/start/"' in page


def test_the_only_way_in_cannot_be_unlinked(client):
    from devboard.sso.models import Identity

    rosa = make_user("rosa")
    rosa.set_unusable_password()
    rosa.save()
    identity = Identity.objects.create(
        user=rosa, protocol="oidc", provider="uni", provider_name="Uni", issuer="i", subject="s"
    )
    client.force_login(rosa)
    response = client.post(f"/account/sso/{identity.pk}/unlink/", follow=True)
    assert "is your only way to sign in" in response.content.decode()
    assert Identity.objects.filter(pk=identity.pk).exists()


def test_someone_with_a_password_may_unlink(client):
    from devboard.sso.models import Identity

    rosa = make_user("rosa")
    identity = Identity.objects.create(
        user=rosa, protocol="oidc", provider="uni", provider_name="Uni", issuer="i", subject="s"
    )
    client.force_login(rosa)
    client.post(f"/account/sso/{identity.pk}/unlink/")
    assert not Identity.objects.exists()
