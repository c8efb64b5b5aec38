"""Only the curated examples are here. Worksheets belong to their owners and are never in the admin."""

from django.contrib import admin

from roles.admin import HistoryAdmin

from .models import Example


@admin.register(Example)
class ExampleAdmin(HistoryAdmin):
    list_display = ("title", "audience", "primary_need", "role", "order", "published")
    list_editable = ("order",)
    list_filter = ("published", "audience", "role", "primary_need")
    search_fields = ("title", "person", "problem", "ideal_outcome", "reasoning", "next_step")
    list_select_related = ("primary_need", "role")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("other_needs",)
    actions = ["publish", "unpublish"]
    history_list_display = ("published",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "audience", "order", "published")}),
        (
            "The worksheet",
            {
                "fields": (
                    "person",
                    "problem",
                    "ideal_outcome",
                    "primary_need",
                    "other_needs",
                    "role",
                    "reasoning",
                    "questions_to_ask",
                    "next_step",
                )
            },
        ),
    )

    @admin.action(description="Publish the selected examples", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish the selected examples", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published: bool) -> None:
        # One save per example so the history records who did it.
        changed = 0
        for example in queryset.exclude(published=published):
            example.published = published
            example.save(update_fields=["published"])
            changed += 1
        self.message_user(
            request, f"{changed} example{'s' if changed != 1 else ''} {'published' if published else 'unpublished'}."
        )
