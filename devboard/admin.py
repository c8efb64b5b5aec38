from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class DevboardUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("devboard", {"fields": ("kind",)}),)
    list_display = ("username", "email", "first_name", "last_name", "kind", "is_staff")
    list_filter = ("kind", "is_staff", "is_active")
