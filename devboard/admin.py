from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse

from .models import User


@admin.register(User)
class DevboardUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "external_id", "is_staff")
    list_filter = ("is_staff", "is_active")
    search_fields = (*UserAdmin.search_fields, "external_id")
    fieldsets = (*UserAdmin.fieldsets, ("Institution", {"fields": ("external_id",)}))


# The admin's "view on site" shortcut (/admin/r/<type>/<id>/) sends staff to an object's page. Only
# guidance and programs have pages meant for staff; for anything else (a worksheet, a board member,
# a calendar feed: a person's own things) the shortcut answers 404, whoever asks.
VIEW_ON_SITE = {"roles.role", "worksheets.example", "programs.program"}


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None or f"{content_type.app_label}.{content_type.model}" not in VIEW_ON_SITE:
        raise Http404
    return shortcut(request, content_type_id, object_id)
