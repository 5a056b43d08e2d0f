"""POST /api/v1/registry/lookup: staff of the office only, its region only, every lookup logged."""

import csv
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layan.core.api_auth import token_issue
from layan.core.models import ApiToken
from layan.offices.models import Membership
from layan.registry.api import LookupOut
from layan.registry.importing import registry_import
from layan.registry.models import LookupLog

URL = "/api/v1/registry/lookup"

HEADER = [
    "id_art", "periode", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa",
    "nama_kecamatan", "nama_desa", "alamat", "rt", "rw", "no_kk", "nik", "nama",
    "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hub_keluarga", "desil",
    "status_keberadaan", "pkh", "bpnt", "pbi",
]  # fmt: skip

# One Bone (73.08) household of three, and one person in Makassar (73.71): the file
# covers the province, so its snapshot answers for Bone but Makassar is not Bone's.
KK_BONE = "7308011101070001"
HEAD = "7308011209630001"  # man born 12-09-1963
WIFE = "7308015503700002"  # woman born 15-03-1970: day + 40
CHILD = "7308010101050003"  # boy born 01-01-2005
MAKASSAR = "7371011202800001"  # man born 12-02-1980, KK issued in Makassar
KK_MAKASSAR = "7371010202150001"
UNKNOWN = "7308012309850009"  # well formed, in nobody's register

ROWS = [
    ["1", "2026-09", "73", "7308", "730801", "7308012008", "BURIBU", "BURE", "DUSUN ULAJARU",
     "008", "004", KK_BONE, HEAD, "MUHAMMAD DIYAIF", "LAKI-LAKI", "BONE", "1963-09-12",
     "KEPALA KELUARGA", "1", "DITEMUKAN", "1", "0", "1"],
    ["2", "2026-09", "73", "7308", "730801", "7308012008", "BURIBU", "BURE", "DUSUN ULAJARU",
     "008", "004", KK_BONE, WIFE, "SITTI AMINAH", "PEREMPUAN", "MAROS", "1970-03-15",
     "ISTRI", "1", "DITEMUKAN", "1", "0", "1"],
    ["3", "2026-09", "73", "7308", "730801", "7308012008", "BURIBU", "BURE", "DUSUN ULAJARU",
     "008", "004", KK_BONE, CHILD, "ANDI FIKRI", "LAKI-LAKI", "BONE", "2005-01-01",
     "ANAK", "1", "DITEMUKAN", "0", "0", "1"],
    ["4", "2026-09", "73", "7371", "737101", "7371011001", "MARISO", "LETTE", "JL. NUSANTARA",
     "001", "001", KK_MAKASSAR, MAKASSAR, "RUSDI HAMZAH", "LAKI-LAKI", "MAKASSAR",
     "1980-02-12", "KEPALA KELUARGA", "4", "DITEMUKAN", "0", "1", "0"],
]  # fmt: skip


@pytest.fixture
def snapshot(seeded, tmp_path):
    path = tmp_path / "dtks-sulsel-2026-09.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return registry_import(path=path, source="dtks", period="2026-09")


@pytest.fixture
def officer(seeded, make_user):
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def outsider(seeded, make_user):
    return make_user("budi", bima=["petugas"])


def _ask(client, user, **body):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"} if user else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_it_finds_a_person_and_names_the_period(client, officer, snapshot):
    response = _ask(client, officer, nik=HEAD)
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["source"] == "dtks"
    assert body["period"] == "2026-09"
    assert body["data_as_of"] == "data DTKS per September 2026"
    assert "September 2026" in body["message"]
    assert body["snapshot_id"] == snapshot.pk
    assert body["person"] == {
        "nik": HEAD,
        "no_kk": KK_BONE,
        "name": "MUHAMMAD DIYAIF",
        "sex": "L",
        "birth_place": "BONE",
        "birth_date": "1963-09-12",
        "relationship": "KEPALA KELUARGA",
        "address": "DUSUN ULAJARU",
        "rt": "008",
        "rw": "004",
        "area_code": "7308012008",
        "district_name": "BURIBU",
        "village_name": "BURE",
        "desil": 1,
        "presence": "DITEMUKAN",
        "programmes": ["PKH", "PBI-JK"],
    }


def test_it_returns_the_household(client, officer, snapshot):
    body = _ask(client, officer, nik=WIFE).json()
    assert body["person"]["name"] == "SITTI AMINAH"
    assert body["person"]["sex"] == "P"
    assert {p["nik"]: p["relationship"] for p in body["household"]} == {
        HEAD: "KEPALA KELUARGA",
        WIFE: "ISTRI",
        CHILD: "ANAK",
    }


def test_it_finds_a_household_by_no_kk(client, officer, snapshot):
    body = _ask(client, officer, no_kk=KK_BONE).json()
    assert body["found"] is True
    assert body["person"] is None
    assert sorted(p["nik"] for p in body["household"]) == sorted([HEAD, WIFE, CHILD])


