"""Record-level rules for consultations, on top of the role gate in accounts.policy.

``policy.ROLE_ACTIONS`` says which roles may take a consultation action at all; the
functions here say on which consultation, and ``register`` (from ``apps.ready``) hands them
to the policy as the record rules of the consultation actions, so callers ask
``policy.can(user, Action.CONSULTATION_*, consultation)``:

- district-centre staff: consultations received at their centre (whole record except the
  section's internal outcome summary);
- あんしんすこやかセンター / 社会福祉協議会 staff: those they received themselves;
- section staff and managers: consultations routed to their section (full record,
  outcome and follow-ups);
- staff participants of a consultation's bookings (caseworker, specialist agency):
  view only.

The same relations widen ``policy.resident_scope`` through ``involved_residents``
(registered in ``apps.ready``): a section sees a resident only once a consultation has
been routed to it, never because it was merely proposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from madoguchi.accounts.policy import (
    Action,
    can,
    district_ids_for,
    has_role_for,
    own_district_ids,
    own_section_ids,
    register_rule,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.consultations.models import Consultation, FollowUp
    from madoguchi.organisation.models import DistrictCentre


def section_ids(user: User) -> set[int]:
    """Sections the user staffs as section staff or manager."""
    return own_section_ids(user)


def intake_district_ids(user: User) -> set[int]:
    """Districts whose centre the user may take consultations at: district staff of the
    centre, or あんしん / 社協 staff of that district (the same building)."""
    return district_ids_for(user, Action.CONSULTATION_INTAKE)


def intake_centres(user: User) -> list[DistrictCentre]:
    from madoguchi.organisation.models import DistrictCentre

    ids = intake_district_ids(user)
    if not ids or not has_role_for(user, Action.CONSULTATION_INTAKE):
        return []
    return list(DistrictCentre.objects.filter(district_id__in=ids)
                .select_related("district__region"))


def _participant_consultations(user: User):
    """Ids of consultations whose bookings (current or earlier) the user takes part in."""
    from madoguchi.consultations.models import ConsultationEvent

    return (ConsultationEvent.objects.filter(booking__participants__user=user)
            .values("consultation_id"))


def consultation_scope(user: User) -> Q:
    """A Q over Consultation selecting what ``user`` may see; matches nothing when none."""
    if not has_role_for(user, Action.CONSULTATION_VIEW):
        return Q(pk__in=[])
    # Plain column tests with literal ids (no join, no subquery), so that each way is an
    # index scan OR-ed in a bitmap: 1M consultations are never read one by one.
    scope = Q(received_by=user)
    centres = own_centre_ids(user)
    if centres:
        scope |= Q(centre_id__in=centres)
    sections = section_ids(user)
    if sections:
        scope |= Q(section_id__in=sections)
    participating = list(_participant_consultations(user).values_list("consultation_id",
                                                                      flat=True))
    if participating:
        scope |= Q(pk__in=participating)
    return scope


def own_centre_ids(user: User) -> list[int]:
    """The centres of the districts the user staffs (loaded once per user object)."""
    from madoguchi.organisation.models import DistrictCentre

    districts = own_district_ids(user)
    if not districts:
        return []
    cached = getattr(user, "_own_centre_ids", None)
    if cached is None:
        cached = list(DistrictCentre.objects.filter(district_id__in=districts)
                      .values_list("pk", flat=True))
        user._own_centre_ids = cached
    return cached


def involved_residents(user: User) -> list[Q]:
    """The involvement rule for ``policy.resident_scope``: Qs over Resident, one per way
    (received the consultation; took part in a booking of it; it was routed to one of the
    user's sections), each a simple subquery that an index serves."""
    from madoguchi.consultations.models import Consultation

    if not getattr(user, "is_authenticated", False):
        return []
    rows = Consultation.objects.values("resident_id")
    ways = [Q(pk__in=rows.filter(received_by=user)),
            Q(pk__in=rows.filter(pk__in=_participant_consultations(user)))]
    sections = section_ids(user)
    if sections:
        ways.append(Q(pk__in=rows.filter(section_id__in=sections)))
    return ways


def is_centre_staff(user: User, consultation: Consultation) -> bool:
    return consultation.centre.district_id in own_district_ids(user)


def is_section_member(user: User, consultation: Consultation) -> bool:
    return consultation.section_id is not None and consultation.section_id in section_ids(user)


def can_view(user: User, consultation: Consultation) -> bool:
    from madoguchi.consultations.models import Consultation as Model

    if not has_role_for(user, Action.CONSULTATION_VIEW):
        return False
    return Model.objects.filter(pk=consultation.pk).filter(consultation_scope(user)).exists()


def can_handle(user: User, consultation: Consultation) -> bool:
    """Route, book, reschedule, cancel: the centre that received it (or the partner who
    took it) and the section it was routed to."""
    if not has_role_for(user, Action.CONSULTATION_ROUTE):
        return False
    return (consultation.received_by_id == user.pk or is_centre_staff(user, consultation)
            or is_section_member(user, consultation))


def can_move_booking(user: User, consultation: Consultation) -> bool:
    """Reschedule or cancel: ``can_handle``, and the booking (if any) is one the user may
    move by scheduling's rules — partner staff only bookings they take part in or their
    unit made (a booking the centre made for a consultation they took is the centre's)."""
    if not can_handle(user, consultation):
        return False
    return consultation.booking_id is None or can(user, Action.BOOKING_CANCEL,
                                                  consultation.booking)


def can_record_outcome(user: User, consultation: Consultation) -> bool:
    return (has_role_for(user, Action.CONSULTATION_OUTCOME)
            and is_section_member(user, consultation))


def sees_summary(user: User, consultation: Consultation) -> bool:
    """The section's internal outcome summary: the section only (decision: the centre
    sees result, referral, satisfaction and follow-ups, not the section's notes)."""
    return is_section_member(user, consultation)


def can_complete_followup(user: User, followup: FollowUp) -> bool:
    return followup.owner_id == user.pk or is_section_member(user, followup.consultation)


def can_add_document(user: User, consultation: Consultation) -> bool:
    """Add a file to the record page: staff who may see the record (its staff participants
    too: they may share files in the call as well), unless it was cancelled."""
    from madoguchi.consultations.models import Status

    return consultation.status != Status.CANCELLED and can_view(user, consultation)


def register() -> None:
    """The record rules of the consultation actions (called from ``apps.ready``)."""
    register_rule(Action.CONSULTATION_VIEW, can_view)
    register_rule(Action.CONSULTATION_ROUTE, can_handle)
    register_rule(Action.CONSULTATION_BOOK, can_handle)
    register_rule(Action.CONSULTATION_RESCHEDULE, can_move_booking)
    register_rule(Action.CONSULTATION_CANCEL, can_move_booking)
    register_rule(Action.CONSULTATION_OUTCOME, can_record_outcome)
    register_rule(Action.CONSULTATION_SUMMARY, sees_summary)
    register_rule(Action.CONSULTATION_DOCUMENT_ADD, can_add_document)
    register_rule(Action.FOLLOWUP_COMPLETE, can_complete_followup)


def allowed_transitions(user: User, consultation: Consultation) -> list:
    """The workflow transitions ``user`` may take on ``consultation`` now."""
    from madoguchi.consultations import workflow

    return [t for t in workflow.available(consultation.status)
            if can(user, t.action, consultation)]
