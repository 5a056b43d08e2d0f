"""Pages without sign-in: offices, their services' standards and SOP documents."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from layan.catalogue.pdf import sop_pdf
from layan.catalogue.selectors import service_get_published, services_published, version_doc
from layan.catalogue.sop_table import sop_rows
from layan.offices.calendar import calendar_for, opening_hours
from layan.offices.selectors import office_get_public, offices_public


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"offices": offices_public()})


def office_home(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = office_get_public(slug=office)
    calendar = calendar_for(office_obj)
    context = {
        "office": office_obj,
        "opening_hours": opening_hours(calendar),
        "hours_are_default": calendar.uses_default_week,
        "services": services_published(office=office_obj),
        "channels": office_obj.channels.all(),
        "officers": office_obj.officers.all(),
        "units": office_obj.units.all(),
    }
    return render(request, "public/office_home.html", context)


def _service_context(office: str, code: str) -> dict:
    office_obj = office_get_public(slug=office)
    service, version = service_get_published(office=office_obj, code=code)
    return {
        "office": office_obj,
        "service": service,
        "version": version,
        "doc": version_doc(version),
    }


def service_standard(request: HttpRequest, office: str, code: str) -> HttpResponse:
    """The service standard: the six components of PermenPANRB 15/2014."""
    context = _service_context(office, code)
    context["rows"] = sop_rows(context["doc"])
    return render(request, "public/service_standard.html", context)


def service_sop(request: HttpRequest, office: str, code: str) -> HttpResponse:
    """The SOP document in the PermenPANRB 35/2012 shape, printable from the browser."""
    context = _service_context(office, code)
    context["rows"] = sop_rows(context["doc"])
    return render(request, "public/service_sop.html", context)


@cache_control(public=True, max_age=300)
def service_sop_pdf(request: HttpRequest, office: str, code: str) -> HttpResponse:
    context = _service_context(office, code)
    pdf = sop_pdf(
        office=context["office"], doc=context["doc"], version_number=context["version"].number
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"SOP-{office}-{code}-v{context['version'].number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
