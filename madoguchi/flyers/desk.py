"""At the counter (counter.panels): the flyer of a moving-in resident's district, one click.

くみん窓口 staff take 転入届 at their counter and do not see residents' records (the policy
lets them see only residents who applied to their section). They need no record to print
the flyer: the flyer is public and the clerk, who has the resident's address in hand, picks
the district. At an office that takes 住民異動の届出 (``counter.selectors.takes_moves``) the
office and counter pages show the districts of the office's own region as one-click links
to their PDF and a picker of every district of the ward (``flyers:print``). Nothing of a
resident is read, so nothing is audited.

The organisation data has no 町丁目 → district table, so the clerk picks the district by
name; an address lookup waits for that table (ADR 0057).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from madoguchi.counter import panels
from madoguchi.counter.selectors import takes_moves
from madoguchi.documents.flyer import PAPERS
from madoguchi.flyers import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from madoguchi.counter.models import Office

PANEL = "flyers.move_in"


def _region_id(office: Office) -> int | None:
    if office.centre_id is not None:
        return office.centre.district.region_id
    return office.section.region_id if office.section_id is not None else None


def render(request: HttpRequest, office: Office) -> str:
    if not takes_moves(office):
        return ""
    own = _region_id(office)
    regions = []
    for region in selectors.directory():
        districts = [d for d in region.districts.all() if hasattr(d, "centre")]
        if districts:
            regions.append({"region": region, "districts": districts})
    regions.sort(key=lambda row: row["region"].pk != own)  # the office's region first
    if not regions:
        return ""
    return render_to_string("flyers/desk.html", {
        "own": regions[0] if regions[0]["region"].pk == own else None, "regions": regions,
        "papers": list(PAPERS)}, request=request)


def register() -> None:
    panels.register_panel(PANEL, render)
