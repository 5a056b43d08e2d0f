from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from layan.core.http import StaffRequest


@login_required
def staff_home(request: StaffRequest) -> HttpResponse:
    """Where a signed-in officer lands: the offices and roles they hold."""
    memberships = request.user.memberships.filter(is_active=True).select_related("office", "unit")
    return render(request, "core/staff_home.html", {"memberships": memberships})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin)."""
    return redirect(static("layan/favicon.svg"), permanent=True)
