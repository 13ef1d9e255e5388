"""Events an owning context publishes and other contexts record (ADR 0031).

An *owner* declares its event kinds once (``declare``: a short code, a Japanese label
translated through the message catalogue, the payload type it publishes) and publishes
events (``publish``). A *subscriber* registers a handler for a payload type in its
``AppConfig.ready()`` (``subscribe``) and records what it receives in its own tables, e.g.
the consultation's timeline appends video call events of the booking it is on. Neither
imports the other: both import this module.

Dispatch is synchronous and inside the publisher's transaction: the handlers' writes
commit or roll back with the owner's write, so an event is never lost after the owner's
change committed, and never recorded for a change that rolled back. A handler therefore
only writes to the database; anything outside (a mail) it schedules with
``transaction.on_commit`` or the task queue.

Codes are stored as they are in the subscribers' tables (a plain code column, at most
``CODE_MAX_LENGTH`` characters), so a declared code never changes; its label is looked up
here when the record is shown (``label``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from madoguchi.accounts.models import User

CODE_MAX_LENGTH = 16


@dataclass(frozen=True, kw_only=True)
class Event:
    """What every published event carries: its declared kind, when, and the staff member
    who acted (None when someone without a staff login did)."""

    kind: str
    actor: User | None = None
    at: dt.datetime = field(default_factory=timezone.now)


@dataclass(frozen=True, kw_only=True)
class BookingEvent(Event):
    """Something that happened in or to a booking (scheduling's ``Booking``, by id): the
    records that hang on a booking (a consultation) subscribe to it.

    ``participant_kind`` names the kind of participant concerned (scheduling's
    ``ParticipantKind`` value; the kind only, never a name), or the kind of the participant
    who acted without a staff login.
    """

    booking_id: int
    participant_kind: str = ""


@dataclass(frozen=True, kw_only=True)
class AreaEvent(Event):
    """Something that concerns an area of the ward: ``region_id`` one region, None the
    whole ward; ``reference`` the owner's record (e.g. disaster's declaration), ``text`` a
    short label safe to show (e.g. the disaster's name)."""

    region_id: int | None = None
    reference: int = 0
    text: str = ""


E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class EventKind:
    """One declared kind. ``payload`` is the Event type the owner publishes it with, or
    None for a kind the owner writes into its own records without publishing it (declared
    so that every code of a record has one label source)."""

    code: str
    label: str | Promise
    owner: str
    payload: type[Event] | None = None


class UndeclaredKind(ValueError):
    """A code nobody declared, or an event published with another payload than declared."""


class Registry:
    """The kinds and subscribers. The project has one (the module-level functions below);
    tests of the mechanism make their own."""

    def __init__(self) -> None:
        self._kinds: dict[str, EventKind] = {}
        self._handlers: list[tuple[type[Event], Callable[[Any], object]]] = []

    # ── owners ────────────────────────────────────────────────────────────────────────

    def declare(self, *, owner: str, code: str, label: str | Promise,
                payload: type[Event] | None = None) -> str:
        """Declare ``code`` for ``owner``; returns the code. Declaring the same kind again
        (a module imported twice) is harmless; another owner's code, or the same code with
        another label or payload, is refused."""
        if not code or len(code) > CODE_MAX_LENGTH or code != code.strip():
            raise ValueError(f"an event code is 1-{CODE_MAX_LENGTH} characters: {code!r}")
        if payload is not None and not (isinstance(payload, type)
                                        and issubclass(payload, Event)):
            raise TypeError(f"the payload of {code!r} is not an Event type: {payload!r}")
        kind = EventKind(code=code, label=label, owner=owner, payload=payload)
        known = self._kinds.get(code)
        if known is not None and known != kind:
            raise ValueError(f"event code {code!r} is declared already by {known.owner}")
        self._kinds[code] = kind
        return code

    def declare_choices(self, *, owner: str, choices: Iterable[tuple[str, Any]]) -> None:
        """Declare unpublished kinds from ``(code, label)`` pairs (a ``TextChoices``'
        ``choices``)."""
        for code, label in choices:
            self.declare(owner=owner, code=code, label=label)

    def publish(self, event: Event) -> None:
        """Hand ``event`` to every handler subscribed to its type, in the caller's
        transaction (one is opened when there is none). A handler's exception propagates
        to the caller, with every handler's writes for this event undone."""
        kind = self._kinds.get(event.kind)
        if kind is None:
            raise UndeclaredKind(f"no owner declared the event kind {event.kind!r}")
        if kind.payload is None or not isinstance(event, kind.payload):
            raise UndeclaredKind(f"{kind.owner} publishes {event.kind!r} as "
                                 f"{getattr(kind.payload, '__name__', 'nothing')}, "
                                 f"not {type(event).__name__}")
        handlers = [handler for payload, handler in self._handlers
                    if isinstance(event, payload)]
        if not handlers:
            return
        # A savepoint within the caller's transaction (as the timeline's own service had):
        # a failing handler undoes the other handlers' writes and raises to the caller,
        # whose transaction then rolls back unless it handles the error.
        with transaction.atomic():
            for handler in handlers:
                handler(event)

    # ── subscribers ───────────────────────────────────────────────────────────────────

    def subscribe(self, payload: type[E], handler: Callable[[E], object]) -> None:
        """Call ``handler`` with each published event that is a ``payload`` (subclasses
        included). Subscribing the same handler twice is harmless."""
        if (payload, handler) not in self._handlers:
            self._handlers.append((payload, handler))

    # ── reading ───────────────────────────────────────────────────────────────────────

    def is_declared(self, code: str) -> bool:
        return code in self._kinds

    def kind(self, code: str) -> EventKind | None:
        return self._kinds.get(code)

    def label(self, code: str) -> str:
        """The label of ``code`` in the active language; an undeclared code (an owner
        removed) is shown as itself rather than hidden."""
        kind = self._kinds.get(code)
        return str(kind.label) if kind is not None else code

    def kinds(self, *, owner: str | None = None) -> list[EventKind]:
        return [k for k in self._kinds.values() if owner is None or k.owner == owner]


registry = Registry()


def validate_declared(code: str) -> None:
    """Field validator of a stored code column: the code must be declared."""
    if not registry.is_declared(code):
        raise ValidationError(_("登録されていない種類です：%(code)s") % {"code": code},
                              code="undeclared")


declare = registry.declare
declare_choices = registry.declare_choices
publish = registry.publish
subscribe = registry.subscribe
is_declared = registry.is_declared
label = registry.label
kinds = registry.kinds
