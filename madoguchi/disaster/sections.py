"""The disaster section of a district's page (organisation's ``district_page`` registry):
the way to the district's disaster page (its shelters and coming 防災塾)."""

from __future__ import annotations

from django.template.loader import render_to_string

from madoguchi.organisation.district_page import register_section


def render(request, district) -> str:
    return render_to_string("disaster/_district_section.html", {"district": district},
                            request=request)


def register() -> None:
    register_section("disaster", render)
