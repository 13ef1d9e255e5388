"""The organisation's validation rules that need no database, shared by forms and services.

Each rule yields ``(field, message)`` pairs; a value of ``None`` (a field the form could
not parse) is skipped, so the form shows every problem in one round.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.organisation.models import Tier

if TYPE_CHECKING:
    from madoguchi.organisation.models import District, Region, SectionKind

Problem = tuple[str, str]

PHONE_RE = re.compile(r"^0[0-9-]{9,12}$")
POSTAL_RE = re.compile(r"^\d{3}-?\d{4}$")

# Where a section of each tier sits: (needs a region, needs a district).
TIER_PLACE: dict[str, tuple[bool, bool]] = {
    Tier.HEAD: (False, False),
    Tier.BRANCH: (True, False),
    Tier.DISTRICT: (True, True),
    Tier.PARTNER: (True, True),
    Tier.SPECIALIST: (False, False),
}


def contact(*, phone: str | None = "", postal_code: str | None = "") -> Iterator[Problem]:
    if phone and not PHONE_RE.match(phone.strip()):
        yield "phone", _("電話番号は半角数字とハイフンで入力してください（例: 03-5432-1111）。")
    if postal_code and not POSTAL_RE.match(postal_code.strip()):
        yield "postal_code", _("郵便番号は「154-0017」の形で入力してください。")


def district_figures(*, households: int | None, population: int | None,
                     area_km2: Decimal | None, figures_as_of: dt.date | None
                     ) -> Iterator[Problem]:
    if area_km2 is not None and area_km2 <= 0:
        yield "area_km2", _("面積は0より大きい値を入力してください。")
    if households is not None and households < 0:
        yield "households", _("世帯数は0以上の整数で入力してください。")
    if population is not None and population < 0:
        yield "population", _("人口は0以上の整数で入力してください。")
    elif households and population is not None and households > population:
        yield "households", _("世帯数が人口を上回っています。数値を確認してください。")
    if figures_as_of and figures_as_of > timezone.localdate():
        yield "figures_as_of", _("基準日に未来の日付は指定できません。")


def centre_hours(*, opens_at: dt.time | None, closes_at: dt.time | None,
                 open_weekdays: Iterable[int] | None) -> Iterator[Problem]:
    if opens_at and closes_at and closes_at <= opens_at:
        yield "closes_at", _("閉所時刻は開所時刻より後にしてください。")
    if open_weekdays is not None:
        days = {int(day) for day in open_weekdays}
        if not days:
            yield "open_weekdays", _("開所曜日を1つ以上選んでください。")
        elif min(days) < 0 or max(days) > 6:
            yield "open_weekdays", _("曜日は月曜（0）から日曜（6）の数字で指定してください。")


def section_place(*, kind: SectionKind, region: Region | None,
                  district: District | None) -> Iterator[Problem]:
    """Region and district must fit the tier of the section's kind."""
    wants_region, wants_district = TIER_PLACE[kind.tier]
    words = {"kind": kind.name, "tier": kind.get_tier_display()}
    if wants_district and district is None:
        yield "district", _("種別「%(kind)s」（%(tier)s）の課・機関には地区を"
                            "指定してください。") % words
    if wants_district and district is not None and region is not None \
            and region.pk != district.region_id:
        yield "region", _("地区「%(district)s」は地域「%(region)s」にありません。") % {
            "district": district.name, "region": region.name}
    if not wants_district and district is not None:
        yield "district", _("種別「%(kind)s」（%(tier)s）の課・機関には地区を"
                            "指定できません。") % words
    if wants_region and not wants_district and region is None:
        yield "region", _("種別「%(kind)s」（%(tier)s）の課・機関には地域を"
                          "指定してください。") % words
    if not wants_region and region is not None:
        yield "region", _("種別「%(kind)s」（%(tier)s）の課・機関には地域を"
                          "指定できません。") % words
