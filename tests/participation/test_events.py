"""Events as data: a series over holidays and 年末年始, the workflow with the centre head's
approval and its append-only history, and bad input refused with nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, can
from madoguchi.core.appendonly import AppendOnlyError
from madoguchi.participation import services
from madoguchi.participation.models import Event, Occurrence, Status, Transition
from madoguchi.participation.series import plan
from tests.helpers import login

from .conftest import IKEJIRI, event_data, published

pytestmark = pytest.mark.django_db


def test_a_weekly_class_skips_a_holiday_or_moves_it_after_the_last_session(setagaya):
    # 2027-01-11 is 成人の日 (the second Monday of January).
    skipped = plan(dt.date(2027, 1, 4), repeat="weekly", count=3, on_closed="skip")
    assert [(p.planned.day, p.held) for p in skipped] == [(4, True), (11, False), (18, True)]
    assert skipped[1].reason == "成人の日"
    moved = plan(dt.date(2027, 1, 4), repeat="weekly", count=3, on_closed="next_week")
    assert [(p.planned.day, p.held, p.moved) for p in moved] == [
        (4, True, False), (11, False, True), (18, True, False), (25, True, False)]


def test_year_end_closing_is_a_closed_day_and_the_page_says_so(setagaya, author, head, client):
    event = published(author, head, first_date=dt.date(2026, 12, 22), repeat="weekly",
                      repeat_count=3, title="体操講座（冬）")
    states = list(event.occurrences.values_list("planned", "state", "reason"))
    assert states[1] == (dt.date(2026, 12, 29), Occurrence.State.SKIPPED, "年末年始")
    page = client.get(reverse("events:event", kwargs={"event": event.public_id}))
    text = page.content.decode()
    assert "年末年始のため休み" in text
    assert "令和8年12月22日" in text  # 和暦 where residents read it


def test_the_centre_head_approves_and_the_history_is_append_only(
        setagaya, author, head, client):
    event = services.event_create(by=author, data=event_data())
    assert event.status == Status.DRAFT
    services.event_move(by=author, event=event, step="submit")
    with pytest.raises(services.ParticipationError, match="承認できません"):
        services.event_move(by=author, event=event, step="approve")
    login(client, head)
    response = client.post(reverse("participation:step",
                                   kwargs={"event": event.public_id, "step": "approve"}))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED
    history = list(event.transitions.values_list("from_status", "to_status", "by__username"))
    assert history == [("", "draft", "ikejiri-author"), ("draft", "submitted", "ikejiri-author"),
                       ("submitted", "published", "ikejiri-head")]
    first = Transition.objects.first()
    first.note = "changed"
    with pytest.raises(AppendOnlyError):
        first.save()


def test_district_staff_and_another_districts_head_do_not_approve(setagaya, author,
                                                                  make_staff, client):
    colleague = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-colleague")
    taishido_head = make_staff(Role.CENTRE_HEAD, "setagaya/taishido/machizukuri-center",
                               "taishido-head")
    admin = make_staff(Role.WARD_ADMIN)
    event = services.event_create(by=author, data=event_data())
    services.event_move(by=author, event=event, step="submit")
    for someone in (colleague, taishido_head, admin):
        assert not can(someone, Action.EVENT_APPROVE, event)
        for step in ("approve", "return"):
            with pytest.raises(PermissionDenied):
                services.event_move(by=someone, event=event, step=step)
    login(client, colleague)
    url = reverse("participation:step", kwargs={"event": event.public_id, "step": "approve"})
    assert client.post(url).status_code == 403
    login(client, taishido_head)
    assert client.post(url).status_code == 404  # not an event of their district
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED
    assert event.transitions.count() == 2


def test_the_head_is_district_staff_of_the_centre_too(setagaya, author, head):
    event = services.event_create(by=head, data=event_data(title="所長が書いた講座"))
    assert can(head, Action.EVENT_MANAGE, event)
    services.event_move(by=head, event=event, step="submit")
    with pytest.raises(services.ParticipationError, match="承認できません"):
        services.event_move(by=head, event=event, step="approve")  # four eyes
    assert not can(author, Action.EVENT_APPROVE, event)


def test_a_ward_wide_event_is_approved_by_a_section_manager_not_a_centre_head(
        setagaya, head, make_staff):
    writer = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi")
    manager = make_staff(Role.SECTION_MANAGER, "setagaya/hoken-fukushi")
    event = services.event_create(by=writer, data=event_data(district=None))
    services.event_move(by=writer, event=event, step="submit")
    assert not can(head, Action.EVENT_APPROVE, event)
    assert services.event_move(by=manager, event=event, step="approve").status \
        == Status.PUBLISHED


def test_a_draft_is_not_public(setagaya, author, client):
    event = services.event_create(by=author, data=event_data())
    assert client.get(reverse("events:event", kwargs={"event": event.public_id})).status_code == 404


def test_bad_event_input_is_refused_in_japanese_and_nothing_is_saved(setagaya, author, client):
    login(client, author)
    before = Event.objects.count()
    form = {"kind": event_data()["kind"].pk, "title": "防災塾", "description": "x",
            "first_date": "2027-01-01", "starts_at": "10:00", "ends_at": "09:00",
            "repeat": "none", "repeat_count": "1", "on_closed": "skip", "capacity": "10",
            "fee": "0", "mode": "first_come", "registration_deadline": "2026-12-20T10:00",
            "place": "池尻まちづくりセンター"}
    response = client.post(reverse("participation:create"), form)
    assert response.status_code == 400
    assert "終了時刻は開始時刻より後にしてください" in response.content.decode()
    # 元日 alone, skipped: no session would be held.
    response = client.post(reverse("participation:create"), {**form, "ends_at": "12:00"})
    assert "休館日" in response.content.decode()
    assert Event.objects.count() == before and not Occurrence.objects.exists()


def test_staff_create_an_event_with_the_form(setagaya, author, client):
    login(client, author)
    form = {"kind": event_data()["kind"].pk, "title": "地区情報連絡会", "description": "報告",
            "first_date": "2027-02-03", "starts_at": "18:30", "ends_at": "20:00",
            "repeat": "none", "repeat_count": "1", "on_closed": "skip", "capacity": "40",
            "fee": "0", "mode": "first_come", "registration_deadline": "2027-02-01T17:00",
            "place": "", "online_url": "https://meet.example.jp/room", "hearing_loop": "on"}
    response = client.post(reverse("participation:create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="地区情報連絡会")
    assert event.is_online and not event.is_in_person and event.hearing_loop
    assert event.occurrences.count() == 1
