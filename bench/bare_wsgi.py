"""Bare Django JSON views, the yardsticks of the lookup API under load.

Served the same way as Layan: the same gunicorn command (`python -m gunicorn
bench.bare_wsgi:application`), and Layan's own settings (apps, middleware,
database connection) with one difference: the URL of the lookup goes to a bare
view. With BENCH_BARE_READ set it answers the same question the bare way: one
read of the NIK's household from the active snapshot's table through Django's
cursor, the rows as JSON; Layan's ratio to it is what its token and staff
checks, log row and schemas cost. Without, it does no work of its own: it reads
the JSON body and answers JSON of about the size of Layan's answer
(BENCH_BARE_BYTES, measured by bench.registry on Layan's answers before the
load); the ratio to it is what the whole lookup costs, the database's work
included.
"""

import functools
import json
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import layan.settings as layan_settings

settings.configure(
    **{
        **{name: getattr(layan_settings, name) for name in dir(layan_settings) if name.isupper()},
        "ROOT_URLCONF": __name__,
        "ALLOWED_HOSTS": ["*"],
    }
)

ANSWER_BYTES = int(os.environ.get("BENCH_BARE_BYTES", "1000"))
_BASE = {"found": True, "message": "Terdaftar.", "nik": "", "padding": ""}
# Padding so that the answer's JSON is ANSWER_BYTES long (the NIK adds its 16 digits).
_PADDING = "x" * max(0, ANSWER_BYTES - len(json.dumps(_BASE, separators=(",", ":"))) - 16)


@csrf_exempt  # as Layan's token-authenticated API is
def lookup(request: HttpRequest) -> JsonResponse:
    """Read the body as Layan's view does, answer a fixed JSON of the same size."""
    payload = json.loads(request.body or b"{}")
    answer = {**_BASE, "nik": str(payload.get("nik", ""))[:16], "padding": _PADDING}
    return JsonResponse(answer, json_dumps_params={"separators": (",", ":")})


@functools.cache
def _household_sql() -> str:
    """The read of a NIK's household in the active snapshot's table (found once)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM registry_snapshot WHERE state = 'active'")
        table = cursor.fetchone()[0]
    return f"SELECT * FROM {table} WHERE no_kk = (SELECT no_kk FROM {table} WHERE nik = %s)"


@csrf_exempt
def lookup_read(request: HttpRequest) -> JsonResponse:
    """The same question answered the bare way: one raw read of the NIK's household."""
    payload = json.loads(request.body or b"{}")
    with connection.cursor() as cursor:
        cursor.execute(_household_sql(), [int(payload.get("nik") or 0)])
        names = [column[0] for column in cursor.description]
        people = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    answer = {"found": bool(people), "household": people}
    return JsonResponse(answer, json_dumps_params={"separators": (",", ":")})


VIEW = lookup_read if os.environ.get("BENCH_BARE_READ") else lookup
urlpatterns = [path("api/v1/registry/lookup", VIEW)]

application = get_wsgi_application()
