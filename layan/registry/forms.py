"""The upload form of a register export, with every error named in Bahasa Indonesia."""

import json
from pathlib import Path

from django import forms
from django.conf import settings

from layan.registry.layouts import LayoutError, layout_from_mapping
from layan.registry.models import Source, period_validator
from layan.registry.services import upload_check

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(label="Berkas ekspor (CSV atau XLSX)")
    source = forms.ChoiceField(
        label="Sumber",
        choices=Source.choices,
        error_messages={"invalid_choice": "Sumber harus DTKS atau DTSEN."},
    )
    period = forms.CharField(
        label="Periode data (YYYY-MM)", max_length=7, validators=[period_validator]
    )
    mapping = forms.FileField(
        label="Berkas pemetaan (JSON, hanya untuk tata letak lain)", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            suffix = Path(upload.name).suffix or "tanpa akhiran"
            raise forms.ValidationError(f"Berkas harus CSV atau XLSX (berkas ini {suffix}).")
        limit = settings.REGISTRY_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Berkas lebih dari {limit // 1_000_000} MB.")
        if upload.size == 0:
            raise forms.ValidationError("Berkas kosong.")
        return upload

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return None
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(f"Berkas pemetaan bukan JSON yang sah: {exc}") from exc
        try:
            layout_from_mapping(data)
        except LayoutError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    def clean(self):
        """Read the export's header now, so a file that cannot be imported is never queued."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and "mapping" not in self.errors:
            try:
                upload_check(file=upload, mapping=cleaned.get("mapping"))
            except LayoutError as exc:
                self.add_error("file", str(exc))
        return cleaned