def test_an_unknown_nik_is_not_found(client, officer, snapshot):
    response = _ask(client, officer, nik=UNKNOWN)
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is False
    assert body["person"] is None
    assert body["household"] == []
    assert body["message"] == (
        "Tidak terdaftar dalam register kantor ini (data DTKS per September 2026)."
    )


def test_a_person_of_another_region_reads_exactly_like_an_unknown_nik(client, officer, snapshot):
    elsewhere = _ask(client, officer, nik=MAKASSAR)
    unknown = _ask(client, officer, nik=UNKNOWN)
    assert elsewhere.status_code == unknown.status_code == 200
    assert elsewhere.json() == unknown.json()
    assert _ask(client, officer, no_kk=KK_MAKASSAR).json()["found"] is False


def test_an_office_without_register_data_says_so(client, outsider, snapshot):
    body = _ask(client, outsider, nik=HEAD).json()
    assert body["found"] is False
    assert body["snapshot_id"] is None
    assert body["source"] is None
    assert body["period"] is None
    assert body["data_as_of"] == "belum ada data register untuk kantor ini"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("nik", "9908011209630001", "kode provinsi NIK '99' tidak ada"),
        ("nik", "73080112096300", "NIK harus 16 digit angka (terisi 14 karakter)"),
        ("nik", "7308013102630001", "tanggal lahir pada NIK '310263' bukan tanggal yang sah"),
        ("no_kk", "7308011101070000", "nomor urut No KK 0000 tidak sah"),
    ],
)
def test_an_invalid_number_is_422_with_the_reason(client, officer, snapshot, field, value, reason):
    response = _ask(client, officer, **{field: value})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Isian permintaan tidak sah.",
        "errors": [{"field": field, "reason": reason}],
    }
    assert not LookupLog.objects.exists()


@pytest.mark.parametrize("body", [{}, {"nik": HEAD, "no_kk": KK_BONE}, {"nik": " ", "no_kk": ""}])
def test_it_needs_exactly_one_of_nik_and_no_kk(client, officer, snapshot, body):
    response = _ask(client, officer, **body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "nik", "reason": "isi NIK atau No KK, salah satu saja"},
        {"field": "no_kk", "reason": "isi NIK atau No KK, salah satu saja"},
    ]
    assert not LookupLog.objects.exists()


def test_unknown_fields_are_refused(client, officer, snapshot):
    response = _ask(client, officer, NIK=HEAD)
    assert response.status_code == 422
    assert {"field": "NIK", "reason": "isian tidak dikenal"} in response.json()["errors"]


def test_another_offices_staff_get_404_for_bone(client, outsider, snapshot):
    response = _ask(client, outsider, nik=HEAD, office="bone")
    assert response.status_code == 404
    assert response.json() == {"detail": "Kantor tidak ditemukan.", "errors": []}
    assert not LookupLog.objects.exists()


def test_an_unknown_office_is_404_too(client, officer, snapshot):
    assert _ask(client, officer, nik=HEAD, office="atlantis").status_code == 404


def test_an_anonymous_visitor_is_401(client, snapshot):
    response = _ask(client, None, nik=HEAD)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Token tidak ada")
    assert not LookupLog.objects.exists()


@pytest.mark.parametrize("authorization", ["Basic YW5pOnNhbmRp", "Bearer", "Bearer nope", "x"])
def test_a_wrong_authorization_header_is_401(client, officer, snapshot, authorization):
    headers = {"Authorization": authorization}
    response = client.post(URL, {"nik": HEAD}, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert not LookupLog.objects.exists()


def _send(client, user, raw: str):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
    return client.post(URL, raw, content_type="application/json", headers=headers)


def test_a_body_that_is_not_json_is_400_in_the_one_error_shape(client, officer, snapshot):
    response = _send(client, officer, '{"nik": ')
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi permintaan tidak dapat dibaca; kirim JSON yang sah.",
        "errors": [],
    }
    assert not LookupLog.objects.exists()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("[1, 2]", {"field": None, "reason": "harus berupa objek JSON"}),
        ('{"nik": 7308011209630001}', {"field": "nik", "reason": "harus berupa teks"}),
        (json.dumps({"nik": HEAD, "case": "x" * 41}),
         {"field": "case", "reason": "paling banyak 40 karakter"}),
    ],
)  # fmt: skip
def test_a_body_of_the_wrong_shape_is_422_naming_the_field(client, officer, snapshot, raw, error):
    response = _send(client, officer, raw)
    assert response.status_code == 422
    assert response.json() == {"detail": "Isian permintaan tidak sah.", "errors": [error]}
    assert not LookupLog.objects.exists()


