"""Assisted applications (窓口で一緒に作る申請): staff fill in a procedure's form with the
resident at the district centre (or a section at its counter), scan or photograph the
attachments, turn the large-type confirmation towards the resident, submit it together and
print the receipt (受付控え).

Steps: resident page → choose a procedure → form (every POST saves the draft) →
attachments → confirmation → receipt. Only public ids appear in URLs; every read of an
application goes through the audited selectors; every write through the services.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.applications import selectors, services
from madoguchi.applications.models import Application
from madoguchi.applications.requirements import (
    OTHER,
    attachment_names,
    missing_attachments,
    needed_attachments,
)
from madoguchi.applications.selectors import assist as assist_selectors
from madoguchi.applications.views.assist.desk import desk_of, grouped, start_drafts
from madoguchi.consultations.selectors import visible_consultation
from madoguchi.files.services import FileRefused
from madoguchi.people import selectors as people
from madoguchi.procedures import selectors as catalogue
from madoguchi.procedures.formschema.django_forms import ProcedureForm, row_action
from madoguchi.procedures.formschema.summary import summarise

CHAIN = "assist_chain"  # the session key of a life event's chain: draft public ids


def source_of(request) -> str:
    return request.resolver_match.view_name


def actor_of(request) -> services.Actor:
    return services.Actor(source=source_of(request), user=request.user)


def _consultation(request, resident):
    """The consultation the application is started from (``?consultation=``), if any."""
    ref = request.POST.get("consultation") or request.GET.get("consultation")
    if not ref:
        return None
    consultation = visible_consultation(user=request.user, public_id=ref)
    if consultation.resident_id != resident.pk:
        raise Http404
    return consultation


# ── the list ───────────────────────────────────────────────────────────────────────────


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.APPLICATION_ASSIST)
def index(request):
    source = source_of(request)
    return render(request, "applications/assist/index.html", {
        "drafts": selectors.staff_drafts(user=request.user, source=source),
        "received": assist_selectors.recently_received(user=request.user, source=source),
        "awaiting": assist_selectors.awaiting_resident(user=request.user, source=source),
    })


# ── choosing and starting ──────────────────────────────────────────────────────────────


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.APPLICATION_ASSIST)
def choose(request, public_id):
    desk = desk_of(request.user)
    resident = people.resident_detail(user=request.user, public_id=public_id,
                                      source=source_of(request))
    consultation = _consultation(request, resident)
    query = request.GET.get("q", "")[:40]
    return render(request, "applications/assist/choose.html", {
        "resident": resident, "consultation": consultation, "desk": desk, "query": query,
        "groups": grouped(desk.procedures(query)),
    })


@never_cache
@require_POST
@policy_required(Action.APPLICATION_ASSIST)
def start(request, public_id):
    desk = desk_of(request.user)
    resident = people.visible_resident(user=request.user, public_id=public_id,
                                       action=Action.RESIDENT_VIEW)
    consultation = _consultation(request, resident)
    version = catalogue.published_get(request.POST.get("procedure", ""))
    if version is None or not desk.offers(version):
        messages.error(request, _("この窓口で受け付けられる手続きを選んでください。"))
        return redirect("assist:choose", public_id=resident.public_id)
    household = people.household_members(resident=resident, user=request.user,
                                         source=source_of(request))
    try:
        [draft] = start_drafts(actor=actor_of(request), desk=desk, resident=resident,
                               versions=[version], household=household,
                               consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assist:choose", public_id=resident.public_id)
    request.session.pop(CHAIN, None)  # a single application ends any chain
    return redirect("assist:form", public_id=draft.public_id)


# ── the draft ──────────────────────────────────────────────────────────────────────────


def _application(request, public_id) -> Application:
    """The application, audited as a view; 404 outside the staff member's scope."""
    return selectors.staff_get(user=request.user, public_id=public_id,
                               source=source_of(request))


def _own_draft(request, public_id) -> Application | None:
    """The staff member's own draft, or None when it was already received (the caller
    sends them to the receipt). 404 for someone else's draft."""
    application = _application(request, public_id)
    if not application.is_draft:
        return None
    if application.created_by_id != request.user.pk:
        raise Http404
    return application


def _form_page(request, application, form, *, status=200):
    return render(request, "applications/assist/form.html", {
        "application": application, "version": application.version, "form": form,
        "step": 1}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_ASSIST)
def form(request, public_id):
    """The procedure's form. Every POST keeps what was typed in the draft first; 「確認へ」
    then checks it and shows the messages next to the fields."""
    application = _own_draft(request, public_id)
    if application is None:
        return redirect("assist:receipt", public_id=public_id)
    spec = application.version.form_spec
    if request.method == "GET":
        return _form_page(request, application, ProcedureForm(spec,
                                                              answers=application.answers))
    raw = row_action(spec, request.POST)
    if raw is not None:  # a row added or removed: saved, the form shown again
        services.draft_save(actor=actor_of(request), application=application, raw=raw)
        return _form_page(request, application, ProcedureForm(spec, answers=raw))
    bound = ProcedureForm(spec, request.POST)
    services.draft_save(actor=actor_of(request), application=application,
                        raw=bound.raw_input())
    if request.POST.get("action") == "save":
        messages.success(request, _("下書きを保存しました。"))
        return redirect("assist:form", public_id=application.public_id)
    if bound.is_valid():
        return redirect("assist:attachments", public_id=application.public_id)
    return _form_page(request, application, bound)


