"""The configured providers at run time: buttons for the sign-in page, endpoints for the flows."""

from dataclasses import dataclass, replace

import requests
from django.conf import settings
from django.http import Http404
from django.urls import reverse

from .config import OIDCProvider

_discovered: dict[str, OIDCProvider] = {}


@dataclass(frozen=True)
class Button:
    slug: str
    name: str
    url: str


def oidc_provider(slug: str) -> OIDCProvider:
    """The provider with every endpoint filled in (from its discovery document when not configured); 404 if unknown."""
    provider = next((p for p in settings.SSO_OIDC_PROVIDERS if p.slug == slug), None)
    if provider is None:
        raise Http404("No such sign-in provider.")
    if all((provider.authorization_endpoint, provider.token_endpoint, provider.jwks_endpoint)):
        return provider
    cached = _discovered.get(slug)
    if cached is None or cached.issuer != provider.issuer or cached.client_id != provider.client_id:
        response = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        doc = response.json()
        cached = replace(
            provider,
            authorization_endpoint=provider.authorization_endpoint or doc["authorization_endpoint"],
            token_endpoint=provider.token_endpoint or doc["token_endpoint"],
            userinfo_endpoint=provider.userinfo_endpoint or doc.get("userinfo_endpoint", ""),
            jwks_endpoint=provider.jwks_endpoint or doc["jwks_uri"],
        )
        _discovered[slug] = cached
    return cached


def buttons() -> list[Button]:
    """One "Sign in with <institution>" button per configured provider, in configuration order."""
    result = [Button(p.slug, p.name, reverse("sso:oidc_start", args=[p.slug])) for p in settings.SSO_OIDC_PROVIDERS]
    if settings.SSO_SAML.enabled:
        from . import saml

        result += saml.buttons()
    return result
