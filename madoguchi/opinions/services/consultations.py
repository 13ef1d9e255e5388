"""Consultations: the draft with its LINE keyword (ADR 0052), publication, the documents
and the categories opinions are sorted into."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.text import fold
from madoguchi.files.services import FileRefused, file_check, file_store
from madoguchi.opinions.models import DEFAULT_CATEGORIES, Category, Consultation, Document, State
from madoguchi.opinions.services._common import OpinionsError, _require

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

DOCUMENT_PURPOSE = "pubcom_document"
LINE_KEYWORD_MAX = 20
# 「意見」 alone means "the one consultation taking opinions now" (ADR 0052).
RESERVED_KEYWORDS = frozenset({"意見", "ご意見", "いけん"})
# What may follow the keyword at the start of a LINE message (after NFKC).
KEYWORD_ENDS = ":：、,。.】」)）"


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
