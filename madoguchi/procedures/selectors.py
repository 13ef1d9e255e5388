"""Reads of the catalogue. Lists come in a fixed, small number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from madoguchi.procedures.models import Procedure, ProcedureVersion


def _versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.select_related("procedure", "section_kind")


def published(*, section: str | None = None, channel: str | None = None
              ) -> list[ProcedureVersion]:
    """The current published version of every procedure, by section kind then name.

    ``section`` is a SectionKind code, ``channel`` one of counter / assisted / online.
    """
    versions = _versions().filter(procedure__current_id=F("id"))
    if section:
        versions = versions.filter(section_kind__code=section)
    if channel:
        versions = versions.filter(**{channel: True})
    return list(versions.order_by("section_kind__sort_order", "section_kind__code",
                                  "procedure__code"))


def published_names(codes: list[str]) -> dict[str, tuple[str, str]]:
    """Code → (name, English name) of the procedures among ``codes`` that are published."""
    return {code: (name, name_en) for code, name, name_en in ProcedureVersion.objects.filter(
        procedure__code__in=codes, procedure__current_id=F("id"))
        .values_list("procedure__code", "name", "name_en")}


def published_get(code: str) -> ProcedureVersion | None:
    return _versions().filter(procedure__code=code, procedure__current_id=F("id")).first()


def catalogue(*, with_drafts: bool) -> list[dict]:
    """Rows of the staff catalogue: each procedure, its current version and its draft."""
    procedures = Procedure.objects.select_related("current__section_kind").order_by("code")
    drafts = {}
    if with_drafts:
        drafts = {v.procedure_id: v for v in _versions().filter(published_at__isnull=True)}
    rows: list[dict[str, Any]] = []
    for procedure in procedures:
        draft = drafts.get(procedure.pk)
        if procedure.current is None and draft is None:
            continue
        rows.append({"procedure": procedure, "current": procedure.current, "draft": draft,
                     "shown": procedure.current or draft})
    rows.sort(key=lambda row: (row["shown"].section_kind.sort_order, row["procedure"].code))
    return rows


def procedure_get(code: str) -> Procedure | None:
    return Procedure.objects.select_related("current__section_kind").filter(code=code).first()


def versions_of(procedure: Procedure, *, with_drafts: bool) -> list[ProcedureVersion]:
    versions = procedure.versions.select_related("published_by", "created_by").order_by(
        "-number")
    if not with_drafts:
        versions = versions.filter(published_at__isnull=False)
    return list(versions)


def version_get(code: str, number: int, *, with_drafts: bool) -> ProcedureVersion | None:
    version = _versions().filter(procedure__code=code, number=number).first()
    if version is None or (not version.is_published and not with_drafts):
        return None
    return version


def draft_of(procedure: Procedure) -> ProcedureVersion | None:
    return _versions().filter(procedure=procedure, published_at__isnull=True).first()
