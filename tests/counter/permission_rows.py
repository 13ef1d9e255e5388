"""The counter's rows of the permission matrix (tests/test_permission_matrix.py).

The office probed is 池尻's centre: its district staff serve it; the matrix's section staff
and manager (世田谷 保健福祉課) do not (the record rule refuses: 403); ward administrators
read every office's log. Public pages (the tablet with its key, the ticket by its token,
the call display, the waits) answer everyone and show no one's name. The tablet's key is
probed first so that every browser holds it; a new key is issued only after that.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
EVERYONE = (ANON, D, S, M, P, A, U)


def _serve(ok: int) -> dict[str, int]:
    return {ANON: 302, D: ok, S: 403, M: 403, P: 403, A: 403, U: 403}


def _log(ok: int) -> dict[str, int]:
    return {ANON: 302, D: ok, S: 403, M: 403, P: 403, A: ok, U: 403}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "counter:reception_key": ("get", dict.fromkeys(EVERYONE, 302)),  # to the tablet's page
    "counter:reception": ("get", dict.fromkeys(EVERYONE, 200)),
    # no appointment chosen: the tablet's page again with the message
    "counter:reception_check_in": ("post", dict.fromkeys(EVERYONE, 400)),
    "counter:ticket": ("get", dict.fromkeys(EVERYONE, 200)),
    "counter:receipt": ("get", dict.fromkeys(EVERYONE, 200)),
    "counter:display": ("get", dict.fromkeys(EVERYONE, 200)),
    "counter:waits": ("get", dict.fromkeys(EVERYONE, 200)),
    "counter:offices": ("get", {ANON: 302, D: 200, S: 200, M: 200, P: 403, A: 200, U: 403}),
    "counter:office": ("get", _serve(200)),
    "counter:issue": ("post", _serve(302)),
    "counter:check_in": ("post", _serve(302)),  # no appointment chosen: back with the message
    "counter:configure": ("get", _serve(200)),  # no service chosen: back with the message
    "counter:counter": ("get", _serve(200)),
    "counter:counter_act": ("post", _serve(302)),  # no action chosen: back with the message
    "counter:log": ("get", _log(200)),
    "counter:log_csv": ("get", _log(200)),
    "counter:ward_csv": ("get", {ANON: 302, D: 200, S: 200, M: 200, P: 403, A: 200, U: 403}),
    "counter:kiosk_key": ("post", _serve(200)),
}


def objects(staff) -> dict[str, dict]:
    from madoguchi.counter import services
    from madoguchi.counter.catalogue import load_defaults
    from madoguchi.counter.models import Office, TicketSource

    load_defaults()
    office = Office.objects.get(code="setagaya-ikejiri")
    ticket = services.ticket_issue(office=office, service=office.services.first(),
                                   source=TicketSource.RECEPTION)
    _kiosk, key = services.kiosk_key_issue(office=office, by=staff[D])
    at = {"office": office.code}
    return {
        "counter:reception_key": {"key": key},
        "counter:ticket": {"token": ticket.token}, "counter:receipt": {"token": ticket.token},
        "counter:display": at, "counter:waits": at, "counter:office": at,
        "counter:issue": at, "counter:check_in": at, "counter:configure": at,
        "counter:kiosk_key": at, "counter:log": at,
        "counter:log_csv": at, "counter:counter": {**at, "number": 1},
        "counter:counter_act": {**at, "number": 1},
    }
