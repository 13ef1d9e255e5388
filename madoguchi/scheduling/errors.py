"""Why a booking cannot be made, in Japanese, naming the reason (and the next free slot)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from madoguchi.core.dates import day_text

if TYPE_CHECKING:
    from madoguchi.scheduling.selectors.slots import Slot


class SchedulingError(Exception):
    """``message``: Japanese text for the user; ``code``: a stable machine-readable key."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class BookingRejected(SchedulingError):
    """The request itself is not bookable (past, closed day, outside hours, …)."""


class SlotUnavailable(SchedulingError):
    """Somebody or something is not free then; ``next_free`` is the next slot that is."""

    def __init__(self, message: str, *, code: str, next_free: Slot | None) -> None:
        super().__init__(message, code=code)
        self.next_free = next_free


def when(moment: dt.datetime) -> str:
    """``令和9年1月12日（火） 10:00`` (English: ``Tue 12 Jan 2027 10:00``), ward time."""
    from madoguchi.scheduling.availability import local

    moment = local(moment)
    return f"{day_text(moment, weekday=True)} {moment.hour}:{moment.minute:02d}"


def clock(t: dt.time) -> str:
    return f"{t.hour}:{t.minute:02d}"


def duration_text(minutes: int) -> str:
    if minutes and minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(n)d日", "%(n)d日", days) % {"n": days}
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d時間", "%(n)d時間", hours) % {"n": hours}
    return ngettext("%(n)d分", "%(n)d分", minutes) % {"n": minutes}


def next_free_text(slot: Slot | None) -> str:
    return next_free_text_at(slot.start if slot is not None else None)


def next_free_text_at(start: dt.datetime | None) -> str:
    if start is None:
        return _("8週間以内に空いている枠はありません。")
    return _("次に空いている枠は%(when)sです。") % {"when": when(start)}
