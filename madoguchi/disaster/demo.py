"""A demo set of shelters for ``make run`` and the demo: NOT the ward's list.

The ward publishes its 指定避難所 and 福祉避難所 only as attachments of
https://www.city.setagaya.lg.jp/mokuji/kusei/010/005/001/d00128020.html (広域避難場所、避難所等
一覧); their rows could not be read here, so no real name or address is loaded. Every row
below is labelled デモ and its address says it is not a real one; load the ward's list with
its source before use. What was searched and found for that list: docs/data-sources.md.
"""

from __future__ import annotations

from django.db import transaction

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
