"""`layan demo`: seed offices, services and one account per role; refused outside demo mode."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from layan.catalogue.models import Service, ServiceVersion
from layan.demo.services import DemoModeRequired, demo_load
from layan.offices.models import Membership, Office, Role
from layan.registry.models import Snapshot
from layan.registry.services import registry_lookup


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.DEMO_REGISTER_SIZE = 60
    # A cheap hasher: 40 Argon2 hashes per test would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def test_demo_is_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(DemoModeRequired):
        demo_load()
    with pytest.raises(CommandError, match="LAYAN_DEMO=1"):
        call_command("demo")
    assert not get_user_model().objects.exists()


def test_demo_loads_offices_services_and_an_account_per_role(db, demo_mode):
    summary = demo_load(password="sandi-demo-uji", register_size=60)
    assert Office.objects.count() == 5
    assert Service.objects.count() == 7
    assert len(summary.accounts) == 5 * len(Role)
    user = authenticate(username="bone.kadin", password="sandi-demo-uji")
    assert user is not None and user.is_demo
    assert Membership.objects.get(user=user).role == Role.KADIN
    assert get_user_model().objects.get(username="banyuasin.sekretaris").is_demo


def test_demo_can_run_again_without_duplicates(db, demo_mode):
    demo_load(password="sandi-demo-uji", register_size=60)
    demo_load(password="sandi-demo-uji", register_size=60)
    assert get_user_model().objects.count() == 40
    assert Membership.objects.count() == 40
    assert ServiceVersion.objects.count() == 7


def test_demo_command_prints_the_password_once(db, demo_mode, capsys):
    demo_mode.DEMO_PASSWORD = "sandi-cetak-uji"
    call_command("demo")
    out = capsys.readouterr().out
    assert out.count("sandi-cetak-uji") == 1
    assert "bone.kadin" in out


def test_demo_accounts_cannot_sign_in_once_demo_mode_is_off(db, demo_mode):
    demo_load(password="sandi-demo-uji", register_size=60)
    demo_mode.DEMO_MODE = False
    assert authenticate(username="bone.kadin", password="sandi-demo-uji") is None


def test_demo_registers_answer_the_printed_niks(db, demo_mode):
    summary = demo_load(password="sandi-demo-uji", register_size=60)
    assert len(summary.registers) == 5
    for register in summary.registers:
        office = register.office
        assert register.snapshot.region_code == office.region_code
        assert register.snapshot.rows_imported == 60
        officer = get_user_model().objects.get(username=f"{office.slug}.petugas")
        for nik in register.registered:
            assert registry_lookup(office=office, user=officer, nik=nik).found
        for nik in register.not_registered:
            assert not registry_lookup(office=office, user=officer, nik=nik).found


def test_demo_register_is_not_imported_twice(db, demo_mode):
    demo_load(password="sandi-demo-uji", register_size=60)
    demo_load(password="sandi-demo-uji", register_size=60)
    assert Snapshot.objects.count() == 5
