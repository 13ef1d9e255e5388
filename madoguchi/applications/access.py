"""Record-level rules for applications (the roles come from ``accounts.policy``).

- Section staff and managers see, review and export the applications of their own
  sections (``Application.section``); managers also get the overdue list.
- District-centre staff see the applications of residents of their district (they help
  them apply and answer corrections at the centre) and start assisted applications for
  residents they may see.
- Section staff may also start an application at their own counter.

Residents see only their own applications through the portal (``selectors.for_identity``).
``register`` (from ``apps.ready``) hands ``can_act`` to the policy as the record rule of
each application action: callers ask ``policy.can(user, Action.APPLICATION_*, application)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from madoguchi.accounts.policy import (
    Action,
    has_role_for,
    own_district_ids,
    own_section_ids,
    register_rule,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.applications.models import Application


section_ids = own_section_ids


def application_scope(user: User, action: Action = Action.APPLICATION_VIEW) -> Q:
    """A Q over Application: what ``user`` may take ``action`` on (nothing when none)."""
    nothing = Q(pk__in=[])
    if not has_role_for(user, action):
        return nothing
    scope = nothing
    if action in (Action.APPLICATION_VIEW, Action.APPLICATION_REVIEW, Action.APPLICATION_EXPORT,
                  Action.NOTICE_PRINT):
        sections = section_ids(user)
        if sections:
            scope |= Q(section_id__in=sections)
    if action == Action.APPLICATION_OVERDUE:
        sections = section_ids(user, managers_only=True)
        if sections:
            scope |= Q(section_id__in=sections)
    if action == Action.APPLICATION_VIEW:
        districts = own_district_ids(user)
        if districts:
            scope |= Q(district_id__in=districts)
        scope |= Q(created_by=user)
    if action == Action.APPLICATION_ASSIST:
        # Drafts made by this staff member (assisted or at their counter).
        scope |= Q(created_by=user, status="draft")
    return scope


def can_act(user: User, application: Application, action: Action) -> bool:
    from madoguchi.applications.models import Application

    return Application.objects.filter(pk=application.pk).filter(
        application_scope(user, action)).exists()


# The actions whose record is an application, each decided by ``application_scope``.
ACTIONS = (Action.APPLICATION_VIEW, Action.APPLICATION_ASSIST, Action.APPLICATION_REVIEW,
           Action.APPLICATION_OVERDUE, Action.APPLICATION_EXPORT, Action.NOTICE_PRINT)


def _rule(action: Action):
    def rule(user: User, application: Application) -> bool:
        return can_act(user, application, action)

    rule.__qualname__ = f"can_act[{action.value}]"
    return rule


_RULES = {action: _rule(action) for action in ACTIONS}


def register() -> None:
    """The record rules of the application actions (called from ``apps.ready``)."""
    for action, rule in _RULES.items():
        register_rule(action, rule)


def involved_residents(user: User) -> Q:
    """Section staff may open the record of a resident who applied to their section."""
    from madoguchi.applications.models import Application

    sections = section_ids(user) if getattr(user, "is_authenticated", False) else set()
    if not sections:
        return Q(pk__in=[])
    return Q(pk__in=Application.objects.filter(section_id__in=sections, resident__isnull=False)
             .values("resident_id"))
