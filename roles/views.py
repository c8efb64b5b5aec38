from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Need, Role


def guide(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.published())
    needs = Need.objects.published().prefetch_related("rules__role")
    return render(request, "roles/guide.html", {"roles": roles, "needs": needs})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(Role.objects.published(), slug=slug)
    needs = [n for n in Need.objects.published().prefetch_related("rules__role") if n.main_role() == role]
    others = Role.objects.published().exclude(pk=role.pk)
    return render(request, "roles/detail.html", {"role": role, "needs": needs, "others": others})


def needs(request: HttpRequest) -> HttpResponse:
    needs = Need.objects.published().prefetch_related("rules__role")
    return render(request, "roles/needs.html", {"needs": needs})
