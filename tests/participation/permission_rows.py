"""Rows of the permission matrix for the events' public pages and the staff's pages."""

from __future__ import annotations

from madoguchi.accounts.models import Role
from madoguchi.participation import services

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
STAFF = (D, S, M, P, A, U)
MANAGERS = (D, S, M, A)


def table(anon: int, **by_role: int) -> dict[str, int]:
    found = dict.fromkeys(("anonymous", *STAFF), 403)
    found["anonymous"] = anon
    found.update(by_role)
    return found


PUBLIC = dict.fromkeys(("anonymous", *STAFF), 200)


def only(roles, ok: int) -> dict[str, int]:
    found = table(302)
    found.update(dict.fromkeys(roles, ok))
    return found


# The matrix's event belongs to 池尻 (the district staff's centre), made by its district
# staff and approved by its head (centre_head: as district staff unless a row names them,
# probed right after them): section staff see it as outside their scope (404).
IN_SCOPE = table(302, district_staff=200, section_staff=404, section_manager=404,
                 ward_admin=200)

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "events:calendar": ("get", PUBLIC),
    "events:district_calendar": ("get", PUBLIC),
    "events:event": ("get", PUBLIC),
    "events:cancel": ("get", dict.fromkeys(("anonymous", *STAFF), 404)),  # an unknown link
    "events:pass": ("get", dict.fromkeys(("anonymous", *STAFF), 404)),  # an unknown pass
    "events:ics": ("get", PUBLIC),
    "events:rss": ("get", PUBLIC),
    "events:atom": ("get", PUBLIC),
    "participation:list": ("get", only(MANAGERS, 200)),
    "participation:create": ("get", only(MANAGERS, 200)),
    "participation:kinds": ("get", only([A], 200)),
    "participation:event": ("get", IN_SCOPE),
    "participation:edit": ("get", IN_SCOPE),
    # Already published: submitting again is refused with the reason (409).
    "participation:step": ("post", table(302, district_staff=409, section_staff=404,
                                         section_manager=404, ward_admin=409)),
    # Not a lottery: refused with the reason.
    "participation:draw": ("post", table(302, district_staff=409, section_staff=404,
                                         section_manager=404, ward_admin=409)),
    "participation:registrations": ("get", IN_SCOPE),
    "participation:checkin": ("get", IN_SCOPE),
    "participation:attend": ("post", table(302, district_staff=302, section_staff=404,
                                           section_manager=404, ward_admin=302)),
    # The district staff cancel first; the administrator is told it is cancelled already.
    "participation:cancel": ("post", table(302, district_staff=302, centre_head=409,
                                           section_staff=404, section_manager=404,
                                           ward_admin=409)),
}


def objects(staff) -> dict[str, dict]:
    from tests.participation.conftest import LINK, event_data

    event = services.event_create(by=staff[D], data=event_data())
    services.event_move(by=staff[D], event=event, step="submit")
    services.event_move(by=staff[Role.CENTRE_HEAD], event=event, step="approve")
    registration = services.register(event=event, name="申込 花子", email="hanako@mail.example.jp",
                                     phone="", people=1, needs="", link_base=LINK).registration
    ids = {"event": event.public_id}
    both = {**ids, "registration": registration.public_id}
    return {
        "events:event": ids, "events:cancel": {"token": "not-a-link"},
        "events:pass": {"token": "not-a-pass"}, "participation:checkin": ids,
        "participation:event": ids, "participation:edit": ids,
        "participation:step": {**ids, "step": "submit"}, "participation:draw": ids,
        "participation:registrations": ids, "participation:attend": both,
        "participation:cancel": both,
    }
