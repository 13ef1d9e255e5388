"""Pages of four-party collaboration (staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import access, selectors, services
from madoguchi.collaboration.forms import (
    ActionForm,
    DefinitionForm,
    EscalationForm,
    MinutesForm,
    RecordForm,
    ReplyForm,
    ResourceForm,
    SeriesForm,
    ThemeForm,
    TransitionForm,
    apply_errors,
)
from madoguchi.collaboration.models import ActionItem, MeetingStatus, Status, Theme
from madoguchi.organisation.models import District


def _resident(user, public_id):
    if not public_id:
        return None
    from madoguchi.people.selectors import visible_resident

    try:
        return visible_resident(user=user, public_id=public_id, action=Action.RESIDENT_VIEW)
    except (Http404, PermissionDenied):
        return False


# ── trouble records ────────────────────────────────────────────────────────────────────

@policy_required(Action.COLLAB_RECORD_VIEW)
def record_list(request):
    status = request.GET.get("status", "")
    theme = request.GET.get("theme", "")
    views = selectors.record_list(user=request.user, source="collaboration:records",
                                  status=status if status in Status.values else "",
                                  theme=theme)
    return render(request, "collaboration/records.html", {
        "views": views, "statuses": Status.choices, "themes": Theme.objects.all(),
        "status": status, "theme": theme,
        "may_create": can(request.user, Action.COLLAB_RECORD_CREATE)})


@policy_required(Action.COLLAB_RECORD_CREATE)
def record_create(request):
    from madoguchi.procedures.formschema.django_forms import ProcedureForm

    parties = access.party_units(request.user, Action.COLLAB_RECORD_CREATE)
    try:
        spec = services.form_spec(services.current_form())
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("collaboration:records")
    data = request.POST if request.method == "POST" else None
    form = RecordForm(data, parties=parties)
    extra = ProcedureForm(spec, data, prefix="f")
    if request.method == "POST":
        form_ok, extra_ok = form.is_valid(), extra.is_valid()
        if form_ok and extra_ok:
            cleaned = form.cleaned_data
            resident = _resident(request.user, cleaned["resident"])
            if resident is False:
                form.add_error("resident",
                               _("その区民番号の区民は見つからないか、参照できません。"))
            else:
                try:
                    record = services.record_create(
                        by=request.user, source="collaboration:record_create",
                        data=services.RecordInput(
                        party=cleaned["party"], theme=cleaned["theme"], title=cleaned["title"],
                        noticed=cleaned["noticed"], age_band=cleaned["age_band"],
                        household=cleaned["household"], urgency=cleaned["urgency"],
                        chome=cleaned["chome"], facility=cleaned["facility"],
                        noticed_names_nobody=cleaned["noticed_names_nobody"],
                        answers=extra.answers, resident=resident, basis=cleaned["basis"],
                        basis_note=cleaned["basis_note"],
                        consultation_ids=cleaned["consultations"].split(),
                        share=cleaned["share"], due_days=cleaned["due_days"]))
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("記録しました。"))
                    return redirect("collaboration:record", public_id=record.public_id)
    return render(request, "collaboration/record_form.html", {"form": form, "extra": extra})


@policy_required(Action.COLLAB_RECORD_VIEW)
def record_detail(request, public_id):
    detail = selectors.record_detail(user=request.user, public_id=public_id,
                                     source="collaboration:record")
    record = detail.view.record
    return render(request, "collaboration/record.html", {
        "detail": detail, "record": record, "view": detail.view,
        "may_escalate": can(request.user, Action.COLLAB_ESCALATE, record)
        and record.status in (Status.NEW, Status.SHARED, Status.IN_PROGRESS),
        "escalation_form": EscalationForm(targets=services.escalation_targets(record.district)),
    })


@require_POST
@policy_required(Action.COLLAB_RECORD_EDIT)
def record_transition(request, public_id):
    record = selectors.visible_record(user=request.user, public_id=public_id, editing=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return redirect("collaboration:record", public_id=record.public_id)
    try:
        if form.cleaned_data["name"] in ("mark_share", "unmark_share"):
            services.record_mark_share(record=record, by=request.user,
                                       share=form.cleaned_data["name"] == "mark_share")
        else:
            services.record_transition(record=record, name=form.cleaned_data["name"],
                                       by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("記録を更新しました。"))
    return redirect("collaboration:record", public_id=record.public_id)


# ── meetings ───────────────────────────────────────────────────────────────────────────

@policy_required(Action.COLLAB_MEETING_VIEW)
def meeting_list(request):
    centre_districts = access.centre_district_ids(request.user,
                                                  Action.COLLAB_MEETING_SCHEDULE)
    form = SeriesForm(request.POST or None)
    if request.method == "POST":
        if not centre_districts:
            raise PermissionDenied
        district = District.objects.get(pk=sorted(centre_districts)[0])
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.series_create(
                    district=district,
                    rule=services.RULES[data["pattern"]].format(day=data["weekday"]),
                    starts_on=data["starts_on"], at=data["at"], mode=data["mode"],
                    place=data["place"], video_link=data["video_link"] or "", by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("四者連携会議の予定を作りました。"))
                return redirect("collaboration:meetings")
    return render(request, "collaboration/meetings.html", {
        "meetings": selectors.meeting_list(user=request.user), "form": form,
        "may_schedule": bool(centre_districts)})


def _meeting_page(request, meeting, *, minutes_form=None, action_form=None, conflict=None,
                  status=200):
    parties = selectors.party_choices(meeting)
    return render(request, "collaboration/meeting.html", {
        "meeting": meeting,
        "agenda": selectors.agenda(user=request.user, meeting=meeting,
                                   source="collaboration:meeting"),
        "actions": selectors.meeting_actions(meeting),
        "read_only": meeting.status == MeetingStatus.APPROVED,
        "may_edit": can(request.user, Action.COLLAB_MINUTES_EDIT, meeting),
        "may_approve": can(request.user, Action.COLLAB_MINUTES_APPROVE, meeting),
        "minutes_form": minutes_form or MinutesForm(initial={
            "minutes": meeting.minutes, "version": meeting.minutes_version}),
        "action_form": action_form or ActionForm(parties=parties,
                                                 people=selectors.person_choices(meeting)),
        "resource_form": ResourceForm(),
        "conflict": conflict,
    }, status=status)


@policy_required(Action.COLLAB_MEETING_VIEW)
def meeting_detail(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    return _meeting_page(request, meeting)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_minutes(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        form.add_error(None, _("議事録の版が分かりません。ページを開き直してください。"))
        return _meeting_page(request, meeting, minutes_form=form, status=200)
    try:
        services.minutes_save(meeting=meeting, text=form.cleaned_data["minutes"],
                              version=form.cleaned_data["version"], by=request.user)
    except services.MinutesConflict as conflict:
        form.add_error(None, conflict.messages[0])
        return _meeting_page(request, meeting, minutes_form=form, conflict=conflict,
                             status=409)
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return _meeting_page(request, meeting, minutes_form=form, status=200)
    messages.success(request, _("議事録を保存しました。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_hold(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("「開催済みにする」ボタンから操作してください。"))
        return redirect("collaboration:meeting", pk=meeting.pk)
    try:
        services.meeting_hold(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("開催済みにしました。議題の記録は共有済みになりました。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_action(request, pk):
    from madoguchi.accounts.models import User

    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    parties = selectors.party_choices(meeting)
    people = selectors.person_choices(meeting)
    form = ActionForm(request.POST, parties=parties, people=people)
    if form.is_valid():
        data = form.cleaned_data
        record = None
        if data["record"]:
            try:
                record = selectors.visible_record(user=request.user, public_id=data["record"])
            except Http404:
                record = None
        person = User.objects.filter(pk=data["person"]).first() if data["person"] else None
        try:
            services.action_create(meeting=meeting, task=data["task"], party=data["party"],
                                   person=person, due_date=data["due_date"], record=record,
                                   by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("決定事項を追加しました。担当者の対応項目に表示されます。"))
            return redirect("collaboration:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, action_form=form)


@require_POST
@policy_required(Action.COLLAB_MINUTES_APPROVE)
def meeting_approve(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    try:
        services.minutes_approve(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("議事録を承認しました。以後は変更できません。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@policy_required(Action.COLLAB_ACTION_DONE)
def task_list(request):
    return render(request, "collaboration/tasks.html",
                  {"items": selectors.task_list(user=request.user)})


@require_POST
@policy_required(Action.COLLAB_ACTION_DONE)
def action_done(request, pk):
    item = ActionItem.objects.filter(pk=pk).first()
    if item is None or not can(request.user, Action.COLLAB_ACTION_DONE, item):
        raise Http404
    services.action_done(item=item, by=request.user)
    messages.success(request, _("完了にしました。"))
    return redirect("collaboration:tasks")


@policy_required(Action.COLLAB_MEETING_VIEW)
def resource_list(request):
    form = ResourceForm(request.POST or None)
    districts = sorted(access.party_district_ids(request.user, Action.COLLAB_MEETING_VIEW))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_create(
                district=District.objects.filter(pk__in=districts[:1]).first(),
                need=data["need"], resource=data["resource"], partners=data["partners"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("社会資源開発の記録を追加しました。"))
            return redirect("collaboration:resources")
    return render(request, "collaboration/resources.html", {
        "resources": selectors.resource_list(user=request.user), "form": form})


# ── escalations ────────────────────────────────────────────────────────────────────────

@policy_required(Action.COLLAB_ESCALATION_VIEW)
def escalation_list(request):
    return render(request, "collaboration/escalations.html",
                  {"escalations": selectors.escalation_list(user=request.user)})


@require_POST
@policy_required(Action.COLLAB_ESCALATE)
def escalation_create(request, public_id):
    record = selectors.visible_record(user=request.user, public_id=public_id)
    form = EscalationForm(request.POST, targets=services.escalation_targets(record.district))
    if form.is_valid():
        try:
            escalation = services.escalation_open(
                subject=record, to_section=form.cleaned_data["to_section"],
                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("上申しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    detail = selectors.record_detail(user=request.user, public_id=public_id,
                                     source="collaboration:escalation_create")
    return render(request, "collaboration/record.html", {
        "detail": detail, "record": record, "view": detail.view, "may_escalate": True,
        "escalation_form": form})


@policy_required(Action.COLLAB_ESCALATE)
def action_escalate(request, pk):
    """Escalate an action item (one of the user's district's meetings)."""
    item = ActionItem.objects.select_related("meeting__district", "party").filter(pk=pk).first()
    if item is None or not can(request.user, Action.COLLAB_ESCALATE, item):
        raise Http404
    district = item.meeting.district
    form = EscalationForm(request.POST or None, targets=services.escalation_targets(district))
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalation_open(
                subject=item, to_section=form.cleaned_data["to_section"],
                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("上申しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    return render(request, "collaboration/action_escalate.html", {"item": item, "form": form})


@policy_required(Action.COLLAB_ESCALATION_VIEW)
def escalation_detail(request, public_id):
    escalation = selectors.visible_escalation(user=request.user, public_id=public_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_reply(escalation=escalation, body=form.cleaned_data["body"],
                                      close=form.cleaned_data["close"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("送信しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    return render(request, "collaboration/escalation.html", {"escalation": escalation,
                                                             "form": form})


# ── the ward's settings: themes and the standard form ──────────────────────────────────

@policy_required(Action.COLLAB_SETTINGS)
def settings_page(request):
    import yaml

    current = services.current_form()
    theme_form = ThemeForm(request.POST if "save_theme" in request.POST else None)
    definition_form = DefinitionForm(
        request.POST if "publish_form" in request.POST else None,
        initial={"definition": yaml.safe_dump(current.definition, allow_unicode=True,
                                              sort_keys=False)})
    if theme_form.is_bound and theme_form.is_valid():
        data = theme_form.cleaned_data
        try:
            services.theme_save(code=data["code"], name=data["name"], name_en=data["name_en"],
                                is_active=data["is_active"], by=request.user)
        except ValidationError as error:
            apply_errors(theme_form, error)
        else:
            messages.success(request, _("テーマを保存しました。"))
            return redirect("collaboration:settings")
    if definition_form.is_bound and definition_form.is_valid():
        try:
            definition = yaml.safe_load(definition_form.cleaned_data["definition"])
        except yaml.YAMLError:
            definition_form.add_error("definition", _(
                "YAMLの書き方に誤りがあります。字下げと「:」の後の空白を確かめてください。"))
        else:
            try:
                form = services.record_form_publish(definition=definition, by=request.user)
            except ValidationError as error:
                definition_form.add_error("definition", error.messages)
            else:
                messages.success(request, _("記録様式の第%(version)d版を公開しました。")
                                 % {"version": form.version})
                return redirect("collaboration:settings")
    return render(request, "collaboration/settings.html", {
        "themes": Theme.objects.all(), "theme_form": theme_form,
        "definition_form": definition_form, "current": current})
