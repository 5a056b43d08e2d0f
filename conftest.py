"""Shared fixtures; test-wide environment defaults are in layan/core/pytest_env.py."""

import os

import pytest

from layan.core.testing import require_tool


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


@pytest.fixture
def page():
    """A page in headless Chromium (Debian's package, driven by Playwright) on a small phone.

    `page.errors` collects console errors and uncaught exceptions (a CSP violation
    shows there). Fixtures' ORM calls must come before this one starts: Playwright's
    sync API runs an event loop in this thread.
    """
    executable = require_tool(os.environ.get("LAYAN_CHROMIUM", "/usr/bin/chromium"))
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            # No sandbox as root; no calls home on a machine without internet.
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 360, "height": 740})
        opened = context.new_page()
        errors: list[str] = []
        opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        opened.on("pageerror", lambda e: errors.append(str(e)))
        opened.errors = errors
        yield opened
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty per-process caches: tests roll back their rows."""
    from layan.cases.sla import calendar_cache_clear
    from layan.core.api_auth import user_cache_clear
    from layan.offices.selectors import office_cache_clear
    from layan.registry.selectors import active_cache_clear

    clears = (active_cache_clear, user_cache_clear, office_cache_clear, calendar_cache_clear)
    for clear in clears:
        clear()
    yield
    for clear in clears:
        clear()
