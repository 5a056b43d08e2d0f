"""The demo: the five seed offices, their services and one account per role."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from layan.catalogue.services import services_load_path
from layan.offices.models import Membership, Office, Role
from layan.offices.services import office_load_seed


class DemoModeRequired(Exception):
    """Demo accounts are refused outside demo mode."""


@dataclass(frozen=True)
class DemoSummary:
    offices: list[Office]
    services_loaded: int
    services_new: int
    accounts: list[str]


def demo_accounts_ensure(*, office: Office, password: str) -> list[str]:
    """One demo account per role at an office, named <office>.<role>."""
    User = get_user_model()
    names = []
    for role in Role:
        username = f"{office.slug}.{role.value}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": f"{role.label} (demo {office.short_name or office.name})",
                "is_demo": True,
                "is_staff": role == Role.ADMIN,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, office=office, role=role)
        names.append(username)
    return names


@transaction.atomic
def demo_load(*, password: str | None = None) -> DemoSummary:
    """Load (or refresh) the whole demo; safe to run again."""
    if not settings.DEMO_MODE:
        raise DemoModeRequired("Demo hanya dapat dimuat dengan LAYAN_DEMO=1.")
    password = password or settings.DEMO_PASSWORD
    offices = [
        office_load_seed(path=path) for path in sorted(settings.OFFICES_SEED_DIR.glob("*.yaml"))
    ]
    results = services_load_path(settings.SOPS_DIR)
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
    )
