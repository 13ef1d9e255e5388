"""Procedures' rows of the permission matrix (tests/test_permission_matrix.py).

The residents' pages and the API are public. Every staff role reads the catalogue and
tries the preview (an empty POST comes back with the form's messages: 200). Only ward
administrators edit: an empty editor POST comes back with the definition's problems (200,
nothing saved); publishing or discarding when there is no draft redirects with a message.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)
PUBLIC = dict.fromkeys(EVERYONE, 200)
STAFF = {**dict.fromkeys(EVERYONE, 200), ANON: 302}


def _admin(ok: int) -> dict[str, int]:
    return {**dict.fromkeys(EVERYONE, 403), ANON: 302, A: ok}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "procedures:public_list": ("get", PUBLIC),
    "procedures:public_detail": ("get", PUBLIC),
    "procedures:catalogue": ("get", STAFF),
    "procedures:detail": ("get", STAFF),
    "procedures:version": ("get", STAFF),
    "procedures:preview": ("post", STAFF),
    "procedures:create": ("get", _admin(200)),
    "procedures:edit": ("post", _admin(200)),
    "procedures:publish": ("post", _admin(302)),
    "procedures:discard": ("post", _admin(302)),
    "procedures:life_events": ("get", PUBLIC),
    "procedures:life_event": ("get", PUBLIC),
    "procedures:life_events_staff": ("get", STAFF),
    # An empty POST comes back with the form's messages (200, no PDF).
    "procedures:life_event_slip": ("post", STAFF),
    "api:list_procedures": ("get", PUBLIC),
    "api:get_procedure": ("get", PUBLIC),
}


def objects(staff) -> dict[str, dict]:
    from django.core.management import call_command

    call_command("load_procedures", verbosity=0)
    code = {"code": "kazei-shomei"}
    return {
        "procedures:public_detail": code, "procedures:detail": code,
        "procedures:version": {**code, "number": 1}, "procedures:preview": {**code, "number": 1},
        "procedures:edit": code, "procedures:publish": code, "procedures:discard": code,
        "api:get_procedure": code,
        "procedures:life_event": {"code": "tennyu"},
    }
