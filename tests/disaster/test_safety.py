"""安否確認: a campaign per district in a declared disaster; batches resent never duplicate;
conflicts keep both; each bad item refused in Japanese and not saved."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.disaster.models import SafetyRecord, Supporter
from madoguchi.disaster.selectors.safety import campaign_progress
from madoguchi.disaster.services import (
    declaration_confirm,
    declaration_request,
    registry_register,
)
from madoguchi.disaster.services.safety import campaign_close, campaign_open, safety_record
from madoguchi.organisation.models import District
from tests.factories import ResidentFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_staff):
    ikejiri = District.objects.get(code="ikejiri")
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    near = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin")
    far = make_staff(Role.PARTNER_STAFF, "kitazawa/matsubara/anshin")
    Supporter.objects.create(name="民生 一子", kind="minsei", district=ikejiri,
                             phone="03-0000-0001", user=near)
    Supporter.objects.create(name="町会 二郎", kind="chokai",
                             district=District.objects.get(code="matsubara"),
                             phone="03-0000-0002", user=far)
    entries = [registry_register(by=centre, resident=ResidentFactory(by=centre,
                                                                     phone="03-1234-5678"),
                                 sex="female", reasons=["elderly_alone"], source="test")
               for _ in range(3)]
    a, b = make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)
    return {"centre": centre, "near": near, "far": far, "entries": entries,
            "admins": (a, b), "ikejiri": ikejiri}


def _declare(world):
    a, b = world["admins"]
    declaration_confirm(by=b, declaration=declaration_request(by=a, region=None,
                                                               reason="地震"))


def _item(entry, status="safe_home", **extra):
    return {"client_id": str(uuid.uuid4()), "entry": entry.pk, "status": status,
            "recorded_at": timezone.now().isoformat(), **extra}


def test_a_campaign_opens_only_in_a_declared_disaster(world):
    with pytest.raises(ValidationError) as caught:
        campaign_open(by=world["centre"], district=world["ikejiri"])
    assert "災害モードの間だけ" in caught.value.messages[0]
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    assert campaign_open(by=world["centre"], district=world["ikejiri"]) == campaign


def test_resent_batches_never_duplicate_and_conflicts_keep_both(world):
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    first, second, third = world["entries"]
    batch = [_item(first), _item(second, "needs_help")]
    saved = safety_record(by=world["near"], campaign=campaign, items=batch)
    assert [r["result"] for r in saved] == ["saved", "saved"], saved
    again = safety_record(by=world["near"], campaign=campaign, items=batch)
    assert [r["result"] for r in again] == ["duplicate", "duplicate"]
    later = _item(first, "evacuated", recorded_at=(timezone.now() + dt.timedelta(
        seconds=30)).isoformat())
    safety_record(by=world["centre"], campaign=campaign, items=[later])
    assert SafetyRecord.objects.count() == 3
    progress = campaign_progress(user=world["centre"], campaign=campaign, source="test")
    assert (progress.total, progress.confirmed, progress.conflicts) == (3, 2, 1)
    assert progress.latest[first.pk].status == "evacuated"
    assert [e.pk for e in progress.not_confirmed] == [third.pk]
    assert AuditEntry.objects.filter(action="list", actor=world["centre"],
                                     resident_ref=str(third.resident.public_id)).exists()
    stored = AuditEntry.objects.filter(record_type="disaster_safety", action="create")
    assert sorted(stored.values_list("resident_ref", flat=True)) == sorted(
        str(e.resident.public_id) for e in (first, second, first))  # one per record
    campaign_close(by=world["centre"], campaign=campaign)
    campaign.refresh_from_db()
    late = safety_record(by=world["near"], campaign=campaign, items=batch)
    assert [r["result"] for r in late] == ["duplicate", "duplicate"]  # not "refused"


def test_each_bad_item_is_refused_in_japanese_and_not_saved(world):
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    first = world["entries"][0]
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    items = [
        _item(first, recorded_at=future),
        _item(first, status="partying"),
        {"client_id": "not-a-uuid", "entry": first.pk, "status": "safe_home"},
        {"client_id": str(uuid.uuid4()), "entry": 999999, "status": "safe_home",
         "recorded_at": timezone.now().isoformat()},
    ]
    results = safety_record(by=world["centre"], campaign=campaign, items=items)
    assert [r["message"] for r in results] == [
        "未来の日時の記録は受け付けられません。端末の時計を確かめてください。",
        "安否を一覧から選んでください。",
        "端末の記録IDが正しくありません。",
        "この方はこの安否確認の対象ではありません。",
    ]
    refused = safety_record(by=world["far"], campaign=campaign, items=[_item(first)])
    assert refused[0]["message"] == "この方の安否を記録する担当ではありません。"
    campaign_close(by=world["centre"], campaign=campaign)
    campaign.refresh_from_db()
    closed = safety_record(by=world["centre"], campaign=campaign, items=[_item(first)])
    assert closed[0]["message"] == "この安否確認は終了しています。"
    assert not SafetyRecord.objects.exists()


def test_the_phone_endpoint_takes_json_batches(world):
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    client = login(Client(), world["near"])
    url = reverse("disaster:campaign_records", args=[campaign.pk])
    batch = {"records": [_item(world["entries"][0])]}
    for expected in ("saved", "duplicate"):
        answer = client.post(url, json.dumps(batch), content_type="application/json")
        assert answer.json()["results"][0]["result"] == expected
    bad = client.post(url, "nonsense", content_type="application/json")
    assert bad.status_code == 400 and "JSON" in bad.json()["detail"]
    page = client.get(reverse("disaster:campaign_progress", args=[campaign.pk]))
    assert "確認済み 1人／3人" in page.content.decode()


def test_a_batch_keeps_its_good_items_when_some_are_refused(world):
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    first, second, _third = world["entries"]
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    client = login(Client(), world["near"])
    url = reverse("disaster:campaign_records", args=[campaign.pk])
    batch = [_item(first), _item(second, recorded_at=future), "nonsense",
             _item(second, "needs_help")]
    batch.append(dict(batch[0]))  # the same id twice in one batch
    answer = client.post(url, json.dumps({"records": batch}),
                         content_type="application/json").json()["results"]
    assert [r["result"] for r in answer] == ["saved", "refused", "refused", "saved",
                                             "duplicate"]
    assert answer[1]["message"].startswith("未来の日時")
    assert SafetyRecord.objects.filter(campaign=campaign).count() == 2


def test_the_phone_page_lists_the_assigned_people_audited_and_its_worker(world):
    _declare(world)
    campaign = campaign_open(by=world["centre"], district=world["ikejiri"])
    safety_record(by=world["centre"], campaign=campaign, items=[_item(world["entries"][0])])
    page = login(Client(), world["near"]).get(reverse("disaster:campaign_phone",
                                                      args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for entry in world["entries"]:
        assert entry.resident.full_name in text
    assert "確認済み 1人／3人" in text and "safety-phone.js" in text
    assert AuditEntry.objects.filter(actor=world["near"], action="list",
                                     source="disaster.phone").count() == 3
    # A supporter of another district has nobody here.
    far = login(Client(), world["far"]).get(reverse("disaster:campaign_phone",
                                                    args=[campaign.pk]))
    assert far.status_code == 404
    worker = Client().get(reverse("disaster:phone_worker"))
    assert worker["Content-Type"].startswith("text/javascript")
    assert b"cache.matchAll" in worker.content and b"/static/" in worker.content


def test_a_drill_runs_on_made_up_people_and_leaves_nothing_when_it_ends(world):
    from madoguchi.disaster.models import DrillPerson
    from madoguchi.disaster.selectors.registry import registry_list
    from madoguchi.disaster.services.safety import drill_end, drill_start

    drill = drill_start(by=world["centre"], district=world["ikejiri"], people=5)
    assert drill.drill and drill.declaration is None  # no disaster needed to practise
    with pytest.raises(ValidationError, match="すでに訓練を実施中"):
        drill_start(by=world["centre"], district=world["ikejiri"], people=5)
    with pytest.raises(ValidationError, match="1人から200人"):
        drill_start(by=world["centre"], district=world["ikejiri"], people=0)
    people = list(DrillPerson.objects.filter(campaign=drill))
    assert len(people) == 5 and all("架空" in p.name for p in people)
    # The same phone endpoint and progress page; the supporter of the district practises.
    items = [{"client_id": str(uuid.uuid4()), "entry": p.pk, "status": "safe_home",
              "recorded_at": timezone.now().isoformat()} for p in people[:3]]
    items.append({**items[0], "client_id": str(uuid.uuid4()), "entry": 999999})
    results = safety_record(by=world["near"], campaign=drill, items=items)
    assert [r["result"] for r in results] == ["saved"] * 3 + ["refused"]
    assert results[3]["message"] == "この方はこの安否確認の対象ではありません。"
    refused = safety_record(by=world["far"], campaign=drill, items=[
        {**items[0], "client_id": str(uuid.uuid4())}])
    assert refused[0]["message"] == "この方の安否を記録する担当ではありません。"
    progress = campaign_progress(user=world["centre"], campaign=drill, source="test")
    assert (progress.total, progress.confirmed, len(progress.not_confirmed)) == (5, 3, 2)
    # Never in the registry's real lists.
    listed = registry_list(user=world["centre"], source="test")
    assert {e.pk for e in listed} == {e.pk for e in world["entries"]}
    with pytest.raises(PermissionDenied):
        drill_end(by=world["near"], campaign=drill)
    ended = drill_end(by=world["centre"], campaign=drill)
    assert ended.closed_at is not None
    assert ended.drill_summary == {"people": 5, "confirmed": 3, "records": 3,
                                   "by_status": {"safe_home": 3}}
    assert not DrillPerson.objects.exists()
    assert not SafetyRecord.objects.filter(campaign=drill).exists()
    # A new drill may start once the last one ended; a real campaign is not "ended" so.
    drill_start(by=world["centre"], district=world["ikejiri"], people=2)
    _declare(world)
    real = campaign_open(by=world["centre"], district=world["ikejiri"])
    with pytest.raises(ValidationError, match="訓練ではない"):
        drill_end(by=world["centre"], campaign=real)


def test_the_campaigns_page_starts_and_ends_a_drill(world):
    client = login(Client(), world["centre"])
    url = reverse("disaster:campaigns")
    answer = client.post(reverse("disaster:drill_start"),
                         {"district": world["ikejiri"].pk, "people": "4"}, follow=True)
    assert "訓練を開始しました" in answer.content.decode()
    from madoguchi.disaster.models import Campaign

    drill = Campaign.objects.get(drill=True)
    page = client.get(url).content.decode()
    assert reverse("disaster:campaign_phone", args=[drill.pk]) in page
    bad = client.post(reverse("disaster:drill_start"),
                      {"district": world["ikejiri"].pk, "people": "many"}, follow=True)
    assert "1人から200人" in bad.content.decode()
    no_disaster = client.post(reverse("disaster:campaign_open"),
                              {"district": world["ikejiri"].pk}, follow=True)
    assert "災害モードの間だけ" in no_disaster.content.decode()
    ended = client.post(reverse("disaster:drill_end", args=[drill.pk]), follow=True)
    assert "訓練を終了しました" in ended.content.decode()
