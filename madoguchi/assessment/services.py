"""Writes of the assessment context: open-data publishing, figures the centre enters, the
yearly assessment's workflow (draft → centre approval → branch approval → published)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.policy import Action, can
from madoguchi.assessment import figures, opendata
from madoguchi.assessment.models import (
    Assessment,
    AssessmentEvent,
    EnteredFigure,
    FigureRefresh,
    FigureTally,
    OpenDataFile,
    Status,
)
from madoguchi.organisation.models import District


@transaction.atomic
def open_data_publish(*, now: dt.datetime | None = None) -> list[OpenDataFile]:
    """Write every dataset's file from the current data (all or nothing). A file whose
    bytes did not change keeps its update date."""
    now = now or timezone.now()
    published = []
    for spec in opendata.datasets():
        content = opendata.render_csv(spec, spec.rows())
        digest = hashlib.sha256(content).hexdigest()
        rows = content.count(b"\r\n") - 1
        current = OpenDataFile.objects.select_for_update().filter(dataset=spec.code).first()
        if current is None:
            current = OpenDataFile(dataset=spec.code, updated_at=now)
        elif current.sha256 != digest:
            current.updated_at = now
        current.content, current.sha256, current.rows = content, digest, rows
        current.published_at = now
        current.save()
        published.append(current)
    return published


def _tallies(fiscal_year: int, month: int, found) -> list[FigureTally]:
    return [FigureTally(fiscal_year=fiscal_year, month=month, code=code, district_id=district,
                        key="" if key is None else str(key)[:60], value=value)
            for code, districts in found.items() for district, counts in districts.items()
            for key, value in counts.items() if value]


def figures_refresh(fiscal_year: int, *, now: dt.datetime | None = None) -> FigureRefresh:
    """Precompute every registered figure of ``fiscal_year`` for all the districts, for the
    whole year and month by month (the worker runs this every hour, ADR 0051). The counts
    are read first, then the year's tallies are replaced in one transaction: a page reads
    either the old set or the new one. ``refreshed_at`` is when the reading began."""
    now = now or timezone.now()
    started = time.perf_counter()
    ids = list(District.objects.values_list("pk", flat=True))
    codes = [figure.code for figure in figures.registered()]
    rows = _tallies(fiscal_year, 0, figures.collect(ids, fiscal_year))
    for month, found in figures.collect_months(ids, fiscal_year, codes=codes).items():
        rows += _tallies(fiscal_year, month, found)
    with transaction.atomic():
        # One refresh of a year at a time: the second waits for the first's row.
        refresh = FigureRefresh.objects.select_for_update().filter(
            fiscal_year=fiscal_year).first() or FigureRefresh(fiscal_year=fiscal_year)
        FigureTally.objects.filter(fiscal_year=fiscal_year).delete()
        FigureTally.objects.bulk_create(rows, batch_size=2000)
        refresh.refreshed_at = now
        refresh.seconds = round(time.perf_counter() - started, 3)
        refresh.save()
    return refresh


def _value(code: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": "数値で入力してください。"}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"value": "0以上の数値で入力してください。"})
    if code == EnteredFigure.Code.AGING_RATE and value > 100:
        raise ValidationError({"value": "高齢化率は0から100までの値で入力してください。"})
    if code != EnteredFigure.Code.AGING_RATE and value != value.to_integral_value():
        raise ValidationError({"value": "件数は整数で入力してください。"})
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def figure_enter(*, user, district, fiscal_year: int, code: str, value, note: str = ""
                 ) -> EnteredFigure:
    """The centre enters (or corrects) one figure of its district for a fiscal year."""
    if not can(user, Action.ASSESSMENT_FIGURES, district):
        raise PermissionDenied("この地区の数値を入力する権限がありません。")
    if code not in EnteredFigure.Code.values:
        raise ValidationError({"code": "項目を選んでください。"})
    if not 2000 <= int(fiscal_year) <= 2100:
        raise ValidationError({"fiscal_year": "年度が正しくありません。"})
    cleaned = _value(code, value)
    figure, _created = EnteredFigure.objects.select_for_update().update_or_create(
        district=district, fiscal_year=fiscal_year, code=code,
        defaults={"value": cleaned, "note": note.strip()[:200], "entered_by": user,
                  "entered_at": timezone.now()})
    return figure


# -- the yearly assessment ----------------------------------------------------------------

SECTIONS = ("situation", "issues", "resources", "actions", "easy_summary")
REQUIRED = ("situation", "issues", "resources", "actions")
REQUIRED_LABELS = {"situation": "地区の状況", "issues": "地区の課題", "resources": "地域資源",
                   "actions": "今年度の取組"}
SECTION_LIMIT = 4000


class StaleRevision(ValidationError):
    """Someone else saved the assessment since this form was opened."""

    def __init__(self, current: Assessment):
        self.current = current
        super().__init__("ほかの職員がこの地区アセスメントを先に保存しました。相手の変更を確認して"
                         "から、もう一度保存してください。")


def _event(assessment: Assessment, *, user, from_status: str, note: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, at=timezone.now(), actor=user,
                                   from_status=from_status, to_status=assessment.status,
                                   note=note[:300])


def _locked(assessment_id: int) -> Assessment:
    return Assessment.objects.select_for_update().select_related("district").get(
        pk=assessment_id)


@transaction.atomic
def assessment_save(*, user, district, fiscal_year: int, texts: dict[str, str],
                    revision: int | None = None) -> Assessment:
    """Create or change the draft of a district's assessment for a fiscal year. The
    ``revision`` the form was opened at must still be current (no silent overwrite)."""
    if not can(user, Action.ASSESSMENT_WRITE, district):
        raise PermissionDenied("この地区のアセスメントを編集する権限がありません。")
    errors = {name: "4,000文字以内で入力してください。" for name in SECTIONS
              if len(texts.get(name, "") or "") > SECTION_LIMIT}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    assessment = (Assessment.objects.select_for_update()
                  .filter(district=district, fiscal_year=fiscal_year).first())
    if assessment is None:
        assessment = Assessment(district=district, fiscal_year=fiscal_year, created_by=user,
                                updated_at=now, revision=0)
    elif assessment.status != Status.DRAFT:
        raise ValidationError("提出済み・承認済みのアセスメントは編集できません。差し戻されてから"
                              "編集してください。")
    elif revision is not None and revision != assessment.revision:
        raise StaleRevision(assessment)
    for name in SECTIONS:
        setattr(assessment, name, (texts.get(name) or "").strip())
    assessment.revision += 1
    assessment.updated_at = now
    assessment.save()
    _event(assessment, user=user, from_status=Status.DRAFT, note="保存")
    return assessment


@transaction.atomic
def assessment_submit(*, user, assessment_id: int) -> Assessment:
    assessment = _locked(assessment_id)
    if not can(user, Action.ASSESSMENT_WRITE, assessment.district):
        raise PermissionDenied("この地区のアセスメントを提出する権限がありません。")
    if assessment.status != Status.DRAFT:
        raise ValidationError("作成中のアセスメントだけを提出できます。")
    missing = [REQUIRED_LABELS[name] for name in REQUIRED
               if not getattr(assessment, name).strip()]
    if missing:
        raise ValidationError("次の項目を書いてから提出してください: " + "、".join(missing))
    assessment.status = Status.SUBMITTED
    assessment.submitted_by = user
    assessment.save(update_fields=["status", "submitted_by"])
    _event(assessment, user=user, from_status=Status.DRAFT)
    return assessment


@transaction.atomic
def assessment_approve(*, user, assessment_id: int, figures_snapshot=None) -> Assessment:
    """The centre head's approval, then the branch office's, which freezes the figures and
    their charts: ``figures_snapshot() -> (figures, chart SVGs)``."""
    assessment = _locked(assessment_id)
    before = assessment.status
    if before == Status.SUBMITTED:
        if not can(user, Action.ASSESSMENT_CENTRE_APPROVE, assessment):
            raise PermissionDenied("センターの承認は、この地区のまちづくりセンター所長"
                                   "（提出した本人を除く）が行います。")
        assessment.status = Status.CENTRE_APPROVED
    elif before == Status.CENTRE_APPROVED:
        if not can(user, Action.ASSESSMENT_BRANCH_APPROVE, assessment):
            raise PermissionDenied("総合支所の承認は、この地区の総合支所の管理職が行います。")
        assessment.status = Status.APPROVED
        assessment.figures, assessment.chart_svgs = (
            figures_snapshot() if figures_snapshot else ({}, []))
    else:
        raise ValidationError("承認を待っているアセスメントではありません。")
    assessment.save(update_fields=["status", "figures", "chart_svgs"])
    _event(assessment, user=user, from_status=before)
    return assessment


@transaction.atomic
def assessment_return(*, user, assessment_id: int, reason: str) -> Assessment:
    """Send a submitted assessment back to draft with a reason."""
    assessment = _locked(assessment_id)
    before = assessment.status
    steps: dict[str, Action] = {Status.SUBMITTED: Action.ASSESSMENT_CENTRE_APPROVE,
                                Status.CENTRE_APPROVED: Action.ASSESSMENT_BRANCH_APPROVE}
    allowed = steps.get(before)
    if allowed is None:
        raise ValidationError("承認を待っているアセスメントだけを差し戻せます。")
    if not can(user, allowed, assessment):
        raise PermissionDenied("このアセスメントを差し戻す権限がありません。")
    if not reason.strip():
        raise ValidationError({"reason": "差し戻す理由を書いてください。"})
    assessment.status = Status.DRAFT
    assessment.save(update_fields=["status"])
    _event(assessment, user=user, from_status=before, note=reason.strip())
    return assessment


@transaction.atomic
def assessment_publish(*, user, assessment_id: int, render_pdf=None) -> Assessment:
    """Publish an approved assessment; ``render_pdf(assessment) -> bytes`` makes the print
    PDF once, kept with it."""
    assessment = _locked(assessment_id)
    if not can(user, Action.ASSESSMENT_PUBLISH, assessment.district):
        raise PermissionDenied("この地区のアセスメントを公開する権限がありません。")
    if assessment.status != Status.APPROVED:
        raise ValidationError("センター長と総合支所の承認を受けてから公開してください。")
    assessment.status = Status.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.pdf = render_pdf(assessment) if render_pdf else None
    assessment.save(update_fields=["status", "published_at", "pdf"])
    _event(assessment, user=user, from_status=Status.APPROVED)
    return assessment
