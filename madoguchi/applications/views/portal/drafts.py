"""The residents' online applications in the portal (namespace ``apply``).

start (what the procedure needs, the identity gate, the district) → draft (the procedure's
form and its attachments; every POST first keeps what was typed) → confirm (read-only
summary, one idempotent submit) → done (受付番号, the section, the due date). The list
「わたしの申請」 and one application's page are in ``my_applications``.

Every read goes through ``selectors`` (audited, with the resident's portal reference),
every write through ``services`` with ``Actor(source=<url name>, identity=...)``. A draft
posted after the login timed out is kept encrypted (``pending``) and saved to the draft
when its owner logs in again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.applications import pending, services
from madoguchi.applications.forms.portal import StartForm
from madoguchi.applications.models import DRAFT, Application
from madoguchi.applications.requirements import (
    OTHER,
    attachment_names,
    missing_attachments,
    needed_attachments,
)
from madoguchi.applications.views.portal._common import (
    _actor,
    _detail_url,
    _edit_url,
    _get,
    _idle_context,
    _named_attachments,
    _needed,
    _procedure_context,
    _render,
)
from madoguchi.files.policy import policy_for
from madoguchi.files.services import FileRefused
from madoguchi.files.uploads import limits_text
from madoguchi.portal import session as portal_session
from madoguchi.portal.access import login_url, portal_identity_required
from madoguchi.portal.models import Level
from madoguchi.procedures import presentation
from madoguchi.procedures.formschema.django_forms import ProcedureForm, row_action
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.summary import summarise
from madoguchi.procedures.models import Channel, ProcedureVersion
from madoguchi.procedures.selectors import published_get

LAST_DISTRICT = "apply.district"  # the district chosen last (portal session)


# ── start ──────────────────────────────────────────────────────────────────────────────


@require_http_methods(["GET", "POST"])
@never_cache
@portal_identity_required(Level.EMAIL)
def start(request, code: str):
    version = published_get(code)
    if version is None or not version.online:
        raise Http404
    needed = _needed(version)
    if not request.portal_login.satisfies(needed):
        return redirect(login_url(needed, request.path))
    last = request.portal_session.get(LAST_DISTRICT, "")
    form = StartForm(request.POST or None, initial={"district": last})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            district = form.cleaned_data["district"]
            try:
                draft = services.draft_start(actor=_actor(request, "start"), version=version,
                                             channel=Channel.ONLINE, district=district)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                request.portal_session[LAST_DISTRICT] = district.key
                return redirect(_edit_url(draft))
        status = 400
    return _render(request, "applications/portal/start.html", {
        **_procedure_context(version), "form": form, "needed": needed,
        "identity_none": version.identity == Level.NONE}, status=status)


# ── the draft ──────────────────────────────────────────────────────────────────────────


def _raw_of(version: ProcedureVersion, data) -> tuple[dict[str, Any], bool]:
    """The raw answers posted (with a repeating group's row added or removed), and whether
    the post was such a row action."""
    spec = version.form_spec
    raw = row_action(spec, data)
    if raw is not None:
        return raw, True
    return ProcedureForm(spec, data, shared_device=False).raw_input(), False


def _logged_out(request, public_id: uuid.UUID):
    """The login is gone (or too weak for this draft): keep what was posted, encrypted, for
    an hour, and send the resident to log in; the draft page saves it afterwards."""
    draft = (Application.objects.select_related("version").filter(
        public_id=public_id, status=DRAFT).first())
    level = _needed(draft.version) if draft is not None else Level.EMAIL
    response = redirect(login_url(level, reverse("apply:edit", args=[public_id])))
    if request.method == "POST" and draft is not None:
        token = pending.keep(public_id=public_id, data=request.POST)
        pending.set_cookie(response, token)
        messages.warning(request, _(
            "ログインの有効期限が切れていました。入力した内容は一時的にお預かりしています。"
            "1時間以内にもう一度ログインすると、下書きに保存されます（添付ファイルは、"
            "もう一度選んでください）。"))
    return response


def _restore(request, application: Application):
    """After a login: write the input kept at the timeout to the resident's own draft."""
    data = pending.take(token=request.COOKIES.get(pending.COOKIE),
                        public_id=application.public_id)
    if data is None:
        return None
    raw, _row = _raw_of(application.version, data)
    services.draft_save(actor=_actor(request, "edit"), application=application, raw=raw)
    messages.success(request, _("入力内容を保存しました。"))
    response = redirect(_edit_url(application))
    pending.clear_cookie(response)
    return response


def _answers_for_needs(version: ProcedureVersion, raw: dict[str, Any]) -> dict[str, Any]:
    outcome = clean_answers(version.form_spec, raw)
    return outcome.answers if outcome.ok else raw


def _attachment_rows(application: Application, raw: dict[str, Any],
                     errors: dict[str, str]) -> list[dict[str, Any]]:
    version = application.version
    needed = {item["code"] for item in
              needed_attachments(version, _answers_for_needs(version, raw))}
    files: dict[str, list] = {}
    for attachment in application.attachments.select_related("file"):
        files.setdefault(attachment.code, []).append(attachment)
    rows = []
    for item, shown in zip(version.attachments, presentation.attachments(version), strict=True):
        code = item["code"]
        rows.append({"code": code, "name": shown.name, "explanation": shown.explanation,
                     "need": shown.need, "needed": code in needed,
                     "files": files.get(code, []), "error": errors.get(code, "")})
    rows.append({"code": OTHER, "name": attachment_names(version)[OTHER], "need": _("任意"),
                 "explanation": _("ほかに見てほしい書類があれば添付してください。"),
                 "needed": False, "files": files.get(OTHER, []),
                 "error": errors.get(OTHER, "")})
    return rows


def _add_files(request, actor, application: Application) -> tuple[int, dict[str, str], int]:
    """Store every file chosen on the page (``file-<code>``): how many were stored, the
    refusals by code, and the status of a page showing them."""
    codes = list(attachment_names(application.version))
    errors: dict[str, str] = {}
    added, status = 0, 400
    for code in codes:
        upload = request.FILES.get(f"file-{code}")
        if upload is None:
            continue
        try:
            services.attachment_add(actor=actor, application=application, code=code,
                                    data=upload, name=upload.name)
        except FileRefused as refused:
            errors[code] = refused.message
            status = max(status, refused.status())
        except ValidationError as error:
            errors[code] = " ".join(error.messages)
        else:
            added += 1
    return added, errors, status


def _edit_page(request, application: Application, form: ProcedureForm, *,
               raw: dict[str, Any], file_errors: dict[str, str] | None = None,
               missing: list[dict] | None = None, status: int = 200):
    file_errors = dict(file_errors or {})
    names = attachment_names(application.version)
    for item in missing or []:
        file_errors.setdefault(item["code"], _("「%(name)s」を添付してください。")
                               % {"name": names[item["code"]]})
    rows = _attachment_rows(application, raw, file_errors)
    summary = form.error_summary() if form.is_bound else []
    summary += [(f"id_file-{row['code']}", row["name"], row["error"])
                for row in rows if row["error"]]
    policy = policy_for(services.FILE_PURPOSE)
    return _render(request, "applications/portal/edit.html", {
        "application": application, "version": application.version, "form": form,
        "attachment_rows": rows, "errors": summary, "accept": policy.accept,
        "limits": limits_text(services.FILE_PURPOSE), **_idle_context()}, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def edit(request, public_id: uuid.UUID):
    login = portal_session.current(request)
    request.portal_login = login
    if login is None:
        return _logged_out(request, public_id)
    application = _get(request, public_id, "edit")
    if not application.is_draft:
        return redirect(_detail_url(application))
    version = application.version
    if not login.satisfies(_needed(version)):
        return _logged_out(request, public_id)
    if request.method == "GET":
        restored = _restore(request, application)
        if restored is not None:
            return restored
        return _edit_page(request, application,
                          ProcedureForm(version.form_spec, answers=application.answers,
                                        shared_device=False), raw=application.answers)
    actor = _actor(request, "edit")
    raw, row_changed = _raw_of(version, request.POST)
    application = services.draft_save(actor=actor, application=application, raw=raw)
    added, file_errors, error_status = _add_files(request, actor, application)
    removed = request.POST.get("_remove_file")
    if removed and removed.isdigit():
        try:
            services.attachment_remove(actor=actor, application=application,
                                       attachment_id=int(removed))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("書類を削除しました。"))
    action = request.POST.get("_action", "save")
    if row_changed or file_errors or action != "confirm":
        if file_errors or row_changed:
            return _edit_page(request, application,
                              ProcedureForm(version.form_spec, answers=raw,
                                            shared_device=False),
                              raw=raw, file_errors=file_errors,
                              status=error_status if file_errors else 200)
        if added:
            messages.success(request, _("書類を添付しました。"))
        elif action == "upload" and not removed:
            messages.error(request, _("添付するファイルを選んでください。"))
        if action == "save":
            messages.success(request, _("一時保存しました。続きはあとからでも入力できます。"))
        anchor = "#attachments" if action == "upload" or removed else ""
        return redirect(_edit_url(application) + anchor)
    form = ProcedureForm(version.form_spec, request.POST, shared_device=False)
    valid = form.is_valid()
    attached = set(application.attachments.values_list("code", flat=True))
    missing = missing_attachments(version, form.answers if valid
                                  else _answers_for_needs(version, raw), attached)
    if valid and not missing:
        return redirect("apply:confirm", public_id=application.public_id)
    return _edit_page(request, application, form, raw=raw, missing=missing, status=400)


# ── confirm, submit, done ──────────────────────────────────────────────────────────────


def _back_to_edit(request, application: Application, message: str):
    messages.error(request, message)
    return redirect(_edit_url(application))


@require_http_methods(["GET", "POST"])
@never_cache
@portal_identity_required(Level.EMAIL)
def confirm(request, public_id: uuid.UUID):
    application = _get(request, public_id, "confirm")
    if not application.is_draft:
        return redirect("apply:done", public_id=application.public_id)
    version = application.version
    needed = _needed(version)
    if not request.portal_login.satisfies(needed):
        return redirect(login_url(needed, _edit_url(application)))
    if request.method == "POST":
        try:
            submission = services.application_submit(
                actor=_actor(request, "confirm"), application=application,
                raw=application.answers, idempotency_key=request.POST.get("idempotency_key"),
                confirmed=True)
        except services.AnswersInvalid:
            return _back_to_edit(request, application,
                                 _("入力内容に直すところがあります。確かめてください。"))
        except ValidationError as error:
            return _back_to_edit(request, application, " ".join(error.messages))
        return redirect("apply:done", public_id=submission.application.public_id)
    try:
        answers = services.check_answers(version, application.answers)
    except services.AnswersInvalid:
        return _back_to_edit(request, application,
                             _("入力内容に直すところがあります。「確認へ進む」を押して確かめてください。"))
    attached = set(application.attachments.values_list("code", flat=True))
    missing = missing_attachments(version, answers, attached)
    if missing:
        return _back_to_edit(request, application, _("必要な書類がまだ添付されていません。"))
    return _render(request, "applications/portal/confirm.html", {
        "application": application, "version": version,
        "summary": summarise(version.form_spec, answers),
        "attachments": _named_attachments(application), "idempotency_key": uuid.uuid4().hex,
        "fees": presentation.fees(version), **_idle_context()})


@require_GET
@never_cache
@portal_identity_required(Level.EMAIL)
def done(request, public_id: uuid.UUID):
    application = _get(request, public_id, "done")
    if application.is_draft:
        return redirect(_edit_url(application))
    return _render(request, "applications/portal/done.html", {
        "application": application, "version": application.version,
        "processing": presentation.processing_text(application.version)})
