"""Creating and updating offices from their seed files."""

from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from layan.offices.models import (
    Acting,
    ComplaintChannel,
    ContactOfficer,
    CutiBersama,
    Office,
    Unit,
)


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HeadSeed(_Seed):
    title: str = ""
    name: str = ""
    nip: str = ""
    acting: Acting = Acting.DEFINITIVE


class UnitSeed(_Seed):
    name: str
    short_name: str = ""
    children: list["UnitSeed"] = []


class ChannelSeed(_Seed):
    kind: str
    label: str
    value: str = ""
    url: str = ""


class OfficerSeed(_Seed):
    name: str
    duty: str = ""
    phone: str = ""


class OfficeSeed(_Seed):
    """The seed file of one office (layan/offices/seed/<slug>.yaml)."""

    slug: str
    name: str
    short_name: str = ""
    government: str
    region_code: str
    region_name: str
    province_name: str = ""
    time_zone: str
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    social_accounts: list[dict[str, str]] = []
    letterhead: dict = {}
    head: HeadSeed = HeadSeed()
    maklumat: str = ""
    complaints_note: str = ""
    # Where applicants are served, in the seed's own words; left out where it says nothing.
    counter_location: str = ""
    units: list[UnitSeed] = []
    channels: list[ChannelSeed] = []
    officers: list[OfficerSeed] = Field(default_factory=list)


# PermenPANRB 15/2014, Lampiran: the standard wording of a maklumat pelayanan.
DEFAULT_MAKLUMAT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)


def _units_save(office: Office, units: list[UnitSeed], parent: Unit | None = None) -> None:
    for seed in units:
        unit, _ = Unit.objects.update_or_create(
            office=office,
            name=seed.name,
            defaults={"short_name": seed.short_name, "parent": parent},
        )
        _units_save(office, seed.children, unit)


@transaction.atomic
def office_load_seed(*, path: Path) -> Office:
    """Create or update one office, its units, channels and officers from a seed file."""
    seed = OfficeSeed.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    office, _ = Office.objects.update_or_create(
        slug=seed.slug,
        defaults={
            "name": seed.name,
            "short_name": seed.short_name,
            "government": seed.government,
            "region_code": seed.region_code,
            "region_name": seed.region_name,
            "province_name": seed.province_name,
            "time_zone": seed.time_zone,
            "address": seed.address,
            "postal_code": seed.postal_code,
            "phone": seed.phone,
            "email": seed.email,
            "website": seed.website,
            "social_accounts": seed.social_accounts,
            "letterhead": seed.letterhead,
            "head_title": seed.head.title,
            "head_name": seed.head.name,
            "head_nip": seed.head.nip,
            "head_acting": seed.head.acting,
            "maklumat": seed.maklumat or DEFAULT_MAKLUMAT,
            "complaints_note": seed.complaints_note,
            "counter_location": seed.counter_location,
        },
    )
    office.full_clean()
    _units_save(office, seed.units)
    # Channels and officers are lists in the seed: replace them as a whole.
    office.channels.all().delete()
    ComplaintChannel.objects.bulk_create(
        ComplaintChannel(office=office, order=i, **c.model_dump())
        for i, c in enumerate(seed.channels)
    )
    office.officers.all().delete()
    ContactOfficer.objects.bulk_create(
        ContactOfficer(office=office, order=i, **o.model_dump())
        for i, o in enumerate(seed.officers)
    )
    return office


class CutiBersamaDaySeed(_Seed):
    date: date
    name: str = Field(min_length=1, max_length=200)
    decree: str = Field(default="", max_length=300)


class CutiBersamaSeed(_Seed):
    """The national cuti bersama file (layan/offices/seed/calendar/cuti_bersama.yaml)."""

    days: list[CutiBersamaDaySeed]


CUTI_BERSAMA_SEED = Path(__file__).resolve().parent / "seed" / "calendar" / "cuti_bersama.yaml"


@transaction.atomic
def cuti_bersama_load(*, path: Path = CUTI_BERSAMA_SEED) -> int:
    """Create or update the national cuti bersama days of a seed file; returns how many."""
    seed = CutiBersamaSeed.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    for day in seed.days:
        CutiBersama.objects.update_or_create(
            date=day.date, office=None, defaults={"name": day.name, "decree": day.decree}
        )
    return len(seed.days)
