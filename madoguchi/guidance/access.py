"""Record rules of the knowledge base, on top of the policy's gate (ADR 5).

- Ward administrators write and publish entries of every section kind.
- District-centre staff draft entries for every section kind: they hear residents' questions
  first; the responsible section reviews before anything is published.
- Section staff and managers write entries of their own units' section kinds; managers
  publish them.
- A published entry is what residents read: edits to it go live at once, so only someone
  who may publish it changes it. Others send drafts to review; publishers publish, confirm
  (mark reviewed) or take an entry back to draft.

``register`` (from ``apps.ready``) hands these to the policy as the record rules of
``Action.GUIDANCE_DRAFT`` (write entries of this one's section kind), ``GUIDANCE_EDIT``
(change this entry's content) and ``GUIDANCE_PUBLISH``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, memberships_for, register_rule, role_covers
from madoguchi.guidance.models import EntryStatus
from madoguchi.organisation.models import SectionKind

ANY_KIND_ROLES = frozenset({Role.WARD_ADMIN, Role.DISTRICT_STAFF})
PUBLISH_ANY_ROLES = frozenset({Role.WARD_ADMIN})


def _kind_ids(user, action: Action, any_roles: frozenset[str]) -> set[int] | None:
    """Section-kind ids the user may act on; None means every kind."""
    kinds: set[int] = set()
    for membership in memberships_for(user, action):
        if role_covers(membership.role) & any_roles:
            return None
        if membership.unit is not None:
            kinds.add(membership.unit.kind_id)
    return kinds


def _allows(kind_ids: set[int] | None, kind_id: int) -> bool:
    return kind_ids is None or kind_id in kind_ids


def editable_kinds(user) -> QuerySet[SectionKind]:
    """Section kinds whose entries the user may write (none without guidance.edit)."""
    kind_ids = _kind_ids(user, Action.GUIDANCE_EDIT, ANY_KIND_ROLES)
    kinds = SectionKind.objects.all()
    return kinds if kind_ids is None else kinds.filter(pk__in=kind_ids)


def may_write_kind(user, entry) -> bool:
    """Is ``entry``'s section kind one the user writes for (create, draft, review)?"""
    kind_ids = _kind_ids(user, Action.GUIDANCE_EDIT, ANY_KIND_ROLES)
    return bool(memberships_for(user, Action.GUIDANCE_EDIT)) and _allows(
        kind_ids, entry.section_kind_id)


def may_edit(user, entry) -> bool:
    """May ``user`` change ``entry``'s content (a published one only if they may publish)?"""
    if entry.status == EntryStatus.PUBLISHED:
        return may_publish(user, entry)
    return may_write_kind(user, entry)


def may_publish(user, entry) -> bool:
    """May ``user`` publish ``entry`` (section managers: their own section kinds)?"""
    kind_ids = _kind_ids(user, Action.GUIDANCE_PUBLISH, PUBLISH_ANY_ROLES)
    return bool(memberships_for(user, Action.GUIDANCE_PUBLISH)) and _allows(
        kind_ids, entry.section_kind_id)


# Status moves offered to a user: (target status, who may). "reviewed" keeps a published
# entry published and records that its content was checked today.
REVIEWED = "reviewed"


def allowed_moves(user, entry) -> list[str]:
    """The status moves ``user`` may make on ``entry`` now, in the order the page shows."""
    writer, publisher = may_write_kind(user, entry), may_publish(user, entry)
    if entry.status == EntryStatus.DRAFT:
        moves = [EntryStatus.REVIEW] if writer else []
        return moves + ([EntryStatus.PUBLISHED] if publisher else [])
    if entry.status == EntryStatus.REVIEW:
        moves = [EntryStatus.PUBLISHED] if publisher else []
        return moves + ([EntryStatus.DRAFT] if writer or publisher else [])
    return [REVIEWED, EntryStatus.DRAFT] if publisher else []


def register() -> None:
    """The record rules of the guidance entry actions (called from ``apps.ready``)."""
    register_rule(Action.GUIDANCE_DRAFT, may_write_kind)
    register_rule(Action.GUIDANCE_EDIT, may_edit)
    register_rule(Action.GUIDANCE_PUBLISH, may_publish)