def test_a_body_over_the_upload_limit_is_413(client, officer, snapshot, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = _send(client, officer, json.dumps({"nik": HEAD, "case": "x" * 2000}))
    assert response.status_code == 413
    assert response.json()["detail"] == "Isi permintaan terlalu besar (paling banyak 1 KB)."
    assert not LookupLog.objects.exists()


def test_only_post_is_answered(client, officer, snapshot):
    headers = {"Authorization": f"Bearer {token_issue(user=officer)}"}
    assert client.get(URL, headers=headers).status_code == 405


def test_staff_of_several_offices_must_name_one(client, make_user, snapshot):
    user = make_user("citra", bone=["petugas"], blitar=["operator"])
    response = _ask(client, user, nik=HEAD)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "office"
    assert "blitar, bone" in error["reason"]
    assert _ask(client, user, nik=HEAD, office="bone").json()["found"] is True


def test_several_roles_at_one_office_need_no_office(client, make_user, snapshot):
    user = make_user("dewi", bone=["petugas", "operator"])
    assert _ask(client, user, nik=HEAD).json()["found"] is True


def test_a_role_taken_away_ends_access_at_once(client, officer, snapshot):
    # The office a user works at is remembered for a few seconds to pick the office;
    # the lookup itself still reads the membership fresh.
    headers = {"Authorization": f"Bearer {token_issue(user=officer)}"}
    ask = {"data": {"nik": HEAD}, "content_type": "application/json", "headers": headers}
    assert client.post(URL, **ask).status_code == 200
    Membership.objects.filter(user=officer).update(is_active=False)
    response = client.post(URL, **ask)
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda bukan staf kantor ini.", "errors": []}
    assert LookupLog.objects.count() == 1


def _asked_twice(client, user):
    """Ask once (the token is then kept in memory), and give the second question."""
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
    ask = {"data": {"nik": HEAD}, "content_type": "application/json", "headers": headers}
    assert client.post(URL, **ask).status_code == 200
    return lambda: client.post(URL, **ask)


def test_a_deleted_token_stops_at_once_though_this_process_knew_it(client, officer, snapshot):
    again = _asked_twice(client, officer)
    ApiToken.objects.filter(user=officer).delete()
    response = again()
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert LookupLog.objects.count() == 1


def test_a_blocked_user_stops_at_once_though_this_process_knew_the_token(client, officer, snapshot):
    again = _asked_twice(client, officer)
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)
    assert again().status_code == 401
    assert LookupLog.objects.count() == 1


def test_a_known_token_costs_no_read_of_its_own(client, officer, snapshot):
    # The lookup's log statement confirms the token; no statement reads it before.
    again = _asked_twice(client, officer)
    with CaptureQueriesContext(connection) as queries:
        if connection.vendor == "sqlite":
            run: list[str] = []
            connection.connection.set_trace_callback(run.append)
        try:
            assert again().status_code == 200
        finally:
            if connection.vendor == "sqlite":
                connection.connection.set_trace_callback(None)
    statements = run if connection.vendor == "sqlite" else []
    statements += [query["sql"] for query in queries.captured_queries]
    token_reads = [sql for sql in statements if "key_hash" in sql]
    assert token_reads == []
    if connection.vendor == "sqlite":
        assert [sql.split()[0] for sql in run] == ["SELECT", "INSERT"]
        assert "core_apitoken" in run[1]
    assert LookupLog.objects.count() == 2


def test_a_user_of_no_office_is_403(client, make_user, snapshot):
    response = _ask(client, make_user("eko"), nik=HEAD)
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda bukan staf kantor mana pun.", "errors": []}


def test_every_lookup_is_logged_with_the_api_channel(client, officer, snapshot):
    _ask(client, officer, nik=HEAD, case="KIP-2026-0001")
    _ask(client, officer, nik=MAKASSAR)
    _ask(client, officer, no_kk=KK_BONE)
    logs = list(
        LookupLog.objects.order_by("pk").values_list(
            "office__slug", "user__username", "nik", "no_kk", "found", "case_ref", "channel",
            "snapshot",
        )
    )  # fmt: skip
    assert logs == [
        ("bone", "ani", HEAD, "", True, "KIP-2026-0001", "api", snapshot.pk),
        ("bone", "ani", MAKASSAR, "", False, "", "api", snapshot.pk),
        ("bone", "ani", "", KK_BONE, True, "", "api", snapshot.pk),
    ]


@pytest.mark.parametrize("body", [{"nik": HEAD}, {"nik": UNKNOWN}, {"no_kk": KK_BONE}])
def test_the_answer_is_exactly_the_documented_schema(client, officer, snapshot, body):
    # The view writes its JSON itself; it must still be a LookupOut, field for field.
    response = _ask(client, officer, **body)
    assert response["Content-Type"] == "application/json"
    answer = LookupOut.model_validate_json(response.content)
    assert answer.model_dump(mode="json") == response.json()
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LookupOut"
    }
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"nik", "no_kk", "office", "case"}
    assert body["additionalProperties"] is False
    assert operation["security"] == [{"ApiBearer": []}]
    assert "ApiBearer" in schema["components"]["securitySchemes"]


def test_the_document_gives_the_shape_of_a_nik_and_a_no_kk(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    for field in ("nik", "no_kk"):
        shape = re.compile(body["properties"][field]["pattern"])
        assert shape.match(HEAD) and shape.match(f" {HEAD} ") and shape.match("")
        assert not shape.match(HEAD[:-1]) and not shape.match(f"{HEAD}0")
