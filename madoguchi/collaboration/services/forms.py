"""The standard form of a trouble record: its published versions and themes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration.models import (
    RecordForm,
    Theme,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.procedures.formschema.spec import FormSpec


def current_form() -> RecordForm:
    form = RecordForm.objects.order_by("-version").first()
    if form is None:
        raise ValidationError(_("記録様式が登録されていません。"
                                "区のシステム管理者に連絡してください。"))
    return form


def form_spec(form: RecordForm) -> FormSpec:
    from madoguchi.procedures.formschema.parse import parse_form

    return parse_form(form.definition)


@transaction.atomic
def record_form_publish(*, definition: dict, by: User | None) -> RecordForm:
    """A new version of the standard form; the definition is checked by the form engine."""
    from madoguchi.procedures.formschema.parse import parse_form

    if by is not None and not can(by, Action.COLLAB_SETTINGS):
        raise PermissionDenied
    parse_form(definition)  # raises DefinitionInvalid with Japanese messages
    last = RecordForm.objects.select_for_update().order_by("-version").first()
    return RecordForm.objects.create(version=(last.version + 1) if last else 1,
                                     definition=definition, created_by=by)


@transaction.atomic
def theme_save(*, code: str, name: str, name_en: str = "", is_active: bool = True,
               by: User) -> Theme:
    """Add a theme or change one (by its code); themes are never deleted, only retired."""
    if not can(by, Action.COLLAB_SETTINGS):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", code.strip()):
        errors["code"] = [_("コードは半角英小文字で始まる40文字以内にしてください。")]
    if not name.strip():
        errors["name"] = [_("テーマの名称を入力してください。")]
    if errors:
        raise ValidationError(errors)
    theme, created = Theme.objects.get_or_create(code=code.strip(), defaults={
        "name": name.strip(), "name_en": name_en.strip(), "is_active": is_active,
        "sort_order": Theme.objects.count() + 1})
    if not created:
        theme.name, theme.name_en, theme.is_active = name.strip(), name_en.strip(), is_active
        theme.save(update_fields=["name", "name_en", "is_active"])
    return theme
