"""The guidance engine as a routing proposer for consultation intake.

Registered in ``GuidanceConfig.ready``. It proposes a section only when the ranking is
confident (see ``Guidance.confident``) and the best kind is one a consultation can be
routed to; otherwise it returns None and the routing table answers. Nothing is logged:
a worry at intake is a resident's personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from madoguchi.consultations.routing import ROUTABLE_TIERS, Proposal, section_for
from madoguchi.guidance.selectors import guide

if TYPE_CHECKING:
    from madoguchi.consultations.models import Consultation

REASON_MAX = 200


def guidance_proposal(consultation: Consultation) -> Proposal | None:
    resident = consultation.resident
    result = guide(consultation.worry or "", district=resident.district, limit_faqs=1)
    if result.problem or not result.confident:
        return None
    best = result.sections[0]
    if best.kind.tier not in ROUTABLE_TIERS:
        return None
    section = section_for(best.kind, resident)
    if section is None:
        return None
    words = "、".join(best.words[:3])
    if words:
        reason = _("案内の知識ベースによる提案（一致した語：%(words)s）") % {"words": words}
    else:
        reason = _("案内の知識ベースによる提案（読みの近い語が一致）")
    return Proposal(section, reason[:REASON_MAX])
