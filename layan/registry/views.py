"""Staff pages of the register: snapshots, NIK/KK lookup, lookup log, rejections, comparison,
and the upload of a new export (office admins), imported in the background.

Every view goes through `office_for_staff`: another office's staff get 404,
anonymous visitors are sent to sign in.
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from layan.core.http import HtmxRequest, StaffRequest
from layan.core.nik import NikError
from layan.offices.models import Office
from layan.offices.rights import Right, roles_with
from layan.offices.selectors import office_for_staff
from layan.registry import diff
from layan.registry.forms import UploadForm
from layan.registry.models import Snapshot, Upload, UploadState
from layan.registry.selectors import (
    lookups_of_office,
    snapshot_report_visible,
    snapshots_of_office,
)
from layan.registry.services import registry_lookup, upload_create

LOG_PAGE_SIZE = 50
DIFF_PREVIEW_ROWS = 200
CASE_REF_MAX = 40  # LookupLog.case_ref


def _snapshot_for(office: Office, pk: int | str) -> Snapshot:
    """A snapshot the office may see (its regency's, province's or the national one), or 404."""
    if not str(pk).isdigit():
        raise Http404("Salinan register tidak ditemukan.")
    return get_object_or_404(snapshots_of_office(office), pk=pk)


def _error_status(request: HtmxRequest, status: int) -> int:
    # htmx does not swap 4xx responses by default; it must get the form back with a 200.
    return 200 if request.htmx else status


@login_required
def registry_home(request: StaffRequest, office: str) -> HttpResponse:
    """The office's snapshots, newest first, with the lookup form on top."""
    office_obj = office_for_staff(request.user, office)
    context = {
        "office": office_obj,
        "snapshots": snapshots_of_office(office_obj).select_related("imported_by"),
        "lookup": {},
    }
    return render(request, "registry/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registry_lookup_view(request: StaffRequest, office: str) -> HttpResponse:
    """Look up a NIK or No KK; the answer names the snapshot that gave it. Each one is logged."""
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.LOOKUP))
    lookup: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        lookup, status = _lookup_run(request, office_obj)
    context = {"office": office_obj, "lookup": lookup}
    template = "registry/lookup.html#lookup" if request.htmx else "registry/lookup.html"
    return render(request, template, context, status=status)


def _lookup_run(request: StaffRequest, office: Office) -> tuple[dict[str, object], int]:
    """The form's values, and the result or the error per field, with the HTTP status."""
    nik = request.POST.get("nik", "").strip()
    no_kk = request.POST.get("no_kk", "").strip()
    case_ref = request.POST.get("perkara", "").strip()
    lookup: dict[str, object] = {"nik": nik, "no_kk": no_kk, "case_ref": case_ref}
    if len(case_ref) > CASE_REF_MAX:
        lookup["errors"] = {"case_ref": f"Nomor perkara paling panjang {CASE_REF_MAX} karakter."}
        return lookup, _error_status(request, 422)
    try:
        lookup["result"] = registry_lookup(
            office=office, user=request.user, nik=nik, no_kk=no_kk, case_ref=case_ref
        )
    except NikError as exc:
        lookup["errors"] = {"nik" if nik else "no_kk": exc.reason}
    except ValueError as exc:  # neither or both numbers given
        lookup["errors"] = {"form": str(exc)}
    else:
        return lookup, 200
    return lookup, _error_status(request, 422)


@login_required
def registry_log(request: StaffRequest, office: str) -> HttpResponse:
    """Who looked up which NIK or KK, newest first, 50 a page."""
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.LOOKUP))
    lookups = lookups_of_office(office_obj).order_by("-at", "-pk")
    page = Paginator(lookups, LOG_PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "registry/log.html", {"office": office_obj, "page": page})


@login_required
def registry_rejections(request: StaffRequest, office: str, snapshot: int) -> StreamingHttpResponse:
    """The rows of an export that were not imported, as CSV: line, column, value, reason."""
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.EXPORT))
    snapshot_obj = _snapshot_for(office_obj, snapshot)
    if not snapshot_report_visible(office_obj, snapshot_obj):
        raise Http404("Laporan ini milik kantor lain.")
    rows = (
        snapshot_obj.rejections.order_by("line", "pk")
        .values_list("line", "column", "value", "reason")
        .iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(
        diff.csv_chunks(("baris", "kolom", "isi", "alasan"), rows),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"ditolak-snapshot-{snapshot_obj.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def registry_diff(request: StaffRequest, office: str) -> HttpResponse | StreamingHttpResponse:
    """Compare two snapshots: counts, the first rows of each kind, and CSV/XLSX downloads."""
    office_obj = office_for_staff(request.user, office)
    old, new = _diff_pair(request, office_obj)
    context = {"office": office_obj, "choices": diff.diff_choices(office_obj)}
    context.update(old=old, new=new)
    status = 200
    if old and new:
        try:
            diff.diff_check(old, new)
        except ValueError as exc:  # two regions, the same snapshot twice, or no rows left
            context["error"], status = str(exc), _error_status(request, 422)
        else:
            fmt = request.GET.get("format")
            if fmt:  # a file of personal data: the export right
                office_for_staff(request.user, office, roles=roles_with(Right.EXPORT))
            download = _diff_download(fmt, office_obj, old, new)
            if download is not None:
                return download
            context["previews"] = diff.diff_preview(
                old, new, area=office_obj.region_code, limit=DIFF_PREVIEW_ROWS
            )
    template = "registry/diff.html#diff" if request.htmx else "registry/diff.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _diff_pair(request: HttpRequest, office: Office) -> tuple[Snapshot | None, Snapshot | None]:
    """The snapshots picked in the query string, else the active one and the one before it."""
    old_pk, new_pk = request.GET.get("lama"), request.GET.get("baru")
    new = _snapshot_for(office, new_pk) if new_pk else None
    if old_pk:
        return _snapshot_for(office, old_pk), new or diff.diff_default_pair(office)[1]
    return diff.diff_default_pair(office, new=new)


def _diff_download(
    fmt: str | None, office: Office, old: Snapshot, new: Snapshot
) -> HttpResponse | StreamingHttpResponse | None:
    """The CSV or XLSX file of the comparison, or None to show the page."""
    name = f"perbandingan-{office.slug}-{old.period}-{new.period}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            diff.diff_csv_chunks(old, new, area=office.region_code),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        # An unnamed temporary file, owned by the response: gone once it is sent.
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
        try:
            diff.diff_xlsx(old, new, handle, area=office.region_code)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx")
    return None


@login_required
def upload_new(request: StaffRequest, office: str) -> HttpResponse:
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.IMPORT))
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
def upload_detail(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Progress and result of one upload; htmx polls the partial while it runs."""
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.IMPORT))
    uploads = Upload.objects.select_related("snapshot", "user")
    upload = get_object_or_404(uploads, pk=pk, office=office_obj)
    running = upload.state in (UploadState.QUEUED, UploadState.RUNNING)
    template = "registry/upload_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"office": office_obj, "upload": upload, "running": running})
