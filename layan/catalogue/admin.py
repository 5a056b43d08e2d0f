from django.contrib import admin

from layan.catalogue.models import Service, ServiceVersion
from layan.offices.admin import OfficeScopedAdmin


class VersionInline(admin.TabularInline):
    model = ServiceVersion
    extra = 0
    fields = ("number", "source_name", "content_hash", "loaded_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        # Versions come from validated files (`layan load-sops`), never typed in here.
        return False


@admin.register(Service)
class ServiceAdmin(OfficeScopedAdmin):
    list_display = ("name", "office", "code", "is_published", "order")
    list_filter = ("office",)
    fields = ("office", "code", "name", "is_published", "order")
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ("office", "code", "name") if obj else ()

    def has_add_permission(self, request):
        return False
