"""Surveys: the questions as a form of the form engine, and the residents' answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.opinions.models import Response, Survey
from madoguchi.opinions.services._common import OpinionsError, _require, period_text
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


def survey_create(*, by: User, data: Mapping[str, Any]) -> Survey:
    """A survey whose questions are a form of the form engine (choices, scales as radio
    choices, free text), checked by its parser."""
    _require(by)
    parsed = parse_form(data["form"])  # raises with every problem of the definition
    survey = Survey(created_by=by, title=data["title"], description=data.get("description", ""),
                    district=data.get("district"), form=parsed.as_data(),
                    starts_on=data["starts_on"], ends_on=data["ends_on"])
    if survey.district_id and not can(by, Action.OPINIONS_MANAGE, survey):
        raise PermissionDenied
    if survey.ends_on < survey.starts_on:
        raise OpinionsError({"ends_on": _("締切日は開始日以降にしてください。")})
    survey.save()
    return survey


def survey_answer(*, survey: Survey, submission_key: uuid.UUID,
                  data: Mapping[str, Any]) -> tuple[Response, bool]:
    """Keep one resident's answers (no login, nothing personal asked by default)."""
    existing = Response.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    today = timezone.localdate()
    if not survey.starts_on <= today <= survey.ends_on:
        raise OpinionsError(
            _("このアンケートは回答を受け付けていません。受付期間は%(period)sです。")
            % {"period": period_text(survey.starts_on, survey.ends_on)})
    outcome = clean_answers(parse_form(survey.form), data)
    if not outcome.ok:
        raise OpinionsError({path: message for path, message in outcome.errors.items()})
    try:
        with transaction.atomic():
            return Response.objects.create(survey=survey, answers=outcome.answers,
                                           submission_key=submission_key), True
    except IntegrityError:
        return Response.objects.get(submission_key=submission_key), False
