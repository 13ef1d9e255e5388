"""Review, notices and export rows of the permission matrix (tests/test_permission_matrix.py).

Section staff and managers reach the review pages; only managers the overdue list. The
records probed do not exist, so the roles allowed in get 404 (nothing hints that a record
exists elsewhere), everyone else 403 and anonymous visitors the login page. The e-mailed
notice link answers 404 to an unknown token for everyone; the portal download sends
anyone not logged in to the portal (staff logins count for nothing there) to its login.
"""

from __future__ import annotations

import uuid

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)


def _section(ok: int, roles=(S, M)) -> dict[str, int]:
    table = {**dict.fromkeys(EVERYONE, 403), ANON: 302}
    table.update(dict.fromkeys(roles, ok))
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "review:inbox": ("get", _section(200)),
    "review:overdue": ("get", _section(200, roles=(M,))),
    "review:print_queue": ("get", _section(200)),
    "review:printed": ("post", _section(404)),
    "review:export": ("get", _section(200)),
    "review:notice_file": ("get", _section(404)),
    "review:detail": ("get", _section(404)),
    "review:attachment": ("get", _section(404)),
    "review:checklist": ("post", _section(404)),
    "review:transition": ("post", _section(404)),
    "review:notice_create": ("post", _section(404)),
    "notices:link": ("get", dict.fromkeys(EVERYONE, 404)),
    "notices:portal_file": ("get", dict.fromkeys(EVERYONE, 302)),
}

MISSING = uuid.UUID("00000000-0000-4000-8000-000000000001")


# Pages that show applications, their applicants and files: audited (ADR 0022).
RESIDENT_DATA = {"review:inbox", "review:overdue", "review:print_queue", "review:export",
                 "review:notice_file", "review:detail", "review:attachment"}


def objects(staff) -> dict[str, dict]:
    return {
        "review:printed": {"notice_id": MISSING},
        "review:notice_file": {"notice_id": MISSING},
        "review:attachment": {"attachment_id": 1},
        "notices:link": {"token": "not-a-token"},
        "notices:portal_file": {"public_id": MISSING},
    }
