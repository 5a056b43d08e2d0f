from django.core.files.uploadedfile import SimpleUploadedFile

from layan.core.uploads import upload_size_problem


def test_a_file_over_the_limit_names_the_limit_in_mb():
    upload = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * 2_000_000)
    assert upload_size_problem(upload, 2_000_000) == "Berkas lebih dari 2 MB."
    assert upload_size_problem(upload, 3_000_000) == ""


def test_an_empty_file_is_refused():
    assert upload_size_problem(SimpleUploadedFile("kosong.pdf", b""), 10) == "Berkas kosong."
