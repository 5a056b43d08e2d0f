"""Loading service definitions into versioned rows."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from layan.catalogue.models import Service, ServiceVersion
from layan.catalogue.parsing import definition_files, definition_parse
from layan.catalogue.schema import Problem
from layan.offices.models import Office


class DefinitionError(Exception):
    """A definition file that cannot be loaded; carries every problem found."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(p.render(file) for p in problems))


@dataclass(frozen=True)
class LoadResult:
    version: ServiceVersion
    created: bool


def _content_hash(doc_json: str) -> str:
    return hashlib.sha256(doc_json.encode()).hexdigest()


def service_load(*, text: str, source_name: str = "") -> LoadResult:
    """Validate one definition and store it as a new version if its content changed."""
    doc, problems = definition_parse(text)
    if doc is None:
        raise DefinitionError(source_name or "(teks)", problems)
    office = Office.objects.filter(slug=doc.office).first()
    if office is None:
        raise DefinitionError(
            source_name, [Problem(path="office", message=f"kantor '{doc.office}' tidak ada")]
        )
    # The hash is of the validated content, so comments and layout do not make versions.
    content_hash = _content_hash(doc.model_dump_json())
    with transaction.atomic():
        service, _ = Service.objects.select_for_update().get_or_create(
            office=office, code=doc.code, defaults={"name": doc.name}
        )
        latest = service.versions.order_by("-number").first()
        if latest and latest.content_hash == content_hash:
            return LoadResult(version=latest, created=False)
        if service.name != doc.name:
            service.name = doc.name
            service.save(update_fields=["name"])
        version = ServiceVersion.objects.create(
            service=service,
            number=(latest.number + 1) if latest else 1,
            content_hash=content_hash,
            source_name=source_name,
            source_text=text,
            data=doc.model_dump(mode="json"),
        )
    return LoadResult(version=version, created=True)


def services_load_path(path: Path) -> list[LoadResult]:
    """Load every definition file at a path (a file or a folder), all or none."""
    with transaction.atomic():
        return [
            service_load(text=file.read_text(encoding="utf-8"), source_name=str(file.name))
            for file in definition_files(path)
        ]
