"""On a resident's page (people.actions): print the flyer of the resident's district.

くみん窓口 staff registering a move-in print it in one click. The address names the
district only (the flyer is public), never the resident; nothing more is read about the
resident than the district the page has already shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.people import actions

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.people.models import Resident


def print_flyer(user: User, resident: Resident) -> actions.ResidentAction | None:
    district = resident.district
    if not hasattr(district, "centre"):  # no centre, no flyer
        return None
    url = reverse("flyers:pdf", kwargs={"region": district.region.code,
                                        "district": district.code, "paper": "a4"})
    return actions.ResidentAction(
        label=_("%(district)s地区の転入者向けチラシを印刷") % {"district": district.label},
        url=url)


def register() -> None:
    actions.register("flyers.print", print_flyer)
