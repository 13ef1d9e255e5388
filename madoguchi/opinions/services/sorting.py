"""Sorting the opinions: items (the points of an opinion), their categories, the groups
that say the same thing and the ward's answer to each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.opinions.models import AnswerGroup, Category, Consultation, Item, Opinion, State
from madoguchi.opinions.services._common import OpinionsError, _require, _text

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


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
