"""Community rows of the permission matrix (tests/test_permission_matrix.py).

The rooms and equipment pages, the group application and the representatives' login are
public (no account). Centre staff (D, 池尻) and ward administrators (A) lend at the
counter and approve groups; centre staff, the approving unit's staff (S, M) and ward
administrators book rooms and record exceptions. Partner staff and auditors do neither.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.community.models import (
    Circular,
    Group,
    GroupKind,
    GroupStatus,
    LotteryRun,
    Room,
)
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
    # A room's usage (its approving unit's and district centre's staff) and the records of
    # cancellations and no-shows.
    "community:room_usage": ("get", _table(200, (D, S, M, A))),
    "community:room_usage_csv": ("get", _table(200, (D, S, M, A))),
    "community:booking_records": ("get", _table(200, (D, S, M, A))),
    "community:approvals": ("get", _table(200, (D, S, M, A))),
    # The groups' public profiles (none agreed: the profile is 404); the consent needs the
    # representative's login.
    "community:group_profiles": ("get", dict.fromkeys(EVERYONE, 200)),
    "community:group_profile": ("get", dict.fromkeys(EVERYONE, 404)),
    "community:profile_consent": ("post", dict.fromkeys(EVERYONE, 302)),
    "community:groups": ("get", _table(200, (D, A))),
    "community:group_decide": ("post", _table(302, (D, A))),
    "community:lottery": ("post", _table(200, (A,))),  # the form comes back with errors
    "community:lottery_annul": ("post", _table(302, (A,))),  # no reason: refused, back
    # Circulars: the group's pages need the representative's login (else to the login
    # page), a household's link is its only key; the centre's pages are its staff's.
    "community:group_circulars": ("get", dict.fromkeys(EVERYONE, 302)),
    "community:household_add": ("post", dict.fromkeys(EVERYONE, 302)),
    "community:group_circular": ("get", dict.fromkeys(EVERYONE, 302)),
    "community:group_circular_pdf": ("get", dict.fromkeys(EVERYONE, 302)),
    "community:circular_read": ("get", dict.fromkeys(EVERYONE, 400)),  # no such link
    "community:circular_file": ("get", dict.fromkeys(EVERYONE, 404)),
    "community:centre_circulars": ("get", _table(200, (D, A))),
    "community:centre_circular": ("get", _table(200, (D, A))),
    "community:centre_circular_pdf": ("get", _table(200, (D, A))),
    # The JSON API: the same permissions as the pages (401 instead of the login page).
    "api:community_rooms": ("get", dict.fromkeys(EVERYONE, 422)),  # no district given
    "api:community_equipment": ("get", dict.fromkeys(EVERYONE, 422)),
    "api:community_group_requests": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_request_submit": ("post", dict.fromkeys(EVERYONE, 401)),
    "api:community_group_bookings": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_approvals": ("get", _table(200, (D, S, M, A), anon=401)),
    "api:community_approve": ("post", _table(404, (D, S, M, A), anon=401)),  # none waits
    # Circulars in the API: the centre's pages' staff; a group's login; a household's link.
    "api:community_circulars": ("get", _table(200, (D, A), anon=401)),
    "api:community_circular": ("get", _table(200, (D, A), anon=401)),
    "api:community_circular_receipts": ("get", _table(200, (D, A), anon=401)),
    "api:community_circular_paper": ("post", _table(404, (D, A), anon=401)),  # no household
    "api:community_group_circulars": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_group_circular": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_group_circular_receipts": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_group_circular_paper": ("post", dict.fromkeys(EVERYONE, 401)),
    "api:community_household_circulars": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_household_circular": ("get", dict.fromkeys(EVERYONE, 401)),
    "api:community_household_read": ("post", dict.fromkeys(EVERYONE, 401)),
}


def objects(staff) -> dict[str, dict]:
    district = District.objects.get(region__code="setagaya", code="ikejiri")
    group = Group.objects.create(name="池尻町会", kind=GroupKind.CHONAIKAI,
                                 centre=DistrictCentre.objects.get(district=district),
                                 members_count=10, activity="防災", status=GroupStatus.PENDING)
    run = LotteryRun.objects.create(month=dt.date(2027, 6, 1), seed="matrix",
                                    inputs_digest="-", requests_count=0,
                                    run_by=staff["ward_admin"])
    circular = Circular.objects.create(district=district, audience="district",
                                       title="地区の清掃", body="日曜の朝に清掃をします。",
                                       sent_by=staff["ward_admin"])
    read = {"token": "not-a-token"}
    # The approving unit: the section staff and managers of the matrix (S, M) act for it.
    room = Room.objects.create(district=district, venue_kind="centre", venue_name="池尻",
                               name="集会室", capacity=10,
                               approving_unit=staff["section_staff"].memberships.first().unit)
    return {"community:group_login": {"token": "not-a-token"},
            "community:circular_read": read,
            "api:community_approve": {"public_id": circular.public_id},
            **{name: {"public_id": circular.public_id} for name in (
                "api:community_circular", "api:community_circular_receipts",
                "api:community_group_circular", "api:community_group_circular_receipts",
                "api:community_household_circular", "api:community_household_read")},
            **{name: {"public_id": circular.public_id, "household_id": circular.public_id}
               for name in ("api:community_circular_paper",
                            "api:community_group_circular_paper")},
            "community:circular_file": {**read, "file_id": circular.public_id},
            **{name: {"circular_id": circular.public_id} for name in (
                "community:group_circular", "community:group_circular_pdf",
                "community:centre_circular", "community:centre_circular_pdf")},
            "community:group_decide": {"group_id": group.public_id},
            "community:group_profile": {"group_id": group.public_id},
            **{name: {"room_id": room.pk} for name in ("community:room_usage",
                                                       "community:room_usage_csv")},
            "community:lottery_annul": {"run_id": run.pk}}
