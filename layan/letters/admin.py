"""Letters in the admin: read-only views of an office's keys, number sequences and letters.

Nothing here changes a letter: drafting, signing and revoking go through the
case steps and the revocation page, which keep the history.
"""

from django.contrib import admin

from layan.core.admin import local_time_column
from layan.letters.keys import fingerprint
from layan.letters.models import Letter, NumberSequence, OfficeAuthority, SignerKey
from layan.offices.admin import OfficeScopedAdmin


class ReadOnlyOfficeAdmin(OfficeScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficeAuthority)
class OfficeAuthorityAdmin(ReadOnlyOfficeAdmin):
    list_display = ["office", "root_fingerprint", local_time_column("created_at", "dibuat")]
    exclude = ["key"]

    @admin.display(description="SHA-256 sertifikat")
    def root_fingerprint(self, obj) -> str:
        return fingerprint(obj.certificate)


@admin.register(SignerKey)
class SignerKeyAdmin(ReadOnlyOfficeAdmin):
    list_display = [
        "user", "office", "source", "is_active", local_time_column("created_at", "dibuat"),
    ]  # fmt: skip
    list_filter = ["source", "is_active"]
    exclude = ["key"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyOfficeAdmin):
    list_display = ["office", "series", "period", "last"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyOfficeAdmin):
    list_display = [
        "number", "name", "state", "office", local_time_column("issued_at", "tanggal"),
        "signer_name",
    ]  # fmt: skip
    list_filter = ["state", "template"]
    search_fields = ["number", "verify_code"]
    exclude = ["boxes"]
