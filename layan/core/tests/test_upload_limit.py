"""An upload over its address's limit is refused from its Content-Length (413), before its
body arrives: proven on a raw socket to the live server, which answers while the client
has sent nothing but the headers."""

import json
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import resolve

from layan.core.api_auth import token_issue
from layan.core.uploads import UPLOAD_ENVELOPE_BYTES

# Each upload address, with the setting of its file's limit.
UPLOADS = {
    "/staf/bone/permohonan/1/lampiran/": "CASE_MAX_ATTACHMENT_BYTES",
    "/api/v1/cases/1/attachments": "CASE_MAX_ATTACHMENT_BYTES",
    "/staf/bone/register/impor/": "REGISTRY_MAX_UPLOAD_BYTES",
    "/verifikasi/": "LETTER_MAX_VERIFY_BYTES",
    "/api/v1/letters/verify": "LETTER_MAX_VERIFY_BYTES",
}


# With a CSRF cookie, Django's CSRF check reads the form (the whole body) for its token,
# and with a token the API reads the body for its fields: without the limit, both wait.
CSRF_COOKIE = "csrftoken=" + "a" * 32


@pytest.fixture
def token(transactional_db, make_user):
    return token_issue(user=make_user("petugas.besar"))


def _post_headers_only(
    url: str, path: str, length: int, token: str
) -> tuple[int, dict[str, str], bytes]:
    """POST the request line and headers of a `length`-byte multipart body, then wait for
    the answer without sending the body. A server that read the body first would never
    answer, and the socket's timeout fails the test."""
    where = urlsplit(url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
        "Content-Type: multipart/form-data; boundary=lampiran\r\n"
        f"Cookie: {CSRF_COOKIE}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    with socket.create_connection((where.hostname, where.port or 80), timeout=10) as sock:
        sock.sendall(head + b"--lampiran\r\n")  # the body's first line, and no more
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            assert chunk, "the server closed the connection without answering"
            answer += chunk
        status_line, _, rest = answer.partition(b"\r\n")
        header_block, _, body = rest.partition(b"\r\n\r\n")
        headers = {}
        for line in header_block.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        while len(body) < int(headers.get("content-length", "0")):
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("path", UPLOADS)
def test_an_oversized_upload_is_answered_before_its_body_is_sent(live_server, token, path):
    limit = getattr(settings, UPLOADS[path])
    status, headers, body = _post_headers_only(live_server.url, path, limit * 3, token)
    assert status == 413
    text = body.decode()
    size = f"{limit // 1_000_000} MB"
    if path.startswith("/api/"):
        reason = f"Berkas terlalu besar: paling besar {size}."
        assert headers["content-type"] == "application/json; charset=utf-8"
        errors = [{"field": "file", "reason": reason}]
        assert json.loads(text) == {"detail": reason, "errors": errors}
    else:
        assert "<h1>Berkas terlalu besar</h1>" in text
        assert f"Berkas terlalu besar: paling besar {size}." in text
        assert '<html lang="id">' in text


def test_the_case_limit_follows_its_setting(client, settings):
    settings.CASE_MAX_ATTACHMENT_BYTES = 5_000_000
    path = "/staf/bone/permohonan/1/lampiran/"
    over = 5_000_000 + UPLOAD_ENVELOPE_BYTES + 1
    # A forged Content-Length over a tiny body: nothing is read past the headers.
    response = client.generic(
        "POST", path, b"--x\r\n", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(over),
    )  # fmt: skip
    assert response.status_code == 413
    assert "paling besar 5 MB" in response.content.decode()
    assert "Kembali ke halaman sebelumnya" not in response.content.decode()


def test_the_page_leads_back_to_a_page_of_the_site_only(client):
    path, over = "/staf/bone/permohonan/1/lampiran/", str(100 * 1_000_000)
    ours = client.generic("POST", path, b"", CONTENT_LENGTH=over,
                          HTTP_REFERER="http://testserver/staf/bone/permohonan/1/")  # fmt: skip
    assert '<a href="http://testserver/staf/bone/permohonan/1/">' in ours.content.decode()
    theirs = client.generic("POST", path, b"", CONTENT_LENGTH=over,
                            HTTP_REFERER="https://contoh.example/")  # fmt: skip
    assert "contoh.example" not in theirs.content.decode()


def test_an_upload_within_the_limit_and_its_form_goes_on_to_the_view(client):
    # At the limit plus the form around the file, the view decides (here: sign in first).
    limit = settings.CASE_MAX_ATTACHMENT_BYTES + UPLOAD_ENVELOPE_BYTES
    response = client.generic(
        "POST", "/staf/bone/permohonan/1/lampiran/", b"", CONTENT_LENGTH=str(limit)
    )
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_other_addresses_and_reads_are_not_limited(client):
    # A GET of the register upload page and a POST elsewhere never meet the upload limit.
    huge = str(50 * settings.REGISTRY_MAX_UPLOAD_BYTES)
    page = client.generic("GET", "/staf/bone/register/impor/", CONTENT_LENGTH=huge)
    assert page.status_code != 413
    assert client.generic("POST", "/masuk/", b"", CONTENT_LENGTH="10").status_code != 413


def test_every_upload_address_is_in_the_table_and_its_setting_exists():
    limits = settings.UPLOAD_LIMITS
    assert {resolve(path).view_name: setting for path, setting in UPLOADS.items()} == limits
    for setting in limits.values():
        assert isinstance(getattr(settings, setting), int)
    # The form around a file is never let through beyond what Django reads into memory.
    assert UPLOAD_ENVELOPE_BYTES <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # Django streams a large file to disk rather than holding it in a worker's memory.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.CASE_MAX_ATTACHMENT_BYTES
