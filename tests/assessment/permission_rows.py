"""Assessment rows of the permission matrix (tests/test_permission_matrix.py).

The open-data catalogue, its files and its JSON API are public. Every staff member but the
auditor reads the district profiles (aggregates); only the district's centre staff (D,
池尻) enter figures. The ward dashboard and its exports are for the head and branch offices'
sections (S, M) and ward administrators (A).
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
OFFICES = (S, M, A)


def _table(ok: int, allowed, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "assessment:catalogue": ("get", dict.fromkeys(EVERYONE, 200)),
    "assessment:open_data_file": ("get", dict.fromkeys(EVERYONE, 200)),
    "api:opendata_catalogue": ("get", dict.fromkeys(EVERYONE, 200)),
    "api:opendata_rows": ("get", dict.fromkeys(EVERYONE, 200)),
    "assessment:profile": ("get", _table(200, (D, S, M, P, A))),
    "assessment:figure_enter": ("post", _table(200, (D,))),  # the form with its errors
    "assessment:dashboard": ("get", _table(200, OFFICES)),
    "assessment:dashboard_export": ("get", _table(200, OFFICES)),
    "assessment:dashboard_district": ("get", _table(200, OFFICES)),
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.assessment.services import open_data_publish

    open_data_publish()
    district = {"region": "setagaya", "district": "ikejiri"}
    return {
        "assessment:open_data_file": {"filename": "131121_public_facility.csv"},
        "api:opendata_rows": {"dataset": "public_facility"},
        "assessment:profile": district,
        "assessment:figure_enter": district,
        "assessment:dashboard_export": {"fmt": "csv"},
        "assessment:dashboard_district": district,
    }
