"""Reading services and their definitions for pages, PDFs and the API."""

from functools import lru_cache

from django.http import Http404

from layan.catalogue.models import Service, ServiceVersion
from layan.catalogue.schema import ServiceDoc
from layan.offices.models import Office


@lru_cache(maxsize=256)
def _doc_of_version(version_id: int, content_hash: str) -> ServiceDoc:
    # Versions never change, so (id, hash) is a safe cache key.
    data = ServiceVersion.objects.values_list("data", flat=True).get(pk=version_id)
    return ServiceDoc.model_validate(data)


def version_doc(version: ServiceVersion) -> ServiceDoc:
    """The validated definition of a stored version."""
    return _doc_of_version(version.pk, version.content_hash)


def services_published(*, office: Office) -> list[Service]:
    return list(office.services.filter(is_published=True).order_by("order", "name"))


def service_get_published(*, office: Office, code: str) -> tuple[Service, ServiceVersion]:
    """A published service of an office and its current version, or 404."""
    service = office.services.filter(code=code, is_published=True).first()
    version = service.current_version if service else None
    if service is None or version is None:
        raise Http404("Layanan tidak ditemukan.")
    return service, version
