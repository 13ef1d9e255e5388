"""Four-party collaboration rows of the permission matrix (tests/test_permission_matrix.py).

Centre staff (D, 池尻) and partner staff (P, 池尻あんしんすこやかセンター) are parties of
池尻; section staff and managers (S, M: 世田谷保健福祉課, a branch section) see and answer
escalations only. The record probed was written by P and marked for sharing; the meeting is
池尻's; the action item is P's. Only 池尻's centre head (H, ADR 0058) approves minutes: the
meeting is not held yet, so it is sent back with the message (302); district staff get 403.
The head is district staff besides (rows without H expect of them what they expect of D).
Writes are probed with an empty body: the form comes back (200) or the page
sends back with a message (302).
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
H = "centre_head"
EVERYONE = (ANON, D, S, M, P, A, U)
PARTIES = (D, P)


def _table(ok: int, allowed=PARTIES, *, denied: int = 403, anon: int = 302,
           **extra: int) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(dict.fromkeys(allowed, ok))
    table.update(extra)
    return table


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "collaboration:records": ("get", _table(200)),
    "collaboration:record_create": ("post", _table(200)),
    "collaboration:record": ("get", _table(200)),
    "collaboration:record_transition": ("post", _table(302)),
    "collaboration:record_reference": ("post", _table(302)),
    "collaboration:record_reference_remove": ("post", _table(302)),
    "collaboration:escalation_create": ("post", _table(200)),
    "collaboration:meetings": ("get", _table(200)),
    "collaboration:meeting": ("get", _table(200)),
    "collaboration:meeting_minutes": ("post", _table(200)),
    "collaboration:meeting_hold": ("post", _table(302)),
    "collaboration:meeting_action": ("post", _table(200)),
    "collaboration:meeting_approve": ("post", _table(302, (H,))),
    "collaboration:tasks": ("get", _table(200)),
    # The item is P's; the centre's staff member is not its person nor of its party.
    "collaboration:action_done": ("post", _table(302, (P,), district_staff=404)),
    "collaboration:action_escalate": ("get", _table(200)),
    "collaboration:resources": ("get", _table(200)),
    "collaboration:escalations": ("get", _table(200, (D, P, S, M))),
    "collaboration:escalation": ("get", _table(200, (D, P, S, M))),
    "collaboration:settings": ("get", _table(200, (A,))),
}


def objects(staff) -> dict[str, dict]:
    import datetime as dt

    from django.utils import timezone

    from madoguchi.collaboration import services
    from madoguchi.collaboration.models import Meeting, Theme
    from madoguchi.organisation.models import Section

    anshin = Section.objects.select_related("kind").get(code="setagaya/ikejiri/anshin")
    record = services.record_create(by=staff[P], source="tests", data=services.RecordInput(
        party=anshin, theme=Theme.objects.get(code="elderly"), title="見守りが必要な世帯",
        noticed="新聞がたまっている", age_band="old", household="single", share=True))
    meeting = Meeting.objects.create(district=anshin.district, mode="in_person", place="会議室",
                                     starts_at=timezone.now() + dt.timedelta(days=3))
    item = services.action_create(meeting=meeting, task="訪問する", party=anshin,
                                  person=staff[P], by=staff[D],
                                  due_date=timezone.localdate() + dt.timedelta(days=10))
    escalation = services.escalation_open(
        subject=record, to_section=Section.objects.get(code="setagaya/hoken-fukushi"),
        title="支援の相談", body="区の支援につなげたい", by=staff[P])
    return {
        **{f"collaboration:{name}": {"public_id": record.public_id}
           for name in ("record", "record_transition", "record_reference",
                        "record_reference_remove", "escalation_create")},
        **{f"collaboration:{name}": {"pk": meeting.pk}
           for name in ("meeting", "meeting_minutes", "meeting_hold", "meeting_action",
                        "meeting_approve")},
        "collaboration:action_done": {"pk": item.pk},
        "collaboration:action_escalate": {"pk": item.pk},
        "collaboration:escalation": {"public_id": escalation.public_id},
    }
