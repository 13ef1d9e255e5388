"""The reminder of an overdue action item (notifications, ADR 0030), to its person."""

from __future__ import annotations

from collections.abc import Iterator

from madoguchi.collaboration.models import ActionItem
from madoguchi.core.dates import wareki
from madoguchi.notifications.notify import About, Letter, Recipient, Skip

OVERDUE = "collaboration.action_overdue"


def _overdue_letters(about: About, secret: str | None) -> Iterator[Letter]:
    item = (ActionItem.objects.select_related("person", "party", "meeting__district")
            .filter(pk=int(about["action"]), done_at__isnull=True).first())
    if item is None:
        raise Skip("done or gone")
    if not item.person.email:
        raise Skip("no address")
    yield Letter(recipient=Recipient(address=item.person.email, name=str(item.person),
                                     language=item.person.preferred_language), context={
        "task": item.task, "party": item.party.name, "district": item.meeting.district.name,
        "due": wareki(item.due_date, weekday=True),
        "meeting": wareki(item.meeting.starts_at),
    })


def register() -> None:  # CollaborationConfig.ready
    from madoguchi.notifications.notify import register as register_kind

    register_kind(OVERDUE, _overdue_letters)



