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
    # A published assessment: public page, list and PDF for everyone; the staff page for
    # the profile readers; saving it (published: refused with the page, 200) and the next
    # step (submit: the centre is told it is not a draft, 302) for the centre only.
    "assessment:public_list": ("get", dict.fromkeys(EVERYONE, 200)),
    "assessment:public": ("get", dict.fromkeys(EVERYONE, 200)),
    "assessment:public_pdf": ("get", dict.fromkeys(EVERYONE, 200)),
    "assessment:staff": ("get", _table(200, (D, S, M, P, A))),
    "assessment:save": ("post", _table(200, (D,))),
    "assessment:step": ("post", _table(302, (D,))),
}


def objects(staff) -> dict[str, dict]:
    from django.utils import timezone

    from madoguchi.assessment.models import Assessment, Status
    from madoguchi.assessment.services import open_data_publish
    from madoguchi.organisation.models import District

    open_data_publish()
    district = {"region": "setagaya", "district": "ikejiri"}
    Assessment.objects.create(
        district=District.objects.get(code="ikejiri"), fiscal_year=2025,
        status=Status.PUBLISHED, situation="状況", issues="課題", resources="資源",
        actions="取組", created_by=staff[D], updated_at=timezone.now(),
        published_at=timezone.now())
    year = {**district, "year": 2025}
    return {
        "assessment:open_data_file": {"filename": "131121_public_facility.csv"},
        "api:opendata_rows": {"dataset": "public_facility"},
        "assessment:profile": district,
        "assessment:figure_enter": district,
        "assessment:dashboard_export": {"fmt": "csv"},
        "assessment:dashboard_district": district,
        "assessment:public_list": district,
        "assessment:public": year,
        "assessment:public_pdf": year,
        "assessment:staff": year,
        "assessment:save": year,
        "assessment:step": {**year, "step": "submit"},
    }
