"""SAML 2.0 sign-in against a pysaml2 IdP that signs real assertions (xmlsec1)."""

import base64
import copy
from urllib.parse import parse_qs, urlsplit

import pytest

from devboard.models import User
from devboard.sso import saml
from devboard.sso.config import SAMLSettings
from devboard.sso.models import Identity
from tests.idp.saml_idp import SAMLIdP, make_keypair

pytestmark = pytest.mark.django_db

PEOPLE = {
    "rosa": {
        "eduPersonPrincipalName": ["rosa@uni.example"],
        "mail": ["rosa@uni.example"],
        "givenName": ["Rosa"],
        "sn": ["Diaz"],
        "eduPersonAffiliation": ["student"],
    }
}


@pytest.fixture
def idp(tmp_path, settings, client):
    idp = SAMLIdP(tmp_path, "http://127.0.0.1:9")
    idp.people.update(copy.deepcopy(PEOPLE))
    key_file, cert_file = make_keypair(tmp_path, "sp")
    settings.SSO_SAML = SAMLSettings(metadata_files=(idp.metadata_file(),), key_file=key_file, cert_file=cert_file)
    saml._idps["key"] = None
    idp.trust(client.get("/sso/saml/metadata/").content.decode())
    return idp


def ask(client, idp) -> str:
    """Click "Sign in with …": devboard redirects to the IdP with a signed AuthnRequest."""
    response = client.get(f"/sso/saml/start/{saml.slug_for(idp.entity_id)}/")
    assert response.status_code == 302
    return parse_qs(urlsplit(response.url).query)["SAMLRequest"][0]


def post(client, xml: str):
    return client.post("/sso/saml/acs/", {"SAMLResponse": base64.b64encode(xml.encode()).decode()})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_metadata_names_the_acs_and_asks_for_signed_assertions(client, idp):
    xml = client.get("/sso/saml/metadata/").content.decode()
    assert 'WantAssertionsSigned="true"' in xml
    assert "http://127.0.0.1:8000/sso/saml/acs/" in xml
    assert 'AuthnRequestsSigned="true"' in xml


def test_the_metadata_is_not_there_without_saml(client):
    assert client.get("/sso/saml/metadata/").status_code == 404


def test_a_signed_assertion_signs_in_and_creates_the_account(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa")
    response = post(client, xml)
    assert response.status_code == 302
    assert signed_in(client)
    rosa = User.objects.get()
    assert (rosa.email, rosa.first_name, rosa.last_name) == ("rosa@uni.example", "Rosa", "Diaz")
    identity = Identity.objects.get()
    assert (identity.issuer, identity.subject, identity.protocol) == (idp.entity_id, "rosa@uni.example", "saml")


def test_a_second_sign_in_with_a_new_address_is_the_same_account(client, idp):
    post(client, idp.respond(ask(client, idp), "rosa")[1])
    client.logout()
    idp.people["rosa"]["mail"] = ["rosa.diaz@uni.example"]
    post(client, idp.respond(ask(client, idp), "rosa")[1])
    assert signed_in(client)
    assert User.objects.get().email == "rosa.diaz@uni.example"


def test_an_unsigned_assertion_is_refused(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa", signed=False)
    response = post(client, xml)
    assert response.status_code == 400
    assert b"could not be trusted" in response.content
    assert not signed_in(client) and not User.objects.exists()


def test_an_altered_assertion_is_refused(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa")
    assert xml.count("rosa@uni.example") == 2  # the principal name and the address
    response = post(client, xml.replace("rosa@uni.example", "dean@uni.example"))
    assert response.status_code == 400
    assert not signed_in(client) and not User.objects.exists()


def test_a_replayed_assertion_is_refused(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa")
    assert post(client, xml).status_code == 302
    client.logout()
    response = post(client, xml)
    assert response.status_code == 400
    assert not signed_in(client)


def test_a_replayed_assertion_is_refused_even_with_a_request_outstanding(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa")
    assert post(client, xml).status_code == 302
    client.logout()
    ask(client, idp)  # a fresh request in this browser does not make the old answer valid
    assert post(client, xml).status_code == 400
    assert not signed_in(client)


def test_an_assertion_for_another_audience_is_refused(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa", audience="https://elsewhere.example/sp")
    response = post(client, xml)
    assert response.status_code == 400
    assert not signed_in(client) and not User.objects.exists()


def test_an_answer_nobody_asked_for_is_refused(client, idp):
    _, xml = idp.respond(ask(client, idp), "rosa")
    client.cookies.clear()  # another browser: no request outstanding
    assert post(client, xml).status_code == 400
    assert not User.objects.exists()
