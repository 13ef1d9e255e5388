"""Writes on consultations, one module per feature (ADR 0034), re-exported here: ``intake``
(intake and routing), ``booking``, ``outcome`` (and follow-ups), ``routing_table`` (the ward
administrators'), ``_common`` (the building blocks). Each service checks the policy and the
workflow, validates, writes in one transaction and appends, in that same transaction, a
timeline event (``ConsultationEvent``), an anonymous statistics event (``StatEvent``) and an
audit entry (record type ``consultation``, the resident's public id as ``resident_ref``).

Bookings are made by ``scheduling.services``; its ``SlotUnavailable`` and
``BookingRejected`` propagate unchanged (the transaction is rolled back, nothing is saved)
so that pages and the API can show the message and the next free slot.
"""

from madoguchi.consultations.services._common import (
    CONSENT_MISSING,
    DOCUMENTS_MAX,
    DURATION_MAX,
    REASON_MAX,
    RECORD,
    REQUIRED_CONSENTS,
    SUMMARY_MAX,
    WORRY_MAX,
    missing_consents,
)
from madoguchi.consultations.services.booking import (
    booking_title,
    consultation_book,
    consultation_cancel,
    consultation_reschedule,
)
from madoguchi.consultations.services.intake import (
    clean_intake,
    consultation_intake,
    consultation_route,
)
from madoguchi.consultations.services.outcome import (
    clean_outcome,
    followup_complete,
    followup_create,
    followup_owner_choices,
    outcome_record,
)
from madoguchi.consultations.services.routing_table import (
    online_service_set,
    routing_rule_save,
)
from madoguchi.consultations.services.self_booking import (
    clean_self_request,
    consultation_self_book,
    consultation_self_cancel,
    consultation_self_reschedule,
)

__all__ = [
    "CONSENT_MISSING", "DOCUMENTS_MAX", "DURATION_MAX", "REASON_MAX", "RECORD",
    "REQUIRED_CONSENTS", "SUMMARY_MAX", "WORRY_MAX", "booking_title", "clean_intake",
    "clean_outcome", "clean_self_request", "consultation_self_book",
    "consultation_self_cancel", "consultation_self_reschedule", "consultation_book",
    "consultation_cancel", "consultation_intake",
    "consultation_reschedule", "consultation_route", "followup_complete", "followup_create",
    "followup_owner_choices", "missing_consents", "online_service_set", "outcome_record",
    "routing_rule_save",
]
