"""The community section of a district's page (organisation's ``district_page``
registry): the registered groups active in the district that agreed to show their public
profile, linked to it. Organisation imports none of this."""

from __future__ import annotations

from django.template.loader import render_to_string

from madoguchi.community import selectors
from madoguchi.organisation.district_page import register_section


def render(request, district) -> str:
    return render_to_string("community/_district_section.html", {
        "district": district, "profiles": selectors.public_profiles(district)},
        request=request)


def register() -> None:
    register_section("community_groups", render)
