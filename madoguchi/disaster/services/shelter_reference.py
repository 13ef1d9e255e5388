"""Loading the ward's 指定避難所 from the GSI list (``data/shelters_131121.csv``, sources in
``data/SOURCES.md``): all rows checked first, then one transaction; upserted by the GSI id.

Reference fields (name, address, coordinates, source) follow the file. The live state
(status, occupancy, needs) and the facilities staff record are never touched. A district
or capacity is taken from the file only when the file has one and staff have not set that
field on the shelter themselves (a ``ShelterLog`` edit entry); a blank in the file keeps
what is there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from madoguchi.accounts.models import User
from madoguchi.disaster.models import Shelter, ShelterKind, ShelterLog
from madoguchi.organisation.models import District

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "shelters_131121.csv"
DATASET = "国土地理院 指定緊急避難場所・指定避難所データ（世田谷区 131121、指定避難所）"
COLUMNS = ("gsi_id", "name", "address", "lat", "lon", "region", "district",
           "district_source", "capacity", "capacity_source")
# Setagaya with a wide margin: a coordinate outside is a slip (swapped or mistyped).
LAT_RANGE = (Decimal("35.55"), Decimal("35.72"))
LON_RANGE = (Decimal("139.55"), Decimal("139.72"))


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # "gsi_id field": staff's value kept


def read_rows(path: Path | str = DATA_FILE) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(f"{path}: missing columns {', '.join(missing)}")
        return list(reader)


def _coordinate(raw: str, name: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f"{name} {raw!r} is not a number") from None
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} {value} is outside Setagaya ({bounds[0]}–{bounds[1]})")
    return value.quantize(Decimal("0.000001"))


def _check(row: Mapping[str, str], districts: Mapping[tuple[str, str], District],
           seen: set[str]) -> dict[str, object]:
    gsi_id = (row.get("gsi_id") or "").strip()
    if not gsi_id or len(gsi_id) > 20 or not gsi_id.isalnum():
        raise ValueError(f"gsi_id {gsi_id!r} is not a GSI id")
    if gsi_id in seen:
        raise ValueError(f"gsi_id {gsi_id} appears twice")
    seen.add(gsi_id)
    name, address = (row.get("name") or "").strip(), (row.get("address") or "").strip()
    if not name or len(name) > 80 or not address or len(address) > 120:
        raise ValueError("name (1–80 characters) and address (1–120) are required")
    region, code = (row.get("region") or "").strip(), (row.get("district") or "").strip()
    district = None
    if code or region:
        district = districts.get((region, code))
        if district is None:
            raise ValueError(f"unknown district {region}/{code}")
    capacity_raw = (row.get("capacity") or "").strip()
    if capacity_raw and not (capacity_raw.isascii() and capacity_raw.isdigit()):
        raise ValueError(f"capacity {capacity_raw!r} is not a whole number")
    source = f"{DATASET} {gsi_id}"
    if district is not None:
        source += f"; 地区: {(row.get('district_source') or '').strip() or '?'}"
    if capacity_raw:
        source += f"; 収容人数: {(row.get('capacity_source') or '').strip() or '?'}"
    return {"gsi_id": gsi_id, "name": name, "address": address,
            "lat": _coordinate(row.get("lat") or "", "lat", LAT_RANGE),
            "lon": _coordinate(row.get("lon") or "", "lon", LON_RANGE),
            "district": district, "capacity": int(capacity_raw) if capacity_raw else None,
            "source": source[:200]}


def _checked(rows: Iterable[Mapping[str, str]]) -> list[dict[str, object]]:
    districts = {(d.region.code, d.code): d
                 for d in District.objects.select_related("region")}
    seen: set[str] = set()
    clean, errors = [], []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            clean.append(_check(row, districts, seen))
        except ValueError as error:
            errors.append(f"line {line}: {error}")
    if errors:
        raise ValidationError(errors)
    return clean


def _staff_set() -> set[tuple[int, str]]:
    """(shelter, field) pairs staff have set through ``shelter_edit``."""
    found: set[tuple[int, str]] = set()
    for shelter_id, data in ShelterLog.objects.filter(kind=ShelterLog.Kind.EDIT).values_list(
            "shelter_id", "data"):
        found.update((shelter_id, name) for name in (data or {}).get("changed", {}))
    return found


REFERENCE = ("name", "address", "lat", "lon", "source")


def shelters_load_reference(*, rows: Iterable[Mapping[str, str]],
                            by: User | None = None) -> Loaded:
    """Upsert the 指定避難所 of ``rows`` (the CSV's columns) by GSI id; any bad row refuses
    the whole load with every row's error (``ValidationError``). Idempotent. ``by`` is for
    the record only (the command runs without a user)."""
    clean = _checked(rows)
    loaded = Loaded()
    with transaction.atomic():
        # No default ordering here: its outer join to the district cannot be locked (PG).
        locked = Shelter.objects.select_for_update().order_by("pk")
        existing = {s.gsi_id: s for s in locked.filter(
            gsi_id__in=[r["gsi_id"] for r in clean])}
        staff_set = _staff_set()
        for row in clean:
            shelter = existing.get(str(row["gsi_id"]))
            if shelter is None:
                Shelter.objects.create(code=str(row["gsi_id"]).lower(),
                                       kind=ShelterKind.DESIGNATED, **row)
                loaded.created += 1
                continue
            changed = [name for name in REFERENCE if getattr(shelter, name) != row[name]]
            for name, now, new in (
                    ("district", shelter.district_id, getattr(row["district"], "pk", None)),
                    ("capacity", shelter.capacity, row["capacity"])):
                if new is None or now == new:
                    continue
                if (shelter.pk, name) in staff_set:
                    loaded.kept.append(f"{shelter.gsi_id} {name}")
                    continue
                changed.append(name)
            for name in changed:
                setattr(shelter, name, row[name])
            if changed:
                shelter.save(update_fields=changed)
                loaded.updated += 1
            else:
                loaded.unchanged += 1
    return loaded
