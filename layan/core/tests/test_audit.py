import pytest

from layan.core.audit import audit_of, audit_record
from layan.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_an_event_names_who_what_and_the_values_before_and_after():
    actor = User.objects.create(username="siti", full_name="Siti Aminah")
    target = User.objects.create(username="andi")
    audit_record(office=None, actor=actor, action="user.rename", target=target,
                 before={"full_name": ""}, after={"full_name": "Andi"})  # fmt: skip
    [event] = audit_of(target)
    assert (event.actor, event.action, event.target_type) == (actor, "user.rename", "core.user")
    assert (event.before, event.after) == ({"full_name": ""}, {"full_name": "Andi"})


def test_an_event_cannot_be_changed_through_the_model():
    target = User.objects.create(username="andi")
    event = audit_record(office=None, actor=None, action="user.create", target=target)
    event.summary = "lain"
    with pytest.raises(ValueError):
        event.save()
    assert AuditEvent.objects.get().summary == ""
