"""Open data in the form of the Digital Agency's 自治体標準オープンデータセット.

Source of the column lists: デジタル庁「自治体標準オープンデータセット（正式版）」の
データ項目定義書 (https://www.digital.go.jp/resources/open_data/municipal-standard-data-set-test),
datasets 公共施設一覧 and 地域・年齢別人口. The column names and their order below are the
standard's; a column the ward's data cannot fill stays empty (the standard allows empty
optional items). Common rules of the standard followed here: 全国地方公共団体コード is the
6-digit code with its check digit (世田谷区: 131121), files are named
``<code>_<dataset>.csv``, UTF-8 with a BOM, CRLF line ends, a header row.

地域・年齢別人口: the district data holds population and households per district, without
ages or sex; the file carries the standard's identifying columns and 総数, and the ward's
世帯数 after them (ADR 0038 says why it is not a full 地域・年齢別人口).

Every value is written as text: codes (131121), phone numbers (03-…) and times stay as
they are; the JSON description of each file (a Frictionless table schema) declares them
``string`` so that portals that guess types (CKAN's DataStore) do not turn them into numbers
or dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jaconv
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.selectors import centre_directory

LG_CODE = "131121"
LG_NAME = "東京都世田谷区"
BOM = "\ufeff"
WEEKDAYS = "月火水木金土日"
SOURCE_URL = ("https://www.digital.go.jp/resources/open_data/"
              "municipal-standard-data-set-test")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"

PUBLIC_FACILITY_COLUMNS = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字",
    "POIコード", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "法人番号",
    "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "説明",
    "バリアフリー情報", "URL", "備考",
)
AREA_POPULATION_COLUMNS = (
    "全国地方公共団体コード", "地方公共団体名", "調査年月日", "地域コード", "地域名",
    "総数", "世帯数",
)
# Numbers that stay numbers in the table schema; every other column is text.
NUMBER_COLUMNS = frozenset({"総数", "世帯数", "緯度", "経度"})

# 公共施設一覧 POI code of the standard's facility classification for 行政機関 (区役所・
# 支所・出張所等).
POI_GOVERNMENT_OFFICE = "3001"
CLOSED_NOTE = "土曜・日曜・祝日・年末年始（12月29日～1月3日）を除く"


@dataclass(frozen=True)
class Dataset:
    code: str  # the file name part: 131121_<code>.csv
    title: Any  # lazy gettext
    title_en: str
    description: Any
    description_en: str
    columns: tuple[str, ...]
    rows: Callable[[], list[dict[str, str]]]

    @property
    def filename(self) -> str:
        return f"{LG_CODE}_{self.code}.csv"


def _weekdays(text: str) -> str:
    return "".join(WEEKDAYS[int(day)] for day in text.split(",") if day.strip().isdigit())


def public_facilities() -> list[dict[str, str]]:
    """The branch offices (総合支所) and the district centres (まちづくりセンター)."""
    rows = []
    for region in centre_directory():
        if region.address:
            rows.append({
                "ID": f"{LG_CODE}-branch-{region.code}",
                "名称": region.branch_office_name,
                "名称_英字": region.branch_office_name_en,
                "POIコード": POI_GOVERNMENT_OFFICE,
                "住所": f"{LG_NAME}{region.address}" if not region.address.startswith("東京都")
                else region.address,
                "電話番号": region.phone,
                "利用可能曜日": "月火水木金",
                "開始時間": "08:30", "終了時間": "17:15",
                "利用可能日時特記事項": CLOSED_NOTE,
                "URL": region.source_url,
            })
        for district in region.districts.all():
            centre = getattr(district, "centre", None)
            if centre is None:
                continue
            kana = jaconv.hira2kata(district.name_kana) + "マチヅクリセンター" \
                if district.name_kana else ""
            address = centre.address
            if address and not address.startswith("東京都"):
                address = f"{LG_NAME}{address}"
            rows.append({
                "ID": f"{LG_CODE}-centre-{region.code}-{district.code}",
                "名称": centre.name,
                "名称_カナ": kana,
                "名称_英字": centre.name_en,
                "POIコード": POI_GOVERNMENT_OFFICE,
                "住所": address,
                "電話番号": centre.phone,
                "利用可能曜日": _weekdays(centre.open_weekdays),
                "開始時間": str(centre.opens_at)[:5],
                "終了時間": str(centre.closes_at)[:5],
                "利用可能日時特記事項": CLOSED_NOTE,
                "説明": f"{district.name}地区のまちづくりセンター（{region.name}地域）",
                "URL": centre.source_url,
            })
    return [{"全国地方公共団体コード": LG_CODE, "地方公共団体名": LG_NAME, **row}
            for row in rows]


def area_population() -> list[dict[str, str]]:
    """Population and households per district (地区), from the organisation data."""
    rows = []
    for region in centre_directory():
        for district in region.districts.all():
            rows.append({
                "全国地方公共団体コード": LG_CODE, "地方公共団体名": LG_NAME,
                "調査年月日": district.figures_as_of.isoformat()
                if district.figures_as_of else "",
                "地域コード": f"{region.code}-{district.code}",
                "地域名": f"{district.name}地区",
                "総数": str(district.population),
                "世帯数": str(district.households),
            })
    return rows


DATASETS: tuple[Dataset, ...] = (
    Dataset("public_facility", _("公共施設一覧"), "Public facilities",
            _("総合支所とまちづくりセンターの名称・所在地・電話番号・開所時間。"),
            "Name, address, phone and opening hours of the branch offices and district "
            "centres.", PUBLIC_FACILITY_COLUMNS, public_facilities),
    Dataset("area_population", _("地区別人口"), "Population by district",
            _("28地区の人口・世帯数（地域・年齢別人口の様式、年齢別の内訳なし）。"),
            "Population and households of the 28 districts (the standard's layout of "
            "population by area and age, without the breakdown by age).", AREA_POPULATION_COLUMNS,
            area_population),
)


def dataset(code: str) -> Dataset | None:
    return next((found for found in DATASETS if found.code == code), None)


def render_csv(spec: Dataset, rows: list[dict[str, str]]) -> bytes:
    """The file's bytes: BOM, header, rows in the standard's column order, CRLF."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(spec.columns)
    for row in rows:
        unknown = set(row) - set(spec.columns)
        if unknown:
            raise ValueError(f"{spec.code}: columns outside the standard: {sorted(unknown)}")
        writer.writerow([str(row.get(column, "") or "") for column in spec.columns])
    return buffer.getvalue().encode("utf-8")


def read_csv(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Read a published file back (header, rows as text)."""
    text = content.decode("utf-8")
    if text.startswith(BOM):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [dict(zip(header, values, strict=True)) for values in reader]


def table_schema(spec: Dataset) -> dict:
    """A Frictionless table schema of the file: codes and phones are strings."""
    return {"fields": [{"name": column,
                        "type": "number" if column in NUMBER_COLUMNS else "string"}
                       for column in spec.columns]}
