"""The admin's lists show times in the row's office zone, named (WIB/WITA/WIT)."""

import re

import pytest
from django.urls import reverse

from layan.core.api_auth import token_issue
from layan.letters.keys import office_authority
from layan.offices.models import Office
from layan.offices.tests.test_admin_scope import bone_admin  # noqa: F401

pytestmark = pytest.mark.django_db
SHOWN = re.compile(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d{2}\.\d{2}")


def test_an_offices_rows_show_its_own_zone(client, bone_admin):  # noqa: F811
    office_authority(Office.objects.get(slug="bone"))  # Bone keeps Asia/Makassar time
    client.force_login(bone_admin)
    page = client.get(reverse("admin:letters_officeauthority_changelist")).content.decode()
    assert SHOWN.search(page) and "WITA" in page


def test_rows_without_an_office_show_the_installs_zone(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="rahasia-panjang-123")
    token_issue(user=root)
    client.force_login(root)
    page = client.get(reverse("admin:core_apitoken_changelist")).content.decode()
    assert SHOWN.search(page) and "WIB" in page
    assert "—" in page  # never used yet
