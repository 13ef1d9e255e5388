"""Rows of the permission matrix for the booking views and their API."""

from __future__ import annotations

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import Section

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
STAFF = (D, S, M, P, A, U)


def only(roles, ok: int, *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(("anonymous", *STAFF), denied)
    table["anonymous"] = anon
    table.update(dict.fromkeys(roles, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    # District staff go to their own centre's board; 池尻 is the matrix staff's centre.
    "scheduling:board": ("get", only([D], 302)),
    "scheduling:day_board": ("get", only([D], 200)),
    # Section staff and managers go to their section's calendar (保健福祉課 here).
    "scheduling:calendar": ("get", only([S, M], 302)),
    "scheduling:section_calendar": ("get", only([S, M], 200)),
    "scheduling:agenda": ("get", only(STAFF, 200)),
    "api:agenda": ("get", only(STAFF, 200, anon=401)),
    "api:centre_day": ("get", only([D], 200, anon=401)),
    # The stop link of residents' mail (ADR 0054): no account; asks to confirm with a button.
    "notifications:stop": ("get", dict.fromkeys(("anonymous", *STAFF), 200)),
}


# Boards, calendars and agendas name the residents booked: audited (ADR 0022).
RESIDENT_DATA = {"scheduling:day_board", "scheduling:section_calendar",
                 "scheduling:agenda", "api:agenda", "api:centre_day"}


def objects(staff) -> dict[str, dict]:
    hoken = Section.objects.get(code="setagaya/hoken-fukushi")
    return {
        "scheduling:day_board": {"region": "setagaya", "district": "ikejiri"},
        "scheduling:section_calendar": {"pk": hoken.pk},
        "api:centre_day": {"region": "setagaya", "district": "ikejiri"},
        "notifications:stop": {"token": "x"},
    }
