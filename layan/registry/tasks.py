"""Background work of the register: importing an uploaded file."""

from pathlib import Path

from django.utils import timezone
from django_tasks import task

from layan.registry.importing import (
    SYSTEM_FAILURE,
    Progress,
    RegistryImportError,
    registry_import,
)
from layan.registry.layouts import LayoutError, layout_from_mapping
from layan.registry.models import Upload, UploadState


def _progress_saver(upload: Upload):
    def save(progress: Progress) -> None:
        Upload.objects.filter(pk=upload.pk).update(
            bytes_read=progress.bytes_read,
            bytes_total=progress.bytes_total,
            rows_read=progress.rows_read,
            rows_rejected=progress.rows_rejected,
        )

    return save


@task()
def registry_upload_import(upload_id: int) -> int | None:
    """Import one uploaded file for its office; the upload records the outcome."""
    upload = Upload.objects.select_related("office", "user").get(pk=upload_id)
    if upload.state != UploadState.QUEUED:
        return upload.snapshot_id  # already handled (a task run twice)
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.RUNNING)
    try:
        layout = layout_from_mapping(upload.mapping) if upload.mapping else None
        snapshot = registry_import(
            path=Path(upload.file.path),
            source=upload.source,
            period=upload.period,
            layout=layout,
            region=upload.office.region_code,
            office=upload.office,
            user=upload.user,
            progress=_progress_saver(upload),
        )
    except (RegistryImportError, LayoutError) as exc:
        _finish(upload, UploadState.FAILED, str(exc), getattr(exc, "snapshot", None))
        return None
    except Exception:
        _finish(upload, UploadState.FAILED, SYSTEM_FAILURE, None)
        raise  # the task's own record keeps the cause for whoever runs the server
    _finish(upload, UploadState.DONE, "", snapshot)
    return snapshot.pk


def _finish(upload: Upload, state: str, message: str, snapshot) -> None:
    # The register rows now live in the snapshot (or were refused): the uploaded
    # file with its NIKs is not kept.
    upload.file.delete(save=False)
    upload.refresh_from_db(fields=["bytes_read", "bytes_total", "rows_read", "rows_rejected"])
    upload.state = state
    upload.message = message
    upload.snapshot = snapshot
    upload.finished_at = timezone.now()
    upload.save(update_fields=["state", "message", "snapshot", "file", "finished_at"])
