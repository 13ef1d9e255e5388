"""The residents' booking pages in the permission matrix (tests/test_permission_matrix.py).

Public, or behind a resident's own portal login or manage link, which no staff role has:
staff get exactly what an anonymous visitor gets."""

from __future__ import annotations

from tests.portal.permission_rows import same_for_all

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "selfbook:start": ("get", same_for_all(200)),
    "selfbook:book": ("get", same_for_all(404)),  # no district and topic chosen
    "selfbook:mine": ("get", same_for_all(302)),  # to the portal login
    "selfbook:detail": ("get", same_for_all(302)),  # to the portal login
    "selfbook:manage": ("get", same_for_all(404)),  # not a link that was sent
}


def objects(staff) -> dict[str, dict]:
    return {"selfbook:manage": {"token": "not-a-real-token"}}

# The sections' setting: the routing table's administrators (A) only.
ROWS["selfbook:settings"] = ("get", {**same_for_all(403), "anonymous": 302,
                                     "ward_admin": 200})
