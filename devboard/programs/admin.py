"""Programs in the admin: superusers manage them all; a director sees only the programs they direct.

Directors add and remove people on the program pages (/program/), where
invitations are sent; here their view of memberships is read-only.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Membership, Program, RosterRun


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "kind", "joined_at")
    readonly_fields = ("joined_at",)
    raw_id_fields = ("user",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    inlines = [MembershipInline]
    list_display = ("name", "slug", "dashboard_link")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        programs = super().get_queryset(request)
        return programs if request.user.is_superuser else programs.directed_by(request.user)

    def _directs(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.is_directed_by(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._directs(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._directs(request, obj)

    @admin.display(description="Figures")
    def dashboard_link(self, obj):
        return format_html('<a href="{}">Program figures</a>', reverse("programs:dashboard", args=[obj.slug]))


@admin.register(RosterRun)
class RosterRunAdmin(admin.ModelAdmin):
    """What each `manage.py sync_roster` did; the record is history, so nobody edits it here."""

    list_display = (
        "ran_at",
        "program",
        "file_name",
        "applied",
        "created",
        "updated",
        "unchanged",
        "removed",
        "deactivated",
    )
    list_filter = ("program", "applied")
    date_hierarchy = "ran_at"

    def get_queryset(self, request):
        runs = super().get_queryset(request).select_related("program")
        return runs if request.user.is_superuser else runs.filter(program__in=Program.objects.directed_by(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
