"""Institutional sign-in through SAML 2.0: the whole browser journey against a pysaml2 IdP on loopback."""

import re

import pytest
import requests
from playwright.sync_api import expect

from devboard.models import User
from devboard.programs.models import Program
from devboard.sso import saml
from devboard.sso.config import SAMLSettings
from devboard.sso.models import ProgramRule
from tests.idp.saml_idp import SAMLIdP, make_keypair

from ..support import assert_accessible
from .conftest import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def saml_idp(tmp_path, settings, live_server):
    port = free_port()
    # Same host name as the live server, so the IdP's post back is same-site and the SameSite=Lax
    # SAML session cookie travels, as SameSite=None does over HTTPS in production.
    idp = SAMLIdP(tmp_path, f"http://localhost:{port}", name="Test University (SAML)")
    key_file, cert_file = make_keypair(tmp_path, "sp")
    settings.SITE_URL = live_server.url
    settings.SSO_SAML = SAMLSettings(metadata_files=(idp.metadata_file(),), key_file=key_file, cert_file=cert_file)
    saml._idps["key"] = None
    idp.trust(requests.get(f"{live_server.url}/sso/saml/metadata/", timeout=10).text)
    httpd = idp.serve(port)
    yield idp
    httpd.shutdown()


def test_signing_in_through_the_institutions_saml_idp(page, live_server, saml_idp, axe):
    program = Program.objects.create(name="Internal Medicine", slug="im")
    ProgramRule.objects.create(program=program, attribute="eduPersonAffiliation", value="student", kind="learner")
    saml_idp.people["rosa"] = {
        "eduPersonPrincipalName": ["rosa@uni.example"],
        "mail": ["rosa@uni.example"],
        "givenName": ["Rosa"],
        "sn": ["Diaz"],
        "eduPersonAffiliation": ["student"],
    }
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test University (SAML)").click()
    page.get_by_label("Username").fill("rosa")
    page.get_by_role("button", name="Sign in at the institution").click()
    expect(page).to_have_url(re.compile(r"/worksheets/$"))
    expect(page.get_by_role("link", name="Rosa Diaz")).to_be_visible()
    assert User.objects.get().identities.get().subject == "rosa@uni.example"

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("listitem").filter(has_text="Internal Medicine")).to_contain_text("from your institution")
    assert_accessible(page, axe)
