"""First answers of a draft that staff start for a resident of the ward's records.

A procedure's form says, field by field, where a value may come from (``prefill:`` in its
data, checked by ``procedures.formschema.parse``): the resident's record (name, kana, birth
date, address, postal code, phone, e-mail) or, for a repeating group, the household (the
children, or every other member) with each row's fields from that member. The result is
*raw* answers, as if typed (dates as ISO strings, which the form shows in 和暦): the staff
member and the resident check and correct them before anything is submitted.

In a chain of drafts (a life event), answers typed in an earlier draft are carried to the
later ones for fields with the same name and type (``carry_over``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from madoguchi.procedures.formschema.spec import FieldSpec, FormSpec

if TYPE_CHECKING:
    from madoguchi.people.models import Resident
    from madoguchi.procedures.models import ProcedureVersion

# 続柄 of a member as seen from the applicant, when the applicant is the head of the
# household or the spouse (the relationships are recorded relative to the head).
_FROM_HEAD = {"head": "spouse", "spouse": "spouse", "child": "child", "parent": "parent",
              "grandparent": "grandparent", "grandchild": "grandchild",
              "sibling": "sibling", "other": "other"}
_FROM_CHILD = {"head": "parent", "spouse": "parent", "child": "sibling",
               "parent": "grandparent"}


def relationship_to(applicant: Resident, member: Resident) -> str:
    """The member's relationship to the applicant (``child``, ``spouse``...), or
    ``other`` when the household data does not say."""
    if applicant.relationship in ("head", "spouse"):
        if applicant.relationship == "spouse" and member.relationship == "sibling":
            return "other"  # the head's sibling is an in-law of the spouse
        return _FROM_HEAD.get(member.relationship, "other")
    if applicant.relationship == "child":
        return _FROM_CHILD.get(member.relationship, "other")
    return "other"


def _name(person: Resident, spec: FieldSpec) -> dict[str, str]:
    values = {"family": person.family_name, "given": person.given_name,
              "family_kana": person.family_name_kana, "given_kana": person.given_name_kana}
    return {part: values[part] for part in spec.parts}


def _kana(person: Resident) -> str:
    return "　".join(p for p in (person.family_name_kana, person.given_name_kana) if p)


def _choice(spec: FieldSpec, value: str) -> str | None:
    if spec.choice(value) is not None:
        return value
    return "other" if spec.choice("other") is not None else None


def _resident_value(spec: FieldSpec, resident: Resident) -> Any:
    source = spec.prefill
    if source == "resident.name":
        return _name(resident, spec)
    if source == "resident.kana":
        return _kana(resident)
    if source == "resident.birth_date":
        return resident.birth_date.isoformat()
    if source == "resident.address":
        return {"postal_code": resident.postal_code, "address": resident.address,
                "building": ""}
    if source == "resident.postal_code":
        return resident.postal_code or None
    if source == "resident.phone":
        return resident.phone or None
    if source == "resident.email":
        return resident.email or None
    return None


def _member_value(spec: FieldSpec, member: Resident, applicant: Resident) -> Any:
    source = spec.prefill
    if source == "member.name":
        return _name(member, spec)
    if source == "member.kana":
        return _kana(member)
    if source == "member.birth_date":
        return member.birth_date.isoformat()
    if source == "member.relationship":
        return _choice(spec, relationship_to(applicant, member))
    return None


def _rows(group: FieldSpec, resident: Resident, household: list[Resident]) -> list[dict]:
    members = household
    if group.prefill == "household.children":
        members = [m for m in household if m.relationship == "child"]
    rows = []
    for member in members[:group.opt("max", 10)]:
        row = {}
        for sub in group.fields:
            value = _member_value(sub, member, resident) if sub.prefill else None
            if value not in (None, ""):
                row[sub.name] = value
        rows.append(row)
    return rows


def answers_for(form: FormSpec, resident: Resident,
                household: Iterable[Resident] = ()) -> dict[str, Any]:
    """Raw answers of ``form`` from the resident's record and household."""
    household = [m for m in household if m.pk != resident.pk]
    answers: dict[str, Any] = {}
    for spec in form.top_fields():
        if not spec.prefill:
            continue
        if spec.is_group:
            rows = _rows(spec, resident, household)
            if rows:
                answers[spec.name] = rows
            continue
        value = _resident_value(spec, resident)
        if value not in (None, ""):
            answers[spec.name] = value
    return answers


def prefill_answers(version: ProcedureVersion, resident: Resident,
                    household: Iterable[Resident] | None = None) -> dict[str, Any]:
    """Raw first answers of a draft of ``version`` for ``resident``. ``household``: the
    other members (as the staff member may see them, people.selectors.household_members);
    without it, every recorded member of the resident's household."""
    if household is None:
        household = _household(resident)
    return answers_for(version.form_spec, resident, household)


def _household(resident: Resident) -> list[Resident]:
    from madoguchi.people.models import Resident as ResidentModel

    if not resident.household_code:
        return []
    return list(ResidentModel.objects.filter(household_code=resident.household_code)
                .exclude(pk=resident.pk).order_by("birth_date", "pk"))


def _filled(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value not in (None, "")


def carry_over(form: FormSpec, answers: Mapping[str, Any],
               earlier: Iterable[tuple[FormSpec, Mapping[str, Any]]]) -> dict[str, Any]:
    """``answers`` with the values typed in earlier drafts (``(form, answers)``, oldest
    first) for top-level fields of ``form`` with the same name and type (choices only when
    they are choices here too; confirmation checkboxes never); a later draft's value wins
    over an earlier one's, and both over the record's."""
    merged = dict(answers)
    for earlier_form, earlier_answers in earlier:
        tops = {f.name: f for f in earlier_form.top_fields()}
        for spec in form.top_fields():
            other = tops.get(spec.name)
            if other is None or other.type != spec.type:
                continue
            if spec.type == "checkbox":
                continue  # a confirmation is given on each form, never carried
            if spec.is_group and not _same_rows(spec, other):
                continue
            value = earlier_answers.get(spec.name)
            if _filled(value) and _fits(spec, value):
                merged[spec.name] = value
    return merged


def _fits(spec: FieldSpec, value: Any) -> bool:
    """A choice carried over must be one of this field's choices."""
    if spec.type in ("select", "radio"):
        return isinstance(value, str) and spec.choice(value) is not None
    if spec.type == "multiselect":
        return isinstance(value, list) and all(spec.choice(str(v)) for v in value)
    return True


def _same_rows(spec: FieldSpec, other: FieldSpec) -> bool:
    return [(f.name, f.type) for f in spec.fields] == [(f.name, f.type) for f in other.fields]
