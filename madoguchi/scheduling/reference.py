"""The reference data a booking attempt validates against, read through a short cache.

A booking attempt reads, besides the live calendars (hours, loads, busy times: never
cached), data that staff change a few times a year through the admin: the ward's closed
days, a centre's active booths and whether the named caseworker is on the section's
staff. Under contention (many attempts at one centre's slots within seconds) building
those three ORM queries was over half of an attempt's CPU (ADR 0036), so the booking
services read them through this per-process cache for ``TTL`` seconds. A change made
in the admin reaches the booking path of every process within ``TTL`` seconds; the slot
search pages (``selectors.find_slots``) read them fresh. Tests clear it before each test.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TypeVar

from django.utils import timezone

from madoguchi.core.dates import load_exceptions
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import availability

TTL = 30.0  # seconds
MAX_ENTRIES = 4_096

T = TypeVar("T")
_store: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load: Callable[[], T]) -> T:
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = load()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()
    _store[key] = (now + TTL, value)
    return value


def clear() -> None:
    _store.clear()


def closed_days(first: dt.date, last: dt.date) -> dict[dt.date, tuple[str, str]]:
    """``core.dates.load_exceptions`` (shared: do not change the answer)."""
    return _cached(("closed", first, last), lambda: load_exceptions(first, last))


def centre_booths(centre: DistrictCentre) -> list[Booth]:
    return list(_cached(("booths", centre.pk),
                        lambda: tuple(availability.centre_booths(centre))))


def is_section_staff(section: Section, user) -> bool:
    today = timezone.localdate()
    return _cached(("staff", section.pk, user.pk, today),
                   lambda: availability.is_section_staff(section, user))