@never_cache
@require_POST
@policy_required(Action.APPLICATION_ASSIST)
def discard(request, public_id):
    application = _own_draft(request, public_id)
    if application is None:
        return redirect("assist:receipt", public_id=public_id)
    services.draft_discard(actor=actor_of(request), application=application)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("assist:index")


# ── attachments ────────────────────────────────────────────────────────────────────────


def _checked(request, application):
    """The draft's answers checked, or None (with a message) when the form needs work."""
    try:
        return services.check_answers(application.version, application.answers)
    except services.AnswersInvalid:
        messages.error(request, _("申請書の入力内容に直すところがあります。"))
        return None


def _attachment_rows(application, answers, errors):
    attached = list(application.attachments.select_related("file"))
    rows = []
    for item in needed_attachments(application.version, answers):
        rows.append({"item": item, "files": [a for a in attached if a.code == item["code"]],
                     "error": errors.get(item["code"], "")})
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_ASSIST)
def attachments(request, public_id):
    """One file input per needed attachment (scanner or the tablet's camera)."""
    application = _own_draft(request, public_id)
    if application is None:
        return redirect("assist:receipt", public_id=public_id)
    answers = _checked(request, application)
    if answers is None:
        return redirect("assist:form", public_id=application.public_id)
    errors: dict[str, str] = {}
    status = 400
    if request.method == "POST":
        actor = actor_of(request)
        code = request.POST.get("code", "")
        try:
            if request.POST.get("action") == "remove":
                services.attachment_remove(actor=actor, application=application,
                                           attachment_id=_int(request.POST.get("attachment")))
                messages.success(request, _("書類を取り消しました。"))
                return redirect("assist:attachments", public_id=application.public_id)
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("ファイルを選ぶか、カメラで撮影してください。"))
            services.attachment_add(actor=actor, application=application, code=code,
                                    data=upload, name=upload.name)
        except FileRefused as refused:
            errors[code] = refused.message
            status = refused.status()
        except ValidationError as error:
            errors[code] = " ".join(error.messages)
        else:
            messages.success(request, _("書類を受け取りました。"))
            return redirect("assist:attachments", public_id=application.public_id)
    rows = _attachment_rows(application, answers, errors)
    return render(request, "applications/assist/attachments.html", {
        "application": application, "version": application.version, "rows": rows,
        "step": 2, "ready": all(row["files"] for row in rows),
    }, status=status if errors else 200)


def _files(application) -> list[dict]:
    """The attached files with the name of the document each one is."""
    names = attachment_names(application.version)
    return [{"name": names.get(a.code, names[OTHER]), "file": a.file}
            for a in application.attachments.select_related("file")]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ── confirmation and receipt ───────────────────────────────────────────────────────────


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_ASSIST)
def confirm(request, public_id):
    """The large-type page turned towards the resident; 「この内容で申請します」 is pressed
    with them. A hidden key makes a double press receive it once."""
    application = _own_draft(request, public_id)
    if application is None:
        return redirect("assist:receipt", public_id=public_id)
    answers = _checked(request, application)
    if answers is None:
        return redirect("assist:form", public_id=application.public_id)
    codes = set(application.attachments.values_list("code", flat=True))
    missing = missing_attachments(application.version, answers, codes)
    if missing:
        for item in missing:
            messages.error(request, _("「%(name)s」を添付してください。") % {"name": item["name"]})
        return redirect("assist:attachments", public_id=application.public_id)
    if request.method == "POST":
        try:
            services.application_submit(
                actor=actor_of(request), application=application, raw=application.answers,
                idempotency_key=request.POST.get("key"), confirmed=True)
        except services.AnswersInvalid:
            messages.error(request, _("申請書の入力内容に直すところがあります。"))
            return redirect("assist:form", public_id=application.public_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assist:attachments", public_id=application.public_id)
        return redirect("assist:receipt", public_id=application.public_id)
    return render(request, "applications/assist/confirm.html", {
        "application": application, "version": application.version,
        "summary": summarise(application.version.form_spec, answers),
        "files": _files(application),
        "key": uuid.uuid4().hex, "step": 3,
    })


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.APPLICATION_ASSIST)
def receipt(request, public_id):
    """受付番号, the section it went to, the standard days and the due date; printable."""
    application = _application(request, public_id)
    if application.is_draft:
        if application.created_by_id != request.user.pk:
            raise Http404
        return redirect("assist:form", public_id=application.public_id)
    chain = request.session.get(CHAIN) or []
    position = chain.index(str(application.public_id)) + 1 \
        if str(application.public_id) in chain else 0
    return render(request, "applications/assist/receipt.html", {
        "application": application, "version": application.version,
        "files": _files(application),
        "chain_position": position, "chain_length": len(chain),
        "has_next": bool(position and position < len(chain)),
    })
