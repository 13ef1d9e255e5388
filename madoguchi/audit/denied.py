"""Refused attempts on records leave a trace (issue 12, ADR 0022).

Every page and API route that points at one record carries its public id in the URL
(``public_id``, or ``notice_id`` for a notice). When a logged-in staff member gets 403 or
404 from such a URL — whichever check refused it (the role gate, a record rule, an id that
does not exist) — ``DeniedAccessMiddleware`` writes an ``Action.DENIED`` entry naming the
staff member, the URL name and the requested id, at most once per actor, record and
minute (``services.record_denied``). URLs that carry a one-time token are never recorded:
tokens do not belong in the trail.
"""

from __future__ import annotations

from madoguchi.audit import services

RECORD_KWARGS = ("public_id", "notice_id")
REFUSED = frozenset({403, 404})


def refused_record(request) -> tuple[str, str, str] | None:
    """(record type, record id, source) of a request for one record, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return None
    record_id = next((str(match.kwargs[k]) for k in RECORD_KWARGS if k in match.kwargs), None)
    if record_id is None:
        return None
    record_type = match.view_name.partition(":")[0] if ":" in match.view_name else "url"
    return record_type, record_id, match.view_name


class DeniedAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                found = refused_record(request)
                if found is not None:
                    record_type, record_id, source = found
                    services.record_denied(actor=user, record_type=record_type,
                                           record_id=record_id, source=source)
        return response
