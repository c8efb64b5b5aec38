"""Only the curated examples are here. Worksheets belong to their owners and are never in the admin."""

from django import forms
from django.contrib import admin
from django.db import models

from roles.admin import HistoryAdmin, PublishActions

from .models import Example


@admin.register(Example)
class ExampleAdmin(PublishActions, HistoryAdmin):
    list_display = ("title", "audience", "primary_need", "role", "order", "published")
    list_editable = ("order",)
    list_filter = ("published", "audience", "role", "primary_need")
    search_fields = ("title", "person", "problem", "ideal_outcome", "reasoning", "next_step")
    list_select_related = ("primary_need", "role")
    prepopulated_fields = {"slug": ("title",)}
    # A handful of needs: plain checkboxes, each with its label, rather than the two-box filter widget.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
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
