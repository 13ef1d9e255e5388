"""``manage.py load_demo_applications``: a few assisted applications for the demo.

Elderly demo residents of 池尻 apply for 要介護・要支援認定 with the 池尻 centre's demo staff;
the 世田谷 総合支所 保健福祉課 demo staff have started working on some of them, and one was
received long enough ago to be overdue. Everything goes through the applications services,
so the history and the audit trail are the real ones. Idempotent: nothing is added when the
demo applications exist. Needs load_procedures and load_demo first.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.applications import services
from madoguchi.applications.models import Application
from madoguchi.applications.transition_data import CorrectionItems
from madoguchi.core.dates import add_open_days
from madoguchi.core.text import kana_key
from madoguchi.documents.fonts import FONT_FILE
from madoguchi.organisation.models import DistrictCentre
from madoguchi.people.models import Resident
from madoguchi.procedures.selectors import published_get

SOURCE = "command:load_demo_applications"
CODE = "kaigo-nintei"

# (kana key of the demo resident, sex, whereabouts, steps taken by the section, days ago)
PLAN = [
    ("ヤマダタロウ", "male", "home", [], 1),
    ("ヤマダハナコ", "female", "home", ["start_check"], 3),
    ("タカハシイチロウ", "male", "hospital",
     ["start_check", ("request_correction",
                      "介護保険被保険者証の写しが読み取れませんでした。もう一度、"
                      "まちづくりセンターで読み取らせてください。",
                      CorrectionItems(attachments=("insurance_card",)))], 6),
    # Received 40 days ago and accepted: past the 22 open days, on the overdue list.
    ("ヤマダタロウ", "male", "home", ["start_check", "accept"], 40),
]


def _sample_card(title: str) -> bytes:
    """A PNG that looks like a scanned card, marked 見本 (sample)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (640, 400), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(str(FONT_FILE), 40)
    small = ImageFont.truetype(str(FONT_FILE), 24)
    draw.rectangle((10, 10, 630, 390), outline=(90, 90, 90), width=4)
    draw.text((40, 40), title, font=big, fill=(20, 20, 20))
    draw.text((40, 300), "見本（デモ用の画像です）", font=small, fill=(180, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _answers(resident: Resident, sex: str, whereabouts: str) -> dict:
    address = {"postal_code": resident.postal_code, "address": resident.address,
               "building": ""}
    answers = {
        "application_type": "new", "insured_category": "first",
        "insured_number": f"{resident.pk:010d}",
        "insured": {"family": resident.family_name, "given": resident.given_name,
                    "family_kana": resident.family_name_kana,
                    "given_kana": resident.given_name_kana},
        "insured_birth_date": resident.birth_date.isoformat(), "insured_sex": sex,
        "address": address, "phone": resident.phone or "03-0000-0000",
        "whereabouts": whereabouts,
        "doctor_name": "世田谷 健一", "clinic_name": "池尻内科クリニック（デモ）",
        "clinic_address": {"postal_code": "154-0001", "address": "世田谷区池尻三丁目（デモ）",
                           "building": ""},
        "clinic_phone": "03-0000-9999", "contact_is_insured": "yes",
        "applicant_type": "self", "consent_share": "on", "confirm": "on",
    }
    if whereabouts == "hospital":
        answers.update({"place_name": "世田谷中央病院（デモ）",
                        "place_address": {"postal_code": "154-0004",
                                          "address": "世田谷区太子堂一丁目（デモ）",
                                          "building": ""}})
    return answers


class Command(BaseCommand):
    help = ("Demo applications (要介護認定 from the 池尻 centre to 世田谷 保健福祉課). "
            "Idempotent. Needs load_procedures and load_demo.")

    def handle(self, *args, verbosity: int, **options):
        version = published_get(CODE)
        centre_staff = User.objects.filter(username="ikejiri").first()
        section_staff = User.objects.filter(username="hokenfukushi").first()
        if version is None or centre_staff is None or section_staff is None:
            raise CommandError("先に load_procedures と load_demo を実行してください。")
        if Application.objects.filter(created_by=centre_staff).exists():
            if verbosity:
                self.stdout.write("デモの申請はすでにあります。")
            return
        centre = DistrictCentre.objects.select_related("district").get(
            district__code="ikejiri")
        files = {code: _sample_card(name) for code, name in
                 (("insurance_card", "介護保険被保険者証"), ("identity", "本人確認書類"))}
        made = 0
        with transaction.atomic():
            for kana, sex, whereabouts, steps, days_ago in PLAN:
                resident = Resident.objects.filter(kana_key=kana_key(kana)).order_by(
                    "pk").first()
                if resident is None:
                    continue
                self._make(version, centre, centre_staff, section_staff, resident,
                           _answers(resident, sex, whereabouts), files, steps, days_ago)
                made += 1
        if verbosity:
            self.stdout.write(f"デモの申請: {made}件")

    def _make(self, version, centre, centre_staff, section_staff, resident, answers, files,
              steps, days_ago: int) -> None:
        staff = services.Actor(source=SOURCE, user=centre_staff)
        draft = services.draft_start(actor=staff, version=version, channel="assisted",
                                     district=resident.district, resident=resident,
                                     centre=centre, answers=answers)
        for code, data in files.items():
            services.attachment_add(actor=staff, application=draft, code=code, data=data,
                                    name=f"{code}.png")
        application = services.application_submit(
            actor=staff, application=draft, raw=answers, confirmed=True).application
        received = timezone.now() - dt.timedelta(days=days_ago)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=received,
            due_on=add_open_days(timezone.localdate(received), version.processing_days))
        section = services.Actor(source=SOURCE, user=section_staff)
        for step in steps:
            name, note, items = step if isinstance(step, tuple) else (step, "", None)
            services.application_transition(actor=section, application=application,
                                            name=name, note=note, correction=items)
