"""安否確認: a campaign per district in a declared disaster; batches resent never duplicate;
conflicts keep both; each bad item refused in Japanese and not saved."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
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
