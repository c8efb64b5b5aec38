"""The guidance admin: where program directors curate roles, needs and the rules behind recommendations.

Directors are staff in the "Program directors" group (see devboard.programs.models),
never superusers. Every model here keeps its history: who changed what, when,
and the values before.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from devboard.pagecache import KeptChangelist

from .models import AnswerOption, AnswerRule, Need, NeedRule, RefiningQuestion, Role
from .rules import needs_without_a_role, refusal, rule_state

admin.site.site_header = "devboard administration"
admin.site.site_title = "devboard admin"
admin.site.index_title = "Role guidance, examples and programs"


class HistoryAdmin(KeptChangelist, SimpleHistoryAdmin):
    """History with who, when and the values before; names link to the user only for those who may open users.

    Fields edited in the list (`list_editable`) get a name of their own, e.g. "Order of Coach": the
    column header above them is not a label, so a screen reader would announce a bare number box.
    """

    def get_changelist_form(self, request, **kwargs):
        return labelled_in_the_list(super().get_changelist_form(request, **kwargs))

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm("devboard.view_user"):
            # An unknown view name makes the history template print the name without a link.
            extra_context = {**(extra_context or {}), "admin_user_view": "admin:no_user_admin"}
        return super().history_view(request, object_id, extra_context)


def labelled_in_the_list(form_class):
    class LabelledInTheList(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                if not field.widget.is_hidden:
                    field.widget.attrs["aria-label"] = f"{field.label} of {self.instance}"

    return LabelledInTheList


# -- the rule set must always be able to recommend ---------------------------


def _publish_action(model_admin, request, queryset, published: bool, check_needs: bool, check_roles: bool):
    if check_needs or check_roles:
        needs, rules, roles = rule_state()
        for obj in queryset:
            if check_needs:
                needs[obj.pk] = (needs[obj.pk][0], published)
            if check_roles:
                roles[obj.pk] = published
        failing = needs_without_a_role(needs, rules, roles)
        if failing:
            verb = "Publishing" if published else "Unpublishing"
            model_admin.message_user(request, refusal(failing, f"{verb} these"), messages.ERROR)
            return
    # save() one by one rather than update(), so each change enters the history with its author.
    changed = 0
    for obj in queryset.exclude(published=published):
        obj.published = published
        obj.save(update_fields=["published"])
        changed += 1
    state = "published" if published else "unpublished"
    model_admin.message_user(request, f"{changed} {state}; users see the change at once.", messages.SUCCESS)


class PublishActions:
    """Publish and unpublish actions; subclasses say which rule-set checks apply."""

    actions = ["publish", "unpublish"]
    checks_needs = False
    checks_roles = False

    @admin.action(description="Publish the selected items", permissions=["change"])
    def publish(self, request, queryset):
        _publish_action(self, request, queryset, True, self.checks_needs, False)

    @admin.action(
        description="Unpublish the selected items (hidden from users, kept for old worksheets)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        _publish_action(self, request, queryset, False, False, self.checks_roles)


def _history_of_rules(records) -> str:
    """A short list of recent rule changes with their previous values."""
    items = []
    for record in records:
        who = record.history_user.display_name() if record.history_user else "the system"
        when = record.history_date.strftime("%-d %b %Y %H:%M")
        previous = record.prev_record
        if record.history_type == "+":
            what = "added"
        elif record.history_type == "-":
            what = "deleted"
        elif previous is None:
            what = "changed"
        else:
            changes = record.diff_against(previous).changes
            if not changes:
                continue
            what = "; ".join(f"{c.field.replace('_', ' ')}: {c.old} → {c.new}" for c in changes)
        items.append((when, who, str(record.instance), what))
    if not items:
        return "No changes to these rules yet."
    return format_html("<ul class='rule-history'>{}</ul>", format_html_join("", "<li>{} · {} · {}: {}</li>", items))


# -- roles --------------------------------------------------------------------


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    def clean(self):
        data = super().clean()
        # clean() runs before the form's values reach the instance, so instance.published is the saved value.
        if self.instance.pk and self.instance.published and data.get("published") is False:
            needs, rules, roles = rule_state()
            roles[self.instance.pk] = False
            failing = needs_without_a_role(needs, rules, roles)
            if failing:
                raise ValidationError({"published": refusal(failing, f"Unpublishing {self.instance.name}")})
        return data


@admin.register(Role)
class RoleAdmin(PublishActions, HistoryAdmin):
    form = RoleForm
    checks_roles = True
    list_display = ("name", "order", "published", "tagline", "preview_link")
    list_display_links = ("name",)
    list_editable = ("order",)
    list_filter = ("published",)
    search_fields = (
        "name",
        "slug",
        "tagline",
        "ideal_use",
        "style",
        "sayings",
        "pitfall",
        "learner_example",
        "faculty_example",
        "suggested_questions",
    )
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("preview_link",)
    history_list_display = ("published",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "tagline", "order", "published", "preview_link")}),
        ("How this role helps", {"fields": ("ideal_use", "style", "sayings", "pitfall")}),
        ("Examples", {"fields": ("learner_example", "faculty_example")}),
        (
            "In the worksheet",
            {
                "fields": ("suggested_questions",),
                "description": (
                    "Completed worksheets keep the questions they were given; edits here apply to new recommendations."
                ),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Worksheets and boards point to roles; unpublishing hides a role without breaking them.
        return False

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save first to preview."
        url = reverse("admin:roles_role_preview", args=[obj.pk])
        return format_html(
            '<a href="{}">Preview the {} page<span class="visually-hidden"> as users see it</span></a>',
            url,
            obj.name.lower(),
        )

    def get_urls(self):
        urls = [path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="roles_role_preview")]
        return urls + super().get_urls()

    def preview_view(self, request, pk: int):
        role = get_object_or_404(Role, pk=pk)
        if not self.has_view_permission(request, role):
            raise PermissionDenied
        needs = [n for n in Need.objects.published().prefetch_related("rules__role") if n.main_role() == role]
        context = {
            "role": role,
            "needs": needs,
            "others": Role.objects.published().exclude(pk=role.pk),
            "change_url": reverse("admin:roles_role_change", args=[role.pk]),
        }
        return TemplateResponse(request, "admin/roles/role_preview.html", context)


# -- needs and their rules ----------------------------------------------------


class NeedRuleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.published:
            return
        needs, rules, roles = rule_state()
        kept = [
            (form.cleaned_data["role"].pk, form.cleaned_data.get("primary_points") or 0)
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        ]
        if not needs_without_a_role({0: (self.instance.name, True)}, {0: kept}, roles):
            return
        raise ValidationError(
            "A published need must keep at least one rule that gives a published role positive points "
            "as the main need; otherwise it would recommend no role. Add one, or unpublish the need."
        )


class NeedRuleInline(admin.TabularInline):
    model = NeedRule
    formset = NeedRuleFormSet
    extra = 0
    fields = ("role", "primary_points", "secondary_points", "reason")
    verbose_name = "rule"
    verbose_name_plural = "Rules: points each role earns when this need is named"


@admin.register(Need)
class NeedAdmin(PublishActions, HistoryAdmin):
    checks_needs = True
    inlines = [NeedRuleInline]
    list_display = ("name", "order", "published", "summary", "points_to")
    list_editable = ("order",)
    list_filter = ("published",)
    search_fields = ("name", "slug", "summary", "explanation", "sounds_like")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("rule_history",)
    fields = ("name", "slug", "order", "published", "summary", "explanation", "sounds_like", "rule_history")
    history_list_display = ("published",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rules__role")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Points to")
    def points_to(self, obj):
        role = obj.main_role()
        return role.name if role else "no role"

    @admin.display(description="Recent changes to this need's rules")
    def rule_history(self, obj):
        if not obj.pk:
            return "—"
        return _history_of_rules(
            NeedRule.history.filter(need_id=obj.pk).select_related("history_user").order_by("-history_date")[:10]
        )


# -- refining questions, their options and the options' rules ----------------


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0
    fields = ("slug", "label", "order", "rule_summary")
    readonly_fields = ("rule_summary",)
    show_change_link = True
    verbose_name_plural = "Answer options (open one to edit its rule weights)"

    @admin.display(description="Rule weights")
    def rule_summary(self, obj):
        if not obj.pk:
            return "Save first, then open the option to add rules."
        rules = obj.rules.select_related("role")
        return ", ".join(f"{r.role.name} {r.points:+d}" for r in rules) or "no rules"


@admin.register(RefiningQuestion)
class RefiningQuestionAdmin(PublishActions, HistoryAdmin):
    inlines = [AnswerOptionInline]
    list_display = ("text", "slug", "order", "published", "option_count")
    list_editable = ("order",)
    list_filter = ("published",)
    search_fields = ("text", "slug", "help_text", "options__label")
    prepopulated_fields = {"slug": ("text",)}
    history_list_display = ("published",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("options")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Options")
    def option_count(self, obj):
        return len(obj.options.all())


class AnswerRuleInline(admin.TabularInline):
    model = AnswerRule
    extra = 0
    fields = ("role", "points", "reason")
    verbose_name = "rule"
    verbose_name_plural = "Rules: points each role gains (or loses) when this answer is given"


@admin.register(AnswerOption)
class AnswerOptionAdmin(HistoryAdmin):
    inlines = [AnswerRuleInline]
    list_display = ("label", "question", "order", "weights")
    list_filter = ("question",)
    search_fields = ("label", "slug", "question__text")
    list_select_related = ("question",)
    fields = ("question", "slug", "label", "order", "rule_history")
    readonly_fields = ("rule_history",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rules__role")

    @admin.display(description="Rule weights")
    def weights(self, obj):
        return ", ".join(f"{r.role.name} {r.points:+d}" for r in obj.rules.all()) or "no rules"

    @admin.display(description="Recent changes to this answer's rules")
    def rule_history(self, obj):
        if not obj.pk:
            return "—"
        return _history_of_rules(
            AnswerRule.history.filter(option_id=obj.pk).select_related("history_user").order_by("-history_date")[:10]
        )


class ReadOnlyRuleAdmin(HistoryAdmin):
    """An overview of every weight, with each rule's history; edit them where they belong (need or answer)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NeedRule)
class NeedRuleAdmin(ReadOnlyRuleAdmin):
    list_display = ("need", "role", "primary_points", "secondary_points", "reason")
    list_filter = ("need", "role")
    search_fields = ("reason", "need__name", "role__name")
    list_select_related = ("need", "role")


@admin.register(AnswerRule)
class AnswerRuleAdmin(ReadOnlyRuleAdmin):
    list_display = ("option", "role", "points", "reason")
    list_filter = ("option__question", "role")
    search_fields = ("reason", "option__label", "role__name")
    list_select_related = ("option__question", "role")
