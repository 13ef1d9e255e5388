"""Pages of the catalogue: residents' list and detail, the staff catalogue and previews.

The catalogue holds no personal data; the preview accepts input only to show the form's
messages and saves nothing.
"""

from __future__ import annotations

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.procedures import presentation, selectors
from madoguchi.procedures.formschema.django_forms import ProcedureForm, row_action
from madoguchi.procedures.formschema.summary import summarise
from madoguchi.procedures.models import Channel, ProcedureVersion


def version_context(version: ProcedureVersion) -> dict:
    """What every page about one version shows."""
    return {
        "version": version,
        "ways": presentation.ways(version),
        "office": presentation.office_text(version),
        "attachments": (attachments := presentation.attachments(version)),
        # The list page names the required ones only (joined with 、, none left trailing).
        "required_attachments": [a for a in attachments if a.required],
        "fees": presentation.fees(version),
        "processing": presentation.processing_text(version),
        "workflow": version.workflow_spec,
    }


# ── residents ──────────────────────────────────────────────────────────────────────────


@require_http_methods(["GET"])
def public_list(request):
    channel = request.GET.get("channel")
    if channel not in Channel.values:
        channel = None
    versions = selectors.published(channel=channel)
    groups = [(kind, [version_context(v) for v in rows])
              for kind, rows in groupby(versions, key=lambda v: v.section_kind)]
    return render(request, "procedures/public_list.html", {
        "groups": groups, "channel": channel, "channels": Channel.choices,
        "count": len(versions)})


@require_http_methods(["GET"])
def public_detail(request, code: str):
    version = selectors.published_get(code)
    if version is None:
        raise Http404
    return render(request, "procedures/public_detail.html", version_context(version))


# ── staff ──────────────────────────────────────────────────────────────────────────────


@require_http_methods(["GET"])
@policy_required(Action.PROCEDURES_VIEW)
def catalogue(request):
    manage = can(request.user, Action.PROCEDURES_MANAGE)
    return render(request, "procedures/catalogue.html", {
        "rows": selectors.catalogue(with_drafts=manage), "manage": manage})


def _version_page(request, version: ProcedureVersion, *, manage: bool):
    procedure = version.procedure
    context = version_context(version)
    context.update({
        "procedure": procedure, "manage": manage,
        "versions": selectors.versions_of(procedure, with_drafts=manage),
        "draft": selectors.draft_of(procedure) if manage else None,
        "is_current": procedure.current_id == version.pk,
        "preview_form": ProcedureForm(version.form_spec),
    })
    return render(request, "procedures/detail.html", context)


@require_http_methods(["GET"])
@policy_required(Action.PROCEDURES_VIEW)
def detail(request, code: str):
    manage = can(request.user, Action.PROCEDURES_MANAGE)
    procedure = selectors.procedure_get(code)
    version = None
    if procedure is not None:
        version = procedure.current or (selectors.draft_of(procedure) if manage else None)
    if version is None:
        raise Http404
    return _version_page(request, version, manage=manage)


@require_http_methods(["GET"])
@policy_required(Action.PROCEDURES_VIEW)
def version(request, code: str, number: int):
    manage = can(request.user, Action.PROCEDURES_MANAGE)
    found = selectors.version_get(code, number, with_drafts=manage)
    if found is None:
        raise Http404
    return _version_page(request, found, manage=manage)


@require_http_methods(["GET", "POST"])
@policy_required(Action.PROCEDURES_VIEW)
def preview(request, code: str, number: int):
    """The form as residents will see it; input is checked and shown back, never saved."""
    manage = can(request.user, Action.PROCEDURES_MANAGE)
    found = selectors.version_get(code, number, with_drafts=manage)
    if found is None:
        raise Http404
    spec = found.form_spec
    summary = None
    if request.method == "POST":
        raw = row_action(spec, request.POST)
        if raw is not None:
            form = ProcedureForm(spec, answers=raw)
        else:
            form = ProcedureForm(spec, request.POST)
            if form.is_valid():
                summary = summarise(spec, form.answers)
    else:
        form = ProcedureForm(spec)
    return render(request, "procedures/preview.html", {
        "version": found, "form": form, "summary": summary})
