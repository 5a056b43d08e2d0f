"""The rules of an uploaded scan, written once for every page and API that takes one:
its size, and its type as its first bytes say."""

from django.core.files.uploadedfile import UploadedFile


def upload_size_problem(upload: UploadedFile, limit_bytes: int) -> str:
    """Why the file is refused for its size, in Bahasa Indonesia; '' when it may be read."""
    # Django's upload handlers always count the size; only a file made by hand has None.
    size = upload.size or 0
    if size > limit_bytes:
        return f"Berkas lebih dari {limit_bytes // 1_000_000} MB."
    if size == 0:
        return "Berkas kosong."
    return ""


# Magic numbers of the scan types accepted; the file name is not trusted.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None for anything else."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


# What a scan may be, in the order above (the API documents the download's types).
SCAN_TYPES = tuple(content_type for _, content_type, _ in _SIGNATURES)
