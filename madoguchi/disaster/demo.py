"""A demo set of shelters for the tests and the bench: NOT the ward's list.

``make run`` loads the ward's 95 real 指定避難所 instead (``manage.py load_shelters``, from the
GSI list) and removes the demo shelters an earlier run left (``load_demo_shelters
--remove``), so that demo and real rows never mix on one page. No 福祉避難所 list was
found (docs/data-sources.md), and no demo page needs one. Every row below is labelled デモ
and its address says it is not a real one.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError

from madoguchi.disaster.models import Pets, Shelter, ShelterKind
from madoguchi.organisation.models import District

SOURCE = "デモデータ（架空。区の公表一覧ではありません）"

# (code suffix, name, kind, capacity, step-free, accessible toilet, pets)
_ROWS = [
    ("a", "デモ避難所A（小学校）", ShelterKind.DESIGNATED, 600, True, True, Pets.SEPARATE),
    ("b", "デモ避難所B（中学校）", ShelterKind.DESIGNATED, 800, False, True, Pets.SEPARATE),
    ("w", "デモ福祉避難所W", ShelterKind.WELFARE, 40, True, True, Pets.NO),
]


def load_demo_shelters(*, districts=None) -> list[Shelter]:
    """Two demo designated shelters and one demo welfare shelter per district (idempotent)."""
    made = []
    with transaction.atomic():
        for district in districts or District.objects.all():
            for suffix, name, kind, capacity, step_free, toilet, pets in _ROWS:
                shelter, _ = Shelter.objects.update_or_create(
                    code=f"demo-{district.code}-{suffix}",
                    defaults={"name": f"{name}・{district.name}", "kind": kind,
                              "address": f"（デモ：実在しない住所）{district.name}地区",
                              "district": district, "capacity": capacity,
                              "step_free": step_free, "accessible_toilet": toilet,
                              "pets": pets, "source": SOURCE})
                made.append(shelter)
    return made


def remove_demo_shelters() -> tuple[int, int]:
    """Delete the demo shelters (with their occupancy and log); one that a plan or a safety
    record names is kept (PROTECT). Returns (removed, kept)."""
    removed = kept = 0
    for shelter in Shelter.objects.filter(source=SOURCE, code__startswith="demo-"):
        try:
            with transaction.atomic():
                shelter.delete()
            removed += 1
        except ProtectedError:
            kept += 1
    return removed, kept
