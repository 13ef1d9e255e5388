"""The section's review pages (namespace ``review``): the inbox, one application with its
checklist, history and the transitions the workflow data allows, decision notices, the
overdue list, the print queue of posted notices and the hand-off export.

Every read goes through the selectors (audited, scoped to the user's sections: 404 outside
them); every write through the services. A stale or doubled POST changes nothing.
"""

from __future__ import annotations

import datetime as dt
import mimetypes

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.applications import export, selectors, services, transition_data
from madoguchi.applications.access import section_ids
from madoguchi.applications.forms.review import ExportForm, NoticeForm
from madoguchi.applications.models import Delivery
from madoguchi.applications.requirements import attachment_names
from madoguchi.applications.services import notices
from madoguchi.applications.views.review import detail as review_detail
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.files.services import FileRefused, file_open
from madoguchi.procedures.formschema.summary import summarise
from madoguchi.procedures.models import ProcedureVersion


def source_of(request) -> str:
    return request.resolver_match.view_name


def actor_of(request) -> services.Actor:
    return services.Actor(source=source_of(request), user=request.user)


def detail_url(application, anchor: str = "") -> str:
    url = reverse("review:detail", kwargs={"public_id": application.public_id})
    return f"{url}#{anchor}" if anchor else url


# ── inbox ──────────────────────────────────────────────────────────────────────────────


