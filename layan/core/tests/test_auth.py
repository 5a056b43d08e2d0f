"""Staff sign-in: Argon2 hashes, Indonesian pages, demo accounts only in demo mode."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "kata-sandi-panjang-99"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(username="ani", password=PASSWORD)


@pytest.fixture
def demo_officer(db):
    return get_user_model().objects.create_user(
        username="bone.petugas", password=PASSWORD, is_demo=True
    )


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")


def test_login_page_is_in_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Masuk staf" in response.content.decode()
    assert "Kata sandi" in response.content.decode()


def test_officer_signs_in_and_lands_on_staff_home(client, officer):
    response = client.post(reverse("login"), {"username": "ani", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff-home")
    assert "Selamat datang" in client.get(reverse("staff-home")).content.decode()


def test_wrong_password_is_refused_with_a_message(client, officer):
    response = client.post(reverse("login"), {"username": "ani", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_demo_account_cannot_sign_in_outside_demo_mode(client, demo_officer, settings):
    settings.DEMO_MODE = False
    response = client.post(reverse("login"), {"username": "bone.petugas", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_account_signs_in_in_demo_mode(client, demo_officer, settings):
    settings.DEMO_MODE = True
    response = client.post(reverse("login"), {"username": "bone.petugas", "password": PASSWORD})
    assert response.status_code == 302


def test_demo_session_stops_working_when_demo_mode_ends(client, demo_officer, settings):
    settings.DEMO_MODE = True
    client.post(reverse("login"), {"username": "bone.petugas", "password": PASSWORD})
    settings.DEMO_MODE = False
    assert client.get(reverse("staff-home")).status_code == 302


def test_logout_needs_post(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_favicon_redirects_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
