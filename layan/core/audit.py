"""The record of changes: one call, inside the transaction of the change it records.

Callers pass plain values (strings, numbers, lists, dicts) for `before` and
`after`, only the fields that changed, so a reader sees at once what moved.
"""

from typing import Any

from django.db import models

from layan.core.models import AuditEvent


def audit_record(
    *,
    office,
    actor,
    action: str,
    target: models.Model,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event about `target` (a saved model row)."""
    return AuditEvent.objects.create(
        office=office,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )


def audit_of(target: models.Model):
    """The events about one row, oldest first (a case's corrections, a person's roles)."""
    return (
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
