"""Writes to the catalogue: drafts, publishing, and loading the data files.

Ward administrators (``procedures.manage``) save a draft (a new one copies nothing: the
editor sends the whole definition), publish it, or discard it. A published version is
never written again (the database refuses it too); publishing moves ``Procedure.current``,
so applications that point at an older version keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.organisation.models import SectionKind
from madoguchi.procedures.definition import columns_of, validate_definition
from madoguchi.procedures.models import (
    FILE_CHANGED,
    FILE_CREATED,
    Origin,
    Procedure,
    ProcedureVersion,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


def _require_manage(by: User) -> None:
    if not can(by, Action.PROCEDURES_MANAGE):
        raise PermissionDenied


def _locked(code: str) -> Procedure | None:
    return Procedure.objects.select_for_update().filter(code=code).first()


def _draft(procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions.filter(published_at__isnull=True).first()


def _locked_draft(code: str, missing: str) -> tuple[Procedure, ProcedureVersion]:
    """The procedure (locked) and its draft; a ValidationError saying ``missing`` if none."""
    procedure = _locked(code)
    draft = _draft(procedure) if procedure else None
    if procedure is None or draft is None:
        raise ValidationError(missing, code="no_draft")
    return procedure, draft


def _new_version(*, procedure: Procedure, definition: dict[str, Any], origin: str,
                 by: User | None, change_note: str) -> ProcedureVersion:
    number = (procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return ProcedureVersion.objects.create(
        procedure=procedure, number=number, origin=origin, created_by=by,
        change_note=change_note[:200],
        section_kind=SectionKind.objects.get(code=definition["section"]),
        **columns_of(definition))


def draft_save(*, by: User, definition: dict[str, Any], change_note: str = "",
               create: bool = False) -> ProcedureVersion:
    """Save ``definition`` as the procedure's draft (creating the procedure with ``create``).

    Raises DefinitionInvalid (a ValidationError keyed by part) listing every problem, and a
    ValidationError on ``code`` when creating a code that exists or editing one that does
    not. Nothing is written unless everything is valid.
    """
    _require_manage(by)
    clean = validate_definition(definition)
    taken = ValidationError({"code": [_("手続きコード「%(code)s」はすでにあります。"
                                        "別のコードにしてください。") % {"code": clean["code"]}]})
    try:
        return _draft_write(by=by, clean=clean, change_note=change_note, create=create,
                            taken=taken)
    except IntegrityError:
        # Two administrators created the same code at the same moment: one wins.
        raise taken from None


def _draft_write(*, by: User, clean: dict[str, Any], change_note: str, create: bool,
                 taken: ValidationError) -> ProcedureVersion:
    with transaction.atomic():
        procedure = _locked(clean["code"])
        if create:
            if procedure is not None:
                raise taken
            procedure = Procedure.objects.create(code=clean["code"])
        elif procedure is None:
            raise ValidationError({"code": [_("手続きコードは変えられません。")]})
        draft = _draft(procedure)
        if draft is None:
            return _new_version(procedure=procedure, definition=clean, origin=Origin.EDITOR,
                                by=by, change_note=change_note)
        for name, value in columns_of(clean).items():
            setattr(draft, name, value)
        draft.section_kind = SectionKind.objects.get(code=clean["section"])
        draft.change_note = change_note[:200]
        draft.created_by = by
        draft.save()
        return draft


def draft_publish(*, by: User, code: str) -> ProcedureVersion:
    """Publish the draft of ``code``; it becomes the version new applications use."""
    _require_manage(by)
    with transaction.atomic():
        procedure, draft = _locked_draft(code, _("公開する下書きがありません。"))
        # The organisation may have changed since the draft was saved: check again.
        validate_definition(draft.definition())
        _publish(procedure, draft, by=by)
        return draft


def _publish(procedure: Procedure, version: ProcedureVersion, *, by: User | None) -> None:
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["published_at", "published_by"])
    procedure.current = version
    procedure.save(update_fields=["current"])


def draft_discard(*, by: User, code: str) -> None:
    _require_manage(by)
    with transaction.atomic():
        procedure, draft = _locked_draft(code, _("取り消す下書きがありません。"))
        draft.delete()
        if not procedure.versions.exists():
            procedure.delete()  # a procedure that was never published


# ── the data files ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class LoadResult:
    code: str
    outcome: str  # created | updated | unchanged | kept
    version: int


def load_definition(definition: dict[str, Any]) -> LoadResult:
    """Load one data-file definition (the ``load_procedures`` command; no user).

    - a new code: version 1, published;
    - unchanged file (same digest as the newest version made from a file): nothing;
    - changed file: a new version, published if the current one came from a file and no
      administrator's draft is open ("updated"); otherwise left to the administrators
      ("kept": their edits are never overwritten by a file).
    """
    clean = validate_definition(definition)
    values = columns_of(clean)
    with transaction.atomic():
        procedure = _locked(clean["code"])
        if procedure is None:
            procedure = Procedure.objects.create(code=clean["code"])
            version = _new_version(procedure=procedure, definition=clean, origin=Origin.FILE,
                                   by=None, change_note=FILE_CREATED)
            _publish(procedure, version, by=None)
            return LoadResult(procedure.code, "created", version.number)
        from_file = procedure.versions.filter(origin=Origin.FILE).order_by("-number").first()
        if from_file is not None and from_file.digest == values["digest"]:
            return LoadResult(procedure.code, "unchanged", from_file.number)
        current = procedure.current
        if _draft(procedure) is not None or (current and current.origin != Origin.FILE):
            return LoadResult(procedure.code, "kept", current.number if current else 0)
        version = _new_version(procedure=procedure, definition=clean, origin=Origin.FILE,
                               by=None, change_note=FILE_CHANGED)
        _publish(procedure, version, by=None)
        return LoadResult(procedure.code, "updated", version.number)
