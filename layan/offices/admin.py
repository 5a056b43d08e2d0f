"""Office configuration in the Django admin, scoped so an office admin sees only their office."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
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
from layan.offices.selectors import offices_administered_by, users_in_scope
from layan.offices.services import (
    StaffError,
    membership_check,
    membership_delete,
    membership_update,
    role_grant,
)


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


class PersonChoiceField(forms.ModelChoiceField):
    """People by full name and NIP, as an office knows them, with the user name to tell apart."""

    def label_from_instance(self, obj) -> str:
        nip = f", NIP {obj.nip}" if obj.nip else ""
        return f"{obj.full_name or obj.username}{nip} — {obj.username}"


class MembershipAdminForm(forms.ModelForm):
    """Asks the staff services whether the signed-in admin may change this person's roles."""

    actor = None  # the signed-in user, set per request by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ("user", "office", "role", "unit", "position", "is_active")
        labels = {"user": "Pegawai", "office": "Kantor", "unit": "Bidang/unit"}

    def clean(self):
        data = super().clean()
        user = data.get("user") or getattr(self.instance, "user", None)
        office = data.get("office") or getattr(self.instance, "office", None)
        if user is not None and office is not None:
            try:
                membership_check(actor=self.actor, office=office, user=user)
            except (PermissionDenied, StaffError) as refused:
                raise ValidationError(str(refused)) from None
            if self.instance.pk is None and data.get("role"):
                self._held_before(user, office, data["role"])
        return data

    def _held_before(self, user, office, role: str) -> None:
        """A role held before is given again on its old row; one held now is refused.

        Pointing the form at the existing row also spares the unique constraint's own
        message, which Django's Indonesian translation gets backwards ("tidak ada").
        """
        existing = Membership.objects.filter(user=user, office=office, role=role).first()
        if existing is None:
            return
        self.instance = existing
        if existing.is_active:
            raise ValidationError(
                f"{user} sudah memegang peran {existing.get_role_display()} di kantor ini."
            )


@admin.register(Membership)
class MembershipAdmin(OfficeScopedAdmin):
    """Roles of staff, written through the staff services (checked, recorded).

    An office admin picks among their own office's staff and the accounts it created
    (the staff pages under /staf/<office>/pegawai/ are the main road); their own
    roles and another office's people are view-only. A row, once made, keeps its
    person, office and role: a role is ended by unticking "aktif", and only the
    superuser deletes rows.
    """

    form = MembershipAdminForm
    list_display = ("person", "nip", "office_name", "role", "unit_name", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "office", "unit")
    search_fields = ("user__username", "user__full_name", "user__nip")

    @admin.display(description="Pegawai", ordering="user__full_name")
    def person(self, obj: Membership) -> str:
        return str(obj.user)

    @admin.display(description="NIP", ordering="user__nip")
    def nip(self, obj: Membership) -> str:
        return obj.user.nip

    @admin.display(description="Kantor", ordering="office__name")
    def office_name(self, obj: Membership) -> str:
        return obj.office.name

    @admin.display(description="Bidang/unit", ordering="unit__name")
    def unit_name(self, obj: Membership) -> str:
        return obj.unit.name if obj.unit else ""

    def _people(self, request):
        if request.user.is_superuser:
            return get_user_model().objects.all()
        return users_in_scope(self._offices(request)).exclude(pk=request.user.pk)

    def _may_change_person(self, request, obj: Membership | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self._people(request).filter(pk=obj.user_id).exists()

    def has_change_permission(self, request, obj=None):
        # One's own roles and another office's people are shown, never changed.
        return super().has_change_permission(request, obj) and self._may_change_person(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:  # a new role is active from the start
            return ("user", "office", "role", "unit", "position")
        return ("user", "office", "role", "unit", "position", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "office", "role") if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = self._people(request).order_by("full_name", "username")
            kwargs["form_class"] = PersonChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            membership_update(
                actor=request.user,
                membership=obj,
                unit=obj.unit,
                position=obj.position,
                is_active=obj.is_active,
            )
            return
        saved = role_grant(
            office=obj.office,
            actor=request.user,
            user=obj.user,
            role=obj.role,
            unit=obj.unit,
            position=obj.position,
        )
        obj.pk, obj.is_active = saved.pk, saved.is_active
        obj._state.adding = False

    def delete_model(self, request, obj):
        membership_delete(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "office"):
            membership_delete(actor=request.user, membership=membership)


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
