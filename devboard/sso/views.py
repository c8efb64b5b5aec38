from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from devboard.programs.models import Membership

from .models import Identity
from .oidc import SESSION_LINKING
from .providers import buttons


def linked_sign_ins_context(request: HttpRequest) -> dict:
    """What the Linked sign-ins section of the account page shows."""
    identities = list(request.user.identities.all())
    linked = {i.provider for i in identities}
    memberships = Membership.objects.filter(user=request.user, from_institution__isnull=False)
    return {
        "identities": identities,
        "can_link": [b for b in buttons() if b.slug not in linked and b.slug != "saml-choose"],
        "institution_memberships": memberships.select_related("program"),
    }


@require_GET
def linked_sign_ins(request: HttpRequest) -> HttpResponse:
    """The same section on its own page, where linking comes back to."""
    return render(request, "sso/linked.html", linked_sign_ins_context(request))


@require_POST
def link(request: HttpRequest) -> HttpResponse:
    """Start a sign-in whose identity will be linked to the signed-in account (POST, so no other site can)."""
    button = next((b for b in buttons() if b.slug == request.POST.get("provider")), None)
    if button is None:
        return redirect("account")
    request.session[SESSION_LINKING] = request.user.pk
    return redirect(f"{button.url}?next={reverse('account')}%23linked-sign-ins")


@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    identity = get_object_or_404(Identity, pk=pk, user=request.user)
    others = request.user.identities.exclude(pk=pk).exists()
    if not others and not request.user.has_usable_password():
        messages.error(request, f"{identity.provider_name} is your only way to sign in, so it stays linked.")
    else:
        identity.delete()
        messages.success(request, f"{identity.provider_name} is no longer linked to your account.")
    return redirect(f"{reverse('account')}#linked-sign-ins")


@login_not_required
@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    """Choose your institution, when several are configured."""
    next_url = request.GET.get("next", "")
    query = f"?next={next_url}" if next_url.startswith("/") and not next_url.startswith("//") else ""
    choices = [b for b in buttons() if b.slug != "saml-choose"]
    if settings.SSO_SAML.enabled:
        from . import saml

        choices += saml.choices()
    return render(request, "sso/discovery.html", {"buttons": choices, "query": query})
