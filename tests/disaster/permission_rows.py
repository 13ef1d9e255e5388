"""Disaster rows of the permission matrix (tests/test_permission_matrix.py).

The open-shelters page and its JSON feed are public. Shelter staff are the centre staff of
the shelter's district (D, 池尻) and ward administrators (A); the shelter probed is a demo
shelter of 池尻. An empty POST changes nothing: the report form comes back with its error
(the shelter is closed), so the allowed roles get 422.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
OPERATORS = (D, A)


def _table(ok: int, allowed=OPERATORS, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "disaster:open_shelters": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:open_shelters_json": ("get", dict.fromkeys(EVERYONE, 200)),
    "disaster:shelter_list": ("get", _table(200)),
    "disaster:shelter_operate": ("post", _table(422)),
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.disaster.demo import load_demo_shelters
    from madoguchi.organisation.models import District

    shelter = load_demo_shelters(districts=District.objects.filter(code="ikejiri"))[0]
    return {"disaster:shelter_operate": {"code": shelter.code}}
