"""A consultation's pointers to things of other contexts (core.references, ADR 0061)."""

from __future__ import annotations

from django.db import models

from madoguchi.consultations.models.consultation import Consultation
from madoguchi.core.references import Reference


class ConsultationReference(Reference):
    """A consultation's pointer to a thing of another context, e.g. the event a resident
    was referred to (core.references, ADR 0061)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="references")

    class Meta(Reference.Meta):
        constraints = [models.UniqueConstraint(fields=["consultation", "kind", "key"],
                                               name="consultation_reference_once")]
        indexes = [models.Index(fields=["kind", "key"], name="consultation_ref_target")]
