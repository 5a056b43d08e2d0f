"""Office admins upload a register export; the import runs in the background."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from layan.offices.models import Role
from layan.offices.selectors import office_for_staff
from layan.registry.forms import UploadForm
from layan.registry.models import Upload, UploadState
from layan.registry.services import upload_create

UPLOAD_ROLES = {Role.ADMIN}


@login_required
def upload_new(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = office_for_staff(request.user, office, roles=UPLOAD_ROLES)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = upload_create(
            office=office_obj,
            user=request.user,
            file=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            period=form.cleaned_data["period"],
            mapping=form.cleaned_data["mapping"],
        )
        return redirect("registry-upload", office=office_obj.slug, pk=upload.pk)
    uploads = Upload.objects.filter(office=office_obj).select_related("snapshot", "user")[:20]
    status = 422 if form.errors else 200
    return render(
        request,
        "registry/upload_new.html",
        {"office": office_obj, "form": form, "uploads": uploads},
        status=status,
    )


@login_required
def upload_detail(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """Progress and result of one upload; htmx polls the partial while it runs."""
    office_obj = office_for_staff(request.user, office, roles=UPLOAD_ROLES)
    upload = get_object_or_404(Upload.objects.select_related("snapshot"), pk=pk, office=office_obj)
    running = upload.state in (UploadState.QUEUED, UploadState.RUNNING)
    template = "registry/upload_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"office": office_obj, "upload": upload, "running": running})
