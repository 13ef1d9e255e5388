"""Open data in the JSON API: the catalogue and each dataset's rows. Public, no login.

Every value is a string, as in the CSV file (codes and phone numbers keep their leading
zeros and hyphens); ``table_schema`` is the file's Frictionless table schema."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from madoguchi.assessment import opendata, selectors

router = Router(tags=["opendata"])


class DatasetOut(Schema):
    dataset: str
    title: str
    title_en: str
    description: str
    filename: str
    licence: str
    licence_url: str
    standard: str
    columns_source: str
    published: bool
    updated_at: str | None
    rows: int
    table_schema: dict


class RowsOut(DatasetOut):
    columns: list[str]
    data: list[dict[str, str]]


def _out(spec, found) -> dict:
    return {
        "dataset": spec.code, "title": str(spec.title), "title_en": spec.title_en,
        "description": str(spec.description), "filename": spec.filename,
        "licence": opendata.LICENCE, "licence_url": opendata.LICENCE_URL,
        "standard": opendata.SOURCE_URL, "columns_source": spec.source,
        "published": found is not None,
        "updated_at": found.updated_at.isoformat() if found else None,
        "rows": found.rows if found else 0, "table_schema": opendata.table_schema(spec),
    }


@router.get("/opendata", response=list[DatasetOut], url_name="opendata_catalogue",
            summary="オープンデータの一覧（自治体標準オープンデータセット）")
def catalogue(request):
    files = selectors.open_data_files()
    return [_out(spec, files.get(spec.code)) for spec in opendata.datasets()]


@router.get("/opendata/{dataset}", response=RowsOut, url_name="opendata_rows",
            summary="データセットの内容（すべて文字列）")
def rows(request, dataset: str):
    spec = opendata.dataset(dataset)
    found = selectors.open_data_file(dataset) if spec else None
    if spec is None or found is None:
        raise HttpError(404, _("そのデータセットはまだ公開されていません。"))
    columns, data = opendata.read_csv(bytes(found.content))
    return {**_out(spec, found), "columns": columns, "data": data}