def _filter_choices(user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(procedures, statuses) of the procedures the user's sections handle."""
    from madoguchi.organisation.models import Section

    kinds = set(Section.objects.filter(pk__in=section_ids(user)).values_list("kind_id",
                                                                              flat=True))
    versions = (ProcedureVersion.objects.filter(section_kind_id__in=kinds,
                                                procedure__current=F("pk"))
                .select_related("procedure").order_by("procedure__code"))
    procedures, statuses = [], {}
    for version in versions:
        procedures.append((version.procedure.code, version.display_name))
        for status in version.workflow_spec.statuses:
            statuses.setdefault(status.code, status.text)
    return procedures, list(statuses.items())


@never_cache
@require_GET
@policy_required(Action.APPLICATION_REVIEW)
def inbox(request):
    finished = request.GET.get("tab") == "done"
    procedures, statuses = _filter_choices(request.user)
    status = (request.GET.get("status") or "")[:40]
    procedure = (request.GET.get("procedure") or "")[:40]
    pager = selectors.inbox(user=request.user, source=source_of(request), query=request.GET,
                            status=status or None, procedure=procedure or None,
                            final=finished)
    elapsed_by_pk = selectors.elapsed_for(pager.rows, services.today())
    rows = []
    for application in pager.rows:
        elapsed = elapsed_by_pk[application.pk]
        standard = application.version.processing_days
        paused = bool(application.status_spec and application.status_spec.pauses_clock)
        rows.append({"application": application, "elapsed": elapsed,
                     "overdue": (not finished and not paused and standard > 0
                                 and elapsed > standard),
                     "paused": paused})
    return render(request, "applications/review/inbox.html", {
        "rows": rows, "pager": pager, "finished": finished, "procedures": procedures,
        "statuses": statuses,
        "status": status, "procedure": procedure,
        "can_overdue": bool(section_ids(request.user, managers_only=True)),
    })


# ── one application ────────────────────────────────────────────────────────────────────


def _checklist(application) -> list[dict]:
    """The procedure's checklist with who ticked each item (their name, not the login id
    the tick records) and when; one query for the names."""
    ticks = application.checklist or {}
    logins = {tick.get("by") for tick in ticks.values() if tick.get("by")}
    names = {user.get_username(): str(user) for user in
             get_user_model().objects.filter(username__in=logins)} if logins else {}
    return [{"index": index, "text": text,
             "done": bool(ticks.get(str(index), {}).get("done")),
             "by": names.get(ticks.get(str(index), {}).get("by", ""),
                             ticks.get(str(index), {}).get("by", "")),
             "at": _parse_at(ticks.get(str(index), {}).get("at"))}
            for index, text in enumerate(application.version.checklist)]


def _parse_at(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _attachments(application) -> list[dict]:
    names = attachment_names(application.version)
    return [{"item": item, "name": names.get(item.code, item.code),
             "replaced": item.replaced_by_id is not None}
            for item in application.attachments.select_related("file")]


def _history(application) -> list[dict]:
    spec = application.version.workflow_spec
    names = {s.code: s.text for s in spec.statuses}
    actions = {t.name: t.text for t in spec.transitions}
    return [{"event": event, "from": names.get(event.from_status, event.from_status),
             "to": names.get(event.to_status, event.to_status),
             "action": actions.get(event.transition, "")}
            for event in selectors.history(application, public_only=False)]


def _detail(request, application, *, status: int = 200, transition_errors=None,
            notice_form=None, chosen: str = "", note: str = "", decision_form=None,
            post=None):
    template = notices.template_for(application)
    if notice_form is None and template is not None:
        notice_form = NoticeForm(application=application)
    decision = transition_data.current_decision(application)
    asked_fields, asked_attachments = review_detail.open_request_items(application)
    return render(request, "applications/review/detail.html", {
        "application": application,
        "summary": summarise(application.version.form_spec, application.answers or {}),
        "attachments": _attachments(application),
        "checklist": _checklist(application),
        "history": _history(application),
        "transitions": review_detail.transition_rows(application, chosen=chosen,
                                                     bound=decision_form, post=post),
        "transition_errors": transition_errors or [],
        "chosen": chosen, "note": note,
        "notice_template": template, "notice_form": notice_form,
        "notices": notices.notices_for(application),
        "decision": decision,
        "decision_rows": transition_data.decision_rows(application, decision),
        "revisions": review_detail.revisions(application),
        "asked_fields": asked_fields, "asked_attachments": asked_attachments,
        "elapsed": selectors.elapsed_open_days(application, services.today()),
    }, status=status)


def _application(request, public_id):
    return selectors.staff_get(user=request.user, public_id=public_id,
                               source=source_of(request), action=Action.APPLICATION_REVIEW)


@never_cache
@require_GET
@policy_required(Action.APPLICATION_REVIEW)
def detail(request, public_id):
    return _detail(request, _application(request, public_id))


@never_cache
@require_GET
@policy_required(Action.APPLICATION_REVIEW)
def attachment(request, public_id, attachment_id):
    """One attached file, as a download named without personal data (audited)."""
    application = _application(request, public_id)
    item = application.attachments.select_related("file").filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    try:
        handle = file_open(stored=item.file)
    except FileRefused as problem:
        messages.error(request, problem.message)
        return redirect(detail_url(application, "attachments"))
    audit.record(actor=request.user, action=AuditAction.VIEW, record_type="application",
                 record_id=str(application.public_id),
                 resident_ref=str(application.resident.public_id) if application.resident_id
                 else "", source=source_of(request), fields=["attachments"])
    extension = mimetypes.guess_extension(item.file.content_type) or ""
    name = f"{application.reference}-{item.code}-{item.pk}{extension}"
    return FileResponse(handle, as_attachment=True, filename=name,
                        content_type=item.file.content_type)


@require_POST
@policy_required(Action.APPLICATION_REVIEW)
def checklist(request, public_id):
    """Tick or untick one item; htmx gets the list back, a plain form the page."""
    application = _application(request, public_id)
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    try:
        application = services.checklist_set(actor=actor_of(request), application=application,
                                             index=index, done=request.POST.get("done") == "1")
    except ValidationError as error:
        if request.htmx:
            return render(request, "applications/review/_checklist.html", {
                "application": application, "checklist": _checklist(application),
                "checklist_errors": error.messages}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect(detail_url(application, "checklist"))
    if request.htmx:
        return render(request, "applications/review/_checklist.html", {
            "application": application, "checklist": _checklist(application)})
    return redirect(detail_url(application, "checklist"))


@require_POST
@policy_required(Action.APPLICATION_REVIEW)
def transition(request, public_id):
    application = _application(request, public_id)
    name = request.POST.get("transition", "")
    note = request.POST.get("note", "")
    if request.POST.get("from_status") and request.POST["from_status"] != application.status:
        # The page was stale (or the button was pressed twice): nothing to do again.
        messages.info(request, _("この申請の状態はすでに「%(status)s」に変わっています。")
                      % {"status": application.status_text})
        return redirect(detail_url(application))
    decision_form, correction = review_detail.transition_input(application, name, request.POST)
    try:
        updated = services.application_transition(
            actor=actor_of(request), application=application, name=name, note=note,
            decision=decision_form.raw_input() if decision_form is not None else None,
            correction=correction)
    except services.AnswersInvalid as invalid:
        decision_form.is_valid()  # the engine's messages, on their inputs
        return _detail(request, application, status=400, transition_errors=[invalid.message],
                       chosen=name, note=note, decision_form=decision_form,
                       post=request.POST)
    except ValidationError as error:
        return _detail(request, application, status=400, transition_errors=error.messages,
                       chosen=name, note=note, decision_form=decision_form,
                       post=request.POST)
    messages.success(request, _("状態を「%(status)s」にしました。")
                     % {"status": updated.status_text})
    return redirect(detail_url(updated))


def _origin(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_POST
@policy_required(Action.APPLICATION_REVIEW)
def notice_create(request, public_id):
    application = _application(request, public_id)
    if notices.template_for(application) is None:
        messages.info(request, _("この申請の通知書はすでに作成したか、いまは作れません。"))
        return redirect(detail_url(application, "notices"))
    form = NoticeForm(request.POST, application=application)
    if form.is_valid():
        try:
            notice = notices.notice_create(
                actor=actor_of(request), application=application,
                delivery=form.cleaned_data["delivery"],
                reasons=form.cleaned_data.get("reasons", ""),
                details=form.cleaned_data["details"], origin=_origin(request))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("「%(title)s」を作成しました。") % {"title": notice.title}
                             + (_("申請者にメールでお知らせします。")
                                if notice.delivery == Delivery.EMAIL
                                else _("印刷待ちの一覧に入りました。")))
            return redirect(detail_url(application, "notices"))
    return _detail(request, application, status=400, notice_form=form)


@never_cache
@require_GET
@policy_required(Action.APPLICATION_REVIEW)
def notice_file(request, notice_id):
    """The PDF of a notice, for staff of the section (audited)."""
    try:
        notice, handle = notices.staff_notice_open(user=request.user, public_id=notice_id,
                                                   source=source_of(request))
    except FileRefused as problem:
        messages.error(request, problem.message)
        return redirect("review:inbox")
    return FileResponse(handle, as_attachment=False,
                        filename=f"{notice.application.reference}-notice.pdf",
                        content_type="application/pdf")


# ── the manager's overdue list ─────────────────────────────────────────────────────────


@never_cache
@require_GET
@policy_required(Action.APPLICATION_OVERDUE)
def overdue(request):
    pager = selectors.overdue(user=request.user, today=services.today(),
                              source=source_of(request), query=request.GET)
    return render(request, "applications/review/overdue.html",
                  {"rows": pager.rows, "pager": pager})


# ── posted notices ─────────────────────────────────────────────────────────────────────


@never_cache
@require_GET
@policy_required(Action.NOTICE_PRINT)
def print_queue(request):
    pager = notices.print_queue(user=request.user, source=source_of(request),
                                query=request.GET)
    return render(request, "applications/review/print_queue.html",
                  {"notices": pager.rows, "pager": pager})


@require_POST
@policy_required(Action.NOTICE_PRINT)
def printed(request, notice_id):
    try:
        notice = notices.notice_printed(actor=actor_of(request), public_id=notice_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("「%(number)s」を印刷・発送済みにしました。")
                         % {"number": notice.document_number})
    return redirect("review:print_queue")


# ── hand-off export ────────────────────────────────────────────────────────────────────


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_EXPORT)
def export_page(request):
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            query = export.make_query(
                user=request.user, section=data["section"], procedure=data["procedure"],
                statuses=data["statuses"], received_from=data["received_from"],
                received_to=data["received_to"])
            result = export.run(user=request.user, query=query, source=source_of(request))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            fmt = data["format"]
            if fmt == "csv":
                response = StreamingHttpResponse(export.csv_lines(result),
                                                 content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(export.json_text(result),
                                        content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{export.filename(result, fmt)}"')
            return response
    return render(request, "applications/review/export.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
