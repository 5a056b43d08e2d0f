"""API tokens (hashed, refused for accounts that may not sign in) and the API's error shape."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layan.core.api_auth import token_issue, token_user
from layan.core.models import ApiToken

PASSWORD = "kata-sandi-panjang-99"
TOKEN_URL = "/api/v1/auth/token"
# Any endpoint that needs a token will do; the lookup is the one that exists.
PROTECTED_URL = "/api/v1/registry/lookup"


@pytest.fixture
def officer(seeded, make_user):
    return make_user("ani", password=PASSWORD, bone=["petugas"])


@pytest.fixture
def demo_officer(seeded, make_user):
    user = make_user("bone.petugas", password=PASSWORD, bone=["petugas"])
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    return user


def _ask_token(client, username, password):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def _lookup(client, token=None, authorization=None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if authorization is not None:
        headers["Authorization"] = authorization
    return client.post(
        PROTECTED_URL, {"nik": "7308011209630001"}, content_type="application/json", headers=headers
    )


def test_it_issues_a_token_for_the_right_password(client, officer):
    response = _ask_token(client, "ani", PASSWORD)
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert len(body["token"]) >= 40
    assert token_user(body["token"]) == officer


def test_it_stores_only_the_hash_and_a_display_prefix(client, officer):
    key = _ask_token(client, "ani", PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    assert key not in {token.key_hash, token.prefix, str(token)}


def test_each_request_gets_a_new_token(client, officer):
    first = _ask_token(client, "ani", PASSWORD).json()["token"]
    second = _ask_token(client, "ani", PASSWORD).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=officer).count() == 2


@pytest.mark.parametrize(("username", "password"), [("ani", "salah"), ("tidak-ada", PASSWORD)])
def test_it_refuses_wrong_credentials_in_indonesian(client, officer, username, password):
    response = _ask_token(client, username, password)
    assert response.status_code == 401
    assert response.json() == {"detail": "Nama pengguna atau kata sandi salah.", "errors": []}
    assert not ApiToken.objects.exists()


def test_it_names_missing_fields(client, db):
    response = client.post(TOKEN_URL, {"username": "ani"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Isian permintaan tidak sah.",
        "errors": [{"field": "password", "reason": "wajib diisi"}],
    }


def test_it_answers_malformed_json_in_the_one_error_shape(client, db):
    response = client.post(TOKEN_URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi permintaan tidak dapat dibaca; kirim JSON yang sah.",
        "errors": [],
    }


def test_a_body_over_the_upload_limit_is_413_not_a_server_error(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    body = json.dumps({"username": "a" * 20_000, "password": "x"})
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Isi permintaan terlalu besar (paling banyak 10 KB).",
        "errors": [],
    }


def test_the_token_endpoint_needs_no_csrf_token(officer):
    response = _ask_token(Client(enforce_csrf_checks=True), "ani", PASSWORD)
    assert response.status_code == 201


def test_demo_account_gets_no_token_outside_demo_mode(client, demo_officer, settings):
    settings.DEMO_MODE = False
    assert _ask_token(client, "bone.petugas", PASSWORD).status_code == 401


def test_demo_accounts_token_is_refused_once_demo_mode_is_off(client, demo_officer, settings):
    settings.DEMO_MODE = True
    key = _ask_token(client, "bone.petugas", PASSWORD).json()["token"]
    assert _lookup(client, key).status_code == 200
    settings.DEMO_MODE = False
    response = _lookup(client, key)
    assert response.status_code == 401
    assert token_user(key) is None


def test_inactive_users_token_is_refused(client, officer):
    key = token_issue(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert _lookup(client, key).status_code == 401


def test_missing_bearer_is_401_with_the_one_error_shape(client, db):
    response = _lookup(client)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["errors"] == []
    assert "Token" in body["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer bukan-token-kami", "Bearer ", "Basic YW5pOnJhaGFzaWE=", "Bearer " + "x" * 500],
)
def test_unknown_or_malformed_bearer_is_401(client, officer, authorization):
    token_issue(user=officer)
    assert _lookup(client, authorization=authorization).status_code == 401


def test_a_valid_token_is_accepted(client, officer):
    assert _lookup(client, token_issue(user=officer)).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(officer):
    key = token_issue(user=officer)
    with CaptureQueriesContext(connection) as first:
        assert token_user(key) == officer
    used = ApiToken.objects.get(user=officer).last_used_at
    assert used is not None
    assert any(q["sql"].startswith("UPDATE") for q in first.captured_queries)

    with CaptureQueriesContext(connection) as second:
        assert token_user(key) == officer
    assert not any(q["sql"].startswith("UPDATE") for q in second.captured_queries)
    assert ApiToken.objects.get(user=officer).last_used_at == used

    earlier = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(user=officer).update(last_used_at=earlier)
    token_user(key)
    assert ApiToken.objects.get(user=officer).last_used_at > earlier


def test_openapi_document_lists_the_paths_and_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "Layan API"
    assert {
        "/api/v1/auth/token",
        "/api/v1/registry/lookup",
        "/api/v1/offices",
        "/api/v1/offices/{office}/services",
    } <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    # Public endpoints need no token in the document either.
    assert not doc["paths"]["/api/v1/offices"]["get"].get("security")
    assert doc["paths"]["/api/v1/registry/lookup"]["post"]["security"]


def test_there_are_no_cdn_loaded_docs(client, db):
    assert client.get("/api/v1/docs").status_code == 404


def test_tokens_are_listed_read_only_in_the_admin(client, officer, django_user_model):
    token_issue(user=officer)
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    listing = client.get("/admin/core/apitoken/")
    assert listing.status_code == 200
    assert ApiToken.objects.get().prefix in listing.content.decode()
    assert client.get("/admin/core/apitoken/add/").status_code == 403


def test_an_unknown_api_address_is_404_json(client, db):
    response = client.post("/api/v1/tidak-ada", {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Alamat API tidak dikenal.", "errors": []}


def test_a_server_error_is_logged_and_answered_in_the_one_shape(
    client, officer, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("layan.registry.api.registry_lookup", broken)
    response = _lookup(client, token_issue(user=officer))
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Terjadi kesalahan pada server; silakan coba lagi.",
        "errors": [],
    }
    assert "boom" in caplog.text
