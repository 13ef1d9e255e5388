"""The four-party meeting: recurring schedule, agenda, minutes, action items, approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from madoguchi.collaboration import selectors, services
from madoguchi.collaboration.models import (
    ActionItem,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    SocialResource,
    Status,
)
from madoguchi.core.dates import is_open_day
from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import District
from tests.collaboration.conftest import IKEJIRI, meeting_in, unit
from tests.helpers import login

pytestmark = pytest.mark.django_db


def ikejiri():
    return District.objects.get(code="ikejiri")


def test_a_monthly_schedule_moves_meetings_off_closed_days(four):
    CalendarException.objects.create(date=dt.date(2027, 3, 3), kind="closed", reason="庁舎点検")
    series = services.series_create(
        district=ikejiri(), rule="FREQ=MONTHLY;BYMONTHDAY=3", starts_on=dt.date(2027, 1, 1),
        at=dt.time(14, 0), mode="hybrid", place="会議室", video_link="https://meet.example.jp/x",
        by=four["centre"], count=6)
    days = [timezone.localtime(m.starts_at).date() for m in series.meetings.order_by("starts_at")]
    # 1/3 is 年末年始 → 1/4; 2/3 (Wed) stays; 3/3 closed by the ward → 3/4; 4/3 (Sat) → 4/5;
    # 5/3 憲法記念日 (and 5/4, 5/5 holidays) → 5/6; 6/3 (Thu) stays.
    assert days == [dt.date(2027, 1, 4), dt.date(2027, 2, 3), dt.date(2027, 3, 4),
                    dt.date(2027, 4, 5), dt.date(2027, 5, 6), dt.date(2027, 6, 3)]
    assert all(is_open_day(day) for day in days)
    assert {m.mode for m in series.meetings.all()} == {"hybrid"}


def test_a_second_wednesday_rule_from_the_page(four, client):
    login(client, four["centre"])
    response = client.post(reverse("collaboration:meetings"), {
        "pattern": "monthly_second", "weekday": "WE", "starts_on": "2027-04-01",
        "at": "15:00", "mode": "in_person", "place": "会議室"})
    assert response.status_code == 302
    days = [timezone.localtime(m.starts_at) for m in Meeting.objects.order_by("starts_at")]
    assert len(days) == 12 and days[0].date() == dt.date(2027, 4, 14)
    assert all(d.weekday() == 2 or not is_open_day(d.date() - dt.timedelta(days=1))
               for d in days)


@pytest.mark.parametrize(("mode", "link", "place", "field"), [
    ("online", "", "", "video_link"), ("in_person", "", "", "place"),
    ("hybrid", "https://meet.example.jp/x", "", "place")])
def test_a_schedule_without_its_place_or_link_is_refused(four, mode, link, place, field):
    with pytest.raises(ValidationError) as refused:
        services.series_create(district=ikejiri(), rule="FREQ=MONTHLY;BYDAY=+1MO",
                               starts_on=dt.date(2027, 1, 1), at=dt.time(10), mode=mode,
                               place=place, video_link=link, by=four["centre"])
    assert field in refused.value.message_dict
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_only_the_centre_schedules(four):
    with pytest.raises(PermissionDenied):
        services.series_create(district=ikejiri(), rule="FREQ=MONTHLY;BYDAY=+1MO",
                               starts_on=dt.date(2027, 1, 1), at=dt.time(10), mode="in_person",
                               place="x", by=four["anshin"])


def test_every_shared_record_and_open_action_item_is_on_the_next_agenda(four, make_record):
    marked = [make_record(by=four[p], party=unit(f"{IKEJIRI}/{p}"), share=True,
                          title=f"{p} {n}")
              for p in ("jidokan", "anshin", "shakyo") for n in range(3)]
    marked.append(make_record(by=four["centre"], party=unit(f"{IKEJIRI}/machizukuri-center"),
                              share=True))
    unmarked = make_record()
    finished = make_record(share=True)
    services.record_transition(record=finished, name="resolve", by=four["jidokan"])
    earlier = meeting_in(days=-30, status=MeetingStatus.HELD)
    anshin = unit(f"{IKEJIRI}/anshin")
    open_items = [services.action_create(meeting=earlier, task=f"対応{n}", party=anshin,
                                         person=four["anshin"], by=four["centre"],
                                         due_date=timezone.localdate() + dt.timedelta(days=n))
                  for n in range(1, 4)]
    done = services.action_create(meeting=earlier, task="済み", party=anshin,
                                  person=four["anshin"], by=four["centre"],
                                  due_date=timezone.localdate())
    services.action_done(item=done, by=four["anshin"])
    meeting = meeting_in()
    lines = selectors.agenda(user=four["centre"], meeting=meeting, source="tests")
    on_agenda = {line.view.record.pk for line in lines if line.view}
    assert on_agenda == {r.pk for r in marked}  # 100% of the marked records
    assert unmarked.pk not in on_agenda and finished.pk not in on_agenda
    assert {line.action.pk for line in lines if line.action} == {i.pk for i in open_items}
    # Building again adds nothing twice; holding shares the records.
    assert len(selectors.agenda(user=four["centre"], meeting=meeting, source="t")) == len(lines)
    services.meeting_hold(meeting=meeting, by=four["centre"])
    for record in marked:
        record.refresh_from_db()
        assert record.status == Status.SHARED and record.shared_at_meeting == meeting
    # The next meeting: no record twice, the still open action items again.
    later = meeting_in(days=40)
    lines = selectors.agenda(user=four["anshin"], meeting=later, source="tests")
    assert [line.action.pk for line in lines] == [i.pk for i in open_items]


def test_minutes_second_save_is_refused_with_the_other_changes(four, client):
    meeting = meeting_in()
    first = services.minutes_save(meeting=meeting, text="1. 見守りの件", version=0,
                                  by=four["centre"])
    assert first.minutes_version == 1
    with pytest.raises(services.MinutesConflict) as refused:
        services.minutes_save(meeting=meeting, text="1. 公園の件", version=0, by=four["anshin"])
    assert "centreさんが先に議事録を保存しました" in refused.value.messages[0]
    assert any("見守りの件" in line for line in refused.value.diff)
    meeting.refresh_from_db()
    assert meeting.minutes == "1. 見守りの件"
    # The page answers 409 and shows the other's text.
    login(client, four["shakyo"])
    response = client.post(reverse("collaboration:meeting_minutes", args=[meeting.pk]),
                           {"minutes": "社協の追記", "version": 0})
    assert response.status_code == 409
    page = response.content.decode()
    assert "見守りの件" in page and "保存していません" in page


def test_action_items_need_owner_and_due_date_and_land_in_task_lists(four):
    meeting = meeting_in()
    with pytest.raises(ValidationError) as refused:
        services.action_create(meeting=meeting, task="訪問", party=None, person=None,
                               due_date=None, by=four["centre"])
    assert set(refused.value.message_dict) == {"party", "person", "due_date"}
    with pytest.raises(ValidationError) as refused:
        services.action_create(meeting=meeting, task="訪問", party=unit(f"{IKEJIRI}/anshin"),
                               person=four["jidokan"], by=four["centre"],
                               due_date=timezone.localdate() + dt.timedelta(days=10))
    assert "担当機関の職員" in refused.value.message_dict["person"][0]
    assert not ActionItem.objects.exists()
    item = services.action_create(meeting=meeting, task="訪問", party=unit(f"{IKEJIRI}/anshin"),
                                  person=four["anshin"], by=four["centre"],
                                  due_date=timezone.localdate() + dt.timedelta(days=10))
    assert selectors.task_list(user=four["anshin"]) == [item]
    assert selectors.task_list(user=four["jidokan"]) == []


def test_the_daily_chase_task_requeues_itself(four):
    from django_tasks_db.models import DBTaskResult

    from madoguchi.collaboration import chase

    assert chase.schedule_chase() is True
    assert chase.schedule_chase() is False
    assert DBTaskResult.objects.filter(task_path=chase.chase_overdue_actions.module_path,
                                       status="READY").count() == 1


def test_approved_minutes_are_read_only(four, client):
    meeting = meeting_in()
    services.minutes_save(meeting=meeting, text="議事", version=0, by=four["centre"])
    with pytest.raises(ValidationError) as refused:
        services.minutes_approve(meeting=meeting, by=four["head"])
    assert "開催前" in refused.value.messages[0]
    services.meeting_hold(meeting=meeting, by=four["centre"])
    with pytest.raises(PermissionDenied):
        services.minutes_approve(meeting=meeting, by=four["centre"])  # not the head
    with pytest.raises(PermissionDenied):
        services.minutes_approve(meeting=meeting, by=four["taishido_head"])  # not 池尻's
    login(client, four["centre"])
    assert client.post(reverse("collaboration:meeting_approve", args=[meeting.pk])) \
        .status_code == 403
    approved = services.minutes_approve(meeting=meeting, by=four["head"])
    assert approved.approved_by == four["head"] and approved.approved_at is not None
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(meeting=meeting, text="後から", version=1, by=four["centre"])
    assert "承認したため、変更できません" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.action_create(meeting=meeting, task="x", party=unit(f"{IKEJIRI}/anshin"),
                               person=four["anshin"], by=four["centre"],
                               due_date=timezone.localdate() + dt.timedelta(days=5))
    meeting.refresh_from_db()
    assert meeting.minutes == "議事" and meeting.status == MeetingStatus.APPROVED
    login(client, four["centre"])
    page = client.get(reverse("collaboration:meeting", args=[meeting.pk])).content.decode()
    assert "変更できません" in page and 'name="minutes"' not in page


def test_social_resource_development_is_its_own_record(four, client):
    with pytest.raises(ValidationError) as refused:
        services.resource_create(district=ikejiri(), need="", resource="", partners="",
                                 by=four["shakyo"])
    assert set(refused.value.message_dict) == {"need", "resource", "partners"}
    assert not SocialResource.objects.exists()
    login(client, four["shakyo"])
    response = client.post(reverse("collaboration:resources"), {
        "need": "放課後の居場所", "resource": "児童館の夜間開放", "partners": "児童館・町会"})
    assert response.status_code == 302
    assert SocialResource.objects.get().district == ikejiri()
    assert "児童館の夜間開放" in client.get(reverse("collaboration:resources")).content.decode()
