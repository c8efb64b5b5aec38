from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and only for superusers: the log is written by the app and pruned by prune_audit."""

    list_display = ("at", "kind", "user", "user_ref", "ip", "path")
    list_filter = ("kind",)
    search_fields = ("=user_ref", "=ip", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)
    readonly_fields = ("at", "kind", "user", "user_ref", "ip", "path", "details")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
