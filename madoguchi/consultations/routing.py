"""Which section should handle a consultation, and whether it is online at a centre.

``propose(consultation=...)`` asks the registered proposers in turn (the guidance engine
will register one in a later issue) and falls back to the editable topic→section table
(``RoutingRule``). A section kind resolves to the concrete section that serves the
resident's district through the organisation's code scheme (``organisation.codes``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.consultations.models import Category, OnlineService, RoutingRule
from madoguchi.core.text import fold
from madoguchi.organisation.models import Section, SectionKind, Tier
from madoguchi.organisation.selectors import section_serving

if TYPE_CHECKING:
    from madoguchi.consultations.models import Consultation
    from madoguchi.organisation.models import DistrictCentre
    from madoguchi.people.models import Resident

# Stage of the ward's rollout a section's tier belongs to (multi-party meetings: 2).
TIER_STAGE: dict[str, int] = {
    Tier.BRANCH: 1,
    Tier.DISTRICT: 1,
    Tier.PARTNER: 2,
    Tier.SPECIALIST: 2,
    Tier.HEAD: 3,
}
MULTI_PARTY_STAGE = 2
ROUTABLE_TIERS = frozenset({Tier.BRANCH, Tier.HEAD, Tier.SPECIALIST, Tier.PARTNER})


@dataclass(frozen=True)
class Proposal:
    section: Section | None
    reason: str
    # The best unit that consults online at the consultation's centre, when ``section``
    # does not (proposed next to it; None when ``section`` does or none was found).
    online_section: Section | None = None


Proposer = Callable[["Consultation"], Proposal | None]
_proposers: list[Proposer] = []


def register_proposer(proposer: Proposer) -> Proposer:
    """Put a proposer (e.g. the guidance engine) before the routing table. It returns a
    Proposal, or None to let the next one (finally the table) answer."""
    if proposer not in _proposers:
        _proposers.insert(0, proposer)
    return proposer


def unregister_proposer(proposer: Proposer) -> None:
    if proposer in _proposers:
        _proposers.remove(proposer)


def stage_for(section: Section, *, multi_party: bool = False) -> int:
    stage = TIER_STAGE.get(section.kind.tier, 1)
    return max(stage, MULTI_PARTY_STAGE) if multi_party else stage


def section_for(kind: SectionKind, resident: Resident) -> Section | None:
    """The active section of ``kind`` that serves the resident's district."""
    return section_serving(kind, resident.district)


def table_proposal(consultation: Consultation) -> Proposal:
    """The first active rule of the consultation's category whose keywords (if any) occur
    in the worry, highest priority first."""
    text = fold(consultation.worry or "")
    rules = (RoutingRule.objects.filter(active=True, category=consultation.category)
             .select_related("section_kind").order_by("-priority", "pk"))
    category = Category(consultation.category).label
    for rule in rules:
        words = rule.keyword_list
        if words and not any(fold(word) in text for word in words):
            continue
        section = section_for(rule.section_kind, consultation.resident)
        if section is None:
            continue
        if words:
            reason = _("回付の規則（分類「%(category)s」・キーワード）による提案") % {
                "category": category}
        else:
            reason = _("回付の規則（分類「%(category)s」）による提案") % {"category": category}
        return Proposal(section, reason)
    return Proposal(None, _("分類「%(category)s」に当てはまる回付の規則がありません。"
                            "回付先を選んでください。") % {"category": category})


def propose(*, consultation: Consultation) -> Proposal:
    """The proposal for the consultation: registered proposers first, then the routing
    table; with the best unit that consults online at its centre next to a proposed unit
    that does not."""
    proposal = None
    for proposer in list(_proposers):
        proposal = proposer(consultation)
        if proposal is not None and proposal.section is not None:
            break
    else:
        proposal = table_proposal(consultation)
    section = proposal.section
    if section is None or is_online(centre=consultation.centre, kind=section.kind):
        return Proposal(section, proposal.reason)
    online = proposal.online_section or _table_online(consultation, exclude=section)
    return Proposal(section, proposal.reason, online)


def _table_online(consultation: Consultation, *, exclude: Section) -> Section | None:
    """The first unit of the routing table's rules for the consultation's category that
    consults online at its centre (when a proposer did not name one)."""
    online = online_kind_ids(consultation.centre)
    text = fold(consultation.worry or "")
    rules = (RoutingRule.objects.filter(active=True, category=consultation.category,
                                        section_kind_id__in=online)
             .select_related("section_kind").order_by("-priority", "pk"))
    for rule in rules:
        words = rule.keyword_list
        if words and not any(fold(word) in text for word in words):
            continue
        section = section_for(rule.section_kind, consultation.resident)
        if section is not None and section.pk != exclude.pk:
            return section
    return None


def online_kind_ids(centre: DistrictCentre, on=None) -> set[int]:
    """The section kinds that consult online at ``centre`` (on ``on``, default today)."""
    return set(OnlineService.objects.filter(
        centre=centre, enabled=True, since__lte=on or timezone.localdate())
        .values_list("section_kind_id", flat=True))


def is_online(*, centre: DistrictCentre, kind: SectionKind, on=None) -> bool:
    day = on or timezone.localdate()
    return OnlineService.objects.filter(centre=centre, section_kind=kind, enabled=True,
                                        since__lte=day).exists()


def not_online_message(*, centre: DistrictCentre, section: Section) -> str:
    return _("%(section)sは、%(centre)sではまだオンライン相談を実施していません。"
             "実施している課・機関を選ぶか、区の管理者に設定を依頼してください。") % {
        "section": section.name, "centre": centre.name}
