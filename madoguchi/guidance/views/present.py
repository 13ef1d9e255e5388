"""What the guidance pages show of a ``Guidance``: texts in the page's language (English
where the knowledge base has it, else Japanese marked ``lang="ja"``), offices as label/value
pairs, the resident's district centre with its hours."""

from __future__ import annotations

from dataclasses import dataclass, field

from madoguchi.core.language import in_english
from madoguchi.guidance.models import Entry
from madoguchi.guidance.offices import office_facts


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" for ch in text or "")


def lang_of(text: str) -> str:
    """``"ja"`` when Japanese text is shown on an English page (for ``lang=``), else ``""``."""
    return "ja" if in_english() and _is_japanese(text) else ""


@dataclass
class SectionCard:
    code: str
    name: str
    name_lang: str
    reason: str
    reason_lang: str
    office: dict
    online: bool
    online_elsewhere: bool = False
    score: float = 0.0


@dataclass
class FaqCard:
    entry: Entry
    question: str
    question_lang: str
    answer: str
    lang: str
    fallback: bool
    easy_answer: str
    section_name: str
    section_lang: str
    score: float = 0.0
    voted: bool | None = None
    draft: bool = False
    editable: bool = False


@dataclass
class Result:
    query: str
    problem: str | None
    sections: list[SectionCard] = field(default_factory=list)
    faqs: list[FaqCard] = field(default_factory=list)
    procedures: list[dict] = field(default_factory=list)
    links: list = field(default_factory=list)  # guidance.links.AnswerLink


def kind_name(kind) -> str:
    return kind.name_en if in_english() and kind.name_en else kind.name


def faq_card(hit, *, voted: dict | None = None) -> FaqCard:
    """One answer; on English pages the English question and answer where the knowledge base
    has them, else the Japanese (marked ``lang="ja"``, with a note)."""
    entry = hit.entry
    question = entry.question_en if in_english() and entry.question_en else entry.question
    answer = entry.answer_en if in_english() and entry.answer_en else entry.answer
    section = kind_name(entry.section_kind)
    return FaqCard(
        entry=entry, question=question, question_lang=lang_of(question), answer=answer,
        lang=lang_of(answer), fallback=in_english() and not entry.answer_en,
        easy_answer=entry.easy_answer, section_name=section, section_lang=lang_of(section),
        score=hit.score, voted=(voted or {}).get(entry.code), draft=not entry.is_published)


def result_of(guidance, *, voted: dict | None = None) -> Result:
    """The page's view of the engine's answer."""
    sections = [
        SectionCard(code=hit.kind.code, name=kind_name(hit.kind),
                    name_lang=lang_of(kind_name(hit.kind)), reason=hit.reason,
                    reason_lang=lang_of(hit.reason), office=office_facts(hit.office),
                    online=bool(hit.online), score=hit.score,
                    online_elsewhere=bool(getattr(hit, "online_elsewhere", False)))
        for hit in guidance.sections
    ]
    procedures = [{**p, "lang": lang_of(p.get("name", ""))} for p in guidance.procedures]
    return Result(query=guidance.query, problem=guidance.problem, sections=sections,
                  faqs=[faq_card(hit, voted=voted) for hit in guidance.faqs],
                  procedures=procedures, links=list(guidance.links))
