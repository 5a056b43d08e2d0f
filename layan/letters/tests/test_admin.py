"""The admin shows an office admin their own office's keys and letters, read-only."""

import pytest
from django.urls import reverse

from layan.letters.keys import office_authority
from layan.offices.models import Office
from layan.offices.tests.test_admin_scope import bone_admin  # noqa: F401

pytestmark = pytest.mark.django_db


def test_office_admin_sees_their_root_only_and_cannot_change_it(client, bone_admin):  # noqa: F811
    bone = office_authority(Office.objects.get(slug="bone"))
    bima = office_authority(Office.objects.get(slug="bima"))
    client.force_login(bone_admin)
    page = client.get(reverse("admin:letters_officeauthority_changelist")).content.decode()
    assert "Dinas Sosial Kabupaten Bone" in page and "Dinas Sosial Kota Bima" not in page
    detail = client.get(reverse("admin:letters_officeauthority_change", args=[bone.pk]))
    assert detail.status_code == 200 and "PRIVATE" not in detail.content.decode()
    assert client.post(reverse("admin:letters_officeauthority_delete", args=[bone.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    other = client.get(reverse("admin:letters_officeauthority_change", args=[bima.pk]))
    assert other.status_code == 302
