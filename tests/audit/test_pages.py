"""Auditors list, filter and export the trail; nobody else can; the export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.audit.models import AuditEntry
from tests.people.helpers import login

pytestmark = pytest.mark.django_db

REF_A = "0b8c3d0e-1111-4222-8333-444455556666"
REF_B = "9f9f9f9f-1111-4222-8333-444455556666"


@pytest.fixture
def trail(clerk, make_staff):
    other = make_staff("district_staff", "kitazawa/matsubara/machizukuri-center", "clerk-2")
    audit.record_many(actor=clerk, action="list", record_type="resident",
                      records=[(i, REF_A if i % 2 else REF_B) for i in range(60)],
                      source="people:search")
    audit.record(actor=clerk, action="update", record_type="resident", record_id=1,
                 resident_ref=REF_A, source="people:edit", fields=["phone"])
    audit.record(actor=other, action="consent_give", record_type="consent", record_id=7,
                 resident_ref=REF_B, source="api:residents.consent")
    return clerk, other


def test_auditor_lists_entries_paginated_in_wareki(client, auditor, trail):
    login(client, auditor)
    response = client.get(reverse("audit:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == 51  # header + 50 rows
    assert "監査ログ（新しい順）" in html and 'rel="prev"' not in html
    assert "令和" in html and "no-store" in response["Cache-Control"]
    assert 'scope="col"' in html and "<caption>" in html
    first = [entry.pk for entry in response.context["pager"].rows]
    # Keyset pages on (time, id): the 60 entries written at one instant still page right.
    page2 = client.get(reverse("audit:list") + "?" + response.context["pager"].next_query)
    assert page2.content.decode().count("<tr>") == 13
    assert 'rel="next"' not in page2.content.decode()
    second = [entry.pk for entry in page2.context["pager"].rows]
    assert not set(first) & set(second)
    assert first + second == list(AuditEntry.objects.order_by("-at", "-id")
                                  .values_list("pk", flat=True)[:62])
    back = client.get(reverse("audit:list") + "?" + page2.context["pager"].previous_query)
    assert [entry.pk for entry in back.context["pager"].rows] == first
    assert not back.context["pager"].has_previous


def test_audit_page_does_not_count_the_log(client, auditor, trail):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, auditor)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("audit:list"), {"action": "list"})
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


@pytest.mark.parametrize("query, count", [
    ({"actor": "clerk-2"}, 1),
    ({"actor": "clerk-1", "action": "update"}, 1),
    ({"record_type": "consent"}, 1),
    ({"resident_ref": REF_A}, 31),
    ({"resident_ref": REF_A, "action": "list"}, 30),
    ({"date_from": "2000-01-01", "date_to": "2000-12-31"}, 0),
])
def test_auditor_filters(client, auditor, trail, query, count):
    login(client, auditor)
    response = client.get(reverse("audit:list"), query)
    assert len(response.context["pager"].rows) == count


def test_date_range_is_in_local_days(client, auditor, trail):
    login(client, auditor)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("audit:list"), {"date_from": today, "date_to": today})
    assert len(response.context["pager"].rows) == 50 and response.context["pager"].has_next
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.get(reverse("audit:list"), {"date_from": tomorrow})
    assert response.context["pager"].rows == []


def test_bad_filters_show_japanese_errors(client, auditor, trail):
    login(client, auditor)
    html = client.get(reverse("audit:list"), {"resident_ref": "山田",
                                              "date_from": "2026-02-01",
                                              "date_to": "2026-01-01"}).content.decode()
    assert "区民IDは「0b8c3d0e-…」の形式で入力してください。" in html
    assert "終了日は開始日以降の日付にしてください。" in html


def test_list_query_count_is_bounded(client, auditor, trail, django_assert_max_num_queries):
    login(client, auditor)
    with django_assert_max_num_queries(10):
        client.get(reverse("audit:list"))


def test_export_is_utf8_bom_csv_of_the_filtered_list_and_is_audited(client, auditor, trail):
    login(client, auditor)
    response = client.get(reverse("audit:export"), {"resident_ref": REF_A, "action": "list"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "日時" and len(rows) == 31
    assert all(row[8] == REF_A for row in rows[1:]) and rows[1][0].startswith("令和")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor, entry.action, entry.record_type, entry.source) == (
        auditor, "export", "audit", "audit:export")
    assert entry.resident_ref == REF_A and sorted(entry.fields) == ["action", "resident_ref"]


@pytest.mark.parametrize("role", ["district_staff", "section_staff", "section_manager",
                                  "partner_staff", "ward_admin"])
def test_others_get_403(client, staff_by_role, role):
    login(client, staff_by_role[role])
    before = AuditEntry.objects.count()
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert AuditEntry.objects.count() == before


def test_anonymous_goes_to_login(client):
    assert client.get(reverse("audit:list")).status_code == 302


def test_there_is_no_way_to_change_entries(client, auditor, entry):
    login(client, auditor)
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)(reverse("audit:list"))
        assert response.status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).source == "people:detail"
