"""Office configuration in the Django admin, scoped so an office admin sees only their office."""

from django.contrib import admin
from django.db.models import Q

from layan.offices.models import (
    ComplaintChannel,
    ContactOfficer,
    CutiBersama,
    Membership,
    Office,
    Unit,
    WorkingHours,
)
from layan.offices.selectors import offices_administered_by


class OfficeScopedAdmin(admin.ModelAdmin):
    """Rows are filtered to the offices the signed-in user administers.

    Permission comes from holding the admin role at an office, not from Django's
    per-model permissions, so adding an office admin needs only a membership.
    """

    office_field = "office"

    def _offices(self, request):
        return offices_administered_by(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.office_field}__in": self._offices(request)})

    def _may_manage(self, request, obj=None) -> bool:
        if not request.user.is_active or not request.user.is_staff:
            return False
        if request.user.is_superuser:
            return True
        offices = self._offices(request)
        if obj is None:
            return offices.exists()
        office = obj if isinstance(obj, Office) else getattr(obj, self.office_field)
        return offices.filter(pk=office.pk).exists()

    def has_module_permission(self, request):
        return self._may_manage(request)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_add_permission(self, request):
        return self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office" and not request.user.is_superuser:
            kwargs["queryset"] = self._offices(request)
        if db_field.name in {"unit", "parent"} and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(office__in=self._offices(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "office"
    extra = 0
    fields = ("name", "short_name", "parent")


class ChannelInline(admin.TabularInline):
    model = ComplaintChannel
    extra = 0


class OfficerInline(admin.TabularInline):
    model = ContactOfficer
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    office_field = "pk"
    list_display = ("name", "region_code", "time_zone", "head_name")
    search_fields = ("name", "slug", "region_code")
    inlines = [UnitInline, ChannelInline, OfficerInline]
    fieldsets = (
        (None, {"fields": ("slug", "name", "short_name", "government")}),
        ("Wilayah", {"fields": ("region_code", "region_name", "province_name", "time_zone")}),
        (
            "Kontak",
            {"fields": ("address", "postal_code", "phone", "email", "website", "social_accounts")},
        ),
        ("Kop surat", {"fields": ("letterhead", "logo")}),
        ("Kepala dinas", {"fields": ("head_title", "head_name", "head_nip", "head_acting")}),
        ("Pelayanan", {"fields": ("counter_location", "maklumat", "complaints_note")}),
    )

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=self._offices(request))

    def has_add_permission(self, request):
        # New tenants are created by the operator of the installation only.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # An office admin may not move their office to another region or slug.
        if request.user.is_superuser:
            return ()
        return ("slug", "region_code")


@admin.register(Membership)
class MembershipAdmin(OfficeScopedAdmin):
    list_display = ("user", "office", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(WorkingHours)
class WorkingHoursAdmin(OfficeScopedAdmin):
    """An office's own week; without rows the Perpres 21/2023 default week applies."""

    list_display = ("office", "weekday", "start", "end", "break_start", "break_end")
    list_filter = ("weekday",)


@admin.register(CutiBersama)
class CutiBersamaAdmin(OfficeScopedAdmin):
    """National cuti bersama (superusers only) and an office's own extra days off.

    Office admins see the national days, read-only, beside their own office's days.
    """

    list_display = ("date", "name", "office", "decree")
    list_filter = (("office", admin.EmptyFieldListFilter),)
    search_fields = ("name", "decree")
    date_hierarchy = "date"

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(office__isnull=True) | Q(office__in=self._offices(request)))

    def _may_manage(self, request, obj=None) -> bool:
        if obj is not None and obj.office_id is None:
            return request.user.is_active and request.user.is_superuser
        return super()._may_manage(request, obj)

    def has_view_permission(self, request, obj=None):
        # National days are shown to every office admin, so they know why the clock stops.
        if obj is not None and obj.office_id is None:
            return super()._may_manage(request)
        return super().has_view_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser and "office" in form.base_fields:
            # Only the installation's operator declares national days.
            form.base_fields["office"].required = True
        return form
