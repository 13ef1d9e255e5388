"""The lottery: drawn after the deadline with a recorded seed; the same seed gives the same
result, the draw is recorded (append-only) and re-checked; results are mailed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from madoguchi.participation import services
from madoguchi.participation.models import Draw, Event, Mode, RegStatus
from tests.helpers import login

from .conftest import LINK, enrol, published, run_worker


def lottery(author, head, **overrides):
    deadline = timezone.now() + dt.timedelta(days=2)
    return published(author, head, mode=Mode.LOTTERY, registration_deadline=deadline,
                     draw_at=deadline + dt.timedelta(hours=1), **overrides)


def close(event) -> Event:
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=1),
        draw_at=timezone.now() - dt.timedelta(minutes=1))
    return Event.objects.get(pk=event.pk)


def test_the_draw_is_a_pure_function_of_the_seed():
    applicants = [(n, 1 + n % 3) for n in range(1, 5001)]
    first = services.draw_order(applicants, seed=20261207, capacity=300)
    again = services.draw_order(list(reversed(applicants)), seed=20261207, capacity=300)
    other = services.draw_order(applicants, seed=1, capacity=300)
    assert first == again and first.digest == again.digest
    assert first.order != other.order
    people = dict(applicants)
    assert sum(people[i] for i in first.confirmed) <= 300
    assert len(first.confirmed) + len(first.waitlisted) == 5000


@pytest.mark.django_db
def test_applications_wait_for_the_draw_which_is_refused_before_the_deadline(
        setagaya, author, head):
    event = lottery(author, head, capacity=2)
    found = enrol(event, 5)
    assert {r.registration.status for r in found} == {RegStatus.APPLIED}
    assert Event.objects.get(pk=event.pk).confirmed_people == 0
    with pytest.raises(services.ParticipationError, match="締切前には抽選できません"):
        services.draw(event=event, link_base=LINK)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_draws_at_the_set_time_records_the_seed_and_mails_the_results(
        setagaya, author, head, smtp, client):
    event = lottery(author, head, capacity=3)
    enrol(event, 8)
    event = close(event)
    assert services.draw_due(link_base=LINK) == 1
    event.refresh_from_db()
    assert event.draw_seed is not None and event.drawn_at is not None
    assert event.confirmed_people == 3
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count("confirmed") == 3 and statuses.count("waitlisted") == 5
    [draw] = Draw.objects.filter(event=event)
    assert draw.seed == event.draw_seed and draw.applicants == 8 and draw.confirmed == 3
    assert services.redraw_check(event)
    with pytest.raises(services.ParticipationError, match="抽選は済んでいます"):
        services.draw(event=event, link_base=LINK)
    run_worker()
    subjects = [m["Subject"] for m in smtp.messages if "抽選の結果" in m["Subject"]]
    assert sum("当選しました" in s for s in subjects) == 3
    assert sum("キャンセル待ち" in s for s in subjects) == 5
    login(client, author)
    detail = client.get(reverse("participation:event", kwargs={"event": event.public_id}))
    text = detail.content.decode()
    assert f"シード {event.draw_seed}" in text and "同じ結果になります" in text


@pytest.mark.django_db
def test_a_cancellation_after_the_draw_moves_up_the_waitlist_in_drawn_order(
        setagaya, author, head):
    event = lottery(author, head, capacity=2)
    enrol(event, 6)
    event = close(event)
    result = services.draw(event=event, seed=42, link_base=LINK)
    assert result == services.draw_order(
        list(event.registrations.values_list("pk", "people")), seed=42, capacity=2)
    winner = event.registrations.get(pk=result.confirmed[0])
    services.cancel(registration=winner, link_base=LINK)
    assert event.registrations.get(pk=result.waitlisted[0]).status == RegStatus.CONFIRMED
    assert event.registrations.get(pk=result.waitlisted[1]).status == RegStatus.WAITLISTED
