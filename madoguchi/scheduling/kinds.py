"""Bookable resource kinds: what an owning app registers so that scheduling can book it.

Scheduling books ``Resource`` rows (a kind's code plus the owner's key) and knows nothing
else about them: what the thing is, its hours when it has no working-hours rows, how it
is named to users, whom it may be booked for and whether a booking holding it must name
the responsible section come from the kind the owning app registered in its
``AppConfig.ready()``::

    from madoguchi.scheduling import kinds

    kinds.register(kinds.BookableKind(code="room", label=_("集会室"),
                                      owner="community.Room", hours=kinds.WHOLE_DAY))

The consultation context registers the two kinds of today: ``booth`` (相談ブース) and
``person`` (staff and partner staff). A code is stored in the database: never rename one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

Interval = tuple[int, int]  # seconds after local midnight
Hours = Mapping[int, tuple[Interval, ...]]  # weekday (Mon=0) -> intervals

# The ward's standard hours, Mon–Fri 8:30–17:15.
STANDARD_HOURS: Hours = {
    weekday: ((8 * 3600 + 30 * 60, 17 * 3600 + 15 * 60),) for weekday in range(5)
}
# Whenever the place it stands in is open (a booth follows its centre's hours).
WHOLE_DAY: Hours = {weekday: ((0, 86_400),) for weekday in range(7)}


def _anyone(user: Any, owner: Any) -> bool:
    return True


@dataclass(frozen=True)
class BookableKind:
    """One kind of bookable thing.

    ``code``: stored in ``Resource.kind`` (at most 32 characters, never renamed);
    ``label``: its name for users; ``owner``: the model booked, as ``"app_label.Model"``
    (``Resource.owner_id`` is its primary key); ``hours``: when a resource of this kind
    can be booked if it has no working-hours rows; ``describe(owner)``: how one is named
    in messages; ``may_book(user, owner)``: the kind's own record rule (checked by the
    booking services for every resource a booking holds, after the policy's role check);
    ``needs_section``: a booking that holds one must name the responsible section.
    """

    code: str
    label: str
    owner: str
    hours: Hours
    describe: Callable[[Any], str] = str
    may_book: Callable[[Any, Any], bool] = _anyone
    needs_section: bool = False

    def owner_model(self) -> type[models.Model]:
        return apps.get_model(self.owner)


_KINDS: dict[str, BookableKind] = {}


def register(kind: BookableKind) -> BookableKind:
    """Register ``kind`` (idempotent for the same kind; a second kind with a taken code is
    a configuration error)."""
    if len(kind.code) > 32:
        raise ImproperlyConfigured(f"bookable kind code {kind.code!r} is over 32 characters")
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"bookable kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> BookableKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"no bookable kind {code!r} is registered") from None


def registered() -> tuple[BookableKind, ...]:
    return tuple(_KINDS.values())
