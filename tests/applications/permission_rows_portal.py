"""The residents' online applications (namespace ``apply``) in the permission matrix.

Every page is behind a resident's own portal login, which no staff role has: staff get
what an anonymous visitor gets, a redirect to the portal's login (a POST to a draft whose
login timed out too; with no such draft nothing is kept).
"""

from __future__ import annotations

import uuid

EVERYONE = ("anonymous", "district_staff", "section_staff", "section_manager",
            "partner_staff", "ward_admin", "auditor")
TO_LOGIN = dict.fromkeys(EVERYONE, 302)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "apply:list": ("get", TO_LOGIN),
    "apply:start": ("post", TO_LOGIN),
    "apply:detail": ("get", TO_LOGIN),
    "apply:edit": ("post", TO_LOGIN),
    "apply:confirm": ("post", TO_LOGIN),
    "apply:done": ("get", TO_LOGIN),
    "apply:discard": ("post", TO_LOGIN),
    "apply:answer": ("post", TO_LOGIN),
    "apply:act": ("post", TO_LOGIN),
}


def objects(staff) -> dict[str, dict]:
    some = str(uuid.uuid4())
    return {"apply:start": {"code": "kazei-shomei"},
            "apply:act": {"public_id": some, "name": "withdraw"}}
