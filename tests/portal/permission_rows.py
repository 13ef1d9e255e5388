"""The residents' portal in the permission matrix (tests/test_permission_matrix.py).

Every page is public or behind a resident's own login, which no staff role has: staff get
exactly what an anonymous visitor gets. The matrix runs without an OpenID Connect
provider, so the strong login answers that it is not available (503 to start, 400 to a
callback).
"""

from __future__ import annotations

EVERYONE = ("anonymous", "district_staff", "section_staff", "section_manager",
            "partner_staff", "ward_admin", "auditor")


def same_for_all(status: int) -> dict[str, int]:
    return dict.fromkeys(EVERYONE, status)


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "portal:home": ("get", same_for_all(302)),  # to the login choice
    "portal:login": ("get", same_for_all(200)),
    "portal:email_request": ("post", same_for_all(400)),  # no address given
    "portal:email_sent": ("get", same_for_all(200)),
    "portal:email_confirm": ("get", same_for_all(302)),  # no link opened: back to the form
    "portal:email_open": ("get", same_for_all(302)),  # to the confirmation (refused there)
    "portal:card": ("get", same_for_all(200)),
    "portal:card_start": ("post", same_for_all(503)),
    "portal:card_callback": ("get", same_for_all(400)),
    "portal:link_code": ("post", same_for_all(302)),  # to the My Number Card login
    "portal:logout": ("post", same_for_all(302)),
}


def objects(staff) -> dict[str, dict]:
    return {"portal:email_open": {"token": "not-a-real-token"}}
