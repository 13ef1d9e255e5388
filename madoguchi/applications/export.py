"""Hand-off export (引継ぎ用の出力): a section's received applications of one procedure, as
CSV (UTF-8 with BOM, one line per application, the answers flattened into columns) or JSON
(the answers nested as stored). The format is documented in docs/applications-export.md;
change both together.

Only the user's own sections can be exported (``Action.APPLICATION_EXPORT``), and every
exported application gets an audit entry (``export``), whether from the page or from
``manage.py export_applications``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, has_role_for
from madoguchi.applications.access import section_ids
from madoguchi.applications.models import DRAFT, Application, Decision
from madoguchi.applications.selectors import staff_queryset
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.dates import wareki
from madoguchi.core.spreadsheet import BOM, cell
from madoguchi.organisation.models import Section
from madoguchi.procedures.formschema.spec import FieldSpec, FormSpec
from madoguchi.procedures.models import Procedure

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

FORMAT_ID = "madoguchi.applications.export/1"
FORMATS = ("csv", "json")
MAX_ROWS = 10_000

# The fixed columns: (CSV header, key in the JSON object).
FIXED = (("受付番号", "reference"), ("申請ID", "public_id"), ("手続きコード", "procedure"),
         ("手続きの版", "version"), ("担当課コード", "section"), ("受付の方法", "channel"),
         ("状態コード", "status"), ("状態", "status_label"), ("受付日時", "submitted_at"),
         ("受付日（和暦）", "submitted_on_wareki"), ("処理期限", "due_on"),
         ("終了日時", "closed_at"), ("申請者の氏名", "applicant_name"),
         ("連絡先メールアドレス", "contact_email"), ("決定日時", "decided_at"),
         ("決定の理由", "decision_reasons"))


@dataclass
class ExportQuery:
    section: Section
    procedure: Procedure
    statuses: tuple[str, ...] = ()  # empty: every received status
    received_from: dt.date | None = None
    received_to: dt.date | None = None


@dataclass
class Export:
    query: ExportQuery
    applications: list[Application] = field(default_factory=list)


def exportable_sections(user: User) -> list[Section]:
    if not has_role_for(user, Action.APPLICATION_EXPORT):
        return []
    return list(Section.objects.filter(pk__in=section_ids(user)).select_related("kind")
                .order_by("code"))


def exportable_procedures(sections: Sequence[Section]) -> list[Procedure]:
    kinds = {section.kind_id for section in sections}
    return list(Procedure.objects.filter(versions__section_kind_id__in=kinds,
                                         current__isnull=False)
                .select_related("current").distinct().order_by("code"))


def make_query(*, user: User, section: str, procedure: str, statuses: Sequence[str] = (),
               received_from: dt.date | None = None, received_to: dt.date | None = None
               ) -> ExportQuery:
    """Check the filters; ValidationError (a dict by filter, Japanese) when one is wrong."""
    errors: dict[str, str] = {}
    sections = {s.code: s for s in exportable_sections(user)}
    chosen = sections.get(section or "")
    if chosen is None:
        errors["section"] = _("出力できるのは、あなたの課の申請だけです。課を選んでください。")
    found = Procedure.objects.filter(code=procedure or "").first()
    if found is None:
        errors["procedure"] = _("手続きを選んでください。")
    if received_from and received_to and received_from > received_to:
        errors["received_to"] = _("受付日の終わりは、始めより後の日にしてください。")
    codes = tuple(dict.fromkeys(s for s in statuses if s))
    if any(s == DRAFT for s in codes):
        errors["statuses"] = _("下書きは出力できません。")
    if errors:
        raise ValidationError(errors)
    return ExportQuery(section=chosen, procedure=found, statuses=codes,
                       received_from=received_from, received_to=received_to)


def run(*, user: User, query: ExportQuery, source: str) -> Export:
    """The applications to export, each audited as exported."""
    rows = (staff_queryset(user, Action.APPLICATION_EXPORT).exclude(status=DRAFT)
            .filter(section=query.section, version__procedure=query.procedure)
            .prefetch_related("decisions").order_by("submitted_at", "pk"))
    if query.statuses:
        rows = rows.filter(status__in=query.statuses)
    if query.received_from:
        rows = rows.filter(submitted_at__date__gte=query.received_from)
    if query.received_to:
        rows = rows.filter(submitted_at__date__lte=query.received_to)
    applications = list(rows[:MAX_ROWS + 1])
    if len(applications) > MAX_ROWS:
        raise ValidationError(_("%(n)d件を超えるため出力できません。受付日の範囲を狭めてください。")
                              % {"n": MAX_ROWS}, code="too_many")
    audit.record_many(actor=user, action=AuditAction.EXPORT, record_type="application",
                      records=[(str(a.public_id),
                                str(a.resident.public_id) if a.resident_id else "")
                               for a in applications],
                      source=source, fields=["answers"])
    return Export(query=query, applications=applications)


# ── values ─────────────────────────────────────────────────────────────────────────────


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def latest_decision(application: Application) -> Decision | None:
    """The application's latest decision (from the prefetched rows)."""
    decisions = sorted(application.decisions.all(), key=lambda d: (d.at, d.pk))
    return decisions[-1] if decisions else None


