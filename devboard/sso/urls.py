from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import oidc, saml, views

app_name = "sso"
urlpatterns = [
    path("sso/oidc/<slug:slug>/start/", login_not_required(require_GET(oidc.start)), name="oidc_start"),
    path("sso/oidc/<slug:slug>/callback/", login_not_required(oidc.Callback.as_view()), name="oidc_callback"),
    path("sso/saml/start/<slug:slug>/", login_not_required(require_GET(saml.start)), name="saml_start"),
    # The IdP posts the signed assertion here from its own site: no CSRF token, the signature stands in.
    path("sso/saml/acs/", login_not_required(csrf_exempt(require_POST(saml.acs))), name="saml_acs"),
    path("sso/saml/metadata/", login_not_required(require_GET(saml.metadata)), name="saml_metadata"),
    path("sso/choose/", views.discovery, name="discovery"),
    path("sso/link/", views.link, name="link"),
    path("account/sso/", views.linked_sign_ins, name="linked"),
    path("account/sso/<int:pk>/unlink/", views.unlink, name="unlink"),
]
