"""Where a resident reaches a district centre: its address, and a telephone number that is
never missing: the centre's own, else its branch office's (総合支所), else the ward office's
main number. Only facts with a public source are in the organisation data (``source_url``);
nothing here is made up to fill a gap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from madoguchi.organisation.models import DistrictCentre



def ward_phone() -> str:
    """The ward office's main number (settings.DOCUMENTS_WARD_PHONE): the last resort
    when neither a centre nor its branch office has a number in the organisation data."""
    return settings.DOCUMENTS_WARD_PHONE


@dataclass(frozen=True)
class CentreContact:
    address: str  # with the postal code when known; "" when no source gave it
    phone: str
    phone_owner: str  # whose number ``phone`` is, when it is not the centre's own ("")
    source_url: str

    @property
    def phone_label(self) -> str:
        if not self.phone_owner:
            return _("電話")
        return _("電話（%(owner)s）") % {"owner": self.phone_owner}


def centre_contact(centre: DistrictCentre) -> CentreContact:
    """The centre's address and the number to call (see the module docstring); reads the
    centre's district and region (select them with the centre)."""
    address = centre.address
    if address and centre.postal_code:
        address = f"〒{centre.postal_code} {address}"
    region = centre.district.region
    if centre.phone:
        phone, owner = centre.phone, ""
    elif region.phone:
        phone, owner = region.phone, region.branch_office_label
    else:
        phone, owner = ward_phone(), _("世田谷区役所 代表")
    return CentreContact(address=address, phone=phone, phone_owner=owner,
                         source_url=centre.source_url)
