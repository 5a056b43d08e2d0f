"""Request types of Layan's views, as mypy should see them.

Django's `HttpRequest` knows neither what HtmxMiddleware adds nor that a view behind
`login_required` only ever sees a signed-in user. These classes are never built: a
view annotates its request with one to say what the middleware and decorators
guarantee, and django-htmx and django-stubs document this way of saying it.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from layan.core.models import User


class HtmxRequest(HttpRequest):
    """Any request: HtmxMiddleware (settings.MIDDLEWARE) sets `htmx` on every one."""

    htmx: HtmxDetails


class StaffRequest(HtmxRequest):
    """A request to a view behind `login_required`: its user is signed in."""

    user: User


class ApiRequest(HttpRequest):
    """A request to an API operation behind ApiBearer (the default): `auth` is its user."""

    auth: User
