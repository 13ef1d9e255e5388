"""Shared validation for the organisation's services."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTION_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
FIRST_BOOTH = "相談ブース1"
CODE_HINT = gettext_noop("コードは半角英小文字・数字とハイフン（-）で入力してください。")


class Problems:
    """Collects field errors; ``check`` raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def extend(self, problems: Iterable[tuple[str, str]]) -> None:
        for field, message in problems:
            self.add(field, message)

    def check(self, *objs: models.Model) -> None:
        """Add the models' own field validation (lengths, choices), then raise if any."""
        for obj in objs:
            try:
                obj.full_clean(validate_unique=False, validate_constraints=False,
                               exclude=["region", "district", "centre", "kind"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field not in self.errors:
                        self.errors[field] = list(messages)
        if self.errors:
            raise ValidationError(self.errors)


def save(*objs: models.Model) -> None:
    """Save inside a savepoint; a constraint hit by a concurrent write becomes a form error."""
    try:
        with transaction.atomic():
            for obj in objs:
                obj.save()
    except IntegrityError as exc:
        raise ValidationError(_("同時に別の変更が保存されたため保存できませんでした。"
                                "内容を確認して、もう一度保存してください。")) from exc
