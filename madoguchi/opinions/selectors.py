"""Reads of public comment and surveys: the staff's lists, the tally, the published result
(personal data masked) and the surveys' results."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core.spreadsheet import BOM, cell
from madoguchi.core.text import mask_personal
from madoguchi.documents.content import PublicCommentResult, ResultAnswer, ResultSection
from madoguchi.opinions.access import scope
from madoguchi.opinions.models import (
    AgeBand,
    AnswerGroup,
    Channel,
    Consultation,
    State,
    Survey,
)
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.formschema.spec import CHOICE_TYPES


def staff_consultations(user) -> QuerySet[Consultation]:
    return (Consultation.objects.filter(scope(user)).select_related("district")
            .annotate(opinion_count=Count("opinions")))


def staff_surveys(user) -> QuerySet[Survey]:
    return (Survey.objects.filter(scope(user)).select_related("district")
            .annotate(response_count=Count("responses")))


def public_consultations() -> QuerySet[Consultation]:
    return (Consultation.objects.exclude(state=State.DRAFT).select_related("district")
            .prefetch_related("documents"))


def public_surveys() -> QuerySet[Survey]:
    today = timezone.localdate()
    return Survey.objects.filter(starts_on__lte=today, ends_on__gte=today)


def accepting(consultation: Consultation) -> bool:
    today = timezone.localdate()
    return (consultation.state == State.OPEN
            and consultation.starts_on <= today <= consultation.ends_on)


# ── tally ─────────────────────────────────────────────────────────────────────────────

@dataclass
class Tally:
    people: int = 0
    items: int = 0
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # kind -> rows


TALLY_KINDS = ("channel", "category", "district", "age_band")


def tally(consultation: Consultation) -> Tally:
    """People by channel, district and age band; items by category (as the plan's own
    report counts them: 意見提出人数 and 意見件数)."""
    found = Tally()
    opinions = list(consultation.opinions.values_list("channel", "district__name",
                                                     "age_band"))
    found.people = len(opinions)
    channels = Counter(channel for channel, _d, _a in opinions)
    found.rows["channel"] = [(str(label), channels.get(value, 0))
                             for value, label in Channel.choices]
    districts = Counter(district or "" for _c, district, _a in opinions)
    found.rows["district"] = sorted(
        ((name or _("記入なし"), n) for name, n in districts.items()), key=lambda r: -r[1])
    bands = Counter(band for _c, _d, band in opinions)
    found.rows["age_band"] = [(str(label), bands.get(value, 0))
                              for value, label in AgeBand.choices]
    found.rows["age_band"].append((_("記入なし"), bands.get("", 0)))
    per_category: dict[int | None, int] = dict(
        consultation.items.values("category_id").annotate(n=Count("id"))
        .values_list("category_id", "n"))
    found.items = sum(per_category.values())
    found.rows["category"] = [(c.name, per_category.get(c.pk, 0))
                              for c in consultation.categories.all()]
    if per_category.get(None):
        found.rows["category"].append((_("未分類"), per_category[None]))
    return found


def tally_titles() -> dict[str, str]:
    return {"channel": _("提出方法別（人）"), "category": _("分類別（件）"),
            "district": _("地区別（人）"), "age_band": _("年代別（人）")}


def tally_csv(consultation: Consultation) -> str:
    found = tally(consultation)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("集計"), _("区分"), _("数")])
    titles = tally_titles()
    for kind in TALLY_KINDS:
        for label, n in found.rows[kind]:
            writer.writerow([titles[kind], cell(label), n])
    writer.writerow([_("意見提出人数"), "", found.people])
    writer.writerow([_("意見件数"), "", found.items])
    return BOM + out.getvalue()


# ── the published result ──────────────────────────────────────────────────────────────

@dataclass
class ResultGroup:
    summary: str
    answer: str
    count: int


@dataclass
class ResultCategory:
    name: str
    count: int
    groups: list[ResultGroup]


def result(consultation: Consultation) -> list[ResultCategory]:
    """意見の概要と区の考え方, per category: each group's summary and answer with the
    senders' names and every e-mail address, phone number and house number masked."""
    groups = (AnswerGroup.objects.filter(consultation=consultation)
              .select_related("category").annotate(count=Count("items"))
              .order_by("category__sort_order", "category_id", "id"))
    # Every sender's name is masked wherever it appears (one may name another).
    names = list(consultation.opinions.exclude(name="").values_list("name", flat=True))
    found: dict[int, ResultCategory] = {}
    for group in groups:
        if not group.count:
            continue
        entry = found.setdefault(group.category_id,
                                 ResultCategory(group.category.name, 0, []))
        entry.count += group.count
        entry.groups.append(ResultGroup(mask_personal(group.summary, names=names),
                                        mask_personal(group.answer, names=names), group.count))
    return list(found.values())


