"""Writes of the assessment context: open-data publishing, figures the centre enters."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.policy import Action, can
from madoguchi.assessment import opendata
from madoguchi.assessment.models import EnteredFigure, OpenDataFile


@transaction.atomic
def open_data_publish(*, now: dt.datetime | None = None) -> list[OpenDataFile]:
    """Write every dataset's file from the current data (all or nothing). A file whose
    bytes did not change keeps its update date."""
    now = now or timezone.now()
    published = []
    for spec in opendata.DATASETS:
        content = opendata.render_csv(spec, spec.rows())
        digest = hashlib.sha256(content).hexdigest()
        rows = content.count(b"\r\n") - 1
        current = OpenDataFile.objects.select_for_update().filter(dataset=spec.code).first()
        if current is None:
            current = OpenDataFile(dataset=spec.code, updated_at=now)
        elif current.sha256 != digest:
            current.updated_at = now
        current.content, current.sha256, current.rows = content, digest, rows
        current.published_at = now
        current.save()
        published.append(current)
    return published


def _value(code: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": "数値で入力してください。"}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"value": "0以上の数値で入力してください。"})
    if code == EnteredFigure.Code.AGING_RATE and value > 100:
        raise ValidationError({"value": "高齢化率は0から100までの値で入力してください。"})
    if code != EnteredFigure.Code.AGING_RATE and value != value.to_integral_value():
        raise ValidationError({"value": "件数は整数で入力してください。"})
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def figure_enter(*, user, district, fiscal_year: int, code: str, value, note: str = ""
                 ) -> EnteredFigure:
    """The centre enters (or corrects) one figure of its district for a fiscal year."""
    if not can(user, Action.ASSESSMENT_FIGURES, district):
        raise PermissionDenied("この地区の数値を入力する権限がありません。")
    if code not in EnteredFigure.Code.values:
        raise ValidationError({"code": "項目を選んでください。"})
    if not 2000 <= int(fiscal_year) <= 2100:
        raise ValidationError({"fiscal_year": "年度が正しくありません。"})
    cleaned = _value(code, value)
    figure, _created = EnteredFigure.objects.select_for_update().update_or_create(
        district=district, fiscal_year=fiscal_year, code=code,
        defaults={"value": cleaned, "note": note.strip()[:200], "entered_by": user,
                  "entered_at": timezone.now()})
    return figure
