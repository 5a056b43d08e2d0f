"""The demo's accounts carry full names and NIPs, so its pages show staff as an office would."""

from django.contrib.auth import get_user_model

from layan.demo.services import demo_accounts_ensure
from layan.offices.models import Office, Role


def test_every_demo_account_has_a_name_and_a_nip_distinct_per_office(seeded):
    bone, bima = Office.objects.get(slug="bone"), Office.objects.get(slug="bima")
    demo_accounts_ensure(office=bone, password="demo-rahasia-123")
    demo_accounts_ensure(office=bima, password="demo-rahasia-123")
    User = get_user_model()
    accounts = User.objects.filter(is_demo=True)
    assert accounts.count() == 2 * len(Role)
    for user in accounts:
        assert user.full_name and user.full_name != user.username
        assert "demo" not in user.full_name.lower()
        # Bima's head is the seed's own, NIP as the seed writes it; the others are invented.
        digits = user.nip.replace(" ", "")
        assert len(digits) == 18 and digits.isdigit(), user
    nips = [u.nip for u in accounts]
    assert len(nips) == len(set(nips))
    petugas = User.objects.get(username="bone.petugas")
    assert petugas.name_with_nip.startswith("Andi Saputra (NIP ")


def test_a_demo_made_before_names_gets_them_on_the_next_run(seeded):
    bone = Office.objects.get(slug="bone")
    demo_accounts_ensure(office=bone, password="demo-rahasia-123")
    User = get_user_model()
    User.objects.filter(username="bone.kabid").update(full_name="Kepala bidang (demo)", nip="")
    demo_accounts_ensure(office=bone, password="demo-rahasia-123")
    kabid = User.objects.get(username="bone.kabid")
    assert kabid.full_name == "Muhammad Yusuf, S.Sos., M.Si." and kabid.nip