def result_sheet(consultation: Consultation) -> PublicCommentResult:
    """The published result as the document to print (documents.pubcom): the masked
    summaries and answers of ``result``, the counts of ``tally`` (people by channel, every
    channel listed), dates in 和暦 there. Nothing of a sender but the counts; before the
    result is published (the check of publication) today stands for the day of publication."""
    counted = tally(consultation)
    published = consultation.result_published_at
    return PublicCommentResult(
        title=consultation.title, intro=consultation.result_intro,
        starts_on=consultation.starts_on, ends_on=consultation.ends_on,
        published_on=timezone.localdate(published) if published else timezone.localdate(),
        people=counted.people, items=counted.items,
        channels=tuple(counted.rows["channel"]),
        sections=tuple(ResultSection(category.name, category.count, tuple(
            ResultAnswer(group.summary, group.answer, group.count) for group in category.groups))
            for category in result(consultation)),
        publisher=settings.DOCUMENTS_WARD_NAME)


# ── surveys ───────────────────────────────────────────────────────────────────────────

@dataclass
class QuestionResult:
    name: str
    label: str
    kind: str  # "choice" or "text"
    rows: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    answered: int = 0


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Per question: counts per choice (in the form's order), or the free texts."""
    spec = parse_form(survey.form)
    answers = list(survey.responses.values_list("answers", flat=True))
    results = []
    for question in spec.top_fields():
        if question.is_group:
            continue
        values = [a.get(question.name) for a in answers if a.get(question.name) not in
                  (None, "", [])]
        found = QuestionResult(question.name, question.text,
                               "choice" if question.type in CHOICE_TYPES
                               or question.type in ("yesno", "checkbox") else "text",
                               answered=len(values))
        if question.type in CHOICE_TYPES:
            counts: Counter[str] = Counter()
            for value in values:
                counts.update(value if isinstance(value, list) else [value])
            found.rows = [(choice.text, counts.get(choice.value, 0))
                          for choice in question.choices]
        elif question.type in ("yesno", "checkbox"):
            # The engine stores yes/no and checkboxes as booleans.
            found.rows = [(_("はい"), sum(1 for v in values if v is True)),
                          (_("いいえ"), sum(1 for v in values if v is False))]
        else:
            found.texts = [str(v) for v in values]
        results.append(found)
    return len(answers), results


def survey_csv(survey: Survey) -> str:
    """One row per response, one column per question (choices by their label)."""
    spec = parse_form(survey.form)
    questions = [q for q in spec.top_fields() if not q.is_group]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("回答番号"), _("回答日時"), *[cell(q.text) for q in questions]])

    def shown(question, value: Any) -> str:
        if value is None:
            return ""
        values: Iterable[Any] = value if isinstance(value, list) else [value]
        texts = []
        for one in values:
            choice = question.choice(one) if question.type in CHOICE_TYPES else None
            texts.append(choice.text if choice else str(one))
        return "・".join(texts)

    for number, response in enumerate(survey.responses.all(), 1):
        writer.writerow([number, timezone.localtime(response.created_at).isoformat(
            timespec="minutes"), *[cell(shown(q, response.answers.get(q.name)))
                                   for q in questions]])
    return BOM + out.getvalue()
