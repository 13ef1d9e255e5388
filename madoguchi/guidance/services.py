"""Writes of the guidance context: entries and their status, synonyms, the learning loop.

Every write that changes what residents can find updates the search index in the same
transaction. The logs never hold personal data (``mask``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.text import EMAIL_PATTERN, PHONE_PATTERN
from madoguchi.guidance import access
from madoguchi.guidance.index import index_all, index_entry
from madoguchi.guidance.models import (
    LOG_TEXT_MAX,
    Entry,
    EntryStatus,
    EntryStatusChange,
    Feedback,
    QueryLog,
    QueryReason,
    Synonym,
)
from madoguchi.organisation.models import SectionKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.guidance.selectors import Guidance

# ----------------------------------------------------------------------------- masking

_DIGIT = re.compile(r"\d")
_KANJI_NUMBER = re.compile(
    r"[〇一二三四五六七八九十百千万]{2,}|[〇一二三四五六七八九十](?=[年月日歳番号]|丁目)")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def mask(text: str) -> str:
    """The text as it may be logged: NFKC, tags dropped, e-mail addresses, phone numbers,
    digits and long kanji numbers masked, spaces collapsed, at most 200 characters."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _TAGS.sub(" ", text)
    text = EMAIL_PATTERN.sub("[メール]", text)
    text = PHONE_PATTERN.sub("[電話]", text)
    text = _DIGIT.sub("#", text)
    text = _KANJI_NUMBER.sub("#", text)
    return _SPACES.sub(" ", text).strip()[:LOG_TEXT_MAX]


# ------------------------------------------------------------------------- permission


def _require(by: User | None, allowed: Callable[[], bool]) -> None:
    """Staff writes follow the policy and the record rules of ``access``; ``by=None`` is
    the system (the seed loader, tests)."""
    if by is not None and not allowed():
        raise PermissionDenied


# ----------------------------------------------------------------------------- entries

ENTRY_FIELDS = ("question", "answer", "easy_answer", "question_en", "answer_en",
                "section_kind", "procedure_codes", "keywords", "reviewed_on")


def _clean_list(values) -> list[str]:
    if isinstance(values, str):
        values = re.split(r"[,、\n]", values)
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _validate(entry: Entry) -> None:
    entry.keywords = _clean_list(entry.keywords)
    entry.procedure_codes = _clean_list(entry.procedure_codes)
    bad = [c for c in entry.procedure_codes if not re.fullmatch(r"[a-z0-9-]+", c)]
    if bad:
        raise ValidationError({"procedure_codes": _("手続のコードが正しくありません：%(codes)s")
                               % {"codes": "、".join(bad)}})
    entry.full_clean()


def _record_status(entry: Entry, old: str, *, by: User | None, note: str = "") -> None:
    if old == entry.status:
        return
    EntryStatusChange.objects.create(entry=entry, from_status=old, to_status=entry.status,
                                     by=by, note=note[:200])


CODE_NUMBER = re.compile(r"[0-9]+")


def _next_code(kind: SectionKind) -> str:
    """``<kind>-NNN``: one more than the highest number among the codes of that form (so
    a number is not given twice, whatever entries came and went in between). The caller
    holds the lock on the kind's row."""
    prefix = f"{kind.code}-"
    numbers = [int(code[len(prefix):]) for code in
               Entry.objects.filter(code__startswith=prefix).values_list("code", flat=True)
               if CODE_NUMBER.fullmatch(code[len(prefix):])]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def entry_create(*, section_kind: SectionKind, question: str, answer: str,
                 by: User | None, code: str = "", easy_answer: str = "",
                 question_en: str = "", answer_en: str = "",
                 keywords: list[str] | None = None,
                 procedure_codes: list[str] | None = None,
                 reviewed_on: dt.date | None = None,
                 status: str = EntryStatus.DRAFT) -> Entry:
    """A new entry (a draft unless ``status`` says otherwise), indexed when published.

    Without ``code`` it gets the next code of its kind (``<kind>-NNN``), allocated under a
    lock on the kind's row (SQLite: the IMMEDIATE write transaction) held to the commit, so
    two staff adding entries to one kind at once get different codes; the unique
    constraint on the code stays the last guard."""
    entry = Entry(code=code, section_kind=section_kind, question=question, answer=answer,
                  easy_answer=easy_answer, question_en=question_en, answer_en=answer_en,
                  keywords=keywords or [], procedure_codes=procedure_codes or [],
                  reviewed_on=reviewed_on, status=status,
                  status_changed_by=by, status_changed_at=timezone.now())
    _require(by, lambda: can(by, Action.GUIDANCE_DRAFT, entry) and (
        status != EntryStatus.PUBLISHED or can(by, Action.GUIDANCE_PUBLISH, entry)))
    if not code:
        SectionKind.objects.select_for_update().filter(pk=section_kind.pk).first()
        entry.code = _next_code(section_kind)
    _validate(entry)
    entry.save()
    _record_status(entry, "", by=by)
    index_entry(entry)
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, by: User | None, **changes) -> Entry:
    """Change an entry's content; the index follows if it is published."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update: unknown fields {sorted(unknown)}")
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _require(by, lambda: can(by, Action.GUIDANCE_EDIT, entry))
    if "section_kind" in changes:  # moving an entry needs the right on its new kind too
        moved = Entry(section_kind=changes["section_kind"], status=entry.status)
        _require(by, lambda: can(by, Action.GUIDANCE_EDIT, moved))
    for name, value in changes.items():
        setattr(entry, name, value)
    _validate(entry)
    entry.save()
    index_entry(entry)
    return entry


ALLOWED_STATUS = {
    EntryStatus.DRAFT: {EntryStatus.REVIEW, EntryStatus.PUBLISHED},
    EntryStatus.REVIEW: {EntryStatus.DRAFT, EntryStatus.PUBLISHED},
    EntryStatus.PUBLISHED: {EntryStatus.DRAFT},
}


@transaction.atomic
def entry_set_status(*, entry: Entry, status: str, by: User | None, note: str = "",
                     reviewed_on: dt.date | None = None) -> Entry:
    """Move an entry to review, publish it (residents see it) or take it back to draft.

    Publishing sets the last-reviewed date (today unless given)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _require(by, lambda: status in access.allowed_moves(by, entry))
    old = entry.status
    if status not in ALLOWED_STATUS.get(old, set()):
        raise ValidationError(_("「%(old)s」から「%(new)s」には変更できません。") % {
            "old": EntryStatus(old).label, "new": EntryStatus(status).label})
    entry.status = status
    entry.status_changed_by = by
    entry.status_changed_at = timezone.now()
    if status == EntryStatus.PUBLISHED:
        entry.reviewed_on = reviewed_on or timezone.localdate()
    entry.save()
    _record_status(entry, old, by=by, note=note)
    index_entry(entry)
    return entry