def decision_value(application: Application) -> dict[str, Any] | None:
    """The decision as the JSON export gives it (None before any decision)."""
    decision = latest_decision(application)
    if decision is None:
        return None
    return {"status": decision.status, "decided_at": _iso(decision.at),
            "data": decision.data, "reasons": decision.reasons}


def fixed_values(application: Application) -> dict[str, Any]:
    submitted = timezone.localtime(application.submitted_at)
    decision = latest_decision(application)
    return {
        "reference": application.reference,
        "public_id": str(application.public_id),
        "procedure": application.version.procedure.code,
        "version": application.version.number,
        "section": application.section.code,
        "channel": application.channel,
        "status": application.status,
        "status_label": application.status_spec.label,
        "submitted_at": _iso(application.submitted_at),
        "submitted_on_wareki": wareki(submitted),
        "due_on": application.due_on.isoformat() if application.due_on else None,
        "closed_at": _iso(application.closed_at) or None,
        "applicant_name": application.applicant_name,
        "contact_email": application.contact_email,
        "decided_at": _iso(decision.at) if decision else None,
        "decision_reasons": decision.reasons if decision else "",
    }


def decision_columns(export: Export) -> list[str]:
    """``decision.<field>`` of every decision field of the exported versions (newest
    version first, in the workflow's order of statuses)."""
    versions = {a.version_id: a.version for a in export.applications}
    columns: list[str] = []
    for version in sorted(versions.values(), key=lambda v: -v.number):
        for status in version.workflow_spec.statuses:
            columns += [f"decision.{f.name}" for f in status.fields]
    return list(dict.fromkeys(columns))


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_scalar(v) for v in value)
    return str(value)


def _field_paths(spec: FieldSpec, prefix: str) -> list[str]:
    if spec.parts:
        return [f"{prefix}{spec.name}.{part}" for part in spec.parts]
    return [f"{prefix}{spec.name}"]


def answer_columns(specs: Sequence[FormSpec], group_counts: dict[str, int]) -> list[str]:
    """The answer paths, in the form's order: ``name``, ``applicant.family`` (parts of a
    name or an address), ``children.1.child_birth_date`` (groups, numbered from 1, as many
    entries as the longest exported one). Several versions: the newest first, then any
    path an older version adds."""
    columns: list[str] = []
    for form in specs:
        for spec in form.top_fields():
            if spec.is_group:
                for number in range(1, group_counts.get(spec.name, 0) + 1):
                    for sub in spec.fields:
                        columns += _field_paths(sub, f"{spec.name}.{number}.")
            else:
                columns += _field_paths(spec, "")
    return list(dict.fromkeys(columns))


def flatten(answers: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            for part, sub in value.items():
                flat[f"{key}.{part}"] = _scalar(sub)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for number, entry in enumerate(value, start=1):
                for name, sub in entry.items():
                    flat.update(flatten({f"{key}.{number}.{name}": sub}))
        else:
            flat[key] = _scalar(value)
    return flat


def _specs(export: Export) -> list[FormSpec]:
    versions = {a.version_id: a.version for a in export.applications}
    current = export.query.procedure.current
    if current is not None:
        versions.setdefault(current.pk, current)
    return [v.form_spec for v in sorted(versions.values(), key=lambda v: -v.number)]


def csv_lines(export: Export) -> Iterator[str]:
    """The CSV text in chunks: BOM and header first, then one line per application."""
    counts: dict[str, int] = {}
    for application in export.applications:
        for key, value in application.answers.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                counts[key] = max(counts.get(key, 0), len(value))
    columns = answer_columns(_specs(export), counts)
    decided = decision_columns(export)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([header for header, _key in FIXED] + decided + columns)
    yield BOM + flush()
    for application in export.applications:
        fixed = fixed_values(application)
        flat = flatten(application.answers or {})
        decision = latest_decision(application)
        data = flatten({f"decision.{k}": v for k, v in decision.data.items()}) \
            if decision else {}
        writer.writerow([cell(_scalar(fixed[key])) for _header, key in FIXED]
                        + [cell(data.get(column, "")) for column in decided]
                        + [cell(flat.get(column, "")) for column in columns])
        yield flush()


def json_text(export: Export) -> str:
    query = export.query
    document = {
        "format": FORMAT_ID,
        "exported_at": _iso(timezone.now()),
        "section": {"code": query.section.code, "name": query.section.name},
        "procedure": {"code": query.procedure.code,
                      "name": query.procedure.current.display_name
                      if query.procedure.current_id else ""},
        "filters": {"statuses": list(query.statuses),
                    "received_from": query.received_from.isoformat()
                    if query.received_from else None,
                    "received_to": query.received_to.isoformat()
                    if query.received_to else None},
        "count": len(export.applications),
        "applications": [{**fixed_values(a), "decision": decision_value(a),
                          "answers": a.answers}
                         for a in export.applications],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def filename(export: Export, fmt: str) -> str:
    """No personal data: the section, the procedure and today's date."""
    section = export.query.section.code.replace("/", "-")
    return f"applications-{section}-{export.query.procedure.code}-" \
           f"{timezone.localdate():%Y%m%d}.{fmt}"
