"""Open data in the form of the 自治体標準オープンデータセット, and the registry of datasets.

**Column lists.** Each list below is one the author could confirm from a published
definition, whole and in order; none is made up, and a column the ward's data cannot fill
stays empty. The confirmed definitions are those of the 推奨データセット (内閣官房 IT総合戦略室,
2017-), which the Digital Agency renamed 自治体標準オープンデータセット: as transcribed in
NEC-FIWARE/smart-data-models ``cio/06_イベント一覧``, ``cio/11_地域・年齢別人口`` and
``cio/12_公共施設一覧`` (datamodels.md), and matching independent exporters of the same
lists. The Digital Agency's 正式版 renames the common columns (全国地方公共団体コード, ID,
地方公共団体名, 名称_英語, 所在地_連結表記, …); its full lists for these three datasets could
not be confirmed here, so the files keep the confirmed lists (ADR 0051; the searches are in
docs/data-sources.md). Common rules followed: the local-government code with its check
digit (世田谷区: 131121), files named ``<code>_<dataset>.csv``, UTF-8 with a BOM, CRLF line
ends, a header row, no line breaks inside a cell.

**Registry.** The assessment registers the datasets read from the organisation data
(公共施設一覧, 地域・年齢別人口); a context above it registers its own in its
``AppConfig.ready`` with :func:`register_dataset` (participation: イベント一覧), so the
catalogue, the files, the JSON API and the scheduled publishing list every dataset without
importing the context that fills it.

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
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.selectors import centre_directory

LG_CODE = "131121"
PREFECTURE = "東京都"
MUNICIPALITY = "世田谷区"
LG_NAME = PREFECTURE + MUNICIPALITY
BOM = "\ufeff"
WEEKDAYS = "月火水木金土日"
SOURCE_URL = ("https://www.digital.go.jp/resources/open_data/"
              "municipal-standard-data-set-test")
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
# Where each column list below was confirmed (kept with the dataset, shown in the API).
COLUMNS_SOURCE = ("推奨データセット（自治体標準オープンデータセットの前身）の項目定義: "
                  "NEC-FIWARE/smart-data-models cio/{dataset}/datamodels.md")

# The common head of every list: who publishes the data.
COMMON_HEAD = ("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名")

# 公共施設一覧 (24 columns).
PUBLIC_FACILITY_COLUMNS = COMMON_HEAD + (
    "名称", "名称_カナ", "名称_通称", "POIコード", "住所", "方書", "緯度", "経度",
    "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "説明", "バリアフリー情報", "URL", "備考",
)
# 地域・年齢別人口 (47 columns): five-year bands by sex, then 85 and over.
AGE_BANDS = tuple(f"{low}-{low + 4}歳" for low in range(0, 85, 5)) + ("85歳以上",)
AREA_POPULATION_COLUMNS = (
    "都道府県コード又は市区町村コード", "地域コード", "都道府県名", "市区町村名",
    "調査年月日", "地域名", "総人口", "男性", "女性",
    *(f"{band}の{sex}" for band in AGE_BANDS for sex in ("男性", "女性")),
    "世帯数", "備考",
)
# イベント一覧 (32 columns).
EVENT_COLUMNS = COMMON_HEAD + (
    "イベント名", "イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間",
    "終了時間", "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称",
    "連絡先電話番号", "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度",
    "アクセス方法", "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法",
    "URL", "備考",
)
# Numbers that stay numbers in the table schema; every other column is text.
NUMBER_COLUMNS = frozenset({"総人口", "男性", "女性", "世帯数", "緯度", "経度", "料金(基本)",
                            "定員", *(column for column in AREA_POPULATION_COLUMNS
                                      if column.endswith(("歳の男性", "歳の女性",
                                                          "以上の男性", "以上の女性")))})

# 公共施設一覧 POI code of the standard's facility classification for 行政機関 (区役所・
# 支所・出張所等).
POI_GOVERNMENT_OFFICE = "3001"
CLOSED_NOTE = "土曜・日曜・祝日・年末年始（12月29日～1月3日）を除く"

Rows = Callable[[], list[dict[str, str]]]


@dataclass(frozen=True)
class Dataset:
    code: str  # the file name part: 131121_<code>.csv
    title: Any  # lazy gettext
    title_en: str
    description: Any
    description_en: str
    columns: tuple[str, ...]
    rows: Rows
    source: str = ""  # where the column list was confirmed

    @property
    def filename(self) -> str:
        return f"{LG_CODE}_{self.code}.csv"


_datasets: dict[str, Dataset] = {}


def register_dataset(code: str, columns: tuple[str, ...], rows: Rows, *, title, title_en: str,
                     description, description_en: str, source: str) -> Dataset:
    """Publish ``rows()`` (a list of ``{column: text}``) as ``131121_<code>.csv`` with the
    standard's ``columns`` in their order. ``source`` names where the column list was
    confirmed. Registering the same code again with other columns is an error."""
    current = _datasets.get(code)
    if current is not None and (current.columns != tuple(columns) or current.rows is not rows):
        raise ImproperlyConfigured(f"open dataset {code!r} is already registered")
    if len(set(columns)) != len(columns):
        raise ImproperlyConfigured(f"open dataset {code!r}: a column is named twice")
    spec = Dataset(code, title, title_en, description, description_en, tuple(columns), rows,
                   source)
    _datasets[code] = spec
    return spec


def unregister_dataset(code: str) -> None:
    _datasets.pop(code, None)


def datasets() -> list[Dataset]:
    """The registered datasets in the order they were registered (the catalogue's)."""
    return list(_datasets.values())


def dataset(code: str) -> Dataset | None:
    return _datasets.get(code)


def one_line(text: str) -> str:
    """A cell without line breaks (the standard's rule): breaks become spaces."""
    return " ".join(text.split()) if text else ""


def publisher() -> dict[str, str]:
    """The common head's values for the ward (NO is the row's own)."""
    return {"都道府県コード又は市区町村コード": LG_CODE, "都道府県名": PREFECTURE,
            "市区町村名": MUNICIPALITY}


def _weekdays(text: str) -> str:
    return "".join(WEEKDAYS[int(day)] for day in text.split(",") if day.strip().isdigit())


def full_address(address: str) -> str:
    """An address in the ward written in full (東京都世田谷区…)."""
    return address if not address or address.startswith(PREFECTURE) else f"{LG_NAME}{address}"


def public_facilities() -> list[dict[str, str]]:
    """The branch offices (総合支所) and the district centres (まちづくりセンター)."""
    rows = []
    for region in centre_directory():
        if region.address:
            rows.append({
                "NO": f"{LG_CODE}-branch-{region.code}",
                "名称": region.branch_office_name,
                "POIコード": POI_GOVERNMENT_OFFICE,
                "住所": full_address(region.address),
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
            rows.append({
                "NO": f"{LG_CODE}-centre-{region.code}-{district.code}",
                "名称": centre.name,
                "名称_カナ": kana,
                "POIコード": POI_GOVERNMENT_OFFICE,
                "住所": full_address(centre.address),
                "電話番号": centre.phone,
                "利用可能曜日": _weekdays(centre.open_weekdays),
                "開始時間": str(centre.opens_at)[:5],
                "終了時間": str(centre.closes_at)[:5],
                "利用可能日時特記事項": CLOSED_NOTE,
                "説明": f"{district.name}地区のまちづくりセンター（{region.name}地域）",
                "URL": centre.source_url,
            })
    return [{**publisher(), **row} for row in rows]


AREA_POPULATION_NOTE = "区の地区データに男女別・年齢別の内訳はありません"


def area_population() -> list[dict[str, str]]:
    """Population and households per district (地区), from the organisation data (no
    breakdown by sex or age: those columns stay empty and 備考 says so)."""
    rows = []
    for region in centre_directory():
        for district in region.districts.all():
            rows.append({
                **publisher(),
                "調査年月日": district.figures_as_of.isoformat()
                if district.figures_as_of else "",
                "地域コード": f"{region.code}-{district.code}",
                "地域名": f"{district.name}地区",
                "総人口": str(district.population),
                "世帯数": str(district.households),
                "備考": AREA_POPULATION_NOTE,
            })
    return rows


def register_builtin() -> None:
    """The datasets the assessment reads from the organisation data."""
    register_dataset(
        "public_facility", PUBLIC_FACILITY_COLUMNS, public_facilities,
        title=_("公共施設一覧"), title_en="Public facilities",
        description=_("総合支所とまちづくりセンターの名称・所在地・電話番号・開所時間。"),
        description_en="Name, address, phone and opening hours of the branch offices and "
                       "district centres.",
        source=COLUMNS_SOURCE.format(dataset="12_公共施設一覧"))
    register_dataset(
        "area_population", AREA_POPULATION_COLUMNS, area_population,
        title=_("地区別人口"), title_en="Population by district",
        description=_("28地区の人口・世帯数（地域・年齢別人口の様式、男女別・年齢別の内訳なし）。"),
        description_en="Population and households of the 28 districts (the standard's "
                       "layout of population by area and age, without the breakdown by sex "
                       "and age).",
        source=COLUMNS_SOURCE.format(dataset="11_地域・年齢別人口"))


def render_csv(spec: Dataset, rows: list[dict[str, str]]) -> bytes:
    """The file's bytes: BOM, header, rows in the standard's column order, CRLF, no line
    break inside a cell."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(spec.columns)
    for row in rows:
        unknown = set(row) - set(spec.columns)
        if unknown:
            raise ValueError(f"{spec.code}: columns outside the standard: {sorted(unknown)}")
        writer.writerow([one_line(str(row.get(column, "") or "")) for column in spec.columns])
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
