"""``manage.py load_demo_collaboration``: 池尻's four-party collaboration (after ``load_demo``).

A 児童館 demo login (``jidokan``; 池尻's centre head ``ikejiri-shocho``, who approves the
minutes, comes from ``load_demo``), three trouble records of three parties (two marked for
the next meeting), a monthly meeting on the second Wednesday, one escalation to 世田谷
保健福祉課 and one social resource. All through the services, so histories, audit entries
and due dates are real. Idempotent: nothing is added when 池尻 has trouble records
already.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.models import Role, User
from madoguchi.accounts.services import staff_upsert
from madoguchi.collaboration import services
from madoguchi.collaboration.models import Theme, TroubleRecord
from madoguchi.organisation.models import District, Section

SOURCE = "command:load_demo_collaboration"
UNIT = "setagaya/ikejiri/{}"

RECORDS = [
    ("jidokan", "jidokan", "children", "閉館後に外で待つ小学生がいる",
     "児童館の閉館後も、保護者の迎えを外で待つ小学生が数人いる。", "child", "family", True),
    ("anshin", "anshin", "elderly", "見守りが必要な一人暮らしの世帯が増えている",
     "池尻二丁目で、新聞や郵便物がたまっている世帯の相談が続いた。", "old", "single", True),
    ("ikejiri", "machizukuri-center", "disaster", "避難所の案内が高齢者に届いていない",
     "防災塾で、避難所の場所を知らない高齢者が多いことが分かった。", "elderly", "elderly_only",
     False),
]


class Command(BaseCommand):
    help = "Demo four-party collaboration data for 池尻 (needs load_demo first)."

    def handle(self, *args, verbosity: int = 1, **options):
        ikejiri = District.objects.filter(code="ikejiri", region__code="setagaya").first()
        centre = User.objects.filter(username="ikejiri").first()
        if ikejiri is None or centre is None:
            raise CommandError("デモ職員がいません。"
                               "先に `manage.py load_demo` を実行してください。")
        if TroubleRecord.objects.filter(district=ikejiri).exists():
            return
        with transaction.atomic():
            staff_upsert(username="jidokan", display_name="池尻 児童館（デモ）",
                         password=settings.DEMO_PASSWORD, role=Role.PARTNER_STAFF,
                         unit=Section.objects.get(code=UNIT.format("jidokan")))
            records = []
            for username, kind, theme, title, noticed, age, household, share in RECORDS:
                by = User.objects.get(username=username)
                records.append(services.record_create(
                    by=by, source=SOURCE, data=services.RecordInput(
                    party=Section.objects.select_related("kind").get(code=UNIT.format(kind)),
                    theme=Theme.objects.get(code=theme), title=title, noticed=noticed,
                    noticed_names_nobody=True, age_band=age, household=household, share=share,
                    due_days=20, answers={"since": "month", "how_noticed": "counter"})))
            today = timezone.localdate()
            services.series_create(
                district=ikejiri, rule=services.RULES["monthly_second"].format(day="WE"),
                starts_on=today, at=dt.time(14), mode="in_person",
                place="池尻まちづくりセンター 会議室", by=centre, count=6)
            services.escalation_open(
                subject=records[1], to_section=Section.objects.get(code="setagaya/hoken-fukushi"),
                title="見守り体制の強化について",
                body="地区の見守りだけでは追いつかないため、支所の支援をお願いします。",
                by=User.objects.get(username="anshin"))
            services.resource_create(district=ikejiri, need="放課後の子どもの居場所",
                                     resource="児童館と町会による夕方の見守り",
                                     partners="児童館・町会", by=centre)
        if verbosity:
            self.stdout.write("池尻: 記録 3件、四者連携会議 6回、上申 1件、社会資源 1件")
