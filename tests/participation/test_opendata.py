"""イベント一覧 in the ward's open data (ADR 0051): participation registers the dataset with
the assessment's registry; the published file reads back with the standard's 32 columns,
one row per session of a published event from today on (a session skipped for a holiday
is left out), values as text, nothing invented for columns the events have no data for."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from madoguchi.assessment import opendata
from madoguchi.assessment.models import OpenDataFile
from madoguchi.assessment.services import open_data_publish
from madoguchi.participation import services
from madoguchi.participation.opendata import rows

from .conftest import event_data, published

pytestmark = pytest.mark.django_db

# The 推奨データセット's イベント一覧 (the list that could be confirmed, ADR 0051), written out
# independently of the code: NEC-FIWARE/smart-data-models cio/06_イベント一覧/datamodels.md.
STANDARD_EVENT = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名",
    "イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間",
    "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号",
    "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法",
    "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考"]


def read_back(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def test_events_are_published_with_the_standard_columns(setagaya, author, head, client):
    # Three Mondays from 2027-01-04; 2027-01-11 is 成人の日: that session is skipped.
    event = published(author, head, first_date=dt.date(2027, 1, 4), repeat="weekly",
                      repeat_count=3, on_closed="skip", fee=300,
                      description="電話のかけ方から\n写真の送り方まで。")
    services.event_create(by=author, data=event_data(title="下書きの講座"))  # not public
    open_data_publish()
    found = OpenDataFile.objects.get(dataset="event")
    content = bytes(found.content)
    assert content.startswith(b"\xef\xbb\xbf") and b"\n" not in content.replace(b"\r\n", b"")
    header, data = read_back(content)
    assert header == STANDARD_EVENT and len(header) == 32
    assert [row["開始日"] for row in data] == ["2027-01-04", "2027-01-18"]
    assert found.rows == 2
    first = data[0]
    assert first["都道府県コード又は市区町村コード"] == "131121"  # text, leading digits kept
    assert (first["都道府県名"], first["市区町村名"]) == ("東京都", "世田谷区")
    assert first["イベント名"] == "はじめてのスマートフォン教室"
    assert (first["開始時間"], first["終了時間"]) == ("10:00", "12:00")
    assert first["開始日時特記事項"] == "全3回の1回目"
    assert first["説明"] == "電話のかけ方から 写真の送り方まで。"  # one line
    assert (first["料金(基本)"], first["定員"]) == ("300", "10")
    assert first["場所名称"] == "池尻まちづくりセンター 2階 会議室"
    assert first["URL"].endswith(f"/events/e/{event.public_id}/")
    assert "手話通訳あり" in first["備考"]
    assert first["参加申込方法"].startswith("先着順")
    # columns the events hold no data for stay empty (nothing guessed)
    assert first["イベント名_カナ"] == first["緯度"] == first["主催者"] == ""
    assert len({row["NO"] for row in data}) == 2
    api = client.get(reverse("api:opendata_rows", args=["event"])).json()
    assert api["columns"] == STANDARD_EVENT and len(api["data"]) == 2
    assert "cio/06_イベント一覧" in api["columns_source"]
    catalogue = client.get(reverse("assessment:catalogue")).content.decode()
    assert "イベント一覧" in catalogue and "131121_event.csv" in catalogue


def test_past_sessions_are_left_out(setagaya, author, head):
    published(author, head, first_date=dt.date(2027, 1, 4), repeat="weekly", repeat_count=3,
              on_closed="skip")
    assert [row["開始日"] for row in rows(today=dt.date(2027, 1, 5))] == ["2027-01-18"]
    assert opendata.dataset("event").columns == tuple(STANDARD_EVENT)
