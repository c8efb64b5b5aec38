from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from devboard.pagecache import cached_page, guidance

from .models import Need, Role


@require_GET
@cached_page(guidance)
def guide(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.published())
    needs = Need.objects.published().prefetch_related("rules__role")
    return render(request, "roles/guide.html", {"roles": roles, "needs": needs})


@require_GET
@cached_page(guidance)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(Role.objects.published(), slug=slug)
    needs = [n for n in Need.objects.published().prefetch_related("rules__role") if n.main_role() == role]
    others = Role.objects.published().exclude(pk=role.pk)
    return render(request, "roles/detail.html", {"role": role, "needs": needs, "others": others})


@require_GET
@cached_page(guidance)
def needs(request: HttpRequest) -> HttpResponse:
    needs = Need.objects.published().prefetch_related("rules__role")
    return render(request, "roles/needs.html", {"needs": needs})
