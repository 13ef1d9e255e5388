"""The guidance answer links to the booking pages when the question asks for a
consultation (registered with ``guidance.links`` in ``ready``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.guidance.links import AnswerLink, register_answer_link
from madoguchi.organisation.models import District
from madoguchi.selfbook.models import SectionSetting

# Words of a question that asks to talk to someone (相談したい, 話を聞いてほしい, 予約).
CONSULT_WORDS = ("相談", "そうだん", "話を聞", "話したい", "聞いてほしい", "予約", "オンライン")


def booking_link(text: str, district: District | None) -> list[AnswerLink]:
    if not any(word in text for word in CONSULT_WORDS):
        return []
    if not SectionSetting.objects.filter(enabled=True).exists():
        return []  # no section takes self-bookings: nothing to offer
    url = reverse("selfbook:start")
    if district is not None:
        url += "?" + urlencode({"district": district.pk})
    label = _("オンライン相談を予約する（ご自宅から、またはまちづくりセンターで）")
    return [AnswerLink(label=label, url=url)]


def register() -> None:
    register_answer_link(booking_link)
