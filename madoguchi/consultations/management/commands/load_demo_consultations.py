"""``manage.py load_demo_consultations``: a week of demo consultations (after ``load_demo``).

So that a new machine's section inbox, the centre's board and the staff agendas are not
empty: consultations received at 池尻 and 松原 from the demo residents, some only received
or routed (the inbox), most booked over the next working days at the centres' booths with
the demo section staff (the board, the agendas), one closed with its outcome. Everything
goes through the consultation services (intake, route, book, outcome), so slots, consents
and the audit trail are real. Idempotent: nothing is added when the demo centre staff have
received consultations already.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.consultations import services
from madoguchi.consultations.models import Consultation
from madoguchi.consultations.selectors import route_choices
from madoguchi.people.models import Resident
from madoguchi.scheduling.selectors import find_slots

SOURCE = "command:load_demo_consultations"
DAYS = 7

# (centre user, resident kana, category, worry, urgency, how far: intake / route / book /
# outcome — closed by the section without a call)
WORRIES = [
    ("ikejiri", "ヤマダ タロウ", "elderly", "妻の物忘れが増え、介護保険の申請を考えている。",
     "soon", "book"),
    ("ikejiri", "ヤマダ ハナコ", "elderly", "夫の通院の付き添いが負担になってきた。",
     "normal", "book"),
    ("ikejiri", "タカハシ イチロウ", "disability", "車いすで使える住宅改修の助成を知りたい。",
     "normal", "book"),
    ("ikejiri", "タナカ ユミ", "children", "下の子の健診の日程を変えたい。", "soon", "book"),
    ("ikejiri", "イトウ キヨシ", "elderly", "一人暮らしで食事の用意が難しくなってきた。",
     "urgent", "book"),
    ("ikejiri", "スズキ ケンジ", "hardship", "失業して家賃の支払いが心配。", "soon", "route"),
    ("ikejiri", "ワタナベ サクラ", "health", "眠れない日が続いていて相談したい。", "normal",
     "intake"),
    ("matsubara", "ナカムラ マサオ", "elderly", "要介護認定の更新の書類の書き方を知りたい。",
     "normal", "book"),
    ("matsubara", "コバヤシ カズコ", "elderly", "補聴器の購入の助成について知りたい。",
     "normal", "book"),
    ("matsubara", "カトウ ショウタ", "disability", "手話通訳の派遣を頼みたい。", "normal",
     "book"),
    ("matsubara", "ヨシダ ケイコ", "elderly", "母の介護のことで相談したい。", "normal",
     "route"),
    ("ikejiri", "サトウ ミサキ", "elderly", "離れて暮らす母の介護のことで相談したい。", "normal",
     "outcome"),
]
# The reason the service asks for when the unit differs from the proposal.
ONLINE_REASON = "この課はこのセンターからのオンライン相談を受けているため（デモ）"
OUTCOME = {"result": "procedure", "summary": "要介護認定の申請方法を説明し、申請書を渡した。",
           "satisfied": "satisfied", "duration_minutes": "30"}


def _section(consultation: Consultation):
    """The proposed unit if it consults online at the centre, else the online one proposed
    next to it, else the first the centre can route to."""
    choices = route_choices(consultation)
    for wanted in (consultation.proposed_section, consultation.proposed_online_section):
        if wanted is not None and any(s.pk == wanted.pk for s in choices):
            return wanted
    return choices[0]


def _resident(kana: str) -> Resident:
    family, given = kana.split(" ", 1)
    resident = (Resident.objects.filter(family_name_kana=family, given_name_kana=given)
                .order_by("pk").first())
    if resident is None:
        raise CommandError(f"demo resident {kana} is missing: run load_demo first")
    return resident


class Command(BaseCommand):
    help = "A week of demo consultations and bookings (run after load_demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        centres = {u.username: u for u in User.objects.filter(username__in=["ikejiri",
                                                                           "matsubara"])}
        if len(centres) < 2:
            raise CommandError("the demo centre staff are missing: run load_demo first")
        if Consultation.objects.filter(received_by__in=centres.values()).exists():
            self.stdout.write("demo consultations: already loaded")
            return
        host = User.objects.filter(username="hokenfukushi").first()
        counts: dict[str, int] = {}
        start_from = timezone.localdate() + dt.timedelta(days=1)
        for index, (centre_user, kana, category, worry, urgency, until) in enumerate(WORRIES):
            by = centres[centre_user]
            resident = _resident(kana)
            consultation = services.consultation_intake(
                by=by, resident=resident, source=SOURCE,
                data={"worry": worry, "category": category, "urgency": urgency,
                      "consent_online": until != "intake", "consent_share": until != "intake",
                      "consent_method": "oral"})
            if until != "intake":
                section = _section(consultation)
                consultation = services.consultation_route(
                    by=by, consultation=consultation, section=section,
                    reason=("" if section == consultation.proposed_section
                            else ONLINE_REASON), source=SOURCE)
            if until == "book":
                day = start_from + dt.timedelta(days=index % DAYS)
                slots = find_slots(section=consultation.section, centre=consultation.centre,
                                   start_from=day, limit=1)
                if slots:  # only the section with demo staff (世田谷 保健福祉課) has slots
                    consultation = services.consultation_book(
                        by=by, consultation=consultation, start=slots[0].start,
                        staff=slots[0].staff, source=SOURCE)
            if until == "outcome" and host is not None:
                services.outcome_record(by=host, consultation=consultation, data=OUTCOME,
                                        source=SOURCE)
                consultation.refresh_from_db()
            counts[consultation.status] = counts.get(consultation.status, 0) + 1
        self.stdout.write("demo consultations: " + ", ".join(
            f"{status} {n}" for status, n in sorted(counts.items())))
