"""The resident's district and its offices, as the guidance pages show them.

Public: procedures' life events show the same offices and remember the same district (one
session key each for residents and staff), so they use this module, never guidance's views.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.policy import memberships
from madoguchi.core.templatetags.closed_days import weekday_span
from madoguchi.organisation.codes import split_district_key
from madoguchi.organisation.models import District, DistrictCentre

# The district chosen on a resident's page (guidance, life events), kept in the session.
SESSION_DISTRICT = "guidance.district"
# The district a staff member last guided for (staff guidance, the printed slip).
SESSION_STAFF_DISTRICT = "guidance.staff_district"


def district_choices() -> list:
    """Districts grouped by region, keyed ``region/district`` (a district code alone is not
    unique: 北沢, 砧 and 烏山 name a region and a district)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in District.objects.select_related("region").order_by(
            "region__sort_order", "sort_order", "code"):
        groups.setdefault(district.region.label, []).append((district.key, district.label))
    return [("", _("選ばない")), *groups.items()]


def district_for_key(key: str) -> District | None:
    parts = split_district_key(key)
    if parts is None:
        return None
    return District.objects.select_related("region").filter(
        region__code=parts[0], code=parts[1]).first()


def staff_district_key(user) -> str:
    """The ``region/district`` key of the staff member's own unit's district, or ``""``."""
    for membership in memberships(user):
        district = membership.unit.district if membership.unit else None
        if district is not None:
            return district.key
    return ""


def centre_of(district: District | None) -> DistrictCentre | None:
    if district is None:
        return None
    return DistrictCentre.objects.select_related("district__region").filter(
        district=district).first()


def _clock(value) -> str:
    return f"{value.hour}:{value.minute:02d}"


def centre_hours(centre: DistrictCentre) -> str:
    """月曜日～金曜日 8:30～17:15 (English weekdays on English pages)."""
    until = gettext("～")
    return (f"{weekday_span(centre.weekdays)} {_clock(centre.opens_at)}{until}"
            f"{_clock(centre.closes_at)}")


def _hours(office: dict) -> str:
    if office.get("hours"):
        return str(office["hours"])
    opens, closes = office.get("opens_at") or office.get("opens"), (
        office.get("closes_at") or office.get("closes"))
    if not (opens and closes):
        return ""
    days = office.get("weekdays")
    prefix = f"{weekday_span(days)} " if days else ""
    return f"{prefix}{str(opens)[:5]}～{str(closes)[:5]}"


def office_facts(office: dict | None) -> dict:
    """The engine's office as the four facts the cards show (missing ones left empty)."""
    office = office or {}
    return {"name": office.get("name", ""), "address": office.get("address", ""),
            "phone": office.get("phone", ""), "hours": _hours(office)}
