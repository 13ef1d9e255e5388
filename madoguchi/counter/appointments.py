"""Booked appointments that check in at the reception (the appointment-source registry).

The counter sits below the contexts that take bookings (consultations, scheduling): it
cannot read their bookings. A context that does registers an **appointment source** in its
``AppConfig.ready``::

    counter.appointments.register_source("consultation", day=..., find=...)

``day(office, date)`` returns that day's bookings at the office; ``find(office, reference)``
returns one booking by its reference (any day: the check-in says which day it is for), or
``None``. Each is an ``Appointment``: a reference unique within its source, the booked time
(aware), the code of the window service whose queue it joins, and a display label **without
personal data** (time and section, never the resident's name): the list is shown on the
public reception tablet.

The queue rule (``selectors.queue_order``): a checked-in appointment takes its booked time
as its place in the queue; once that time has come it is called before the walk-ins of the
same service priority, whoever came first (appointments among themselves by booked time).
Before its time it waits like a walk-in who arrived at the booked time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.counter.models import Office

SEPARATOR = ":"


@dataclass(frozen=True)
class Appointment:
    reference: str
    at: dt.datetime
    service: str  # a WindowService code of the office
    label: str  # shown on the tablet: no personal data
    source: str = ""  # filled in by the registry

    @property
    def key(self) -> str:
        """Unique across sources: what a ticket keeps (one ticket per appointment)."""
        return f"{self.source}{SEPARATOR}{self.reference}"


DaySource = Callable[["Office", dt.date], list[Appointment]]
FindSource = Callable[["Office", str], "Appointment | None"]

_SOURCES: dict[str, tuple[DaySource, FindSource]] = {}


def register_source(name: str, *, day: DaySource, find: FindSource) -> None:
    """Register (or replace, for reloads) a source of appointments under ``name``."""
    if not name or SEPARATOR in name:
        raise ValueError(f"source name {name!r} must be non-empty without {SEPARATOR!r}")
    _SOURCES[name] = (day, find)


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def sources() -> list[str]:
    return sorted(_SOURCES)


def _named(name: str, found: Appointment) -> Appointment:
    return Appointment(reference=found.reference, at=found.at, service=found.service,
                       label=found.label, source=name)


def for_day(office: Office, day: dt.date) -> list[Appointment]:
    """Every source's appointments at ``office`` on ``day``, by time."""
    out = [_named(name, a) for name, (day_fn, _find) in _SOURCES.items()
           for a in day_fn(office, day)]
    return sorted(out, key=lambda a: (a.at, a.key))


def find(office: Office, key: str) -> Appointment | None:
    """The appointment of ``key`` (``source:reference``) at ``office``, any day."""
    name, _sep, reference = key.partition(SEPARATOR)
    entry = _SOURCES.get(name)
    if entry is None or not reference:
        return None
    found = entry[1](office, reference)
    return _named(name, found) if found is not None else None
