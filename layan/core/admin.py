from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from layan.core.models import User


@admin.register(User)
class LayanUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Layan", {"fields": ("full_name", "nip", "is_demo")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_demo")
    readonly_fields = ("is_demo",)
