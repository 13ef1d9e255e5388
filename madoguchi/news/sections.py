"""The news section of a district's page (organisation's ``district_page`` registry): the
district's latest published posts and the way to its public news page."""

from __future__ import annotations

from django.template.loader import render_to_string

from madoguchi.accounts.policy import Action, can
from madoguchi.news import selectors
from madoguchi.organisation.district_page import register_section

LATEST = 5


def render(request, district) -> str:
    posts = list(selectors.public_posts(district).filter(district=district)[:LATEST])
    return render_to_string("news/_district_section.html", {
        "district": district, "posts": posts,
        "may_write": can(request.user, Action.NEWS_WRITE, district)}, request=request)


def register() -> None:
    register_section("news", render)
