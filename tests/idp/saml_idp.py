"""A development SAML 2.0 identity provider built on pysaml2, for the SSO tests and for trying SSO locally.

`SAMLIdP(folder, url)` makes its own key pair and metadata; `.respond(...)` answers an AuthnRequest
with a signed assertion (or, for the tests, an unsigned one, or one meant for another audience);
`.serve(sp_metadata)` runs it as a real HTTP IdP on 127.0.0.1 in a thread: its sign-in page asks
for a username from `people` and posts the answer back to devboard.
"""

import datetime
import html
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import saml2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


_made: dict[str, tuple[bytes, bytes]] = {}


def make_keypair(folder: Path, name: str) -> tuple[str, str]:
    """A self-signed certificate and its key, as PEM files; returns (key_file, cert_file).

    Made once per name and process: RSA key generation is the slow part of the tests."""
    if name not in _made:
        _made[name] = _new_keypair(name)
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(_made[name][0])
    cert_file.write_bytes(_made[name][1])
    return str(key_file), str(cert_file)


def _new_keypair(name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem, cert.public_bytes(serialization.Encoding.PEM)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class SAMLIdP:
    def __init__(self, folder: Path, url: str, name: str = "Test University (SAML)"):
        self.folder, self.url, self.name = Path(folder), url.rstrip("/"), name
        self.key_file, self.cert_file = make_keypair(self.folder, "idp")
        self.entity_id = f"{self.url}/metadata"
        self.people: dict[str, dict[str, list[str]]] = {}
        self.server: Server | None = None

    def config(self, sp_metadata: str = "") -> dict:
        conf = {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "service": {
                "idp": {
                    "name": self.name,
                    "endpoints": {"single_sign_on_service": [(f"{self.url}/sso", saml2.BINDING_HTTP_REDIRECT)]},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
                }
            },
            "organization": {"name": self.name, "display_name": [(self.name, "en")], "url": self.url},
            "key_file": self.key_file,
            "cert_file": self.cert_file,
        }
        if sp_metadata:
            path = self.folder / "sp.xml"
            path.write_text(sp_metadata)
            conf["metadata"] = {"local": [str(path)]}
        return conf

    def metadata_file(self) -> str:
        """This IdP's metadata, for devboard's SAML_METADATA_FILES."""
        config = IdPConfig()
        config.load(self.config())
        path = self.folder / "idp.xml"
        path.write_bytes(create_metadata_string(None, config=config, valid=48))
        return str(path)

    def trust(self, sp_metadata: str) -> None:
        config = IdPConfig()
        config.load(self.config(sp_metadata))
        self.server = Server(config=config)

    def respond(self, saml_request: str, username: str, *, signed=True, audience=None) -> tuple[str, str]:
        """(the ACS address, the SAMLResponse XML) answering an HTTP-Redirect AuthnRequest."""
        request = self.server.parse_authn_request(saml_request, saml2.BINDING_HTTP_REDIRECT).message
        args = self.server.response_args(request)
        attributes = self.people[username]
        response = self.server.create_authn_response(
            dict(attributes),
            in_response_to=args["in_response_to"],
            destination=args["destination"],
            sp_entity_id=audience or args["sp_entity_id"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"opaque-{username}"),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD, "authn_auth": self.url},
            sign_assertion=signed,
            sign_response=False,
        )
        return args["destination"], str(response)

    # --- as a real HTTP server -------------------------------------------------------------

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [Path(self.metadata_file()).read_bytes()]
        if path == "/sso" and environ["REQUEST_METHOD"] == "GET":
            query = environ["QUERY_STRING"]
            page = (
                f"<!doctype html><html lang='en'><title>{self.name}</title><h1>{html.escape(self.name)}</h1>"
                f"<form method='post' action='/sso?{html.escape(query)}'>"
                "<label>Username <input name='username'></label>"
                "<button>Sign in at the institution</button></form></html>"
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        if path == "/sso":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            username = parse_qs(environ["wsgi.input"].read(size).decode()).get("username", [""])[0]
            saml_request = parse_qs(environ["QUERY_STRING"])["SAMLRequest"][0]
            relay_state = parse_qs(environ["QUERY_STRING"]).get("RelayState", [""])[0]
            acs, response = self.respond(saml_request, username)
            info = self.server.apply_binding(saml2.BINDING_HTTP_POST, response, acs, relay_state, response=True)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [info["data"].encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def serve(self, port: int) -> WSGIServer:
        httpd = make_server("127.0.0.1", port, self.app, handler_class=_Quiet)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd


def main() -> None:
    """`python -m tests.idp.saml_idp PORT SITE_URL`: a development SAML IdP for a local devboard.

    Prints the variables to start devboard with; anyone may sign in with any username, and gets
    the attributes of `rosa` below with that username in them.
    """
    import sys
    import tempfile
    import time
    import urllib.request

    port, site = int(sys.argv[1]), sys.argv[2].rstrip("/")
    folder = Path(tempfile.mkdtemp(prefix="devboard-saml-idp-"))
    idp = SAMLIdP(folder, f"http://localhost:{port}", name="Development IdP (SAML)")
    key_file, cert_file = make_keypair(folder, "sp")

    class People(dict):
        def __getitem__(self, username):
            return {
                "eduPersonPrincipalName": [f"{username}@dev.example"],
                "mail": [f"{username}@dev.example"],
                "givenName": [username.title()],
                "sn": ["Tester"],
                "eduPersonAffiliation": ["student"],
            }

    idp.people = People()
    app = idp.app

    def lazy_trust(environ, start_response):
        if idp.server is None and environ["PATH_INFO"] == "/sso":
            with urllib.request.urlopen(f"{site}/sso/saml/metadata/") as response:
                idp.trust(response.read().decode())
        return app(environ, start_response)

    idp.app = lazy_trust
    print(f"SAML_METADATA_FILES={idp.metadata_file()}")
    print(f"SAML_KEY_FILE={key_file}")
    print(f"SAML_CERT_FILE={cert_file}", flush=True)
    idp.serve(port)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
