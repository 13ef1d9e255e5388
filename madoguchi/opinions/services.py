"""Writes of public comment and surveys. Each is one transaction; every refusal is an
``OpinionsError`` raised before anything is written, with a message for the person.

Opinions carry a one-time ``submission_key`` from their form: the same form posted twice
finds the first opinion (idempotent), also when the two posts race (the unique key)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.dates import day_text
from madoguchi.core.text import fold
from madoguchi.documents.pubcom import result_problems
from madoguchi.files.models import StoredFile
from madoguchi.files.services import CheckedFile, FileRefused, file_check, file_store
from madoguchi.opinions import selectors
from madoguchi.opinions.models import (
    DEFAULT_CATEGORIES,
    MAX_TEXT,
    POSTMARKED,
    AnswerGroup,
    Category,
    Channel,
    Consultation,
    Document,
    Item,
    Opinion,
    Response,
    State,
    Survey,
)
from madoguchi.organisation.models import District
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

DOCUMENT_PURPOSE = "pubcom_document"
LINE_KEYWORD_MAX = 20
# 「意見」 alone means "the one consultation taking opinions now" (ADR 0052).
RESERVED_KEYWORDS = frozenset({"意見", "ご意見", "いけん"})
# What may follow the keyword at the start of a LINE message (after NFKC).
KEYWORD_ENDS = ":：、,。.】」)）"
ORIGINAL_PURPOSE = "opinion_original"


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


# ── consultations ─────────────────────────────────────────────────────────────────────

def consultation_create(*, by: User, data: Mapping[str, Any]) -> Consultation:
    """A draft with the plan's categories (editable on the consultation)."""
    _require(by)
    fields = ("title", "summary", "send_to", "district", "starts_on", "ends_on")
    consultation = Consultation(created_by=by, **{name: data[name] for name in fields})
    if consultation.district_id and not can(by, Action.OPINIONS_MANAGE, consultation):
        raise PermissionDenied
    if consultation.ends_on < consultation.starts_on:
        raise OpinionsError({"ends_on": _("締切日は開始日以降にしてください。")})
    consultation.line_keyword = line_keyword_clean(data.get("line_keyword") or "")
    with transaction.atomic():
        if consultation.line_keyword and Consultation.objects.filter(
                line_keyword=consultation.line_keyword).exists():
            raise OpinionsError({"line_keyword": _(
                "このLINEの受付キーワードは、ほかの意見募集で使われています。"
                "別の言葉にしてください。")})
        consultation.save()
        Category.objects.bulk_create(
            Category(consultation=consultation, name=name, sort_order=n)
            for n, name in enumerate(DEFAULT_CATEGORIES, 1))
    return consultation


def line_keyword_clean(value: str) -> str:
    """The keyword as kept: folded (NFKC, spaces removed), checked (ADR 0052)."""
    keyword = fold(value or "")
    if not keyword:
        return ""
    if len(keyword) > LINE_KEYWORD_MAX:
        raise OpinionsError({"line_keyword": _(
            "LINEの受付キーワードは%(limit)s文字以内にしてください。") % {
            "limit": LINE_KEYWORD_MAX}})
    if keyword in RESERVED_KEYWORDS:
        raise OpinionsError({"line_keyword": _(
            "「%(word)s」はLINEの受付キーワードに使えません。案の内容がわかる言葉にして"
            "ください。") % {"word": keyword}})
    if any(mark in keyword for mark in KEYWORD_ENDS):
        raise OpinionsError({"line_keyword": _(
            "LINEの受付キーワードには、区切りの記号（：、。】など）を入れないでください。")})
    return keyword


