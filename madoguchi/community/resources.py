"""The two bookable kinds of the community context, registered with scheduling at start-up
(ADR 0029): ``room`` (a room of a centre, school or 児童館, while in use) and
``equipment`` (an item lent over the counter, while in use). Neither needs a section:
the opening times, rules and approvals are the community context's own (ADR 0040)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from madoguchi.scheduling import kinds

ROOM = kinds.BookableKind(
    code="room", label=_("貸室"), owner="community.Room", hours=kinds.WHOLE_DAY,
    describe=str, may_book=lambda user, room: room.is_active)

EQUIPMENT = kinds.BookableKind(
    code="equipment", label=_("貸出品"), owner="community.Item", hours=kinds.WHOLE_DAY,
    describe=str, may_book=lambda user, item: item.is_active)


def register() -> None:
    kinds.register(ROOM)
    kinds.register(EQUIPMENT)
