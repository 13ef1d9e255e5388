"""Which attachments an application needs, given its answers (the procedure's data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from madoguchi.procedures import presentation
from madoguchi.procedures.formschema.engine import matches
from madoguchi.procedures.formschema.spec import Condition
from madoguchi.procedures.models import ProcedureVersion

OTHER = "other"  # a document the procedure does not name (その他の書類)


def attachment_names(version: ProcedureVersion) -> dict[str, str]:
    """Every attachment code an application of ``version`` may use → its name, in the
    active language, ``other`` included."""
    return {**presentation.attachment_names(version), OTHER: _("その他の書類")}


def needed_attachments(version: ProcedureVersion, answers: Mapping[str, Any]) -> list[dict]:
    """The attachments required for these (checked) answers: ``required`` ones whose
    ``when`` condition, if any, holds."""
    form = version.form_spec
    needed = []
    for item in version.attachments:
        if not item.get("required", True):
            continue
        when = item.get("when")
        if when:
            condition = Condition.from_data(when)
            target = form.field(condition.field)
            if not matches(condition, answers.get(condition.field), target):
                continue
        needed.append(item)
    return needed


def missing_attachments(version: ProcedureVersion, answers: Mapping[str, Any],
                        attached_codes: set[str]) -> list[dict]:
    return [item for item in needed_attachments(version, answers)
            if item["code"] not in attached_codes]
