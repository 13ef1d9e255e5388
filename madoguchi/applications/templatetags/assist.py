"""``{% consultation_applications consultation %}``: on a consultation record, the
applications started from it (audited reads, with their status) and the way to start one
for the consultation's resident."""

from __future__ import annotations

from django import template

from madoguchi.accounts.policy import Action, can
from madoguchi.applications.selectors import assist as assist_selectors

register = template.Library()


@register.inclusion_tag("applications/assist/_consultation_applications.html",
                        takes_context=True)
def consultation_applications(context, consultation):
    request = context["request"]
    user = request.user
    applications = []
    if can(user, Action.APPLICATION_VIEW):
        applications = assist_selectors.for_consultation(
            user=user, consultation=consultation, source=request.resolver_match.view_name)
    return {
        "consultation": consultation, "applications": applications,
        "can_start": can(user, Action.APPLICATION_ASSIST)
        and can(user, Action.RESIDENT_VIEW, consultation.resident),
        "user_id": user.pk,
    }
