"""Identity providers as configured in the environment (read once by settings.py).

Nothing here imports Django models, so settings can use it. See docs/sso.md for the variables.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class SSOConfigError(ValueError):
    pass


@dataclass(frozen=True)
class OIDCProvider:
    slug: str
    name: str  # shown as "Sign in with <name>"
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: str = "openid email profile"
    sign_algo: str = "RS256"
    # Empty endpoints are read from the issuer's discovery document on first use.
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_endpoint: str = ""
    protocol: str = "oidc"


@dataclass(frozen=True)
class SAMLSettings:
    metadata_urls: tuple[str, ...] = ()
    metadata_files: tuple[str, ...] = ()
    idps: tuple[str, ...] = ()  # entity IDs to offer as buttons; empty = every IdP in the metadata
    key_file: str = ""
    cert_file: str = ""
    subject_attributes: tuple[str, ...] = ("eduPersonUniqueId", "eduPersonPrincipalName")
    use_persistent_nameid: bool = True
    discovery: bool = False

    @property
    def enabled(self) -> bool:
        return bool(self.metadata_urls or self.metadata_files)


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def oidc_providers(env: Mapping[str, str]) -> list[OIDCProvider]:
    """`OIDC_PROVIDERS=entra,okta` and, for each, `OIDC_ENTRA_NAME`, `OIDC_ENTRA_ISSUER`, ..."""
    providers = []
    for slug in _csv(env.get("OIDC_PROVIDERS", "")):
        if not SLUG.match(slug):
            raise SSOConfigError(f"OIDC_PROVIDERS: {slug!r} must be lower-case letters, digits and dashes")
        prefix = f"OIDC_{slug.upper().replace('-', '_')}_"

        def get(name: str, default: str | None = None, prefix: str = prefix, slug: str = slug) -> str:
            value = env.get(prefix + name, default)
            if value is None or value == "" and default is None:
                raise SSOConfigError(f"{prefix}{name} must be set for the provider {slug!r}")
            return value

        providers.append(
            OIDCProvider(
                slug=slug,
                name=get("NAME"),
                issuer=get("ISSUER").rstrip("/"),
                client_id=get("CLIENT_ID"),
                client_secret=get("CLIENT_SECRET"),
                scopes=get("SCOPES", "openid email profile"),
                sign_algo=get("SIGN_ALGO", "RS256"),
                authorization_endpoint=get("AUTHORIZATION_ENDPOINT", ""),
                token_endpoint=get("TOKEN_ENDPOINT", ""),
                userinfo_endpoint=get("USERINFO_ENDPOINT", ""),
                jwks_endpoint=get("JWKS_ENDPOINT", ""),
            )
        )
    return providers


def saml_settings(env: Mapping[str, str]) -> SAMLSettings:
    s = SAMLSettings(
        metadata_urls=_csv(env.get("SAML_METADATA_URLS", "")),
        metadata_files=_csv(env.get("SAML_METADATA_FILES", "")),
        idps=_csv(env.get("SAML_IDPS", "")),
        key_file=env.get("SAML_KEY_FILE", ""),
        cert_file=env.get("SAML_CERT_FILE", ""),
        subject_attributes=_csv(env.get("SAML_SUBJECT_ATTRIBUTES", "eduPersonUniqueId,eduPersonPrincipalName")),
        use_persistent_nameid=env.get("SAML_PERSISTENT_NAMEID", "true").lower() == "true",
        discovery=env.get("SAML_DISCOVERY", "false").lower() == "true",
    )
    if s.enabled and not (s.key_file and s.cert_file):
        raise SSOConfigError("SAML needs SAML_KEY_FILE and SAML_CERT_FILE (the service provider's key pair)")
    for path in s.metadata_files + ((s.key_file, s.cert_file) if s.enabled else ()):
        if not os.path.exists(path):
            raise SSOConfigError(f"SAML: the file {path} does not exist")
    return s
