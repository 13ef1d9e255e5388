"""Checks on resident input, shared by the pages, the API and the demo loader.

``clean_resident`` turns loosely typed input (form strings, API JSON, Python values)
into model values, or raises a ``ValidationError`` keyed by field with Japanese
messages. It does not check permissions or duplicates; the services do.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core.dates import ERAS
from madoguchi.core.text import clean_kana
from madoguchi.organisation.models import District
from madoguchi.people.models import Language, Relationship, Resident

TEXT_FIELDS = ("family_name", "given_name", "address", "notes")
KANA_FIELDS = ("family_name_kana", "given_name_kana")
NEED_FIELDS = ("needs_interpreter", "needs_sign_language", "needs_wheelchair",
               "needs_hearing_support")
# Every field a caller may set, in form order. ``district`` is given as codes.
RESIDENT_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana",
                   "birth_date", "postal_code", "address", "district", "phone", "email",
                   "household_code", "relationship", "preferred_language", *NEED_FIELDS,
                   "notes")
REQUIRED = ("family_name", "family_name_kana", "birth_date", "address", "district")

_POSTAL = re.compile(r"^〒?\s*(\d{3})-?(\d{4})$")
_PHONE = re.compile(r"^\+?[\d\-() ]+$")
_HOUSEHOLD = re.compile(r"^[0-9A-Za-z\-]{1,20}$")
_TRUE = {"1", "true", "on", "yes"}


def _label(field: str) -> str:
    return str(Resident._meta.get_field(field).verbose_name)


def district_by_codes(region: str, district: str) -> District:
    """The district named by region and district code; ValidationError when unknown."""
    found = (District.objects.select_related("region")
             .filter(region__code=region, code=district).first()) if region and district else None
    if found is None:
        code = f"{region}/{district}".strip("/")
        raise ValidationError(_("地区コード「%(code)s」は存在しません。") % {"code": code},
                              code="unknown_district")
    return found


def split_district_key(value: Any) -> tuple[str, str]:
    """``"setagaya/ikejiri"`` or ``("setagaya", "ikejiri")`` -> (region, district)."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return str(value[0]).strip(), str(value[1]).strip()
    region, _sep, district = str(value or "").strip().partition("/")
    return region.strip(), district.strip()


def _birth_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(unicodedata.normalize("NFKC", value).strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or value < ERAS[-1].start:
        raise ValidationError(_("生年月日を「1950-04-01」のように正しく入力してください。"),
                              code="invalid")
    if value > timezone.localdate():
        raise ValidationError(_("生年月日に未来の日付は入力できません。"), code="future")
    return value


def _postal_code(value: str) -> str:
    match = _POSTAL.match(value)
    if not match:
        raise ValidationError(_("郵便番号は「154-0001」のように7桁の数字で入力してください。"),
                              code="invalid")
    return f"{match[1]}-{match[2]}"


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not _PHONE.match(value) or not 10 <= len(digits) <= 11 or not digits.startswith("0"):
        raise ValidationError(_("電話番号は「03-1234-5678」のように、市外局番から数字とハイフンで"
                                "入力してください。"), code="invalid")
    return value.replace(" ", "")


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("メールアドレスの形式が正しくありません。"
                                "「name@example.jp」のように入力してください。"),
                              code="invalid") from None
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _clean_one(field: str, raw: Any, data: Mapping[str, Any]) -> Any:
    if field in NEED_FIELDS:
        return _bool(raw)
    if field == "birth_date":
        if raw in (None, ""):
            raise ValidationError(_("生年月日を入力してください。"), code="required")
        return _birth_date(raw)
    if field == "district":
        region, district = (
            (_text(data.get("region")), _text(raw)) if "region" in data
            else split_district_key(raw))
        if not region and not district:
            raise ValidationError(_("地区を選んでください。"), code="required")
        return district_by_codes(region, district)
    value = _text(raw)
    if field in ("postal_code", "phone", "email", "household_code"):
        value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        if field in REQUIRED:
            raise ValidationError(_("%(label)sを入力してください。") % {"label": _label(field)},
                                  code="required")
        return "" if field != "preferred_language" else Language.JA
    if field in KANA_FIELDS:
        try:
            value = clean_kana(value)
        except ValueError:
            raise ValidationError(_("フリガナはカタカナかひらがなで入力してください。"),
                                  code="kana") from None
    elif field == "postal_code":
        value = _postal_code(value)
    elif field == "phone":
        value = _phone(value)
    elif field == "email":
        value = _email(value)
    elif field == "household_code" and not _HOUSEHOLD.match(value):
        raise ValidationError(_("世帯番号は20文字以内の半角英数字とハイフンで入力してください。"),
                              code="invalid")
    elif field == "relationship" and value not in Relationship.values:
        raise ValidationError(_("続柄を一覧から選んでください。"), code="invalid_choice")
    elif field == "preferred_language" and value not in Language.values:
        raise ValidationError(_("希望する言語を一覧から選んでください。"), code="invalid_choice")
    max_length = Resident._meta.get_field(field).max_length
    if max_length and len(value) > max_length:
        raise ValidationError(
            _("%(label)sは%(max)d文字以内で入力してください。")
            % {"label": _label(field), "max": max_length}, code="max_length")
    return value


def clean_resident(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Model values for the fields in ``data`` (all fields unless ``partial``)."""
    fields = [f for f in RESIDENT_FIELDS
              if not partial or f in data or (f == "district" and "region" in data)]
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for field in fields:
        try:
            cleaned[field] = _clean_one(field, data.get(field), data)
        except ValidationError as error:
            errors[field] = [error]
    if "given_name" in cleaned and cleaned["given_name"] and not cleaned.get("given_name_kana") \
            and "given_name_kana" not in errors and not partial:
        errors["given_name_kana"] = [ValidationError(_("名（フリガナ）を入力してください。"),
                                                     code="required")]
    if cleaned.get("relationship") and not cleaned.get("household_code") \
            and "household_code" not in errors and not partial:
        errors["household_code"] = [ValidationError(
            _("続柄を入力するときは、世帯番号も入力してください。"), code="required")]
    if errors:
        raise ValidationError(errors)
    return cleaned
