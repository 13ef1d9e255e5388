"""The representative's login of a group (an e-mail link, ADR 0040): which contact the
session names. Used by the group's pages and its JSON API."""

from __future__ import annotations

from madoguchi.community.models import GroupContact, GroupStatus

GROUP_SESSION_KEY = "community_group_contact"


def current_contact(request) -> GroupContact | None:
    """The representative logged in by the e-mail link, of an approved group, or None."""
    contact_id = request.session.get(GROUP_SESSION_KEY)
    if not isinstance(contact_id, int):
        return None
    return GroupContact.objects.select_related("group__centre__district").filter(
        pk=contact_id, group__status=GroupStatus.APPROVED).first()
