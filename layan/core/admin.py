from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from layan.core.models import ApiToken, User


@admin.register(User)
class LayanUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Layan", {"fields": ("full_name", "nip", "is_demo")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_demo")
    readonly_fields = ("is_demo",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued only through the API; here they can be seen and, by deleting, revoked."""

    list_display = ("prefix", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")
    # The hash is of no use to a reader and need not be shown anywhere.
    exclude = ("key_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
