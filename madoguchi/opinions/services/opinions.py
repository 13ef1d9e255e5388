"""Opinions taken from the public form, LINE and, entered by staff, from e-mail and paper
(with the postmark and the scanned original)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.files.models import StoredFile
from madoguchi.files.services import CheckedFile, FileRefused, file_check, file_store
from madoguchi.opinions.models import POSTMARKED, Channel, Consultation, Opinion, State
from madoguchi.opinions.services._common import OpinionsError, _require, _text, period_text
from madoguchi.organisation.models import District

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

ORIGINAL_PURPOSE = "opinion_original"


def period_problem(consultation: Consultation, *, channel: str, received_on: dt.date,
                   postmark_on: dt.date | None) -> str | None:
    """Why an opinion received on ``received_on`` is outside the period, or None. A
    postcard or letter that arrives late counts when its postmark is within the period."""
    period = period_text(consultation.starts_on, consultation.ends_on)
    if received_on < consultation.starts_on:
        return _("意見の募集はまだ始まっていません。募集期間は%(period)sです。") % {
            "period": period}
    if received_on <= consultation.ends_on:
        return None
    if channel in POSTMARKED and postmark_on is not None:
        if consultation.starts_on <= postmark_on <= consultation.ends_on:
            return None
        return _("消印が募集期間外です。募集期間は%(period)sです。") % {"period": period}
    return _("意見の募集は終わりました。募集期間は%(period)sです。") % {"period": period}


@dataclass(frozen=True)
class Submitted:
    opinion: Opinion
    created: bool  # False: the same form was posted before (idempotent)


def opinion_submit(*, consultation: Consultation, submission_key: uuid.UUID, text: str,
                   channel: str = Channel.WEB, name: str = "",
                   district: District | None = None, age_band: str = "",
                   received_on: dt.date | None = None, postmark_on: dt.date | None = None,
                   original: Any = None, by: User | None = None,
                   source: str = "opinions:submit", channel_ref: str = "") -> Submitted:
    """Take one opinion. ``by=None``: a resident on the public form (channel web) or the
    LINE inbox (channel line, ``channel_ref`` the sender's LINE user id), received today;
    staff enter the e-mail and paper channels with the day received, the postmark and the
    scanned original."""
    existing = Opinion.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return Submitted(existing, created=False)
    if channel not in Channel.values:
        raise OpinionsError({"channel": _("提出方法を選んでください。")})
    if by is None and channel not in (Channel.WEB, Channel.LINE):
        raise PermissionDenied
    if channel_ref and channel != Channel.LINE:
        raise PermissionDenied  # only LINE names its sender (ADR 0052)
    if by is not None:
        _require(by, consultation)
    today = timezone.localdate()
    if by is None or received_on is None:
        received_on = today
    if received_on > today:
        raise OpinionsError({"received_on": _("受付日に未来の日付は入れられません。")})
    if postmark_on is not None and (channel not in POSTMARKED or postmark_on > received_on):
        raise OpinionsError({"postmark_on": _(
            "消印の日付は、はがき・手紙で、受付日以前の日付だけ入れられます。")})
    text = _text(text)
    if consultation.state != State.OPEN:
        raise OpinionsError(_("この意見募集は受け付けていません。"))
    problem = period_problem(consultation, channel=channel, received_on=received_on,
                             postmark_on=postmark_on)
    if problem:
        raise OpinionsError({"postmark_on" if postmark_on else "text": problem})
    checked: CheckedFile | None = None
    if original is not None:
        try:
            checked = file_check(data=original, name=original.name, purpose=ORIGINAL_PURPOSE)
        except FileRefused as refused:
            raise OpinionsError({"original": refused.message}) from None
    try:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            if locked.state != State.OPEN:
                raise OpinionsError(_("この意見募集は受け付けていません。"))
            number = (locked.opinions.aggregate(n=Max("number"))["n"] or 0) + 1
            stored: StoredFile | None = None
            if checked is not None:
                stored = file_store(data=checked, name=checked.name,
                                    purpose=ORIGINAL_PURPOSE, by=by)
                checked = None
            opinion = Opinion.objects.create(
                consultation=locked, number=number, channel=channel, received_on=received_on,
                postmark_on=postmark_on, name=(name or "").strip()[:80], district=district,
                age_band=age_band or "", text=text, original=stored,
                submission_key=submission_key, entered_by=by, channel_ref=channel_ref[:80])
            audit.record(actor=by, action=AuditAction.CREATE, record_type="opinion",
                         record_id=opinion.public_id, source=source,
                         fields=["name", "district", "age_band", "text",
                                 *(["channel_ref"] if channel_ref else [])],
                         portal_ref="" if by else f"opinion:{opinion.public_id}")
    except IntegrityError:
        existing = Opinion.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return Submitted(existing, created=False)
    finally:
        if checked is not None:
            checked.discard()
    return Submitted(opinion, created=True)
