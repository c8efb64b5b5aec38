from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class DevboardUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "external_id", "is_staff")
    list_filter = ("is_staff", "is_active")
    search_fields = (*UserAdmin.search_fields, "external_id")
    fieldsets = (*UserAdmin.fieldsets, ("Institution", {"fields": ("external_id",)}))
