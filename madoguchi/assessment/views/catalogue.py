"""The open-data catalogue and its CSV files (public)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from madoguchi.assessment import opendata, selectors


def catalogue(request):
    files = selectors.open_data_files()
    english = (get_language() or "ja").startswith("en")
    datasets = [{"spec": spec, "file": files.get(spec.code),
                 "title": spec.title_en if english else spec.title,
                 "description": spec.description_en if english else spec.description}
                for spec in opendata.datasets()]
    return render(request, "assessment/catalogue.html", {
        "datasets": datasets, "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL, "source_url": opendata.SOURCE_URL,
        "lg_code": opendata.LG_CODE})


def open_data_csv(request, filename: str):
    code = filename.removeprefix(f"{opendata.LG_CODE}_").removesuffix(".csv")
    spec = opendata.dataset(code)
    found = selectors.open_data_file(code) if spec else None
    if found is None:
        raise Http404(_("そのデータセットはまだ公開されていません。"))
    response = HttpResponse(bytes(found.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}"'
    response["Last-Modified"] = found.updated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
