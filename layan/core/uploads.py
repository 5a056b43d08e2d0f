"""The size rule of an uploaded file, written once for every page and API that takes one."""

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
