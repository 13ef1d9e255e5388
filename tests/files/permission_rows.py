"""Rows of the permission matrix (tests/test_permission_matrix.py) for the pages that take
and hand out files: the consultation record's documents and the files of a video call.

The world: a 池尻 resident's consultation received by 池尻's centre staff (D), routed to
世田谷 保健福祉課 and booked with its section staff (S, the call's host; M hosts too).
Writes are probed with an empty form (allowed: 400, "choose a file"); downloads with an
unknown file id (allowed: 404), so that the probe stores nothing. The call's URLs take no
login (people with a one-time link use them): outsiders get 403, not the login page.
"""

from __future__ import annotations

from madoguchi.accounts.models import Role
from tests.consultations.permission_rows import only

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
UNKNOWN_FILE = "00000000-0000-4000-8000-000000000000"

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "consultations:document_add": ("post", only({D: 400, S: 400, M: 400, P: 404})),
    "consultations:document_download": ("get", only({D: 404, S: 404, M: 404, P: 404})),
    "meetings:files": ("get", only({S: 200, M: 200}, anon=403)),
    "meetings:file_share": ("post", only({S: 400, M: 400}, anon=403)),
    "meetings:file_download": ("get", only({S: 404, M: 404}, anon=403)),
}


# A document of the record hands out the resident's file: audited (ADR 0022).
RESIDENT_DATA = {"consultations:document_download"}


def objects(staff) -> dict[str, dict]:
    from types import SimpleNamespace

    from madoguchi.consultations.setup import load_consultation_setup
    from madoguchi.meetings import services as meetings
    from tests.meetings.conftest import booked_consultation

    load_consultation_setup()
    _resident, consultation = booked_consultation(
        SimpleNamespace(centre=staff[D], host=staff[S]), remote=False)
    room = meetings.room_for_booking(booking=consultation.booking)
    record = {"public_id": str(consultation.public_id)}
    call = {"public_id": str(room.public_id)}
    return {
        "consultations:document_add": record,
        "consultations:document_download": {**record, "file_id": UNKNOWN_FILE},
        "meetings:files": call,
        "meetings:file_share": call,
        "meetings:file_download": {**call, "file_id": UNKNOWN_FILE},
    }
