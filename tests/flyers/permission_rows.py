"""The flyers' rows of the permission matrix (tests/test_permission_matrix.py): the
district's page and its flyer are public; the list of every district's flyer and the counter
panel's picker (ADR 0057) are for staff. The picker is probed without a district: every
staff member gets the 400 that asks for one."""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "flyers:district": ("get", dict.fromkeys(EVERYONE, 200)),
    "flyers:pdf": ("get", dict.fromkeys(EVERYONE, 200)),
    "flyers:index": ("get", {ANON: 302, **dict.fromkeys(EVERYONE[1:], 200)}),
    "flyers:print": ("get", {ANON: 302, **dict.fromkeys(EVERYONE[1:], 400)}),
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.counter.catalogue import load_defaults

    load_defaults()
    at = {"region": "setagaya", "district": "ikejiri"}
    return {"flyers:district": at, "flyers:pdf": {**at, "paper": "a5"}}
