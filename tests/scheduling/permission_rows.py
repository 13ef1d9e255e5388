"""Scheduling's rows of the permission matrix (tests/test_permission_matrix.py).

Writes are probed with an empty body: a role that may act gets 422 and nothing changes.
The booking probed is 池尻's, for 保健福祉課 (世田谷), made by 池尻's centre staff with the
section's representative caseworker: every casework role of the matrix but the partner
may see it.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")


def _casework(ok: int) -> dict[str, int]:
    return {ANON: 401, D: ok, S: ok, M: ok, P: ok, A: 403, U: 403}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "api:slots": ("get", _casework(422)),  # no section given
    "api:booking_create": ("post", _casework(422)),
    # あんしん池尻 (P) neither takes part in the booking nor made it: not told it exists.
    "api:booking_detail": ("get", {**_casework(200), P: 404}),
    # No reason given: the body is checked first, for any booking id (nothing revealed).
    "api:booking_cancel": ("post", _casework(422)),
}


# A booking's answer names its guests and title: audited (ADR 0022).
RESIDENT_DATA = {"api:booking_detail"}


def objects(staff) -> dict[str, dict]:
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling import services
    from tests.scheduling.conftest import at, open_day

    booking = services.booking_create(
        section=Section.objects.get(code="setagaya/hoken-fukushi"),
        centre=DistrictCentre.objects.get(district__region__code="setagaya",
                                          district__code="ikejiri"),
        staff=staff[S], start=at(open_day(), 10), title="権限の確認", by=staff[D])
    kwargs = {"public_id": str(booking.public_id)}
    return {"api:booking_detail": kwargs, "api:booking_cancel": kwargs}
