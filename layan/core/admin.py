from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from layan.core.local_time import local
from layan.core.models import ApiToken, User


def local_time_column(field: str, description: str):
    """A list column showing a moment in its row's office zone, named: '4 Des 2026 14.05 WITA'.

    Rows without an office (a token, a user) are shown in the install's zone.
    """

    @admin.display(description=description, ordering=field)
    def column(obj) -> str:
        return local(getattr(obj, field), getattr(obj, "office", None)) or "—"

    column.__name__ = f"{field}_local"
    return column


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

    list_display = (
        "prefix",
        "user",
        local_time_column("created_at", "dibuat"),
        local_time_column("last_used_at", "terakhir dipakai"),
    )
    list_select_related = ("user",)
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")
    # The hash is of no use to a reader and need not be shown anywhere.
    exclude = ("key_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
