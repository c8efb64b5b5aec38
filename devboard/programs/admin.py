"""Programs and memberships in the admin: superusers manage them all; a director sees only their programs.

Directors invite and remove people on the program pages (/program/), where consent and the
suppression rules apply; here their view of memberships is read-only, paginated, and leaves out
pending invitations (which must not show an account's name) and past memberships.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from devboard import audit
from devboard.pagecache import KeptChangelist
from devboard.sso.models import ProgramRule

from .models import Membership, Program, RosterRun


def _directed(request):
    programs = Program.objects.all()
    return programs if request.user.is_superuser else programs.directed_by(request.user)


class ProgramRuleInline(admin.TabularInline):
    """Membership from the institution's sign-in: an attribute value makes a person a learner or faculty member."""

    model = ProgramRule
    extra = 1
    verbose_name = "sign-in rule"
    verbose_name_plural = "membership from the institution's sign-in (followed at each sign-in; see docs/sso.md)"


@admin.register(Program)
class ProgramAdmin(KeptChangelist, admin.ModelAdmin):
    changelist_scopes = [("programs",)]
    inlines = [ProgramRuleInline]
    list_display = ("name", "slug", "member_count", "dashboard_link")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 50

    def get_queryset(self, request):
        programs = super().get_queryset(request)
        if not request.user.is_superuser:
            programs = programs.directed_by(request.user)
        return programs.annotate(
            members=Count(
                "memberships",
                filter=Q(memberships__left_at__isnull=True, memberships__state=Membership.State.ACTIVE),
            )
        )

    def _directs(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.is_directed_by(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._directs(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._directs(request, obj)

    @admin.display(description="Members", ordering="members")
    def member_count(self, obj):
        return obj.members

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


class DirectedProgramFilter(admin.SimpleListFilter):
    """Only the programs the signed-in director directs, so other programs' names never show."""

    title = "program"
    parameter_name = "program"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.name) for p in _directed(request).order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(program_id=self.value()) if self.value() and self.value().isdigit() else queryset


@admin.register(Membership)
class MembershipAdmin(KeptChangelist, admin.ModelAdmin):
    changelist_scopes = [("programs",)]
    list_display = ("user", "program", "kind", "state", "joined_at", "counts_from")
    list_filter = (DirectedProgramFilter, "kind", "state")
    list_select_related = ("user", "program")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    raw_id_fields = ("user",)
    fields = ("program", "user", "kind", "state", "joined_at", "counts_from", "left_at", "counts_until")
    readonly_fields = ("state", "joined_at", "counts_from", "left_at", "counts_until")
    list_per_page = 50
    show_full_result_count = False
    # By name, as a director looks for someone (kind and program are filters): PostgreSQL walks the
    # accounts' name index to the first page rather than sorting a 2,000-member program (6.4 -> 1.1 ms).
    ordering = ("user__last_name", "user__first_name", "user__username")

    def get_queryset(self, request):
        memberships = super().get_queryset(request).select_related("user", "program")
        if request.user.is_superuser:
            return memberships
        return memberships.current().filter(program__in=Program.objects.directed_by(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = _directed(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Moving a membership to another program or person would carry its settled dates along;
        # that is a removal and a new membership, each with its own dates.
        return self.readonly_fields + (("program", "user") if obj is not None else ())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.activate()  # added by hand: a member at once, counted once settled
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(
                "membership_added", request, program=obj.program_id, membership=obj.pk, membership_kind=obj.kind
            )
        elif form.changed_data:
            audit.record(
                "membership_changed",
                request,
                program=obj.program_id,
                membership=obj.pk,
                changed=sorted(form.changed_data),
                membership_kind=obj.kind,
            )

    def delete_model(self, request, obj):
        audit.record("membership_removed", request, program=obj.program_id, membership=obj.pk)
        obj.remove()  # history kept, so figures already shown do not move

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)
