"""Where a staff member fills in applications with residents, and which procedures they
offer there.

District-centre staff (まちづくりセンター) take *assisted* applications for residents of
their district at their centre; section staff take *counter* applications at their own
section's counter, for the procedures of their section's kind. Drafts are started through
``services.draft_start``, prefilled once from the resident's record and household.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from madoguchi.accounts.policy import own_district_ids
from madoguchi.applications.access import section_ids
from madoguchi.applications.prefill import answers_for
from madoguchi.applications.services import Actor, draft_start
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.procedures import selectors as catalogue
from madoguchi.procedures.models import Channel, ProcedureVersion

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.applications.models import Application
    from madoguchi.consultations.models import Consultation
    from madoguchi.people.models import Resident


@dataclass(frozen=True)
class Desk:
    channel: str  # Channel.ASSISTED or Channel.COUNTER
    district_ids: frozenset[int]  # the centres' districts (assisted)
    kind_ids: frozenset[int]  # the sections' kinds (counter)

    def centre_for(self, resident: Resident) -> DistrictCentre | None:
        """The centre receiving the application: the resident's own district centre when
        the staff member works there, else the staff member's first centre."""
        if self.channel != Channel.ASSISTED:
            return None
        district_id = (resident.district_id if resident.district_id in self.district_ids
                       else min(self.district_ids))
        return DistrictCentre.objects.filter(district_id=district_id).first()

    def offers(self, version: ProcedureVersion) -> bool:
        if not getattr(version, self.channel):
            return False
        return self.channel == Channel.ASSISTED or version.section_kind_id in self.kind_ids

    def procedures(self, query: str = "") -> list[ProcedureVersion]:
        versions = [v for v in catalogue.published(channel=self.channel) if self.offers(v)]
        query = (query or "").strip()
        if query:
            versions = [v for v in versions
                        if query in v.display_name or query in v.section_kind.name]
        return versions


def desk_of(user: User) -> Desk:
    """The staff member's desk; PermissionDenied when they have neither a centre nor a
    section."""
    districts = frozenset(own_district_ids(user))
    if districts:
        return Desk(Channel.ASSISTED, districts, frozenset())
    sections = section_ids(user)
    if not sections:
        raise PermissionDenied
    kinds = frozenset(Section.objects.filter(pk__in=sections).values_list("kind_id", flat=True))
    return Desk(Channel.COUNTER, frozenset(), kinds)


def grouped(versions: list[ProcedureVersion]) -> list[tuple[object, list[ProcedureVersion]]]:
    """Versions grouped by section kind (the catalogue's order is kept)."""
    return [(kind, list(rows)) for kind, rows in groupby(versions, key=lambda v: v.section_kind)]


def start_drafts(*, actor: Actor, desk: Desk, resident: Resident,
                 versions: list[ProcedureVersion], household: list[Resident],
                 consultation: Consultation | None = None) -> list[Application]:
    """One draft per version for ``resident``, each prefilled from the record and household
    (read once by the caller). All of them or none."""
    if not versions or not all(desk.offers(v) for v in versions):
        raise PermissionDenied
    centre = desk.centre_for(resident)
    with transaction.atomic():
        return [draft_start(actor=actor, version=version, channel=desk.channel,
                            district=resident.district, resident=resident, centre=centre,
                            consultation=consultation,
                            answers=answers_for(version.form_spec, resident, household))
                for version in versions]
