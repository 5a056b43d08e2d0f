"""A bare Django JSON view, the yardstick of the lookup API under load.

Served by the same gunicorn command as Layan: `python -m gunicorn
bench.bare_wsgi:application`. Minimal settings (no middleware, no database, no
apps), one URL at the lookup's address, one view that reads the JSON body and
answers JSON of about the size of Layan's answer (BENCH_BARE_BYTES, measured by
bench.registry on Layan's answers before the load).
"""

import json
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench-bare-view-not-secret",
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)

ANSWER_BYTES = int(os.environ.get("BENCH_BARE_BYTES", "1000"))
_BASE = {"found": True, "message": "Terdaftar.", "nik": "", "padding": ""}
# Padding so that the answer's JSON is ANSWER_BYTES long (the NIK adds its 16 digits).
_PADDING = "x" * max(0, ANSWER_BYTES - len(json.dumps(_BASE, separators=(",", ":"))) - 16)


def lookup(request: HttpRequest) -> JsonResponse:
    """Read the body as Layan's view does, answer a fixed JSON of the same size."""
    payload = json.loads(request.body or b"{}")
    answer = {**_BASE, "nik": str(payload.get("nik", ""))[:16], "padding": _PADDING}
    return JsonResponse(answer, json_dumps_params={"separators": (",", ":")})


urlpatterns = [path("api/v1/registry/lookup", lookup)]

application = get_wsgi_application()
