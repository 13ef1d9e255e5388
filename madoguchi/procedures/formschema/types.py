"""What each field type accepts, how it stores it, and what it says when it cannot.

``clean_value(spec, raw)`` returns the stored value (JSON-ready: str, int, bool, list or a
dict of parts) or None when nothing was written, and raises ``FieldError`` with a Japanese
message (English in English) that says what to write instead. Required-ness and conditions
are the engine's business, not the types'. The pieces every cleaner uses are in
``formschema.values``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.core.dates import DateInputError, day_text, era_end, parse_date, wareki
from madoguchi.core.text import (
    clean_kana,
    normalise_phone,
    normalise_postal_code,
    only_digits,
    parse_integer,
)
from madoguchi.procedures.formschema.spec import FieldSpec
from madoguchi.procedures.formschema.values import (
    PART_LABELS,
    REQUIRED_PARTS,
    FieldError,
    as_text,
    check_max_length,
    fail,
    is_answered,
    is_blank,
    no_my_number,
    width,
)

TRUE_WORDS = frozenset({"1", "true", "on", "yes", "はい"})
FALSE_WORDS = frozenset({"0", "false", "off", "no", "いいえ"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u3000]+")


def clean_text(spec: FieldSpec, raw: Any) -> str | None:
    value = _CONTROL.sub("", width(as_text(raw)).replace("\r\n", "\n").replace("\r", "\n"))
    if spec.type != "textarea":
        value = _SPACES.sub(" ", value.replace("\n", " "))
    value = value.strip()
    if not value:
        return None
    return no_my_number(check_max_length(spec, value, spec.text))


def clean_kana_field(spec: FieldSpec, raw: Any) -> str | None:
    value = as_text(raw).strip()
    if not value:
        return None
    try:
        value = clean_kana(value)
    except ValueError:
        raise fail(_("%(label)sはカタカナかひらがなで入力してください（例：セタガヤ　タロウ）。")
                   % {"label": spec.text}) from None
    return check_max_length(spec, value, spec.text)


def clean_name(spec: FieldSpec, raw: Any) -> dict[str, str] | None:
    parts = raw if isinstance(raw, dict) else {}
    value: dict[str, str] = {}
    errors: dict[str, str] = {}
    for part in spec.parts:
        text = _SPACES.sub(" ", width(as_text(parts.get(part)))).strip()
        if not text:
            value[part] = ""
            continue
        try:
            if part.endswith("_kana"):
                try:
                    text = clean_kana(text)
                except ValueError:
                    raise fail(_("フリガナはカタカナかひらがなで入力してください"
                                 "（例：セタガヤ）。"), part) from None
            elif re.search(r"[0-9]", text):
                raise fail(_("%(part)sに数字は入力できません。名前だけを入力してください。")
                           % {"part": PART_LABELS[part]}, part)
            if len(text) > 50:
                raise fail(_("%(part)sは50文字以内で入力してください。")
                           % {"part": PART_LABELS[part]}, part)
        except FieldError as error:
            errors.update(error.messages)
        value[part] = text
    if errors:
        raise FieldError(errors, value)
    return None if is_blank(value) else value


def clean_address(spec: FieldSpec, raw: Any) -> dict[str, str] | None:
    parts = raw if isinstance(raw, dict) else {}
    value: dict[str, str] = {}
    errors: dict[str, str] = {}
    for part in spec.parts:
        text = _SPACES.sub(" ", width(as_text(parts.get(part)))).strip()
        value[part] = text
        if not text:
            continue
        try:
            if part == "postal_code":
                try:
                    value[part] = normalise_postal_code(text)
                except ValueError:
                    raise fail(_("郵便番号は7桁の数字で入力してください（例：154-0017）。"),
                               part) from None
            else:
                if len(text) > 200:
                    raise fail(_("%(part)sは200文字以内で入力してください。")
                               % {"part": PART_LABELS[part]}, part)
                no_my_number(text, part)
        except FieldError as error:
            errors.update(error.messages)
    within = spec.opt("within")
    if within and value.get("address") and "address" not in errors \
            and within not in value["address"]:
        errors["address"] = _("%(area)s内の住所を、「%(area)s」から入力してください"
                              "（例：%(area)s世田谷4-21-27）。") % {"area": within}
    if errors:
        raise FieldError(errors, value)
    return None if is_blank(value) else value


DATE_HINT = gettext_lazy("令和・平成・昭和などの和暦か西暦で（例：昭和50年4月1日、1975-04-01）")


def clean_date(spec: FieldSpec, raw: Any) -> str | None:
    text = as_text(raw).strip()
    if not text:
        return None
    label = spec.text
    try:
        day = parse_date(text)
    except DateInputError as error:
        raise fail(_date_message(error, label)) from None
    today = timezone.localdate()
    if spec.opt("past") and day > today:
        raise fail(_("%(label)sに未来の日付は入力できません。今日（%(today)s）以前の日付を入力して"
                     "ください。") % {"label": label, "today": day_text(today)})
    if spec.opt("future") and day < today:
        raise fail(_("%(label)sに過ぎた日付は入力できません。今日（%(today)s）以降の日付を入力して"
                     "ください。") % {"label": label, "today": day_text(today)})
    return day.isoformat()


def _date_message(error: DateInputError, label: str) -> str:
    if error.code in ("after_era", "before_era") and error.era is not None:
        era = error.era
        english = translation.get_language() == "en"

        def within_era(day: dt.date) -> str:  # 31年4月30日 (平成 is said once)
            return day_text(day) if english else wareki(day).removeprefix(era.name)

        name = era.name_en if english else era.name
        end = era_end(era)
        if error.code == "after_era" and end is not None:
            limit = _("%(era)sは%(end)sまでです。") % {"era": name, "end": within_era(end)}
        else:
            limit = _("%(era)sは%(start)sからです。") % {"era": name,
                                                     "start": within_era(era.start)}
        if error.suggestion is not None:
            return limit + _("%(date)sのことでしたら、「%(date)s」と入力してください。") % {
                "date": wareki(error.suggestion)}
        return limit + _("%(label)sを確かめてください。") % {"label": label}
    if error.code == "no_such_day":
        return _("%(label)sに入力された日はありません。月と日を確かめてください"
                 "（例：4月は30日まで、2月は28日か29日まで）。") % {"label": label}
    if error.code == "before_meiji":
        return _("%(label)sは明治元年（1868年）10月23日より後の日付で入力してください。") \
            % {"label": label}
    return _("%(label)sは令和・平成・昭和などの和暦または西暦で入力してください"
             "（例：昭和50年4月1日、1975-04-01）。") % {"label": label}


def clean_integer(spec: FieldSpec, raw: Any) -> int | None:
    text = as_text(raw).strip()
    if not text:
        return None
    label = spec.text
    unit = spec.opt("unit", "円" if spec.type == "money" else "")
    if unit and text.endswith(unit):
        text = text.removesuffix(unit)  # 2通, 3人
    try:
        number = parse_integer(text)
    except ValueError:
        if spec.type == "money":
            raise fail(_("%(label)sは金額を円単位の数字で入力してください（例：1,200,000）。")
                       % {"label": label}) from None
        raise fail(_("%(label)sは数字で入力してください（例：3）。") % {"label": label}) from None
    low = spec.opt("min", 0 if spec.type == "money" else None)
    high = spec.opt("max")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            message = _("%(label)sは%(min)s%(unit)sから%(max)s%(unit)sまでの数で入力してください。")
        elif low is not None:
            message = _("%(label)sは%(min)s%(unit)s以上の数で入力してください。")
        else:
            message = _("%(label)sは%(max)s%(unit)s以下の数で入力してください。")
        raise fail(message % {"label": label, "unit": unit,
                              "min": f"{low:,}" if low is not None else "",
                              "max": f"{high:,}" if high is not None else ""})
    return number


def clean_digits(spec: FieldSpec, raw: Any) -> str | None:
    text = as_text(raw).strip()
    if not text:
        return None
    label = spec.text
    length = spec.opt("length")
    low, high = spec.opt("min_length"), spec.opt("max_length")
    if length:
        rule = _("%(label)sは%(n)d桁の数字で入力してください。") % {"label": label, "n": length}
    elif low and high:
        rule = _("%(label)sは%(min)d桁から%(max)d桁の数字で入力してください。") % {
            "label": label, "min": low, "max": high}
    else:
        rule = _("%(label)sは数字で入力してください。") % {"label": label}
    try:
        value = only_digits(text, separators="- ")
    except ValueError:
        raise fail(rule) from None
    if (length and len(value) != length) or (low and len(value) < low) \
            or (high and len(value) > high):
        raise fail(rule + _("（今は%(n)d桁です）") % {"n": len(value)})
    return no_my_number(value)


def clean_postal_code(spec: FieldSpec, raw: Any) -> str | None:
    text = as_text(raw).strip()
    if not text:
        return None
    try:
        return normalise_postal_code(text)
    except ValueError:
        raise fail(_("%(label)sは7桁の数字で入力してください（例：154-0017）。")
                   % {"label": spec.text}) from None


def clean_phone(spec: FieldSpec, raw: Any) -> str | None:
    text = as_text(raw).strip()
    if not text:
        return None
    try:
        return normalise_phone(text)
    except ValueError:
        raise fail(_("%(label)sは市外局番から数字で入力してください（例：03-5432-1111、"
                     "090-1234-5678）。") % {"label": spec.text}) from None


def clean_email(spec: FieldSpec, raw: Any) -> str | None:
    text = unicodedata.normalize("NFKC", as_text(raw)).strip()
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        raise fail(_("%(label)sは「name@example.jp」のような形で入力してください。")
                   % {"label": spec.text}) from None
    return text


def clean_choice(spec: FieldSpec, raw: Any) -> str | None:
    text = as_text(raw).strip()
    if not text:
        return None
    if spec.choice(text) is None:
        raise fail(_("%(label)sは一覧から選んでください。") % {"label": spec.text})
    return text


def clean_multiselect(spec: FieldSpec, raw: Any) -> list[str] | None:
    values = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
    chosen = {str(v).strip() for v in values if str(v).strip()}
    if not chosen:
        return None
    if any(spec.choice(v) is None for v in chosen):
        raise fail(_("%(label)sは一覧から選んでください。") % {"label": spec.text})
    low, high = spec.opt("min"), spec.opt("max")
    if (low and len(chosen) < low) or (high and len(chosen) > high):
        if low and high:
            message = _("%(label)sは%(min)dつから%(max)dつまで選んでください。")
        elif low:
            message = _("%(label)sは%(min)dつ以上選んでください。")
        else:
            message = _("%(label)sは%(max)dつまで選んでください。")
        raise fail(message % {"label": spec.text, "min": low or 0, "max": high or 0})
    return [c.value for c in spec.choices if c.value in chosen]


YES_NO_MESSAGE = gettext_lazy("「%(label)s」に、「はい」か「いいえ」で答えてください。")


def _truth(spec: FieldSpec, raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = as_text(raw).strip().lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise fail(YES_NO_MESSAGE % {"label": spec.text})


def clean_checkbox(spec: FieldSpec, raw: Any) -> bool:
    return bool(_truth(spec, raw))


def clean_yesno(spec: FieldSpec, raw: Any) -> bool | None:
    return _truth(spec, raw)


CLEANERS = {
    "text": clean_text, "textarea": clean_text, "kana": clean_kana_field, "name": clean_name,
    "date": clean_date, "integer": clean_integer, "money": clean_integer,
    "digits": clean_digits, "postal_code": clean_postal_code, "phone": clean_phone,
    "email": clean_email, "select": clean_choice, "radio": clean_choice,
    "multiselect": clean_multiselect, "checkbox": clean_checkbox, "yesno": clean_yesno,
    "address": clean_address,
}


def clean_value(spec: FieldSpec, raw: Any) -> Any:
    return CLEANERS[spec.type](spec, raw)


def required_messages(spec: FieldSpec, value: Any) -> dict[str, str]:
    """What is missing from a required field: {"": message} or {part: message}."""
    if spec.parts:
        current = value or {}
        needed = [p for p in REQUIRED_PARTS[spec.type] if p in spec.parts]
        if is_blank(current):  # nothing written: one message, at the first box
            return {needed[0]: _("%(label)sを入力してください。") % {"label": spec.text}}
        return {part: _("%(part)sを入力してください。") % {"part": PART_LABELS[part]}
                for part in needed if not current.get(part)}
    if is_answered(spec, value):
        return {}
    if spec.type == "checkbox":
        return {"": _("内容を確かめて、「%(label)s」にチェックを入れてください。")
                % {"label": spec.text}}
    if spec.type == "yesno":
        return {"": YES_NO_MESSAGE % {"label": spec.text}}
    if spec.type in ("select", "radio", "multiselect"):
        return {"": _("%(label)sを選んでください。") % {"label": spec.text}}
    return {"": _("%(label)sを入力してください。") % {"label": spec.text}}


def type_hint(spec: FieldSpec) -> str:
    """The format example shown under a field's own help text."""
    hints = {
        "date": DATE_HINT,
        "kana": gettext_lazy("カタカナかひらがなで（例：セタガヤ　タロウ）"),
        "postal_code": gettext_lazy("例：154-0017"),
        "phone": gettext_lazy("例：03-5432-1111"),
        "email": gettext_lazy("例：name@example.jp"),
        "money": gettext_lazy("円単位の数字で（例：1,200,000）"),
    }
    if spec.type == "digits" and spec.opt("length"):
        return _("%(n)d桁の数字で") % {"n": spec.opt("length")}
    return str(hints.get(spec.type, ""))