def consultation_open(*, by: User, consultation: Consultation) -> Consultation:
    """Publish the draft: the public page and the form appear (the form takes opinions
    within the period)."""
    _require(by, consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state != State.DRAFT:
            raise OpinionsError(_("この意見募集はすでに公開されています。"))
        locked.state = State.OPEN
        locked.save(update_fields=["state"])
    return locked


def document_add(*, by: User, consultation: Consultation, title: str, upload) -> Document:
    _require(by, consultation)
    if not (title or "").strip():
        raise OpinionsError({"title": _("資料名を入れてください。")})
    try:
        checked = file_check(data=upload, name=upload.name, purpose=DOCUMENT_PURPOSE)
    except FileRefused as refused:
        raise OpinionsError({"file": refused.message}) from None
    with transaction.atomic():
        stored = file_store(data=checked, name=upload.name, purpose=DOCUMENT_PURPOSE, by=by)
        return Document.objects.create(consultation=consultation, title=title.strip(),
                                       file=stored)


def category_add(*, by: User, consultation: Consultation, name: str) -> Category:
    _require(by, consultation)
    name = (name or "").strip()
    if not name:
        raise OpinionsError({"name": _("分類の名前を入れてください。")})
    with transaction.atomic():
        if consultation.categories.filter(name=name).exists():
            raise OpinionsError({"name": _("同じ名前の分類がすでにあります。")})
        last = consultation.categories.aggregate(n=Max("sort_order"))["n"] or 0
        return Category.objects.create(consultation=consultation, name=name,
                                       sort_order=last + 1)


def category_remove(*, by: User, category: Category) -> None:
    _require(by, category.consultation)
    with transaction.atomic():
        if category.items.exists() or category.groups.exists():
            raise OpinionsError(_("この分類には意見が仕分けられているため、削除できません。"))
        category.delete()


# ── opinions ──────────────────────────────────────────────────────────────────────────

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


# ── sorting: items, categories, groups, answers ───────────────────────────────────────

def _open_for_sorting(by: User, consultation: Consultation) -> None:
    _require(by, consultation)
    if consultation.state == State.RESULT:
        raise OpinionsError(_("結果を公表した後は、仕分けを変えられません。"))


def _category(consultation: Consultation, category: Category | None) -> Category | None:
    if category is not None and category.consultation_id != consultation.pk:
        raise OpinionsError({"category": _("この意見募集の分類から選んでください。")})
    return category


def item_add(*, by: User, opinion: Opinion, text: str,
             category: Category | None = None) -> Item:
    """One point of the opinion, in the staff's words (or the opinion's own)."""
    consultation = opinion.consultation
    _open_for_sorting(by, consultation)
    text = _text(text)
    with transaction.atomic():
        item = Item.objects.create(opinion=opinion, consultation=consultation, text=text,
                                   category=_category(consultation, category))
        audit.record(actor=by, action=AuditAction.UPDATE, record_type="opinion",
                     record_id=opinion.public_id, source="opinions:items", fields=["items"])
    return item


def item_sort(*, by: User, item: Item, category: Category | None) -> Item:
    """Put the item in a category; moving it out of its group's category takes it out of
    the group."""
    consultation = item.consultation
    _open_for_sorting(by, consultation)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        locked.category = _category(consultation, category)
        if locked.group_id is not None and not AnswerGroup.objects.filter(
                pk=locked.group_id, category=category).exists():
            locked.group = None
        locked.save(update_fields=["category", "group"])
    return locked


def item_remove(*, by: User, item: Item) -> None:
    _open_for_sorting(by, item.consultation)
    with transaction.atomic():
        Item.objects.filter(pk=item.pk).delete()


def items_group(*, by: User, consultation: Consultation, items: Iterable[Item],
                summary: str = "", group: AnswerGroup | None = None) -> AnswerGroup:
    """Merge items saying the same thing into one group (a new one with ``summary``, or
    ``group``). The items must be sorted into one category, the group's."""
    _open_for_sorting(by, consultation)
    chosen = list(items)
    if not chosen:
        raise OpinionsError(_("まとめる意見の項目を選んでください。"))
    if any(item.consultation_id != consultation.pk for item in chosen):
        raise PermissionDenied
    if any(item.category_id is None for item in chosen):
        raise OpinionsError(_("分類が決まっていない項目があります。先に分類を選んでください。"))
    categories = {int(item.category_id) for item in chosen if item.category_id is not None}
    if len(categories) > 1 or (group is not None and group.category_id not in categories):
        raise OpinionsError(_("分類の違う項目は一つにまとめられません。"))
    with transaction.atomic():
        if group is None:
            summary = (summary or "").strip()
            if not summary:
                summary = chosen[0].text if len(chosen) == 1 else ""
            if not summary:
                raise OpinionsError({"summary": _("意見の概要を入れてください。")})
            group = AnswerGroup.objects.create(consultation=consultation,
                                               category_id=categories.pop(), summary=summary)
        Item.objects.filter(pk__in=[item.pk for item in chosen]).update(group=group)
    return group


def group_answer(*, by: User, group: AnswerGroup, summary: str, answer: str) -> AnswerGroup:
    _open_for_sorting(by, group.consultation)
    summary, answer = (summary or "").strip(), (answer or "").strip()
    if not summary:
        raise OpinionsError({"summary": _("意見の概要を入れてください。")})
    with transaction.atomic():
        AnswerGroup.objects.filter(pk=group.pk).update(summary=summary, answer=answer)
    group.summary, group.answer = summary, answer
    return group


def publish_problems(consultation: Consultation) -> list[str]:
    """What stands between the sorting and the published result (empty: ready)."""
    problems = []
    unsplit = consultation.opinions.filter(items__isnull=True).count()
    if unsplit:
        problems.append(_("項目に分けていない意見が%(n)s件あります。") % {"n": unsplit})
    unsorted = consultation.items.filter(category__isnull=True).count()
    if unsorted:
        problems.append(_("分類が決まっていない項目が%(n)s件あります。") % {"n": unsorted})
    ungrouped = consultation.items.filter(group__isnull=True).count()
    if ungrouped:
        problems.append(_("区の考え方に結び付いていない項目が%(n)s件あります。") % {"n": ungrouped})
    unanswered = consultation.groups.filter(answer="", items__isnull=False).distinct().count()
    if unanswered:
        problems.append(_("区の考え方を書いていない意見のまとまりが%(n)s件あります。") % {
            "n": unanswered})
    if consultation.ends_on >= timezone.localdate():
        problems.append(_("意見の募集期間がまだ終わっていません。"))
    if not problems:  # the published result must print (its public PDF)
        problems += [_("結果のPDF: %(problem)s") % {"problem": problem} for problem in
                     result_problems(selectors.result_sheet(consultation))]
    return problems


def result_publish(*, by: User, consultation: Consultation, intro: str = "") -> Consultation:
    """Publish 意見の概要と区の考え方. Refused while any opinion is not split, any item
    not sorted into a category and a group, or any group without the ward's answer."""
    _require(by, consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state == State.RESULT:
            raise OpinionsError(_("結果はすでに公表しています。"))
        if locked.state != State.OPEN:
            raise OpinionsError(_("公開していない意見募集の結果は公表できません。"))
        problems = publish_problems(locked)
        if problems:
            raise OpinionsError([_("まだ結果を公表できません。"), *problems])
        locked.state = State.RESULT
        locked.result_intro = (intro or "").strip()
        locked.result_published_at = timezone.now()
        locked.save(update_fields=["state", "result_intro", "result_published_at"])
    return locked


# ── surveys ───────────────────────────────────────────────────────────────────────────

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
