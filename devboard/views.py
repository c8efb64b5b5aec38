from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from devboard.pagecache import cached_page, guidance
from roles.models import Need, Role


@login_not_required
@require_GET
@cached_page(guidance, public=True)
def landing(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "landing.html",
        {"roles": Role.objects.published(), "needs": Need.objects.published().prefetch_related("rules__role")},
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")
