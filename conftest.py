"""Shared fixtures; test-wide environment defaults are in layan/core/pytest_env.py."""

import pytest


@pytest.fixture
def seeded(db, settings):
    """The five seed offices and every bundled service definition, as `layan demo` loads them."""
    from layan.catalogue.services import services_load_path
    from layan.offices.services import cuti_bersama_load, office_load_seed

    offices = {
        path.stem: office_load_seed(path=path)
        for path in sorted(settings.OFFICES_SEED_DIR.glob("*.yaml"))
    }
    services_load_path(settings.SOPS_DIR)
    cuti_bersama_load()
    return offices


@pytest.fixture
def make_user(db):
    """A user with roles at offices: make_user("ani", bone=["petugas"])."""
    from django.contrib.auth import get_user_model

    from layan.offices.models import Membership, Office

    def make(username: str, *, password: str = "rahasia-panjang-123", **roles):
        user = get_user_model().objects.create_user(username=username, password=password)
        for slug, role_list in roles.items():
            office = Office.objects.get(slug=slug)
            for role in role_list:
                Membership.objects.create(user=user, office=office, role=role)
        return user

    return make
