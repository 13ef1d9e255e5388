"""Searching residents: folded Japanese input, visibility, bounds and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.people import selectors

pytestmark = pytest.mark.django_db


def found(user, query):
    result = selectors.resident_search(user=user, query=query, source="tests")
    return {str(r) for r in result.residents}


@pytest.mark.parametrize("query, expected", [
    ("ﾔﾏﾀﾞ", {"山田　太郎", "山田　花子"}),
    ("やまだ", {"山田　太郎", "山田　花子"}),
    ("ヤマダ タロウ", {"山田　太郎"}),
    ("ヤマダ　タロウ", {"山田　太郎"}),
    ("山田　太郎", {"山田　太郎"}),
    ("山田 花子", {"山田　花子"}),
    ("髙橋", {"髙橋　一郎"}),
    ("高橋", {"髙橋　一郎"}),
    ("たかはし いちろう", {"髙橋　一郎"}),
    ("ｻﾄｳ ﾐｻｷ", {"佐藤　美咲"}),
    ("美咲", {"佐藤　美咲"}),
])
def test_search_folds_width_script_spaces_and_itaiji(residents, ikejiri_staff, query, expected):
    assert found(ikejiri_staff, query) == expected


def test_empty_or_blank_query_finds_nobody_and_audits_nothing(residents, ikejiri_staff):
    before = AuditEntry.objects.count()
    for query in ("", "　", "   "):
        result = selectors.resident_search(user=ikejiri_staff, query=query, source="tests")
        assert result.residents == [] and not result.searched
    assert AuditEntry.objects.count() == before


def test_each_resident_shown_is_audited_as_list_without_personal_data(residents, ikejiri_staff):
    before = AuditEntry.objects.count()
    result = selectors.resident_search(user=ikejiri_staff, query="やまだ", source="people:search")
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert len(entries) == len(result.residents) == 2
    assert {e.resident_ref for e in entries} == {str(r.public_id) for r in result.residents}
    for entry in entries:
        assert entry.action == "list" and entry.record_type == "resident"
        assert entry.actor == ikejiri_staff and entry.actor_role == "district_staff"
        assert entry.source == "people:search" and entry.fields == []


def test_search_is_bounded_and_says_there_are_more(ikejiri_staff, make_resident):
    for day in range(1, 8):
        make_resident(ikejiri_staff, birth_date=f"1960-01-{day:02d}")
    result = selectors.resident_search(user=ikejiri_staff, query="ヤマダ", source="tests",
                                       limit=5)
    assert len(result.residents) == 5 and result.more
    result = selectors.resident_search(user=ikejiri_staff, query="ヤマダ", source="tests")
    assert len(result.residents) == 7 and not result.more


def test_search_page_posts_the_query_so_names_stay_out_of_urls(residents, client_for,
                                                                ikejiri_staff):
    client = client_for(ikejiri_staff)
    page = client.get(reverse("people:search"))
    html = page.content.decode()
    assert 'method="post"' in html and "hx-post=" in html
    response = client.post(reverse("people:search"), {"q": "山田"})
    assert response.status_code == 200
    assert response.wsgi_request.get_full_path() == "/residents/"
    assert response.wsgi_request.META.get("QUERY_STRING", "") == ""
    html = response.content.decode()
    assert "山田　太郎" in html and "昭和23年4月12日" in html
    # Result links carry the public UUID only.
    assert f'href="/residents/{residents["taro"].public_id}/"' in html
    assert "no-store" in response["Cache-Control"]


def test_a_query_in_the_url_is_ignored(residents, client_for, ikejiri_staff):
    before = AuditEntry.objects.count()
    response = client_for(ikejiri_staff).get(reverse("people:search") + "?q=山田")
    assert "山田　太郎" not in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_htmx_request_gets_only_the_results(residents, client_for, ikejiri_staff):
    response = client_for(ikejiri_staff).post(reverse("people:search"), {"q": "ヤマダ"},
                                              HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<caption>" in html and "<html" not in html
    assert 'scope="col"' in html


def test_search_page_query_count_is_bounded(ikejiri_staff, make_resident, client_for,
                                            django_assert_max_num_queries):
    for day in range(1, 21):
        make_resident(ikejiri_staff, birth_date=f"1970-02-{day:02d}")
    client = client_for(ikejiri_staff)
    with django_assert_max_num_queries(12):
        response = client.post(reverse("people:search"), {"q": "ヤマダ"})
    assert response.content.decode().count("<tr>") == 21


def test_roles_without_search_get_403(staff_by_role, client_for):
    for role in ("ward_admin", "auditor"):
        client = client_for(staff_by_role[role])
        assert client.post(reverse("people:search"), {"q": "山田"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.post(reverse("people:search"), {"q": "山田"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query, expected", [
    ("昭和23年4月12日", {"山田　太郎"}),
    ("1951-09-03", {"山田　花子"}),
    ("やまだ S26.9.3", {"山田　花子"}),
    ("ヤマダ 1939-01-20", set()),  # 髙橋's birthday: the name must match too
    ("マダタ", {"山田　太郎"}),  # part of the kana
    ("田太", {"山田　太郎"}),  # part of the kanji
])
def test_search_by_birth_date_and_part_of_a_name(residents, ikejiri_staff, query, expected):
    assert found(ikejiri_staff, query) == expected


def test_a_clerk_sees_their_district_and_the_residents_they_received(
        residents, ikejiri_staff, setagaya):
    """Visibility is the union of its ways (own district; the consultations the clerk
    received), each resident once."""
    from madoguchi.consultations.models import Consultation
    from madoguchi.organisation.models import DistrictCentre

    other = residents["matsubara_yamada"]
    assert found(ikejiri_staff, "ヤマダ") == {"山田　太郎", "山田　花子"}
    centre = DistrictCentre.objects.get(district__code="ikejiri")
    for _ in range(2):
        Consultation.objects.create(resident=other, centre=centre, received_by=ikejiri_staff,
                                    received_at=other.created_at, worry="テスト",
                                    category="elderly")
    Consultation.objects.create(resident=residents["taro"], centre=centre,
                                received_by=ikejiri_staff, received_at=other.created_at,
                                worry="テスト", category="elderly")
    result = selectors.resident_search(user=ikejiri_staff, query="ヤマダ", source="tests")
    assert [str(r) for r in result.residents] == ["山田　次郎", "山田　太郎", "山田　花子"]


def test_trigram_indexes_serve_the_name_search_on_postgresql(db):
    """pg_trgm GIN indexes on the folded keys exist on PostgreSQL (migration 0004), and
    the resident table is scanned without parallel workers (0005); SQLite searches without
    them."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'people_resident'")
            assert "parallel_workers=0" in (cursor.fetchone()[0] or [])
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = "
                           "'people_resident' AND indexdef LIKE '%%gin_trgm_ops%%'")
            expected = {"resident_name_key_trgm", "resident_kana_key_trgm"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = 'people_resident' AND name LIKE '%%trgm%%'")
            expected = set()
        assert {row[0] for row in cursor.fetchall()} == expected
