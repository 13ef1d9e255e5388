"""The published catalogue of procedures. Public: the ward publishes what it accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from madoguchi.core.problem import Problem
from madoguchi.organisation.models import SectionKind
from madoguchi.procedures import selectors
from madoguchi.procedures.formschema.spec import Condition, FieldSpec
from madoguchi.procedures.formschema.summary import describe
from madoguchi.procedures.models import Channel, ProcedureVersion

router = Router(tags=["procedures"])

PUBLIC = "認証は不要です（区が公開している手続きの情報）。"


class ProcedureFeeOut(Schema):
    label: str
    label_en: str = ""
    amount: int | None = None
    unit: str = ""
    unit_en: str = ""
    note: str = ""
    note_en: str = ""


class ProcedureAttachmentOut(Schema):
    code: str
    name: str
    name_en: str = ""
    explanation: str
    explanation_en: str = ""
    required: bool
    when: dict[str, Any] | None = None
    when_text: str = ""


class ProcedureSummaryOut(Schema):
    code: str
    version: int
    name: str
    name_en: str
    section: str
    section_name: str
    channels: list[str]
    identity: str
    processing_days: int
    fees: list[ProcedureFeeOut]
    required_attachments: list[ProcedureAttachmentOut]


class FormChoiceOut(Schema):
    value: str
    label: str
    label_en: str = ""


class FormFieldOut(Schema):
    name: str
    type: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = False
    show_when: dict[str, Any] | None = None
    required_when: dict[str, Any] | None = None
    options: dict[str, Any] = {}
    choices: list[FormChoiceOut] = []
    fields: list[FormFieldOut] = []


class FormSectionOut(Schema):
    title: str
    title_en: str = ""
    help: str = ""
    help_en: str = ""
    fields: list[FormFieldOut]


class WorkflowStatusOut(Schema):
    code: str
    label: str
    resident_label: str
    label_en: str = ""
    resident_label_en: str = ""
    final: bool = False


class WorkflowTransitionOut(Schema):
    name: str
    label: str
    sources: list[str]
    target: str
    actor: str


class WorkflowOut(Schema):
    initial: str
    statuses: list[WorkflowStatusOut]
    transitions: list[WorkflowTransitionOut]


class ProcedureDetailOut(ProcedureSummaryOut):
    published_at: dt.datetime
    summary: str
    summary_en: str
    who_may_apply: str
    who_may_apply_en: str
    processing_note: str
    processing_note_en: str
    fee_note: str
    fee_note_en: str
    attachments: list[ProcedureAttachmentOut]
    form: list[FormSectionOut]
    workflow: WorkflowOut


def _attachments(version: ProcedureVersion, *, only_required: bool) -> list[dict[str, Any]]:
    form = version.form_spec
    rows = []
    for item in version.attachments:
        if only_required and not item["required"]:
            continue
        row = {k: v for k, v in item.items() if k != "staff_note"}
        if "when" in item:
            condition = Condition.from_data(item["when"])
            row["when_text"] = describe(condition, form.field(condition.field))
        rows.append(row)
    return rows


def _summary(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": version.procedure.code, "version": version.number, "name": version.name,
        "name_en": version.name_en, "section": version.section_kind.code,
        "section_name": version.section_kind.name, "channels": version.channels,
        "identity": version.identity, "processing_days": version.processing_days,
        "fees": version.fees,
        "required_attachments": _attachments(version, only_required=True),
    }


def _field(spec: FieldSpec) -> dict[str, Any]:
    return {
        "name": spec.name, "type": spec.type, "label": spec.label, "label_en": spec.label_en,
        "help": spec.help, "help_en": spec.help_en, "required": spec.required,
        "show_when": spec.show_when.as_data() if spec.show_when else None,
        "required_when": spec.required_when.as_data() if spec.required_when else None,
        "options": dict(spec.options),
        "choices": [{"value": c.value, "label": c.label, "label_en": c.label_en}
                    for c in spec.choices],
        "fields": [_field(sub) for sub in spec.fields],
    }


def _detail(version: ProcedureVersion) -> dict[str, Any]:
    workflow = version.workflow_spec
    return {
        **_summary(version),
        "published_at": version.published_at, "summary": version.summary,
        "summary_en": version.summary_en, "who_may_apply": version.who_may_apply,
        "who_may_apply_en": version.who_may_apply_en,
        "processing_note": version.processing_note,
        "processing_note_en": version.processing_note_en, "fee_note": version.fee_note,
        "fee_note_en": version.fee_note_en,
        "attachments": _attachments(version, only_required=False),
        "form": [{"title": s.title, "title_en": s.title_en, "help": s.help,
                  "help_en": s.help_en, "fields": [_field(f) for f in s.fields]}
                 for s in version.form_spec.sections],
        "workflow": {
            "initial": workflow.initial,
            "statuses": [s.as_data() for s in workflow.statuses],
            "transitions": [{"name": t.name, "label": t.label, "sources": list(t.sources),
                             "target": t.target, "actor": t.actor}
                            for t in workflow.transitions],
        },
    }


@router.get("/procedures", response={200: list[ProcedureSummaryOut], 400: Problem},
            summary="公開中の手続きの一覧",
            description="公開中の手続き（最新の版）のコード・名前・担当の課の種別・受付の方法"
                        "（counter 窓口、assisted まちづくりセンターで職員と一緒に、online "
                        "オンライン）・必要な添付書類。section（課・機関の種別コード）と channel "
                        "で絞り込めます。" + PUBLIC)
def list_procedures(request, section: str | None = None, channel: str | None = None):
    if section and not SectionKind.objects.filter(code=section).exists():
        raise HttpError(400, f"種別コード「{section}」は存在しません。")
    if channel and channel not in Channel.values:
        raise HttpError(400, f"受付の方法「{channel}」は存在しません（counter, assisted, "
                             "online のいずれか）。")
    return [_summary(v) for v in selectors.published(section=section, channel=channel)]


@router.get("/procedures/{code}", response={200: ProcedureDetailOut, 404: Problem},
            summary="手続きの定義",
            description="公開中の最新の版の定義（申請書の項目、添付書類、手数料、処理の流れ）。"
                        "審査用のチェックリスト、通知書のひな形、内部メモは含みません。" + PUBLIC)
def get_procedure(request, code: str):
    version = selectors.published_get(code)
    if version is None:
        raise HttpError(404, f"手続きコード「{code}」の公開中の手続きはありません。")
    return _detail(version)
