"""Open data (issue 14 item 7): the files read back with the standard's column lists, text
stays text, the scheduled task publishes them, the catalogue and the JSON API list them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.assessment import opendata
from madoguchi.assessment.models import OpenDataFile
from madoguchi.assessment.services import open_data_publish
from madoguchi.assessment.tasks import publish_open_data, schedule_publish
from madoguchi.organisation.models import District, DistrictCentre

# The column lists of the 推奨データセット (the 自治体標準オープンデータセット's predecessor,
# the lists that could be confirmed: ADR 0051), written out here independently of the code
# under test. Source: NEC-FIWARE/smart-data-models cio/12_公共施設一覧 and
# cio/11_地域・年齢別人口 (datamodels.md).
STANDARD_PUBLIC_FACILITY = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ",
    "名称_通称", "POIコード", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "法人番号",
    "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "説明",
    "バリアフリー情報", "URL", "備考"]
STANDARD_AREA_POPULATION = [
    "都道府県コード又は市区町村コード", "地域コード", "都道府県名", "市区町村名", "調査年月日",
    "地域名", "総人口", "男性", "女性",
    "0-4歳の男性", "0-4歳の女性", "5-9歳の男性", "5-9歳の女性", "10-14歳の男性",
    "10-14歳の女性", "15-19歳の男性", "15-19歳の女性", "20-24歳の男性", "20-24歳の女性",
    "25-29歳の男性", "25-29歳の女性", "30-34歳の男性", "30-34歳の女性", "35-39歳の男性",
    "35-39歳の女性", "40-44歳の男性", "40-44歳の女性", "45-49歳の男性", "45-49歳の女性",
    "50-54歳の男性", "50-54歳の女性", "55-59歳の男性", "55-59歳の女性", "60-64歳の男性",
    "60-64歳の女性", "65-69歳の男性", "65-69歳の女性", "70-74歳の男性", "70-74歳の女性",
    "75-79歳の男性", "75-79歳の女性", "80-84歳の男性", "80-84歳の女性", "85歳以上の男性",
    "85歳以上の女性", "世帯数", "備考"]


def read_back(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Read a file as a consumer would: utf-8-sig, the csv module, every value a string."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def published(setagaya):
    centre = DistrictCentre.objects.select_related("district").get(district__code="ikejiri")
    centre.phone = "03-3411-0001"
    centre.save(update_fields=["phone"])
    open_data_publish()
    return {found.dataset: found for found in OpenDataFile.objects.all()}


def test_public_facilities_read_back_with_the_standard_columns(published):
    content = bytes(published["public_facility"].content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert b"\r\n" in content and b"\n" not in content.replace(b"\r\n", b"")  # CRLF only
    header, rows = read_back(content)
    assert header == STANDARD_PUBLIC_FACILITY and len(header) == 24
    assert len(rows) >= DistrictCentre.objects.count() == 28
    assert {row["都道府県コード又は市区町村コード"] for row in rows} == {"131121"}
    assert {(row["都道府県名"], row["市区町村名"]) for row in rows} == {("東京都", "世田谷区")}
    ikejiri = next(row for row in rows if row["名称"].startswith("池尻"))
    assert ikejiri["電話番号"] == "03-3411-0001"  # leading zero and hyphens kept
    assert ikejiri["名称_カナ"] == "イケジリマチヅクリセンター"
    assert ikejiri["利用可能曜日"] == "月火水木金"
    assert ikejiri["開始時間"] == "08:30"
    assert len({row["NO"] for row in rows}) == len(rows)
    assert published["public_facility"].rows == len(rows)


def test_district_population_reads_back(published):
    header, rows = read_back(bytes(published["area_population"].content))
    assert header == STANDARD_AREA_POPULATION and len(header) == 47
    assert len(rows) == 28
    ikejiri = District.objects.get(code="ikejiri")
    row = next(row for row in rows if row["地域名"] == "池尻地区")
    assert row["総人口"] == str(ikejiri.population)
    # no breakdown by sex or age in the district data: empty, and 備考 says so
    assert row["男性"] == row["0-4歳の女性"] == row["85歳以上の男性"] == ""
    assert "内訳はありません" in row["備考"]
    assert row["世帯数"] == str(ikejiri.households)
    assert row["調査年月日"] == ikejiri.figures_as_of.isoformat()


def test_republishing_the_same_data_keeps_the_update_date(published):
    first = published["public_facility"].updated_at
    open_data_publish()
    again = OpenDataFile.objects.get(dataset="public_facility")
    assert again.updated_at == first and again.published_at > first


def test_files_are_served_with_their_names_and_bytes(client, published):
    response = client.get(reverse("assessment:open_data_file",
                                  args=["131121_public_facility.csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="131121_public_facility.csv"' in response["Content-Disposition"]
    assert response.content == bytes(published["public_facility"].content)
    missing = client.get(reverse("assessment:open_data_file", args=["131121_nothing.csv"]))
    assert missing.status_code == 404


def test_json_api_gives_every_value_as_text(client, published):
    catalogue = client.get(reverse("api:opendata_catalogue")).json()
    assert [item["filename"] for item in catalogue] == [
        "131121_public_facility.csv", "131121_area_population.csv", "131121_event.csv"]
    assert all(item["licence"] == "CC BY 4.0" and item["updated_at"] for item in catalogue)
    assert "cio/12_公共施設一覧" in catalogue[0]["columns_source"]
    fields = {f["name"]: f["type"] for f in catalogue[0]["table_schema"]["fields"]}
    assert fields["都道府県コード又は市区町村コード"] == fields["電話番号"] == "string"
    rows = client.get(reverse("api:opendata_rows", args=["public_facility"])).json()
    assert rows["columns"] == STANDARD_PUBLIC_FACILITY
    assert all(isinstance(v, str) for row in rows["data"] for v in row.values())
    assert rows["data"][0]["都道府県コード又は市区町村コード"] == "131121"
    assert client.get(reverse("api:opendata_rows", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("language", ["ja", "en"])
def test_catalogue_page_lists_licence_date_and_description(client, published, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("assessment:catalogue"), HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    assert page.status_code == 200
    assert "131121_public_facility.csv" in text and "131121_area_population.csv" in text
    assert "CC BY 4.0" in text
    updated = timezone.localtime(published["public_facility"].updated_at)  # the ward's date
    assert updated.strftime("%Y-%m-%d") in text
    if language == "en":
        assert "Public facilities" in text and "Open data" in text
    else:
        assert "公共施設一覧" in text and "オープンデータ" in text


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_task_publishes_and_queues_the_next_run(setagaya):
    assert schedule_publish(at=timezone.now()) is True
    assert schedule_publish(at=timezone.now()) is False  # one is already waiting
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    results = DBTaskResult.objects.filter(task_path=publish_open_data.module_path)
    done = results.get(status="SUCCESSFUL")
    assert "public_facility" in done.return_value
    waiting = results.get(status="READY")  # the next run: tomorrow (or today) at 05:00
    assert timezone.localtime(waiting.run_after).hour == 5
    assert set(OpenDataFile.objects.values_list("dataset", flat=True)) == {
        "public_facility", "area_population", "event"}


def test_a_context_registers_a_dataset_and_it_is_published(setagaya):
    """The seam: a context above the assessment registers a dataset with the standard's
    columns; it is published with the others; a second registration with other columns,
    or a column named twice, is refused; a row with a column outside the list fails."""
    columns = ("都道府県コード又は市区町村コード", "NO", "名称")

    def rows():
        return [{"都道府県コード又は市区町村コード": opendata.LG_CODE, "NO": "1",
                 "名称": "一行目\n二行目"}]

    opendata.register_dataset("sample", columns, rows, title="見本", title_en="Sample",
                              description="見本", description_en="Sample", source="test")
    try:
        with pytest.raises(ImproperlyConfigured):
            opendata.register_dataset("sample", columns[:2], rows, title="見本",
                                      title_en="Sample", description="", description_en="",
                                      source="test")
        with pytest.raises(ImproperlyConfigured):
            opendata.register_dataset("twice", ("NO", "NO"), rows, title="x", title_en="x",
                                      description="", description_en="", source="test")
        with pytest.raises(ValueError, match="outside the standard"):
            opendata.render_csv(opendata.dataset("sample"),
                                [{**opendata.publisher(), "名称": "x"}])  # 都道府県名 is not in it
        open_data_publish()
        header, found = read_back(bytes(OpenDataFile.objects.get(dataset="sample").content))
        assert header == list(columns)
        assert found == [{"都道府県コード又は市区町村コード": "131121", "NO": "1",
                          "名称": "一行目 二行目"}]  # no line break inside a cell
    finally:
        opendata.unregister_dataset("sample")
