"""What the review detail page shows besides the application itself: the transitions with
what each asks for (a decision's fields, the items a correction names), the correction
answers as differences (old → new per field, files replaced) and the decision's data.
Reads only; the page's view audits the read of the application."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from madoguchi.applications import transition_data
from madoguchi.applications.models import ApplicationAttachment
from madoguchi.applications.requirements import OTHER, attachment_names
from madoguchi.applications.services import notices
from madoguchi.procedures.formschema.django_forms import ProcedureForm
from madoguchi.procedures.formschema.summary import value_text

if TYPE_CHECKING:
    from madoguchi.applications.models import Application
    from madoguchi.procedures.workflow import Transition

CORRECTION_FIELDS = "correction_fields"
CORRECTION_ATTACHMENTS = "correction_attachments"


@dataclass
class TransitionRow:
    transition: Transition
    decision_form: ProcedureForm | None = None
    correction_fields: list[tuple[str, str, str]] = field(default_factory=list)
    correction_attachments: list[tuple[str, str]] = field(default_factory=list)
    chosen_fields: list[str] = field(default_factory=list)
    chosen_attachments: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.transition.name


def decision_form_for(application: Application, transition: Transition,
                      data: Mapping[str, Any] | None = None) -> ProcedureForm | None:
    spec = application.version.workflow_spec.status(transition.target).decision_form
    if spec is None:
        return None
    return ProcedureForm(spec, data, shared_device=False)


def correction_items(post: Mapping[str, Any]) -> transition_data.CorrectionItems:
    return transition_data.CorrectionItems.of(post.getlist(CORRECTION_FIELDS),
                                              post.getlist(CORRECTION_ATTACHMENTS))


def transition_input(application: Application, name: str, post: Mapping[str, Any]
                     ) -> tuple[ProcedureForm | None, transition_data.CorrectionItems | None]:
    """What a posted transition brings besides its note: the decision form bound to the
    post (when the target status has decision fields) and the correction items (when the
    target status waits for the resident)."""
    spec = application.version.workflow_spec
    transition = next((t for t in spec.transitions if t.name == name), None)
    if transition is None:
        return None, None
    correction = (correction_items(post) if spec.status(transition.target).pauses_clock
                  else None)
    return decision_form_for(application, transition, post), correction


def transition_rows(application: Application, *, chosen: str = "",
                    bound: ProcedureForm | None = None,
                    post: Mapping[str, Any] | None = None) -> list[TransitionRow]:
    """The staff transitions offered now (the notice form takes ``notify``), each with the
    decision fields or correction items it asks for; ``bound`` is the decision form of the
    ``chosen`` transition that failed, ``post`` its request data."""
    if application.is_draft:
        return []
    spec = application.version.workflow_spec
    available = spec.available(application.status, actor="staff")
    if notices.template_for(application) is not None:
        available = [t for t in available if t.name != notices.NOTIFY]
    rows = []
    for transition in available:
        row = TransitionRow(transition)
        if chosen == transition.name and bound is not None:
            row.decision_form = bound
        else:
            row.decision_form = decision_form_for(application, transition)
        if spec.status(transition.target).pauses_clock:
            _correction_choices(application, row)
            if chosen == transition.name and post is not None:
                row.chosen_fields = post.getlist(CORRECTION_FIELDS)
                row.chosen_attachments = post.getlist(CORRECTION_ATTACHMENTS)
        rows.append(row)
    return rows


def _correction_choices(application: Application, row: TransitionRow) -> None:
    answers = application.answers or {}
    row.correction_fields = [
        (spec.name, spec.text, "" if spec.is_group else value_text(spec, answers[spec.name]))
        for spec in application.version.form_spec.top_fields() if spec.name in answers]
    row.correction_attachments = [(code, name) for code, name
                                  in attachment_names(application.version).items()
                                  if code != OTHER]


# ── what happened ──────────────────────────────────────────────────────────────────────


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class FileChange:
    name: str
    replaced: list[ApplicationAttachment]
    added: list[ApplicationAttachment]


@dataclass
class RevisionRow:
    revision: Any
    asked_fields: list[str]
    asked_attachments: list[str]
    changes: list[Change]
    files: list[FileChange]


def revisions(application: Application) -> list[RevisionRow]:
    """Every answer to a correction with what changed, oldest first."""
    form = application.version.form_spec
    names = attachment_names(application.version)
    attachments = {a.pk: a for a in application.attachments.select_related("file")}
    rows = []
    for revision in (application.revisions.select_related("request", "actor", "event")
                     .order_by("at", "pk")):
        changes = []
        for name in [*revision.before, *[n for n in revision.after
                                         if n not in revision.before]]:
            spec = form.field(name)
            label = spec.text if spec else name
            old, new = revision.before.get(name), revision.after.get(name)
            changes.append(Change(label, _text(spec, old), _text(spec, new)))
        files = [FileChange(names.get(item["code"], item["code"]),
                            [attachments[pk] for pk in item.get("replaced", [])
                             if pk in attachments],
                            [attachments[pk] for pk in item.get("added", [])
                             if pk in attachments])
                 for item in revision.files]
        rows.append(RevisionRow(revision, *_asked(application, revision.request),
                                changes, files))
    return rows


def _text(spec, value) -> str:
    if value is None or spec is None:
        return "―" if value is None else str(value)
    if spec.is_group:
        return "; ".join(", ".join(value_text(sub, row.get(sub.name)) for sub in spec.fields
                                   if row.get(sub.name) not in (None, ""))
                         for row in value) or "―"
    return value_text(spec, value) or "―"


def open_request_items(application: Application) -> tuple[list[str], list[str]]:
    """(field labels, attachment names) the correction being waited on names."""
    request = transition_data.open_request(application)
    return _asked(application, request) if request is not None else ([], [])


def _asked(application: Application, request) -> tuple[list[str], list[str]]:
    """(field labels, attachment names) a correction request names."""
    form = application.version.form_spec
    names = attachment_names(application.version)
    return ([(form.field(n).text if form.field(n) else n) for n in request.fields],
            [names.get(c, c) for c in request.attachments])
