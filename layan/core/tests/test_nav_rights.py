"""The menus offer each role only what it may use: every link shown answers 200, and the
links left out are exactly those that would answer 403 (read from the rights table)."""

import re

import pytest
from django.urls import reverse

from layan.offices.models import Role
from layan.offices.rights import RIGHTS, Right

ROLES = [Role.PETUGAS, Role.OPERATOR, Role.KABID, Role.KADIN, Role.ADMIN]
# The blocks of a page that are menus: the apps' menus and the staff home's office cards.
MENU = re.compile(r'<nav class="registry-nav".*?</nav>|<ul class="cards">.*?</ul>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')


def every_menu_link(office: str = "bone") -> set[str]:
    """Every link a menu of the office's pages can offer, to whoever may use it."""
    names = [
        "case-queue",
        "case-new",
        "case-referrals-back",
        "letter-archive",
        "registry-home",
        "registry-lookup",
        "registry-diff",
        "registry-log",
        "registry-upload-new",
        "staff-list",
        "staff-new",
    ]
    return {reverse(name, args=[office]) for name in names}


def menu_links(html: str) -> set[str]:
    links = {href for block in MENU.findall(html) for href in HREF.findall(block)}
    # The office's public page and the admin are not rights of the table; see below.
    return {link for link in links if link.startswith("/staf/")}


def links_seen(client) -> set[str]:
    """Every menu link on every page reached from the staff home through the menus."""
    seen: set[str] = set()
    todo = [reverse("staff-home")]
    visited: set[str] = set()
    while todo:
        address = todo.pop()
        visited.add(address)
        response = client.get(address)
        assert response.status_code == 200, address
        found = menu_links(response.content.decode())
        seen |= found
        todo.extend(found - visited - set(todo))
    return seen


@pytest.fixture
def staff_of(seeded, make_user):
    def make(role: str):
        user = make_user(f"{role}.bone", bone=[role])
        user.is_staff = role == Role.ADMIN  # as `layan demo` makes an office admin
        user.save(update_fields=["is_staff"])
        return user

    return make


@pytest.mark.parametrize("role", ROLES)
def test_every_link_shown_answers_and_every_link_hidden_is_refused(client, staff_of, role):
    client.force_login(staff_of(role))
    shown = links_seen(client)
    assert reverse("case-queue", args=["bone"]) in shown
    assert shown <= every_menu_link()
    for link in every_menu_link() - shown:
        assert client.get(link).status_code == 403, (role, link)


def test_a_kadin_is_offered_neither_registration_nor_import(client, staff_of):
    client.force_login(staff_of(Role.KADIN))
    shown = links_seen(client)
    assert reverse("case-new", args=["bone"]) not in shown
    assert reverse("registry-upload-new", args=["bone"]) not in shown
    home = client.get(reverse("staff-home")).content.decode()
    assert "Pendaftaran baru" not in home and "Impor register" not in home


def test_the_front_office_is_offered_registration_and_the_admin_the_import(client, staff_of):
    client.force_login(staff_of(Role.PETUGAS))
    assert reverse("case-new", args=["bone"]) in links_seen(client)
    client.force_login(staff_of(Role.ADMIN))
    assert reverse("registry-upload-new", args=["bone"]) in links_seen(client)


def test_the_menus_follow_the_rights_table(client, staff_of, monkeypatch):
    # Give the kadin the front office's right: the menu offers it, and the page opens.
    monkeypatch.setitem(RIGHTS, Role.KADIN, RIGHTS[Role.KADIN] | {Right.REGISTER})
    client.force_login(staff_of(Role.KADIN))
    assert reverse("case-new", args=["bone"]) in links_seen(client)


def test_the_office_settings_link_is_for_an_admin_the_admin_site_lets_in(client, staff_of):
    settings_link = reverse("admin:index")
    for role in ROLES:
        client.force_login(staff_of(role))
        home = client.get(reverse("staff-home")).content.decode()
        assert (settings_link in home) == (role == Role.ADMIN), role
    assert client.get(settings_link).status_code == 200  # the admin, signed in last


def test_rights_are_those_held_at_the_office_shown(client, seeded, make_user):
    # The front office at Bima is only a kabid at Bone: Bone's menu offers no registration.
    user = make_user("dua.kantor", bone=[Role.KABID], bima=[Role.PETUGAS])
    client.force_login(user)
    queue = client.get(reverse("case-queue", args=["bone"])).content.decode()
    assert reverse("case-new", args=["bone"]) not in menu_links(queue)
    queue = client.get(reverse("case-queue", args=["bima"])).content.decode()
    assert reverse("case-new", args=["bima"]) in menu_links(queue)
    home = client.get(reverse("staff-home")).content.decode()
    assert reverse("case-new", args=["bima"]) in home
    assert reverse("case-new", args=["bone"]) not in home
