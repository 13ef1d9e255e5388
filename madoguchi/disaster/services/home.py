"""在宅避難者: a household sheltering at home registers itself and its needs on the public
page while a disaster is declared over its district. A resubmitted form (the same
``submission`` id, made when the form was shown) is recognised, never stored twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core.text import contains_my_number, normalise_phone, only_digits
from madoguchi.disaster.models import Declaration, HomeEvacuee, HomeNeed
from madoguchi.disaster.services.safety import covers
from madoguchi.organisation.models import District

MAX_PEOPLE = 30


def covering_declaration(district: District) -> Declaration | None:
    """The active declaration over ``district`` (the ward's or its region's), if any."""
    return (Declaration.objects.filter(confirmed_at__isnull=False, ended_at__isnull=True)
            .filter(covers(district))
            .order_by("confirmed_at").first())


def _clean(*, name: str, address: str, phone: str, people: str, needs: Iterable[str],
           note: str, consent: bool) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict = {"name": (name or "").strip(), "address": (address or "").strip(),
                  "note": (note or "").strip()}
    if not data["name"] or len(data["name"]) > 80:
        errors["name"] = _("お名前を80文字以内で入力してください。")
    if not data["address"] or len(data["address"]) > 120:
        errors["address"] = _("住所を120文字以内で入力してください（番地まで）。")
    try:
        data["phone"] = normalise_phone(phone)
    except ValueError:
        errors["phone"] = _("電話番号は「03-1234-5678」のように、市外局番から入力してください。")
    try:
        data["people"] = int(only_digits(people or ""))
        if not 1 <= data["people"] <= MAX_PEOPLE:
            raise ValueError(people)
    except ValueError:
        errors["people"] = _("在宅避難している人数を1から30までの数字で入力してください。")
    chosen = list(dict.fromkeys(needs))
    if any(n not in HomeNeed.values for n in chosen):
        errors["needs"] = _("必要な支援は一覧から選んでください。")
    data["needs"] = chosen
    if len(data["note"]) > 400:
        errors["note"] = _("その他は400文字以内で入力してください。")
    elif contains_my_number(data["note"]):
        errors["note"] = _("マイナンバー（個人番号）は入力しないでください。")
    if not consent:
        errors["consent"] = _("登録には、区と支援者が支援のために情報を使うことへの同意が"
                              "必要です。")
    return data, errors


def home_evacuee_register(*, submission: str, district: District | None, name: str,
                          address: str, phone: str, people: str, needs: Iterable[str],
                          note: str, consent: bool) -> tuple[HomeEvacuee, bool]:
    """Register a household; returns it and whether it is new (False: a resubmission).
    Everything is checked first; a ValidationError (field -> message) saves nothing."""
    try:
        key = uuid.UUID(str(submission))
    except ValueError:
        raise ValidationError(_("送信内容が正しくありません。ページを開き直してください。"),
                              code="submission") from None
    known = HomeEvacuee.objects.filter(submission=key).first()
    if known is not None:
        return known, False
    data, errors = _clean(name=name, address=address, phone=phone, people=people,
                          needs=needs, note=note, consent=consent)
    declaration = covering_declaration(district) if district is not None else None
    if district is None:
        errors["district"] = _("お住まいの地区を選んでください。")
    elif declaration is None:
        errors["district"] = _("この地区は現在、災害モードではありません。在宅避難者の登録は"
                               "災害時だけ受け付けています。")
    if errors or district is None or declaration is None:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            evacuee = HomeEvacuee.objects.create(
                submission=key, declaration=declaration, district=district, consent_at=now,
                registered_at=now, **data)
    except IntegrityError:  # the same form sent twice at the same moment
        return HomeEvacuee.objects.get(submission=key), False
    return evacuee, True
