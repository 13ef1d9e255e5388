"""What a party sees of another party's trouble record: the anonymised version.

Removed: the linked resident (name, address, birth date, contact with it), the basis note,
and every answer of the standard form that names or reaches a person (name, address,
postal code, phone, e-mail, date types). Free text (「気づいたこと」 and text answers) is
shown only when its author confirmed that it names nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from madoguchi.collaboration.models import TroubleRecord

PERSONAL_TYPES = frozenset({"name", "address", "postal_code", "phone", "email", "date", "kana",
                            "digits"})
FREE_TEXT_TYPES = frozenset({"text", "textarea"})


@dataclass
class RecordView:
    """A record as one user may see it."""

    record: TroubleRecord
    full: bool
    noticed: str
    answers: dict[str, Any] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)
    spec: Any = None

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(label, value as read) of the answers shown, in the form's order."""
        from madoguchi.procedures.formschema.summary import value_text

        if self.spec is None:
            return [(name, str(value)) for name, value in self.answers.items()]
        return [(f.text, value_text(f, self.answers[f.name])) for f in self.spec.all_fields()
                if f.name in self.answers]

    @property
    def resident(self):
        return self.record.resident if self.full else None


def anonymised_answers(record: TroubleRecord, spec) -> tuple[dict[str, Any], list[str]]:
    shown, withheld = {}, []
    for spec_field in spec.all_fields() if spec is not None else ():
        if record.answers.get(spec_field.name) in (None, "", []):
            continue
        if spec_field.type in PERSONAL_TYPES or spec_field.is_group or (
                spec_field.type in FREE_TEXT_TYPES and not record.noticed_names_nobody):
            withheld.append(spec_field.text)
            continue
        shown[spec_field.name] = record.answers[spec_field.name]
    return shown, withheld


def view_of(record: TroubleRecord, *, full: bool, spec=None) -> RecordView:
    if full:
        return RecordView(record=record, full=True, noticed=record.noticed, spec=spec,
                          answers={k: v for k, v in record.answers.items()
                                   if v not in (None, "", [])})
    answers, withheld = anonymised_answers(record, spec)
    noticed = record.noticed if record.noticed_names_nobody else _(
        "（記入者が個人を特定しない内容と確認していないため表示しません）")
    return RecordView(record=record, full=False, noticed=noticed, answers=answers,
                      withheld=withheld, spec=spec)
