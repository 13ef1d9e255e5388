"""The guidance answer for lending links to what the resident's centre can lend today
(registered with ``guidance.links`` in ``ready``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.guidance.links import AnswerLink, register_answer_link
from madoguchi.organisation.models import District, DistrictCentre

# Words of a question about borrowing something (貸してほしい, 借りたい, the items).
LENDING_WORDS = ("貸して", "貸し出", "貸出", "かして", "借り", "かりたい", "レンタル",
                 "車いす", "車椅子", "くるまいす", "高枝", "はさみ", "ばさみ", "テント",
                 "プロジェクター", "ルーター", "Wi-Fi", "wifi", "パソコン")


def lending_link(text: str, district: District | None) -> list[AnswerLink]:
    if not any(word in text for word in LENDING_WORDS):
        return []
    url = reverse("community:equipment")
    centre = DistrictCentre.objects.filter(district=district).first() if district else None
    if centre is None:
        return [AnswerLink(label=_("まちづくりセンターの貸出品の空き状況"), url=url)]
    return [AnswerLink(label=_("%(centre)sで今日借りられるもの（貸出品の空き状況）")
                       % {"centre": centre.label}, url=f"{url}?district={district.pk}")]


def register() -> None:
    register_answer_link(lending_link)
