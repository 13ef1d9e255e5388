"""Reads of the guidance context: ``guide`` (which counter handles my problem?) and lists.

``guide`` ranks the published entries (see ``search``), then the section kinds by the
scores of their entries (best entry + half the second + a quarter of the third), and
resolves each kind to the office that serves the resident's district.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.consultations.models import OnlineService
from madoguchi.guidance import conditions
from madoguchi.guidance.index import search_state
from madoguchi.guidance.links import AnswerLink, links_for
from madoguchi.guidance.models import Entry, QueryLog, Synonym
from madoguchi.guidance.procedures import procedure_list
from madoguchi.guidance.search import (
    EntryScore,
    explain,
    kind_profiles,
    profile_scores,
    query_weights,
    rank_entries,
)
from madoguchi.guidance.text import analyse, is_searchable, prepare
from madoguchi.organisation.codes import section_code, split_district_key
from madoguchi.organisation.models import District, Section, SectionKind, Tier

MAX_QUERY_CHARS = 1000
KIND_DECAY = (1.0, 0.5, 0.25)
# A ranking is "confident" when the best section scores at least this much and leads the
# second by this ratio; only then is it used to propose a section at intake.
CONFIDENT_SCORE = 6.0
CONFIDENT_LEAD = 1.3
# Procedures come from the top answers scoring at least this share of the best one.
PROCEDURE_SHARE = 0.6
# Below this top score the question counts as unanswered for the learning loop.
ANSWERED_SCORE = 3.0


@dataclass(frozen=True)
class SectionHit:
    kind: SectionKind
    score: float
    reason: str
    office: dict
    online: bool
    words: tuple[str, ...] = ()  # the query's words that matched, most telling first


@dataclass(frozen=True)
class FaqHit:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Guidance:
    query: str
    problem: str | None = None
    sections: list[SectionHit] = field(default_factory=list)
    faqs: list[FaqHit] = field(default_factory=list)
    procedures: list[dict] = field(default_factory=list)
    # Pages other contexts offer for the question (guidance.links), e.g. what the
    # resident's centre can lend.
    links: list[AnswerLink] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.sections) and self.sections[0].score >= ANSWERED_SCORE

    @property
    def confident(self) -> bool:
        if not self.sections or self.sections[0].score < CONFIDENT_SCORE:
            return False
        if len(self.sections) == 1:
            return True
        return self.sections[0].score >= CONFIDENT_LEAD * self.sections[1].score

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "problem": self.problem,
            "sections": [{
                "code": hit.kind.code,
                "name": hit.kind.name,
                "name_en": hit.kind.name_en,
                "tier": hit.kind.tier,
                "score": hit.score,
                "reason": hit.reason,
                "office": hit.office,
                "online": hit.online,
            } for hit in self.sections],
            "faqs": [{
                "id": hit.entry.code,
                "section": hit.entry.section_kind.code,
                "question": hit.entry.question,
                "answer": hit.entry.answer,
                "easy_answer": hit.entry.easy_answer,
                "question_en": hit.entry.question_en,
                "answer_en": hit.entry.answer_en,
                "score": hit.score,
            } for hit in self.faqs],
            "procedures": [{"code": p["code"], "name": p["name"]} for p in self.procedures],
        }


def problem_for(text: str) -> str | None:
    """A Japanese message when the text cannot be searched, else None."""
    if not (text or "").strip():
        return _("質問を入力してください。")
    if len(text) > MAX_QUERY_CHARS:
        return _("質問が長すぎます。%(max)s文字以内で入力してください。") % {
            "max": f"{MAX_QUERY_CHARS:,}"}
    if not is_searchable(prepare(text)):
        return _("検索できる言葉が含まれていません。困っていることを言葉で入力してください。")
    return None


def guide(text: str, *, district: District | None = None, limit_sections: int = 3,
          limit_faqs: int = 5, include_unpublished: bool = False) -> Guidance:
    """Ranked section kinds, the best FAQ answers and related procedures for ``text``.

    ``include_unpublished`` (staff only) adds drafts and entries under review to the FAQ
    answers (``FaqHit.entry.status`` tells them apart); sections and procedures always come
    from published entries."""
    text = text if isinstance(text, str) else ""
    problem = problem_for(text)
    if problem:
        return Guidance(query=text, problem=problem)
    matcher, published = search_state()
    analysis = analyse(text, synonyms=matcher)
    if not analysis.words and not analysis.readings:
        return Guidance(query=text, problem=_(
            "検索できる言葉が含まれていません。困っていることを言葉で入力してください。"))
    weights = query_weights(analysis, published=published)
    found = _situated(text, rank_entries(weights, include_unpublished=include_unpublished))
    scores = [hit for hit in found if hit.published]
    kind_rows = {kind.pk: kind for kind in SectionKind.objects.all()}
    profiles = profile_scores(analysis, kind_profiles(list(kind_rows.values()), matcher))
    kinds = _rank_kinds(scores, profiles)[:limit_sections]
    links = links_for(text, district)
    if not kinds and not found:
        return Guidance(query=text, links=links)
    top = found[:max(limit_faqs, 3)]
    wanted = [hit.entry_id for hit in top] + [hits[0].entry_id for _k, _s, hits in kinds if hits]
    entries = Entry.objects.select_related("section_kind").in_bulk(wanted)
    faqs = [FaqHit(entries[s.entry_id], s.score) for s in top[:limit_faqs]
            if s.entry_id in entries]
    explain([hit for _kind, _score, hits in kinds for hit in hits[:len(KIND_DECAY)]], weights)
    online = _online_kinds(district)
    offices = offices_for([kind_rows[kind_id] for kind_id, _s, _h in kinds], district)
    sections = []
    for kind_id, score, hits in kinds:
        kind = kind_rows[kind_id]
        words = _matched_words(hits, analysis.surfaces) or _profile_words(kind, analysis)
        best = entries.get(hits[0].entry_id) if hits else None
        sections.append(SectionHit(
            kind=kind, score=score, reason=_reason(words, best),
            office=offices[kind_id], online=kind_id in online, words=words,
        ))
    codes: list[str] = []
    published_faqs = [hit for hit in faqs if hit.entry.is_published]
    for hit in published_faqs[:3]:
        if hit.score >= PROCEDURE_SHARE * published_faqs[0].score:
            codes += [c for c in hit.entry.procedure_codes or [] if c not in codes]
    return Guidance(query=text, sections=sections, faqs=faqs, procedures=procedure_list(codes),
                    links=links)


def _situated(text: str, found: list[EntryScore]) -> list[EntryScore]:
    """``found`` with the entries about a situation the question does not mention (a
    death, ...; see ``conditions``) lowered, best first again (one query)."""
    if not found:
        return found
    questions = dict(Entry.objects.filter(pk__in=[hit.entry_id for hit in found])
                     .values_list("pk", "question"))
    lowered = conditions.unmet(text, questions)
    for hit in found:
        if hit.entry_id in lowered:
            hit.score = round(hit.score * conditions.PENALTY, 6)
    return sorted(found, key=lambda hit: (-hit.score, hit.entry_id))


def _rank_kinds(scores: list[EntryScore], profiles: dict[int, float]
                ) -> list[tuple[int, float, list[EntryScore]]]:
    """Kinds by the scores of their best entries (decaying) plus their own description."""
    per_kind: dict[int, list[EntryScore]] = {kind_id: [] for kind_id in profiles}
    for hit in scores:  # best first
        per_kind.setdefault(hit.kind_id, []).append(hit)
    ranked = []
    for kind_id, hits in per_kind.items():
        score = sum(w * h.score for w, h in zip(KIND_DECAY, hits, strict=False))
        ranked.append((kind_id, round(score + profiles.get(kind_id, 0.0), 4), hits))
    ranked.sort(key=lambda row: (-row[1], row[0]))
    return ranked


def _profile_words(kind: SectionKind, analysis) -> tuple[str, ...]:
    described = f"{kind.name}{kind.handles}"
    return tuple(word for word in dict.fromkeys(analysis.surfaces.values())
                 if word in described)[:4]


def _matched_words(hits: list[EntryScore], surfaces: dict[str, str]) -> tuple[str, ...]:
    """The query's words behind a kind's score, most telling first; a word inside a longer
    one shown (証明 in 証明書) is left out."""
    weights: dict[str, float] = {}
    for hit in hits[:3]:
        for term, part in hit.matched.items():
            weights[term] = weights.get(term, 0.0) + part
    words: list[str] = []
    for term, _weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        word = surfaces.get(term, term)
        if not any(word in shown or shown in word for shown in words):
            words.append(word)
    return tuple(words[:4])


def _reason(words: tuple[str, ...], best: Entry | None) -> str:
    if words:
        reason = _("「%(words)s」がこの課・機関の案内に一致しました。") % {
            "words": "」「".join(words)}
    else:
        reason = _("読みの近い言葉がこの課・機関の案内に一致しました。")
    if best is not None:
        reason += _("関連する質問：%(question)s") % {"question": best.question}
    return reason


def _online_kinds(district: District | None) -> set[int]:
    if district is None:
        return set()
    return set(OnlineService.objects.filter(
        centre__district=district, enabled=True, since__lte=timezone.localdate(),
    ).values_list("section_kind_id", flat=True))


def offices_for(kinds: list[SectionKind], district: District | None) -> dict[int, dict]:
    """Kind id → the office that serves ``district`` for that kind: section code, name,
    building, address, phone and hours where the organisation data knows them (one
    query). Without a district only head-office and specialist kinds have an office."""
    codes = {kind.pk: section_code(kind, district=district) for kind in kinds}
    sections = {section.code: section for section in Section.objects
                .select_related("region", "district__centre")
                .filter(code__in=[c for c in codes.values() if c], is_active=True)}
    centre = getattr(district, "centre", None) if district is not None else None
    offices: dict[int, dict] = {}
    for kind in kinds:
        section = sections.get(codes[kind.pk] or "")
        office: dict = {}
        if section is not None:
            office = {"section": section.code, "name": section.label,
                      "office": section.office_label, "phone": section.phone}
            if kind.tier == Tier.BRANCH and section.region and section.region.address:
                office["address"] = section.region.address
        if kind.tier == Tier.DISTRICT and centre is not None:
            office.update({"name": centre.label, "address": centre.address,
                           "phone": centre.phone or office.get("phone", ""),
                           "hours": f"{centre.opens_at:%H:%M}–{centre.closes_at:%H:%M}"})
        offices[kind.pk] = {key: value for key, value in office.items() if value}
    return offices


def district_from_code(code: str) -> District | None:
    """A district from ``region/district`` or a district code that is unique in the ward."""
    code = (code or "").strip()
    queryset = District.objects.select_related("region", "centre")
    if "/" in code:
        key = split_district_key(code)
        if key is None:
            return None
        return queryset.filter(region__code=key[0], code=key[1]).first()
    matches = list(queryset.filter(code=code)[:2])
    return matches[0] if len(matches) == 1 else None


# ----------------------------------------------------------------------- lists for pages


def entry_list(*, status: str | None = None, kind: SectionKind | None = None
               ) -> QuerySet[Entry]:
    queryset = Entry.objects.select_related("section_kind")
    if status:
        queryset = queryset.filter(status=status)
    if kind is not None:
        queryset = queryset.filter(section_kind=kind)
    return queryset


def synonym_list() -> QuerySet[Synonym]:
    return Synonym.objects.all()


def unanswered_questions(*, reason: str | None = None, limit: int = 100) -> list[dict]:
    """Logged questions by frequency: ``[{text, reason, count, last}]``, most asked first."""
    queryset = QueryLog.objects.all()
    if reason:
        queryset = queryset.filter(reason=reason)
    return [dict(row) for row in queryset.values("text", "reason")
            .annotate(count=Count("pk"), last=Max("created_at"))
            .order_by("-count", "-last")[:limit]]
