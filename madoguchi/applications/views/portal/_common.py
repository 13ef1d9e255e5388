"""What the residents' application pages share: rendering with the portal's context, the
actor of a write, the owner's application by public id, the idle warning's timing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.urls import reverse

from madoguchi.applications import selectors, services
from madoguchi.applications.models import Application
from madoguchi.applications.requirements import (
    attachment_names,
)
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level
from madoguchi.procedures import presentation
from madoguchi.procedures.models import ProcedureVersion

WARN_BEFORE_SECONDS = 180  # the idle warning comes this long before the timeout


# ── helpers ────────────────────────────────────────────────────────────────────────────


def _render(request, template: str, context: dict | None = None, status: int = 200):
    """Residents' pages show no staff login (a staff session in the same browser)."""
    return render(request, template, {
        "user": AnonymousUser(), "nav_items": [], "membership": None,
        "portal_login": portal_session.current(request), **(context or {})}, status=status)


def _actor(request, name: str) -> services.Actor:
    return services.Actor(source=f"apply:{name}", identity=request.portal_login.identity)


def _needed(version: ProcedureVersion) -> Level:
    """The login a procedure needs: its own level, and at least an e-mail login (a draft
    must belong to someone)."""
    level = Level(version.identity)
    return level if level.satisfies(Level.EMAIL) else Level.EMAIL


def _get(request, public_id, name: str) -> Application:
    return selectors.identity_get(identity=request.portal_login.identity, public_id=public_id,
                                  source=f"apply:{name}")


def _edit_url(application: Application) -> str:
    return reverse("apply:edit", args=[application.public_id])


def _detail_url(application: Application) -> str:
    return reverse("apply:detail", args=[application.public_id])


def _idle_context() -> dict[str, int]:
    idle = portal_session.idle_seconds()
    return {"idle_seconds": idle, "warn_seconds": max(idle - WARN_BEFORE_SECONDS, idle // 2)}


def _procedure_context(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "version": version,
        "attachments": presentation.attachments(version),
        "fees": presentation.fees(version),
        "processing": presentation.processing_text(version),
        "office": presentation.office_text(version),
    }


def _named_attachments(application: Application) -> list[tuple[str, Any]]:
    names = attachment_names(application.version)
    return [(names.get(a.code, a.code), a)
            for a in application.attachments.filter(replaced_by__isnull=True)
            .select_related("file")]