def entry_publish(*, entry: Entry, by: User | None, note: str = "") -> Entry:
    return entry_set_status(entry=entry, status=EntryStatus.PUBLISHED, by=by, note=note)


@transaction.atomic
def entry_mark_reviewed(*, entry: Entry, by: User | None, note: str = "") -> Entry:
    """A published entry's content was checked today: it stays published, its
    last-reviewed date moves to today and the history records who confirmed it."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _require(by, lambda: access.REVIEWED in access.allowed_moves(by, entry))
    if entry.status != EntryStatus.PUBLISHED:
        raise ValidationError(_("公開中の回答だけを確認済みにできます。"))
    entry.reviewed_on = timezone.localdate()
    entry.save(update_fields=["reviewed_on", "updated_at"])
    EntryStatusChange.objects.create(entry=entry, from_status=entry.status,
                                     to_status=entry.status, by=by,
                                     note=(note or _("内容を確認しました"))[:200])
    return entry


# ---------------------------------------------------------------------------- synonyms


def _reindex(later: bool) -> None:
    """Entries are indexed with the canonical terms: rebuild the index now, or (pages)
    in the task worker once the change is committed. Questions use the new synonyms at
    once either way (queries are analysed with the current table)."""
    if not later:
        index_all()
        return
    from madoguchi.guidance.tasks import reindex_guidance

    transaction.on_commit(reindex_guidance.enqueue)


@transaction.atomic
def synonym_save(*, canonical: str, variants: list[str] | str, by: User | None,
                 note: str = "", synonym: Synonym | None = None,
                 later: bool = False) -> Synonym:
    """Create or change a synonym group, then re-index (``later``: in the worker)."""
    _require(by, lambda: can(by, Action.GUIDANCE_SYNONYMS))
    canonical = (canonical or "").strip()
    cleaned = [v for v in dict.fromkeys(_clean_list(variants)) if v != canonical]
    if not canonical or not cleaned:
        raise ValidationError(_("代表の語と、少なくとも1つの言い換えを入力してください。"))
    target = synonym or Synonym()
    if synonym is not None:
        target = Synonym.objects.select_for_update().get(pk=synonym.pk)
    target.canonical, target.variants, target.note, target.updated_by = (
        canonical, cleaned, note, by)
    target.full_clean()
    target.save()
    _reindex(later)
    return target


@transaction.atomic
def synonym_delete(*, synonym: Synonym, by: User | None, later: bool = False) -> None:
    _require(by, lambda: can(by, Action.GUIDANCE_SYNONYMS))
    Synonym.objects.filter(pk=synonym.pk).delete()
    _reindex(later)


# --------------------------------------------------------------------------- the loop


def query_log_record(*, text: str, reason: str, entry: Entry | None = None) -> QueryLog | None:
    """Log a question without personal data; nothing is logged for an empty text."""
    masked = mask(text)
    if not masked or reason not in QueryReason.values:
        return None
    return QueryLog.objects.create(text=masked, reason=reason, entry=entry)


def guidance_log_unanswered(*, guidance: Guidance) -> QueryLog | None:
    """Log the question of ``guidance`` when it found no good answer."""
    if guidance.problem or guidance.answered:
        return None
    return query_log_record(text=guidance.query, reason=QueryReason.NO_ANSWER)


@transaction.atomic
def feedback_record(*, entry: Entry, helpful: bool, query: str = "") -> Feedback:
    """A vote on an answer; "not helpful" also goes to the learning loop."""
    feedback = Feedback.objects.create(entry=entry, helpful=helpful, query=mask(query))
    if not helpful:
        query_log_record(text=query or entry.question, reason=QueryReason.NOT_HELPFUL,
                         entry=entry)
    return feedback


@transaction.atomic
def query_logs_dismiss(*, text: str, by: User | None) -> int:
    """Staff handled a logged question (added an entry, or it needs none): its rows go."""
    _require(by, lambda: can(by, Action.GUIDANCE_LEARNING))
    deleted, _rows = QueryLog.objects.filter(text=text).delete()
    return deleted
