"""Load a ward's organisation from a data file (``data/setagaya.json`` for Setagaya).

The data file is the ward's default organisation; administrators then edit it on the
``/org/`` pages. Loading is idempotent: rows are found by their codes, missing ones are
created, and existing ones are left as the administrators edited them unless
``overwrite=True`` (then the file's values are written back); only text fields still empty
(such as the English names, newer than some rows) are filled in. Running twice changes
nothing.

Centre booths: each district centre gets one booth, "相談ブース1"; the five online model
centres (池尻, 松原, 用賀, 船橋, 上北沢) get a second one, "相談ブース2", because they run
the model's consultations first. The file's ``centre.booths`` and
``centre.model_centre_booths`` say so. Booths are only added to a centre the loader creates
(or with ``overwrite``), so a booth an administrator renamed is not added back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from madoguchi.organisation.models import (
    Booth,
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
    Tier,
)

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "setagaya.json"


@dataclass
class LoadReport:
    """How many rows of each kind were created, updated or left unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, label: str, outcome: str) -> None:
        self.counts.setdefault(label, Counter())[outcome] += 1


def read_data(path: Path = DEFAULT_DATA) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], *,
            overwrite: bool, report: LoadReport, label: str) -> tuple[Any, bool]:
    """Find by ``lookup``; create with ``values`` or, with ``overwrite``, update changed ones."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        report.add(label, "created")
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not overwrite:  # text left empty (e.g. a field newer than the row) is filled in
        changed = [name for name in changed if getattr(obj, name) == ""]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.add(label, "updated")
    else:
        report.add(label, "unchanged")
    return obj, False


@transaction.atomic
def load_organisation(*, data: dict[str, Any], overwrite: bool = False) -> LoadReport:
    """Create (or with ``overwrite`` restore) the organisation described by ``data``."""
    report = LoadReport()
    as_of = dt.date.fromisoformat(data["figures_as_of"])
    centre_conf = data["centre"]
    hours = {
        "opens_at": dt.time.fromisoformat(centre_conf["opens_at"]),
        "closes_at": dt.time.fromisoformat(centre_conf["closes_at"]),
        "open_weekdays": ",".join(str(d) for d in centre_conf["open_weekdays"]),
    }
    kinds = {}
    for order, spec in enumerate(data["section_kinds"], start=1):
        kinds[spec["code"]], _ = _upsert(
            SectionKind, {"code": spec["code"]},
            {"name": spec["name"], "name_en": spec["name_en"], "tier": spec["tier"],
             "handles": spec["handles"], "handles_en": spec.get("handles_en", ""),
             "sort_order": order},
            overwrite=overwrite, report=report, label="課・機関の種別")

    def section(code: str, spec: dict[str, Any], words: dict[str, str], **place: Any) -> None:
        words = {"kind": spec["name"], "kind_en": spec["name_en"],
                 "head_office": data["head_office"], **words}
        name = spec["section_name"].format(**words)
        office = spec.get("section_office", "").format(name=name, **words)
        _upsert(Section, {"code": code},
                {"kind": kinds[spec["code"]], "name": name, "office": office,
                 "name_en": spec.get("section_name_en", "").format(**words),
                 "region": place.get("region"), "district": place.get("district")},
                overwrite=overwrite, report=report, label="課・機関")

    by_tier: dict[str, list[dict[str, Any]]] = {}
    for spec in data["section_kinds"]:
        by_tier.setdefault(spec["tier"], []).append(spec)

    for spec in by_tier.get(Tier.HEAD, []) + by_tier.get(Tier.SPECIALIST, []):
        section(spec["code"], spec, {})

    for r_order, r_spec in enumerate(data["regions"], start=1):
        region, _ = _upsert(
            Region, {"code": r_spec["code"]},
            {"name": r_spec["name"], "name_en": r_spec["name_en"],
             "branch_office_name": r_spec["branch_office_name"],
             "branch_office_name_en": r_spec.get("branch_office_name_en", ""),
             "sort_order": r_order,
             **{k: r_spec[k] for k in ("address", "phone", "source_url") if k in r_spec}},
            overwrite=overwrite, report=report, label="地域")
        words = {"branch_office": region.branch_office_name, "region": region.name,
                 "branch_office_en": region.branch_office_name_en, "region_en": region.name_en}
        for spec in by_tier.get(Tier.BRANCH, []):
            section(f"{region.code}/{spec['code']}", spec, words, region=region)
        for d_order, d_spec in enumerate(r_spec["districts"], start=1):
            district = _load_district(region, d_spec, d_order, as_of, hours, centre_conf,
                                      overwrite=overwrite, report=report)
            d_words = {**words, "district": district.name, "centre": district.centre.name,
                       "district_en": district.name_en, "centre_en": district.centre.name_en}
            for spec in by_tier.get(Tier.DISTRICT, []) + by_tier.get(Tier.PARTNER, []):
                section(f"{region.code}/{district.code}/{spec['code']}", spec, d_words,
                        region=region, district=district)
    return report


def _load_district(region: Region, spec: dict[str, Any], order: int, as_of: dt.date,
                   hours: dict[str, Any], centre_conf: dict[str, Any], *, overwrite: bool,
                   report: LoadReport) -> District:
    district, _ = _upsert(
        District, {"region": region, "code": spec["code"]},
        {"name": spec["name"], "name_kana": spec.get("name_kana", ""),
         "name_en": spec.get("name_en", ""), "households": spec["households"],
         "population": spec["population"], "area_km2": Decimal(spec["area_km2"]),
         "figures_as_of": as_of, "sort_order": order},
        overwrite=overwrite, report=report, label="地区")
    model_centre = bool(spec.get("online_model_centre"))
    centre, created = _upsert(
        DistrictCentre, {"district": district},
        {"name": spec.get("centre_name", f"{district.name}まちづくりセンター"),
         "name_en": spec.get("centre_name_en", f"{district.name_en} District Centre"
                             if district.name_en else ""),
         "online_model_centre": model_centre,
         **{k: spec[k] for k in ("postal_code", "address", "phone", "source_url")
            if k in spec},
         **hours},
        overwrite=overwrite, report=report, label="まちづくりセンター")
    district.centre = centre
    if created or overwrite:
        names = centre_conf["model_centre_booths" if model_centre else "booths"]
        for name in names:
            english = centre_conf.get("booth_names_en", {}).get(name, "")
            _upsert(Booth, {"centre": centre, "name": name}, {"name_en": english},
                    overwrite=overwrite, report=report, label="相談ブース")
    return district
