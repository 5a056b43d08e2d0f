"""Forms of the staff pages: a new account, a person's details, a role to give.

The rules (NIP structure, names taken, scope, nobody changes their own roles) live in
the staff services; a form gathers the values, and the view puts the service's
refusal next to the field it names.
"""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from layan.core.nip import nip_clean
from layan.core.phone import PhoneError, phone_normalized
from layan.offices.models import Office, Role, Unit
from layan.offices.services import StaffDetails


def phone_clean(value: str) -> str:
    """The number as +62…, or ValidationError saying how to write it (core/phone.py's rule)."""
    try:
        return phone_normalized(value)
    except PhoneError as error:
        raise forms.ValidationError(error.reason) from error


class StaffDetailsForm(forms.Form):
    """A person's name, NIP, contacts and post at the office."""

    full_name = forms.CharField(
        label="Nama lengkap (dengan gelar)",
        max_length=200,
        error_messages={"required": "Nama lengkap wajib diisi."},
    )
    nip = forms.CharField(
        label="NIP",
        max_length=30,
        required=False,
        help_text="18 digit, boleh ditulis dengan spasi. Kosongkan bila bukan ASN.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    position = forms.CharField(label="Jabatan", max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label="Bidang/unit", queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    email = forms.EmailField(label="Email", max_length=254, required=False)
    phone = forms.CharField(
        label="Telepon/WhatsApp",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(office=office)

    def clean_nip(self) -> str:
        return nip_clean(self.cleaned_data["nip"])

    def clean_phone(self) -> str:
        return phone_clean(self.cleaned_data["phone"])

    def details(self) -> StaffDetails:
        data = self.cleaned_data
        return StaffDetails(
            full_name=data["full_name"],
            nip=data["nip"],
            email=data["email"],
            phone=data["phone"],
            position=data["position"],
            unit=data["unit"],
        )

    def add_staff_error(self, field: str, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


class StaffCreateForm(StaffDetailsForm):
    """A new account: the person's details, a user name and the roles they start with."""

    username = forms.CharField(
        label="Nama pengguna",
        max_length=150,
        help_text="Untuk masuk; huruf besar dan kecil tidak dibedakan. Mis. ani.rahmawati",
        validators=[UnicodeUsernameValidator()],
        error_messages={"required": "Nama pengguna wajib diisi."},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    roles = forms.MultipleChoiceField(
        label="Peran di kantor ini",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih sedikitnya satu peran."},
    )

    field_order = ["full_name", "nip", "position", "unit", "email", "phone", "username", "roles"]

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class RoleGrantForm(forms.Form):
    """One role to give, among those the person does not hold at the office now."""

    role = forms.ChoiceField(label="Peran")

    def __init__(self, *args, held: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Role.choices if value not in held]
