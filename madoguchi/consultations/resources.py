"""The two bookable kinds a consultation holds, registered with scheduling at start-up.

A consultation books a booth at a district centre (相談ブース: bookable whenever its centre
is open, and only while it is in use) and people (the section's caseworker, other staff,
partner staff: the ward's standard hours unless they have working-hours rows). Both need
the responsible section on the booking: the section's rules (length, buffer, notice) and
who may book come from it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from madoguchi.scheduling import kinds

BOOTH = kinds.BookableKind(
    code="booth", label=_("相談ブース"), owner="organisation.Booth", hours=kinds.WHOLE_DAY,
    describe=str, may_book=lambda user, booth: booth.is_active, needs_section=True)

PERSON = kinds.BookableKind(
    code="person", label=_("職員"), owner="accounts.User", hours=kinds.STANDARD_HOURS,
    describe=lambda person: person.display_name or person.username,
    may_book=lambda user, person: person.is_active, needs_section=True)


def register() -> None:
    kinds.register(BOOTH)
    kinds.register(PERSON)
