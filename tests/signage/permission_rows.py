"""Signage rows of the permission matrix (tests/test_permission_matrix.py).

The item probed is a notice of 池尻's centre written by the matrix's district staff (D):
they, 池尻's centre head (H) and the 世田谷 branch office's staff and manager (S, M: 池尻 is
in their region) see it; H, S and M may approve it (an empty decision comes back with its
message: 302), district staff and ward administrators, who write and see any item, do not
(403; ADR 0058). Rows without H expect of the head what they expect of D. The emergency page is for
branch-office managers and ward administrators. The player's pages answer everyone whose
session holds the screen's key (probed first, so every client holds it); the probed item
is no media item (404). Partner staff and auditors have no signage.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
H = "centre_head"
EVERYONE = (ANON, D, S, M, P, A, U)
WRITERS = (D, S, M, A)


def _table(ok: int, allowed=WRITERS) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, 403)
    table[ANON] = 302
    table.update(dict.fromkeys(allowed, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "signage:player_key": ("get", dict.fromkeys(EVERYONE, 302)),  # to the player's page
    "signage:player": ("get", dict.fromkeys(EVERYONE, 200)),
    "signage:worker": ("get", dict.fromkeys(EVERYONE, 200)),
    "signage:schedule": ("get", dict.fromkeys(EVERYONE, 200)),
    "signage:heartbeat": ("post", dict.fromkeys(EVERYONE, 400)),  # no JSON body
    "signage:media": ("get", dict.fromkeys(EVERYONE, 404)),
    "signage:items": ("get", _table(200)),
    "signage:item_create": ("post", _table(400)),  # the form with its errors
    "signage:item": ("get", _table(200)),
    "signage:item_decide": ("post", _table(302, (H, S, M))),
    "signage:item_withdraw": ("post", _table(302)),  # not confirmed: back with the message
    "signage:screens": ("get", _table(200)),
    "signage:plays": ("get", _table(200)),
    "signage:emergency": ("get", _table(200, (M, A))),
}


def objects(staff) -> dict[str, dict]:
    import datetime as dt

    from django.utils import timezone

    from madoguchi.organisation.models import DistrictCentre
    from madoguchi.signage import services
    from madoguchi.signage.models import Screen

    centre = DistrictCentre.objects.get(district__code="ikejiri")
    screen = Screen.objects.create(centre=centre, name="Entrance")  # typed by people
    key = services.screen_key_issue(by=staff[D], screen=screen)
    now = timezone.now()
    item = services.item_create(by=staff[D], data=services.ItemInput(
        kind="notice", title="Notice", body="Text", starts_at=now,
        ends_at=now + dt.timedelta(days=1), centres=[centre]))
    at = {"item": item.public_id}
    return {"signage:player_key": {"key": key}, "signage:media": at, "signage:item": at,
            "signage:item_decide": at, "signage:item_withdraw": at}
