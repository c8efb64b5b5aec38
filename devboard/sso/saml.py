"""SAML 2.0 sign-in with djangosaml2 (pysaml2, xmlsec1 for signatures).

One service provider (devboard) trusts the IdPs in the configured metadata. Assertions must
be signed; each answers a request this browser made (no unsolicited responses) and is accepted
once (UsedAssertion); pysaml2 checks the audience, the destination and the validity window.
People are keyed on eduPersonUniqueId, then eduPersonPrincipalName, then a persistent NameID.
"""

import hashlib
import logging
import shutil
import time
from urllib.parse import urlsplit

import saml2
from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from djangosaml2.backends import Saml2Backend
from djangosaml2.views import AssertionConsumerServiceView, LoginView
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT

from .accounts import Assertion, SignInRefused, account_for
from .backends import KeptUser
from .models import UsedAssertion
from .providers import Button

SESSION_LINKING = "sso_linking_user"
logger = logging.getLogger(__name__)
_idps: dict = {"at": 0.0, "key": None, "names": {}}


def entity_id() -> str:
    return f"{settings.SITE_URL}{reverse('sso:saml_metadata')}"


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """pysaml2's configuration, built from SSO_SAML (djangosaml2's SAML_CONFIG_LOADER)."""
    s = settings.SSO_SAML
    acs = f"{settings.SITE_URL}{reverse('sso:saml_acs')}"
    conf = {
        "entityid": entity_id(),
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": "devboard",
                "endpoints": {"assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)]},
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "required_attributes": ["mail"],
                "optional_attributes": [
                    "eduPersonPrincipalName",
                    "eduPersonUniqueId",
                    "givenName",
                    "sn",
                    "displayName",
                    "eduPersonAffiliation",
                    "eduPersonScopedAffiliation",
                    "eduPersonEntitlement",
                    "ou",
                ],
            }
        },
        "key_file": s.key_file,
        "cert_file": s.cert_file,
        "encryption_keypairs": [{"key_file": s.key_file, "cert_file": s.cert_file}],
        "metadata": {"local": list(s.metadata_files), "remote": [{"url": url} for url in s.metadata_urls]},
    }
    config = SPConfig()
    config.load(conf)
    return config


def idp_names() -> dict[str, str]:
    """entity ID → name, from the metadata (cached for an hour: remote metadata is fetched)."""
    s = settings.SSO_SAML
    if _idps["key"] != s or time.monotonic() - _idps["at"] > 3600:
        config = sp_config()
        names = {}
        for metadata in config.metadata.metadata.values():
            for idp in metadata.any("idpsso_descriptor", "single_sign_on_service"):
                names[idp] = config.metadata.name(idp, "en") or urlsplit(idp).hostname or idp
        if s.idps:
            names = {idp: name for idp, name in names.items() if idp in s.idps}
        _idps.update(at=time.monotonic(), key=s, names=names)
    return _idps["names"]


def slug_for(idp: str) -> str:
    return "saml-" + hashlib.sha256(idp.encode()).hexdigest()[:10]


def _names_or_none() -> dict[str, str]:
    try:
        return idp_names()
    except Exception:  # unreachable or broken metadata must not break every page that offers sign-in
        logger.exception("SAML metadata could not be loaded")
        return {}


def buttons() -> list[Button]:
    names = _names_or_none()
    if settings.SSO_SAML.discovery and len(names) > 1:
        return [Button("saml-choose", "your institution", reverse("sso:discovery"))]
    return [Button(slug_for(idp), name, reverse("sso:saml_start", args=[slug_for(idp)])) for idp, name in names.items()]


def choices() -> list[Button]:
    """Every IdP on its own, for the discovery page."""
    names = _names_or_none()
    result = [Button(slug_for(i), n, reverse("sso:saml_start", args=[slug_for(i)])) for i, n in names.items()]
    return sorted(result, key=lambda b: b.name.lower())


def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the person to their IdP with a signed AuthnRequest (HTTP-Redirect binding)."""
    idp = next((i for i in idp_names() if slug_for(i) == slug), None)
    if idp is None:
        raise Http404("No such institution.")
    request.GET = request.GET.copy()
    request.GET["idp"] = idp
    if SESSION_LINKING in request.session:
        # The IdP posts back from another site, where only the SAML session cookie travels.
        request.saml_session[SESSION_LINKING] = request.session.pop(SESSION_LINKING)
    return _Login.as_view()(request)


class _Login(LoginView):
    def should_prevent_auth(self, request) -> bool:
        return request.user.is_authenticated and SESSION_LINKING not in request.saml_session


class ConsumeAssertion(AssertionConsumerServiceView):
    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        message = getattr(request, "sso_problem", None) or (
            "The answer from your institution could not be trusted (unsigned, changed, already used, "
            "or meant for another site), so you are not signed in."
        )
        return render(request, "sso/failed.html", {"message": message}, status=400)


def _first(attributes: dict, *names: str) -> str:
    for name in names:
        values = attributes.get(name) or []
        if values and values[0]:
            return str(values[0])
    return ""


class SAMLBackend(KeptUser, Saml2Backend):
    def authenticate(self, request, session_info=None, attribute_mapping=None, assertion_info=None, **kwargs):
        if request is None or not session_info or "ava" not in session_info:
            return None
        expires = parse_datetime((assertion_info or {}).get("not_on_or_after") or "")
        if not assertion_info or expires is None or not UsedAssertion.consume(assertion_info["assertion_id"], expires):
            request.sso_problem = "This answer from your institution was already used. Please sign in again."
            return None
        attributes = session_info["ava"]
        issuer = session_info["issuer"]
        subject = _first(attributes, *settings.SSO_SAML.subject_attributes)
        name_id = session_info.get("name_id")
        persistent = name_id is not None and name_id.format == NAMEID_FORMAT_PERSISTENT
        if not subject and settings.SSO_SAML.use_persistent_nameid and persistent:
            subject = name_id.text
        if not subject:
            request.sso_problem = (
                "Your institution did not say who you are in a way that stays the same over time "
                "(eduPersonUniqueId, eduPersonPrincipalName or a persistent NameID). Ask its IT team to release one."
            )
            return None
        first, last = _first(attributes, "givenName"), _first(attributes, "sn", "surname")
        if not (first or last):
            first, _, last = _first(attributes, "displayName", "cn").partition(" ")
        assertion = Assertion(
            protocol="saml",
            provider=slug_for(issuer),
            provider_name=idp_names().get(issuer, urlsplit(issuer).hostname or issuer),
            issuer=issuer,
            subject=subject,
            email=_first(attributes, "mail", "email"),
            first_name=first,
            last_name=last,
            attributes={k: [str(v) for v in vs] for k, vs in attributes.items()},
        )
        linking_pk = request.saml_session.pop(SESSION_LINKING, None)
        linking = auth.get_user_model().objects.filter(pk=linking_pk).first() if linking_pk else None
        try:
            user = account_for(assertion, linking=linking)
        except SignInRefused as refused:
            request.sso_problem = str(refused)
            return None
        return user if self.user_can_authenticate(user) else None


def metadata(request: HttpRequest) -> HttpResponse:
    """devboard's SP metadata, at a stable address for the IdP team."""
    if not settings.SSO_SAML.enabled:
        raise Http404("SAML sign-in is not set up on this site.")
    from djangosaml2.views import MetadataView

    return MetadataView.as_view()(request)


def acs(request: HttpRequest) -> HttpResponse:
    if not settings.SSO_SAML.enabled:
        raise Http404("SAML sign-in is not set up on this site.")
    return ConsumeAssertion.as_view()(request)
