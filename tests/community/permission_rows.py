"""Community rows of the permission matrix (tests/test_permission_matrix.py).

The rooms and equipment pages, the group application and the representatives' login are
public (no account). Centre staff (D, 池尻) and ward administrators (A) lend at the
counter and approve groups; centre staff, the approving unit's staff (S, M) and ward
administrators book rooms and record exceptions. Partner staff and auditors do neither.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.community.models import Group, GroupKind, GroupStatus, LotteryRun
from madoguchi.organisation.models import District, DistrictCentre

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)


def _table(ok: int, allowed, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "community:index": ("get", dict.fromkeys(EVERYONE, 200)),
    "community:rooms": ("get", dict.fromkeys(EVERYONE, 200)),
    "community:equipment": ("get", dict.fromkeys(EVERYONE, 200)),
    "community:group_apply": ("post", dict.fromkeys(EVERYONE, 200)),  # form errors
    "community:group_login_request": ("post", dict.fromkeys(EVERYONE, 200)),
    "community:group_login": ("get", dict.fromkeys(EVERYONE, 400)),  # no such link
    "community:group_portal": ("get", dict.fromkeys(EVERYONE, 302)),  # to the login
    "community:counter": ("get", _table(200, (D, A))),
    "community:loan_return": ("post", _table(200, (D, A))),  # form errors
    "community:remind": ("post", _table(302, (D, A))),
    "community:room_desk": ("get", _table(200, (D, S, M, A))),
    "community:closure_add": ("post", _table(200, (D, S, M, A))),  # form errors
    "community:groups": ("get", _table(200, (D, A))),
    "community:group_decide": ("post", _table(302, (D, A))),
    "community:lottery": ("post", _table(200, (A,))),  # the form comes back with errors
    "community:lottery_annul": ("post", _table(302, (A,))),  # no reason: refused, back
}


def objects(staff) -> dict[str, dict]:
    district = District.objects.get(region__code="setagaya", code="ikejiri")
    group = Group.objects.create(name="池尻町会", kind=GroupKind.CHONAIKAI,
                                 centre=DistrictCentre.objects.get(district=district),
                                 members_count=10, activity="防災", status=GroupStatus.PENDING)
    run = LotteryRun.objects.create(month=dt.date(2027, 6, 1), seed="matrix",
                                    inputs_digest="-", requests_count=0,
                                    run_by=staff["ward_admin"])
    return {"community:group_login": {"token": "not-a-token"},
            "community:group_decide": {"group_id": group.public_id},
            "community:lottery_annul": {"run_id": run.pk}}
