"""Sign-in ignores the case of the user name (phones capitalise the first letter), and
refuses a name that two accounts share up to case rather than guess between them."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse

PASSWORD = "kata-sandi-panjang-99"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(username="bone.petugas", password=PASSWORD)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("typed", ["bone.petugas", "Bone.Petugas", "BONE.PETUGAS", " bone.petugas"])
def test_it_signs_in_whatever_the_case_of_the_name(client, officer, typed):
    response = sign_in(client, typed.strip())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_the_wrong_password_is_still_refused_in_another_case(client, officer):
    response = sign_in(client, "Bone.Petugas", "salah-sekali")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_name_is_refused(client, officer):
    assert sign_in(client, "Bone.Kadin").status_code == 200
    assert "_auth_user_id" not in client.session


def test_two_accounts_differing_only_by_case_sign_in_neither(client, officer):
    # No database constraint stops them yet (a core migration would): the backend will
    # not pick one of the two for the person typing, whichever case they type.
    get_user_model().objects.create_user(username="Bone.Petugas", password=PASSWORD)
    for typed in ("bone.petugas", "Bone.Petugas", "BONE.PETUGAS"):
        assert sign_in(client, typed).status_code == 200, typed
        assert "_auth_user_id" not in client.session


def test_an_inactive_account_is_refused_in_any_case(client, officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert sign_in(client, "Bone.Petugas").status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_demo_account_outside_demo_mode_is_refused_in_any_case(client, officer, settings):
    settings.DEMO_MODE = False
    get_user_model().objects.filter(pk=officer.pk).update(is_demo=True)
    assert sign_in(client, "Bone.Petugas").status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_api_token_takes_the_name_in_any_case(client, officer):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "BONE.Petugas", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["token"]


def test_authenticate_without_a_name_is_none(officer):
    assert authenticate(username=None, password=PASSWORD) is None
    assert authenticate(username="", password=PASSWORD) is None


def test_the_name_field_is_not_capitalised_or_corrected_by_the_phone(client):
    page = client.get(reverse("login")).content.decode()
    field = page[page.index('id="id_username"') : page.index(">", page.index('id="id_username"'))]
    assert 'autocapitalize="none"' in field
    assert 'autocomplete="username"' in field
    assert 'spellcheck="false"' in field
    assert 'autocorrect="off"' in field


def test_the_admins_add_form_refuses_a_name_taken_in_another_case(officer):
    # The one way to add an account today (the admin's); a staff page must refuse the same.
    from django.contrib.auth.forms import UserCreationForm

    class AddForm(UserCreationForm):
        class Meta(UserCreationForm.Meta):
            model = get_user_model()

    form = AddForm({"username": "Bone.Petugas", "password1": PASSWORD, "password2": PASSWORD})
    assert not form.is_valid()
    assert "username" in form.errors
