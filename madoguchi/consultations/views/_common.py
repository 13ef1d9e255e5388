"""What the consultation pages share: the audit source of a page, the record's URL, finding a
consultation the user may act on, and the refusal of a transition not allowed now."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.consultations import access, selectors, workflow


def source_of(request) -> str:
    """The audit source of a page: its URL name, e.g. ``consultations:detail``."""
    return request.resolver_match.view_name


def detail_url(consultation, anchor: str = "") -> str:
    url = reverse("consultations:detail", kwargs={"public_id": consultation.public_id})
    return f"{url}#{anchor}" if anchor else url


def _parse_start(value: str) -> dt.datetime | None:
    try:
        start = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    return start


def _locate(request, public_id, action: Action):
    return selectors.visible_consultation(user=request.user, public_id=public_id,
                                          action=action)


def _shown(request, consultation):
    """A transition's page shows the resident's name: audited as a view of the record."""
    return selectors.consultation_shown(user=request.user, consultation=consultation,
                                        source=source_of(request))


def _transition_or_404(request, consultation, name: str):
    """Pages of a transition the user may not take now: back to the record with why."""
    allowed = {t.name for t in access.allowed_transitions(request.user, consultation)}
    if name in allowed:
        return None
    transition = workflow.BY_NAME.get(name)
    if transition is not None and not can(request.user, transition.action, consultation):
        raise PermissionDenied
    messages.error(request, _("この相談は「%(status)s」のため、この操作はできません。")
                   % {"status": consultation.get_status_display()})
    return redirect(detail_url(consultation))
