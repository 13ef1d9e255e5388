"""Consultations (相談): intake at a district centre, routing to the responsible section,
booking, outcome and follow-ups; the routing table, online availability per centre and
anonymous statistics events.

The worry text (``Consultation.worry``) is 要配慮個人情報: it never appears in logs, URLs,
audit entries, booking titles, timeline notes or statistics. Reads and writes go through
``consultations.selectors`` / ``consultations.services``, which write the audit trail.

One module per feature (ADR 0034), re-exported here: ``consultation`` (the record and
its timeline), ``routing_table``, ``outcome`` (and follow-ups), ``stats``, ``documents``,
``references``. ``AppendOnlyError`` (core.appendonly) is re-exported for the callers
that catch it.
"""

from madoguchi.consultations.models.consultation import (
    Category,
    Consultation,
    ConsultationEvent,
    Status,
    Urgency,
)
from madoguchi.consultations.models.documents import (
    ConsultationDocument,
    DocumentPlace,
)
from madoguchi.consultations.models.outcome import (
    FollowUp,
    Outcome,
    Result,
    Satisfaction,
)
from madoguchi.consultations.models.references import ConsultationReference
from madoguchi.consultations.models.routing_table import (
    OnlineService,
    RoutingRule,
)
from madoguchi.consultations.models.stats import StatEvent
from madoguchi.core.appendonly import AppendOnlyError

__all__ = [
    "AppendOnlyError", "Category", "Consultation", "ConsultationDocument", "ConsultationEvent",
    "ConsultationReference", "DocumentPlace", "FollowUp", "OnlineService", "Outcome", "Result",
    "RoutingRule", "Satisfaction", "StatEvent", "Status", "Urgency",
]
