"""The guidance engine as a routing proposer for consultation intake.

Registered in ``GuidanceConfig.ready``. It proposes a section only when the ranking is
confident (see ``Guidance.confident``) and the best kind is one a consultation can be
routed to; otherwise it returns None and the routing table answers. Nothing is logged:
a worry at intake is a resident's personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from madoguchi.consultations.routing import (
    ROUTABLE_TIERS,
    Proposal,
    online_kind_ids,
    section_for,
)
from madoguchi.guidance.selectors import guide

if TYPE_CHECKING:
    from madoguchi.consultations.models import Consultation

REASON_MAX = 200
SECTIONS = 6  # kinds ranked, to find the best one online at the centre


def guidance_proposal(consultation: Consultation) -> Proposal | None:
    resident = consultation.resident
    result = guide(consultation.worry or "", district=resident.district, limit_faqs=1,
                   limit_sections=SECTIONS)
    if result.problem or not result.confident:
        return None
    best = result.sections[0]
    if best.kind.tier not in ROUTABLE_TIERS:
        return None
    section = section_for(best.kind, resident)
    if section is None:
        return None
    return Proposal(section, _reason(best)[:REASON_MAX],
                    _best_online(result.sections[1:], consultation))


def _best_online(hits, consultation: Consultation):
    """The best-ranked routable unit that consults online at the consultation's centre."""
    online = online_kind_ids(consultation.centre)
    for hit in hits:
        if hit.kind.tier in ROUTABLE_TIERS and hit.kind.pk in online:
            section = section_for(hit.kind, consultation.resident)
            if section is not None:
                return section
    return None


def _reason(best) -> str:
    words = "、".join(best.words[:3])
    if words:
        reason = _("案内の知識ベースによる提案（一致した語：%(words)s）") % {"words": words}
    else:
        reason = _("案内の知識ベースによる提案（読みの近い語が一致）")
    return reason
