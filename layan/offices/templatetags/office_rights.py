"""`{% rights_at office as may %}`: what the signed-in user may do at an office, for the
menus, read from the rights table (`{% if may.register %}`), so a menu offers only
links that answer 200 for the person who sees them."""

from django import template

from layan.offices.models import Office
from layan.offices.rights import Right, rights_of, roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def rights_at(context, office: Office) -> dict[str, bool]:
    """Every right by name, True where the user's roles at `office` hold it.

    Kept on the request: a page with two menus of the same office asks the database once.
    """
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    known: dict[int, dict[str, bool]] = getattr(request, "_layan_rights_at", {})
    if office.pk not in known:
        held = rights_of(roles_of(user, office))
        known[office.pk] = {right.value: right in held for right in Right}
        if request is not None:
            request._layan_rights_at = known
    return known[office.pk]
