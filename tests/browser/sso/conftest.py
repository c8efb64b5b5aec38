"""Identity providers on loopback for the SSO journeys, started once per test run.

Two OpenID Connect providers (django-oidc-provider in tests/idp/oidc_site.py), each its own
process with its own issuer, signing key and directory of people.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from devboard.sso import providers
from devboard.sso.config import OIDCProvider

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class OIDCIdP:
    name: str
    url: str
    process: subprocess.Popen

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def person(self, username: str, **fields) -> str:
        """Create or change a person in the provider's directory; returns their subject."""
        response = requests.post(f"{self.url}/control/person/", json={"username": username, **fields}, timeout=10)
        response.raise_for_status()
        return response.json()["sub"]


def start_oidc_idp(name: str, redirect_uri: str) -> OIDCIdP:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "IDP_NAME": name, "IDP_SITE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.idp.oidc_site", str(port), redirect_uri],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=1).ok:
                return OIDCIdP(name, url, process)
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the {name} test provider did not start")


@pytest.fixture(scope="session")
def uni_idp(live_server):
    idp = start_oidc_idp("uni", f"{live_server.url}/sso/oidc/uni/callback/")
    yield idp
    idp.process.terminate()
    idp.process.wait(10)


@pytest.fixture(scope="session")
def other_idp(live_server):
    idp = start_oidc_idp("other", f"{live_server.url}/sso/oidc/other/callback/")
    yield idp
    idp.process.terminate()
    idp.process.wait(10)


def oidc(slug: str, name: str, idp: OIDCIdP) -> OIDCProvider:
    return OIDCProvider(
        slug=slug,
        name=name,
        issuer=idp.issuer,
        client_id="devboard",
        client_secret="devboard-secret",
        scopes="openid email profile groups",
    )


@pytest.fixture
def oidc_sites(settings, uni_idp, other_idp):
    """devboard configured with both providers, as OIDC_PROVIDERS=uni,other would."""
    settings.SSO_OIDC_PROVIDERS = [oidc("uni", "Test University", uni_idp), oidc("other", "Other Hospital", other_idp)]
    providers._discovered.clear()
    return uni_idp, other_idp


def sign_in_at(page, idp_username: str):
    """On the provider's own page: sign in as that person."""
    page.get_by_label("Username").fill(idp_username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in at the institution").click()
