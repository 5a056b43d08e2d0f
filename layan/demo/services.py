"""The demo: the five seed offices, their services and one account per role."""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from layan.catalogue.services import services_load_path
from layan.letters.keys import signer_keys_ensure
from layan.offices.models import Membership, Office, Role
from layan.offices.services import cuti_bersama_load, office_load_seed
from layan.registry.importing import AlreadyImported, registry_import
from layan.registry.models import Snapshot
from layan.registry.synthetic import synthetic_people, write_csv

DEMO_PERIOD = "2026-09"
# Half the offices get a DTKS (SIKS-NG) export, half a DTSEN one: both layouts in use.
DEMO_LAYOUTS = {"bone": "dtks", "bima": "dtsen", "blitar": "dtks", "mataram": "dtsen"}


class DemoModeRequired(Exception):
    """Demo accounts are refused outside demo mode."""


@dataclass(frozen=True)
class DemoRegister:
    """An office's synthetic register and NIKs to try on it."""

    office: Office
    snapshot: Snapshot
    registered: list[str]
    not_registered: list[str]


@dataclass(frozen=True)
class DemoSummary:
    offices: list[Office]
    services_loaded: int
    services_new: int
    accounts: list[str]
    registers: list[DemoRegister]


def demo_register_ensure(*, office: Office, size: int) -> DemoRegister:
    """A synthetic register for an office's region, imported like a real export."""
    layout = DEMO_LAYOUTS.get(office.slug, "dtsen")
    folder = settings.VAR_DIR / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"register-{office.slug}-{DEMO_PERIOD}-{size}.csv"
    if not path.exists():  # the generator is deterministic: a file once written stays right
        people = synthetic_people(region_code=office.region_code, count=size, seed=1)
        partial = path.with_suffix(".part")  # renamed only when whole
        write_csv(people, partial, layout=layout, period=DEMO_PERIOD)
        partial.replace(path)
    try:
        snapshot = registry_import(
            path=path, source=layout, period=DEMO_PERIOD, region=office.region_code, office=office
        )
    except AlreadyImported as done:
        # Always set here; RegistryImportError declares it optional for its other kinds.
        assert done.snapshot is not None
        snapshot = done.snapshot
    sample = list(synthetic_people(region_code=office.region_code, count=3, seed=1))
    # Same region, serials far above any the register used: valid NIKs nobody holds.
    strangers = synthetic_people(region_code=office.region_code, count=1, seed=7, start_serial=9000)
    return DemoRegister(
        office=office,
        snapshot=snapshot,
        registered=[person["nik"] for person in sample[:2]],
        not_registered=[person["nik"] for person in strangers],
    )


# Invented people, so the demo's pages, receipts and letters name staff as a real office
# would: full name, and a NIP (birth date, appointment month, sex, serial: the serial
# differs per office). The head of office is the seed's own where it names one.
DEMO_STAFF = {
    Role.PETUGAS: ("Andi Saputra", "19900312", "201503", 1),
    Role.OPERATOR: ("Rini Wulandari, S.Kom.", "19920705", "201703", 2),
    Role.SUPERVISOR: ("Hendra Gunawan, S.Sos.", "19850120", "201001", 1),
    Role.PEKSOS: ("Siti Nurhaliza, S.Tr.Sos.", "19880915", "201203", 2),
    Role.KABID: ("Muhammad Yusuf, S.Sos., M.Si.", "19780511", "200312", 1),
    Role.SEKRETARIS: ("Dewi Kartika, S.H.", "19800228", "200604", 2),
    Role.KADIN: ("Drs. Bambang Wijaya, M.Si.", "19700817", "199703", 1),
    Role.ADMIN: ("Yoga Pratama, A.Md.", "19940101", "201903", 1),
}


def demo_person(office: Office, role: Role) -> tuple[str, str]:
    """The full name and NIP of an office's demo account for a role."""
    if role == Role.KADIN and office.head_name:
        return office.head_name, office.head_nip
    name, born, appointed, sex = DEMO_STAFF[role]
    return name, f"{born}{appointed}{sex}{office.pk % 1000:03d}"


def demo_accounts_ensure(*, office: Office, password: str) -> list[str]:
    """One demo account per role at an office, named <office>.<role>, with a name and NIP."""
    User = get_user_model()
    names = []
    for role in Role:
        username = f"{office.slug}.{role.value}"
        full_name, nip = demo_person(office, role)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "nip": nip,
                "is_demo": True,
                "is_staff": role == Role.ADMIN,
            },
        )
        if (user.full_name, user.nip) != (full_name, nip):  # a demo made before names were
            user.full_name, user.nip = full_name, nip
            user.save(update_fields=["full_name", "nip"])
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, office=office, role=role)
        names.append(username)
    return names


def demo_load(*, password: str | None = None, register_size: int | None = None) -> DemoSummary:
    """Load (or refresh) the whole demo; safe to run again.

    Offices, services and accounts are one transaction; each register is an
    import of its own, atomic as every import is.
    """
    summary = _demo_base(password=password)
    registers = [
        demo_register_ensure(office=office, size=register_size or settings.DEMO_REGISTER_SIZE)
        for office in summary.offices
    ]
    for office in summary.offices:  # letters can be signed from the first case on
        signer_keys_ensure(office)
    return dataclasses.replace(summary, registers=registers)


@transaction.atomic
def _demo_base(*, password: str | None) -> DemoSummary:
    if not settings.DEMO_MODE:
        raise DemoModeRequired("Demo hanya dapat dimuat dengan LAYAN_DEMO=1.")
    password = password or settings.DEMO_PASSWORD
    offices = [
        office_load_seed(path=path) for path in sorted(settings.OFFICES_SEED_DIR.glob("*.yaml"))
    ]
    results = services_load_path(settings.SOPS_DIR)
    cuti_bersama_load()
    accounts = [
        name
        for office in offices
        for name in demo_accounts_ensure(office=office, password=password)
    ]
    return DemoSummary(
        offices=offices,
        services_loaded=len(results),
        services_new=sum(r.created for r in results),
        accounts=accounts,
        registers=[],
    )
