"""A development OpenID Connect provider (django-oidc-provider) for the SSO tests and for trying SSO locally.

Run it with `python -m tests.idp.oidc_site PORT REDIRECT_URI [NAME]`. It keeps its own SQLite
database in a temporary folder, signs ID tokens with a fresh RSA key, and knows one confidential
client, `devboard` / `devboard-secret`, allowed to redirect to REDIRECT_URI. People sign in at
its /login/ page with any username it knows and the password `password`.

`POST /control/person/` (JSON: username, email, given_name, family_name, is_active, groups)
creates or changes a person, so tests can play the institution's directory. It listens on
127.0.0.1 only.
"""

import json
import os
import sys
import tempfile

NAME = os.environ.get("IDP_NAME", "idp")
DATA = tempfile.mkdtemp(prefix=f"devboard-oidc-{NAME}-")

SECRET_KEY = "development-identity-provider-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(DATA, "idp.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
# Cookies are per host, not per port: keep this provider's apart from devboard's on 127.0.0.1.
SESSION_COOKIE_NAME = f"{NAME}_session"
CSRF_COOKIE_NAME = f"{NAME}_csrf"
LOGIN_URL = "/login/"
SITE_URL = os.environ.get("IDP_SITE_URL", "http://127.0.0.1:9000")
OIDC_USERINFO = f"{__name__}.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = f"{__name__}.GroupClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True


def userinfo(claims, user):
    claims.update(
        email=user.email,
        email_verified=True,
        given_name=user.first_name,
        family_name=user.last_name,
        name=user.get_full_name(),
        preferred_username=user.username,
    )
    return claims


def _group_claims_class():
    from oidc_provider.lib.claims import ScopeClaims

    class GroupClaims(ScopeClaims):
        def scope_groups(self):
            return {"groups": list(self.user.groups.values_list("name", flat=True))}

    return GroupClaims


def __getattr__(name):  # both need the apps loaded, so they are built on first use
    if name == "GroupClaims":
        return _group_claims_class()
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def login_page(request):
    from django.contrib.auth import authenticate, login
    from django.http import HttpResponse, HttpResponseRedirect
    from django.middleware.csrf import get_token

    error = ""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is not None:
            login(request, user)
            return HttpResponseRedirect(request.GET.get("next", "/"))
        error = "<p role='alert'>Unknown person or wrong password.</p>"
    return HttpResponse(
        f"<!doctype html><html lang='en'><title>{NAME} sign-in</title><h1>{NAME} identity provider</h1>{error}"
        f"<form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{get_token(request)}'>"
        "<label>Username <input name='username'></label>"
        " <label>Password <input name='password' type='password'></label>"
        "<button>Sign in at the institution</button></form></html>"
    )


def control_person(request):
    from django.contrib.auth.models import Group, User
    from django.http import JsonResponse

    data = json.loads(request.body)
    user, created = User.objects.get_or_create(username=data["username"])
    user.email = data.get("email", user.email)
    user.first_name = data.get("given_name", user.first_name)
    user.last_name = data.get("family_name", user.last_name)
    user.is_active = data.get("is_active", True)
    if created:  # a new password would end the person's session here
        user.set_password("password")
    user.save()
    if "groups" in data:
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in data["groups"]])
    return JsonResponse({"sub": str(user.pk)})


def _urlpatterns():
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    return [
        path("login/", login_page),
        path("control/person/", csrf_exempt(control_person)),
        path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    ]


def setup(redirect_uri: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    RSAKey.objects.create(key=pem.decode())
    client = Client.objects.create(
        name="devboard",
        client_type="confidential",
        client_id="devboard",
        client_secret="devboard-secret",
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=redirect_uri,
    )
    client.response_types.set([ResponseType.objects.get(value="code")])


def main() -> None:
    port, redirect_uri = int(sys.argv[1]), sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = __name__
    import django

    django.setup()
    setup(redirect_uri)
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    WSGIServer.request_queue_size = 16
    print(f"ready on {port}", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
