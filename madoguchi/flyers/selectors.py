"""What a district's flyer says, read from the organisation and counter data only.

The centre's address and telephone come from ``organisation.contact.centre_contact`` (an
address only where a public source gave it; the number the centre, else its branch office,
else the ward office answers); the opening hours from the centre's data; what a
まちづくりセンター does from its section kind's ``handles``; the window services from the
counter's data. Directions: the organisation data holds none, so the flyer prints none
(``directions`` stays empty until the data has them). The LINE code only when the setting
``LINE_ACCOUNT_URL`` names the ward's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.counter.selectors import centre_services
from madoguchi.documents.content import DistrictFlyer, FlyerCode
from madoguchi.organisation.contact import centre_contact
from madoguchi.organisation.models import District, DistrictCentre, SectionKind
from madoguchi.organisation.selectors import centre_directory, district_get

if TYPE_CHECKING:
    from madoguchi.organisation.models import Region

CENTRE_KIND = "machizukuri-center"

def _weekday_names() -> list[str]:
    return [_("月"), _("火"), _("水"), _("木"), _("金"), _("土"), _("日")]


def district_with_centre(region: str, district: str) -> tuple[District, DistrictCentre]:
    """The district and its centre, or 404 (a district without a centre has no flyer)."""
    found = district_get(region, district)
    centre = getattr(found, "centre", None) if found is not None else None
    if found is None or centre is None:
        raise Http404(_("その地区のまちづくりセンターはありません。"))
    return found, centre


def directory() -> list[Region]:
    """Every region with its districts and centres (the staff page's list)."""
    return centre_directory()


def hours_text(centre: DistrictCentre) -> str:
    """``月〜金 8:30〜17:15（祝日・年末年始を除く）`` from the centre's data (closed days
    are the national holidays and the year-end closing, organisation's calendar rule), in
    the active language."""
    names = _weekday_names()
    days = sorted(d for d in centre.weekdays if 0 <= d <= 6)
    if not days:
        return ""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        named = _("%(first)s〜%(last)s") % {"first": names[days[0]], "last": names[days[-1]]}
    else:
        named = _("・").join(names[d] for d in days)
    return _("%(days)s %(opens)s〜%(closes)s（祝日・年末年始を除く）") % {
        "days": named, "opens": f"{centre.opens_at:%-H:%M}",
        "closes": f"{centre.closes_at:%-H:%M}"}


@dataclass(frozen=True)
class Addresses:
    """The flyer's QR codes' targets, absolute (the view builds them from the request)."""

    district_page: str
    guide_page: str


def flyer_codes(addresses: Addresses) -> tuple[FlyerCode, ...]:
    codes = [FlyerCode("地区のご案内ページ", addresses.district_page),
             FlyerCode("窓口・手続きの案内（どの窓口？）", addresses.guide_page)]
    line = (settings.LINE_ACCOUNT_URL or "").strip()
    if line:
        codes.append(FlyerCode(f"{settings.DOCUMENTS_WARD_NAME}のLINE公式アカウント", line))
    return tuple(codes)


def flyer_content(district: District, centre: DistrictCentre, addresses: Addresses
                  ) -> DistrictFlyer:
    """The flyer of ``district`` (its centre given), printed today. Always in Japanese."""
    contact = centre_contact(centre)
    kind = SectionKind.objects.filter(code=CENTRE_KIND).only("handles").first()
    return DistrictFlyer(
        ward=settings.DOCUMENTS_WARD_NAME, district=district.name,
        district_kana=district.name_kana, centre=centre.name, address=contact.address,
        phone=contact.phone,
        phone_label=f"電話（{contact.phone_owner}）" if contact.phone_owner else "電話",
        hours=hours_text(centre), directions="",
        about=kind.handles if kind is not None else "",
        services=tuple(s.name for s in centre_services(centre.pk)),
        printed_on=timezone.localdate(), codes=flyer_codes(addresses))
