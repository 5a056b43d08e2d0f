"""Revoking a letter follows the rights table (offices/rights.py) on the page and the API."""

from django.urls import reverse

from layan.core.api_auth import token_issue
from layan.letters.models import Letter, LetterState
from layan.offices.models import Role
from layan.offices.rights import RIGHTS, Right


def _revoke_api(client, letter, user):
    return client.post(
        f"/api/v1/letters/{letter.pk}/revoke",
        {"reason": "Data keliru"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_issue(user=user)}"},
    )


def test_only_the_roles_the_table_names_may_revoke_on_page_and_api(client, walk, make_user):
    first, _ = walk("bone", name="Rina")
    second, _ = walk("bone", name="Sari")
    letters = [Letter.objects.get(case=first), Letter.objects.get(case=second)]
    allowed = [role.value for role in Role if Right.REVOKE in RIGHTS[role]]
    assert allowed == ["kadin"]
    for role in Role:
        if role.value in allowed:
            continue
        user = make_user(f"cabut.{role.value}", bone=[role.value])
        client.force_login(user)
        page = client.post(
            reverse("letter-revoke", args=["bone", letters[0].pk]), {"reason": "Data keliru"}
        )
        assert page.status_code == 403, role
        assert _revoke_api(client, letters[0], user).status_code == 403, role
        detail = client.get(reverse("case-detail", args=["bone", first.pk])).content.decode()
        assert reverse("letter-revoke", args=["bone", letters[0].pk]) not in detail
    assert all(Letter.objects.get(pk=x.pk).state == LetterState.ISSUED for x in letters)
    kadin = make_user("cabut.kadin", bone=["kadin"])
    client.force_login(kadin)
    detail = client.get(reverse("case-detail", args=["bone", first.pk])).content.decode()
    assert reverse("letter-revoke", args=["bone", letters[0].pk]) in detail
    page = client.post(
        reverse("letter-revoke", args=["bone", letters[0].pk]), {"reason": "Data keliru"}
    )
    assert page.status_code == 302
    assert _revoke_api(client, letters[1], kadin).status_code == 200
    assert all(Letter.objects.get(pk=x.pk).state == LetterState.REVOKED for x in letters)
