"""What the writes of public comment and surveys share: the refusal with its message,
the permission check, the period as text and the checked text of an opinion."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.dates import day_text
from madoguchi.opinions.models import MAX_TEXT

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


class OpinionsError(ValidationError):
    """A refusal with a message for the person (Japanese first)."""


def _require(by: User, record: Any = None) -> None:
    if not can(by, Action.OPINIONS_MANAGE, record):
        raise PermissionDenied


def period_text(starts_on: dt.date, ends_on: dt.date) -> str:
    """「令和9年（2027年）1月11日（月）から令和9年（2027年）2月1日（月）まで」"""
    return _("%(start)s から %(end)s まで") % {
        "start": day_text(starts_on, weekday=True, seireki=True),
        "end": day_text(ends_on, weekday=True, seireki=True)}


def _text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise OpinionsError({"text": _("ご意見を入れてください。")})
    if len(text) > MAX_TEXT:
        raise OpinionsError({"text": _(
            "ご意見は%(limit)s文字以内にしてください（いまは%(count)s文字です）。長いときは"
            "分けて送るか、郵送・FAXでもお寄せいただけます。") % {
            "limit": f"{MAX_TEXT:,}", "count": f"{len(text):,}"}})
    return text
