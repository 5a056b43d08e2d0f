"""Forms of the case pages: the walk-in registration, the correction of a case's data,
the work queue's search and filters.

A step's own inputs are read by its kind (`layan/cases/steps/`).

The NIK and name rules live in `case_create`; the form only gathers the values
and puts the service's error next to the field it names.
"""

import re
from typing import Any

from django import forms

from layan.cases.models import END_STATES, Case, CaseState
from layan.cases.selectors import SEARCH_MAX_LENGTH
from layan.cases.services import (
    CORRECTABLE,
    Applicant,
    CaseError,
    Correctable,
    Subject,
    correctable_value,
)
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


# The applicant's name and NIK cannot be emptied (registration needs them); the rest may.
_CORRECTION_REQUIRED = {"applicant.name", "applicant.nik"}


def _correction_field(name: str, spec: Correctable, case: Case) -> forms.Field:
    required = name in _CORRECTION_REQUIRED
    if name.endswith(".nik"):
        return forms.CharField(label=spec.label, max_length=32, required=required,
                               widget=_nik_input())  # fmt: skip
    if name == "subject.relation":
        known = [value for value, _ in RELATIONS]
        current = correctable_value(case, name)
        extra = [(current, current)] if current not in known else []
        return forms.ChoiceField(label=spec.label, choices=[("", "—"), *RELATIONS, *extra],
                                 required=False)  # fmt: skip
    widget = forms.TextInput(attrs={"autocomplete": "off"})
    if name == "applicant.phone":
        widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
    return forms.CharField(label=spec.label, max_length=spec.max_length, required=required,
                           widget=widget, strip=False)  # fmt: skip


class CorrectionForm(forms.Form):
    """Koreksi data: every correctable value of a case, filled with what it holds now.

    Fields are named by their API path with underscores (`subject.data.sekolah` is
    `subject_data_sekolah`); `case_correct` decides what changed and whether it is valid.
    """

    def __init__(self, data=None, *, case: Case):
        initial = {_form_name(name): correctable_value(case, name) for name in CORRECTABLE}
        super().__init__(data, initial=initial, prefix="koreksi")
        for name, spec in CORRECTABLE.items():
            self.fields[_form_name(name)] = _correction_field(name, spec, case)

    def values(self) -> dict[str, str]:
        """The posted values by field path, NIKs with the separators of printed cards removed."""
        values = {}
        for name in CORRECTABLE:
            value = self.cleaned_data.get(_form_name(name)) or ""
            values[name] = _nik_clean(value) if name.endswith(".nik") else value
        return values

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[_form_name(n)] for n in CORRECTABLE if n.startswith("applicant.")]

    def subject_fields(self) -> list[forms.BoundField]:
        return [self[_form_name(n)] for n in CORRECTABLE if n.startswith("subject.")]

    def add_case_error(self, error: CaseError) -> None:
        """Each problem of `case_correct` next to the field it names."""
        for name, reason in error.errors:
            field = _form_name(name) if name in CORRECTABLE else None
            self.add_error(field, reason)


def _form_name(path: str) -> str:
    return path.replace(".", "_")


_DATE_INVALID = {"invalid": "masukkan tanggal yang sah."}
_CHOICE_INVALID = {"invalid_choice": "pilih salah satu pilihan yang ada."}


class QueueFilterForm(forms.Form):
    """The work queue's search box and the "Selesai" tab's period, service and outcome.

    Read from the query string; a field that does not read is named above the list
    and left out of the filtering, so the rest still lists.
    """

    q = forms.CharField(
        label="Cari kode lacak, NIK, atau nama",
        required=False,
        # Cut, not refused: a pasted paragraph still searches (its first part).
        max_length=None,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    dari = forms.DateField(
        label="Dari tanggal",
        required=False,
        error_messages=_DATE_INVALID,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label="Sampai tanggal",
        required=False,
        error_messages=_DATE_INVALID,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    layanan = forms.ChoiceField(label="Layanan", required=False, error_messages=_CHOICE_INVALID)
    hasil = forms.ChoiceField(
        label="Hasil",
        required=False,
        error_messages=_CHOICE_INVALID,
        choices=[("", "Semua hasil"), *[(s.value, s.label) for s in CaseState if s in END_STATES]],
    )

    def __init__(self, *args, services: list[Service], **kwargs):
        super().__init__(*args, **kwargs)
        layanan = self.fields["layanan"]
        assert isinstance(layanan, forms.ChoiceField)
        layanan.choices = [("", "Semua layanan"), *[(s.code, s.name) for s in services]]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:SEARCH_MAX_LENGTH]

    @property
    def search(self) -> str:
        """The search text, "" when there is none (or it did not read)."""
        return self.cleaned_data.get("q", "") if hasattr(self, "cleaned_data") else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        since, until = self.cleaned_data.get("dari"), self.cleaned_data.get("sampai")
        if since and until and until < since:
            self.add_error("sampai", "tidak boleh sebelum Dari tanggal.")
        return self.cleaned_data

    def problems(self, names: list[str]) -> list[str]:
        """Each of the named fields that did not read, as "Label: reason"."""
        return [
            f"{self.fields[name].label}: {' '.join(str(e) for e in self.errors[name])}"
            for name in names
            if name in self.errors
        ]
