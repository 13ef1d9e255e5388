"""Ward administrators define procedures as data: draft, preview, publish, discard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.procedures import selectors, services
from madoguchi.procedures.definition import validate_definition
from madoguchi.procedures.forms import SKELETON, DefinitionForm
from madoguchi.procedures.formschema.django_forms import ProcedureForm
from madoguchi.procedures.formschema.parse import parse_form


def _editor(request, *, code: str | None, initial: dict, draft=None):
    """Create (``code`` None) or edit: save a draft, or preview without saving."""
    creating = code is None
    form = DefinitionForm(request.POST if request.method == "POST" else None,
                          initial=initial, creating=creating)
    preview_form = None
    if request.method == "POST":
        form.is_valid()
        definition = form.definition(code=code)
        try:
            if form.errors or "_preview" in request.POST:
                # Report every problem at once; save nothing.
                clean = validate_definition(definition)
                if not form.errors:
                    preview_form = ProcedureForm(parse_form(clean["form"]))
            else:
                saved = services.draft_save(by=request.user, definition=definition,
                                            change_note=form.cleaned_data["change_note"],
                                            create=creating)
                messages.success(request, _("下書き（第%(number)d版）を保存しました。内容を"
                                            "確かめてから公開してください。")
                                 % {"number": saved.number})
                return redirect("procedures:version", code=saved.procedure.code,
                                number=saved.number)
        except ValidationError as error:
            form.add_definition_errors(error)
    return render(request, "procedures/edit.html", {
        "form": form, "code": code, "creating": creating, "draft": draft,
        "preview_form": preview_form})


@require_http_methods(["GET", "POST"])
@policy_required(Action.PROCEDURES_MANAGE)
def create(request):
    initial = DefinitionForm.initial_from({**SKELETON, "channels": ["counter"],
                                           "identity": "none", "processing_days": 0})
    return _editor(request, code=None, initial=initial)


@require_http_methods(["GET", "POST"])
@policy_required(Action.PROCEDURES_MANAGE)
def edit(request, code: str):
    """Edit the draft, or start one from the published version (nothing is written until
    the administrator saves)."""
    procedure = selectors.procedure_get(code)
    if procedure is None:
        raise Http404
    draft = selectors.draft_of(procedure)
    source = draft or procedure.current
    initial = DefinitionForm.initial_for(source) if source else {}
    return _editor(request, code=code, initial=initial, draft=draft)


@require_POST
@policy_required(Action.PROCEDURES_MANAGE)
def publish(request, code: str):
    try:
        version = services.draft_publish(by=request.user, code=code)
    except ValidationError as error:
        messages.error(request, _("公開できませんでした。") + " ".join(error.messages))
        if selectors.procedure_get(code) is None:
            return redirect("procedures:catalogue")
        return redirect("procedures:detail", code=code)
    messages.success(request, _("第%(number)d版を公開しました。これからの申請はこの版を使います。"
                                "すでに受け付けた申請は、受け付けたときの版のままです。")
                     % {"number": version.number})
    return redirect("procedures:detail", code=code)


@require_POST
@policy_required(Action.PROCEDURES_MANAGE)
def discard(request, code: str):
    try:
        services.draft_discard(by=request.user, code=code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("下書きを取り消しました。"))
    if selectors.procedure_get(code) is None:
        return redirect("procedures:catalogue")
    return redirect("procedures:detail", code=code)
