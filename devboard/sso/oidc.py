"""OpenID Connect sign-in on top of mozilla-django-oidc, for several providers at once.

mozilla-django-oidc reads one provider from settings; here every view and the backend take
the provider from the URL (`/sso/oidc/<slug>/...`), so each provider has its own stable
redirect URI. The library does the token exchange, the ID token's signature (JWKS) and
nonce checks, and the state bookkeeping; we add the issuer and audience checks it leaves out,
PKCE always, and the account rules in accounts.py.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, get_next_url
from requests.exceptions import RequestException

from devboard.models import User

from .accounts import Assertion, SignInRefused, account_for
from .backends import KeptUser
from .config import OIDCProvider
from .providers import oidc_provider

BACKEND = "devboard.sso.oidc.ProviderBackend"
SESSION_PROVIDER = "sso_oidc_provider"
SESSION_LINKING = "sso_linking_user"


def callback_url(request: HttpRequest, provider: OIDCProvider) -> str:
    return request.build_absolute_uri(reverse("sso:oidc_callback", args=[provider.slug]))


def _provider_settings(provider: OIDCProvider):
    """mozilla-django-oidc's setting names, answered for one provider."""
    own = {
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS": settings.SSO_REFRESH_SECONDS,
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": settings.LOGIN_URL,
        # The library reverses this without arguments; get_token() puts the provider's own URL back.
        "OIDC_AUTHENTICATION_CALLBACK_URL": "login",
    }

    def get_settings(attr, *args):
        if attr in own:
            return own[attr]
        return getattr(settings, attr, *args) if args else getattr(settings, attr)

    return get_settings


def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the person to the provider: authorization code flow with PKCE, state and nonce."""
    try:
        provider = oidc_provider(slug)
    except RequestException:
        return _failed(request, "The institution's sign-in service did not answer. Try again in a moment.", 502)
    state = get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": provider.scopes,
        "client_id": provider.client_id,
        "redirect_uri": callback_url(request, provider),
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if request.GET.get("prompt") == "none":  # a silent session refresh
        params["prompt"] = "none"
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session["oidc_login_next"] = get_next_url(request, "next")
    return HttpResponseRedirect(f"{provider.authorization_endpoint}?{urlencode(params)}")


class Callback(OIDCAuthenticationCallbackView):
    """The provider sends the person back here; the library checks state, then authenticates."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request)  # before any look-up
        try:
            self.provider = oidc_provider(kwargs["slug"])
        except RequestException:
            return _failed(request, "The institution's sign-in service did not answer. Try again in a moment.", 502)
        self.get_settings = _provider_settings(self.provider)
        return super().dispatch(request)

    def get(self, request):
        was_signed_in = request.user.is_authenticated
        try:
            return super().get(request)
        except SuspiciousOperation:
            # Unknown state, tampered nonce, bad signature, wrong issuer or audience.
            return _failed(
                request, "The answer from the sign-in service could not be trusted, so you are not signed in."
            )
        except RequestException:
            return _failed(request, "The institution's sign-in service did not answer. Try again in a moment.", 502)
        finally:
            if was_signed_in and not request.user.is_authenticated and request.GET.get("error"):
                messages.info(request, f"Your {self.provider.name} sign-in has ended. Please sign in again.")

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_PROVIDER] = self.provider.slug
        return response

    def login_failure(self):
        problem = getattr(self.request, "sso_problem", None)
        if problem:
            return _failed(self.request, problem)
        return HttpResponseRedirect(reverse("login"))


def _failed(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "sso/failed.html", {"message": message}, status=status)


class ProviderBackend(KeptUser, OIDCAuthenticationBackend):
    """Answers only on an OIDC callback URL, for the provider in that URL."""

    def __init__(self, *args, **kwargs):
        self.UserModel = User  # the library's __init__ insists on single-provider settings

    def authenticate(self, request, **kwargs):
        match = getattr(request, "resolver_match", None) if request else None
        if match is None or match.view_name != "sso:oidc_callback" or "nonce" not in kwargs:
            return None
        self.provider = provider = oidc_provider(match.kwargs["slug"])
        self.get_settings = _provider_settings(provider)
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None
        self._callback = callback_url(request, provider)
        return super().authenticate(request, **kwargs)

    def get_token(self, payload):
        payload["redirect_uri"] = self._callback  # the library would reverse a single global URL
        return super().get_token(payload)

    def get_or_create_user(self, access_token, id_token, payload):
        provider = self.provider
        if payload.get("iss", "").rstrip("/") != provider.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        if provider.client_id not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("ID token meant for another client")
        claims = dict(payload)
        if provider.userinfo_endpoint:
            info = self.get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload["sub"]:
                raise SuspiciousOperation("userinfo answered for another subject")
            claims.update(info)
        assertion = assertion_from_claims(provider, claims)
        linking = None
        user = self.request.user
        if user.is_authenticated and self.request.session.pop(SESSION_LINKING, None) == user.pk:
            linking = user
        try:
            return account_for(assertion, linking=linking)
        except SignInRefused as refused:
            self.request.sso_problem = str(refused)
            return None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def assertion_from_claims(provider: OIDCProvider, claims: dict) -> Assertion:
    first, last = claims.get("given_name", ""), claims.get("family_name", "")
    if not (first or last) and claims.get("name"):
        first, _, last = claims["name"].partition(" ")
    attributes = {}
    for key, value in claims.items():
        if isinstance(value, (str, int)):
            attributes[key] = [str(value)]
        elif isinstance(value, list):
            attributes[key] = [str(v) for v in value]
    return Assertion(
        protocol="oidc",
        provider=provider.slug,
        provider_name=provider.name,
        issuer=provider.issuer,
        subject=str(claims["sub"]),
        email=claims.get("email", "") or "",
        email_verified=claims.get("email_verified", True) not in (False, "false"),
        first_name=first,
        last_name=last,
        attributes=attributes,
    )


def refresh_middleware(get_response):
    """Re-check an OIDC sign-in with its provider (silently, prompt=none) every SSO_REFRESH_SECONDS.

    A person disabled at the institution then loses access within that interval.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        slug = request.session.get(SESSION_PROVIDER)
        if (
            slug
            and request.method == "GET"
            and request.user.is_authenticated
            and request.session.get(BACKEND_SESSION_KEY) == BACKEND
            and not request.path.startswith("/sso/")
            and request.session.get("oidc_id_token_expiration", 0) < time.time()
        ):
            next_url = urlencode({"next": request.get_full_path(), "prompt": "none"})
            return redirect(f"{reverse('sso:oidc_start', args=[slug])}?{next_url}")
        return get_response(request)

    return middleware
