"""Record rules of the news actions (ADR 0032, 0044), registered in ``ready``.

A district's post belongs to its centre: the centre's staff write it, and another of them
(or a ward administrator) publishes it. A ward-wide post is written by section staff and
managers, and published by a section manager or a ward administrator. Nobody publishes a
post they wrote themselves (checked in ``services.post_publish``).
"""

from __future__ import annotations

from typing import Any

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, own_district_ids, register_rule, roles
from madoguchi.news.models import Post

SECTION = frozenset({Role.SECTION_STAFF, Role.SECTION_MANAGER})


def _district_id(obj: Any) -> int | None:
    """The district a post (or a district itself, for a new post) belongs to; None is
    ward-wide."""
    if isinstance(obj, Post):
        return obj.district_id
    return getattr(obj, "pk", None)


def write_rule(user, obj: Any) -> bool:
    have = roles(user)
    if Role.WARD_ADMIN in have:
        return True
    district = _district_id(obj)
    if district is None:
        return bool(have & SECTION)
    return district in own_district_ids(user)


def publish_rule(user, obj: Any) -> bool:
    have = roles(user)
    if Role.WARD_ADMIN in have:
        return True
    district = _district_id(obj)
    if district is None:
        return Role.SECTION_MANAGER in have
    return district in own_district_ids(user)


class WardWide:
    """What a ward-wide post is written for (``can(user, NEWS_WRITE, WARD)``)."""

    pk = None


WARD = WardWide()


def register() -> None:
    register_rule(Action.NEWS_WRITE, write_rule)
    register_rule(Action.NEWS_PUBLISH, publish_rule)
