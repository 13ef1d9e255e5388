"""Reads of disaster mode: which part of the ward is under a declared disaster."""

from __future__ import annotations

from django.db.models import Q

from madoguchi.disaster.models import Declaration


def active_declarations() -> list[Declaration]:
    return list(Declaration.objects.filter(confirmed_at__isnull=False, ended_at__isnull=True)
                .select_related("region"))


def declared_scope(district: str = "district") -> Q:
    """A Q over objects whose district is at ``district`` (a lookup path) selecting the
    districts in a declared disaster (all when the whole ward is; none when none is)."""
    found = active_declarations()
    if any(d.region_id is None for d in found):
        # Not Q(): an empty Q vanishes when OR-ed with another one.
        return Q(**{f"{district}__isnull": False})
    if not found:
        return Q(pk__in=[])
    return Q(**{f"{district}__region_id__in": {d.region_id for d in found}})


def in_disaster(*, region_id: int | None = None) -> bool:
    """Whether the ward (or the region) is under a declared disaster."""
    return any(d.region_id is None or d.region_id == region_id
               for d in active_declarations())
