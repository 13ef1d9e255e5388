"""The event registry (ADR 0031): owners declare kinds and publish, subscribers record."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from madoguchi.core import events
from madoguchi.core.events import BookingEvent, Event, Registry, UndeclaredKind

# Handlers run in a transaction of the database (the publisher's, or their own).
pytestmark = pytest.mark.django_db


@dataclass(frozen=True, kw_only=True)
class NoticeEvent(Event):
    notice_id: int


def test_a_published_event_reaches_the_subscribers_of_its_type_only():
    registry = Registry()
    registry.declare(owner="meetings", code="meeting_join", label="参加",
                     payload=BookingEvent)
    registry.declare(owner="notices", code="notice_sent", label="送付", payload=NoticeEvent)
    seen: dict[str, list] = {"booking": [], "any": []}
    registry.subscribe(BookingEvent, seen["booking"].append)
    registry.subscribe(Event, seen["any"].append)
    join = BookingEvent(kind="meeting_join", booking_id=7, participant_kind="guest")
    notice = NoticeEvent(kind="notice_sent", notice_id=3)
    registry.publish(join)
    registry.publish(notice)
    assert seen == {"booking": [join], "any": [join, notice]}


def test_publishing_without_subscribers_is_a_no_op():
    registry = Registry()
    registry.declare(owner="meetings", code="meeting_end", label="終了", payload=BookingEvent)
    registry.publish(BookingEvent(kind="meeting_end", booking_id=1))


@pytest.mark.parametrize("event", [
    BookingEvent(kind="meeting_jion", booking_id=1),        # nobody declared it
    BookingEvent(kind="intake", booking_id=1),              # declared, but never published
    NoticeEvent(kind="meeting_join", notice_id=1),          # another payload than declared
])
def test_undeclared_or_mismatched_events_are_refused(event):
    registry = Registry()
    registry.declare(owner="meetings", code="meeting_join", label="参加",
                     payload=BookingEvent)
    registry.declare(owner="consultations", code="intake", label="受付")
    received: list = []
    registry.subscribe(Event, received.append)
    with pytest.raises(UndeclaredKind):
        registry.publish(event)
    assert received == []


def test_declarations_are_checked():
    registry = Registry()
    registry.declare(owner="meetings", code="meeting_join", label="参加",
                     payload=BookingEvent)
    # The same declaration again (a module imported twice) is harmless.
    registry.declare(owner="meetings", code="meeting_join", label="参加",
                     payload=BookingEvent)
    with pytest.raises(ValueError, match="declared already"):
        registry.declare(owner="events", code="meeting_join", label="参加",
                         payload=BookingEvent)
    with pytest.raises(ValueError):
        registry.declare(owner="meetings", code="x" * (events.CODE_MAX_LENGTH + 1),
                         label="長い")
    with pytest.raises(ValueError):
        registry.declare(owner="meetings", code="", label="空")
    with pytest.raises(TypeError):
        registry.declare(owner="meetings", code="meeting_x", label="型", payload=dict)
    assert [k.code for k in registry.kinds(owner="meetings")] == ["meeting_join"]


def test_an_undeclared_code_is_shown_as_itself():
    assert Registry().label("gone_kind") == "gone_kind"


def test_labels_are_translated_from_the_catalogue():
    assert events.label("meeting_join") == "ビデオ通話に参加"
    with translation.override("en"):
        assert events.label("meeting_join") == "Joined the video call"
        assert events.label("route") == "Referred"


def test_the_code_validator_knows_the_declared_kinds():
    events.validate_declared("meeting_rec_off")
    with pytest.raises(ValidationError):
        events.validate_declared("meeting_jion")


def test_a_failing_subscriber_undoes_the_others_and_reaches_the_publisher():
    from madoguchi.core.models import EffectDone

    registry = Registry()
    registry.declare(owner="meetings", code="meeting_end", label="終了", payload=BookingEvent)

    def write(event):
        EffectDone.objects.create(key=f"written:{event.booking_id}")

    def fail(event):
        raise RuntimeError("the subscriber failed")

    registry.subscribe(BookingEvent, write)
    registry.subscribe(BookingEvent, fail)
    with pytest.raises(RuntimeError), transaction.atomic():
        EffectDone.objects.create(key="owner's write")
        registry.publish(BookingEvent(kind="meeting_end", booking_id=5))
    assert not EffectDone.objects.exists()
