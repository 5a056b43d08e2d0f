"""Forms of the case pages: the walk-in registration.

A step's own inputs are read by its kind (`layan/cases/steps/`).

The NIK and name rules live in `case_create`; the form only gathers the values
and puts the service's error next to the field it names.
"""

import re
from typing import Any

from django import forms

from layan.cases.services import Applicant, CaseError, Subject
from layan.catalogue.models import Service

RELATIONS = [
    ("anak", "Anak"),
    ("cucu", "Cucu"),
    ("saudara", "Saudara"),
    ("anak perwalian", "Anak di bawah perwalian"),
    ("lainnya", "Lainnya"),
]
# CaseError.field of case_create -> the form field it belongs next to.
ERROR_FIELDS = {
    "service": "service",
    "applicant.name": "name",
    "applicant.nik": "nik",
    "applicant.phone": "phone",
    "subject.name": "subject_name",
    "subject.nik": "subject_nik",
}
_NIK_SEPARATORS = re.compile(r"[\s.\-]")


def _nik_input(**attrs) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "pattern": "[0-9]{16}",
            "title": "16 digit angka",
            "autocomplete": "off",
            **attrs,
        }
    )


def _nik_clean(value: str) -> str:
    # Officers copy NIKs from cards printed in groups ("7308 0112 …"); keep the digits.
    return _NIK_SEPARATORS.sub("", value)


class WalkInForm(forms.Form):
    """An applicant registered at the counter: one service, one person, maybe a child."""

    service = forms.ChoiceField(label="Layanan", widget=forms.Select(attrs={"autofocus": True}))
    name = forms.CharField(
        label="Nama pemohon", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    nik = forms.CharField(label="NIK pemohon", max_length=32, widget=_nik_input())
    phone = forms.CharField(
        label="Telepon/WhatsApp",
        max_length=30,
        required=False,
        help_text="Nomor Indonesia, mis. 0812-3456-7890; disimpan sebagai +62…",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label="Alamat", max_length=300, required=False)
    guardian = forms.BooleanField(label="Pemohon adalah orang tua/wali", required=False)
    subject_name = forms.CharField(label="Nama anak/yang diwakili", max_length=200, required=False)
    subject_nik = forms.CharField(
        label="NIK anak/yang diwakili", max_length=32, required=False, widget=_nik_input()
    )
    subject_relation = forms.ChoiceField(
        label="Hubungan dengan pemohon", choices=RELATIONS, required=False, initial="anak"
    )
    school = forms.CharField(label="Sekolah", max_length=200, required=False)
    # Asked only once case_create found an open case of the same person for the service.
    duplicate_reason = forms.CharField(
        label="Alasan mendaftarkan permohonan baru",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, services: list[Service], **kwargs):
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [(s.code, s.name) for s in services]

    def clean_nik(self) -> str:
        return _nik_clean(self.cleaned_data["nik"])

    def clean_subject_nik(self) -> str:
        return _nik_clean(self.cleaned_data["subject_nik"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("guardian") and not (data.get("subject_name") or data.get("subject_nik")):
            self.add_error(
                "subject_name",
                "Isi nama dan NIK anak/yang diwakili, atau hapus centang orang tua/wali.",
            )
        return data

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["name"], nik=data["nik"], phone=data["phone"], address=data["address"]
        )

    def subject(self) -> Subject | None:
        """The child or ward, when the box is ticked or their name/NIK is filled in."""
        data = self.cleaned_data
        if not (data["guardian"] or data["subject_name"] or data["subject_nik"]):
            return None
        school = data["school"].strip()
        return Subject(
            name=data["subject_name"],
            nik=data["subject_nik"],
            relation=data["subject_relation"] or "anak",
            data={"sekolah": school} if school else {},
        )

    def add_case_error(self, error: CaseError) -> None:
        """Show the service's reason next to the field it names (else above the form)."""
        self.add_error(ERROR_FIELDS.get(error.field), str(error))
