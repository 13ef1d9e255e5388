"""Writes of public comment and surveys, one module per feature (ADR 0034), re-exported here:
``consultations`` (the draft, its documents and categories, publication), ``opinions``
(taking an opinion, on the form, by LINE or entered by staff), ``sorting`` (items, groups,
the ward's answers), ``results`` (publishing the result), ``surveys``; ``_common`` holds
the shared pieces. Each is one transaction; every refusal is an ``OpinionsError`` raised
before anything is written, with a message for the person.

Opinions carry a one-time ``submission_key`` from their form: the same form posted twice
finds the first opinion (idempotent), also when the two posts race (the unique key)."""

from madoguchi.opinions.services._common import OpinionsError, period_text
from madoguchi.opinions.services.consultations import (
    DOCUMENT_PURPOSE,
    KEYWORD_ENDS,
    LINE_KEYWORD_MAX,
    RESERVED_KEYWORDS,
    category_add,
    category_remove,
    consultation_create,
    consultation_open,
    document_add,
    line_keyword_clean,
)
from madoguchi.opinions.services.opinions import (
    ORIGINAL_PURPOSE,
    Submitted,
    opinion_submit,
    period_problem,
)
from madoguchi.opinions.services.results import publish_problems, result_publish
from madoguchi.opinions.services.sorting import (
    group_answer,
    item_add,
    item_remove,
    item_sort,
    items_group,
)
from madoguchi.opinions.services.surveys import survey_answer, survey_create

__all__ = [
    "DOCUMENT_PURPOSE", "KEYWORD_ENDS", "LINE_KEYWORD_MAX", "ORIGINAL_PURPOSE",
    "RESERVED_KEYWORDS", "OpinionsError", "Submitted", "category_add", "category_remove",
    "consultation_create", "consultation_open", "document_add", "group_answer", "item_add",
    "item_remove", "item_sort", "items_group", "line_keyword_clean", "opinion_submit",
    "period_problem", "period_text", "publish_problems", "result_publish", "survey_answer",
    "survey_create",
]
