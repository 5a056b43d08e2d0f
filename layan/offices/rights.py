"""Who may do what at an office: one table of rights per role, for the pages and the API alike.

A right is asked of the roles a person holds at the office in question, never
of their roles elsewhere. Acting on a case step needs, besides ACT, the role the
step's actor maps to (the case engine checks that); the table says only which
roles work on cases at all.
"""

from enum import StrEnum

from layan.core.errors import Refusal
from layan.offices.models import Membership, Office, Role


class Right(StrEnum):
    ACT = "act"  # do a case step that falls to one's role
    PAUSE = "pause"  # stop and restart a case's clock while it waits
    CORRECT = "correct"  # correct a case's applicant, subject and letter fields
    REGISTER = "register"  # register a walk-in application
    LOOKUP = "lookup"  # look a NIK or KK up in the register, read the lookup log
    IMPORT = "import"  # upload a register export
    EXPORT = "export"  # download files of personal data (register diff, rejected rows)
    REVOKE = "revoke"  # revoke an issued letter
    STAFF = "staff"  # create staff accounts and give or take their roles at the office


_STAFF = frozenset({Right.ACT, Right.PAUSE, Right.LOOKUP, Right.EXPORT})
# The front office registers applications (its intake is recorded in its role) and
# corrects what the applicant told it; the kadin signs letters and so revokes them.
# The operator SIKS-NG (seed 004) brings the register exports in, as the admin may.
RIGHTS: dict[str, frozenset[Right]] = {
    Role.PETUGAS: _STAFF | {Right.REGISTER, Right.CORRECT},
    Role.OPERATOR: _STAFF | {Right.IMPORT},
    Role.SUPERVISOR: _STAFF,
    Role.PEKSOS: _STAFF,
    Role.KABID: _STAFF,
    Role.SEKRETARIS: _STAFF,
    Role.KADIN: _STAFF | {Right.REVOKE},
    Role.ADMIN: _STAFF | {Right.IMPORT, Right.STAFF},
}

_REFUSALS = {
    Right.ACT: "mengerjakan langkah permohonan",
    Right.PAUSE: "menjeda permohonan",
    Right.CORRECT: "mengoreksi data permohonan",
    Right.REGISTER: "mendaftarkan permohonan",
    Right.LOOKUP: "mencari di register",
    Right.IMPORT: "mengimpor data register",
    Right.EXPORT: "mengunduh data pribadi",
    Right.REVOKE: "mencabut surat",
    Right.STAFF: "mengelola pegawai",
}


def roles_of(user, office: Office) -> set[str]:
    """The roles the user holds at this office now (an inactive membership holds none)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user, office=office, is_active=True).values_list(
            "role", flat=True
        )
    )


def roles_with(right: Right) -> set[str]:
    return {role for role, rights in RIGHTS.items() if right in rights}


def rights_of(roles: set[str]) -> frozenset[Right]:
    return frozenset().union(*(RIGHTS.get(role, frozenset()) for role in roles))


def may(user, office: Office, right: Right) -> bool:
    return right in rights_of(roles_of(user, office))


def require(user, office: Office, right: Right) -> set[str]:
    """The user's roles at the office; Refusal (HTTP 403) naming who may, if none may.

    Not being staff of the office at all is also a refusal here; pages and the API
    answer an outsider 404 before they ask (`office_for_staff`).
    """
    roles = roles_of(user, office)
    if not roles:
        raise Refusal("Anda bukan staf kantor ini.")
    if right not in rights_of(roles):
        allowed = ", ".join(Role(role).label for role in sorted(roles_with(right)))
        raise Refusal(f"Hanya {allowed} yang dapat {_REFUSALS[right]}.")
    return roles
