"""The applications API in the permission matrix (tests/test_permission_matrix.py).

The endpoints answer only a resident logged in to the portal: no staff role has such a
login, so every role gets 401, like an anonymous caller. What a logged-in resident may do
(their own applications only, the procedure's identity level) is tested in
tests/applications/test_api.py.
"""

from __future__ import annotations

EVERYONE = ("anonymous", "district_staff", "section_staff", "section_manager",
            "partner_staff", "ward_admin", "auditor")
NOT_A_RESIDENT = dict.fromkeys(EVERYONE, 401)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "api:application_create": ("post", NOT_A_RESIDENT),
    "api:application_list": ("get", NOT_A_RESIDENT),
    "api:application_detail": ("get", NOT_A_RESIDENT),
}


def objects(staff) -> dict[str, dict]:
    return {"api:application_detail": {"public_id": "00000000-0000-4000-8000-000000000000"}}
