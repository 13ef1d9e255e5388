"""Reads of the disaster context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.models import Role, User
from madoguchi.accounts.policy import Action, has_role_for, own_district_ids, roles
from madoguchi.disaster.models import Occupancy, Pets, Shelter
from madoguchi.disaster.workflow import RECEIVING

PETS_SHORT: dict[str, Any] = {Pets.NO: _("ペット不可"), Pets.SEPARATE: _("ペット同行可"),
              Pets.TOGETHER: _("ペット同伴可")}


def _with_total(queryset: QuerySet[Shelter]) -> QuerySet[Shelter]:
    return queryset.select_related("district__region").annotate(
        total=Coalesce(Sum("occupancy__count"), 0))


def shelters_for(*, user: User) -> QuerySet[Shelter]:
    """The shelters ``user`` operates (all for ward administrators)."""
    if not has_role_for(user, Action.SHELTER_OPERATE):
        return Shelter.objects.none()
    queryset = Shelter.objects.all()
    if Role.WARD_ADMIN not in roles(user):
        queryset = queryset.filter(district_id__in=own_district_ids(user))
    return _with_total(queryset)


def shelter_occupancy(*, shelter: Shelter) -> dict[str, int]:
    return dict(Occupancy.objects.filter(shelter=shelter).values_list("category", "count"))


@dataclass(frozen=True)
class OpenShelter:
    code: str
    name: str
    kind: str
    kind_label: str
    address: str
    district: str | None  # None: 地区未確認
    status: str
    status_label: str
    capacity: int | None  # None: 収容人数未登録
    occupied: int
    step_free: bool
    accessible_toilet: bool
    pets: str
    pets_label: str
    district_order: int
    needs: list[str]
    updated_at: object
    lat: float | None = None
    lon: float | None = None

    @property
    def left(self) -> int | None:
        """The room left; None when the capacity is not registered (never guessed)."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.occupied, 0)

    @property
    def district_label(self) -> str:
        return self.district or str(UNKNOWN_DISTRICT)

    def order(self) -> tuple:
        """Known room first (most first), then capacity not registered, then no room or
        full."""
        left = self.left
        if self.status == "full" or left == 0:
            return (2, 0)
        return (1, 0) if left is None else (0, -left)


UNKNOWN_DISTRICT = _("地区未確認")
LAST = 1 << 30  # after every district: 地区未確認 comes last


def _order(district) -> int:
    """Region by region, then the district's order within its region."""
    if district is None:
        return LAST
    return district.region.sort_order * 1000 + district.sort_order


def _number(value) -> float | None:
    return None if value is None else float(value)


def open_shelters() -> list[OpenShelter]:
    """The shelters taking evacuees by district (地区未確認 last), most room left first,
    unknown capacity next, full ones last: one query."""
    rows = _with_total(Shelter.objects.filter(status__in=RECEIVING))
    found = [OpenShelter(
        code=s.code, name=s.name, kind=s.kind, kind_label=str(s.get_kind_display()),
        address=s.address, district=s.district.name if s.district else None,
        status=s.status, status_label=str(s.get_status_display()), capacity=s.capacity,
        occupied=s.total, step_free=s.step_free,  # type: ignore[attr-defined]
        accessible_toilet=s.accessible_toilet, pets=s.pets,
        pets_label=str(PETS_SHORT[s.pets]),
        district_order=_order(s.district),
        needs=list(s.needs or []), updated_at=s.reported_at or s.status_changed_at,
        lat=_number(s.lat), lon=_number(s.lon)) for s in rows]
    found.sort(key=lambda s: (s.district_order, s.district_label, *s.order(), s.name))
    return found
